"""An install of the previous release upgrades with nothing lost.

The fixture (tests/fixtures/previous_release/, whose README tells its story and how it was made)
is what the previous release left in its configuration folder after three days of use: its
stores, its picture history with a .json beside each read's pictures, and its plate log (schema
1). Each test starts Home Assistant on it with this release, as Home Assistant starts on a
configuration folder: `hass_storage` holds the fixture's stores, which Home Assistant's own
`Store` reads as it reads .storage/ (its registries migrating theirs as they load);
`bootstrap.async_load_base_functionality` loads the registries, the states to restore and the
config entries from them, as at every start; `async_setup_component` sets up the integration with
its entries. Then each looks through Home Assistant's interfaces: the entries, the registries,
the states, the image proxy, the media browser and the plate log's websocket commands.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# Home Assistant 2025.4 imports its Supervisor client as it loads the stores (for the system's
# information); its models cannot be built under the frozen clock: imported before it freezes.
import homeassistant.components.hassio  # noqa: F401
import pytest
from homeassistant import bootstrap
from homeassistant.components import media_source
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.site import site_of
from simulator.http_auth import CameraAuth
from simulator.reads import sample_read
from simulator.rtsp_server import PATH, RtspTestServer
from simulator.tcp import CameraSimulator

from .common import Command, plate_log_kept_in_bounds, wait_for

FIXTURE = Path(__file__).parent / "fixtures" / "previous_release" / "config"
PICTURES = FIXTURE / "media" / DOMAIN
DATABASE = "lpr_camera_plate_log.db"
PICTURES_URL = f"/media/local/{DOMAIN}/"
# The fixture's cameras listened on these ports; here they listen where the machine lets them.
FIXTURE_PORTS = {"tcp": 5555, "rtsp": 554}
TIME_ZONE = "US/Pacific"
# The previous release stopped on Friday 2026-11-20 at 08:55 (16:55 UTC); this one starts five
# minutes later, the clock running from there: the fixture's presence and reads are of that week.
pytestmark = pytest.mark.freeze_time("2026-11-20 17:00:00+00:00", tick=True)

# Logged at warning level or above whatever the integration does: Home Assistant's notice of a
# custom integration, this machine's zlib, asyncio's debug mode on a busy machine, and aiohttp's
# access log under the frozen clock (its local time has no offset from UTC to format).
EXPECTED_LOGS = (
    ("homeassistant.loader", "We found a custom integration lpr_camera which has not been tested"),
    ("aiohttp_fast_zlib", "zlib_ng and isal are not available"),
    ("asyncio", "Executing <"),
    ("aiohttp.access", "Error in logging"),
)
# The columns of schema 1 and their words today.
OLD_COLUMNS = {
    "plate": "plate",
    "camera": "camera",
    "camera_id": "config_entry_id",
    "direction": "direction",
    "match": "event_type",
    "vehicle_id": "vehicle_id",
    "vehicle_name": "known_name",
    "list": "known_list",
}


def stored(key: str) -> Any:
    """The data of one of the fixture's stores, as the previous release left it."""
    return json.loads((FIXTURE / ".storage" / key).read_text(encoding="utf-8"))["data"]


def old_entry(title: str) -> Any:
    """A config entry of the fixture, by its title."""
    [entry] = [e for e in stored("core.config_entries")["entries"] if e["title"] == title]
    return entry


def build_old_plate_log(path: Path | str) -> sqlite3.Connection:
    """The previous release's plate log, built from the fixture's SQL."""
    connection = sqlite3.connect(path)
    connection.executescript((FIXTURE / f"{DATABASE}.sql").read_text(encoding="utf-8"))
    return connection


def old_rows() -> list[dict[str, Any]]:
    """The rows of the previous release's plate log."""
    connection = build_old_plate_log(":memory:")
    connection.row_factory = sqlite3.Row
    try:
        rows = connection.execute("SELECT * FROM reads ORDER BY id").fetchall()
    finally:
        connection.close()
    return [
        dict(row) | {key: json.loads(row[key]) for key in ("details", "pictures")} for row in rows
    ]


def sidecars() -> dict[str, dict[str, Any]]:
    """The .json the previous release saved beside each read's pictures, by camera/day/stem."""
    return {
        path.relative_to(PICTURES).with_suffix("").as_posix(): json.loads(path.read_bytes())
        for path in PICTURES.rglob("*.json")
    }


