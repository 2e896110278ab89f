"""Options flow: known plates and shared settings from any camera, every branch."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.lpr_camera.const import (
    CONF_ACTIVITY_WINDOW,
    CONF_CONNECTION_TYPE,
    CONNECTION_HTTP,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
)
from custom_components.lpr_camera.known_plates import STORE_KEY
from custom_components.lpr_camera.lpr.simulator import CameraSimulator, sample_read

from .common import wait_for

MENU = ["add_plate", "edit_plate", "remove_plate", "settings"]


async def open_step(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> dict[str, Any]:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    return dict(result)


async def submit(hass: HomeAssistant, result: dict[str, Any], data: dict[str, Any]):
    return await hass.config_entries.options.async_configure(result["flow_id"], data)


def stored(hass_storage: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = hass_storage[STORE_KEY]["data"]
    return data


async def add(hass: HomeAssistant, entry: MockConfigEntry, **data: str) -> None:
    result = await submit(hass, await open_step(hass, entry, "add_plate"), data)
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.fixture
async def http_entry(hass: HomeAssistant) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Gate",
        data={
            CONF_CONNECTION_TYPE: CONNECTION_HTTP,
            CONF_WEBHOOK_ID: "gate-hook",
            CONF_USERNAME: "",
            CONF_PASSWORD: "",
        },
        options={CONF_ACTIVITY_WINDOW: 30},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_menu_of_a_tcp_camera(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Every camera has options: the known plates and settings every camera shares."""
    assert init_integration.supports_options
    result = await hass.config_entries.options.async_init(init_integration.entry_id)

    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == MENU
    assert result["description_placeholders"] == {"count": "0"}


async def test_http_camera_keeps_its_activity_window(
    hass: HomeAssistant, http_entry: MockConfigEntry
) -> None:
    menu = await hass.config_entries.options.async_init(http_entry.entry_id)
    assert menu["menu_options"] == [*MENU, "activity_window"]

    result = await open_step(hass, http_entry, "activity_window")
    assert result["step_id"] == "activity_window"
    result = await submit(hass, result, {CONF_ACTIVITY_WINDOW: 90})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert http_entry.options == {CONF_ACTIVITY_WINDOW: 90}


