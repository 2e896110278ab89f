"""The simulated TCP camera and its reads, as the tests, the benchmarks and the demo use them."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime

import pytest
from PIL import Image

from custom_components.lpr_camera.lpr.jpeg import jpeg_frame_size
from custom_components.lpr_camera.lpr.tcp_codec import decode_recognition, encode_recognition
from simulator.reads import (
    DEMO_PLATES,
    FULL_SIZE,
    PLATE_SIZE,
    SAMPLE_PLATE_BOX,
    make_jpeg,
    make_snapshot,
    random_read,
    sample_read,
)
from simulator.tcp import CameraSimulator


def test_make_jpeg_noise_makes_large_pictures() -> None:
    plain = make_jpeg(320, 120, "AB1234")
    noisy = make_jpeg(320, 120, "AB1234", noise=True)

    assert jpeg_frame_size(noisy) == (320, 120)
    assert len(noisy) > 5 * len(plain)
    assert 20_000 < len(noisy) < 45_000  # the benchmarks' "about 30 KB"


def ink_box(jpeg: bytes) -> tuple[int, int, int, int] | None:
    """Left, top, right and bottom of the text's ink (the dark pixels) on the picture."""
    image = Image.open(io.BytesIO(jpeg)).convert("L")
    return image.point(lambda value: 255 if value < 128 else 0).getbbox()


@pytest.mark.parametrize("plate", DEMO_PLATES)
def test_every_demo_plate_fits_its_pictures(plate: str) -> None:
    for width, height in (FULL_SIZE, PLATE_SIZE):
        box = ink_box(make_jpeg(width, height, plate))

        # Ink, but not to the edges: the plate is drawn whole, never cut off.
        assert box is not None
        left, _, right, _ = box
        assert left > width * 0.03
        assert right < width * 0.97


@pytest.mark.parametrize("plate", DEMO_PLATES)
def test_the_snapshot_shows_the_plate_in_its_plate_box(plate: str) -> None:
    """A viewer that marks the read's plate box on the snapshot marks the plate, all of it."""
    box = SAMPLE_PLATE_BOX
    snapshot = Image.open(io.BytesIO(make_snapshot(plate)))
    inside = snapshot.crop((box.x1 + 4, box.y1 + 4, box.x2 - 4, box.y2 - 4))
    output = io.BytesIO()
    inside.save(output, "JPEG")

    ink = ink_box(output.getvalue())
    assert ink is not None
    left, _, right, _ = ink
    assert left > 0
    assert right < inside.width


def test_hangul_is_drawn_as_letters_not_boxes() -> None:
    # A font without Hangul draws every syllable as the same box.
    drawn = {make_jpeg(200, 50, syllable) for syllable in "부산가"}

    assert len(drawn) == 3


def test_sample_read_round_trips() -> None:
    read = sample_read("AB1234", time=datetime(2026, 1, 2, 3, 4, 5, 678999, tzinfo=UTC))

    decoded = decode_recognition(encode_recognition(read))

    assert read.time.microsecond == 678000
    assert jpeg_frame_size(read.full_image or b"") == (1280, 720)
    assert jpeg_frame_size(read.plate_image or b"") == (200, 50)
    assert decoded.as_dict() | {"raw": {}} == read.as_dict()
    assert (decoded.plate_image, decoded.full_image) == (read.plate_image, read.full_image)


def test_random_read_is_reproducible() -> None:
    first = random_read(random.Random(1))  # noqa: S311 - reproducible test data
    second = random_read(random.Random(1))  # noqa: S311

    assert first.plate in DEMO_PLATES
    assert first.as_dict() | {"time": None} == second.as_dict() | {"time": None}


@pytest.mark.usefixtures("socket_enabled")
async def test_wait_for_client_times_out_without_a_client() -> None:
    camera = CameraSimulator()
    await camera.start()
    try:
        assert camera.port > 0
        assert camera.client_count == 0
        with pytest.raises(TimeoutError):
            await camera.wait_for_client(timeout=0.01)
        await camera.push(sample_read("NOBODY"))  # no client: nothing to do
    finally:
        await camera.stop()
    await camera.stop()  # twice is harmless