def files_under(root: Path) -> set[str]:
    """Every file under a folder, relative to it."""
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def old_pictures() -> set[str]:
    """The pictures of the fixture's picture history, relative to its folder."""
    return {name for name in files_under(PICTURES) if name.endswith(".jpg")}


def moment(text: str) -> datetime:
    parsed = dt_util.parse_datetime(text)
    assert parsed is not None
    return parsed


def old_title(sidecar: dict[str, Any]) -> str:
    """A read's title in the previous release's media browser: 08:30:15 AB123 (Anna's car)."""
    details = [sidecar["known_name"]] if sidecar["known_name"] else []
    if sidecar["known_list"] == "deny":
        details.append("deny list")
    suffix = f" ({', '.join(details)})" if details else ""
    return f"{dt_util.as_local(moment(sidecar['time'])):%H:%M:%S} {sidecar['plate']}{suffix}"


def served_path(url: str) -> str:
    """The path under the pictures' folder of a URL of Home Assistant's media view."""
    return unquote(urlsplit(url).path).removeprefix(PICTURES_URL)


@pytest.fixture
def load_registries() -> bool:
    """Home Assistant's registries start unloaded: the upgrade loads them from the stores."""
    return False


@pytest.fixture
async def rtsp_camera(socket_enabled: None) -> AsyncIterator[RtspTestServer]:
    """The RTSP camera of the fixture (Yard), with its password."""
    server = RtspTestServer(auth=CameraAuth("admin", "rtsp-secret"))
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def hass_storage(
    socket_enabled: None,
    hass_storage: dict[str, Any],
    camera: CameraSimulator,
    rtsp_camera: RtspTestServer,
) -> dict[str, Any]:
    """The fixture's stores, its cameras moved to the ports of the simulated ones here.

    (As a user whose camera moved would reconfigure it: the port is part of its unique id.)
    """
    for path in (FIXTURE / ".storage").iterdir():
        hass_storage[path.name] = json.loads(path.read_text(encoding="utf-8"))
    ports = {"tcp": camera.port, "rtsp": rtsp_camera.port}
    for entry in hass_storage["core.config_entries"]["data"]["entries"]:
        data = entry["data"]
        if (connection_type := data.get("connection_type")) in ports:
            assert data["port"] == FIXTURE_PORTS[connection_type]
            data["port"] = ports[connection_type]
    return hass_storage


@pytest.fixture(autouse=True)
def nothing_unexpected_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Nothing of the upgrade logs a warning or worse."""
    yield
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    unexpected = [
        f"{record.levelname} {record.name}: {record.getMessage()}"
        for record in records
        if record.levelno >= 30
        and not any(
            record.name == name and record.getMessage().startswith(text)
            for name, text in EXPECTED_LOGS
        )
    ]
    assert not unexpected


@pytest.fixture
async def upgraded(hass: HomeAssistant) -> None:
    """Home Assistant started on the fixture with this release; the plate log's upgrade done."""
    await hass.config.async_set_time_zone(TIME_ZONE)
    config_dir = Path(hass.config.config_dir)
    shutil.copytree(FIXTURE / "media", config_dir / "media")
    build_old_plate_log(config_dir / DATABASE).close()

    await bootstrap.async_load_base_functionality(hass)
    assert await async_setup_component(hass, DOMAIN, {})
    assert await async_setup_component(hass, "media_source", {})
    await hass.async_block_till_done()
    # The picture history of before is taken into the plate log in the background.
    if (indexing := site_of(hass).plate_log._indexing) is not None:
        await indexing
    await plate_log_kept_in_bounds(hass)


@pytest.fixture
async def command(
    hass: HomeAssistant, upgraded: None, hass_ws_client: WebSocketGenerator
) -> Command:
    """Send a command of the plate log as the logged-in user; its result."""
    client = await hass_ws_client(hass)

    async def send(kind: str, **fields: Any) -> Any:
        await client.send_json_auto_id({"type": f"{DOMAIN}/{kind}", **fields})
        answer = await client.receive_json()
        assert answer["success"], answer
        return answer["result"]

    return send


async def all_reads(command: Command) -> list[dict[str, Any]]:
    """Every read of the plate log, newest first, each with its details and all its pictures."""
    listed = (await command("reads/list", limit=200))["reads"]
    return [await command("reads/get", read_id=read["read_id"]) for read in listed]


