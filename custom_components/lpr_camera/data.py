"""What the integration keeps for every camera at once, in hass.data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .plate_log.log import PlateLog
from .plate_log.pictures import PictureHistory
from .site.known_vehicles import KnownVehicles
from .site.presence import Site


@dataclass(slots=True)
class LprCameraData:
    """The integration-wide state: known vehicles and settings, site, pictures, plate log."""

    known_vehicles: KnownVehicles
    site: Site
    history: PictureHistory
    plate_log: PlateLog


DATA_KEY: HassKey[LprCameraData] = HassKey(DOMAIN)


_VEHICLE_PREFIX = "vehicle_"


def vehicle_identifier(vehicle_id: str) -> tuple[str, str]:
    """The device registry identifier of a known vehicle's device."""
    return (DOMAIN, _VEHICLE_PREFIX + vehicle_id)


@callback
def async_vehicle_device_id(hass: HomeAssistant, vehicle_id: str) -> str | None:
    """The id of a known vehicle's device, once the site entry has registered it."""
    site = hass.data[DATA_KEY].known_vehicles.site_entry
    if site is None:
        return None
    identifier = vehicle_identifier(vehicle_id)
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), site.entry_id)
    return next((device.id for device in devices if identifier in device.identifiers), None)


def device_subject(identifiers: Iterable[tuple[str, str]]) -> tuple[str | None, str | None]:
    """What a device of ours stands for: (config entry id, None) or (None, known vehicle id)."""
    for domain, identifier in identifiers:
        if domain == DOMAIN:
            if identifier.startswith(_VEHICLE_PREFIX):
                return None, identifier.removeprefix(_VEHICLE_PREFIX)
            return identifier, None
    return None, None
