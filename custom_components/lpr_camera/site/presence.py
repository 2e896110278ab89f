"""Presence: the vehicles on site, and where and when each known vehicle was last seen.

A camera's role says what its reads mean: every read at an entrance is an arrival, every read at
an exit a departure, and a camera that sees both ways goes by the read's direction (a read
without one is only "seen"). Arrivals and departures change who is on site; unknown vehicles
count too, by plate. Times are when Home Assistant received the read: a camera's clock may be
wrong, and the on-site limit is measured against Home Assistant's.

Kept in one store for the whole integration and saved shortly after each change (and when Home
Assistant stops), so presence survives a restart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ..const import DOMAIN, ROLE_ENTRANCE, ROLE_EXIT
from ..lpr import Direction, PlateRead
from ..lpr.matching import normalise
from .known_vehicles import ReadMatch

STORE_KEY = f"{DOMAIN}.site"
STORE_VERSION = 1
SAVE_DELAY = 1.0  # seconds: a burst of reads is one write
# Sent whenever who is on site, or a known vehicle's last sighting, changes.
SIGNAL_SITE_UPDATED = f"{DOMAIN}_site_updated"
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
    """A vehicle on site: its plate as read (or as known), the known vehicle, its arrival."""

    plate: str
    vehicle_id: str | None
    arrival: Sighting


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
    """Who is on site and the last sighting of each known vehicle; stored, and announced."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Empty until loaded."""
        self._hass = hass
        self._store: Store[dict[str, Any]] = Store(hass, STORE_VERSION, STORE_KEY)
        self._on_site: dict[str, OnSite] = {}
        self._sightings: dict[str, Sighting] = {}

    async def async_load(self) -> None:
        """Read the store; records that no longer parse are dropped, not fatal."""
        stored = await self._store.async_load() or {}
        for item in stored.get("on_site", []):
            arrival = _sighting(item.get("arrival")) if isinstance(item, dict) else None
            if arrival is not None and item.get("plate"):
                vehicle_id = item.get("vehicle_id")
                self._on_site[_key(str(item["plate"]), vehicle_id)] = OnSite(
                    str(item["plate"]), vehicle_id, arrival
                )
        for vehicle_id, item in stored.get("sightings", {}).items():
            if (sighting := _sighting(item)) is not None:
                self._sightings[vehicle_id] = sighting

    @property
    def on_site(self) -> list[OnSite]:
        """The vehicles on site, earliest arrival first."""
        return sorted(self._on_site.values(), key=lambda vehicle: vehicle.arrival.time)

    def is_on_site(self, vehicle_id: str) -> bool:
        """Whether a known vehicle is on site."""
        return _key("", vehicle_id) in self._on_site

    def last_seen(self, vehicle_id: str) -> Sighting | None:
        """A known vehicle's last sighting, at any camera."""
        return self._sightings.get(vehicle_id)

    @callback
    def async_record(
        self, read: PlateRead, match: ReadMatch, camera: Sighting, role: str
    ) -> PresenceChange | None:
        """Take a read at a camera; return the arrival or departure it made, if any."""
        vehicle = match.vehicle
        if vehicle is not None:
            self._sightings[vehicle.vehicle_id] = camera
        plate = vehicle.plate if vehicle else read.plate
        key = _key(plate, vehicle.vehicle_id if vehicle else None)
        change = movement(role, read.direction)
        if change is PresenceChange.ARRIVED and key not in self._on_site:
            self._on_site[key] = OnSite(plate, vehicle.vehicle_id if vehicle else None, camera)
        elif change is PresenceChange.LEFT and key in self._on_site:
            del self._on_site[key]
        else:
            change = None
        if vehicle is not None or change is not None:
            self._async_changed()
        return change

    @callback
    def async_clear(self) -> list[OnSite]:
        """Empty the list of vehicles on site (after a camera outage); return who was on it."""
        cleared = self.on_site
        self._on_site.clear()
        self._async_changed()
        return cleared

    @callback
    def async_drop_overstayed(self, limit: timedelta) -> list[OnSite]:
        """Drop the vehicles on site for longer than `limit`; return them."""
        oldest = dt_util.utcnow() - limit
        dropped = [item for item in self.on_site if item.arrival.time < oldest]
        for item in dropped:
            del self._on_site[_key(item.plate, item.vehicle_id)]
        if dropped:
            self._async_changed()
        return dropped

    @callback
    def async_forget_vehicles_except(self, vehicle_ids: Iterable[str]) -> None:
        """Forget what is known of vehicles that are no longer known vehicles."""
        keep = set(vehicle_ids)
        gone = [key for key, item in self._on_site.items() if item.vehicle_id not in (None, *keep)]
        stale = [vehicle_id for vehicle_id in self._sightings if vehicle_id not in keep]
        for key in gone:
            del self._on_site[key]
        for vehicle_id in stale:
            del self._sightings[vehicle_id]
        if gone or stale:
            self._async_changed()

    @callback
    def _async_changed(self) -> None:
        self._store.async_delay_save(self._data, SAVE_DELAY)
        async_dispatcher_send(self._hass, SIGNAL_SITE_UPDATED)

    def _data(self) -> dict[str, Any]:
        return {
            "on_site": [
                {
                    "plate": item.plate,
                    "vehicle_id": item.vehicle_id,
                    "arrival": _stored(item.arrival),
                }
                for item in self.on_site
            ],
            "sightings": {
                vehicle_id: _stored(sighting) for vehicle_id, sighting in self._sightings.items()
            },
        }


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
