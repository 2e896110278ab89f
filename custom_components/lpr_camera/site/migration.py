"""The known plates of before the site entry (one store), moved into the site entry once.

Until version 0.1 the known plates and the shared settings lived in the store
`lpr_camera.known_plates`: {"plates": [{"plate", "name", "list"}], "settings": {...}}. The site
entry is created from it, and the store is removed once the site entry is set up.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from ..const import DOMAIN

LEGACY_STORE_KEY = f"{DOMAIN}.known_plates"
LEGACY_STORE_VERSION = 1


def _legacy_store(hass: HomeAssistant) -> Store[dict[str, Any]]:
    return Store(hass, LEGACY_STORE_VERSION, LEGACY_STORE_KEY)


async def async_load_legacy_known_plates(hass: HomeAssistant) -> dict[str, Any]:
    """The old store's plates and settings; empty when there is none."""
    return await _legacy_store(hass).async_load() or {}


async def async_remove_legacy_known_plates(hass: HomeAssistant) -> None:
    """Remove the old store, now that the site entry holds what it held."""
    await _legacy_store(hass).async_remove()
