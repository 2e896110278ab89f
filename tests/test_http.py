"""The HTTP type: real HTTP requests into Home Assistant's web server."""

from __future__ import annotations

import base64
import json
import logging
from datetime import datetime, timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import (
    CONF_ACTIVITY_WINDOW,
    CONF_CONNECTION_TYPE,
    CONNECTION_HTTP,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
)
from custom_components.lpr_camera.lpr.http_push import MAX_BODY_BYTES

PLATE = "sensor.gate_last_plate"
DIRECTION = "sensor.gate_direction"
CONNECTION = "binary_sensor.gate_connection"
PLATE_IMAGE = "image.gate_plate_picture"
FULL_IMAGE = "image.gate_full_picture"
EVENT = "event.gate_plate"
PLATE_JPEG = b"\xff\xd8\xff\xe0plate-crop\xff\xd9"
FULL_JPEG = b"\xff\xd8\xff\xe0full-snapshot\xff\xd9"


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def http_entry(
    webhook_id: str = "gate-hook",
    title: str = "Gate",
    username: str = "",
    password: str = "",
    options: dict[str, object] | None = None,
) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        data={
            CONF_CONNECTION_TYPE: CONNECTION_HTTP,
            CONF_WEBHOOK_ID: webhook_id,
            CONF_USERNAME: username,
            CONF_PASSWORD: password,
        },
        options={CONF_ACTIVITY_WINDOW: 30} if options is None else options,
    )


def camera_post(plate: str = "AMW212", **changes: object) -> dict[str, object]:
    """A POST body as the camera sends it: every value a string."""
    return {
        "device": "Network Camera",
        "time": "2024-02-01 06:00:05.509",
        "plate": plate,
        "type": "White",
        "speed": "25",
        "direction": "Approach",
        "detection_region": "1",
        "region": "BEL",
        "resolution_width": "1280",
        "resolution_height": "720",
        "coordinate_x1": "473",
        "coordinate_y1": "93",
        "coordinate_x2": "676",
        "coordinate_y2": "135",
        "confidence": "0.70",
        "plate_color": "White",
        "vehicle_type": "Bus",
        "vehicle_color": "Red",
        "plate_image": base64.b64encode(PLATE_JPEG).decode(),
        "full_image": "data:image/jpeg;base64," + base64.b64encode(FULL_JPEG).decode(),
        **changes,
    }


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def test_post_sets_entities_and_fires_events(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    entry = http_entry()
    await setup_entry(hass, entry)
    assert hass.states.get(CONNECTION).state == "off"
    assert hass.states.get(PLATE).state == "unknown"
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    client = await hass_client_no_auth()

    response = await client.post("/api/webhook/gate-hook", json=camera_post())
    assert response.status == 200
    await hass.async_block_till_done()

    assert hass.states.get(PLATE).state == "AMW212"
    assert hass.states.get(DIRECTION).state == "approaching"
    assert hass.states.get("sensor.gate_vehicle_type").state == "bus"
    assert hass.states.get("sensor.gate_list").state == "white"
    assert hass.states.get("sensor.gate_speed").state == "25.0"
    assert hass.states.get(CONNECTION).state == "on"
    assert hass.states.get(EVENT).attributes["plate"] == "AMW212"
    [event] = events
    assert event.data["plate"] == "AMW212"
    assert event.data["vehicle_colour"] == "red"
    assert event.data["config_entry_id"] == entry.entry_id
    local = datetime(2024, 2, 1, 6, 0, 5, 509000, tzinfo=dt_util.get_default_time_zone())
    assert event.data["time"] == local.isoformat()
    assert event.data["raw"]["device"] == "Network Camera"
    for entity_id, picture in ((PLATE_IMAGE, PLATE_JPEG), (FULL_IMAGE, FULL_JPEG)):
        url = hass.states.get(entity_id).attributes["entity_picture"]
        image = await client.get(url)
        assert await image.read() == picture


async def test_get_read(hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator) -> None:
    await setup_entry(hass, http_entry())
    client = await hass_client_no_auth()

    response = await client.get("/api/webhook/gate-hook?Caption=LPR&description=MS12345")
    assert response.status == 200
    await hass.async_block_till_done()
    assert hass.states.get(PLATE).state == "MS12345"

    response = await client.get("/api/webhook/gate-hook?Caption%20=%20LPR&description%20=%20XY9")
    assert response.status == 200
    await hass.async_block_till_done()
    assert hass.states.get(PLATE).state == "XY9"


async def test_credentials(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    await setup_entry(hass, http_entry(username="cam", password="s3cret"))
    client = await hass_client_no_auth()
    url = "/api/webhook/gate-hook"

    for headers in ({}, basic("cam", "wrong"), basic("other", "s3cret")):
        response = await client.post(url, json=camera_post("NOPE1"), headers=headers)
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith("Basic")
    response = await client.post(
        url, json=camera_post("NOPE2"), headers={"Authorization": "Basic !!!"}
    )
    assert response.status == 401
    await hass.async_block_till_done()
    assert hass.states.get(PLATE).state == "unknown"

    response = await client.post(url, json=camera_post("YES1"), headers=basic("cam", "s3cret"))
    assert response.status == 200
    await hass.async_block_till_done()
    assert hass.states.get(PLATE).state == "YES1"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"this is not json", "not JSON"),
        (b"[1, 2, 3]", "not a JSON object"),
        (json.dumps({"time": "2024-01-01 00:00:00"}).encode(), "no plate"),
        (json.dumps({"plate": "-"}).encode(), "no plate"),
        (b"{" + b" " * MAX_BODY_BYTES + b"}", "larger than"),
    ],
)
async def test_bad_input_is_400_then_good_read_works(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    reason: str,
) -> None:
    await setup_entry(hass, http_entry())
    client = await hass_client_no_auth()
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    caplog.set_level(logging.WARNING)

    for _ in range(3):
        response = await client.post("/api/webhook/gate-hook", data=body)
        assert response.status == 400
        assert reason in await response.text()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and reason in r.message]
    assert len(warnings) == 1
    assert "Traceback" not in caplog.text

    response = await client.post("/api/webhook/gate-hook", json=camera_post("GOOD1"))
    assert response.status == 200
    await hass.async_block_till_done()
    assert [event.data["plate"] for event in events] == ["GOOD1"]


