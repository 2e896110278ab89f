"""Presence: the vehicles on site, and where and when each known vehicle was last seen.

A camera's role says what its reads mean: every read at an entrance is an arrival, every read at
an exit a departure, and a camera that sees both ways goes by the read's direction (a read
without one is only "seen"). Arrivals and departures change who is on site; unknown vehicles
count too, by plate. Times are when Home Assistant received the read: a camera's clock may be
wrong, and the on-site limit is measured against Home Assistant's.

Kept in the site's store (store.py), saved shortly after each change (and when Home Assistant
stops), so presence survives a restart. Each vehicle on site keeps the passage it arrived by:
the plate log finds the arrival's read by it.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.util import dt as dt_util

from ..const import DOMAIN, ROLE_ENTRANCE, ROLE_EXIT
from ..lpr import Direction
from ..lpr.matching import normalise
from .known_vehicles import KnownVehicle, ReadMatch
from .store import SiteStore

# Sent whenever who is on site, or a known vehicle's last sighting, changes.
SIGNAL_SITE_UPDATED = f"{DOMAIN}_site_updated"
# Sent when a vehicle arrives on site or leaves it, however (not for a sighting alone).
SIGNAL_ON_SITE_CHANGED = f"{DOMAIN}_on_site_changed"
# Unknown vehicles on site at most: every unknown plate read approaching an entrance arrives, and
# few leave where a camera reads them. Past it, the one on site longest leaves (a logbook line).
MAX_UNKNOWN_ON_SITE = 1000
_UNKNOWN_PREFIX = "plate:"


class PresenceChange(StrEnum):
    """What a read changed on the site."""

    ARRIVED = "arrived"
    LEFT = "left"


@dataclass(frozen=True, slots=True)
class Sighting:
    """Where and when a vehicle was seen: the camera's entry and its title at the time."""

    time: datetime
    camera_entry_id: str
    camera: str


@dataclass(frozen=True, slots=True)
class OnSite:
    """A vehicle on site: its plate as read (or as known), the known vehicle, its arrival.

    `passage_id` is the passage it arrived by (None in a record of an earlier release).
    """

    plate: str
    vehicle_id: str | None
    arrival: Sighting
    passage_id: str | None = None

    @property
    def key(self) -> str:
        """One entry per known vehicle, whatever its plate was read as; unknown ones by plate."""
        return _key(self.plate, self.vehicle_id)


def movement(role: str, direction: Direction | str) -> PresenceChange | None:
    """What a read at a camera of this role means: an arrival, a departure, or neither."""
    if role == ROLE_ENTRANCE:
        return PresenceChange.ARRIVED
    if role == ROLE_EXIT:
        return PresenceChange.LEFT
    if direction == Direction.APPROACHING:
        return PresenceChange.ARRIVED
    if direction == Direction.DEPARTING:
        return PresenceChange.LEFT
    return None


