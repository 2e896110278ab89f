"""One gate, two eyes: cameras that name the same gate share its passages; when Authorized opens."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED

from .common import add_http_camera, logged_reads

ON_SITE = "sensor.site_vehicles_on_site"


@pytest.fixture
async def post(hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator) -> Any:
    """Post a read to an HTTP camera's webhook; the bus event's data. Anna's car is known."""
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()  # the site is made
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "AB-123", "name": "Anna's car"}, blocking=True
    )
    client = await hass_client_no_auth()

    async def send(webhook_id: str, plate: str, direction: str = "Approach") -> dict[str, Any]:
        events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
        body = {"plate": plate, "direction": direction}
        assert (await client.post(f"/api/webhook/{webhook_id}", json=body)).status == 200
        await hass.async_block_till_done()
        return dict(events[0].data)

    return send


async def test_two_cameras_of_one_gate_make_one_passage(hass: HomeAssistant, post: Any) -> None:
    """The camera's own LPR and Frigate on its stream, say: one arrival, one Authorized."""
    await add_http_camera(hass, "Gate", "gate-hook", role="entrance", gate="Main gate")
    await add_http_camera(hass, "Gate stream", "stream-hook", role="entrance", gate="Main gate")

    first = await post("gate-hook", "AB123")
    second = await post("stream-hook", "A8123")  # the other eye, an OCR slip of its own

    assert (first["presence"], first["repeat"], first["gate"]) == ("arrived", False, "Main gate")
    assert (second["presence"], second["repeat"]) == (None, True)
    assert second["passage_id"] == first["passage_id"]
    assert hass.states.get("binary_sensor.gate_authorized").state == "on"
    assert hass.states.get("binary_sensor.gate_stream_authorized").state == "off"
    assert hass.states.get(ON_SITE).state == "1"
    logged = await logged_reads(hass)
    assert [read.fields["passage_id"] for read in logged] == [first["passage_id"]] * 2


async def test_cameras_of_their_own_gates_make_a_passage_each(
    hass: HomeAssistant, post: Any
) -> None:
    await add_http_camera(hass, "Gate", "gate-hook", role="entrance")
    await add_http_camera(hass, "Garage", "garage-hook", role="entrance")

    first = await post("gate-hook", "AB123")
    second = await post("garage-hook", "AB123")

    assert second["repeat"] is False
    assert second["passage_id"] != first["passage_id"]
    assert hass.states.get("binary_sensor.garage_authorized").state == "on"


@pytest.mark.parametrize(
    ("when", "direction", "opens"),
    [
        ("any", "Away", True),
        ("approaching", "Away", False),
        ("approaching", "Approach", True),
        ("arrival", "Away", False),  # both ways, by direction: a departure
        ("arrival", "Approach", True),
    ],
)
async def test_authorized_for_the_reads_the_camera_says(
    hass: HomeAssistant, post: Any, when: str, direction: str, opens: bool
) -> None:
    """A car driving away from the gate need not open it."""
    await add_http_camera(hass, authorized_when=when)

    await post("gate-hook", "AB123", direction)

    assert (hass.states.get("binary_sensor.gate_authorized").state == "on") is opens


async def test_arrivals_only_leave_a_car_waiting_alone(hass: HomeAssistant, post: Any) -> None:
    """Read again while on site (a repeat, no arrival): the gate opened for its arrival only."""
    await add_http_camera(hass, authorized_when="arrival", authorized_hold=1)

    assert (await post("gate-hook", "AB123"))["presence"] == "arrived"
    assert hass.states.get("binary_sensor.gate_authorized").state == "on"
    events = async_capture_events(hass, "state_changed")
    assert (await post("gate-hook", "AB123"))["presence"] is None

    assert not [event for event in events if event.data["entity_id"].endswith("_authorized")]
