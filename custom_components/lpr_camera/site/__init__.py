"""The site: the integration-wide state every camera shares, in one home.

One `Site` per Home Assistant, made when the integration loads: the known vehicles (kept in the
site entry's subentries), who is on site (presence), the correction rules, the repeats, and the
plate log. It is the site entry's runtime data, and every camera gets it when its entry sets up.
It turns a camera's read into the one record of it (`ReadRecord`).
"""

from __future__ import annotations

import time
import uuid
from collections import Counter, OrderedDict
from collections.abc import Iterable

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_LOGBOOK_ENTRY, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN
from ..lpr import PlateRead
from ..lpr.matching import normalise
from ..plate_log.log import PlateLog
from ..read import CameraRef, Passage, ReadRecord, plausible_time
from .corrections import Correction, CorrectionRules, async_correct
from .known_vehicles import KnownVehicles, ReadMatch
from .presence import OnSite, Presence, PresenceChange, Sighting, movement
from .store import SiteStore

type SiteConfigEntry = ConfigEntry[Site]

# The key of the site's Vehicles on site sensor, under which the site's logbook lines go.
VEHICLES_ON_SITE_KEY = "vehicles_on_site"
# Vehicles a camera remembers within its repeat window at most: more than any gate sees in a
# minute, fewer than a flood of made-up plates.
MAX_RECENT_PLATES = 10_000
SHED_REPEATS_FORGOTTEN = "repeats_forgotten"
SHED_UNKNOWN_DROPPED = "unknown_dropped_from_site"

DATA_KEY: HassKey[Site] = HassKey(DOMAIN)
_VEHICLE_PREFIX = "vehicle_"


class Site:
    """Known vehicles, presence, correction rules, repeats and the plate log, for every camera."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing is read from disk until loaded."""
        self.hass = hass
        # What the site let go past a bound, by kind: shown in the site's diagnostics.
        self.shed: Counter[str] = Counter()
        self.known_vehicles = KnownVehicles(hass)
        self._store = SiteStore(hass)
        self.presence = Presence(hass, self._store, self._async_unknown_dropped)
        self.rules = CorrectionRules(self._store)
        self.plate_log = PlateLog(hass, lambda: self.known_vehicles.settings, self.shed)
        # The device of each known vehicle, once the site entry registered it.
        self.vehicle_devices: dict[str, str] = {}
        self._recent: dict[str, RecentPlates] = {}

    async def async_load(self) -> None:
        """Read who was on site before Home Assistant started, and the correction rules."""
        stored = await self._store.async_load()
        self.presence.load(stored)
        self.rules.load(stored)

    @callback
    def async_judge(self, read: PlateRead, camera: CameraRef, repeat_window: float) -> ReadRecord:
        """Correct a read by the camera's rules, match it, tell a repeat, note it on the site.

        Return the one record of the read.
        """
        received = dt_util.utcnow()
        corrected = self.rules.correct(camera.entry_id, read.plate)
        plate = corrected or read.plate
        match = self.known_vehicles.match(plate, read.time)
        # Cameras and sources that watch one gate share its passages.
        recent = self._recent.setdefault(camera.gate or camera.entry_id, RecentPlates(self.shed))
        passage, seen_again = recent.passage_of(
            _vehicle_key(plate, match), repeat_window, camera.entry_id
        )
        sighting = Sighting(received, camera.entry_id, camera.title)
        presence = self.presence.async_record(
            plate, match, sighting, passage.passage_id, movement(camera.role, read.direction)
        )
        vehicle = match.vehicle
        return ReadRecord(
            read=read,
            camera=camera,
            match=match,
            # An arrival or a departure is news, never a repeat.
            repeat=seen_again and presence is None,
            presence=presence,
            passage=passage,
            vehicle_device_id=self.vehicle_devices.get(vehicle.vehicle_id) if vehicle else None,
            filed_at=plausible_time(read.time, received),
            corrected_plate=corrected,
        )

    async def async_correct(self, read_id: int, plate: str, remember: bool) -> Correction:
        """Correct the plate of a read in the plate log (see corrections.py).

        Raises KnownVehicleError for a plate that is none or too many rules, and
        ReadNotFoundError for a read the plate log does not hold.
        """
        return await async_correct(self, read_id, plate, remember)

    @callback
    def async_mark_left(self, plate: str, vehicle_id: str | None, by: str) -> OnSite | None:
        """A vehicle on site leaves it without a read: someone saw it go. None: it was not on.

        A known vehicle goes by its id, any other by its plate.
        """
        item = self.presence.item_of(plate, vehicle_id)
        if item is None or self.presence.async_move(item, PresenceChange.LEFT) is None:
            return None
        self._async_log_on_site(item, f"left the site: marked by {by}")
        return item

    @callback
    def _async_unknown_dropped(self, item: OnSite, why: str) -> None:
        self.shed[SHED_UNKNOWN_DROPPED] += 1
        self.async_log_dropped(item, why)

    @callback
    def async_log_dropped(self, item: OnSite, why: str) -> None:
        """A logbook line, under Vehicles on site, for a vehicle dropped without a departure."""
        self._async_log_on_site(item, f"dropped from the site {why}")

    @callback
    def _async_log_on_site(self, item: OnSite, message: str) -> None:
        """A logbook line of a vehicle on site, under the Vehicles on site sensor."""
        vehicle = self.known_vehicles.by_id(item.vehicle_id or "")
        name = f"{item.plate} ({vehicle.name})" if vehicle and vehicle.name else item.plate
        entity_id = None
        if (entry := self.known_vehicles.site_entry) is not None:
            entity_id = er.async_get(self.hass).async_get_entity_id(
                Platform.SENSOR, DOMAIN, f"{entry.entry_id}_{VEHICLES_ON_SITE_KEY}"
            )
        async_log(self.hass, name, message, entity_id)