class Presence:
    """Who is on site and the last sighting of each known vehicle; stored, and announced.

    Kept in arrival order: counting, the newest arrivals and the oldest unknown vehicle are
    found without a pass over everyone on site.
    """

    def __init__(
        self, hass: HomeAssistant, store: SiteStore, on_dropped: Callable[[OnSite, str], None]
    ) -> None:
        """Empty until loaded; `on_dropped` tells of a vehicle dropped without a departure."""
        self._hass = hass
        self._on_dropped = on_dropped
        self._store = store
        store.add_part(self._data)
        self._known: dict[str, OnSite] = {}  # by vehicle id, in arrival order
        self._unknown: dict[str, OnSite] = {}  # by plate, normalised, in arrival order
        self._sightings: dict[str, Sighting] = {}

    def load(self, stored: dict[str, Any]) -> None:
        """Take what the store held; records that no longer parse are dropped, not fatal."""
        items = []
        for item in stored.get("on_site", []):
            arrival = _sighting(item.get("arrival")) if isinstance(item, dict) else None
            if arrival is not None and item.get("plate"):
                passage_id = item.get("passage_id")
                items.append(
                    OnSite(
                        str(item["plate"]),
                        item.get("vehicle_id"),
                        arrival,
                        None if passage_id is None else str(passage_id),
                    )
                )
        for item in sorted(items, key=lambda item: item.arrival.time):
            self._place(item)
        for vehicle_id, item in stored.get("sightings", {}).items():
            if (sighting := _sighting(item)) is not None:
                self._sightings[vehicle_id] = sighting

    @property
    def on_site(self) -> list[OnSite]:
        """The vehicles on site, earliest arrival first."""
        return list(heapq.merge(self._known.values(), self._unknown.values(), key=_arrival))

    @property
    def count(self) -> int:
        """How many vehicles are on site, known or not."""
        return len(self._known) + len(self._unknown)

    def newest(self, count: int) -> list[OnSite]:
        """The last `count` vehicles to arrive, earliest first."""
        # The unknown first: ties then come out as in `on_site`, once turned round.
        newest = heapq.merge(
            reversed(self._unknown.values()),
            reversed(self._known.values()),
            key=_arrival,
            reverse=True,
        )
        return list(itertools.islice(newest, count))[::-1]

    def is_on_site(self, vehicle_id: str) -> bool:
        """Whether a known vehicle is on site."""
        return vehicle_id in self._known

    def item_of(self, plate: str, vehicle_id: str | None) -> OnSite | None:
        """A known vehicle on site (by its id), or an unknown one (by its plate)."""
        key = _key(plate, vehicle_id)
        return (self._unknown if vehicle_id is None else self._known).get(key)

    def last_seen(self, vehicle_id: str) -> Sighting | None:
        """A known vehicle's last sighting, at any camera."""
        return self._sightings.get(vehicle_id)

    @callback
    def async_record(
        self,
        plate: str,
        match: ReadMatch,
        camera: Sighting,
        passage_id: str,
        change: PresenceChange | None,
    ) -> PresenceChange | None:
        """Take a read of a plate (as read, or as a rule corrected it) at a camera, by a passage.

        `change` is what the read means at the camera (see `movement`). Return the arrival or
        departure it made, if any.
        """
        vehicle = match.vehicle
        if vehicle is not None:
            self._sightings[vehicle.vehicle_id] = camera
        item = OnSite(vehicle.plate if vehicle else plate, _vehicle_id(vehicle), camera, passage_id)
        change = self.async_move(item, change)
        if vehicle is not None and change is None:
            self._async_changed(item.vehicle_id, on_site=False)
        return change

    @callback
    def async_move(self, item: OnSite, change: PresenceChange | None) -> PresenceChange | None:
        """An arrival of a vehicle not on site, or a departure of one on site; else nothing.

        Return what changed.
        """
        on_site = self._place_of(item)
        if change is PresenceChange.ARRIVED and item.key not in on_site:
            self._place(item)
            self._async_keep_unknown_in_bounds()
        elif change is PresenceChange.LEFT and item.key in on_site:
            del on_site[item.key]
        else:
            return None
        self._async_changed(item.vehicle_id)
        return change

    @callback
    def async_note_sighting(self, vehicle_id: str, sighting: Sighting | None) -> None:
        """A known vehicle's last sighting is another (None: it was never seen)."""
        if sighting is None:
            self._sightings.pop(vehicle_id, None)
        else:
            self._sightings[vehicle_id] = sighting
        self._async_changed(vehicle_id, on_site=False)

    @callback
    def async_clear(self) -> list[OnSite]:
        """Empty the list of vehicles on site (after a camera outage); return who was on it."""
        cleared = self.on_site
        self._known.clear()
        self._unknown.clear()
        self._async_changed(*(item.vehicle_id for item in cleared))
        return cleared

    @callback
    def async_drop_overstayed(self, limit: timedelta) -> list[OnSite]:
        """Drop the vehicles on site for longer than `limit`; return them."""
        oldest = dt_util.utcnow() - limit
        dropped = []
        for on_site in (self._known, self._unknown):
            while on_site and (first := next(iter(on_site.values()))).arrival.time < oldest:
                dropped.append(on_site.pop(first.key))
        if dropped:
            self._async_changed(*(item.vehicle_id for item in dropped))
        return dropped

    @callback
    def async_follow_vehicles(
        self, vehicle_ids: Iterable[str], known_as: Callable[[str], KnownVehicle | None]
    ) -> None:
        """The known vehicles changed: forget the vehicles gone, and adopt plates now known.

        An unknown plate on site that a known vehicle now matches (as a read would match it)
        becomes that vehicle's, arrival kept: a plate is on site at most once.
        """
        keep = set(vehicle_ids)
        gone = [item for item in self._known.values() if item.vehicle_id not in keep]
        stale = [vehicle_id for vehicle_id in self._sightings if vehicle_id not in keep]
        for item in gone:
            del self._known[item.key]
        for vehicle_id in stale:
            del self._sightings[vehicle_id]
        adopted = [
            (item, vehicle) for item in self._unknown.values() if (vehicle := known_as(item.plate))
        ]
        for item, vehicle in adopted:
            del self._unknown[item.key]
            if vehicle.vehicle_id not in self._known:
                self._place(
                    OnSite(vehicle.plate, vehicle.vehicle_id, item.arrival, item.passage_id)
                )
        if gone or stale or adopted:
            self._known = dict(sorted(self._known.items(), key=lambda pair: _arrival(pair[1])))
            self._async_changed(*stale, *(vehicle.vehicle_id for _, vehicle in adopted))

    def _place_of(self, item: OnSite) -> dict[str, OnSite]:
        return self._unknown if item.vehicle_id is None else self._known

    def _place(self, item: OnSite) -> None:
        self._place_of(item)[item.key] = item

    @callback
    def _async_keep_unknown_in_bounds(self) -> None:
        """Past MAX_UNKNOWN_ON_SITE, the unknown vehicle on site longest leaves it."""
        while len(self._unknown) > MAX_UNKNOWN_ON_SITE:
            oldest = self._unknown.pop(next(iter(self._unknown)))
            self._on_dropped(oldest, f"as more than {MAX_UNKNOWN_ON_SITE} unknown vehicles were")

    @callback
    def _async_changed(self, *vehicle_ids: str | None, on_site: bool = True) -> None:
        """Save soon; tell the site's entities, and those of the vehicles concerned.

        `on_site`: who is on site changed (else only a last sighting did).
        """
        self._store.async_save_soon()
        async_dispatcher_send(self._hass, SIGNAL_SITE_UPDATED)
        if on_site:
            async_dispatcher_send(self._hass, SIGNAL_ON_SITE_CHANGED)
        for vehicle_id in {vehicle_id for vehicle_id in vehicle_ids if vehicle_id}:
            async_dispatcher_send(self._hass, signal_vehicle_updated(vehicle_id))

    def _data(self) -> dict[str, Any]:
        return {
            "on_site": [
                {
                    "plate": item.plate,
                    "vehicle_id": item.vehicle_id,
                    "arrival": _stored(item.arrival),
                    "passage_id": item.passage_id,
                }
                for item in self.on_site
            ],
            "sightings": {
                vehicle_id: _stored(sighting) for vehicle_id, sighting in self._sightings.items()
            },
        }


def signal_vehicle_updated(vehicle_id: str) -> str:
    """Sent when a known vehicle's presence or last sighting changes."""
    return f"{DOMAIN}_vehicle_updated_{vehicle_id}"


def _vehicle_id(vehicle: KnownVehicle | None) -> str | None:
    return None if vehicle is None else vehicle.vehicle_id


def _arrival(item: OnSite) -> datetime:
    return item.arrival.time


def _key(plate: str, vehicle_id: str | None) -> str:
    """One entry per known vehicle, whatever its plate was read as; unknown ones by plate."""
    return vehicle_id if vehicle_id is not None else _UNKNOWN_PREFIX + normalise(plate)


def _stored(sighting: Sighting) -> dict[str, str]:
    return {
        "time": sighting.time.isoformat(),
        "camera_entry_id": sighting.camera_entry_id,
        "camera": sighting.camera,
    }


def _sighting(item: Any) -> Sighting | None:
    if not isinstance(item, dict):
        return None
    time = dt_util.parse_datetime(str(item.get("time", "")))
    if time is None or time.tzinfo is None:
        return None
    return Sighting(time, str(item.get("camera_entry_id", "")), str(item.get("camera", "")))
