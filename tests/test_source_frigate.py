"""Frigate's plates over a real MQTT broker, through Home Assistant's own mqtt integration.

Debian's mosquitto runs on a free port of 127.0.0.1 (without it the tests are skipped, except in
CI, CI=true, where they fail: .ci/run installs it); Home Assistant's mqtt integration connects to
it as a user sets it up; a plain MQTT client (paho) publishes what Frigate publishes; Frigate's API
(its snapshots) is a web server on 127.0.0.1.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components import mqtt
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntry,
    ConfigEntryState,
)
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.lpr import frigate as frigate_messages
from custom_components.lpr_camera.lpr.frigate import MAX_MESSAGE_BYTES, snapshot_path
from simulator.camera_web import CameraWebServer
from simulator.frigate import (
    Mosquitto,
    event,
    frigate_api,
    mosquitto_path,
    new_object_id,
    plate_update,
    publish_messages,
)
from simulator.ports import free_port
from simulator.reads import make_snapshot

from .common import logged_reads, site_entry, wait_for

SNAPSHOT = make_snapshot("AB1234")
PLATE = "sensor.frigate_driveway_last_plate"
CONNECTION = "binary_sensor.frigate_driveway_connection"
UPDATES = "frigate/tracked_object_update"
EVENTS = "frigate/events"
AVAILABLE = "frigate/available"


@pytest.fixture(scope="module")
def mosquitto_installed() -> None:
    """Skip (fail in CI) without Debian's mosquitto."""
    if mosquitto_path() is not None:
        return
    message = "mosquitto is not installed (apt-get install mosquitto)"
    if os.environ.get("CI", "").lower() in {"true", "1"}:
        pytest.fail(f"CI must run the Frigate tests: {message}")
    pytest.skip(message)


@pytest.fixture
async def broker(mosquitto_installed: None, tmp_path: Path) -> AsyncIterator[Mosquitto]:
    """mosquitto on a free port of 127.0.0.1, configured in the test's folder, keeping nothing."""
    directory = tmp_path / "mosquitto"
    directory.mkdir()
    running = Mosquitto(free_port(), directory)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def mqtt_entry(hass: HomeAssistant, broker: Mosquitto) -> ConfigEntry:
    """Home Assistant's mqtt integration, set up for real and connected to the broker."""
    # It reads its YAML configuration (there is none) from configuration.yaml.
    (Path(hass.config.config_dir) / "configuration.yaml").write_text("{}\n")
    entry = MockConfigEntry(
        domain="mqtt",
        data={"broker": "127.0.0.1", "port": broker.port},
        version=1,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await wait_for(lambda: mqtt.is_connected(hass))
    return entry


@pytest.fixture
async def frigate_web() -> AsyncIterator[CameraWebServer]:
    """Frigate's API on a free port of 127.0.0.1: its version and the snapshots put in it."""
    server = frigate_api({})
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def settle_seconds(monkeypatch: pytest.MonkeyPatch) -> float:
    """A short settle window, where the test is not about it."""
    monkeypatch.setattr(frigate_messages, "SETTLE_SECONDS", 0.2)
    return 0.2


async def publish(hass: HomeAssistant, broker: Mosquitto, *messages: tuple[str, Any, bool]) -> None:
    """Publish as Frigate does, from a plain MQTT client (in a thread: it blocks)."""
    await hass.async_add_executor_job(publish_messages, broker.port, *messages)


async def add_frigate(hass: HomeAssistant, **answers: str) -> ConfigEntry:
    """The Frigate source added through the config flow, as a user does."""
    result = await start_frigate_form(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], answers)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry: ConfigEntry = result["result"]
    return entry


async def start_frigate_form(hass: HomeAssistant) -> Any:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "source"}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"][0] == "source_frigate"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "source_frigate"}
    )
    assert result["type"] is FlowResultType.FORM
    return result


async def frigate_online(hass: HomeAssistant, broker: Mosquitto, connection: str) -> None:
    """Frigate says it runs (retained): the source has subscribed once its Connection is on."""
    await publish(hass, broker, (AVAILABLE, "online", True))
    await wait_for(lambda: hass.states.get(connection).state == "on")


async def connection_becomes(hass: HomeAssistant, state: str) -> None:
    await wait_for(lambda: hass.states.get(CONNECTION).state == state)


def car(object_id: str, *reads: tuple[str, float], camera: str = "driveway") -> list[Any]:
    """Frigate's updates of one car as its plate is read better."""
    return [
        (UPDATES, plate_update(object_id, plate, score=score, camera=camera), False)
        for plate, score in reads
    ]


