"""The HTTP type: real HTTP requests into Home Assistant's web server."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import threading
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera import webhook
from custom_components.lpr_camera.const import (
    CONF_ACTIVITY_WINDOW,
    EVENT_CAMERA_EVENT,
    EVENT_PLATE_RECOGNIZED,
)
from custom_components.lpr_camera.lpr.http_push import (
    MAX_BODIES_BYTES,
    MAX_BODY_BYTES,
    MAX_EVIDENCE_PICTURES,
    MAX_JSON_VALUES,
    parse_post,
)
from custom_components.lpr_camera.webhook import RETRY_AFTER_SECONDS
from simulator import http_post

from .common import (
    add_entry,
    http_camera_entry,
    logged_reads,
    plate_log_kept_in_bounds,
    set_site_settings,
    wait_for,
)

PLATE = "sensor.gate_last_plate"
DIRECTION = "sensor.gate_direction"
CONNECTION = "binary_sensor.gate_connection"
PLATE_IMAGE = "image.gate_plate_picture"
FULL_IMAGE = "image.gate_full_picture"
EVENT = "event.gate_plate"
BRAND = "sensor.gate_vehicle_brand"
PLATE_JPEG = b"\xff\xd8\xff\xe0plate-crop\xff\xd9"
FULL_JPEG = b"\xff\xd8\xff\xe0full-snapshot\xff\xd9"
# Picture keys in one body: thousands, within the values a body may have.
PICTURE_KEYS = MAX_JSON_VALUES - 100


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
    """The camera Gate; its Connection goes off 30 minutes after a read unless told otherwise."""
    options = {CONF_ACTIVITY_WINDOW: 30} if options is None else options
    return http_camera_entry(webhook_id, title, username=username, password=password, **options)


def camera_post(plate: str = "AMW212", **changes: object) -> dict[str, object]:
    """A POST body as the camera sends it, with its plate crop and full picture."""
    pictures = {
        "plate_image": base64.b64encode(PLATE_JPEG).decode(),
        "full_image": "data:image/jpeg;base64," + base64.b64encode(FULL_JPEG).decode(),
    }
    return http_post.camera_post(plate, **(pictures | changes))


def camera_device(hass: HomeAssistant, entry: MockConfigEntry) -> dr.DeviceEntry:
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return device


def history_root(hass: HomeAssistant) -> Path:
    return Path(hass.config.media_dirs["local"], "lpr_camera")


def our_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The integration's log lines at warning level or above."""
    return [
        record
        for record in caplog.records
        if record.name.startswith("custom_components.lpr_camera")
        and record.levelno >= logging.WARNING
    ]


# Vehicle type and List are off by default: on here, to see what they show.
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_post_sets_entities_and_fires_events(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    entry = await add_entry(hass, http_entry())
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
    await add_entry(hass, http_entry())
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
    await add_entry(hass, http_entry(username="cam", password="s3cret"))
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
        (json.dumps({"plate": True}).encode(), "no plate"),
        (json.dumps({"plate": "X" * 33}).encode(), "plate longer than 32 characters"),
        pytest.param(
            json.dumps({"plate": "X" * 100_000}).encode(),
            "plate longer than 32 characters",
            id="plate of 100000 characters",
        ),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, "not JSON", id="deeply nested"),
        (b'{"plate": "AB1", "n": NaN}', "NaN or Infinity"),
        (b'{"plate": "AB1", "n": 1e999}', "number out of range"),
        pytest.param(
            b'{"plate": "AB1", "n": ' + b"9" * 5000 + b"}", "number out of range", id="5000 digits"
        ),
        (b'{"plate": "\xff\xfe"}', "not JSON"),
        (b'{"plate": "\\ud800"}', "not Unicode"),
        (b'{"plate": "AB1", "plate": "AB2"}', "repeats a key"),
        pytest.param(b"{" + b" " * MAX_BODY_BYTES + b"}", "larger than", id="too large"),
        pytest.param(
            json.dumps({"plate": "AB1"} | {f"image{n}": "%" for n in range(200_000)}).encode(),
            "more than 10000 values",
            id="200000 values",
        ),
    ],
)
async def test_bad_input_is_400_then_good_read_works(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    reason: str,
) -> None:
    await add_entry(hass, http_entry())
    client = await hass_client_no_auth()
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    caplog.set_level(logging.WARNING)

    for _ in range(3):
        response = await client.post("/api/webhook/gate-hook", data=body)
        assert response.status == 400
        assert reason in await response.text()
    [warning] = our_warnings(caplog)
    assert reason in warning.message
    assert "Traceback" not in caplog.text
    assert "X" * 33 not in caplog.text

    response = await client.post("/api/webhook/gate-hook", json=camera_post("GOOD1"))
    assert response.status == 200
    await hass.async_block_till_done()
    assert [event.data["plate"] for event in events] == ["GOOD1"]


