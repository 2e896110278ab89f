"""The site's one store: who is on site, the last sightings, and the correction rules.

Each part of the site that keeps something across restarts gives its data (a few top-level
keys) and is handed what was stored under them. Saved shortly after each change (a burst of
reads is one write) and when Home Assistant stops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store

from ..const import DOMAIN

STORE_KEY = f"{DOMAIN}.site"
STORE_VERSION = 1
SAVE_DELAY = 1.0  # seconds


class SiteStore:
    """The store of the site's parts; each part's data is a few top-level keys."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing is read until loaded."""
        self._store: Store[dict[str, Any]] = Store(hass, STORE_VERSION, STORE_KEY)
        self._parts: list[Callable[[], dict[str, Any]]] = []

    def add_part(self, data: Callable[[], dict[str, Any]]) -> None:
        """A part whose data is saved with the others."""
        self._parts.append(data)

    async def async_load(self) -> dict[str, Any]:
        """What was stored; empty when nothing was, or what was is no mapping."""
        stored = await self._store.async_load()
        return stored if isinstance(stored, dict) else {}

    @callback
    def async_save_soon(self) -> None:
        """Save every part's data within SAVE_DELAY (and at the latest as Home Assistant stops)."""
        self._store.async_delay_save(self._data, SAVE_DELAY)

    def _data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for part in self._parts:
            data |= part()
        return data
