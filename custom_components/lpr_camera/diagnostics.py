"""Diagnostics: the entry's settings (secrets redacted), the connection and the last read."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .coordinator import LprCameraConfigEntry

TO_REDACT = {CONF_PASSWORD, CONF_USERNAME}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: LprCameraConfigEntry
) -> dict[str, Any]:
    """Return what helps to debug a camera, without its secrets or pictures."""
    state = entry.runtime_data.data
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "connected": state.connected,
        "last_read": state.last_read.as_dict() if state.last_read else None,
    }
