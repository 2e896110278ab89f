"""The plate log's panel: the integration serves its frontend/ folder and adds it to the sidebar.

The folder is served once per run (a static path cannot be taken back), under its version; the
sidebar entry comes with the first config entry set up and goes with the last one unloaded.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Final

from homeassistant.components import frontend, panel_custom
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant, callback
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN, LOGGER

FRONTEND_DIR: Final = Path(__file__).parent / "frontend"
STATIC_URL: Final = f"/{DOMAIN}/frontend"
MODULE_FILE: Final = "lpr-plate-log.js"
WEBCOMPONENT: Final = "lpr-plate-log"
PANEL_URL_PATH: Final = "lpr-plates"
SIDEBAR_ICON: Final = "mdi:car-search"

# The module's URL, in the folder's versioned path, and the sidebar title: set once the folder
# is served.
_MODULE_URL: HassKey[str] = HassKey(f"{DOMAIN}_panel_module_url")
_TITLE: HassKey[str] = HassKey(f"{DOMAIN}_panel_title")


def frontend_version(folder: Path = FRONTEND_DIR) -> str:
    """A short hash of every file of the folder, names included (blocking: run in the executor).

    Static files are cached by browsers for a month: the folder is served under this version, so
    after an update every file has a new URL. The panel's modules import each other and fetch
    their strings by relative URLs, which keep the version of the module that asks.
    """
    digest = hashlib.sha256()
    for file in sorted(path for path in folder.rglob("*") if path.is_file()):
        digest.update(file.relative_to(folder).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


async def async_serve_frontend(hass: HomeAssistant) -> None:
    """Serve frontend/ at STATIC_URL/<version> (public, as every panel's code is: no data)."""
    folder_url = f"{STATIC_URL}/{await hass.async_add_executor_job(frontend_version)}"
    await hass.http.async_register_static_paths(
        [StaticPathConfig(folder_url, str(FRONTEND_DIR), cache_headers=True)]
    )
    hass.data[_MODULE_URL] = f"{folder_url}/{MODULE_FILE}"
    hass.data[_TITLE] = await hass.async_add_executor_job(sidebar_title, hass.config.language)


def sidebar_title(language: str, folder: Path = FRONTEND_DIR) -> str:
    """The panel's title in that language, else English (blocking: run in the executor).

    A sidebar entry has one title for every user: Home Assistant's own language is the best
    guess; the panel itself speaks each user's language.
    """
    for candidate in (language, language.split("-", maxsplit=1)[0], "en"):
        strings = folder / "translations" / f"{candidate}.json"
        if strings.is_file():
            title: str = json.loads(strings.read_text(encoding="utf-8"))["title"]
            return title
    raise FileNotFoundError(folder / "translations" / "en.json")


async def async_show_panel(hass: HomeAssistant, admin_only: bool) -> None:
    """Add the Plates panel to the sidebar (for administrators only, or for every user)."""
    if frontend.DOMAIN not in hass.config.components:
        # Without the frontend (a headless install) there is no sidebar to add it to.
        LOGGER.debug("The frontend is not loaded: no Plates panel")
        return
    if (shown := hass.data.get(frontend.DATA_PANELS, {}).get(PANEL_URL_PATH)) is not None:
        if shown.require_admin == admin_only:
            return
        async_hide_panel(hass)
    await panel_custom.async_register_panel(
        hass,
        frontend_url_path=PANEL_URL_PATH,
        webcomponent_name=WEBCOMPONENT,
        sidebar_title=hass.data[_TITLE],
        sidebar_icon=SIDEBAR_ICON,
        module_url=hass.data[_MODULE_URL],
        require_admin=admin_only,
    )


@callback
def async_hide_panel(hass: HomeAssistant) -> None:
    """Take the Plates panel out of the sidebar (once no config entry of ours is loaded)."""
    frontend.async_remove_panel(hass, PANEL_URL_PATH, warn_if_unknown=False)
