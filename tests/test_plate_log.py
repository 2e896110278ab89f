"""The plate log in Home Assistant: reads logged with their pictures, pruned, its websocket API."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.lpr_camera.const import DOMAIN
from custom_components.lpr_camera.lpr import PlateRead
from custom_components.lpr_camera.plate_log.database import (
    MAX_READ_ID,
    LoggedRead,
    PlateLogDatabase,
    ReadFilter,
)
from custom_components.lpr_camera.plate_log.log import DATABASE_FILE
from custom_components.lpr_camera.read import Goes, keys
from custom_components.lpr_camera.site import site_of
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import Command, add_entry, set_site_settings, tcp_camera_entry, wait_for

# Noon in the tests' time zone (US/Pacific) of 2026-11-26, the clock running from there.
pytestmark = pytest.mark.freeze_time("2026-11-26 20:00:00+00:00", tick=True)

MORNING = datetime(2026, 11, 26, 16, 30, 15, tzinfo=UTC)  # 08:30:15 local
CAMERA_FOLDER = "lpr_camera_127_0_0_1"


def log_database(hass: HomeAssistant) -> PlateLogDatabase:
    database = site_of(hass).plate_log.database
    assert database is not None
    return database


async def logged(hass: HomeAssistant, count: int = 0, *plates: str) -> list[LoggedRead]:
    """The plate log's reads, newest first, once it holds `count` of them and these plates."""
    database = log_database(hass)
    async with asyncio.timeout(10):
        while True:
            page = await hass.async_add_executor_job(database.reads, ReadFilter(), None, 200)
            found = {read.plate for read in page.reads}
            if len(page.reads) >= count and found.issuperset(plates):
                return page.reads
            await asyncio.sleep(0.01)


async def push(hass: HomeAssistant, camera: CameraSimulator, *reads: PlateRead) -> None:
    """Reads through the camera, once all of them are in the plate log."""
    for read in reads:
        await camera.push(read)
    await logged(hass, 0, *(read.plate for read in reads))
    await hass.async_block_till_done()


async def insert(hass: HomeAssistant, *reads: LoggedRead) -> None:
    """Reads written as the plate log writes them (a history of reads in a few lines)."""
    await hass.async_add_executor_job(log_database(hass).insert, list(reads))


def row(plate: str, at: datetime, camera_id: str = "gate", **fields: Any) -> LoggedRead:
    """A read as the plate log stores it, filed at `at`."""
    values: dict[str, Any] = {
        "time": at.isoformat(),
        "filed_at": at.isoformat(),
        "config_entry_id": camera_id,
        "camera": camera_id.title(),
        "plate": plate,
        "direction": "approaching",
        "event_type": "unknown",
    }
    return LoggedRead(fields=values | fields)


