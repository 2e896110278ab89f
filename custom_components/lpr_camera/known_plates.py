"""The known plates and the settings every camera shares, kept in one store.

Known plates belong to the integration, not to a camera: the family's car is known at the gate
and at the garage alike. Each read is matched here (normalised, within the tolerance the user
set, OCR look-alikes costing less) and the result travels with the read to the bus event, the
event entity, the logbook and the picture history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import (
    DEFAULT_HISTORY,
    DEFAULT_MAX_SIZE_MB,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_TOLERANCE,
    DOMAIN,
    EVENT_TYPE_DENIED,
    EVENT_TYPE_KNOWN,
    EVENT_TYPE_UNKNOWN,
)
from .lpr.matching import MAX_TOLERANCE, match_plate, normalise

STORE_KEY = f"{DOMAIN}.known_plates"
STORE_VERSION = 1

MAX_PLATE_LENGTH = 16  # normalised: letters and digits only
MAX_NAME_LENGTH = 100


class PlateList(StrEnum):
    """The integration's own lists (the camera's allow/deny list is a separate field)."""

    ALLOW = "allow"
    DENY = "deny"


class KnownPlateError(ValueError):
    """Input the known plates refuse; `key` names the translated message."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """Keep the translation key and its placeholders."""
        super().__init__(key)
        self.key = key
        self.placeholders = placeholders


@dataclass(frozen=True, slots=True)
class KnownPlate:
    """A plate the user knows: as written, a name, and the list it is on."""

    plate: str
    name: str
    plate_list: PlateList

    @property
    def key(self) -> str:
        """The form the plate is compared in: two known plates never share it."""
        return normalise(self.plate)


@dataclass(frozen=True, slots=True)
class Settings:
    """The integration-wide settings of matching and picture history."""

    tolerance: int = DEFAULT_TOLERANCE
    history: bool = DEFAULT_HISTORY
    retention_days: int = DEFAULT_RETENTION_DAYS
    max_size_mb: int = DEFAULT_MAX_SIZE_MB


@dataclass(frozen=True, slots=True)
class ReadMatch:
    """What the known plates say about one read.

    `ties` lists the known plates that are equally close when there is more than one: then the
    read is not known, rather than guessed.
    """

    known: bool = False
    name: str | None = None
    plate_list: PlateList | None = None
    matched_plate: str | None = None
    distance: float | None = None
    ties: tuple[str, ...] = ()

    @property
    def event_type(self) -> str:
        """known, unknown, or denied (a known plate on the deny list)."""
        if not self.known:
            return EVENT_TYPE_UNKNOWN
        return EVENT_TYPE_DENIED if self.plate_list is PlateList.DENY else EVENT_TYPE_KNOWN

    def as_dict(self) -> dict[str, Any]:
        """The fields the bus event, the event entity and the history carry."""
        return {
            "event_type": self.event_type,
            "known": self.known,
            "known_name": self.name,
            "known_list": None if self.plate_list is None else str(self.plate_list),
            "matched_plate": self.matched_plate,
            "match_distance": self.distance,
            "match_ties": list(self.ties),
        }


NOT_KNOWN = ReadMatch()


def clean_plate(plate: str) -> str:
    """Validate a plate the user typed; return it as stored (upper case, single spaces).

    Raises KnownPlateError("invalid_plate") unless it normalises to 1 to 16 letters and digits.
    """
    cleaned = " ".join(plate.upper().split())
    key = normalise(cleaned)
    if not key or len(key) > MAX_PLATE_LENGTH or not key.isalnum():
        raise KnownPlateError("invalid_plate", plate=plate, max_length=str(MAX_PLATE_LENGTH))
    return cleaned


def clean_name(name: str) -> str:
    """Validate a plate's name: optional, at most 100 characters."""
    cleaned = name.strip()
    if len(cleaned) > MAX_NAME_LENGTH:
        raise KnownPlateError("name_too_long", max_length=str(MAX_NAME_LENGTH))
    return cleaned


def clean_list(value: str) -> PlateList:
    """Validate a list name: allow or deny."""
    try:
        return PlateList(value)
    except ValueError:
        raise KnownPlateError("invalid_list", list=value) from None


