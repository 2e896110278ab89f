"""Where a read's fields are in another integration's data: an entity's attributes, an event's data.

A field is found by a dotted path (`TrafficCar.PlateNumber`, `attributes.color.val`; a number
picks from a list), walked a bounded number of steps: an event of megabytes costs no more than
a small one. The words of the other integration are read with the cameras' vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..lpr import Direction, PlateRead
from ..lpr.models import checked_plate
from ..lpr.values import as_confidence, as_enum, as_text
from ..lpr.vocabulary import COLOURS, DIRECTIONS, VEHICLE_TYPES

# A path is at most this many keys, each at most MAX_KEY_LENGTH characters.
MAX_PATH_KEYS = 8
MAX_KEY_LENGTH = 64
_LIST_INDEX = re.compile(r"\d{1,3}")
# What other integrations show where there is no plate (Frigate's sensor says `Unknown` before
# its first plate and `None` after its reset, Hikvision `unknown`); Home Assistant's own states.
NO_PLATE = frozenset({"unknown", "unavailable", "none"})


def is_path(text: str) -> bool:
    """Whether a user's text is a path this module walks."""
    keys = text.split(".")
    return len(keys) <= MAX_PATH_KEYS and all(0 < len(key) <= MAX_KEY_LENGTH for key in keys)


def value_at(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, or None where the path leads nowhere."""
    value: Any = data
    for key in path.split("."):  # at most MAX_PATH_KEYS: the form refuses more
        if isinstance(value, Mapping):
            value = value.get(key)
        elif isinstance(value, list) and _LIST_INDEX.fullmatch(key) and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value


def plate_in(value: Any) -> str | None:
    """The plate a value is; None for no plate. Raises InvalidReadError past 32 characters."""
    text = as_text(value)
    if text is None or text.casefold() in NO_PLATE:
        return None
    return checked_plate(text)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadMapping:
    """The paths of a read's fields but its plate in another integration's data (None: none)."""

    direction: str | None = None
    confidence: str | None = None
    vehicle_type: str | None = None
    vehicle_colour: str | None = None
    vehicle_brand: str | None = None
    region: str | None = None
    # Its words for a direction, by `word_key`: the cameras' vocabulary unless it has its own.
    directions: Mapping[str, Direction] = field(default_factory=lambda: DIRECTIONS)

    def read(self, plate: str, fields: Mapping[str, Any], time: datetime) -> PlateRead:
        """The read of a plate, with the other fields the data has."""
        return PlateRead(
            plate=plate,
            time=time,
            direction=as_enum(self._at(fields, self.direction), self.directions)
            or Direction.UNKNOWN,
            confidence=as_confidence(self._at(fields, self.confidence)),
            vehicle_type=as_enum(self._at(fields, self.vehicle_type), VEHICLE_TYPES),
            vehicle_colour=as_enum(self._at(fields, self.vehicle_colour), COLOURS),
            vehicle_brand=as_text(self._at(fields, self.vehicle_brand)),
            region=as_text(self._at(fields, self.region)),
        )

    @staticmethod
    def _at(fields: Mapping[str, Any], path: str | None) -> Any:
        return None if path is None else value_at(fields, path)
