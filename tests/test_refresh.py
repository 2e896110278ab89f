"""`homeassistant.update_entity` on a camera's entities: push only, so a refresh changes nothing."""

from __future__ import annotations

import logging

import pytest
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import (
    EVENT_PLATE_RECOGNIZED,
)
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import add_entry, wait_for
from .test_http import http_entry


def entity_states(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, State]:
    """The state of each of the camera's entities that has one (the enabled ones)."""
    entries = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    return {
        item.entity_id: state
        for item in entries
        if (state := hass.states.get(item.entity_id)) is not None
    }


async def update_every_entity(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    await hass.services.async_call(
        "homeassistant",
        "update_entity",
        {"entity_id": list(entity_states(hass, entry))},
        blocking=True,
    )
    await hass.async_block_till_done()


def assert_unchanged(before: dict[str, State], after: dict[str, State]) -> None:
    assert len(before) > 5
    assert {entity_id: (s.state, s.attributes) for entity_id, s in after.items()} == {
        entity_id: (s.state, s.attributes) for entity_id, s in before.items()
    }


def warnings_or_worse(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


async def test_update_entity_on_a_tcp_camera(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read("AB1234"))
    await wait_for(lambda: events)
    await hass.async_block_till_done()
    before = entity_states(hass, init_integration)
    caplog.clear()

    await update_every_entity(hass, init_integration)

    assert_unchanged(before, entity_states(hass, init_integration))
    assert init_integration.runtime_data.last_update_success
    assert len(events) == 1
    assert warnings_or_worse(caplog) == []


async def test_update_entity_on_an_http_camera(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = http_entry()
    await add_entry(hass, entry)
    client = await hass_client_no_auth()
    response = await client.post("/api/webhook/gate-hook", json={"plate": "AMW212"})
    assert response.status == 200
    await hass.async_block_till_done()
    before = entity_states(hass, entry)
    assert before["binary_sensor.gate_connection"].state == "on"
    caplog.clear()

    await update_every_entity(hass, entry)

    assert_unchanged(before, entity_states(hass, entry))
    assert warnings_or_worse(caplog) == []