def pictures_of(read: dict[str, Any]) -> dict[str, str]:
    """The pictures a read names (kind: path under the pictures' folder), by its signed URLs."""
    urls = {"plate": read["plate_picture"], "full": read["full_picture"]}
    urls |= {f"evidence{index}": url for index, url in enumerate(read["evidence_pictures"])}
    return {kind: served_path(url) for kind, url in urls.items() if url is not None}


def assert_entities_kept(hass: HomeAssistant, config_entry_id: str) -> None:
    """Each entity of the entry keeps its id, unique id, device, subentry and enabled state."""
    registry = er.async_get(hass)
    old_entities = [
        entity
        for entity in stored("core.entity_registry")["entities"]
        if entity["config_entry_id"] == config_entry_id
    ]
    assert old_entities
    for old in old_entities:
        entity = registry.async_get(old["entity_id"])
        assert entity is not None, old["entity_id"]
        disabled_by = old["disabled_by"] and er.RegistryEntryDisabler(old["disabled_by"])
        assert (
            entity.unique_id,
            entity.platform,
            entity.device_id,
            entity.config_subentry_id,
            entity.disabled_by,
        ) == (
            old["unique_id"],
            old["platform"],
            old["device_id"],
            old["config_subentry_id"],
            disabled_by,
        )
        assert (hass.states.get(entity.entity_id) is None) == (disabled_by is not None)


def assert_devices_kept(hass: HomeAssistant, config_entry_id: str) -> None:
    """Each device of the entry keeps its id, what identifies it, its name and its parent."""
    registry = dr.async_get(hass)
    entry = hass.config_entries.async_get_entry(config_entry_id)
    assert entry is not None
    for old in stored("core.device_registry")["devices"]:
        if config_entry_id not in old["config_entries"]:
            continue
        device = registry.async_get(old["id"])
        assert device is not None
        assert device.identifiers == {tuple(identifier) for identifier in old["identifiers"]}
        assert device.via_device_id == old["via_device_id"]
        # A renamed camera's device takes its entry's name, as at each start of before.
        own = (DOMAIN, config_entry_id) in device.identifiers
        assert device.name == (entry.title if own else old["name"])


async def test_every_camera_keeps_its_entry_device_and_entities(
    hass: HomeAssistant,
    upgraded: None,
    camera: CameraSimulator,
    rtsp_camera: RtspTestServer,
) -> None:
    unique_ids = {
        "Gate": f"127.0.0.1:{camera.port}",
        "Garage": old_entry("Garage")["data"]["webhook_id"],
        "Yard": f"127.0.0.1:{rtsp_camera.port}{PATH}",
    }
    for title, unique_id in unique_ids.items():
        old = old_entry(title)
        entry = hass.config_entries.async_get_entry(old["entry_id"])
        assert entry is not None
        assert entry.state is ConfigEntryState.LOADED
        assert (entry.title, entry.options) == (old["title"], old["options"])
        assert {**entry.data, "port": None} == {**old["data"], "port": None}
        assert (entry.unique_id, entry.version, entry.minor_version) == (unique_id, 1, 2)
        assert_devices_kept(hass, entry.entry_id)
        assert_entities_kept(hass, entry.entry_id)
    # The sessions are up: the TCP camera's and the RTSP camera's.
    for connection in ("connection", "connection_2"):
        assert hass.states.get(f"binary_sensor.lpr_camera_127_0_0_1_{connection}").state == "on"


async def test_the_site_keeps_its_known_vehicles_with_their_passes(
    hass: HomeAssistant, upgraded: None
) -> None:
    old = old_entry("Site")
    site = hass.config_entries.async_get_entry(old["entry_id"])
    assert site is not None
    assert site.state is ConfigEntryState.LOADED
    assert (site.data, site.options, site.unique_id) == (old["data"], old["options"], "site")
    vehicles = {
        subentry_id: (sub.subentry_type, sub.unique_id, dict(sub.data))
        for subentry_id, sub in site.subentries.items()
    }
    assert vehicles == {
        sub["subentry_id"]: (sub["subentry_type"], sub["unique_id"], sub["data"])
        for sub in old["subentries"]
    }
    passes = {data["name"]: data for _, _, data in vehicles.values()}
    assert passes["Anna's car"]["weekdays"] == ["mon", "tue", "wed", "thu", "fri"]
    assert passes["Guest"]["valid_until"] == "2026-11-22T23:59:00-08:00"
    # The titles of this version: the plate, the list and the pass on the integration's page.
    titles = {sub["title"]: site.subentries[sub["subentry_id"]].title for sub in old["subentries"]}
    assert titles == {
        "Anna's car": "Anna's car · AB-123-CD · Pass Monday–Friday 07:00–18:00",
        "Repo man": "⛔ Repo man · WOB ZK 512 · Deny list",
        "Guest": "Guest · G 4711 · Pass until 2026-11-22 23:59",
    }
    assert_devices_kept(hass, site.entry_id)
    assert_entities_kept(hass, site.entry_id)


