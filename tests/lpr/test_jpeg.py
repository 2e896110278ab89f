"""Reading a JPEG's frame size from its markers."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from custom_components.lpr_camera.lpr.jpeg import jpeg_frame_size
from simulator.reads import make_jpeg

# SOI, an APP0 segment, a DHT segment (C4: not a frame), SOF0 of 200x50.
HANDMADE = (
    b"\xff\xd8"
    b"\xff\xe0\x00\x04ab"
    b"\xff\xc4\x00\x03x"
    b"\xff\xc0\x00\x0b\x08\x00\x32\x00\xc8\x01\x01\x11\x00"
)


@pytest.mark.parametrize(("width", "height"), [(200, 50), (1280, 720), (1, 1)])
def test_baseline(width: int, height: int) -> None:
    assert jpeg_frame_size(make_jpeg(width, height, "AB1234")) == (width, height)


def test_progressive() -> None:
    output = io.BytesIO()
    Image.new("RGB", (640, 360)).save(output, "JPEG", progressive=True)
    assert output.getvalue()[:2] == b"\xff\xd8"
    assert jpeg_frame_size(output.getvalue()) == (640, 360)


def test_handmade_segments_and_memoryview() -> None:
    assert jpeg_frame_size(HANDMADE) == (200, 50)
    assert jpeg_frame_size(memoryview(b"junk" + HANDMADE)[4:]) == (200, 50)


def test_fill_bytes_and_standalone_markers_before_the_frame() -> None:
    data = HANDMADE[:2] + b"\xff\xff\xff\xd0" + HANDMADE[2:]
    assert jpeg_frame_size(data) == (200, 50)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff", id="one byte"),
        pytest.param(b"\x89PNG\r\n\x1a\n", id="png"),
        pytest.param(b"\xff\xd8\xff\xda\x00\x02", id="scan before frame"),
        pytest.param(b"\xff\xd8\xff\xd9", id="empty image"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x01abcd", id="segment length below 2"),
        pytest.param(b"\xff\xd8\x00\x00\x00\x00", id="no marker"),
        pytest.param(b"\xff\xd8\xff\xe0\xff\xff", id="segment past the end"),
    ],
)
def test_not_a_usable_jpeg(data: bytes) -> None:
    assert jpeg_frame_size(data) is None


def test_every_truncation_is_none_or_the_size() -> None:
    data = make_jpeg(200, 50, "AB1234")
    results = {jpeg_frame_size(data[:end]) for end in range(len(data) + 1)}
    assert results == {None, (200, 50)}


def test_garbage_never_raises() -> None:
    rng = random.Random(4711)  # noqa: S311 - reproducible test data
    for _ in range(2000):
        data = b"\xff\xd8" + bytes(
            rng.choice((0xFF, 0xC0, 0x00, 0x02, rng.randrange(256))) for _ in range(40)
        )
        size = jpeg_frame_size(data)
        assert size is None or all(0 <= value <= 0xFFFF for value in size)
