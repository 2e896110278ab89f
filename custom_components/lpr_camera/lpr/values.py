"""Lenient conversions of the loosely typed values cameras send (JSON, XML, RTSP and SDP)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any

from .vocabulary import word_key

# int() of more digits is slow, and refused beyond 4300; 18 digits stay within 64 bits.
_MAX_DIGITS = 18
# Clocks outside these years are garbage, and would overflow time zone arithmetic.
YEARS = range(1970, 9999)
# An ISO 8601 time is at most 32 characters (`2025-07-15T13:59:04.123456+05:30`); fromisoformat
# of longer text is work for nothing.
_MAX_TIME_TEXT = 40


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


def as_iso_time(value: Any, zone: tzinfo) -> datetime | None:
    """An ISO 8601 time (`2025-07-15T13:59:04Z`, `2025-09-09 23:22:38.030345`), or None.

    A time without an offset is in `zone`.
    """
    text = as_text(value)
    if text is None or len(text) > _MAX_TIME_TEXT:
        return None
    try:
        time = datetime.fromisoformat(text)
    except ValueError:
        return None
    if time.year not in YEARS:
        return None
    return time if time.tzinfo is not None else time.replace(tzinfo=zone)