async def test_a_frigate_read_goes_the_way_of_a_cameras(
    hass: HomeAssistant,
    broker: Mosquitto,
    mqtt_entry: ConfigEntry,
    frigate_web: CameraWebServer,
    settle_seconds: float,
) -> None:
    """A car on Frigate's driveway camera: one read, known, with Frigate's snapshot."""
    entry = await add_frigate(
        hass, camera="driveway", url=f"http://127.0.0.1:{frigate_web.port}/", topic_prefix="frigate"
    )
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert (device.name, device.model) == ("Frigate driveway", "Frigate")
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "AB1234", "name": "Anna's car"}, blocking=True
    )
    await frigate_online(hass, broker, CONNECTION)
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    object_id = new_object_id()
    frigate_web.pictures[snapshot_path(object_id)] = SNAPSHOT

    await publish(hass, broker, *car(object_id, ("AB123", 0.7), ("AB1234", 0.92)))
    await wait_for(lambda: events)

    read = events[0].data
    assert (read["plate"], read["event_type"], read["known_name"]) == (
        "AB1234",
        "known",
        "Anna's car",
    )
    assert (read["confidence"], read["camera_device_id"], read["direction"]) == (
        0.92,
        "driveway",
        "unknown",
    )
    assert read["device_id"] == device.id
    assert read["raw"]["id"] == object_id
    assert hass.states.get(PLATE).state == "AB1234"
    assert hass.states.get("binary_sensor.frigate_driveway_authorized").state == "on"
    await wait_for(lambda: len(frigate_web.requested) > 1)
    assert frigate_web.requested == ["/api/version", snapshot_path(object_id)]
    [logged] = await logged_reads(hass)
    assert logged.fields["camera"] == "Frigate driveway"
    assert logged.picture("full")


async def test_one_read_per_object_the_best_of_its_settle_window(
    hass: HomeAssistant,
    broker: Mosquitto,
    mqtt_entry: ConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Frigate reads a car's plate better as it comes: one read, its best plate; then none."""
    monkeypatch.setattr(frigate_messages, "SETTLE_SECONDS", 60)
    seen: list[str] = []

    @callback
    def on_message(message: mqtt.ReceiveMessage) -> None:
        seen.append(message.topic)

    await mqtt.async_subscribe(hass, "frigate/#", on_message)
    await add_frigate(hass, camera="driveway", topic_prefix="frigate")
    await frigate_online(hass, broker, CONNECTION)
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    first, second = new_object_id(), new_object_id()

    await publish(
        hass,
        broker,
        *car(first, ("AB123", 0.6), ("AB1234", 0.93)),
        (EVENTS, event(first, "AB1234", score=0.93, zones=("driveway", "gate")), False),
        *car(first, ("A81234", 0.8)),
    )
    await wait_for(lambda: seen.count(UPDATES) == 3 and EVENTS in seen)
    assert events == []  # the window is open
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=61))
    await wait_for(lambda: events)

    assert events[0].data["plate"] == "AB1234"
    assert events[0].data["confidence"] == 0.93
    assert events[0].data["raw"]["entered_zones"] == ["driveway", "gate"]
    # Frigate goes on reading the same car: no second read. Another car is a read.
    await publish(hass, broker, *car(first, ("AB12345", 0.99)), *car(second, ("XY987", 0.9)))
    await wait_for(lambda: seen.count(UPDATES) == 5)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=122))
    await wait_for(lambda: len(events) == 2)
    await hass.async_block_till_done()
    assert [e.data["plate"] for e in events] == ["AB1234", "XY987"]


async def test_a_source_follows_its_camera_or_all_of_them(
    hass: HomeAssistant, broker: Mosquitto, mqtt_entry: ConfigEntry, settle_seconds: float
) -> None:
    driveway = await add_frigate(hass, camera="driveway", topic_prefix="frigate")
    every = await add_frigate(hass, camera="", topic_prefix="frigate")
    assert (driveway.title, every.title) == ("Frigate driveway", "Frigate")
    assert (driveway.unique_id, every.unique_id) == (
        "frigate:frigate:driveway",
        "frigate:frigate:*",
    )
    await frigate_online(hass, broker, "binary_sensor.frigate_connection")
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    await publish(
        hass,
        broker,
        *car(new_object_id(), ("GA1", 0.9), camera="garage"),
        *car(new_object_id(), ("DR1", 0.9)),
    )
    await wait_for(lambda: len(events) == 3)
    await hass.async_block_till_done()

    by_entry = sorted((e.data["config_entry_id"], e.data["plate"]) for e in events)
    assert by_entry == sorted(
        [(driveway.entry_id, "DR1"), (every.entry_id, "DR1"), (every.entry_id, "GA1")]
    )