@pytest.mark.usefixtures("media")
async def test_reads_are_logged_with_signed_pictures(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    command: Command,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    await command("known_vehicles/save", plate="AB-123", name="Anna's car", list="allow")
    await hass.async_block_till_done()  # the site follows: the new vehicle's device
    known = sample_read("AB123", time=MORNING)
    korean = sample_read("부산 02가 1234", time=MORNING + timedelta(minutes=5))
    await push(hass, camera, known, korean)

    listed = await command("reads/list")
    assert listed["next"] is None
    [second, first] = listed["reads"]
    vehicle_id = first.pop("vehicle_id")
    assert vehicle_id
    assert re.fullmatch(r"[0-9a-f]{32}", first.pop("passage_id"))
    plate_picture = first.pop("plate_picture")
    assert first == {
        "read_id": first["read_id"],
        "plate": "AB123",
        "corrected_plate": None,
        "time": "2026-11-26T16:30:15+00:00",
        "filed_at": "2026-11-26T16:30:15+00:00",
        "camera": "LPR camera 127.0.0.1",
        "config_entry_id": init_integration.entry_id,
        "direction": "approaching",
        "event_type": "known",
        "known_name": "Anna's car",
        "known_list": "allow",
        "authorized": True,
        "repeat": False,
        "presence": "arrived",
    }
    assert (second["plate"], second["event_type"], second["authorized"]) == (
        "부산 02가 1234",
        "unknown",
        False,
    )

    client = await hass_client_no_auth()
    picture = await client.get(plate_picture)
    assert picture.status == 200
    assert await picture.read() == known.plate_image
    picture = await client.get(second["plate_picture"])
    assert await picture.read() == korean.plate_image
    unsigned = await client.get(plate_picture.split("?")[0])
    assert unsigned.status == 401

    one = await command("reads/get", read_id=first["read_id"])
    full = await client.get(one["full_picture"])
    assert await full.read() == known.full_image
    assert one["evidence_pictures"] == []
    details = one["details"]
    assert details["plate_box"] == {"x1": 540, "y1": 500, "x2": 740, "y2": 550}
    assert details["resolution"] == [1280, 720]
    assert (details["match_distance"], details["vehicle_type"], details["speed"]) == (
        0.0,
        "car",
        30.0,
    )
    # Every detail, in the read table's order: the panel shows them so.
    assert list(details) == list(keys(Goes.DETAIL))
    assert (await command("reads/get", read_id=99999))["code"] == "not_found"


async def test_reads_are_logged_when_no_pictures_are_kept(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    await set_site_settings(hass, history=False)
    await push(hass, camera, sample_read("OFF1"))
    await push(hass, camera, dataclasses.replace(sample_read("NOPIC2"), plate_image=None))

    [nopic, off] = await logged(hass, 2)
    assert (off.plate, off.pictures, off.folder) == ("OFF1", {}, None)
    assert nopic.plate == "NOPIC2"


async def test_filters_fuzzy_search_and_paging(
    hass: HomeAssistant, init_integration: MockConfigEntry, command: Command
) -> None:
    await insert(
        hass,
        row("A8123CD", MORNING, "gate", event_type="unknown"),
        row("AB999CD", MORNING + timedelta(minutes=1), "garage", event_type="denied"),
        row("XY1", MORNING + timedelta(minutes=2), "gate", event_type="known"),
        *(row(f"P{n}", MORNING + timedelta(hours=1, minutes=n), "garage") for n in range(5)),
    )

    async def plates(**filters: Any) -> list[str]:
        return [read["plate"] for read in (await command("reads/list", **filters))["reads"]]

    assert await plates(plate="AB123CD") == ["A8123CD"]  # an OCR slip: 8 for B
    # Each row says how the search found it: a part of its plate, or a plate within the tolerance.
    [found] = (await command("reads/list", plate="ab 123 cd"))["reads"]
    assert found["found_by"] == "similar"
    [found] = (await command("reads/list", plate="123"))["reads"]
    assert (found["plate"], found["found_by"]) == ("A8123CD", "contains")
    assert "found_by" not in (await command("reads/list"))["reads"][0]
    assert await plates(exact_plate="a8-123-cd") == ["A8123CD"]
    assert await plates(config_entry_ids=["gate"]) == ["XY1", "A8123CD"]
    assert await plates(event_types=["known", "denied"]) == ["XY1", "AB999CD"]
    window = {"start": "2026-11-26T08:30:00", "end": "2026-11-26T16:32:00+00:00"}  # local, UTC
    assert await plates(**window) == ["AB999CD", "A8123CD"]

    first = await command("reads/list", limit=3)
    assert [read["plate"] for read in first["reads"]] == ["P4", "P3", "P2"]
    rest = await command("reads/list", limit=3, before=first["next"])
    assert [read["plate"] for read in rest["reads"]] == ["P1", "P0", "XY1"]
    last = await command("reads/list", limit=3, before=rest["next"])
    assert [read["plate"] for read in last["reads"]] == ["AB999CD", "A8123CD"]
    assert last["next"] is None

    assert (await command("reads/list", limit=201))["code"] == "invalid_format"
    assert (await command("reads/list", event_types=["maybe"]))["code"] == "invalid_format"
    assert (await command("reads/list", plate="X" * 33))["code"] == "invalid_format"


async def test_ids_beyond_64_bits_are_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    command: Command,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """SQLite's integers are 64-bit: a larger id once failed in the query, with a traceback."""
    await insert(hass, row("AB1", MORNING))

    for too_large in (MAX_READ_ID + 1, 2**64, -(2**63) - 1):
        assert (await command("reads/get", read_id=too_large))["code"] == "invalid_format"
        assert (await command("reads/list", before=too_large))["code"] == "invalid_format"
    assert (await command("reads/get", read_id=MAX_READ_ID))["code"] == "not_found"
    listed = await command("reads/list", before=MAX_READ_ID)
    assert [read["plate"] for read in listed["reads"]] == ["AB1"]
    assert not [record for record in caplog.records if record.exc_info]


async def test_live_subscription(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_ws_client: WebSocketGenerator,
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "lpr_camera/reads/subscribe"})
    assert (await client.receive_json())["success"]

    await camera.push(sample_read("LIVE1", time=MORNING))

    event = (await client.receive_json())["event"]
    assert (event["plate"], event["config_entry_id"]) == ("LIVE1", init_integration.entry_id)
    assert event["plate_picture"].startswith(f"/media/local/lpr_camera/{CAMERA_FOLDER}/")
    assert event["read_id"] == (await logged(hass, 1))[0].read_id


async def test_the_live_list_is_filtered_by_the_server(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A search typed in the panel: only the new reads it finds come, no query per read."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "lpr_camera/reads/subscribe", "plate": "4711"})
    assert (await client.receive_json())["success"]

    await camera.push(sample_read("ZZ999", time=MORNING))
    await camera.push(sample_read("B-XY 4711", time=MORNING))

    event = (await client.receive_json())["event"]
    assert (event["plate"], event["found_by"]) == ("B-XY 4711", "contains")
    assert [read.plate for read in await logged(hass, 2)] == ["B-XY 4711", "ZZ999"]


async def test_searches_at_once_are_bounded(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Any user may search; two searches run at once, the others wait their turn."""
    running: list[str] = []
    most = 0
    release = threading.Event()
    search = PlateLogDatabase.search_keys

    def slow_search(database: PlateLogDatabase, plate: str, tolerance: int) -> list[str]:
        nonlocal most
        running.append(plate)
        most = max(most, len(running))
        release.wait(10)
        running.remove(plate)
        return search(database, plate, tolerance)

    monkeypatch.setattr(PlateLogDatabase, "search_keys", slow_search)
    clients = [await hass_ws_client(hass) for _ in range(4)]
    for number, client in enumerate(clients):
        await client.send_json_auto_id({"type": "lpr_camera/reads/list", "plate": f"AB{number}"})
    await wait_for(lambda: len(running) == 2)
    await asyncio.sleep(0.1)  # the others would have started by now
    assert len(running) == 2
    release.set()

    for client in clients:
        assert (await client.receive_json())["success"]
    assert most == 2


async def test_the_plate_log_can_be_for_administrators_only(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    command: Command,
    hass_admin_user: MockUser,
) -> None:
    """Plates are personal data: a household may show them to its administrators only."""
    assert "reads" in await command("reads/list")  # by default, every user reads the log

    await set_site_settings(hass, plate_log_admin_only=True)
    assert "reads" in await command("reads/list")  # an administrator still does
    hass_admin_user.groups = []  # no longer an administrator

    for kind, fields in (
        ("reads/list", {}),
        ("reads/get", {"read_id": 1}),
        ("reads/subscribe", {}),
        ("plates/list", {}),
        ("statistics", {"days": 7}),
    ):
        assert (await command(kind, **fields))["code"] == "unauthorized", kind


async def test_statistics_and_plates(
    hass: HomeAssistant, init_integration: MockConfigEntry, command: Command
) -> None:
    entry_id = init_integration.entry_id
    yesterday = MORNING - timedelta(days=1)
    await insert(
        hass,
        row(
            "AB1",
            yesterday,
            entry_id,
            event_type="known",
            known_name="Anna's car",
            known_list="allow",
        ),
        row(
            "AB1",
            MORNING,
            entry_id,
            event_type="known",
            known_name="Anna's car",
            known_list="allow",
        ),
        row("XY2", MORNING, "removed", camera="Old gate"),
        row("XY2", MORNING + timedelta(minutes=10), "removed", camera="Back gate"),
        row("OLD3", MORNING - timedelta(days=20), entry_id),
    )

    week = await command("statistics", days=7)
    # A camera removed since goes by the title of its last read.
    assert week["cameras"] == {entry_id: "LPR camera 127.0.0.1", "removed": "Back gate"}
    assert week["hourly"] == [
        {"hour": "2026-11-25T16:00:00+00:00", "config_entry_id": entry_id, "reads": 1},
        {"hour": "2026-11-26T16:00:00+00:00", "config_entry_id": entry_id, "reads": 1},
        {"hour": "2026-11-26T16:00:00+00:00", "config_entry_id": "removed", "reads": 2},
    ]
    assert week["daily"] == [
        {"day": "2026-11-25", "config_entry_id": entry_id, "reads": 1},
        {"day": "2026-11-26", "config_entry_id": entry_id, "reads": 1},
        {"day": "2026-11-26", "config_entry_id": "removed", "reads": 2},
    ]
    assert (week["reads"], week["unknown"]) == (4, 2)
    assert len(week["busiest_hours"]) == 24
    assert week["busiest_hours"][8] == {"hour": 8, "reads": 4}  # 08:30 local
    month = await command("statistics", days=30, config_entry_ids=[entry_id])
    assert month["reads"] == 3
    assert (await command("statistics", days=5))["code"] == "invalid_format"

    plates = (await command("plates/list"))["plates"]
    assert plates == [
        {
            "plate": "XY2",
            "reads": 2,
            "first_seen": "2026-11-26T16:30:15+00:00",
            "last_seen": "2026-11-26T16:40:15+00:00",
            "vehicle_id": None,
            "known_name": None,
            "known_list": None,
        },
        {
            "plate": "AB1",
            "reads": 3 - 1,
            "first_seen": "2026-11-25T16:30:15+00:00",
            "last_seen": "2026-11-26T16:30:15+00:00",
            "vehicle_id": None,
            "known_name": "Anna's car",
            "known_list": "allow",
        },
        {
            "plate": "OLD3",
            "reads": 1,
            "first_seen": "2026-11-06T16:30:15+00:00",
            "last_seen": "2026-11-06T16:30:15+00:00",
            "vehicle_id": None,
            "known_name": None,
            "known_list": None,
        },
    ]
    week_plates = await command("plates/list", start="2026-11-20T00:00:00", plate="b1")
    assert [plate["plate"] for plate in week_plates["plates"]] == ["AB1"]  # a part of it


async def test_admins_add_and_edit_known_vehicles(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    command: Command,
    hass_admin_user: MockUser,
) -> None:
    added = await command("known_vehicles/save", plate="ab 123", name="Anna's car", list="allow")
    assert added == {
        "vehicle_id": added["vehicle_id"],
        "plate": "AB 123",
        "name": "Anna's car",
        "list": "allow",
    }
    # The refusal names the vehicle that has the plate: the one to edit instead.
    again = await command("known_vehicles/save", plate="AB123", name="Other", list="deny")
    assert again == {
        "code": "already_known",
        "message": "AB 123 is already the known vehicle “Anna's car”: edit that one instead",
        "translation_domain": "lpr_camera",
        "translation_key": "already_known_as",
        "translation_placeholders": {"plate": "AB 123", "name": "Anna's car"},
    }
    await command("known_vehicles/save", plate="ZZ 9", name="", list="allow")
    unnamed = await command("known_vehicles/save", plate="zz9", name="Bob", list="allow")
    assert unnamed["message"] == "ZZ 9 is already a known vehicle"

    edited = await command(
        "known_vehicles/save",
        plate="AB 124",
        name="Repo man",
        list="deny",
        vehicle_id=added["vehicle_id"],
    )
    assert edited == {
        "vehicle_id": added["vehicle_id"],
        "plate": "AB 124",
        "name": "Repo man",
        "list": "deny",
    }
    await hass.async_block_till_done()
    vehicle = site_of(hass).known_vehicles.get("AB124")
    assert vehicle is not None
    assert (vehicle.plate, vehicle.name, str(vehicle.plate_list)) == ("AB 124", "Repo man", "deny")

    invalid = await command("known_vehicles/save", plate="!!", name="", list="allow")
    assert invalid["code"] == "invalid"
    assert invalid["message"].startswith('"!!" is not a plate')
    missing = await command(
        "known_vehicles/save", plate="ZZ1", name="", list="allow", vehicle_id="nope"
    )
    assert missing["code"] == "not_found"

    hass_admin_user.groups = []  # no longer an admin
    refused = await command("known_vehicles/save", plate="NEW1", name="", list="allow")
    assert refused["code"] == "unauthorized"
    assert (await command("reads/list"))["reads"] == []  # reading needs no admin
    assert len(site_of(hass).known_vehicles.vehicles) == 2


def write_saved_read(media: Path, day: str, stem: str, size: int, at: str) -> None:
    """A read the picture history saved before the plate log existed."""
    folder = media / "lpr_camera" / CAMERA_FOLDER / day
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}_full.jpg").write_bytes(b"\xff\xd8" + b"\0" * size)
    sidecar = {"plate": stem.split("_")[1], "time": at, "files": {"full": f"{stem}_full.jpg"}}
    (folder / f"{stem}.json").write_text(json.dumps(sidecar))


async def test_upgrade_indexes_the_picture_history_and_size_pruning_drops_rows(
    hass: HomeAssistant, config_entry: MockConfigEntry, camera: CameraSimulator
) -> None:
    """The pictures saved before are indexed once; pruned for size, read and pictures go."""
    media = Path(hass.config.media_dirs["local"])
    write_saved_read(media, "2026-11-25", "090000_OLD1", 700_000, "2026-11-25T17:00:00+00:00")
    write_saved_read(media, "2026-11-25", "100000_OLD2", 500_000, "2026-11-25T18:00:00+00:00")

    await add_entry(hass, config_entry)
    await camera.wait_for_client()
    [old2, old1] = await logged(hass, 2)
    assert (old1.plate, old2.plate) == ("OLD1", "OLD2")
    assert old1.picture("full") == f"{CAMERA_FOLDER}/2026-11-25/090000_OLD1_full.jpg"
    # The plate log is the one record of the reads.
    assert not await hass.async_add_executor_job(lambda: list(media.rglob("*.json")))

    await set_site_settings(hass, max_size_mb=1)
    await push(hass, camera, sample_read("NEW1", time=MORNING))
    await wait_for(lambda: not (media / "lpr_camera" / str(old1.picture("full"))).exists())
    await hass.async_block_till_done()

    assert [read.plate for read in await logged(hass, 2)] == ["NEW1", "OLD2"]


async def test_reads_older_than_the_retention_are_dropped(
    hass: HomeAssistant, config_entry: MockConfigEntry, camera: CameraSimulator
) -> None:
    path = Path(hass.config.path(DATABASE_FILE))
    database = PlateLogDatabase(path)
    database.insert(
        [
            row("OLD1", MORNING - timedelta(days=31), config_entry.entry_id),
            row("KEPT2", MORNING - timedelta(days=29), config_entry.entry_id),
        ]
    )
    database.close()

    await add_entry(hass, config_entry)

    assert [read.plate for read in await logged(hass, 1)] == ["KEPT2"]


async def test_a_corrupt_plate_log_is_kept_aside(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    camera: CameraSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = Path(hass.config.path(DATABASE_FILE))
    path.write_bytes(b"garbage" * 1000)  # noqa: ASYNC240 - before Home Assistant runs it

    await add_entry(hass, config_entry)
    await camera.wait_for_client()
    await push(hass, camera, sample_read("AFTER1", time=MORNING))

    assert [read.plate for read in await logged(hass, 1)] == ["AFTER1"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "cannot be used" in errors[0].getMessage()
    assert errors[0].exc_info is None
    [aside] = path.parent.glob(f"{DATABASE_FILE}.unusable-*")
    assert aside.read_bytes() == b"garbage" * 1000


async def test_the_last_unload_closes_the_plate_log(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    second_camera: CameraSimulator,
    command: Command,
) -> None:
    other = await add_entry(hass, tcp_camera_entry(second_camera, title="Garage"))
    await push(hass, camera, sample_read("FIRST1", time=MORNING))

    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry is not init_integration:
            assert await hass.config_entries.async_unload(entry.entry_id)
        assert site_of(hass).plate_log.database is not None
    assert await hass.config_entries.async_unload(init_integration.entry_id)

    assert site_of(hass).plate_log.database is None
    assert (await command("reads/list"))["code"] == "not_loaded"

    assert await hass.config_entries.async_setup(other.entry_id)
    await hass.async_block_till_done()
    assert [read.plate for read in await logged(hass, 1)] == ["FIRST1"]
