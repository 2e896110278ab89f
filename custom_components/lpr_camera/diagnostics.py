"""Diagnostics: the entry's settings (secrets redacted), the connection and the last reads."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from .coordinator import LprCameraConfigEntry
from .data import DATA_KEY

TO_REDACT = {CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID}
# Names of people are not needed to debug a match: the matched plate says which one it was.
READ_TO_REDACT = {"known_name"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: LprCameraConfigEntry
) -> dict[str, Any]:
    """Return what helps to debug a camera, without its secrets or pictures."""
    state = entry.runtime_data.data
    known_plates = hass.data[DATA_KEY].known_plates
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "connected": state.connected,
        "last_read": state.last_read.as_dict() if state.last_read else None,
        # The newest last; the known plates themselves (people's names) are left out.
        "recent_reads": async_redact_data(list(entry.runtime_data.recent_reads), READ_TO_REDACT),
        "known_plates": len(known_plates.plates),
        "settings": asdict(known_plates.settings),
    }