async def test_another_topic_prefix(
    hass: HomeAssistant, broker: Mosquitto, mqtt_entry: ConfigEntry, settle_seconds: float
) -> None:
    """A Frigate whose topic_prefix is changed; the default prefix's messages are not its."""
    await add_frigate(hass, camera="driveway", topic_prefix="/house/frigate/")
    await publish(hass, broker, ("house/frigate/available", "online", True))
    await wait_for(lambda: hass.states.get(CONNECTION).state == "on")
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    await publish(
        hass,
        broker,
        *car(new_object_id(), ("NOT1", 0.9)),
        (
            "house/frigate/tracked_object_update",
            plate_update(new_object_id(), "HF1", score=0.9),
            False,
        ),
    )
    await wait_for(lambda: events)
    await hass.async_block_till_done()

    assert [e.data["plate"] for e in events] == ["HF1"]


async def test_connection_follows_frigates_availability(
    hass: HomeAssistant, broker: Mosquitto, mqtt_entry: ConfigEntry
) -> None:
    """Frigate's retained word: online on; offline (its will) or stopped off, reads unavailable."""
    await publish(hass, broker, (AVAILABLE, "online", True))
    await add_frigate(hass, camera="driveway", topic_prefix="frigate")
    await connection_becomes(hass, "on")
    assert hass.states.get(PLATE).state != "unavailable"

    for word, state in (("offline", "off"), ("online", "on"), ("stopped", "off")):
        await publish(hass, broker, (AVAILABLE, word, True))
        await connection_becomes(hass, state)
    assert hass.states.get(PLATE).state == "unavailable"


async def test_connection_is_off_without_the_broker(
    hass: HomeAssistant, broker: Mosquitto, mqtt_entry: ConfigEntry
) -> None:
    """Without the broker nothing tells whether Frigate runs: off until Frigate says so again."""
    await add_frigate(hass, camera="driveway", topic_prefix="frigate")
    await frigate_online(hass, broker, CONNECTION)

    await broker.stop()
    await connection_becomes(hass, "off")


async def test_what_is_no_plate_is_no_read_and_logged_once(
    hass: HomeAssistant,
    broker: Mosquitto,
    mqtt_entry: ConfigEntry,
    settle_seconds: float,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Non-JSON, a huge payload, wrong types, a plate too long: no read, one warning each."""
    await add_frigate(hass, camera="driveway", topic_prefix="frigate")
    await frigate_online(hass, broker, CONNECTION)
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    object_id = new_object_id()
    wrong_types = {"type": "lpr", "id": object_id, "camera": "driveway", "plate": "SECRET1"}
    garbage = [
        b"not json {",
        b"not json {",
        b"[" * 50_000,
        json.dumps({"type": "lpr", "plate": "SECRET2", "pad": "x" * MAX_MESSAGE_BYTES}).encode(),
        json.dumps({**wrong_types, "score": "high"}).encode(),
        json.dumps({**wrong_types, "id": 5, "score": 0.9}).encode(),
        json.dumps({**wrong_types, "plate": 1234, "score": 0.9}).encode(),
        json.dumps({**wrong_types, "plate": "X" * 40, "score": 0.9}).encode(),
        json.dumps({**wrong_types, "score": 0.9, "timestamp": 1e300}).encode(),
        json.dumps({"type": "lpr", "id": "../../api/config", "camera": "driveway"}).encode(),
    ]
    caplog.clear()

    await publish(
        hass,
        broker,
        *[(UPDATES, payload, False) for payload in garbage],
        (EVENTS, b"\xff\xfe", False),
        (EVENTS, json.dumps({"type": "new", "after": "car"}).encode(), False),
        *car(new_object_id(), ("GOOD1", 0.9)),
    )
    await wait_for(lambda: events)
    await hass.async_block_till_done()

    assert [e.data["plate"] for e in events] == ["GOOD1"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == len(set(warnings)), warnings
    for reason in (
        "body is not JSON",
        f"message larger than {MAX_MESSAGE_BYTES} bytes",
        "score is no number from 0 to 1",
        "no Frigate object id",
        "plate is not text",
        "plate longer than 32 characters",
        "timestamp is no time",
        "an event without its object (after)",
    ):
        assert any(reason in warning for warning in warnings), (reason, warnings)
    assert not any("SECRET" in warning for warning in warnings)


async def test_a_picture_frigate_does_not_give(
    hass: HomeAssistant,
    broker: Mosquitto,
    mqtt_entry: ConfigEntry,
    frigate_web: CameraWebServer,
    settle_seconds: float,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Frigate has no snapshot (404): the read comes without it, one warning."""
    await add_frigate(
        hass, camera="driveway", url=f"http://127.0.0.1:{frigate_web.port}", topic_prefix="frigate"
    )
    await frigate_online(hass, broker, CONNECTION)
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    await publish(
        hass, broker, *car(new_object_id(), ("NO1", 0.9)), *car(new_object_id(), ("NO2", 0.9))
    )
    await wait_for(lambda: len(events) == 2)
    await hass.async_block_till_done()

    assert [logged.picture("full") for logged in await logged_reads(hass)] == [None, None]
    warnings = [r for r in caplog.records if "without its picture" in r.getMessage()]
    assert [r.levelno for r in warnings] == [logging.WARNING, logging.DEBUG]


@pytest.mark.parametrize("ending", ["unload", "stop"])
async def test_a_read_in_its_window_is_made_when_the_source_ends(
    hass: HomeAssistant,
    broker: Mosquitto,
    mqtt_entry: ConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
    ending: str,
) -> None:
    """A reload or Home Assistant stopping loses no read: the open windows close at once."""
    monkeypatch.setattr(frigate_messages, "SETTLE_SECONDS", 60)
    entry = await add_frigate(hass, camera="driveway", topic_prefix="frigate")
    await frigate_online(hass, broker, CONNECTION)
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    seen: list[str] = []

    @callback
    def on_message(message: mqtt.ReceiveMessage) -> None:
        seen.append(message.topic)

    await mqtt.async_subscribe(hass, "frigate/#", on_message)
    await wait_for(lambda: AVAILABLE in seen)  # the retained word: subscribed
    await publish(hass, broker, *car(new_object_id(), ("LAST1", 0.9)))
    await wait_for(lambda: UPDATES in seen)
    assert events == []

    if ending == "unload":
        assert await hass.config_entries.async_unload(entry.entry_id)
    else:
        hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()

    assert [e.data["plate"] for e in events] == ["LAST1"]


async def test_the_form_says_when_mqtt_is_not_set_up(hass: HomeAssistant) -> None:
    result = await start_frigate_form(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"camera": "driveway", "topic_prefix": "frigate"}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "mqtt_not_set_up"}


