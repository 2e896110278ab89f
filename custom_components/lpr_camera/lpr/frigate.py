"""Frigate's MQTT messages of licence plates (Frigate 0.16 and newer), and one read per object.

What Frigate publishes, as its documentation (docs/docs/integrations/mqtt.md) and its LPR code
(frigate/data_processing/common/license_plate/mixin.py, `lpr_process`) in
github.com/blakeblackshear/frigate show them:

- `<prefix>/tracked_object_update` with `"type": "lpr"`: `id` (the tracked object's), `name`
  (Frigate's own name of a known plate, or null), `plate`, `score` (0..1), `camera`,
  `timestamp` (seconds since the epoch) and, since 0.18, `plate_box` ([x1, y1, x2, y2] in the
  frame it read). Frigate sends one whenever it reads the object's plate better (0.16, 0.17), or
  at every frame it reads, with the plate its reads so far agree on (0.18).
- `<prefix>/events`, `{"type": "new" | "update" | "end", "before": {...}, "after": {...}}`: the
  tracked object, with `recognized_license_plate` and `recognized_license_plate_score` once it
  has a plate, and the zones it entered (`entered_zones`).
- `<prefix>/available` (retained): `online`; `offline` (the broker, as Frigate's will) or
  `stopped` (0.17 and newer, as Frigate stops).

Transport free: the caller subscribes and hands over each message's payload. Nothing a message
holds raises anything but InvalidReadError.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .exceptions import InvalidReadError
from .http_push import json_object
from .models import PlateRead, checked_plate

TOPIC_PLATE_UPDATES = "tracked_object_update"
TOPIC_EVENTS = "events"
TOPIC_AVAILABLE = "available"
DEFAULT_TOPIC_PREFIX = "frigate"

# Frigate's messages are a few kilobytes: one larger is no Frigate message, and is refused
# before it is parsed (on the event loop, which a small message does not hold up).
MAX_MESSAGE_BYTES = 64 * 1024
# Frigate reads a moving car's plate at every frame it runs on (5 a second by default) and
# sends each better read. Two seconds hold about ten of them, enough for its reads to agree on
# the plate (0.18 clusters them), while a gate still opens within a car's last metres to it.
SETTLE_SECONDS = 2.0
# Objects in their settle window at once: far more than the vehicles one Frigate sees in two
# seconds. Past it the oldest window closes early, so that every object still makes its read.
MAX_OPEN_WINDOWS = 64
# Objects whose read was made, remembered so that their later messages make none: a few hours of
# a busy gate. The oldest is forgotten first.
OBJECTS_REMEMBERED = 1000
# The zones of a read kept in its raw fields: so many names of so many characters.
MAX_ZONES = 16
MAX_ZONE_NAME = 64

# Frigate's camera names (its REGEX_CAMERA_NAME), at most 64 characters here.
CAMERA_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
# Frigate's object ids are "<start time>-<random letters>", such as 1607123955.475377-mxklsc.
# Starting with a letter or digit and without a slash, an id is one segment of an API path.
_OBJECT_ID = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}")
# A plate box's coordinates are pixels of a camera's frame.
_MAX_COORDINATE = 100_000


@dataclass(frozen=True, slots=True, kw_only=True)
class PlateUpdate:
    """A tracked object's plate, as one of Frigate's messages has it."""

    object_id: str
    camera: str
    plate: str
    score: float | None
    time: datetime | None
    plate_box: tuple[int, int, int, int] | None = None
    zones: tuple[str, ...] = ()


def parse_plate_update(payload: bytes) -> PlateUpdate | None:
    """A `tracked_object_update` of type lpr; None for its other types (face, description, ...).

    A plate that is empty is None too: no read.
    """
    message = _message(payload)
    if message.get("type") != "lpr":
        return None
    update = _update(message, message.get("plate"), message.get("score"), message.get("timestamp"))
    if update is None:
        return None
    return dataclasses.replace(update, plate_box=_box(message.get("plate_box")))


def parse_event(payload: bytes) -> PlateUpdate | None:
    """An `events` message's object with its plate; None while Frigate has read none."""
    after = _message(payload).get("after")
    if not isinstance(after, dict):
        raise InvalidReadError("an event without its object (after)")
    if (plate := after.get("recognized_license_plate")) is None:
        return None
    score = after.get("recognized_license_plate_score")
    update = _update(after, plate, score, after.get("frame_time"))
    if update is None:
        return None
    return dataclasses.replace(update, zones=_zones(after.get("entered_zones")))


def availability(payload: bytes) -> bool | None:
    """Whether `<prefix>/available` says Frigate runs; None for a word it does not send."""
    return {b"online": True, b"offline": False, b"stopped": False}.get(payload.strip())


def snapshot_path(object_id: str) -> str:
    """The path of an object's snapshot in Frigate's API: its best while Frigate tracks it."""
    return f"/api/events/{object_id}/snapshot.jpg"