class KnownPlates:
    """The known plates and the shared settings, loaded once and saved on every change."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start empty until loaded."""
        self._store: Store[dict[str, Any]] = Store(hass, STORE_VERSION, STORE_KEY)
        self._plates: dict[str, KnownPlate] = {}
        self.settings = Settings()

    async def async_load(self) -> None:
        """Read the store; anything missing takes its default."""
        stored = await self._store.async_load() or {}
        plates = (_plate_from_dict(item) for item in stored.get("plates", []))
        self._plates = {plate.key: plate for plate in plates if plate is not None}
        self.settings = _settings_from_dict(stored.get("settings", {}))

    @property
    def plates(self) -> list[KnownPlate]:
        """Every known plate, in plate order."""
        return sorted(self._plates.values(), key=lambda known: known.key)

    def get(self, plate: str) -> KnownPlate | None:
        """The known plate written this way (compared normalised), if any."""
        return self._plates.get(normalise(plate))

    def match(self, plate: str) -> ReadMatch:
        """Match a read plate against the known plates within the tolerance."""
        if not self._plates:
            return NOT_KNOWN
        by_text = {known.plate: known for known in self._plates.values()}
        found = match_plate(plate, by_text, self.settings.tolerance)
        if found.plate is None:
            return ReadMatch(distance=found.distance, ties=found.ties)
        known = by_text[found.plate]
        return ReadMatch(
            known=True,
            name=known.name or None,
            plate_list=known.plate_list,
            matched_plate=known.plate,
            distance=found.distance,
        )

    async def async_add(
        self, plate: str, name: str, plate_list: str, *, update: bool = False
    ) -> KnownPlate:
        """Add a plate; an already known plate is an error unless `update` is set."""
        known = _known_plate(plate, name, plate_list)
        if known.key in self._plates and not update:
            raise KnownPlateError("already_known", plate=self._plates[known.key].plate)
        self._plates[known.key] = known
        await self._async_save()
        return known

    async def async_edit(self, old_plate: str, plate: str, name: str, plate_list: str) -> None:
        """Change a known plate; it may not become another known plate."""
        old_key = normalise(old_plate)
        if old_key not in self._plates:
            raise KnownPlateError("not_known", plate=old_plate)
        known = _known_plate(plate, name, plate_list)
        if known.key != old_key and known.key in self._plates:
            raise KnownPlateError("already_known", plate=self._plates[known.key].plate)
        del self._plates[old_key]
        self._plates[known.key] = known
        await self._async_save()

    async def async_remove(self, plates: Iterable[str]) -> None:
        """Remove known plates (compared normalised); all must be known."""
        wanted = list(plates)
        keys = [normalise(plate) for plate in wanted]
        for plate, key in zip(wanted, keys, strict=True):
            if key not in self._plates:
                raise KnownPlateError("not_known", plate=plate)
        for key in keys:
            del self._plates[key]
        await self._async_save()

    async def async_set_settings(self, **changes: Any) -> None:
        """Change the shared settings."""
        self.settings = replace(self.settings, **changes)
        await self._async_save()

    async def _async_save(self) -> None:
        await self._store.async_save(
            {
                "plates": [
                    {"plate": known.plate, "name": known.name, "list": str(known.plate_list)}
                    for known in self.plates
                ],
                "settings": asdict(self.settings),
            }
        )


def _known_plate(plate: str, name: str, plate_list: str) -> KnownPlate:
    return KnownPlate(clean_plate(plate), clean_name(name), clean_list(plate_list))


def _plate_from_dict(item: Mapping[str, Any]) -> KnownPlate | None:
    """A stored plate; one that no longer validates is dropped rather than breaking the load."""
    try:
        return _known_plate(
            str(item["plate"]), str(item.get("name", "")), str(item.get("list", PlateList.ALLOW))
        )
    except (KeyError, KnownPlateError):
        return None


def _settings_from_dict(stored: Mapping[str, Any]) -> Settings:
    defaults = Settings()
    return Settings(
        tolerance=min(max(int(stored.get("tolerance", defaults.tolerance)), 0), MAX_TOLERANCE),
        history=bool(stored.get("history", defaults.history)),
        retention_days=max(int(stored.get("retention_days", defaults.retention_days)), 1),
        max_size_mb=max(int(stored.get("max_size_mb", defaults.max_size_mb)), 1),
    )