async def test_without_mqtt_a_frigate_entry_waits_and_nothing_else_breaks(
    hass: HomeAssistant,
) -> None:
    """An entry of a Frigate whose MQTT was removed retries; the site and the rest load."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Frigate driveway",
        data={
            "kind": "source",
            "source_type": "frigate",
            "source_form": "source_frigate",
            "camera": "driveway",
            "url": "",
            "topic_prefix": "frigate",
        },
    )
    entry.add_to_hass(hass)

    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert site_entry(hass).state is ConfigEntryState.LOADED


async def test_the_form_checks_its_answers(
    hass: HomeAssistant, mqtt_entry: ConfigEntry, frigate_web: CameraWebServer
) -> None:
    """A Frigate added twice, a camera Frigate cannot have, a prefix, a URL that does not answer."""
    await add_frigate(hass, camera="driveway", topic_prefix="frigate")
    result = await start_frigate_form(hass)
    unreachable = f"http://127.0.0.1:{free_port()}"
    answers = (
        ({"camera": "driveway", "topic_prefix": "frigate/"}, {"base": "already_configured"}),
        ({"camera": "drive way", "topic_prefix": "frigate"}, {"camera": "invalid_frigate_camera"}),
        ({"camera": "gate", "topic_prefix": "frigate/#"}, {"topic_prefix": "invalid_topic_prefix"}),
        (
            {"camera": "gate", "url": "192.168.1.10:5000", "topic_prefix": "frigate"},
            {"url": "invalid_frigate_url"},
        ),
        (
            {"camera": "gate", "url": unreachable, "topic_prefix": "frigate"},
            {"url": "frigate_unreachable"},
        ),
    )
    for answer, errors in answers:
        result = await hass.config_entries.flow.async_configure(result["flow_id"], answer)
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == errors, answer

    url = f"http://127.0.0.1:{frigate_web.port}"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"camera": "gate", "url": url, "topic_prefix": "frigate"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["url"] == url


async def test_reconfigure_follows_another_camera(
    hass: HomeAssistant, broker: Mosquitto, mqtt_entry: ConfigEntry, settle_seconds: float
) -> None:
    """The form again, filled in: another camera is another identity, and its reads come."""
    entry = await add_frigate(hass, camera="driveway", topic_prefix="frigate")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    assert result["step_id"] == "source_frigate"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"camera": "gate", "topic_prefix": "frigate"}
    )
    await hass.async_block_till_done()

    assert result["reason"] == "saved"
    assert entry.unique_id == "frigate:frigate:gate"
    await frigate_online(hass, broker, CONNECTION)
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await publish(
        hass,
        broker,
        *car(new_object_id(), ("DR1", 0.9)),
        *car(new_object_id(), ("GT1", 0.9), camera="gate"),
    )
    await wait_for(lambda: events)
    await hass.async_block_till_done()
    assert [e.data["plate"] for e in events] == ["GT1"]