async def test_who_was_on_site_is_still_on_site(hass: HomeAssistant, upgraded: None) -> None:
    presence = stored("lpr_camera.site")
    names = {sub["subentry_id"]: sub["data"]["name"] for sub in old_entry("Site")["subentries"]}
    titles = {e["entry_id"]: e["title"] for e in stored("core.config_entries")["entries"]}

    on_site = hass.states.get("sensor.site_vehicles_on_site")
    assert on_site.state == str(len(presence["on_site"])) == "4"
    assert on_site.attributes["vehicles"] == [
        {
            "plate": item["plate"],
            "name": names.get(item["vehicle_id"]),
            "arrival": item["arrival"]["time"],
            "camera": titles[item["arrival"]["camera_entry_id"]],
        }
        for item in presence["on_site"]
    ]
    registry = er.async_get(hass)

    def state(platform: str, vehicle_id: str, key: str) -> str:
        entity_id = registry.async_get_entity_id(platform, DOMAIN, f"{vehicle_id}_{key}")
        assert entity_id is not None
        return hass.states.get(entity_id).state

    for vehicle_id in names:
        assert state("binary_sensor", vehicle_id, "on_site") == "on"
        sighting = presence["sightings"][vehicle_id]
        last_seen = moment(state("sensor", vehicle_id, "last_seen"))
        assert last_seen == moment(sighting["time"]).replace(microsecond=0)
        assert state("sensor", vehicle_id, "last_camera") == sighting["camera"]


async def test_the_picture_history_is_the_plate_logs_pictures(
    hass: HomeAssistant, command: Command, hass_client: ClientSessionGenerator
) -> None:
    root = Path(hass.config.media_dirs["local"], DOMAIN)
    # Every picture is still there; the .json beside them are gone.
    assert await hass.async_add_executor_job(files_under, root) == old_pictures()
    # Each is named by one read of the plate log.
    reads = await all_reads(command)
    named = Counter(path for read in reads for path in pictures_of(read).values())
    assert named == Counter(old_pictures())

    # The media browser lists every read with pictures, by camera and day, as before; each
    # shows its picture.
    client = await hass_client()
    listed: dict[str, list[str]] = {}
    cameras = await media_source.async_browse_media(hass, f"media-source://{DOMAIN}")
    for camera_item in cameras.children or []:
        camera = await media_source.async_browse_media(hass, camera_item.media_content_id)
        for day_item in camera.children or []:
            day = await media_source.async_browse_media(hass, day_item.media_content_id)
            folder = day_item.media_content_id.removeprefix(f"media-source://{DOMAIN}/")
            listed[folder] = [read.title for read in day.children or []]
            for read in day.children or []:
                played = await media_source.async_resolve_media(hass, read.media_content_id, None)
                response = await client.get(played.url)
                assert response.status == 200
                expected = (PICTURES / served_path(played.url)).read_bytes()
                assert await response.read() == expected
    saved: dict[str, list[tuple[str, str]]] = {}
    for stem, sidecar in sidecars().items():
        saved.setdefault(stem.rpartition("/")[0], []).append((sidecar["time"], old_title(sidecar)))
    assert listed == {
        folder: [title for _, title in sorted(day, reverse=True)] for folder, day in saved.items()
    }

    # The reads whose rows the previous release pruned, but whose pictures it kept, are back.
    pruned_day = {
        (read["camera"], read["plate"], read["event_type"], read["known_name"], read["authorized"])
        for read in reads
        if read["time"].startswith("2026-11-18")
    }
    assert pruned_day == {
        ("Gate", "OLD 42", "unknown", None, False),
        ("Garage", "AB-123-CD", "known", "Anna's car", True),
    }


