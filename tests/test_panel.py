"""The Plates panel: in the sidebar while an entry is loaded, its code served by Home Assistant."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.lpr_camera.plate_log.panel import FRONTEND_DIR, frontend_version

from .common import add_http_camera, set_site_settings, site_entry

PANEL = "lpr-plates"
# A static import of one of the panel's modules by another: its specifier, a relative URL.
IMPORT = re.compile(r'^import .* from "(\./[\w.-]+)";$', re.MULTILINE)


@pytest.fixture
async def frontend(hass: HomeAssistant, tmp_path: Path) -> None:
    """Home Assistant's frontend, serving an empty build (its package is not a test requirement)."""
    build = tmp_path / "frontend_build"
    (build / "hass_frontend").mkdir(parents=True)
    assert await async_setup_component(
        hass, "frontend", {"frontend": {"development_repo": str(build)}}
    )


async def panels(hass: HomeAssistant, hass_ws_client: WebSocketGenerator) -> dict[str, Any]:
    """The panels the frontend offers the user (what its sidebar shows)."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "get_panels"})
    answer = await client.receive_json()
    assert answer["success"]
    result: dict[str, Any] = answer["result"]
    return result


@pytest.mark.usefixtures("frontend")
async def test_panel_in_the_sidebar_while_an_entry_is_loaded(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    camera = await add_http_camera(hass)

    panel = (await panels(hass, hass_ws_client))[PANEL]
    assert panel["title"] == "Plates"
    assert panel["icon"] == "mdi:car-search"
    assert not panel["require_admin"]
    custom = panel["config"]["_panel_custom"]
    assert custom["name"] == "lpr-plate-log"
    assert custom["module_url"] == f"/lpr_camera/frontend/{frontend_version()}/lpr-plate-log.js"

    # One entry unloaded, the site still loaded: the panel stays.
    assert await hass.config_entries.async_unload(camera.entry_id)
    assert PANEL in await panels(hass, hass_ws_client)

    assert await hass.config_entries.async_unload(site_entry(hass).entry_id)
    assert PANEL not in await panels(hass, hass_ws_client)

    # Set up again in the same run (the folder is served already): the panel is back.
    assert await hass.config_entries.async_setup(camera.entry_id)
    assert PANEL in await panels(hass, hass_ws_client)


@pytest.mark.usefixtures("frontend")
async def test_panel_for_administrators_only(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    """The site's setting: the sidebar shows the panel to administrators only, and back."""
    await add_http_camera(hass)

    await set_site_settings(hass, plate_log_admin_only=True)
    assert (await panels(hass, hass_ws_client))[PANEL]["require_admin"]

    await set_site_settings(hass, plate_log_admin_only=False)
    assert not (await panels(hass, hass_ws_client))[PANEL]["require_admin"]


@pytest.mark.usefixtures("frontend")
async def test_panel_title_in_home_assistants_language(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    hass.config.language = "de"

    await add_http_camera(hass)

    assert (await panels(hass, hass_ws_client))[PANEL]["title"] == "Kennzeichen"


@pytest.mark.usefixtures("frontend")
async def test_panel_code_and_strings_served_without_login(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The browser imports a panel's modules before any token is at hand: they are public."""
    await add_http_camera(hass)
    module_url = (await panels(hass, hass_ws_client))[PANEL]["config"]["_panel_custom"][
        "module_url"
    ]
    client = await hass_client_no_auth()

    response = await client.get(module_url)
    assert response.status == 200
    assert response.content_type == "text/javascript"
    assert 'customElements.define("lpr-plate-log"' in await response.text()

    # The modules it imports, and theirs, resolve in the same versioned folder: every one of them.
    pending, served = [module_url], set()
    while pending:
        url = pending.pop()
        response = await client.get(url)
        assert response.status == 200, url
        assert response.content_type == "text/javascript"
        served.add(url)
        imported = {urljoin(url, specifier) for specifier in IMPORT.findall(await response.text())}
        pending.extend(imported - served - set(pending))
    assert {url.rsplit("/", 1)[1] for url in served} == {
        path.name for path in FRONTEND_DIR.glob("*.js")
    }

    # The module fetches its strings beside itself: in the same versioned folder.
    response = await client.get(module_url.replace("lpr-plate-log.js", "translations/ko.json"))
    assert response.status == 200
    assert (await response.json())["tabs.plates"] == "번호판"


async def test_no_frontend_no_panel(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """Without the frontend (headless) entries set up and unload all the same."""
    camera = await add_http_camera(hass)
    assert "frontend" not in hass.config.components
    client = await hass_client_no_auth()
    module_url = f"/lpr_camera/frontend/{frontend_version()}/lpr-plate-log.js"
    assert (await client.get(module_url)).status == 200
    assert await hass.config_entries.async_unload(camera.entry_id)
    assert await hass.config_entries.async_unload(site_entry(hass).entry_id)


def test_version_follows_every_file(tmp_path: Path) -> None:
    (tmp_path / "translations").mkdir()
    (tmp_path / "panel.js").write_text("one")
    (tmp_path / "translations" / "en.json").write_text("{}")
    first = frontend_version(tmp_path)
    assert frontend_version(tmp_path) == first

    (tmp_path / "translations" / "en.json").write_text('{"title": "Plates"}')
    second = frontend_version(tmp_path)
    assert second != first

    (tmp_path / "translations" / "en.json").rename(tmp_path / "translations" / "de.json")
    assert frontend_version(tmp_path) not in {first, second}
