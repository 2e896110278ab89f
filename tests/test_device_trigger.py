"""Device triggers in the automation editor, fired by real reads of the simulated camera."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_get_device_automations,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.lpr_camera import device_trigger
from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import STRINGS, add_http_camera, site_entry, wait_for


def camera_device(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return device.id


async def add_plate(hass: HomeAssistant, plate: str, name: str, plate_list: str = "allow"):
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": plate, "name": name, "list": plate_list}, blocking=True
    )


async def test_triggers_of_the_camera(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    device_id = camera_device(hass, init_integration)

    triggers = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, device_id)

    ours = [
        {key: trigger[key] for key in ("platform", "domain", "device_id", "type")}
        for trigger in triggers
        if trigger["domain"] == DOMAIN
    ]
    assert ours == [
        {"platform": "device", "domain": DOMAIN, "device_id": device_id, "type": trigger_type}
        for trigger_type in (
            "plate_recognized",
            "known_plate",
            "unknown_plate",
            "denied_plate",
            "authorized_plate",
        )
    ]


async def test_no_triggers_for_another_device(hass: HomeAssistant) -> None:
    other = MockConfigEntry(domain="other")
    other.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other", "x")}
    )
    assert await device_trigger.async_get_triggers(hass, device.id) == []
    assert await device_trigger.async_get_triggers(hass, "no-such-device") == []


async def trigger_extra_fields(
    client: Any, device_id: str, trigger_type: str
) -> list[dict[str, Any]]:
    """The extra fields the automation editor shows for a trigger of the device."""
    await client.send_json_auto_id(
        {
            "type": "device_automation/trigger/capabilities",
            "trigger": {
                "platform": "device",
                "domain": DOMAIN,
                "device_id": device_id,
                "type": trigger_type,
            },
        }
    )
    message = await client.receive_json()
    assert message["success"], message
    fields: list[dict[str, Any]] = message["result"].get("extra_fields", [])
    return fields


async def test_capabilities_offer_the_known_plates(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    await add_plate(hass, "AB-123", "Anna's car")
    await add_plate(hass, "X99", "", "deny")
    device_id = camera_device(hass, init_integration)
    assert await async_setup_component(hass, "device_automation", {})
    client = await hass_ws_client(hass)

    async def extra_fields(trigger_type: str) -> list[dict[str, Any]]:
        return await trigger_extra_fields(client, device_id, trigger_type)

    anna = {"value": "AB-123", "label": "AB-123 - Anna's car"}
    x99 = {"value": "X99", "label": "X99"}
    field, repeats = await extra_fields("plate_recognized")
    assert field["name"] == "plate"
    assert field["optional"] is True
    assert field["selector"]["select"]["options"] == [anna, x99]
    assert field["selector"]["select"]["custom_value"] is True
    assert repeats["name"] == "ignore_repeats"
    assert repeats["selector"] == {"boolean": {}}
    # A trigger offers only the vehicles whose reads can fire it.
    for trigger_type, offered in [
        ("known_plate", [anna]),
        ("authorized_plate", [anna]),
        ("denied_plate", [x99]),
    ]:
        field, _ = await extra_fields(trigger_type)
        assert field["selector"]["select"]["options"] == offered, trigger_type
    assert [field["name"] for field in await extra_fields("unknown_plate")] == ["ignore_repeats"]


def test_every_extra_field_has_a_label_and_says_it_is_optional() -> None:
    """The automation editor shows `extra_fields` as the label, the description below it."""
    strings = STRINGS["device_automation"]
    for field in (device_trigger.CONF_PLATE, device_trigger.CONF_IGNORE_REPEATS):
        assert strings["extra_fields"][field]
        assert strings["extra_fields_descriptions"][field].startswith("Optional: ")


async def setup_automations(
    hass: HomeAssistant, device_id: str, triggers: dict[str, dict[str, Any]]
) -> list[ServiceCall]:
    """One automation per trigger; each calls test.automation with its name and the plate."""
    calls: list[ServiceCall] = async_mock_service(hass, "test", "automation")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "alias": alias,
                    "triggers": [
                        {
                            "platform": "device",
                            "domain": DOMAIN,
                            "device_id": device_id,
                            **trigger,
                        }
                    ],
                    "actions": [
                        {
                            "action": "test.automation",
                            "data": {
                                "alias": alias,
                                "plate": "{{ trigger.event.data.plate }}",
                                "name": "{{ trigger.event.data.known_name }}",
                            },
                        }
                    ],
                }
                for alias, trigger in triggers.items()
            ]
        },
    )
    return calls


async def test_triggers_fire_on_real_reads(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    await add_plate(hass, "AB-123", "Anna's car")
    await add_plate(hass, "CD-456", "Ben's van")
    await add_plate(hass, "X99", "Repo man", "deny")
    calls = await setup_automations(
        hass,
        camera_device(hass, init_integration),
        {
            "any": {"type": "plate_recognized"},
            "known": {"type": "known_plate"},
            # Typed another way than the known plate is written: still that plate.
            "anna": {"type": "known_plate", "plate": "ab 123"},
            "unknown": {"type": "unknown_plate"},
            "denied": {"type": "denied_plate"},
        },
    )

    async def fired(plate: str) -> set[tuple[str, str, str | None]]:
        calls.clear()
        await camera.push(sample_read(plate))
        await wait_for(lambda: any(call.data["alias"] == "any" for call in calls))
        await hass.async_block_till_done()
        return {(call.data["alias"], call.data["plate"], call.data["name"]) for call in calls}

    assert await fired("A8123") == {
        ("any", "A8123", "Anna's car"),
        ("known", "A8123", "Anna's car"),
        ("anna", "A8123", "Anna's car"),
    }
    assert await fired("CD456") == {
        ("any", "CD456", "Ben's van"),
        ("known", "CD456", "Ben's van"),
    }
    assert await fired("ZZ111") == {("any", "ZZ111", None), ("unknown", "ZZ111", None)}
    assert await fired("X99") == {("any", "X99", "Repo man"), ("denied", "X99", "Repo man")}


async def test_trigger_is_for_its_camera_only(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_client_no_auth: Any,
) -> None:
    """A read of another camera does not fire this camera's trigger."""
    http = MockConfigEntry(
        domain=DOMAIN,
        title="Gate",
        data={"connection_type": "http", "webhook_id": "gate", "username": "", "password": ""},
    )
    http.add_to_hass(hass)
    assert await hass.config_entries.async_setup(http.entry_id)
    calls = await setup_automations(
        hass, camera_device(hass, http), {"gate": {"type": "plate_recognized"}}
    )
    client = await hass_client_no_auth()
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    await camera.push(sample_read("TCP1"))
    await wait_for(lambda: events)
    response = await client.post("/api/webhook/gate", json={"plate": "HTTP1"})
    assert response.status == 200
    await camera.push(sample_read("TCP2"))
    await wait_for(lambda: len(events) == 3)
    await hass.async_block_till_done()

    assert [call.data["plate"] for call in calls] == ["HTTP1"]