async def test_every_read_of_the_old_plate_log_is_there_in_the_words_of_today(
    hass: HomeAssistant, command: Command
) -> None:
    reads = await all_reads(command)
    # Newest first, the two reads taken in from the picture history among them.
    times = [moment(read["time"]) for read in reads]
    assert times == sorted(times, reverse=True)
    assert len(reads) == len(old_rows()) + 2

    by_camera_and_time = {(read["config_entry_id"], moment(read["time"])): read for read in reads}
    for row in old_rows():
        read = by_camera_and_time[row["camera_id"], dt_util.utc_from_timestamp(row["time"])]
        assert {new: read[new] for new in OLD_COLUMNS.values()} == {
            new: row[old] for old, new in OLD_COLUMNS.items()
        }
        assert (read["authorized"], read["repeat"]) == (
            bool(row["authorized"]),
            bool(row["repeat"]),
        )
        details = dict(row["details"])
        renamed = {"match_distance": details.pop("distance"), "match_ties": details.pop("ties")}
        assert read["details"] == read["details"] | renamed | details
        assert pictures_of(read) == row["pictures"]
    distances = {read["plate"]: read["details"]["match_distance"] for read in reads}
    assert distances["A8123CD"] == 0.5


async def test_restored_states_and_each_cameras_last_pictures(
    hass: HomeAssistant, upgraded: None, hass_client: ClientSessionGenerator
) -> None:
    for restored in stored("core.restore_state"):
        state = restored["state"]
        assert hass.states.get(state["entity_id"]).state == state["state"], state["entity_id"]
    assert hass.states.get("sensor.lpr_camera_127_0_0_1_last_plate").state == "A8123CD"

    # The picture entities show the newest pictures of their camera the history kept.
    client = await hass_client()
    registry = er.async_get(hass)
    newest_first = sorted(sidecars().items(), key=lambda item: moment(item[1]["time"]))[::-1]
    for title in ("Gate", "Garage", "Yard"):
        entry_id = old_entry(title)["entry_id"]
        for kind in ("plate", "full"):
            entity_id = registry.async_get_entity_id("image", DOMAIN, f"{entry_id}_{kind}_image")
            assert entity_id is not None
            kept = [
                f"{stem.rpartition('/')[0]}/{sidecar['files'][kind]}"
                for stem, sidecar in newest_first
                if sidecar["config_entry_id"] == entry_id and kind in sidecar["files"]
            ]
            if not kept:  # the Yard's camera sends no full picture
                assert hass.states.get(entity_id).state == "unknown"
                continue
            response = await client.get(f"/api/image_proxy/{entity_id}")
            assert await response.read() == (PICTURES / kept[0]).read_bytes(), entity_id


async def test_a_read_after_the_upgrade_joins_the_log(
    hass: HomeAssistant,
    command: Command,
    camera: CameraSimulator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Anna's weekday pass still lets her in; the Garage's webhook (in its camera) still reads."""
    events: list[Any] = []
    hass.bus.async_listen(EVENT_PLATE_RECOGNIZED, events.append)
    await camera.push(sample_read("AB 123 CD", time=dt_util.utcnow()))
    await wait_for(lambda: events)
    webhook_id = old_entry("Garage")["data"]["webhook_id"]
    client = await hass_client_no_auth()
    response = await client.get(f"/api/webhook/{webhook_id}?Caption=LPR&description=NEW1")
    assert response.status == 200
    await wait_for(lambda: len(events) == 2)
    await plate_log_kept_in_bounds(hass)

    assert (events[0].data["known_name"], events[0].data["authorized"]) == ("Anna's car", True)
    assert hass.states.get("sensor.garage_last_plate").state == "NEW1"
    # The newest reads of the log, after every read of before; no .json beside their pictures.
    newest, anna, *older = (await command("reads/list", limit=200))["reads"]
    assert (newest["plate"], anna["plate"]) == ("NEW1", "AB 123 CD")
    assert anna["read_id"] > max(read["read_id"] for read in older)
    added = pictures_of(await command("reads/get", read_id=anna["read_id"]))
    assert sorted(added) == ["full", "plate"]
    root = Path(hass.config.media_dirs["local"], DOMAIN)
    files = await hass.async_add_executor_job(files_under, root)
    assert files == old_pictures() | set(added.values())
