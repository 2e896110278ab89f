"""The fields of a form a webhook posts (multipart/form-data, or urlencoded), bounded.

Plate Recognizer posts its results as a form: a `json` field, and with "Webhook with Image" an
`upload` field holding the picture (RFC 7578). Transport free, like http_push.py: the caller
hands over the whole body and its Content-Type. Nothing a sender posts raises anything but
InvalidReadError, and no form yields more than MAX_FORM_FIELDS fields, so a body of tiny parts
cannot fill the memory with them.
"""

from __future__ import annotations

from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import collapse_rfc2231_value
from urllib.parse import parse_qsl

from .exceptions import InvalidReadError

MULTIPART = "multipart/form-data"
URLENCODED = "application/x-www-form-urlencoded"
# Plate Recognizer posts two fields; room for a sender that adds a few.
MAX_FORM_FIELDS = 8
# A part's headers (Content-Disposition, Content-Type) take a few hundred bytes.
MAX_PART_HEADERS = 8 * 1024
# RFC 2046 5.1.1: a boundary is 1 to 70 characters.
MAX_BOUNDARY = 70
_CRLF = b"\r\n"
_HEADERS_END = b"\r\n\r\n"


def form_fields(body: bytes, content_type: str) -> dict[str, bytes] | None:
    """The fields of a form body by name; None when the Content-Type names no form (JSON, say).

    Raises InvalidReadError for a form that does not parse, repeats a field or has more than
    MAX_FORM_FIELDS.
    """
    header = Message()
    header["content-type"] = content_type
    media_type = header.get_content_type()
    if media_type == URLENCODED:
        return _urlencoded(body)
    if media_type != MULTIPART:
        return None
    boundary = header.get_param("boundary")
    text = collapse_rfc2231_value(boundary) if boundary is not None else ""
    if not 0 < len(text) <= MAX_BOUNDARY or not text.isascii():
        raise InvalidReadError("multipart body without a valid boundary")
    return _multipart(body, b"--" + text.encode())


def _urlencoded(body: bytes) -> dict[str, bytes]:
    try:
        pairs = parse_qsl(
            body.decode(), keep_blank_values=True, errors="strict", max_num_fields=MAX_FORM_FIELDS
        )
    except ValueError as err:  # UnicodeDecodeError too
        raise InvalidReadError(
            f"form is not UTF-8 or has more than {MAX_FORM_FIELDS} fields"
        ) from err
    fields: dict[str, bytes] = {}
    for name, value in pairs:
        _add(fields, name, value.encode())
    return fields


def _multipart(body: bytes, dash_boundary: bytes) -> dict[str, bytes]:
    """The parts between the delimiters; the preamble and the epilogue are ignored."""
    if body.startswith(dash_boundary):
        position = len(dash_boundary)
    elif (first := body.find(_CRLF + dash_boundary)) >= 0:
        position = first + len(_CRLF + dash_boundary)
    else:
        raise InvalidReadError("multipart body without its boundary")
    fields: dict[str, bytes] = {}
    delimiter = _CRLF + dash_boundary
    parts = 0
    while not body.startswith(b"--", position):  # the close delimiter ends the body
        parts += 1
        if parts > MAX_FORM_FIELDS:
            raise InvalidReadError(f"form has more than {MAX_FORM_FIELDS} fields")
        # The rest of the delimiter's line (transport padding), then the part's headers.
        if (line_end := body.find(_CRLF, position)) < 0 or (
            headers_end := body.find(_HEADERS_END, line_end, line_end + MAX_PART_HEADERS)
        ) < 0:
            raise InvalidReadError(f"multipart part without headers of at most {MAX_PART_HEADERS}")
        content_start = headers_end + len(_HEADERS_END)
        if (content_end := body.find(delimiter, content_start)) < 0:
            raise InvalidReadError("multipart body cut short")
        if (name := _part_name(body[line_end:headers_end])) is not None:
            _add(fields, name, body[content_start:content_end])
        position = content_end + len(delimiter)
    return fields


def _part_name(headers: bytes) -> str | None:
    """The name its Content-Disposition gives a part (`form-data; name="json"`)."""
    name = (
        BytesHeaderParser()
        .parsebytes(headers.lstrip())
        .get_param("name", header="content-disposition")
    )
    return None if name is None else collapse_rfc2231_value(name)


def _add(fields: dict[str, bytes], name: str, value: bytes) -> None:
    if name in fields:
        raise InvalidReadError("form repeats a field")
    if len(fields) == MAX_FORM_FIELDS:
        raise InvalidReadError(f"form has more than {MAX_FORM_FIELDS} fields")
    fields[name] = value
