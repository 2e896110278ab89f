"""Notify with the picture, act from the notification: the notify_read blueprint and its answers.

The blueprint runs in real Home Assistant on real reads; the companion app's answers are the
`mobile_app_notification_action` events it fires, with its user's context.
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from homeassistant.core import Context, HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.lpr import PlateRead
from custom_components.lpr_camera.site import site_of
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import wait_for

BLUEPRINT = Path(__file__).parent.parent / "blueprints/automation/lpr_camera/notify_read.yaml"
ANSWER = "mobile_app_notification_action"


@dataclasses.dataclass
class Phone:
    """What the notify action and the gate were asked to do."""

    notified: list[ServiceCall]
    opened: list[ServiceCall]


async def automation(hass: HomeAssistant, device_id: str, **inputs: Any) -> None:
    """An automation from the blueprint, as the UI would create it from the imported file."""
    target = Path(hass.config.path("blueprints/automation/lpr_camera/notify_read.yaml"))

    def install() -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(BLUEPRINT, target)

    await hass.async_add_executor_job(install)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "notify",
                "alias": "Notify",
                "use_blueprint": {
                    "path": "lpr_camera/notify_read.yaml",
                    "input": {
                        "cameras": [device_id],
                        "notify_action": "notify.mobile_app_phone",
                        **inputs,
                    },
                },
            }
        },
    )
    assert hass.states.get("automation.notify").state == "on"


@pytest.fixture(autouse=True)
async def stop_waiting(hass: HomeAssistant) -> AsyncIterator[None]:
    """After a test, the automation's runs that wait for an Open gate answer end."""
    yield
    if hass.states.get("automation.notify") is not None:
        await hass.services.async_call(
            "automation", "turn_off", {"entity_id": "automation.notify"}, blocking=True
        )


@pytest.fixture
async def phone(hass: HomeAssistant, init_integration: MockConfigEntry) -> Phone:
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), init_integration.entry_id)
    dr.async_get(hass).async_update_device(device.id, name_by_user="Gate")
    recorded = Phone(
        notified=async_mock_service(hass, "notify", "mobile_app_phone"),
        opened=async_mock_service(hass, "cover", "open_cover"),
    )
    await automation(
        hass,
        device.id,
        gate_action=[{"action": "cover.open_cover", "target": {"entity_id": "cover.gate"}}],
    )
    return recorded


async def read(hass: HomeAssistant, camera: CameraSimulator, plate_read: PlateRead) -> str:
    """A read through the camera; its passage id.

    (An automation of the blueprint may wait for the Open gate answer: Home Assistant's own
    "block till done" would wait for it too.)
    """
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(plate_read)
    await wait_for(lambda: events)
    await asyncio.sleep(0.1)  # the automations it triggers run their first steps
    return str(events[0].data["passage_id"])


async def answer(hass: HomeAssistant, action: str, user: MockUser, **data: Any) -> None:
    """The companion app's answer, as it fires it: its user's context."""
    hass.bus.async_fire(ANSWER, {"action": action, **data}, context=Context(user_id=user.id))
    await asyncio.sleep(0.1)


async def test_an_unknown_plate_is_notified_with_its_picture_and_buttons(
    hass: HomeAssistant,
    camera: CameraSimulator,
    phone: Phone,
    hass_client: ClientSessionGenerator,
) -> None:
    plate_read = sample_read("ZZ999")
    passage = await read(hass, camera, plate_read)

    [notification] = phone.notified
    assert notification.data["title"] == "Unknown plate ZZ999"
    assert notification.data["message"] == "ZZ999 at Gate"
    data = notification.data["data"]
    assert data["image"] == f"/api/lpr_camera/passage/{passage}/full"
    assert [button["action"] for button in data["actions"]] == [
        f"LPR_OPEN_{passage}",
        f"LPR_ALLOW_{passage}",
        f"LPR_DENY_{passage}",
        f"LPR_CORRECT_{passage}",
    ]
    picture = await (await hass_client()).get(data["image"])
    assert await picture.read() == plate_read.full_image

    await read(hass, camera, sample_read("ZZ999"))  # waiting at the gate: a repeat
    assert len(phone.notified) == 1


async def test_open_gate_runs_the_action_picked(
    hass: HomeAssistant, camera: CameraSimulator, phone: Phone, hass_admin_user: MockUser
) -> None:
    passage = await read(hass, camera, sample_read("ZZ999"))
    assert phone.opened == []

    await answer(hass, f"LPR_OPEN_{passage}", hass_admin_user)

    [opened] = phone.opened
    assert opened.data == {"entity_id": ["cover.gate"]}


async def test_an_administrators_answer_makes_the_plate_known(
    hass: HomeAssistant,
    camera: CameraSimulator,
    phone: Phone,
    hass_admin_user: MockUser,
    hass_read_only_user: MockUser,
) -> None:
    passage = await read(hass, camera, sample_read("ZZ999"))

    await answer(hass, f"LPR_DENY_{passage}", hass_read_only_user)
    assert site_of(hass).known_vehicles.get("ZZ999") is None  # not an administrator's

    await answer(hass, f"LPR_DENY_{passage}", hass_admin_user)
    vehicle = site_of(hass).known_vehicles.get("ZZ999")
    assert vehicle is not None
    assert str(vehicle.plate_list) == "deny"


async def test_not_this_plate_corrects_the_read_and_teaches_the_camera(
    hass: HomeAssistant, camera: CameraSimulator, phone: Phone, hass_admin_user: MockUser
) -> None:
    """The plate typed in the notification: the read is corrected, later reads follow it."""
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "AB-123", "name": "Anna's car"}, blocking=True
    )
    passage = await read(hass, camera, sample_read("XB1Z3"))  # an unknown misread

    await answer(hass, f"LPR_CORRECT_{passage}", hass_admin_user, reply_text="AB-123")

    [corrected] = await site_of(hass).plate_log.async_passage_reads(passage)
    assert corrected.fields["corrected_plate"] == "AB-123"
    assert corrected.fields["known_name"] == "Anna's car"
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read("XB1Z3"))  # the camera misreads her plate so again
    await wait_for(lambda: events)
    assert (events[0].data["corrected_plate"], events[0].data["known_name"]) == (
        "AB-123",
        "Anna's car",
    )


async def test_markdown_in_a_plate_is_shown_as_text(
    hass: HomeAssistant, camera: CameraSimulator, phone: Phone
) -> None:
    await read(hass, camera, sample_read("![](http://x)"))

    [notification] = phone.notified
    assert notification.data["title"] == "Unknown plate \\!\\[\\]\\(http://x\\)"


async def test_one_known_vehicle_only(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    notified = async_mock_service(hass, "notify", "mobile_app_phone")
    for plate, name in (("AB-123", "Anna's car"), ("CD-456", "Ben's van")):
        await hass.services.async_call(
            DOMAIN, "add_known_plate", {"plate": plate, "name": name}, blocking=True
        )
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), init_integration.entry_id)
    await automation(hass, device.id, reads="vehicle", vehicle_plate="ab 123")

    await read(hass, camera, sample_read("CD456"))
    await read(hass, camera, sample_read("A8123"))  # Anna's car, an OCR slip

    [notification] = notified
    assert notification.data["title"] == "Known vehicle: A8123 (Anna's car)"
    assert "actions" in notification.data["data"]
