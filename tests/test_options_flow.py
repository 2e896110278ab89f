"""Options: a camera's role and windows; the site's settings, shared by every camera."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_RECONFIGURE, ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.config_flow import RTSP_SCHEMA
from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.form import WholeNumber
from custom_components.lpr_camera.lpr import Direction
from custom_components.lpr_camera.options_flow import (
    ACTIVITY_WINDOW_SCHEMA,
    CAMERA_SCHEMA,
    SITE_SCHEMA,
)
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import (
    SITE_DEFAULTS,
    STRINGS,
    add_http_camera,
    saved_changes,
    set_site_settings,
    site_entry,
    wait_for,
)


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
    assert form_values(form) == {
        "role": "direction",
        "authorized_hold": 30,
        "authorized_when": "any",
        "repeat_window": 60,
        "gate": "",
    }

    changed = {
        "role": "exit",
        "authorized_hold": 5,
        "authorized_when": "arrival",
        "repeat_window": 0,
        "gate": " Main gate ",
    }
    result = await submit(hass, form, changed)

    assert saved_changes(result) == [
        "Role: Both ways, by direction → Exit",
        "Authorized for: 30 s → 5 s",
        "Authorized for which reads: Any authorized read → Only an arrival",
        "Repeat window: 60 s → 0 s",
        "Gate: — → Main gate",
    ]
    assert init_integration.options == changed | {"gate": "Main gate"}
    assert form_values(await open_options(hass, init_integration)) == init_integration.options


async def test_http_camera_options(hass: HomeAssistant) -> None:
    """An HTTP camera keeps no session: its Connection follows an activity window."""
    camera = await add_http_camera(hass)
    form = await open_options(hass, camera)

    assert form_values(form) == {
        "role": "direction",
        "authorized_hold": 30,
        "authorized_when": "any",
        "repeat_window": 60,
        "gate": "",
        "activity_window": 1440,
    }

    result = await submit(hass, form, {**form_values(form), "activity_window": 90})

    assert saved_changes(result) == ["Activity window: 1440 min → 90 min"]
    assert camera.options["activity_window"] == 90


async def test_saving_nothing_new_says_so(hass: HomeAssistant) -> None:
    camera = await add_http_camera(hass)
    form = await open_options(hass, camera)

    result = await submit(hass, form, form_values(form))

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unchanged"


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"authorized_hold": 0}, {"authorized_hold": "authorized_hold_out_of_range"}),
        ({"authorized_hold": 3601}, {"authorized_hold": "authorized_hold_out_of_range"}),
        ({"authorized_hold": 2.5}, {"authorized_hold": "authorized_hold_out_of_range"}),
        ({"repeat_window": -1}, {"repeat_window": "repeat_window_out_of_range"}),
        (
            {"activity_window": 0, "repeat_window": 3601},
            {
                "activity_window": "activity_window_out_of_range",
                "repeat_window": "repeat_window_out_of_range",
            },
        ),
    ],
)
async def test_camera_options_out_of_range(
    hass: HomeAssistant, changes: dict[str, Any], errors: dict[str, str]
) -> None:
    """Each number that does not fit gets its own error; the form keeps what was typed."""
    camera = await add_http_camera(hass)
    form = await open_options(hass, camera)
    typed = {**form_values(form), **changes}

    result = await submit(hass, form, typed)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert form_values(result) == typed
    assert camera.options == {}

    result = await submit(hass, result, {**typed, **dict.fromkeys(errors, 1)})
    assert result["reason"] == "saved"


async def test_a_role_that_is_none_of_the_choices_is_refused(hass: HomeAssistant) -> None:
    """Only the API can send one: the form offers its choices."""
    camera = await add_http_camera(hass)
    form = await open_options(hass, camera)

    with pytest.raises(InvalidData):
        await submit(hass, form, {**form_values(form), "role": "gate"})
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
        "plate_log_admin_only": True,
    }
    result = await submit(hass, form, changed)

    assert saved_changes(result) == [
        "Tolerance: 1 → 2",
        "Save pictures: On → Off",
        "Keep reads for: 30 d → 3650 d",
        "Largest size of the plate log: 1000 MB → 1000000 MB",
        "On-site limit: 24 h → 2160 h",
        "Keep expired passes for: 7 d → 0 d",
        "Plate log for administrators only: Off → On",
    ]
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
        {"max_size_mb": 0.5},
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

    result = await submit(hass, form, {**SITE_DEFAULTS, **changes})

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {key: f"{key}_out_of_range" for key in changes}
    assert form_values(result) == {**SITE_DEFAULTS, **changes}
    assert site.options == SITE_DEFAULTS


async def test_a_setting_that_is_no_number_is_refused_on_its_field_over_http(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    """Only the API can send one (the box takes digits): its error is a key, translated too."""
    assert await async_setup_component(hass, "config", {})
    form = await open_options(hass, site_entry(hass))
    client = await hass_client()

    response = await client.post(
        f"/api/config/config_entries/options/flow/{form['flow_id']}",
        json={**SITE_DEFAULTS, "retention_days": "a month"},
    )

    assert response.status == 400
    assert (await response.json())["errors"] == {"retention_days": "not_a_number"}
    assert "not_a_number" in STRINGS["options"]["error"]
    assert site_entry(hass).options == SITE_DEFAULTS


@pytest.mark.parametrize(
    ("section", "schema"),
    [
        ("options", CAMERA_SCHEMA.extend(ACTIVITY_WINDOW_SCHEMA)),
        ("options", SITE_SCHEMA),
        ("config", RTSP_SCHEMA),
    ],
)
def test_every_number_has_an_error_that_names_its_bounds(section: str, schema: Any) -> None:
    """The text of `<field>_out_of_range` names the bounds the code checks."""
    errors = STRINGS[section]["error"]
    for key, validator in schema.schema.items():
        if isinstance(validator, WholeNumber):
            text = errors[f"{key.schema}_out_of_range"]
            assert f" {validator.minimum} " in text
            assert f" {validator.maximum}" in text


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