async def test_bad_picture_keeps_the_read(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    await setup_entry(hass, http_entry())
    client = await hass_client_no_auth()

    response = await client.post(
        "/api/webhook/gate-hook", json=camera_post("PIC1", full_image="%%% not base64")
    )
    assert response.status == 200
    await hass.async_block_till_done()
    assert hass.states.get(PLATE).state == "PIC1"
    plate_picture = await client.get(hass.states.get(PLATE_IMAGE).attributes["entity_picture"])
    assert await plate_picture.read() == PLATE_JPEG


async def test_two_cameras_stay_apart(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    await setup_entry(hass, http_entry())
    await setup_entry(hass, http_entry(webhook_id="drive-hook", title="Drive"))
    client = await hass_client_no_auth()

    await client.post("/api/webhook/gate-hook", json=camera_post("GATE1"))
    await client.post("/api/webhook/drive-hook", json=camera_post("DRIVE1"))
    await hass.async_block_till_done()

    assert hass.states.get(PLATE).state == "GATE1"
    assert hass.states.get("sensor.drive_last_plate").state == "DRIVE1"


@pytest.mark.parametrize(
    ("options", "window"),
    [
        ({CONF_ACTIVITY_WINDOW: 30}, timedelta(minutes=30)),
        ({}, timedelta(hours=24)),  # the default the README promises
    ],
    ids=["set to 30 minutes", "default"],
)
async def test_connection_follows_activity_window(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    options: dict[str, object],
    window: timedelta,
) -> None:
    """On after a read, off once the window passes without one."""
    entry = http_entry(options=options)
    await setup_entry(hass, entry)
    client = await hass_client_no_auth()
    await client.post("/api/webhook/gate-hook", json=camera_post())
    await hass.async_block_till_done()
    assert hass.states.get(CONNECTION).state == "on"

    freezer.tick(window - timedelta(minutes=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(CONNECTION).state == "on"

    freezer.tick(timedelta(minutes=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(CONNECTION).state == "off"
    assert hass.states.get(PLATE).state == "AMW212"