def plate_read(update: PlateUpdate, *, full_image: bytes | None = None) -> PlateRead:
    """The read of a settled object: Frigate has no direction; its camera is the read's device."""
    raw: dict[str, Any] = {"id": update.object_id}
    if update.plate_box is not None:
        raw["plate_box"] = list(update.plate_box)
    if update.zones:
        raw["entered_zones"] = list(update.zones)
    return PlateRead(
        plate=update.plate,
        time=update.time or datetime.now(UTC),
        device_id=update.camera,
        confidence=update.score,
        full_image=full_image,
        raw=raw,
    )


@dataclass(slots=True)
class _Window:
    """An object in its settle window: its best plate so far."""

    best: PlateUpdate
    time: datetime  # of its first message: when the vehicle was first read
    zones: tuple[str, ...]
    handle: asyncio.TimerHandle

    def take(self, update: PlateUpdate) -> None:
        """A later message: a better score (or as good, and newer) wins."""
        if _rank(update.score) >= _rank(self.best.score):
            self.best = update
        self.zones = update.zones or self.zones


class SettleWindows:
    """One read per Frigate object: the best plate of its first SETTLE_SECONDS.

    An object's first message opens its window; when the window closes, `on_settled` gets the
    best-scoring plate the window saw, with the time of the first. The object's later messages
    make no read.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        on_settled: Callable[[PlateUpdate], None],
        *,
        on_cut_short: Callable[[], None],
    ) -> None:
        """Call `on_settled` with each object's read; `on_cut_short` when a window closes early."""
        self._loop = loop
        self._on_settled = on_settled
        self._on_cut_short = on_cut_short
        self._settle_seconds = SETTLE_SECONDS
        self._open: dict[str, _Window] = {}
        # Insertion-ordered: the oldest is forgotten first.
        self._settled: dict[str, None] = {}
        self._closed = False

    def add(self, update: PlateUpdate) -> None:
        """Take a message about an object's plate."""
        object_id = update.object_id
        if self._closed or object_id in self._settled:
            return
        if (window := self._open.get(object_id)) is not None:
            window.take(update)
            return
        if len(self._open) >= MAX_OPEN_WINDOWS:
            self._settle(next(iter(self._open)))
            self._on_cut_short()
        handle = self._loop.call_later(self._settle_seconds, self._settle, object_id)
        first_time = update.time or datetime.now(UTC)
        self._open[object_id] = _Window(update, first_time, update.zones, handle)

    def close(self) -> None:
        """Settle every open window now, and take no message after."""
        self._closed = True
        for object_id in list(self._open):
            self._settle(object_id)

    def _settle(self, object_id: str) -> None:
        window = self._open.pop(object_id)
        window.handle.cancel()
        self._settled[object_id] = None
        if len(self._settled) > OBJECTS_REMEMBERED:
            del self._settled[next(iter(self._settled))]
        self._on_settled(dataclasses.replace(window.best, time=window.time, zones=window.zones))


def _rank(score: float | None) -> float:
    return -1.0 if score is None else score


def _message(payload: bytes) -> dict[str, Any]:
    if len(payload) > MAX_MESSAGE_BYTES:
        raise InvalidReadError(f"message larger than {MAX_MESSAGE_BYTES} bytes")
    return json_object(payload)


def _update(fields: Mapping[str, Any], plate: Any, score: Any, time: Any) -> PlateUpdate | None:
    """The object's plate, checked; None for an empty plate."""
    object_id, camera = fields.get("id"), fields.get("camera")
    if not isinstance(object_id, str) or not _OBJECT_ID.fullmatch(object_id):
        raise InvalidReadError("no Frigate object id")
    if not isinstance(camera, str) or not CAMERA_NAME.fullmatch(camera):
        raise InvalidReadError("no Frigate camera name")
    if not isinstance(plate, str):
        raise InvalidReadError("plate is not text")
    if not (plate := checked_plate(plate.strip())):
        return None
    return PlateUpdate(
        object_id=object_id, camera=camera, plate=plate, score=_score(score), time=_time(time)
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _score(value: Any) -> float | None:
    if value is None:
        return None
    if not _is_number(value) or not 0 <= value <= 1:
        raise InvalidReadError("score is no number from 0 to 1")
    return float(value)


def _time(value: Any) -> datetime | None:
    if value is None:
        return None
    if _is_number(value):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            pass
    raise InvalidReadError("timestamp is no time")


def _box(value: Any) -> tuple[int, int, int, int] | None:
    """Where the plate was in the frame Frigate read; anything else is left out."""
    if not isinstance(value, list) or len(value) != 4:
        return None
    if not all(_is_number(x) and 0 <= x <= _MAX_COORDINATE for x in value):
        return None
    x1, y1, x2, y2 = (int(x) for x in value)
    return x1, y1, x2, y2


def _zones(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = (zone for zone in value if isinstance(zone, str) and 0 < len(zone) <= MAX_ZONE_NAME)
    return tuple(itertools.islice(names, MAX_ZONES))