@pytest.mark.parametrize("trigger", [{"type": "leaving"}, {"type": "known_plate", "plate": ""}])
async def test_invalid_trigger_config(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    trigger: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_automations(hass, camera_device(hass, init_integration), {"bad": trigger})

    state = hass.states.get("automation.bad")
    assert state is not None
    assert state.state == "unavailable"
    assert "Automation with alias 'bad' failed to setup triggers" in caplog.text


def vehicle_device(hass: HomeAssistant, name: str) -> str:
    """The device of a known vehicle (or the site's own), by name."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), site_entry(hass).entry_id)
    [device] = [device for device in devices if device.name == name]
    return device.id


@pytest.fixture
async def gate(hass: HomeAssistant) -> MockConfigEntry:
    """A camera of the HTTP type that sees both ways (by direction)."""
    return await add_http_camera(hass, "Gate", "gate")


async def test_triggers_of_a_known_vehicle(
    hass: HomeAssistant, gate: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    await add_plate(hass, "AB-123", "Anna's car")
    device_id = vehicle_device(hass, "Anna's car")

    triggers = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, device_id)

    assert [trigger["type"] for trigger in triggers if trigger["domain"] == DOMAIN] == [
        "vehicle_arrived",
        "vehicle_left",
        "vehicle_recognized",
    ]
    assert await async_setup_component(hass, "device_automation", {})
    client = await hass_ws_client(hass)
    fields = {
        trigger_type: [
            f["name"] for f in await trigger_extra_fields(client, device_id, trigger_type)
        ]
        for trigger_type in ("vehicle_arrived", "vehicle_recognized")
    }
    # An arrival is a change of the site: a repeat never makes one.
    assert fields == {"vehicle_arrived": [], "vehicle_recognized": ["ignore_repeats"]}
    # The site's own device has no triggers.
    assert await device_trigger.async_get_triggers(hass, vehicle_device(hass, "Site")) == []


async def test_vehicle_triggers_fire_on_arrival_and_departure(
    hass: HomeAssistant, gate: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    await add_plate(hass, "AB-123", "Anna's car")
    await add_plate(hass, "CD-456", "Ben's van")
    calls = await setup_automations(
        hass,
        vehicle_device(hass, "Anna's car"),
        {
            "arrived": {"type": "vehicle_arrived"},
            "left": {"type": "vehicle_left"},
            "seen": {"type": "vehicle_recognized", "ignore_repeats": True},
        },
    )
    client = await hass_client_no_auth()

    async def fired(plate: str, direction: str) -> list[str]:
        calls.clear()
        body = {"plate": plate, "direction": direction}
        assert (await client.post("/api/webhook/gate", json=body)).status == 200
        await hass.async_block_till_done()
        return sorted(call.data["alias"] for call in calls)

    assert await fired("AB123", "Approach") == ["arrived", "seen"]
    assert await fired("CD456", "Approach") == []  # Ben's van: not this device
    assert await fired("A8123", "Approach") == []  # a repeat, and Anna is on site already
    # Read again within the window, but a departure: news, never a repeat.
    assert await fired("AB123", "Away") == ["left", "seen"]


async def test_camera_triggers_can_ignore_repeats(
    hass: HomeAssistant, gate: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    await add_plate(hass, "AB-123", "Anna's car")
    await add_plate(hass, "X99", "Repo man", "deny")
    calls = await setup_automations(
        hass,
        camera_device(hass, gate),
        {
            "unknown": {"type": "unknown_plate", "ignore_repeats": True},
            "every unknown": {"type": "unknown_plate"},
            "authorized": {"type": "authorized_plate", "ignore_repeats": True},
        },
    )
    client = await hass_client_no_auth()
    for plate in ("ZZ999", "ZZ999", "ZZ999", "AB123", "AB123", "X99"):
        assert (await client.post("/api/webhook/gate", json={"plate": plate})).status == 200
    await hass.async_block_till_done()

    assert [call.data["alias"] for call in calls] == [
        "unknown",
        "every unknown",
        "every unknown",
        "every unknown",
        "authorized",
    ]
