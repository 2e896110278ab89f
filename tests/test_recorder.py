"""What Home Assistant's recorder keeps of a read: the states a user graphs, not the read itself.

The plate log keeps every read's fields. Attributes that hold them make each read's attribute set
unique: the recorder stores one more set per read, and caches the newest of them in memory.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import pytest
from homeassistant.components.recorder.core import Recorder
from homeassistant.components.recorder.db_schema import StateAttributes
from homeassistant.components.recorder.history import get_significant_states
from homeassistant.const import ATTR_FRIENDLY_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import session_scope
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_capture_events
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED

from .common import add_http_camera

AUTHORIZED = "binary_sensor.gate_authorized"
EVENT = "event.gate_plate"
ON_SITE = "sensor.site_vehicles_on_site"

type PostRead = Callable[..., Awaitable[None]]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder first: its database must exist before Home Assistant starts."""


@pytest.fixture
async def post_read(hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator) -> PostRead:
    """Post a read of an approaching vehicle to the camera Gate; once it is recorded, return."""
    await add_http_camera(hass, "Gate", "gate")
    client = await hass_client_no_auth()

    async def post_read(plate: str, speed: int = 20) -> None:
        events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
        body = {
            "plate": plate,
            "time": f"{dt_util.now():%Y-%m-%d %H:%M:%S}",
            "direction": "Approach",
            "speed": str(speed),
            "vehicle_type": "Bus",
            "confidence": "0.70",
        }
        response = await client.post("/api/webhook/gate", json=body)
        assert response.status == 200
        await hass.async_block_till_done()
        assert len(events) == 1
        await async_wait_recording_done(hass)

    return post_read


async def attribute_sets(hass: HomeAssistant) -> int:
    """How many distinct sets of attributes the recorder's database holds."""

    def count() -> int:
        with session_scope(hass=hass, read_only=True) as session:
            return session.query(StateAttributes).count()

    return await hass.async_add_executor_job(count)


async def test_recorded_attributes_hold_no_read(hass: HomeAssistant, post_read: PostRead) -> None:
    """A known vehicle's read: its plate and name are in the entities' attributes, not recorded."""
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "AB123", "name": "Anna's car"}, blocking=True
    )
    start = dt_util.utcnow()
    await post_read("AB123")

    # What automations and cards read is there, live.
    assert hass.states.get(EVENT).attributes["plate"] == "AB123"
    assert hass.states.get(AUTHORIZED).attributes["known_name"] == "Anna's car"
    assert hass.states.get(ON_SITE).attributes["vehicles"][0]["plate"] == "AB123"

    recorded = await hass.async_add_executor_job(
        lambda: get_significant_states(
            hass, start, None, hass.states.async_entity_ids(), significant_changes_only=False
        )
    )
    # The read's states are recorded, for history's graphs...
    assert recorded[EVENT][-1].attributes["event_type"] == "known"
    assert recorded[AUTHORIZED][-1].state == "on"
    assert recorded[ON_SITE][-1].state == "1"
    # ... and no attribute of any of them holds the read (a vehicle's entities are named by it).
    for states in recorded.values():
        for state in states:
            attributes = json.dumps(
                {key: value for key, value in state.attributes.items() if key != ATTR_FRIENDLY_NAME}
            )
            assert "AB123" not in attributes, state
            assert "Anna's car" not in attributes, state


async def test_reads_add_no_attribute_sets(hass: HomeAssistant, post_read: PostRead) -> None:
    """Reads of new plates at new speeds: the recorder stores no new set of attributes."""
    await post_read("AB100", speed=20)
    sets = await attribute_sets(hass)

    for number in range(1, 6):
        await post_read(f"AB10{number}", speed=20 + number)

    assert await attribute_sets(hass) == sets