class RecentPlates:
    """The vehicles a gate saw within the repeat window, oldest first, and their passages.

    At most MAX_RECENT_PLATES: past it, the vehicle read longest ago is forgotten early (its
    next read is news, not a repeat), so a flood of plates costs neither memory nor time.
    """

    def __init__(self, shed: Counter[str]) -> None:
        """Remember no vehicle yet."""
        self._seen: OrderedDict[str, tuple[float, Passage]] = OrderedDict()
        self._shed = shed

    def passage_of(self, key: str, window: float, camera_entry_id: str) -> tuple[Passage, bool]:
        """Note a read of `key` now: its passage, and whether it was read within `window` s.

        A read within the window goes on with the passage of the vehicle's read before it; a
        read after it begins a passage of its own, at this camera.
        """
        now = time.monotonic()
        seen = self._seen
        while seen and next(iter(seen.values()))[0] < now - window:
            seen.popitem(last=False)
        before = seen.get(key)
        passage = before[1] if before else Passage(uuid.uuid4().hex, camera_entry_id)
        seen[key] = (now, passage)
        seen.move_to_end(key)
        if len(seen) > MAX_RECENT_PLATES:
            seen.popitem(last=False)
            self._shed[SHED_REPEATS_FORGOTTEN] += 1
        return passage, before is not None


def _vehicle_key(plate: str, match: ReadMatch) -> str:
    """A known vehicle is one however OCR read its plate this time; others go by their plate."""
    return match.vehicle.vehicle_id if match.vehicle else normalise(plate)


@callback
def async_log(hass: HomeAssistant, name: str, message: str, entity_id: str | None = None) -> None:
    """A line in the logbook, under the integration (and the entity, when there is one)."""
    line = {"name": name, "message": message, "domain": DOMAIN}
    if entity_id:
        line["entity_id"] = entity_id
    hass.bus.async_fire(EVENT_LOGBOOK_ENTRY, line)


@callback
def site_of(hass: HomeAssistant) -> Site:
    """The site, for Home Assistant's hooks that are handed nothing but `hass`."""
    return hass.data[DATA_KEY]


def vehicle_identifier(vehicle_id: str) -> tuple[str, str]:
    """The device registry identifier of a known vehicle's device."""
    return (DOMAIN, _VEHICLE_PREFIX + vehicle_id)


def device_subject(identifiers: Iterable[tuple[str, str]]) -> tuple[str | None, str | None]:
    """What a device of ours stands for: (config entry id, None) or (None, known vehicle id)."""
    for domain, identifier in identifiers:
        if domain == DOMAIN:
            if identifier.startswith(_VEHICLE_PREFIX):
                return None, identifier.removeprefix(_VEHICLE_PREFIX)
            return identifier, None
    return None, None
