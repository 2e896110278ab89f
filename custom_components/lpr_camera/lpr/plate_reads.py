"""A request that carries several plates: several vehicles in one picture, a read each, bounded.

Plate Recognizer's results and CodeProject.AI's predictions list every plate found in a picture.
Each is a vehicle of its own (two lanes at one gate), so each is a read; the same plate twice in
one request is one vehicle, read once. A picture with more plates than MAX_READS_PER_REQUEST is
a car park, not a gate: the plates past it are left out and counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .matching import normalise
from .models import PlateRead, checked_plate

MAX_READS_PER_REQUEST = 8


@dataclass(frozen=True, slots=True)
class PlateReads:
    """The reads of one request, and how many plates past MAX_READS_PER_REQUEST were left out."""

    reads: tuple[PlateRead, ...] = ()
    left_out: int = 0


def first_plates[T](
    found: Iterable[T], plate_of: Callable[[T], str | None]
) -> tuple[list[tuple[str, T]], int]:
    """Each plate found with what it was found in, once, the first MAX_READS_PER_REQUEST only.

    In the order sent; `plate_of` gives None for what holds no plate. Also returns how many
    were left out. A plate longer than MAX_PLATE_LENGTH raises InvalidReadError, wherever it is:
    a body with garbage in it is refused whole.
    """
    kept: dict[str, tuple[str, T]] = {}
    left_out = 0
    for item in found:
        if (plate := plate_of(item)) is None:
            continue
        plate = checked_plate(plate)
        if (key := normalise(plate)) in kept:
            continue
        if len(kept) == MAX_READS_PER_REQUEST:
            left_out += 1
        else:
            kept[key] = (plate, item)
    return list(kept.values()), left_out
