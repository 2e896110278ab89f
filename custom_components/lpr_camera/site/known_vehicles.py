"""The known vehicles and the settings of the site: the site entry's subentries and options.

Known vehicles belong to the site, not to a camera: the family's car is known at the gate and at
the garage alike. They live as config subentries of the one site entry (an "Add known vehicle"
button on the integration's page), so this module reads them from there and writes them back;
it keeps no copy of its own. Each read is matched here (normalised, within the tolerance,
OCR look-alikes costing less) and checked against the vehicle's pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry, ConfigSubentryData
from homeassistant.const import WEEKDAYS
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.translation import async_get_cached_translations
from homeassistant.util import dt as dt_util

from ..const import (
    CONF_HISTORY,
    CONF_KIND,
    CONF_MAX_SIZE_MB,
    CONF_ON_SITE_LIMIT,
    CONF_PASS_RETENTION_DAYS,
    CONF_PLATE_LOG_ADMIN_ONLY,
    CONF_RETENTION_DAYS,
    CONF_TOLERANCE,
    DEFAULT_HISTORY,
    DEFAULT_MAX_SIZE_MB,
    DEFAULT_ON_SITE_LIMIT_HOURS,
    DEFAULT_PASS_RETENTION_DAYS,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_TOLERANCE,
    DOMAIN,
    EVENT_TYPE_DENIED,
    EVENT_TYPE_KNOWN,
    EVENT_TYPE_UNKNOWN,
    KIND_SITE,
    SUBENTRY_VEHICLE,
)
from ..lpr.matching import MAX_TOLERANCE, match_plate, normalise
from ..lpr.passes import PassStatus, VehiclePass

MAX_PLATE_LENGTH = 16  # normalised: letters and digits only
MAX_NAME_LENGTH = 100

# The keys of a known vehicle in its subentry's data, and in the actions.
ATTR_PLATE = "plate"
ATTR_NAME = "name"
ATTR_LIST = "list"
ATTR_VALID_FROM = "valid_from"
ATTR_VALID_UNTIL = "valid_until"
ATTR_WEEKDAYS = "weekdays"
ATTR_START = "start"
ATTR_END = "end"
PASS_FIELDS = (ATTR_VALID_FROM, ATTR_VALID_UNTIL, ATTR_WEEKDAYS, ATTR_START, ATTR_END)


def is_site_entry(entry: ConfigEntry) -> bool:
    """Whether an entry of the integration is the site (else it is a camera)."""
    return entry.data.get(CONF_KIND) == KIND_SITE


class PlateList(StrEnum):
    """The site's own lists (the camera's allow/deny list is a separate field of a read)."""

    ALLOW = "allow"
    DENY = "deny"


class KnownVehicleError(ValueError):
    """Input the known vehicles refuse; `key` names the translated message."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """Keep the translation key and its placeholders."""
        super().__init__(key)
        self.key = key
        self.placeholders = placeholders


@dataclass(frozen=True, slots=True)
class KnownVehicle:
    """A vehicle the user knows: its plate as written, a name, its list and maybe a pass."""

    vehicle_id: str  # its subentry's id
    plate: str
    name: str
    plate_list: PlateList
    vehicle_pass: VehiclePass | None = None

    @property
    def key(self) -> str:
        """The form the plate is compared in: two known vehicles never share it."""
        return normalise(self.plate)

    @property
    def title(self) -> str:
        """Its name, else its plate: its device's name, and what the logbook calls it."""
        return self.name or self.plate

    def pass_status(self, at: datetime) -> PassStatus | None:
        """What its pass says about a moment; None without a pass."""
        if self.vehicle_pass is None:
            return None
        return self.vehicle_pass.status(dt_util.as_local(at))

    def authorized(self, at: datetime) -> bool:
        """On the allow list and, if it has a pass, inside it; a denied vehicle never is."""
        if self.plate_list is not PlateList.ALLOW:
            return False
        return self.pass_status(at) in (None, PassStatus.VALID)


