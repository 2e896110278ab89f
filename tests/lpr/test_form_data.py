"""The fields of a posted form, multipart or urlencoded, bounded."""

from __future__ import annotations

import pytest

from custom_components.lpr_camera.lpr import InvalidReadError
from custom_components.lpr_camera.lpr.form_data import (
    MAX_FORM_FIELDS,
    MAX_PART_HEADERS,
    form_fields,
)

BOUNDARY = "----7d4a1f2b3c"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def part(name: str, content: bytes, *headers: str) -> bytes:
    disposition = f'Content-Disposition: form-data; name="{name}"'
    lines = "\r\n".join((disposition, *headers))
    return f"--{BOUNDARY}\r\n{lines}\r\n\r\n".encode() + content + b"\r\n"


def multipart(*parts: bytes) -> bytes:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def test_a_form_with_a_file() -> None:
    """As Plate Recognizer's "Webhook with Image" posts it: JSON, then the picture's bytes."""
    picture = b"\xff\xd8\xff\xe0\r\n--not-the-boundary\r\n\xff\xd9"
    body = multipart(
        part("json", b'{"data": {}}'),
        part("upload", picture, "Content-Type: image/jpeg"),
    ).replace(b'name="upload"', b'name="upload"; filename="image.jpg"')

    assert form_fields(body, MULTIPART) == {"json": b'{"data": {}}', "upload": picture}


def test_preamble_epilogue_padding_and_a_quoted_boundary() -> None:
    body = b"a preamble\r\n" + multipart(part("json", b"{}")) + b"an epilogue"
    body = body.replace(f"--{BOUNDARY}\r\n".encode(), f"--{BOUNDARY}  \r\n".encode(), 1)

    assert form_fields(body, f'multipart/form-data; boundary="{BOUNDARY}"') == {"json": b"{}"}


def test_a_part_without_a_name_is_skipped() -> None:
    body = multipart(
        f"--{BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nno name\r\n".encode(),
        part("json", b"{}"),
    )

    assert form_fields(body, MULTIPART) == {"json": b"{}"}


def test_urlencoded() -> None:
    """Stream's data-only webhook: a form with the JSON in its `json` field."""
    body = b"json=%7B%22data%22%3A+%7B%7D%7D"

    fields = form_fields(body, "application/x-www-form-urlencoded; charset=utf-8")

    assert fields == {"json": b'{"data": {}}'}


@pytest.mark.parametrize(
    "content_type", ["application/json", "", "text/plain", "garbage; ;;", "multipart/mixed"]
)
def test_no_form(content_type: str) -> None:
    assert form_fields(b"{}", content_type) is None


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"{}", "multipart/form-data", "without a valid boundary"),
        (b"{}", "multipart/form-data; boundary=" + "x" * 71, "without a valid boundary"),
        (b"{}", "multipart/form-data; boundary=\u00e9", "without a valid boundary"),
        (b"{}", MULTIPART, "without its boundary"),
        (part("json", b"{}"), MULTIPART, "cut short"),
        (f"--{BOUNDARY}\r\nContent-Disposition: form-data".encode(), MULTIPART, "headers"),
        (
            f"--{BOUNDARY}\r\nX: {'y' * MAX_PART_HEADERS}\r\n\r\n{{}}\r\n--{BOUNDARY}--".encode(),
            MULTIPART,
            "headers",
        ),
        (multipart(part("json", b"1"), part("json", b"2")), MULTIPART, "repeats a field"),
        (
            multipart(*(part(f"f{n}", b"") for n in range(MAX_FORM_FIELDS + 1))),
            MULTIPART,
            f"more than {MAX_FORM_FIELDS} fields",
        ),
        (
            multipart(*(b"--" + BOUNDARY.encode() + b"\r\n\r\n\r\n",) * (MAX_FORM_FIELDS + 1)),
            MULTIPART,
            f"more than {MAX_FORM_FIELDS} fields",
        ),
        (b"json=1&json=2", "application/x-www-form-urlencoded", "repeats a field"),
        (b"&".join([b"a=1"] * (MAX_FORM_FIELDS + 1)), "application/x-www-form-urlencoded", "more"),
        (b"json=%ff", "application/x-www-form-urlencoded", "not UTF-8"),
        (b"json=\xff", "application/x-www-form-urlencoded", "not UTF-8"),
    ],
    ids=[
        "no boundary",
        "boundary too long",
        "boundary not ascii",
        "boundary not in the body",
        "no close",
        "no end of headers",
        "headers too long",
        "field twice",
        "too many fields",
        "too many nameless parts",
        "urlencoded field twice",
        "urlencoded too many fields",
        "urlencoded escaped not utf-8",
        "urlencoded not utf-8",
    ],
)
def test_a_form_that_is_no_form_is_refused(body: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(InvalidReadError, match=reason):
        form_fields(body, content_type)
