"""Plates are personal data: what leaves for a log or a bug report carries them masked."""

from __future__ import annotations

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