@dataclass(frozen=True, slots=True)
class Settings:
    """The site's settings: matching, picture history, on site, passes."""

    tolerance: int = DEFAULT_TOLERANCE
    history: bool = DEFAULT_HISTORY
    retention_days: int = DEFAULT_RETENTION_DAYS
    max_size_mb: int = DEFAULT_MAX_SIZE_MB
    on_site_limit_hours: int = DEFAULT_ON_SITE_LIMIT_HOURS
    pass_retention_days: int = DEFAULT_PASS_RETENTION_DAYS
    # Plates are personal data: a household may show the plate log to its administrators only.
    plate_log_admin_only: bool = False

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Settings:
        """The site entry's options: out of range is brought into it, missing takes its default."""
        defaults = cls()

        def number(key: str, default: int, low: int, high: int | None = None) -> int:
            try:
                value = max(int(options.get(key, default)), low)
            except (TypeError, ValueError):
                return default
            return value if high is None else min(value, high)

        return cls(
            tolerance=number(CONF_TOLERANCE, defaults.tolerance, 0, MAX_TOLERANCE),
            history=bool(options.get(CONF_HISTORY, defaults.history)),
            retention_days=number(CONF_RETENTION_DAYS, defaults.retention_days, 1),
            max_size_mb=number(CONF_MAX_SIZE_MB, defaults.max_size_mb, 1),
            on_site_limit_hours=number(CONF_ON_SITE_LIMIT, defaults.on_site_limit_hours, 1),
            pass_retention_days=number(CONF_PASS_RETENTION_DAYS, defaults.pass_retention_days, 0),
            plate_log_admin_only=bool(options.get(CONF_PLATE_LOG_ADMIN_ONLY, False)),
        )

    def as_options(self) -> dict[str, Any]:
        """The settings as the site entry stores them."""
        return {
            CONF_TOLERANCE: self.tolerance,
            CONF_HISTORY: self.history,
            CONF_RETENTION_DAYS: self.retention_days,
            CONF_MAX_SIZE_MB: self.max_size_mb,
            CONF_ON_SITE_LIMIT: self.on_site_limit_hours,
            CONF_PASS_RETENTION_DAYS: self.pass_retention_days,
            CONF_PLATE_LOG_ADMIN_ONLY: self.plate_log_admin_only,
        }


@dataclass(frozen=True, slots=True)
class ReadMatch:
    """What the known vehicles say about one read.

    `ties` lists the known plates that are equally close when there is more than one: then the
    read is not known, rather than guessed. `pass_status` is set for a vehicle with a pass.
    """

    vehicle: KnownVehicle | None = None
    distance: float | None = None
    ties: tuple[str, ...] = ()
    authorized: bool = False
    pass_status: PassStatus | None = None

    @property
    def known(self) -> bool:
        """Whether exactly one known vehicle matched."""
        return self.vehicle is not None

    @property
    def event_type(self) -> str:
        """known, unknown, or denied (a known vehicle on the deny list)."""
        if self.vehicle is None:
            return EVENT_TYPE_UNKNOWN
        return EVENT_TYPE_DENIED if self.vehicle.plate_list is PlateList.DENY else EVENT_TYPE_KNOWN


NOT_KNOWN = ReadMatch()


def clean_plate(plate: str) -> str:
    """Validate a plate the user typed; return it as stored (upper case, single spaces).

    Raises KnownVehicleError("invalid_plate") unless it normalises to 1 to 16 letters and digits.
    """
    cleaned = " ".join(plate.upper().split())
    key = normalise(cleaned)
    if not key or len(key) > MAX_PLATE_LENGTH or not key.isalnum():
        raise KnownVehicleError("invalid_plate", plate=plate, max_length=str(MAX_PLATE_LENGTH))
    return cleaned


def clean_name(name: str) -> str:
    """Validate a vehicle's name: optional, at most 100 characters."""
    cleaned = name.strip()
    if len(cleaned) > MAX_NAME_LENGTH:
        raise KnownVehicleError("name_too_long", max_length=str(MAX_NAME_LENGTH))
    return cleaned


