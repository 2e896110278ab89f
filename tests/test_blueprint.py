"""The gate-opener blueprint of the repository, loaded by Home Assistant and run by real reads."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.lpr import Direction, PlateRead
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import wait_for

BLUEPRINT = Path(__file__).parent.parent / "blueprints/automation/lpr_camera/gate_opener.yaml"
AUTHORIZED = "binary_sensor.lpr_camera_127_0_0_1_authorized"


@dataclasses.dataclass
class Calls:
    cover: list[ServiceCall]
    script: list[ServiceCall]
    notify: list[ServiceCall]

    def clear(self) -> None:
        for calls in (self.cover, self.script, self.notify):
            calls.clear()


@pytest.fixture
async def calls(hass: HomeAssistant, init_integration: MockConfigEntry) -> Calls:
    """An automation from the blueprint, as the UI would create it from the imported file."""
    target = Path(hass.config.path("blueprints/automation/lpr_camera/gate_opener.yaml"))

    def install() -> None:
        target.parent.mkdir(parents=True)
        shutil.copy(BLUEPRINT, target)

    await hass.async_add_executor_job(install)
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), init_integration.entry_id)
    registry = dr.async_get(hass)
    registry.async_update_device(device.id, name_by_user="Gate")
    recorded = Calls(
        cover=async_mock_service(hass, "cover", "open_cover"),
        script=async_mock_service(hass, "script", "turn_on"),
        notify=async_mock_service(hass, "notify", "mobile_app_phone"),
    )
    for plate, name, plate_list in (("AB-123", "Anna's car", "allow"), ("X99", "", "deny")):
        await hass.services.async_call(
            DOMAIN,
            "add_known_plate",
            {"plate": plate, "name": name, "list": plate_list},
            blocking=True,
        )
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "gate",
                "alias": "Gate",
                "use_blueprint": {
                    "path": "lpr_camera/gate_opener.yaml",
                    "input": {
                        "camera": device.id,
                        "authorized": AUTHORIZED,
                        "gate": ["cover.gate"],
                        "gate_script": "script.welcome",
                        "notify_action": "notify.mobile_app_phone",
                    },
                },
            }
        },
    )
    state = hass.states.get("automation.gate")
    assert state is not None
    assert state.state == "on"
    return recorded


async def read(hass: HomeAssistant, camera: CameraSimulator, plate_read: PlateRead) -> None:
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(plate_read)
    await wait_for(lambda: events)
    await hass.async_block_till_done()


async def test_allowed_plate_opens_the_gate(
    hass: HomeAssistant, camera: CameraSimulator, calls: Calls
) -> None:
    await read(hass, camera, sample_read("AB123"))

    [cover] = calls.cover
    assert cover.data == {"entity_id": ["cover.gate"]}
    [script] = calls.script
    assert script.data["entity_id"] == ["script.welcome"]
    assert script.data["variables"]["plate"] == "AB123"
    assert script.data["variables"]["name"] == "Anna's car"
    assert calls.notify == []


async def test_departing_or_denied_plates_open_nothing(
    hass: HomeAssistant, camera: CameraSimulator, calls: Calls
) -> None:
    await read(
        hass, camera, dataclasses.replace(sample_read("AB123"), direction=Direction.DEPARTING)
    )
    await read(hass, camera, sample_read("X99"))

    assert (calls.cover, calls.script, calls.notify) == ([], [], [])


async def test_unknown_plate_sends_its_picture(
    hass: HomeAssistant,
    camera: CameraSimulator,
    calls: Calls,
    hass_client: ClientSessionGenerator,
) -> None:
    """The picture of the read itself (by its passage), not whichever the camera shows now."""
    plate_read = sample_read("ZZ999")
    await read(hass, camera, plate_read)

    assert calls.cover == []
    [notify] = calls.notify
    assert notify.data["title"] == "Unknown plate ZZ999"
    assert notify.data["message"] == "ZZ999 at Gate"
    image = notify.data["data"]["image"]
    assert image.startswith("/api/lpr_camera/passage/")
    assert await (await (await hass_client()).get(image)).read() == plate_read.full_image

    calls.clear()
    await read(hass, camera, dataclasses.replace(sample_read("YY888"), full_image=None))

    [notify] = calls.notify
    assert notify.data["data"] == {}


async def test_a_hostile_plate_is_text_in_the_notification(
    hass: HomeAssistant, camera: CameraSimulator, calls: Calls
) -> None:
    """A notification may render Markdown: a plate like this one would make it fetch the URL."""
    await read(hass, camera, sample_read("![](http://x.example/a_b.png)"))

    [notify] = calls.notify
    escaped = r"\!\[\]\(http://x.example/a\_b.png\)"
    assert notify.data["title"] == f"Unknown plate {escaped}"
    assert notify.data["message"] == f"{escaped} at Gate"

    # The plates of real cars stay as they are: a phone shows the notification as plain text.
    calls.clear()
    await read(hass, camera, sample_read("B-MW 1.23 부산"))
    [notify] = calls.notify
    assert notify.data["message"] == "B-MW 1.23 부산 at Gate"


async def test_other_camera_does_not_open_the_gate(
    hass: HomeAssistant, calls: Calls, hass_client_no_auth: ClientSessionGenerator
) -> None:
    other = MockConfigEntry(
        domain=DOMAIN,
        title="Drive",
        data={"connection_type": "http", "webhook_id": "drive", "username": "", "password": ""},
    )
    other.add_to_hass(hass)
    assert await hass.config_entries.async_setup(other.entry_id)
    client = await hass_client_no_auth()

    response = await client.post("/api/webhook/drive", json={"plate": "AB123"})
    assert response.status == 200
    await hass.async_block_till_done()

    assert (calls.cover, calls.notify) == ([], [])


async def test_a_vehicle_outside_its_pass_opens_nothing(
    hass: HomeAssistant, camera: CameraSimulator, calls: Calls
) -> None:
    yesterday = dt_util.now() - timedelta(days=1)
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "G1", "valid_until": yesterday}, blocking=True
    )
    await read(hass, camera, sample_read("G1"))

    assert (calls.cover, calls.script, calls.notify) == ([], [], [])
    assert hass.states.get(AUTHORIZED).state == "off"


async def test_an_unknown_car_waiting_rings_once(
    hass: HomeAssistant, camera: CameraSimulator, calls: Calls
) -> None:
    for _ in range(3):
        await read(hass, camera, sample_read("ZZ999"))

    assert len(calls.notify) == 1
