"""Who is on site and the visits, as the Plates panel asks for them over the websocket API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from homeassistant.const import EVENT_LOGBOOK_ENTRY
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.lpr_camera.lpr import Direction
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import Command, logged_reads, read_at, set_site_settings

pytestmark = pytest.mark.freeze_time("2026-11-26 20:00:00+00:00", tick=True)

MORNING = datetime(2026, 11, 26, 16, 30, 15, tzinfo=UTC)  # 08:30:15 local
ANNA_ON_SITE = "binary_sensor.anna_s_car_on_site"
ON_SITE = "sensor.site_vehicles_on_site"


async def anna(command: Command, hass: HomeAssistant) -> str:
    """Anna's car, a known vehicle on the allow list; its id."""
    added = await command("known_vehicles/save", plate="AB-123", name="Anna's car", list="allow")
    await hass.async_block_till_done()
    return str(added["vehicle_id"])


@pytest.mark.usefixtures("media")
async def test_who_is_on_site_with_the_pictures_of_their_arrivals(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    command: Command,
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    vehicle_id = await anna(command, hass)
    follower = await hass_ws_client(hass)
    await follower.send_json_auto_id({"type": "lpr_camera/on_site/subscribe"})
    assert (await follower.receive_json())["success"]

    await read_at(hass, camera, "AB123", MORNING)
    assert (await follower.receive_json())["event"] == {"count": 1}
    await read_at(hass, camera, "ZZ 999", MORNING + timedelta(minutes=1))
    assert (await follower.receive_json())["event"] == {"count": 2}
    await read_at(hass, camera, "AB123", MORNING + timedelta(minutes=2))  # on site already
    [again, zz, arrival] = await logged_reads(hass)

    listed = await command("on_site/list")
    assert listed["count"] == 2
    [unknown, known] = listed["vehicles"]  # the newest arrival first
    picture = known.pop("plate_picture")
    full_picture = known.pop("full_picture")
    assert known == {
        "plate": "AB-123",
        "vehicle_id": vehicle_id,
        "known_name": "Anna's car",
        "known_list": "allow",
        "arrival": known["arrival"],
        "config_entry_id": init_integration.entry_id,
        "camera": "LPR camera 127.0.0.1",
        "passage_id": arrival.fields["passage_id"],
        "read_id": arrival.read_id,  # the arrival's read, not the later one
    }
    client = await hass_client_no_auth()
    answer = await client.get(picture)
    assert answer.status == 200
    assert await answer.read() == sample_read("AB123").plate_image
    answer = await client.get(full_picture)
    assert answer.status == 200
    assert await answer.read() == sample_read("AB123").full_image
    assert (unknown["plate"], unknown["vehicle_id"], unknown["read_id"]) == (
        "ZZ 999",
        None,
        zz.read_id,
    )
    assert again.fields["presence"] is None
    second = await command("on_site/list", offset=1, limit=1)
    assert [vehicle["plate"] for vehicle in second["vehicles"]] == ["AB-123"]

    # Someone saw the unknown car go, where no camera did.
    lines = async_capture_events(hass, EVENT_LOGBOOK_ENTRY)
    assert await command("on_site/leave", plate="zz-999") == {"plate": "ZZ 999", "vehicle_id": None}
    assert (await follower.receive_json())["event"] == {"count": 1}
    assert [(line.data["name"], line.data["message"]) for line in lines] == [
        ("ZZ 999", "left the site: marked by Mock User")
    ]
    assert lines[0].data["entity_id"] == ON_SITE
    assert (await command("on_site/leave", plate="ZZ999"))["code"] == "not_found"
    assert (await command("on_site/leave"))["code"] == "invalid_format"
    assert await command("on_site/leave", vehicle_id=vehicle_id) == {
        "plate": "AB-123",
        "vehicle_id": vehicle_id,
    }
    await hass.async_block_till_done()
    assert hass.states.get(ANNA_ON_SITE).state == "off"
    assert hass.states.get(ON_SITE).state == "0"
    assert (await command("on_site/list")) == {"vehicles": [], "count": 0}


async def test_the_on_site_commands_follow_the_plate_log_setting(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    command: Command,
    hass_admin_user: MockUser,
) -> None:
    await read_at(hass, camera, "ZZ999", MORNING)
    await set_site_settings(hass, plate_log_admin_only=True)
    hass_admin_user.groups = []  # no longer an administrator

    for kind, fields in (
        ("on_site/list", {}),
        ("on_site/subscribe", {}),
        ("on_site/leave", {"plate": "ZZ999"}),
        ("visits/list", {"plate": "ZZ999"}),
    ):
        assert (await command(kind, **fields))["code"] == "unauthorized", kind
    await set_site_settings(hass, plate_log_admin_only=False)
    assert (await command("on_site/list"))["count"] == 1  # any user sees who is on site
    assert (await command("on_site/leave", plate="ZZ999"))["code"] == "unauthorized"


async def test_a_vehicles_visits_and_the_dwell_time(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    command: Command,
) -> None:
    vehicle_id = await anna(command, hass)
    await read_at(hass, camera, "AB123", MORNING)
    await read_at(hass, camera, "AB123", MORNING + timedelta(minutes=10), Direction.DEPARTING)
    await read_at(hass, camera, "A8123", MORNING + timedelta(hours=1))  # OCR's 8 for B: Anna
    [third, left, first] = await logged_reads(hass)

    visits = (await command("visits/list", vehicle_id=vehicle_id))["visits"]
    [going, done] = visits
    assert going["arrival"]["read_id"] == third.read_id
    assert (going["departure"], going["duration"], going["on_site"]) == (None, None, True)
    assert (done["arrival"]["read_id"], done["departure"]["read_id"]) == (
        first.read_id,
        left.read_id,
    )
    assert done["arrival"]["plate_picture"].startswith("/media/local/lpr_camera/")
    assert (done["duration"], done["on_site"]) == (600.0, False)

    page = await command("visits/list", vehicle_id=vehicle_id, limit=1)
    assert [visit["arrival"]["read_id"] for visit in page["visits"]] == [third.read_id]
    rest = await command("visits/list", vehicle_id=vehicle_id, limit=1, before=page["next"])
    assert [visit["arrival"]["read_id"] for visit in rest["visits"]] == [first.read_id]
    assert rest["next"] is None

    # An unknown car by its plate: marked as gone, then back; its first visit ended unseen.
    await read_at(hass, camera, "ZZ999", MORNING + timedelta(hours=2))
    await command("on_site/leave", plate="ZZ999")
    await read_at(hass, camera, "ZZ 999", MORNING + timedelta(hours=3))
    [back, gone] = (await command("visits/list", plate="zz-999"))["visits"]
    assert (back["on_site"], gone["on_site"]) == (True, False)
    assert (gone["departure"], gone["duration"]) == (None, None)
    assert (await command("visits/list"))["code"] == "invalid_format"
    both = await command("visits/list", plate="ZZ999", vehicle_id=vehicle_id)
    assert both["code"] == "invalid_format"

    statistics = await command("statistics", days=7)
    assert statistics["dwell"] == {
        "visits": 1,
        "median": 600.0,
        "mean": 600.0,
        # Ten minutes: shorter than a quarter of an hour.
        "distribution": [
            {"up_to": 900, "visits": 1},
            {"up_to": 3600, "visits": 0},
            {"up_to": 14400, "visits": 0},
            {"up_to": 43200, "visits": 0},
            {"up_to": None, "visits": 0},
        ],
    }
    other_camera = await command("statistics", days=7, config_entry_ids=["elsewhere"])
    nobody = other_camera["dwell"]
    assert (nobody["visits"], nobody["median"], nobody["mean"]) == (0, None, None)
    assert [bucket["visits"] for bucket in nobody["distribution"]] == [0] * 5
