"""Options: a camera's role and windows; the site's settings, shared by every camera."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_RECONFIGURE, ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.lpr import Direction
from custom_components.lpr_camera.lpr.simulator import CameraSimulator, sample_read

from .common import SITE_DEFAULTS, add_http_camera, set_site_settings, site_entry, wait_for


def form_values(form: Any) -> dict[str, Any]:
    """The fields of a form, each with the value it shows."""
    return {
        key.schema: (key.description or {}).get("suggested_value")
        for key in form["data_schema"].schema
    }


async def open_options(hass: HomeAssistant, entry: ConfigEntry) -> Any:
    form = await hass.config_entries.options.async_init(entry.entry_id)
    assert form["type"] is FlowResultType.FORM
    return form


async def submit(hass: HomeAssistant, form: Any, user_input: dict[str, Any]) -> Any:
    result = await hass.config_entries.options.async_configure(form["flow_id"], user_input)
    await hass.async_block_till_done()
    return result


async def test_tcp_camera_options(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    form = await open_options(hass, init_integration)

    assert form["step_id"] == "init"
    assert form_values(form) == {"role": "direction", "authorized_hold": 30, "repeat_window": 60}

    result = await submit(hass, form, {"role": "exit", "authorized_hold": 5, "repeat_window": 0})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {"role": "exit", "authorized_hold": 5, "repeat_window": 0}
    assert form_values(await open_options(hass, init_integration)) == init_integration.options


async def test_http_camera_options(hass: HomeAssistant) -> None:
    """An HTTP camera keeps no session: its Connection follows an activity window."""
    camera = await add_http_camera(hass)
    form = await open_options(hass, camera)

    assert form_values(form) == {
        "role": "direction",
        "authorized_hold": 30,
        "repeat_window": 60,
        "activity_window": 1440,
    }

    result = await submit(hass, form, {**form_values(form), "activity_window": 90})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert camera.options["activity_window"] == 90


@pytest.mark.parametrize(
    "changes",
    [
        {"role": "gate"},
        {"authorized_hold": 0},
        {"authorized_hold": 3601},
        {"repeat_window": -1},
        {"activity_window": 0},
    ],
)
async def test_camera_options_out_of_range(hass: HomeAssistant, changes: dict[str, Any]) -> None:
    camera = await add_http_camera(hass)
    form = await open_options(hass, camera)

    with pytest.raises(InvalidData):
        await submit(hass, form, {**form_values(form), **changes})
    assert camera.options == {}


async def test_an_entrance_makes_every_read_an_arrival(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    async def push(plate: str) -> dict[str, Any]:
        events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
        await camera.push(dataclasses.replace(sample_read(plate), direction=Direction.DEPARTING))
        await wait_for(lambda: events)
        return dict(events[0].data)

    read = await push("AB123")
    assert read["camera_role"] == "direction"
    assert read["presence"] is None  # leaving, but it was not on site

    form = await open_options(hass, init_integration)
    await submit(hass, form, {**form_values(form), "role": "entrance"})

    read = await push("AB123")
    assert read["camera_role"] == "entrance"
    assert read["presence"] == "arrived"
    assert hass.states.get("sensor.site_vehicles_on_site").state == "1"


async def test_site_settings(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """The site's Configure: every setting with its default, then saved."""
    site = site_entry(hass)
    assert site.options == SITE_DEFAULTS

    form = await open_options(hass, site)

    assert form["step_id"] == "settings"
    assert form_values(form) == SITE_DEFAULTS

    changed = {
        "tolerance": 2,
        "history": False,
        "retention_days": 3650,
        "max_size_mb": 1_000_000,
        "on_site_limit": 2160,
        "pass_retention_days": 0,
    }
    result = await submit(hass, form, changed)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert site.options == changed
    assert form_values(await open_options(hass, site)) == changed
    assert init_integration.options == {}  # the cameras keep their own


@pytest.mark.parametrize(
    "changes",
    [
        {"tolerance": 3},
        {"tolerance": -1},
        {"retention_days": 0},
        {"retention_days": 3651},
        {"max_size_mb": 0},
        {"on_site_limit": 0},
        {"on_site_limit": 2161},
        {"pass_retention_days": -1},
    ],
)
async def test_site_settings_out_of_range(
    hass: HomeAssistant, init_integration: MockConfigEntry, changes: dict[str, Any]
) -> None:
    site = site_entry(hass)
    form = await open_options(hass, site)

    with pytest.raises(InvalidData):
        await submit(hass, form, {**SITE_DEFAULTS, **changes})
    assert site.options == SITE_DEFAULTS


async def test_the_saved_tolerance_is_used(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """At tolerance 0 only the exact plate matches: X read for B is an unknown car."""
    await add_http_camera(hass)
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "AB 123", "name": "Anna's car"}, blocking=True
    )
    client = await hass_client_no_auth()

    async def post(plate: str) -> dict[str, Any]:
        events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
        response = await client.post("/api/webhook/gate-hook", json={"plate": plate})
        assert response.status == 200
        await hass.async_block_till_done()
        return dict(events[0].data)

    assert (await post("AX123"))["known_name"] == "Anna's car"

    await set_site_settings(hass, tolerance=0)

    read = await post("AX123")
    assert read["event_type"] == "unknown"
    assert read["known"] is False
    assert (await post("AB123"))["known_name"] == "Anna's car"


async def test_the_site_has_nothing_to_reconfigure(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": site_entry(hass).entry_id}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "site_not_reconfigurable"
