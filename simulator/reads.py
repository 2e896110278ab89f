"""Reads as a camera makes them, with their pictures (drawn with Pillow), for every type."""

from __future__ import annotations

import dataclasses
import io
import random
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from custom_components.lpr_camera.lpr.models import (
    Colour,
    Direction,
    ListType,
    PlateBox,
    PlateRead,
    RadarData,
    VehicleType,
)

DEMO_PLATES = ("AB1234", "MS12345", "WOB ZK 512", "부산 02가 1234", "B-XY 4711", "KA 01 AB 1234")
SAMPLE_DEVICE_ID = "04f912bbce94654089afe83cd88f70be"
FULL_SIZE = (1280, 720)
PLATE_SIZE = (200, 50)
# Where the sample read's plate is on its snapshot (FULL_SIZE).
SAMPLE_PLATE_BOX = PlateBox(540, 500, 740, 550)
# Latin-1 and the Hangul of Korean plates (fonts/FONTLOG.txt), so no plate is drawn as boxes.
PICTURE_FONT = Path(__file__).parent / "fonts" / "LprSimulatorGothic.ttf"
# The text's share of the picture's width at most: a long plate is made smaller, never cut.
TEXT_WIDTH_SHARE = 0.9


def make_jpeg(
    width: int, height: int, text: str, *, noise: bool = False, quality: int = 85
) -> bytes:
    """Draw the text on a picture of that size, as large as fits; noise makes a large JPEG.

    Sizes for benchmarks: 320x120 with noise is about 30 KB, 1280x720 with noise at
    quality 40 about 300 KB.
    """
    size = (width, height)
    if noise:
        image = Image.frombytes("RGB", size, random.randbytes(width * height * 3))  # noqa: S311
    else:
        image = Image.new("RGB", size, "white")
    _draw_text(image, (0, 0, width, height), text, height // 3)
    return _jpeg(image, quality)


def make_snapshot(plate: str, box: PlateBox = SAMPLE_PLATE_BOX) -> bytes:
    """A full snapshot of FULL_SIZE: a car seen from the front, its plate drawn in the box.

    The box is the read's plate box, so a viewer that marks the box on the snapshot marks the plate.
    """
    image = Image.new("RGB", FULL_SIZE, "#6f7a80")  # the road
    draw = ImageDraw.Draw(image)
    centre, width = (box.x1 + box.x2) // 2, (box.x2 - box.x1) * 3
    body = (centre - width // 2, box.y1 - 260, centre + width // 2, box.y2 + 60)
    draw.rounded_rectangle(body, radius=60, fill="#e8e8e8", outline="#3a3a3a", width=4)
    windscreen = (body[0] + 70, body[1] + 30, body[2] - 70, body[1] + 150)
    draw.rounded_rectangle(windscreen, radius=30, fill="#9bb7c8")
    for side in (body[0] + 40, body[2] - 140):
        draw.rounded_rectangle(
            (side, box.y1 - 90, side + 100, box.y1 - 50), radius=12, fill="#f4e27a"
        )
    draw.rectangle((box.x1, box.y1, box.x2, box.y2), fill="#f7d117", outline="black", width=3)
    _draw_text(
        image, (box.x1 + 6, box.y1 + 3, box.x2 - 6, box.y2 - 3), plate, (box.y2 - box.y1) * 3 // 4
    )
    return _jpeg(image, 85)


def _draw_text(image: Image.Image, area: tuple[int, int, int, int], text: str, size: int) -> None:
    """Draw the text centred in the area, at the size or smaller: a long plate is never cut."""
    left, top, right, bottom = area
    width = right - left
    font = ImageFont.truetype(PICTURE_FONT, max(size, 10))
    if (length := font.getlength(text)) > width * TEXT_WIDTH_SHARE:
        font = font.font_variant(size=max(int(font.size * width * TEXT_WIDTH_SHARE / length), 1))
    ImageDraw.Draw(image).text(
        ((left + right) // 2, (top + bottom) // 2), text, fill="black", font=font, anchor="mm"
    )


def _jpeg(image: Image.Image, quality: int) -> bytes:
    output = io.BytesIO()
    image.save(output, "JPEG", quality=quality)
    return output.getvalue()


def sample_read(plate: str, *, time: datetime | None = None) -> PlateRead:
    """A firmware 1.6 read of an approaching white car: a 1280x720 snapshot and a plate crop."""
    return PlateRead(
        plate=plate,
        # The protocol carries milliseconds: a coarser time survives the round trip unchanged.
        time=_whole_milliseconds(time or datetime.now(UTC)),
        device_id=SAMPLE_DEVICE_ID,
        direction=Direction.APPROACHING,
        speed=30.0,
        vehicle_type=VehicleType.CAR,
        vehicle_colour=Colour.WHITE,
        plate_colour=Colour.YELLOW,
        list_type=ListType.VISITOR,
        region="WOB/ZK",
        detection_region=1,
        confidence=0.9,
        plate_box=SAMPLE_PLATE_BOX,
        resolution=FULL_SIZE,
        plate_image=make_jpeg(*PLATE_SIZE, plate),
        full_image=make_snapshot(plate),
    )


def random_read(rng: random.Random | None = None) -> PlateRead:
    """A read of a plate from DEMO_PLATES with random direction, vehicle and list."""
    rng = rng or random.Random()  # noqa: S311 - demo data, not cryptography
    return dataclasses.replace(
        sample_read(rng.choice(DEMO_PLATES)),
        direction=rng.choice([Direction.APPROACHING, Direction.DEPARTING]),
        speed=float(rng.randint(5, 60)),
        vehicle_type=rng.choice(list(VehicleType)),
        vehicle_colour=rng.choice(list(Colour)),
        list_type=rng.choice(list(ListType)),
        confidence=round(rng.uniform(0.6, 1.0), 2),
        radar=RadarData(rng.randint(5, 40), round(rng.uniform(-20, 20), 1), 1),
    )


def _whole_milliseconds(time: datetime) -> datetime:
    return time.replace(microsecond=time.microsecond // 1000 * 1000)
