"""Whatever a webhook source's sender posts, only the library's errors escape, bounded.

Property tests, as test_http_push_properties.py's: Hypothesis makes forms (any bytes under any
Content-Type, well-formed parts cut short), Plate Recognizer payloads and ALPR-Database bodies of
the senders' keys with any values. Each read must be fit for Home Assistant's bus and database,
and a request yields at most MAX_READS_PER_REQUEST of them, one per plate.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from custom_components.lpr_camera.lpr import LprError
from custom_components.lpr_camera.lpr.alpr_database import parse_plate_reads
from custom_components.lpr_camera.lpr.form_data import MAX_FORM_FIELDS, form_fields
from custom_components.lpr_camera.lpr.matching import normalise
from custom_components.lpr_camera.lpr.plate_reads import MAX_READS_PER_REQUEST, PlateReads
from custom_components.lpr_camera.lpr.plate_recognizer import parse_webhook
from tests.webhook_payloads import JPEG, blue_iris_body, stream_payload, stream_result

from .test_form_data import MULTIPART, multipart, part
from .test_http_push_properties import EXAMPLES, check, plates, values

RECEIVED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CONTENT_TYPES = (
    MULTIPART,
    "multipart/form-data; boundary=",
    'multipart/form-data; boundary="a b"',
    "multipart/form-data; boundary*=utf-8''%C3%A9",
    "application/x-www-form-urlencoded",
    "application/json",
    "",
)
content_types = st.sampled_from(CONTENT_TYPES) | st.text(max_size=60)
RESULT_KEYS = (*stream_result(), "user_data")
PREDICTION_KEYS = ("plate", "confidence", "label", "x_min", "y_min", "x_max", "y_max")


def cut(draw: st.DrawFn, body: bytes) -> bytes:
    """The body, cut short once in a while."""
    if draw(st.sampled_from((False,) * 7 + (True,))):
        return body[: draw(st.integers(0, len(body)))]
    return body


@EXAMPLES
@given(st.binary(max_size=2048), content_types)
def test_any_form(body: bytes, content_type: str) -> None:
    try:
        fields = form_fields(body, content_type)
    except LprError:
        return
    assert fields is None or len(fields) <= MAX_FORM_FIELDS


@st.composite
def forms(draw: st.DrawFn) -> tuple[list[tuple[str, bytes]], bytes]:
    """Well-formed parts (a field's bytes never hold the boundary), the body cut short at times."""
    fields = draw(
        st.lists(
            st.tuples(st.text("abcjsonupload", min_size=1, max_size=6), st.binary(max_size=64)),
            max_size=MAX_FORM_FIELDS + 2,
            unique_by=lambda field: field[0],
        )
    )
    body = multipart(*(part(name, content) for name, content in fields))
    return fields, cut(draw, body)


@EXAMPLES
@given(forms())
def test_a_form_gives_its_fields(form: tuple[list[tuple[str, bytes]], bytes]) -> None:
    fields, body = form
    try:
        found = form_fields(body, MULTIPART)
    except LprError:
        whole = multipart(*(part(name, content) for name, content in fields))
        assert body != whole or len(fields) > MAX_FORM_FIELDS
        return
    assert found == dict(fields)


results = st.dictionaries(
    st.sampled_from(RESULT_KEYS) | st.text(max_size=8), values, max_size=8
).map(lambda result: result | {"plate": result.get("plate", "AB123")})
results_with_plates = st.builds(lambda result, plate: result | {"plate": plate}, results, plates)


@st.composite
def plate_recognizer_bodies(draw: st.DrawFn) -> tuple[bytes, str]:
    """A payload as Stream or Snapshot would write it, in any of its three bodies."""
    payload = stream_payload(*draw(st.lists(results_with_plates, max_size=12)))
    payload["data"].update(
        draw(st.dictionaries(st.sampled_from(("timestamp", "camera_id")), values))
    )
    if draw(st.booleans()):
        payload["hook"] = draw(values)
    text = json.dumps(payload, ensure_ascii=draw(st.booleans()))
    document = text.encode("utf-8", "surrogatepass")
    shape = draw(st.sampled_from(("json", "form", "multipart")))
    if shape == "json":
        return cut(draw, document), "application/json"
    if shape == "form":
        return cut(
            draw, urlencode({"json": document}).encode()
        ), "application/x-www-form-urlencoded"
    return cut(draw, multipart(part("json", document), part("upload", JPEG))), MULTIPART


@EXAMPLES
@given(plate_recognizer_bodies())
def test_any_plate_recognizer_payload(posted: tuple[bytes, str]) -> None:
    body, content_type = posted
    try:
        found = parse_webhook(body, content_type, received_at=RECEIVED)
    except LprError:
        return
    check_reads(found)


@EXAMPLES
@given(st.binary(max_size=2048), content_types)
def test_any_bytes_to_plate_recognizer(body: bytes, content_type: str) -> None:
    try:
        check_reads(parse_webhook(body, content_type, received_at=RECEIVED))
    except LprError:
        return


predictions = st.dictionaries(
    st.sampled_from(PREDICTION_KEYS) | st.text(max_size=8), values, max_size=8
)


@st.composite
def blue_iris_bodies(draw: st.DrawFn) -> bytes:
    """ALPR-Database's body as Blue Iris would post it, its fields and predictions any values."""
    body: dict[str, Any] = blue_iris_body()
    alpr = body["ai_dump"][1]["found"]
    alpr["predictions"] = draw(
        st.lists(st.builds(lambda p, plate: p | {"plate": plate}, predictions, plates), max_size=12)
    )
    keys = st.sampled_from(("Image", "camera", "timestamp", "plate_number", "ai_dump", "memo"))
    body.update(draw(st.dictionaries(keys | st.text(max_size=8), values, max_size=4)))
    return cut(
        draw, json.dumps(body, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    )


@EXAMPLES
@given(blue_iris_bodies())
def test_any_blue_iris_body(body: bytes) -> None:
    try:
        found = parse_plate_reads(body, timezone=UTC, received_at=RECEIVED)
    except LprError:
        return
    assert found.reads
    check_reads(found)


def check_reads(found: PlateReads) -> None:
    """At most MAX_READS_PER_REQUEST reads, one per plate, each fit for Home Assistant."""
    assert len(found.reads) <= MAX_READS_PER_REQUEST
    assert found.left_out == 0 or len(found.reads) == MAX_READS_PER_REQUEST
    assert len({normalise(read.plate) for read in found.reads}) == len(found.reads)
    for read in found.reads:
        check(read)
