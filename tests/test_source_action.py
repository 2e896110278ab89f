"""A source for scripts and Node-RED: added in the config flow, fed by lpr_camera.report_read."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockUser, async_capture_events

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from simulator.reads import sample_read

from .common import logged_reads, wait_for

PICTURE = sample_read("AB123").full_image
PLATE = "sensor.node_red_gate_last_plate"


async def add_action_source(hass: HomeAssistant, name: str = "Node-RED gate") -> str:
    """The source added through the config flow, as a user does; its device's id."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "source"}
    )
    assert result["type"] is FlowResultType.MENU
    assert "source_action" in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "source_action"}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"name": name})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry_id = result["result"].entry_id
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry_id)
    assert device.model == "Scripts and automations"
    return device.id


async def report(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """Report a read as a script does; its bus event's data."""
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await hass.services.async_call(DOMAIN, "report_read", data, blocking=True)
    await wait_for(lambda: events)
    return dict(events[0].data)


async def test_a_reported_read_goes_the_way_of_a_cameras(hass: HomeAssistant) -> None:
    source = await add_action_source(hass)
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "AB-123", "name": "Anna's car"}, blocking=True
    )

    read = await report(
        hass, source=source, plate=" AB123 ", direction="approaching", confidence=0.9
    )

    assert (read["plate"], read["event_type"], read["authorized"]) == ("AB123", "known", True)
    assert (read["presence"], read["confidence"], read["device_id"]) == ("arrived", 0.9, source)
    assert hass.states.get(PLATE).state == "AB123"
    assert hass.states.get("binary_sensor.node_red_gate_authorized").state == "on"
    # An action cannot tell that it stopped: Connection means "a read within the window".
    assert hass.states.get("binary_sensor.node_red_gate_connection").state == "on"
    [logged] = await logged_reads(hass)
    assert logged.fields["camera"] == "Node-RED gate"


async def test_a_picture_by_url_on_this_host(hass: HomeAssistant, unused_tcp_port: int) -> None:
    """Node-RED beside Home Assistant serves the picture; elsewhere is refused."""
    source = await add_action_source(hass)

    async def picture(_request: web.Request) -> web.Response:
        return web.Response(body=PICTURE)

    app = web.Application()
    app.router.add_get("/gate.jpg", picture)
    runner = web.AppRunner(app)
    await runner.setup()
    port = unused_tcp_port
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        await report(
            hass, source=source, plate="XY9", picture_url=f"http://127.0.0.1:{port}/gate.jpg"
        )
    finally:
        await runner.cleanup()

    [logged] = await logged_reads(hass)
    assert logged.picture("full")
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            DOMAIN,
            "report_read",
            {"source": source, "plate": "XY9", "picture_url": "http://192.0.2.1/gate.jpg"},
            blocking=True,
        )
    assert refused.value.translation_key == "picture_url_elsewhere"


@pytest.mark.parametrize(
    ("plate", "error"),
    [("   ", "no plate"), ("X" * 33, "plate longer than 32 characters")],
)
async def test_a_plate_that_is_no_plate_is_no_read(
    hass: HomeAssistant, plate: str, error: str
) -> None:
    source = await add_action_source(hass)
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            DOMAIN, "report_read", {"source": source, "plate": plate}, blocking=True
        )

    assert refused.value.translation_key == "invalid_read"
    assert refused.value.translation_placeholders == {"error": error}
    assert events == []


async def test_only_a_source_or_a_camera_takes_a_read(hass: HomeAssistant) -> None:
    await add_action_source(hass)

    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            DOMAIN, "report_read", {"source": "nothing", "plate": "AB1"}, blocking=True
        )

    assert refused.value.translation_key == "no_such_source"


async def test_reporting_needs_an_admin(hass: HomeAssistant, hass_read_only_user: MockUser) -> None:
    """A reported read may open a gate."""
    source = await add_action_source(hass)

    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "report_read",
            {"source": source, "plate": "AB1"},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )


async def test_two_action_sources_are_two_devices(hass: HomeAssistant) -> None:
    first = await add_action_source(hass, "Node-RED gate")
    second = await add_action_source(hass, "Garage script")

    assert first != second
    read = await report(hass, source=second, plate="AB1")
    assert read["device_id"] == second
