"""Diagnostics: useful to a maintainer, with the camera's secrets and pictures left out."""

from __future__ import annotations

from custom_components.lpr_camera.lpr.simulator import CameraSimulator, sample_read
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import EVENT_PLATE_RECOGNIZED

from .common import wait_for
from .conftest import PASSWORD


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
