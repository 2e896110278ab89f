"""Diagnostics: useful to a maintainer, with the camera's secrets and pictures left out."""

from __future__ import annotations

import base64

from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import (
    CONF_CONNECTION_TYPE,
    CONNECTION_HTTP,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
)
from custom_components.lpr_camera.lpr.simulator import CameraSimulator, sample_read

from .common import wait_for
from .conftest import PASSWORD

BASIC = {"Authorization": "Basic " + base64.b64encode(b"cam:cam-password").decode()}


async def test_diagnostics_redacts_secrets(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read("DIAG1"))
    await wait_for(lambda: events)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    assert diagnostics["entry"]["data"]["password"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["username"] == "**REDACTED**"
    assert PASSWORD not in str(diagnostics)
    assert diagnostics["connected"] is True
    assert diagnostics["last_read"]["plate"] == "DIAG1"
    assert diagnostics["last_read"]["has_full_image"] is True


async def test_diagnostics_last_reads_and_http_secrets(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The last 20 reads with their match and no pictures; the webhook id is a secret too."""
    assert await async_setup_component(hass, "diagnostics", {})  # before the web server starts
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Gate",
        data={
            CONF_CONNECTION_TYPE: CONNECTION_HTTP,
            CONF_WEBHOOK_ID: "secret-hook-id",
            CONF_USERNAME: "cam",
            CONF_PASSWORD: "cam-password",
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "KNOWN1", "name": "Anna's car"}, blocking=True
    )
    client = await hass_client_no_auth()
    for number in range(25):
        response = await client.post(
            "/api/webhook/secret-hook-id",
            json={"plate": f"READ{number}", "plate_image": base64.b64encode(b"jpeg").decode()},
            headers=BASIC,
        )
        assert response.status == 200
    response = await client.post(
        "/api/webhook/secret-hook-id",
        json={"plate": "KNOWN1"},
        headers=BASIC,
    )
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    for secret in ("secret-hook-id", "cam-password", "Anna"):
        assert secret not in str(diagnostics)
    assert diagnostics["entry"]["data"]["webhook_id"] == "**REDACTED**"
    reads = diagnostics["recent_reads"]
    assert [read["plate"] for read in reads] == [f"READ{n}" for n in range(6, 25)] + ["KNOWN1"]
    assert reads[0]["has_plate_image"] is True
    assert "anBlZw" not in str(reads)  # base64 of the picture
    assert reads[-1]["event_type"] == "known"
    assert reads[-1]["matched_plate"] == "KNOWN1"
    assert reads[-1]["known_name"] == "**REDACTED**"
    assert diagnostics["known_plates"] == 1
    assert diagnostics["settings"] == {
        "tolerance": 1,
        "history": True,
        "retention_days": 30,
        "max_size_mb": 1000,
    }
