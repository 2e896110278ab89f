"""Diagnostics: the entry's settings, the connection and the last reads, safe to post publicly.

Secrets and the names of people are redacted; plates (personal data in much of the world) are
masked wherever they appear, down to the raw fields the camera sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    CONF_API_KEY,
    CONF_MAC,
    CONF_PASSWORD,
    CONF_UNIQUE_ID,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .coordinator import LprCameraCoordinator
from .lpr.privacy import mask_plate, mask_plates
from .read import Goes, Private, private_keys
from .site import Site

# An HTTP camera's unique id is its webhook id (a webhook source's holds it); the API key is the
# one ALPR-Database's webhook source may require.
TO_REDACT = {
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
    CONF_UNIQUE_ID,
    CONF_MAC,
    CONF_API_KEY,
}
# Names of people are not needed to debug a match: the masked matched plate says which one it was.
READ_TO_REDACT = set(private_keys(Private.NAME))
# The fields of a read that hold a plate, or a list of plates.
PLATE_FIELDS = private_keys(Private.PLATE)
PLATE_LIST_FIELDS = private_keys(Private.PLATES)


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ConfigEntry
) -> dict[str, Any]:
    """Return what helps to debug a camera or the site, without secrets, pictures or plates."""
    if isinstance(site := entry.runtime_data, Site):
        return _site_diagnostics(entry, site)
    coordinator: LprCameraCoordinator = entry.runtime_data
    known_vehicles = coordinator.site.known_vehicles
    # Names out first: a plate written like a key (NAME) would hide the key from the redaction.
    unnamed = async_redact_data(list(coordinator.recent_reads), READ_TO_REDACT)
    recent_reads = [masked_read(read) for read in unnamed]
    last = coordinator.last_record
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "connected": coordinator.data.connected,
        "last_read": (
            masked_read(async_redact_data(last.fields(Goes.EVENT), READ_TO_REDACT))
            if last
            else None
        ),
        # The newest last; the known vehicles themselves (people's names) are left out.
        "recent_reads": recent_reads,
        # TCP reads that look decoded from a layout we do not know: the metadata, plate masked.
        "unusual_metadata": [item.as_dict() for item in coordinator.unusual_metadata],
        # What was let go past a bound (README, Bounds), by kind.
        "shed": dict(coordinator.shed),
        "known_vehicles": len(known_vehicles.vehicles),
        "settings": asdict(known_vehicles.settings),
    }


def _site_diagnostics(entry: ConfigEntry, site: Site) -> dict[str, Any]:
    """The settings, the known vehicles, those on site and the rules: plates masked, no names."""
    now = dt_util.utcnow()
    site_entry = {key: value for key, value in entry.as_dict().items() if key != "subentries"}
    return {
        "entry": site_entry,
        "settings": asdict(site.known_vehicles.settings),
        "shed": dict(site.shed),
        "known_vehicles": [
            {
                "plate": mask_plate(vehicle.plate),
                "list": str(vehicle.plate_list),
                "pass_status": vehicle.pass_status(now),
                "on_site": site.presence.is_on_site(vehicle.vehicle_id),
                "last_seen": (
                    seen.time.isoformat()
                    if (seen := site.presence.last_seen(vehicle.vehicle_id))
                    else None
                ),
            }
            for vehicle in site.known_vehicles.vehicles
        ],
        "vehicles_on_site": [
            {
                "plate": mask_plate(item.plate),
                "known": item.vehicle_id is not None,
                "arrival": item.arrival.time.isoformat(),
            }
            for item in site.presence.on_site
        ],
        "correction_rules": [
            {
                "config_entry_id": rule.config_entry_id,
                "read_plate": mask_plate(rule.read_plate),
                "plate": mask_plate(rule.plate),
            }
            for rule in site.rules.rules
        ],
    }


def masked_read(read: Mapping[str, Any]) -> dict[str, Any]:
    """A read's data with every plate in it masked, however written, in the raw fields too."""
    plates = [read.get(field) for field in PLATE_FIELDS]
    plates += [plate for field in PLATE_LIST_FIELDS for plate in read.get(field) or ()]
    masked: dict[str, Any] = mask_plates(read, [p for p in plates if isinstance(p, str)])
    return masked