async def test_add_plate_is_known_to_every_camera(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    http_entry: MockConfigEntry,
    camera: CameraSimulator,
    hass_storage: dict[str, Any],
) -> None:
    """A plate added in one camera's options is known at the other camera too."""
    result = await open_step(hass, http_entry, "add_plate")
    assert result["step_id"] == "add_plate"
    result = await submit(
        hass, result, {"plate": "ab-123 cd", "name": "Anna's car", "list": "allow"}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert http_entry.options == {CONF_ACTIVITY_WINDOW: 30}  # the camera's own, unchanged
    assert stored(hass_storage)["plates"] == [
        {"plate": "AB-123 CD", "name": "Anna's car", "list": "allow"}
    ]
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read("AB123CD"))
    await wait_for(lambda: events)
    assert events[0].data["known_name"] == "Anna's car"
    assert events[0].data["config_entry_id"] == init_integration.entry_id


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"plate": "--", "list": "allow"}, {"plate": "invalid_plate"}),
        ({"plate": "AB 12/3", "list": "allow"}, {"plate": "invalid_plate"}),
        ({"plate": "ABCDEFGHIJ1234567", "list": "allow"}, {"plate": "invalid_plate"}),
        ({"plate": "ab.1.2.3", "list": "deny"}, {"plate": "already_known"}),
        ({"plate": "NEW1", "name": "n" * 101, "list": "allow"}, {"name": "name_too_long"}),
    ],
)
async def test_add_plate_errors_then_fix(
    hass: HomeAssistant,
    http_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    data: dict[str, str],
    errors: dict[str, str],
) -> None:
    await add(hass, http_entry, plate="AB123", list="allow")
    result = await open_step(hass, http_entry, "add_plate")

    result = await submit(hass, result, data)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert len(stored(hass_storage)["plates"]) == 1

    result = await submit(hass, result, {"plate": "NEW1", "list": "allow"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert [plate["plate"] for plate in stored(hass_storage)["plates"]] == ["AB123", "NEW1"]


async def test_edit_plate(
    hass: HomeAssistant, http_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await add(hass, http_entry, plate="AB123", name="Anna's car", list="allow")
    await add(hass, http_entry, plate="X99", list="deny")

    result = await open_step(hass, http_entry, "edit_plate")
    assert result["step_id"] == "edit_plate"
    options = result["data_schema"].schema["plate"].config["options"]
    assert options == [
        {"value": "AB123", "label": "AB123 - Anna's car"},
        {"value": "X99", "label": "X99 ⛔"},
    ]
    result = await submit(hass, result, {"plate": "AB123"})
    assert result["step_id"] == "edit_plate_details"
    assert result["description_placeholders"] == {"plate": "AB123"}

    # Another known plate, written another way: refused.
    result = await submit(hass, result, {"plate": "x 99", "name": "Anna's car", "list": "deny"})
    assert result["errors"] == {"plate": "already_known"}
    result = await submit(hass, result, {"plate": "", "list": "deny"})
    assert result["errors"] == {"plate": "invalid_plate"}

    result = await submit(hass, result, {"plate": "AB-124", "list": "deny"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert stored(hass_storage)["plates"] == [
        {"plate": "AB-124", "name": "", "list": "deny"},
        {"plate": "X99", "name": "", "list": "deny"},
    ]


async def test_edit_plate_removed_meanwhile(
    hass: HomeAssistant, http_entry: MockConfigEntry
) -> None:
    await add(hass, http_entry, plate="AB123", list="allow")
    result = await submit(hass, await open_step(hass, http_entry, "edit_plate"), {"plate": "AB123"})
    await hass.services.async_call(DOMAIN, "remove_known_plate", {"plate": "AB123"}, blocking=True)

    result = await submit(hass, result, {"plate": "AB123", "list": "deny"})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_known"


async def test_remove_plates(
    hass: HomeAssistant, http_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    for plate in ("AB123", "CD456", "EF789"):
        await add(hass, http_entry, plate=plate, list="allow")
    result = await open_step(hass, http_entry, "remove_plate")

    result = await submit(hass, result, {})
    assert result["errors"] == {"plates": "none_selected"}
    result = await submit(hass, result, {"plates": ["AB123", "EF789"]})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert stored(hass_storage)["plates"] == [{"plate": "CD456", "name": "", "list": "allow"}]


async def test_remove_plate_removed_meanwhile(
    hass: HomeAssistant, http_entry: MockConfigEntry
) -> None:
    await add(hass, http_entry, plate="AB123", list="allow")
    result = await open_step(hass, http_entry, "remove_plate")
    await hass.services.async_call(DOMAIN, "remove_known_plate", {"plate": "AB123"}, blocking=True)

    result = await submit(hass, result, {"plates": ["AB123"]})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_known"


@pytest.mark.parametrize("step", ["edit_plate", "remove_plate"])
async def test_nothing_to_edit_or_remove(
    hass: HomeAssistant, http_entry: MockConfigEntry, step: str
) -> None:
    result = await open_step(hass, http_entry, step)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_known_plates"


async def test_settings_apply_to_every_camera(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_storage: dict[str, Any],
) -> None:
    """Tolerance 0: only the exact plate (normalised) matches."""
    await add(hass, init_integration, plate="AB123", list="allow")
    result = await open_step(hass, init_integration, "settings")
    assert result["step_id"] == "settings"
    suggested = {
        key.schema: key.description["suggested_value"] for key in result["data_schema"].schema
    }
    assert suggested == {
        "tolerance": 1,
        "history": True,
        "retention_days": 30,
        "max_size_mb": 1000,
    }

    result = await submit(
        hass,
        result,
        {"tolerance": 0, "history": False, "retention_days": 7, "max_size_mb": 50},
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert stored(hass_storage)["settings"] == {
        "tolerance": 0,
        "history": False,
        "retention_days": 7,
        "max_size_mb": 50,
    }
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read("A8123"))
    await camera.push(sample_read("ab 123"))
    await wait_for(lambda: len(events) == 2)
    assert [event.data["event_type"] for event in events] == ["unknown", "known"]


@pytest.mark.parametrize(
    "settings",
    [
        {"tolerance": 3, "history": True, "retention_days": 30, "max_size_mb": 1000},
        {"tolerance": 1, "history": True, "retention_days": 0, "max_size_mb": 1000},
        {"tolerance": 1, "history": True, "retention_days": 30, "max_size_mb": 0},
    ],
)
async def test_settings_out_of_range(
    hass: HomeAssistant, http_entry: MockConfigEntry, settings: dict[str, Any]
) -> None:
    result = await open_step(hass, http_entry, "settings")

    with pytest.raises(InvalidData):
        await submit(hass, result, settings)
