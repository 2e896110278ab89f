"""Lenient conversions of the loosely typed values cameras send (JSON, XML, RTSP and SDP)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from .vocabulary import word_key

# int() of more digits is slow, and refused beyond 4300; 18 digits stay within 64 bits.
_MAX_DIGITS = 18


def as_text(value: Any) -> str | None:
    """A value as text; `-`, empty and null mean absent, and so do true, false and structures."""
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    text = str(value).strip()
    return None if text in ("", "-") else text


def as_number(value: Any) -> float | None:
    """A finite number, or None."""
    text = as_text(value)
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def as_ascii_integer(text: str) -> int | None:
    """A whole number in ASCII digits only, at most _MAX_DIGITS of them; None for anything else.

    str.isdigit() alone takes `²`, which int() refuses; int() takes `٣`, signs and spaces.
    """
    if not 0 < len(text) <= _MAX_DIGITS or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def as_confidence(value: Any) -> float | None:
    """0..1; some firmware sends a percentage."""
    number = as_number(value)
    if number is None or not 0 <= number <= 100:
        return None
    return number / 100 if number > 1 else number


def as_enum[T: StrEnum](value: Any, known: Mapping[str, T]) -> T | str | None:
    """Look a word up in a vocabulary table; a word it lacks is kept as the camera wrote it."""
    text = as_text(value)
    if text is None:
        return None
    return known.get(word_key(text), text)
