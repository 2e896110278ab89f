"""Plates are personal data: what leaves for a log or a bug report carries them masked."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from .matching import normalise

MASK = "*"
# Shorter plates are masked whole: keeping both ends would keep all of them.
_MIN_UNMASKED_LENGTH = 3


def mask_plate(plate: str) -> str:
    """The plate with all but its first and last character masked: `AB1234` -> `A****4`."""
    if len(plate) < _MIN_UNMASKED_LENGTH:
        return MASK * len(plate)
    return plate[0] + MASK * (len(plate) - 2) + plate[-1]


def mask_bytes(data: bytes) -> bytes:
    """mask_plate for a plate's bytes (any encoding): the length stays, the layout with it."""
    if len(data) < _MIN_UNMASKED_LENGTH:
        return MASK.encode() * len(data)
    return data[:1] + MASK.encode() * (len(data) - 2) + data[-1:]


def mask_plates(value: Any, plates: Iterable[str]) -> Any:
    """A copy of a JSON-like value (dicts, lists, text, numbers), every writing of a plate masked.

    Plates are found as matching compares them (normalised: case, spaces, dashes, look-alike
    letters of other scripts), so the plate `ab 123` masks `AB-123`, inside longer text too, and
    in keys as in values. Each occurrence is masked as mask_plate masks a plate (the ends kept,
    unless another occurrence hides them); a number that holds a plate becomes its masked text.
    Keys that mask alike become one. A plate with the MASK character in it stays findable in
    what its masking leaves.
    """
    return _masked(value, {found for plate in plates if (found := normalise(plate))})


def _masked(value: Any, plates: Collection[str]) -> Any:
    if isinstance(value, str):
        return _masked_text(value, plates)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        masked = _masked_text(text := str(value), plates)
        return value if masked == text else masked
    if isinstance(value, Mapping):
        return {_masked(key, plates): _masked(item, plates) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked(item, plates) for item in value]
    return value


def _masked_text(text: str, plates: Collection[str]) -> str:
    whole = normalise(text)
    if not any(plate in whole for plate in plates):
        return text
    # Normalised character by character, to know where each normalised character came from.
    pieces = [normalise(char) for char in text]
    normalised = "".join(pieces)
    origin = [index for index, piece in enumerate(pieces) for _ in piece]
    hidden: set[int] = set()
    for plate in plates:
        start = normalised.find(plate)
        while start >= 0:
            first, last = origin[start], origin[start + len(plate) - 1]
            # As mask_plate: both ends kept, unless that keeps too much of it.
            if last + 1 - first >= _MIN_UNMASKED_LENGTH:
                first, last = first + 1, last - 1
            hidden.update(range(first, last + 1))
            start = normalised.find(plate, start + 1)
    return "".join(MASK if index in hidden else char for index, char in enumerate(text))