async def test_bad_picture_keeps_the_read(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    await add_entry(hass, http_entry())
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
    await add_entry(hass, http_entry())
    await add_entry(hass, http_entry(webhook_id="drive-hook", title="Drive"))
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
    await add_entry(hass, entry)
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


async def test_the_body_is_parsed_off_the_event_loop(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """JSON and base64 of megabytes would hold every other part of Home Assistant."""
    on_the_loop: list[bool] = []

    def recording_parse_post(*args: Any, **kwargs: Any) -> object:
        on_the_loop.append(threading.get_ident() == hass.loop_thread_id)
        return parse_post(*args, **kwargs)

    monkeypatch.setattr(webhook, "parse_post", recording_parse_post)
    await add_entry(hass, http_entry())
    client = await hass_client_no_auth()

    response = await client.post("/api/webhook/gate-hook", json=camera_post("OFF1"))

    assert response.status == 200
    assert on_the_loop == [False]


async def test_a_4k_post_with_evidence_pictures(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """Over the 8 MiB the cap once was: a 4K snapshot and two evidence pictures."""
    await add_entry(hass, http_entry())
    client = await hass_client_no_auth()
    snapshot = b"\xff\xd8" + bytes(4_500_000)
    evidence = base64.b64encode(b"\xff\xd8" + bytes(1_500_000)).decode()
    body = camera_post(
        "BIG1",
        full_image=base64.b64encode(snapshot).decode(),
        evidence_image0=evidence,
        evidence_image1=evidence,
    )

    response = await client.post("/api/webhook/gate-hook", json=body)

    assert response.status == 200
    await hass.async_block_till_done()
    assert hass.states.get(PLATE).state == "BIG1"
    image = await client.get(hass.states.get(FULL_IMAGE).attributes["entity_picture"])
    assert await image.read() == snapshot


@pytest.mark.parametrize(
    ("time", "time_msec", "milliseconds"),
    [
        ("2024-02-01 06:00:05", "509", 509),
        ("", "2024-02-01 06:00:05.509", 509),
        ("2024-02-01 06:00:05.120", 7, 120),
    ],
)
async def test_the_most_precise_camera_time(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    time: str,
    time_msec: object,
    milliseconds: int,
) -> None:
    await add_entry(hass, http_entry())
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    client = await hass_client_no_auth()

    body = camera_post(time=time, time_msec=time_msec)
    assert (await client.post("/api/webhook/gate-hook", json=body)).status == 200
    await hass.async_block_till_done()

    local = datetime(2024, 2, 1, 6, 0, 5, milliseconds * 1000, dt_util.get_default_time_zone())
    assert events[0].data["time"] == local.isoformat()


async def test_camera_events_go_on_the_bus_and_are_no_reads(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """A count or a violation: answered 200, fired for automations, never a read."""
    entry = await add_entry(hass, http_entry())
    reads = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    camera_events = async_capture_events(hass, EVENT_CAMERA_EVENT)
    client = await hass_client_no_auth()
    counting = {
        "event": "Vehicle Counting",
        "device": "Network Camera",
        "time": "2024-02-01 06:00:05",
        "region name": "Lane 1",
        "All-Car": 12,
        "snapshot": base64.b64encode(FULL_JPEG).decode(),
    }
    violation = camera_post("AMW212", event="Violation Event", violation_type="Wrong way")

    for body in (counting, violation):
        response = await client.post("/api/webhook/gate-hook", json=body)
        assert response.status == 200
    await hass.async_block_till_done()

    assert reads == []
    assert hass.states.get(PLATE).state == "unknown"
    assert hass.states.get(CONNECTION).state == "off"
    assert not await hass.async_add_executor_job(history_root(hass).exists)
    device = camera_device(hass, entry)
    count, violated = (event.data for event in camera_events)
    assert count == {
        "kind": "counting",
        "time": datetime(2024, 2, 1, 6, 0, 5, tzinfo=dt_util.get_default_time_zone()).isoformat(),
        "camera_device_id": "Network Camera",
        "raw": {
            "event": "Vehicle Counting",
            "device": "Network Camera",
            "time": "2024-02-01 06:00:05",
            "region name": "Lane 1",
            "All-Car": 12,
        },
        "config_entry_id": entry.entry_id,
        "device_id": device.id,
    }
    assert violated["kind"] == "violation"
    assert violated["raw"]["plate"] == "AMW212"
    assert violated["raw"]["violation_type"] == "Wrong way"
    assert not {"plate_image", "full_image"} & violated["raw"].keys()


async def test_an_automation_on_a_violation(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """The README's example: a violation at this camera calls an action with its plate."""
    entry = await add_entry(hass, http_entry())
    device = camera_device(hass, entry)
    calls = async_mock_service(hass, "notify", "notify")
    trigger = {"trigger": "event", "event_type": EVENT_CAMERA_EVENT}
    automation_config = {
        "triggers": [trigger | {"event_data": {"kind": "violation", "device_id": device.id}}],
        "actions": [
            {
                "action": "notify.notify",
                "data": {"message": "{{ trigger.event.data.raw.plate }} drove the wrong way"},
            }
        ],
    }
    assert await async_setup_component(hass, "automation", {"automation": automation_config})
    client = await hass_client_no_auth()

    for event in ("Vehicle Counting", "Violation"):
        body = camera_post("AMW212", event=event)
        assert (await client.post("/api/webhook/gate-hook", json=body)).status == 200
    await hass.async_block_till_done()

    assert [call.data["message"] for call in calls] == ["AMW212 drove the wrong way"]


async def test_an_event_of_a_kind_not_known_is_no_read_and_warns_once(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await add_entry(hass, http_entry())
    reads = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    camera_events = async_capture_events(hass, EVENT_CAMERA_EVENT)
    client = await hass_client_no_auth()

    for event in ("Queue Length", "Queue Length", "Speeding"):
        body = camera_post("AMW212", event=event)
        assert (await client.post("/api/webhook/gate-hook", json=body)).status == 200
    await hass.async_block_till_done()

    assert reads == []
    assert [event.data["kind"] for event in camera_events] == ["other"] * 3
    [warning] = our_warnings(caplog)
    assert "Queue Length" in warning.message
    assert EVENT_CAMERA_EVENT in warning.message


async def test_vehicle_brand(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """In the event data; its sensor is disabled by default, and shows the make once enabled."""
    entry = await add_entry(hass, http_entry())
    entities = er.async_get(hass)
    assert entities.async_get(BRAND).disabled_by is er.RegistryEntryDisabler.INTEGRATION
    entities.async_update_entity(BRAND, disabled_by=None)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    client = await hass_client_no_auth()

    body = camera_post(**{"Vehicle Brand": "Volvo"})
    assert (await client.post("/api/webhook/gate-hook", json=body)).status == 200
    await hass.async_block_till_done()

    assert events[0].data["vehicle_brand"] == "Volvo"
    assert hass.states.get(BRAND).state == "Volvo"


async def test_evidence_pictures_are_kept_and_pruned_with_their_read(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """Saved beside the read's pictures, named by its row, and pruned with it."""
    await add_entry(hass, http_entry())
    await set_site_settings(hass, max_size_mb=1)
    client = await hass_client_no_auth()
    evidence = [b"\xff\xd8evidence-0\xff\xd9", b"\xff\xd8evidence-1\xff\xd9"]
    first = camera_post(
        "AA1",
        time="",
        full_image=base64.b64encode(b"\xff\xd8" + bytes(200_000)).decode(),
        evidence_image0=base64.b64encode(evidence[0]).decode(),
        evidence_image1=base64.b64encode(evidence[1]).decode(),
    )

    assert (await client.post("/api/webhook/gate-hook", json=first)).status == 200
    [read] = await logged_reads(hass)

    stem = read.pictures["plate"].removesuffix("_plate.jpg")
    assert read.pictures == {
        "plate": f"{stem}_plate.jpg",
        "full": f"{stem}_full.jpg",
        "evidence0": f"{stem}_evidence0.jpg",
        "evidence1": f"{stem}_evidence1.jpg",
    }
    root = history_root(hass)
    assert [(root / str(read.picture(f"evidence{n}"))).read_bytes() for n in (0, 1)] == evidence

    # Over the size limit the oldest read goes, every picture of it. (The newer read's picture
    # leaves room for the database and its write-ahead log, which the pruning writes to.)
    second = camera_post(
        "BB2", time="", full_image=base64.b64encode(b"\xff\xd8" + bytes(700_000)).decode()
    )
    assert (await client.post("/api/webhook/gate-hook", json=second)).status == 200
    await plate_log_kept_in_bounds(hass)  # the save, then the pruning it started

    names = [path.name for path in history_root(hass).rglob("*") if path.is_file()]
    assert not [name for name in names if "AA1" in name]
    assert [name for name in names if "BB2" in name]


async def test_a_read_with_evidence_pictures_only_is_kept(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    await add_entry(hass, http_entry())
    client = await hass_client_no_auth()
    body = {"plate": "EV1", "evidence_image0": base64.b64encode(b"\xff\xd8ev\xff\xd9").decode()}

    assert (await client.post("/api/webhook/gate-hook", json=body)).status == 200

    [read] = await logged_reads(hass)
    assert list(read.pictures) == ["evidence0"]
    assert (history_root(hass) / str(read.picture("evidence0"))).read_bytes() == (
        b"\xff\xd8ev\xff\xd9"
    )


async def test_a_flood_of_evidence_pictures_writes_the_first_eight(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One request once wrote a file per `evidence_imageN` key: hundreds of thousands."""
    await add_entry(hass, http_entry())
    client = await hass_client_no_auth()
    picture = base64.b64encode(b"\xff\xd8ev\xff\xd9").decode()
    for plate in ("EV1", "EV2"):
        body = {"plate": plate} | {f"evidence_image{n}": picture for n in range(PICTURE_KEYS)}
        assert (await client.post("/api/webhook/gate-hook", json=body)).status == 200
        read = (await logged_reads(hass))[0]
        assert list(read.pictures) == [f"evidence{n}" for n in range(MAX_EVIDENCE_PICTURES)]
        folder = history_root(hass) / str(read.folder)
        assert len(list(folder.glob(f"*{plate}_evidence*"))) == MAX_EVIDENCE_PICTURES
        assert hass.states.get(PLATE).state == plate
    [warning] = our_warnings(caplog)
    assert f"{PICTURE_KEYS - MAX_EVIDENCE_PICTURES} of them" in warning.message


async def test_a_flood_of_undecodable_pictures_names_a_few(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Their names, in the read's raw and in the warning, once took 62 MiB per read."""
    await add_entry(hass, http_entry())
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    client = await hass_client_no_auth()
    body = {"plate": "BAD1"} | {f"evidence_image{n}": "%%%" for n in range(PICTURE_KEYS)}

    assert (await client.post("/api/webhook/gate-hook", json=body)).status == 200
    await hass.async_block_till_done()

    [event] = events
    evidence = [f"evidence_image{n}" for n in range(MAX_EVIDENCE_PICTURES)]
    assert event.data["raw"]["undecodable_images"] == evidence
    assert event.data["raw"]["left_out_pictures"] == PICTURE_KEYS - MAX_EVIDENCE_PICTURES
    undecodable, left_out = our_warnings(caplog)
    assert undecodable.message.endswith(str(evidence))
    assert f"{PICTURE_KEYS - MAX_EVIDENCE_PICTURES} of them" in left_out.message


async def test_bodies_being_read_at_once_are_bounded(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Past their budget, across the cameras, a request is answered 503 until bodies are read."""
    await add_entry(hass, http_entry())
    await add_entry(hass, http_entry(webhook_id="drive-hook", title="Drive"))
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    client = await hass_client_no_auth()
    released = asyncio.Event()
    held_size = MAX_BODIES_BYTES // 4 - 4096  # each a read within the size a read may be
    blanks = memoryview(b" " * 2**20)

    async def held_body(plate: str) -> AsyncIterator[bytes]:
        """A read whose end waits: all but its last byte stay in Home Assistant's memory."""
        start = json.dumps({"plate": plate}).encode()[:-1]
        yield start
        remaining = held_size - 1 - len(start)
        while remaining:
            chunk = blanks[: min(remaining, len(blanks))]
            yield bytes(chunk)
            remaining -= len(chunk)
        await released.wait()
        yield b"}"

    held = [
        asyncio.create_task(client.post(f"/api/webhook/{hook}", data=held_body(f"HELD{n}")))
        for n, hook in enumerate(("gate-hook", "drive-hook") * 2)
    ]
    try:
        bodies = hass.data[webhook.BODIES_BEING_READ]
        await wait_for(lambda: bodies.size == 4 * (held_size - 1), limit=30)

        late = camera_post("LATE1", full_image=base64.b64encode(bytes(65536)).decode())
        for _ in range(2):
            response = await client.post("/api/webhook/gate-hook", json=late)
            assert response.status == 503
            assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        response = await client.get("/api/webhook/gate-hook?description=GET1")
        assert response.status == 200  # no body: nothing to hold
    finally:
        released.set()
        answers = await asyncio.gather(*held)

    assert [answer.status for answer in answers] == [200] * 4
    response = await client.post("/api/webhook/gate-hook", json=late)
    assert response.status == 200
    await hass.async_block_till_done()
    plates = sorted(event.data["plate"] for event in events)
    assert plates == ["GET1", "HELD0", "HELD1", "HELD2", "HELD3", "LATE1"]
    assert bodies.size == 0
    [busy] = [warning for warning in our_warnings(caplog) if "503" in warning.message]
    assert "answered 503" in busy.message