def clean_list(value: str) -> PlateList:
    """Validate a list name: allow or deny."""
    try:
        return PlateList(value)
    except ValueError:
        raise KnownVehicleError("invalid_list", list=value) from None


def vehicle_data(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A known vehicle's subentry data from what a form or an action gave, validated.

    Times come as datetime/time objects or their ISO text; a naive date and time is the
    site's local time. Raises KnownVehicleError naming the field at fault.
    """
    data: dict[str, Any] = {
        ATTR_PLATE: clean_plate(str(fields[ATTR_PLATE])),
        ATTR_NAME: clean_name(str(fields.get(ATTR_NAME) or "")),
        ATTR_LIST: str(clean_list(str(fields.get(ATTR_LIST) or PlateList.ALLOW))),
        ATTR_VALID_FROM: _moment_text(fields.get(ATTR_VALID_FROM)),
        ATTR_VALID_UNTIL: _moment_text(fields.get(ATTR_VALID_UNTIL)),
        ATTR_WEEKDAYS: _weekdays(fields.get(ATTR_WEEKDAYS)),
        ATTR_START: _clock_text(fields.get(ATTR_START)),
        ATTR_END: _clock_text(fields.get(ATTR_END)),
    }
    try:
        _vehicle_pass(data)
    except ValueError as err:
        raise KnownVehicleError("invalid_pass", error=str(err)) from err
    return data


def vehicle_subentry(data: Mapping[str, Any], words: VehicleWords) -> ConfigSubentryData:
    """The subentry of a known vehicle whose data vehicle_data() made."""
    return ConfigSubentryData(
        data=data,
        subentry_type=SUBENTRY_VEHICLE,
        title=words.title(_known_vehicle("", data)),
        unique_id=normalise(str(data[ATTR_PLATE])),
    )


def legacy_vehicles(
    plates: Iterable[Mapping[str, Any]], words: VehicleWords
) -> list[ConfigSubentryData]:
    """The subentries of the known plates of before the site entry.

    Any that fail to validate, or repeat a plate already taken, are left out rather than
    stopping the move.
    """
    subentries: dict[str, ConfigSubentryData] = {}
    for plate in plates:
        try:
            made = vehicle_subentry(vehicle_data(plate), words)
        except (KeyError, KnownVehicleError):
            continue
        subentries.setdefault(str(made["unique_id"]), made)
    return list(subentries.values())


def known_vehicle(subentry: ConfigSubentry) -> KnownVehicle:
    """The known vehicle a subentry holds."""
    return _known_vehicle(subentry.subentry_id, subentry.data)


def _known_vehicle(vehicle_id: str, data: Mapping[str, Any]) -> KnownVehicle:
    return KnownVehicle(
        vehicle_id=vehicle_id,
        plate=str(data[ATTR_PLATE]),
        name=str(data.get(ATTR_NAME, "")),
        plate_list=PlateList(data.get(ATTR_LIST, PlateList.ALLOW)),
        vehicle_pass=_vehicle_pass(data),
    )


@dataclass(frozen=True, slots=True)
class VehicleWords:
    """How a known vehicle is shown: its subentry's title and its device's model.

    Both are plain text, which the frontend shows as stored: they are written in Home
    Assistant's language (English where a text is missing), and written again at each setup
    of the site entry (`async_retitle_vehicles`).
    """

    known_vehicle: str
    lists: Mapping[PlateList, str]
    pass_word: str
    valid_from: str  # "from {moment}"
    valid_until: str  # "until {moment}"
    weekdays: Sequence[str]  # Monday to Sunday

    @classmethod
    def of(cls, hass: HomeAssistant) -> VehicleWords:
        """The words in Home Assistant's language, from the translations it loaded at setup."""
        texts: dict[str, str] = {}
        for category in ("config_subentries", "selector"):
            for language in ("en", hass.config.language):
                texts |= async_get_cached_translations(hass, language, category, DOMAIN)

        def text(key: str) -> str:
            return texts.get(f"component.{DOMAIN}.{key}", key.rsplit(".", 1)[-1])

        words = "selector.vehicle_words.options"
        return cls(
            known_vehicle=text(f"config_subentries.{SUBENTRY_VEHICLE}.entry_type"),
            lists={kind: text(f"selector.plate_list.options.{kind}") for kind in PlateList},
            pass_word=text(f"{words}.pass"),
            valid_from=text(f"{words}.valid_from"),
            valid_until=text(f"{words}.valid_until"),
            weekdays=[text(f"selector.weekdays.options.{day}") for day in WEEKDAYS],
        )

    def title(self, vehicle: KnownVehicle) -> str:
        """The subentry's title: Anna's car · AB-123, Cleaner · CL-1 · Pass until ...

        A vehicle on the deny list cannot be taken for an allowed one: ⛔ Repo man · X 99 ·
        Deny list. A pass is shown only on the allow list, where it counts.
        """
        parts = [vehicle.name, vehicle.plate] if vehicle.name else [vehicle.plate]
        if vehicle.plate_list is PlateList.DENY:
            return "⛔ " + " · ".join([*parts, self.lists[PlateList.DENY]])
        return " · ".join([*parts, *self._pass(vehicle)])

    def model(self, vehicle: KnownVehicle) -> str:
        """The device's model: Known vehicle · AB-123 · Allow list · Pass until ..."""
        return " · ".join(
            [
                self.known_vehicle,
                vehicle.plate,
                self.lists[vehicle.plate_list],
                *self._pass(vehicle),
            ]
        )

    def _pass(self, vehicle: KnownVehicle) -> list[str]:
        """Pass from 2026-12-01 08:00 until 2026-12-06 23:59, Monday–Friday 07:00–09:00."""
        vehicle_pass = vehicle.vehicle_pass
        if vehicle_pass is None or vehicle.plate_list is not PlateList.ALLOW:
            return []
        dates = [
            template.replace("{moment}", f"{dt_util.as_local(moment):%Y-%m-%d %H:%M}")
            for template, moment in (
                (self.valid_from, vehicle_pass.valid_from),
                (self.valid_until, vehicle_pass.valid_until),
            )
            if moment is not None
        ]
        hours = self._days(vehicle_pass.weekdays)
        start, end = vehicle_pass.start, vehicle_pass.end
        if start is not None and end is not None and start != end:
            hours.append(f"{start:%H:%M}–{end:%H:%M}")
        when = ", ".join(" ".join(words) for words in (dates, hours) if words)
        return [f"{self.pass_word} {when}"]

    def _days(self, weekdays: frozenset[int]) -> list[str]:
        """The days of a pass, three or more in a row as a range: Monday–Friday, Sunday."""
        runs: list[list[int]] = []
        for day in sorted(weekdays):
            if runs and runs[-1][-1] == day - 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        shown = [
            f"{self.weekdays[run[0]]}–{self.weekdays[run[-1]]}"
            if len(run) >= 3
            else ", ".join(self.weekdays[day] for day in run)
            for run in runs
        ]
        return [", ".join(shown)] if shown else []


@dataclass(frozen=True, slots=True)
class _Vehicles:
    """The known vehicles of one version of the site entry, indexed once."""

    # What they were read from: Home Assistant replaces each of these when it changes them.
    sources: tuple[object, ...]
    settings: Settings
    vehicles: list[KnownVehicle]
    by_key: dict[str, KnownVehicle]
    by_id: dict[str, KnownVehicle]
    by_plate: dict[str, KnownVehicle]

    @classmethod
    def of(cls, entry: ConfigEntry | None) -> _Vehicles:
        vehicles = sorted(vehicles_of(entry), key=lambda vehicle: vehicle.key) if entry else []
        return cls(
            sources=_sources(entry),
            settings=Settings.from_options(entry.options if entry else {}),
            vehicles=vehicles,
            by_key={vehicle.key: vehicle for vehicle in vehicles},
            by_id={vehicle.vehicle_id: vehicle for vehicle in vehicles},
            by_plate={vehicle.plate: vehicle for vehicle in vehicles},
        )


def _sources(entry: ConfigEntry | None) -> tuple[object, ...]:
    """The objects a site entry's vehicles and settings are read from."""
    if entry is None:
        return ()
    subentries = entry.subentries
    return (entry, entry.options, subentries, *(subentry.data for subentry in subentries.values()))


def vehicles_of(entry: ConfigEntry) -> list[KnownVehicle]:
    """The known vehicles a site entry holds (its subentries of the vehicle type)."""
    return [
        known_vehicle(subentry)
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_VEHICLE
    ]


class KnownVehicles:
    """The site's known vehicles and settings, read from (and written to) the site entry.

    The site entry is their one home; what is read from it is indexed once per change of the
    entry: Home Assistant gives the entry new options, subentries or subentry data when it
    changes them, so a change is the same objects no longer being there.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing is read until asked."""
        self._hass = hass
        self._site_entry_id: str | None = None
        self._indexed = _Vehicles.of(None)

    @property
    def site_entry(self) -> ConfigEntry | None:
        """The site's config entry, once it exists."""
        entries = self._hass.config_entries
        if self._site_entry_id and (entry := entries.async_get_entry(self._site_entry_id)):
            return entry
        entry = next((e for e in entries.async_entries(DOMAIN) if is_site_entry(e)), None)
        self._site_entry_id = entry.entry_id if entry else None
        return entry

    def _current(self) -> _Vehicles:
        entry = self.site_entry
        sources = _sources(entry)
        indexed = self._indexed.sources
        if len(sources) != len(indexed) or any(
            new is not old for new, old in zip(sources, indexed, strict=True)
        ):
            self._indexed = _Vehicles.of(entry)
        return self._indexed

    @property
    def settings(self) -> Settings:
        """The site's settings (the defaults until the site entry exists)."""
        return self._current().settings

    @property
    def vehicles(self) -> list[KnownVehicle]:
        """Every known vehicle, in plate order."""
        return self._current().vehicles

    def get(self, plate: str) -> KnownVehicle | None:
        """The known vehicle with this plate (compared normalised), if any."""
        return self._current().by_key.get(normalise(plate))

    def by_id(self, vehicle_id: str) -> KnownVehicle | None:
        """The known vehicle of a subentry, if it is (still) there."""
        return self._current().by_id.get(vehicle_id)

    def match(self, plate: str, at: datetime) -> ReadMatch:
        """Match a read plate (read at `at`) within the tolerance, and check its pass."""
        current = self._current()
        if not current.vehicles:
            return NOT_KNOWN
        found = match_plate(plate, current.by_plate, current.settings.tolerance)
        if found.plate is None:
            return ReadMatch(distance=found.distance, ties=found.ties)
        vehicle = current.by_plate[found.plate]
        return ReadMatch(
            vehicle=vehicle,
            distance=found.distance,
            authorized=vehicle.authorized(at),
            pass_status=vehicle.pass_status(at),
        )

    @callback
    def async_save(self, changes: Mapping[str, Any]) -> KnownVehicle:
        """Add a vehicle, or change only the given fields of the one with that plate.

        A field given as None (or an empty list of weekdays) is cleared. Raises
        KnownVehicleError for input it refuses and "no_site" without a site entry.
        """
        entry = self._required_site_entry()
        current = self.get(str(changes[ATTR_PLATE]))
        if current is None:
            subentry = _new_subentry(
                vehicle_subentry(vehicle_data(changes), VehicleWords.of(self._hass))
            )
            self._hass.config_entries.async_add_subentry(entry, subentry)
            return known_vehicle(subentry)
        old = entry.subentries[current.vehicle_id]
        # The plate keeps the writing it has; only the fields given change.
        data = vehicle_data({**old.data, **changes, ATTR_PLATE: old.data[ATTR_PLATE]})
        self.async_update(old, data)
        return known_vehicle(entry.subentries[current.vehicle_id])

    @callback
    def async_update(self, subentry: ConfigSubentry, data: Mapping[str, Any]) -> None:
        """Replace a vehicle's data (made by vehicle_data) and its title."""
        async_update_vehicle(self._hass, self._required_site_entry(), subentry, data)

    @callback
    def async_remove(self, plates: Iterable[str]) -> None:
        """Remove known vehicles by plate (compared normalised); all must be known."""
        entry = self._required_site_entry()
        wanted = list(plates)
        vehicles = [self.get(plate) for plate in wanted]
        for plate, vehicle in zip(wanted, vehicles, strict=True):
            if vehicle is None:
                raise KnownVehicleError("not_known", plate=plate)
        for vehicle in vehicles:
            if vehicle is not None:
                self._hass.config_entries.async_remove_subentry(entry, vehicle.vehicle_id)

    def _required_site_entry(self) -> ConfigEntry:
        if (entry := self.site_entry) is None:
            raise KnownVehicleError("no_site")
        return entry


@callback
def async_update_vehicle(
    hass: HomeAssistant, entry: ConfigEntry, subentry: ConfigSubentry, data: Mapping[str, Any]
) -> None:
    """Replace a known vehicle's data (made by vehicle_data) and its title."""
    made = vehicle_subentry(data, VehicleWords.of(hass))
    hass.config_entries.async_update_subentry(
        entry, subentry, data=made["data"], title=made["title"], unique_id=made["unique_id"]
    )


@callback
def async_retitle_vehicles(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Give every known vehicle the title of this version, in Home Assistant's language.

    Only titles change: the data, and so every device, entity and automation, stay as they are.
    """
    words = VehicleWords.of(hass)
    for subentry in list(entry.subentries.values()):
        if subentry.subentry_type != SUBENTRY_VEHICLE:
            continue
        title = words.title(known_vehicle(subentry))
        if subentry.title != title:
            hass.config_entries.async_update_subentry(entry, subentry, title=title)


def vehicle_with_plate(entry: ConfigEntry, plate: str) -> KnownVehicle | None:
    """The known vehicle of a site entry with this plate (compared normalised), if any."""
    key = normalise(plate)
    return next((vehicle for vehicle in vehicles_of(entry) if vehicle.key == key), None)


def _new_subentry(made: ConfigSubentryData) -> ConfigSubentry:
    return ConfigSubentry(
        data=MappingProxyType(dict(made["data"])),
        subentry_type=made["subentry_type"],
        title=made["title"],
        unique_id=made["unique_id"],
    )


def _vehicle_pass(data: Mapping[str, Any]) -> VehiclePass | None:
    """The pass a vehicle's data describes; None when it sets no limit at all."""
    if not any(data.get(key) for key in PASS_FIELDS):
        return None
    return VehiclePass(
        valid_from=_moment(data.get(ATTR_VALID_FROM)),
        valid_until=_moment(data.get(ATTR_VALID_UNTIL)),
        weekdays=frozenset(WEEKDAYS.index(day) for day in data.get(ATTR_WEEKDAYS) or ()),
        start=_clock(data.get(ATTR_START)),
        end=_clock(data.get(ATTR_END)),
    )


def _moment(value: Any) -> datetime | None:
    """A stored moment: ISO text with its zone (a naive one is the site's local time)."""
    if not value:
        return None
    moment = value if isinstance(value, datetime) else dt_util.parse_datetime(str(value))
    if moment is None:
        raise KnownVehicleError("invalid_pass", error=f"{value!r} is no date and time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt_util.get_default_time_zone())
    return moment


def _moment_text(value: Any) -> str | None:
    moment = _moment(value)
    return None if moment is None else moment.isoformat()


def _clock(value: Any) -> time | None:
    if value is None or value == "":
        return None
    clock = value if isinstance(value, time) else dt_util.parse_time(str(value))
    if clock is None:
        raise KnownVehicleError("invalid_pass", error=f"{value!r} is no time of day")
    return clock


def _clock_text(value: Any) -> str | None:
    clock = _clock(value)
    return None if clock is None else clock.isoformat()


def _weekdays(value: Any) -> list[str]:
    days = [str(day).lower() for day in value or ()]
    if unknown := [day for day in days if day not in WEEKDAYS]:
        raise KnownVehicleError("invalid_pass", error=f"not weekdays: {', '.join(unknown)}")
    return sorted(set(days), key=WEEKDAYS.index)
