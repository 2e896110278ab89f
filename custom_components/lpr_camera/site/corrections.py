"""Corrections of a read's plate, and the rules a correction can become.

An administrator corrects a misread plate in the plate log: the read keeps what the camera read
(`plate`) and gains the `corrected_plate`, by which it is matched again. If it is the latest
read of the vehicle it was taken for, who is on site and the last sightings follow: as if the
camera had read the corrected plate. A correction may be remembered as a rule of its camera
("this camera reads `A8123CD` for `AB123CD`"): the camera's later reads of that plate
(normalised) are corrected before they are matched. The rules are kept in the site's store.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from ..lpr.matching import normalise
from ..plate_log.database import LoggedRead, PlateLogDatabase
from ..read import Goes, ReadKey, match_fields
from .known_vehicles import KnownVehicleError, ReadMatch, clean_plate
from .presence import OnSite, PresenceChange, Sighting, movement
from .store import SiteStore

if TYPE_CHECKING:
    from . import Site

# Rules at most: each is an administrator's correction remembered, checked with every read of
# its camera in the same time however many there are. Past it, a new rule is refused.
MAX_RULES = 1000


class ReadNotFoundError(LookupError):
    """The read to correct is not in the plate log (pruned, not stored yet, or closed)."""


@dataclass(frozen=True, slots=True)
class CorrectionRule:
    """A camera's misread of a plate (normalised), and the plate it stands for."""

    rule_id: str
    config_entry_id: str
    camera: str  # its title when the rule was made
    read_plate: str
    plate: str
    created: datetime

    def as_dict(self) -> dict[str, str]:
        """The rule as the store and the websocket commands give it."""
        return {
            "rule_id": self.rule_id,
            "config_entry_id": self.config_entry_id,
            "camera": self.camera,
            "read_plate": self.read_plate,
            "plate": self.plate,
            "created": self.created.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Correction:
    """A read after its correction, and the rule it became (None when not remembered)."""

    read: LoggedRead
    rule: CorrectionRule | None


class CorrectionRules:
    """The correction rules of every camera, by camera and misread plate (normalised)."""

    def __init__(self, store: SiteStore) -> None:
        """No rule until loaded."""
        self._store = store
        store.add_part(self._data)
        self._rules: dict[tuple[str, str], CorrectionRule] = {}

    def load(self, stored: dict[str, Any]) -> None:
        """Take the rules the store held; one that no longer parses is dropped."""
        for item in stored.get("correction_rules", []):
            rule = _rule(item)
            if rule is not None:
                self._rules[rule.config_entry_id, rule.read_plate] = rule

    @property
    def rules(self) -> list[CorrectionRule]:
        """Every rule, newest first."""
        return sorted(self._rules.values(), key=lambda rule: rule.created, reverse=True)

    def correct(self, config_entry_id: str, plate: str) -> str | None:
        """The plate a rule of the camera says a read plate stands for; None without a rule."""
        rule = self._rules.get((config_entry_id, normalise(plate)))
        return None if rule is None else rule.plate

    @callback
    def async_remember(
        self, config_entry_id: str, camera: str, read_plate: str, plate: str
    ) -> CorrectionRule | None:
        """The camera reads `read_plate` for `plate` from now on (None: it reads it right).

        Raises KnownVehicleError("too_many_rules") past MAX_RULES.
        """
        key = (config_entry_id, normalise(read_plate))
        if key[1] == normalise(plate):
            if self._rules.pop(key, None) is not None:
                self._store.async_save_soon()
            return None
        if key not in self._rules and len(self._rules) >= MAX_RULES:
            raise KnownVehicleError("too_many_rules", max_rules=str(MAX_RULES))
        rule = CorrectionRule(
            uuid.uuid4().hex, config_entry_id, camera, key[1], plate, dt_util.utcnow()
        )
        self._rules[key] = rule
        self._store.async_save_soon()
        return rule

    @callback
    def async_remove(self, rule_id: str) -> bool:
        """Remove a rule; False when there is none of that id."""
        for key, rule in self._rules.items():
            if rule.rule_id == rule_id:
                del self._rules[key]
                self._store.async_save_soon()
                return True
        return False

    def _data(self) -> dict[str, Any]:
        return {"correction_rules": [rule.as_dict() for rule in self._rules.values()]}


def _rule(item: Any) -> CorrectionRule | None:
    if not isinstance(item, dict):
        return None
    created = dt_util.parse_datetime(str(item.get("created", "")))
    fields = [item.get(key) for key in ("rule_id", "config_entry_id", "read_plate", "plate")]
    if created is None or created.tzinfo is None or not all(isinstance(f, str) for f in fields):
        return None
    rule_id, config_entry_id, read_plate, plate = (str(field) for field in fields)
    return CorrectionRule(
        rule_id, config_entry_id, str(item.get("camera", "")), read_plate, plate, created
    )


@dataclass(frozen=True, slots=True)
class _Before:
    """A read to correct, and what the plate log knew of its vehicle before it."""

    read: LoggedRead
    latest: bool  # no later read of the vehicle it was taken for
    earlier: LoggedRead | None  # that vehicle's read before it
    earlier_arrival: LoggedRead | None  # that vehicle's arrival before it


def _before(database: PlateLogDatabase, read_id: int) -> _Before | None:
    """The read and its vehicle's reads before it (in the executor)."""
    read = database.get(read_id)
    if read is None:
        return None
    vehicle_id, plate_key = read.vehicle_id, read.plate_key
    newest = database.latest_of(vehicle_id, plate_key)
    return _Before(
        read,
        latest=newest is not None and newest.read_id == read_id,
        earlier=database.latest_of(vehicle_id, plate_key, read_id),
        earlier_arrival=database.latest_of(vehicle_id, plate_key, read_id, PresenceChange.ARRIVED),
    )


async def async_correct(site: Site, read_id: int, plate: str, remember: bool) -> Correction:
    """Correct a read's plate; remember it as a rule of its camera if asked.

    Raises KnownVehicleError for a plate that is none (or too many rules), ReadNotFoundError
    for a read the plate log does not hold.
    """
    cleaned = clean_plate(plate)
    if (database := site.plate_log.database) is None:
        raise ReadNotFoundError(read_id)
    before = await site.hass.async_add_executor_job(_before, database, read_id)
    if before is None:
        raise ReadNotFoundError(read_id)
    read = before.read
    fields = read.fields
    rule = None
    if remember:
        camera_id = str(fields[ReadKey.CONFIG_ENTRY_ID])
        rule = site.rules.async_remember(
            camera_id, str(fields[ReadKey.CAMERA]), read.plate, cleaned
        )
    corrected = None if normalise(cleaned) == normalise(read.plate) else cleaned
    taken = corrected or read.plate
    match = site.known_vehicles.match(taken, datetime.fromisoformat(str(fields[ReadKey.TIME])))
    changes = match_fields(match, Goes.COLUMN | Goes.DETAIL)
    changes[ReadKey.CORRECTED_PLATE] = corrected
    if before.latest:
        changes[ReadKey.PRESENCE] = _async_follow(site, before, match, taken)
    updated = LoggedRead(
        read_id=read.read_id,
        fields={**fields, **changes},
        folder=read.folder,
        pictures=read.pictures,
    )
    await site.hass.async_add_executor_job(database.update, updated)
    return Correction(updated, rule)


@callback
def _async_follow(site: Site, before: _Before, match: ReadMatch, taken: str) -> str | None:
    """Presence and the last sightings as if the camera had read `taken`; the read's presence.

    What the read did for the vehicle it was taken for is undone (its arrival, or its
    departure: back on site by its arrival before), then done for the vehicle it is now.
    """
    presence = site.presence
    read = before.read
    fields = read.fields
    passage_id = fields.get(ReadKey.PASSAGE_ID)
    seen = _sighting(read)
    arrival = seen
    was_plate = str(fields.get(ReadKey.CORRECTED_PLATE) or read.plate)
    was = presence.item_of(was_plate, read.vehicle_id)
    if fields.get(ReadKey.PRESENCE) == PresenceChange.ARRIVED:
        if was is not None and was.passage_id == passage_id:
            presence.async_move(was, PresenceChange.LEFT)
            arrival = was.arrival
    elif fields.get(ReadKey.PRESENCE) == PresenceChange.LEFT and (
        was is None and (earlier := before.earlier_arrival) is not None
    ):
        known = site.known_vehicles.by_id(read.vehicle_id or "")
        back_plate = known.plate if known else was_plate  # on site as known, as a read notes it
        back = OnSite(back_plate, read.vehicle_id, _sighting(earlier), _passage(earlier))
        presence.async_move(back, PresenceChange.ARRIVED)
    vehicle = match.vehicle
    vehicle_id = None if vehicle is None else vehicle.vehicle_id
    item = OnSite(vehicle.plate if vehicle else taken, vehicle_id, arrival, _passage(read))
    role = str(fields.get(ReadKey.CAMERA_ROLE) or "")
    change = presence.async_move(item, movement(role, str(fields[ReadKey.DIRECTION])))
    if read.vehicle_id is not None and read.vehicle_id != vehicle_id:
        earlier_seen = None if before.earlier is None else _sighting(before.earlier)
        presence.async_note_sighting(read.vehicle_id, earlier_seen)
    if vehicle_id is not None and vehicle_id != read.vehicle_id:
        last = presence.last_seen(vehicle_id)
        if last is None or last.time <= seen.time:
            presence.async_note_sighting(vehicle_id, seen)
    return None if change is None else str(change)


def _sighting(read: LoggedRead) -> Sighting:
    fields = read.fields
    return Sighting(
        read.filed_at, str(fields[ReadKey.CONFIG_ENTRY_ID]), str(fields[ReadKey.CAMERA])
    )


def _passage(read: LoggedRead) -> str | None:
    passage_id = read.fields.get(ReadKey.PASSAGE_ID)
    return None if passage_id is None else str(passage_id)
