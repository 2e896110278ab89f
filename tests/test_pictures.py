"""The plate log's pictures: saved under the media folder, browsed in the media browser, pruned.

The plate log's rows name them: a read's pictures and its row are stored, and pruned, together.
"""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components import media_source
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.lpr import PlateRead
from custom_components.lpr_camera.plate_log import log, pictures
from custom_components.lpr_camera.plate_log.database import LoggedRead
from custom_components.lpr_camera.site import site_of
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import (
    logged_reads,
    plate_log_kept_in_bounds,
    set_site_settings,
    site_entry,
    task_of,
    wait_for,
)

# Noon of DAY in the tests' time zone (US/Pacific), the clock running from there: the plate log
# prunes by today's date, and no test may depend on the real one or fail across midnight.
pytestmark = pytest.mark.freeze_time("2026-11-26 20:00:00+00:00", tick=True)

CAMERA = "lpr_camera_127_0_0_1"
PLATE_SENSOR = "sensor.lpr_camera_127_0_0_1_last_plate"
# 08:30:15 UTC is 00:30:15 in the tests' time zone.
MORNING = datetime(2026, 11, 26, 8, 30, 15, tzinfo=UTC)
DAY = "2026-11-26"
LIMIT = 10  # seconds a held step of the disk waits at most, should a test fail to release it
LISTING = "_dirs"  # listing folders: what a pass over the whole tree spends its time on


def pictures_root(hass: HomeAssistant) -> Path:
    return Path(hass.config.media_dirs["local"], "lpr_camera")


def files(hass: HomeAssistant) -> list[str]:
    root = pictures_root(hass)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def allocated(hass: HomeAssistant) -> int:
    """What the pictures take on disk."""
    root = pictures_root(hass)
    return sum(path.stat().st_blocks * 512 for path in root.rglob("*") if path.is_file())


async def push(hass: HomeAssistant, camera: CameraSimulator, read: PlateRead) -> dict[str, Any]:
    """A read through the camera, once its bus event fired and it was stored."""
    events = await send(camera, hass, read)
    await plate_log_kept_in_bounds(hass)
    return dict(events[0].data)


async def send(camera: CameraSimulator, hass: HomeAssistant, read: PlateRead) -> list[Any]:
    """A read through the camera, once its bus event fired (its pictures may still be saved)."""
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(read)
    await wait_for(lambda: events)
    return events


def saved_whole(hass: HomeAssistant, plate: str) -> bool:
    """Whether a read's pictures are both there."""
    names = files(hass)
    return all(any(name.endswith(f"_{plate}{end}") for name in names) for end in SAVED)


SAVED = ("_plate.jpg", "_full.jpg")


def plate_log_tasks() -> list[asyncio.Task[Any]]:
    """The tasks the plate log started that are still pending."""
    return [task for task in asyncio.all_tasks() if task_of(log, task)]


class SlowDisk:
    """A step of the disk held until the test releases it, as a slow disk would hold it."""

    def __init__(self, step: Callable[..., Any]) -> None:
        self._step = step
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, *args: Any) -> Any:
        self.entered.set()
        self.release.wait(LIMIT)
        return self._step(*args)


@pytest.fixture
def slow_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], SlowDisk]]:
    """Hold a step of the pictures' file work (a function of their module, by name)."""
    held: list[SlowDisk] = []

    def hold(step: str) -> SlowDisk:
        held.append(SlowDisk(getattr(pictures, step)))
        monkeypatch.setattr(pictures, step, held[-1])
        return held[-1]

    yield hold
    for slow in held:
        slow.release.set()


async def add_old_read(hass: HomeAssistant, day: str, stem: str, size: int) -> None:
    """A read logged with its picture on an earlier day (by an earlier run of Home Assistant)."""
    folder = pictures_root(hass) / CAMERA / day
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}_full.jpg").write_bytes(b"\xff\xd8" + b"\0" * size)
    at = datetime.fromisoformat(f"{day}T12:00:00+00:00").isoformat()
    read = LoggedRead(
        fields={
            "plate": stem.split("_")[1],
            "time": at,
            "filed_at": at,
            "camera": "LPR camera 127.0.0.1",
            "config_entry_id": "earlier",
            "direction": "approaching",
            "event_type": "unknown",
        },
        folder=f"{CAMERA}/{day}",
        pictures={"full": f"{stem}_full.jpg"},
    )
    database = site_of(hass).plate_log.database
    assert database is not None
    await hass.async_add_executor_job(database.insert, [read])


@pytest.mark.usefixtures("media")
async def test_pictures_saved_and_browsed(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "AB-123", "name": "Anna's car"}, blocking=True
    )
    known = sample_read("AB123", time=MORNING)
    korean = sample_read("부산 02가 1234", time=MORNING + timedelta(minutes=5))
    await push(hass, camera, known)
    await push(hass, camera, korean)

    assert files(hass) == [
        f"{CAMERA}/{DAY}/003015_AB123_full.jpg",
        f"{CAMERA}/{DAY}/003015_AB123_plate.jpg",
        f"{CAMERA}/{DAY}/003515_부산02가1234_full.jpg",
        f"{CAMERA}/{DAY}/003515_부산02가1234_plate.jpg",
    ]
    folder = pictures_root(hass) / CAMERA / DAY
    assert (folder / "003015_AB123_plate.jpg").read_bytes() == known.plate_image
    # The plate log's row of the read names them, and carries its match.
    [korean_row, known_row] = await logged_reads(hass)
    assert known_row.picture("plate") == f"{CAMERA}/{DAY}/003015_AB123_plate.jpg"
    assert known_row.fields["known_name"] == "Anna's car"
    assert known_row.fields["matched_plate"] == "AB-123"

    root = await media_source.async_browse_media(hass, "media-source://lpr_camera")
    assert root.title == "LPR Camera"
    assert [(child.title, child.identifier) for child in root.children] == [
        ("LPR camera 127.0.0.1", CAMERA)
    ]
    cameras = await media_source.async_browse_media(hass, f"media-source://lpr_camera/{CAMERA}")
    assert [child.title for child in cameras.children] == [DAY]
    day = await media_source.async_browse_media(hass, f"media-source://lpr_camera/{CAMERA}/{DAY}")
    assert [(child.title, child.identifier) for child in day.children] == [
        ("00:35:15 부산 02가 1234", f"{CAMERA}/{DAY}/{korean_row.read_id}"),
        ("00:30:15 AB123 (Anna's car)", f"{CAMERA}/{DAY}/{known_row.read_id}"),
    ]
    assert all(child.can_play and not child.can_expand for child in day.children)

    client = await hass_client()
    for child, read in zip(day.children or [], (korean, known), strict=True):
        assert child.thumbnail is not None
        thumbnail = await client.get(child.thumbnail)
        assert thumbnail.status == 200
        assert await thumbnail.read() == read.full_image
        played = await media_source.async_resolve_media(hass, child.media_content_id, None)
        assert played.mime_type == "image/jpeg"
        picture = await client.get(played.url)
        assert picture.status == 200
        assert await picture.read() == read.full_image


async def test_same_plate_twice_in_a_second(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """The second read's pictures take a name of their own; neither read loses a picture."""
    first, second = sample_read("AB123", time=MORNING), sample_read("AB123", time=MORNING)
    second = dataclasses.replace(second, full_image=sample_read("XY999").full_image)
    await push(hass, camera, first)
    await push(hass, camera, second)

    root = pictures_root(hass)
    [second_row, first_row] = await logged_reads(hass)
    assert first_row.picture("full") == f"{CAMERA}/{DAY}/003015_AB123_full.jpg"
    assert second_row.picture("full") != first_row.picture("full")
    assert (root / str(first_row.picture("full"))).read_bytes() == first.full_image
    assert (root / str(second_row.picture("full"))).read_bytes() == second.full_image
    assert len(files(hass)) == 4


async def test_pictures_off_and_reads_without_pictures(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    await push(
        hass, camera, dataclasses.replace(sample_read("NOPIC1"), plate_image=None, full_image=None)
    )
    assert not pictures_root(hass).exists()

    await set_site_settings(hass, history=False)
    await push(hass, camera, sample_read("OFF1"))

    assert not pictures_root(hass).exists()
    assert hass.states.get(PLATE_SENSOR).state == "OFF1"
    # Logged all the same, without pictures.
    assert [(read.plate, read.pictures) for read in await logged_reads(hass)] == [
        ("OFF1", {}),
        ("NOPIC1", {}),
    ]


async def test_old_reads_pruned_with_their_pictures(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """Retention 7 days: older reads go, rows and pictures; so do stray files of those days."""
    today = dt_util.now().date()
    for days_ago in (30, 8, 7, 1):
        await add_old_read(hass, (today - timedelta(days=days_ago)).isoformat(), "120000_OLD1", 10)
    stray = pictures_root(hass) / CAMERA / (today - timedelta(days=9)).isoformat() / "x_full.jpg"
    stray.parent.mkdir()
    stray.write_bytes(b"\xff\xd8")

    await set_site_settings(hass, retention_days=7)
    await push(hass, camera, sample_read("NEW1"))

    days = sorted({name.split("/")[1] for name in files(hass)})
    assert days == [(today - timedelta(days=n)).isoformat() for n in (7, 1, 0)]
    assert [read.plate for read in await logged_reads(hass)] == ["NEW1", "OLD1", "OLD1"]


async def test_oldest_reads_pruned_over_the_size_limit(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """1 MB allowed: the oldest reads go until the plate log takes at most 90 % of it.

    Reads stored before the limit changed are counted afresh when it does.
    """
    yesterday = (dt_util.now().date() - timedelta(days=1)).isoformat()
    await add_old_read(hass, yesterday, "090000_OLD1", 500_000)
    await add_old_read(hass, yesterday, "100000_OLD2", 300_000)
    await add_old_read(hass, yesterday, "110000_OLD3", 300_000)
    await set_site_settings(hass, max_size_mb=1)

    await push(hass, camera, sample_read("NEW1"))

    names = files(hass)
    assert not any("OLD1" in name for name in names)
    assert f"{CAMERA}/{yesterday}/100000_OLD2_full.jpg" in names
    assert f"{CAMERA}/{yesterday}/110000_OLD3_full.jpg" in names
    assert any("NEW1_full.jpg" in name for name in names)
    assert [read.plate for read in await logged_reads(hass)] == ["NEW1", "OLD3", "OLD2"]
    database = site_of(hass).plate_log.database
    assert database is not None
    assert allocated(hass) + database.allocated <= 0.9 * 2**20


async def test_the_size_counts_the_reads_stored_since(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """The disk is counted once an hour, then added up read by read: a later read still prunes."""
    await set_site_settings(hass, max_size_mb=1)
    picture = b"\xff\xd8" + b"\0" * 500_000
    await push(hass, camera, dataclasses.replace(sample_read("FIRST1"), full_image=picture))
    picture = b"\xff\xd8" + b"\0" * 560_000
    await push(hass, camera, dataclasses.replace(sample_read("SECOND1"), full_image=picture))

    names = files(hass)
    assert not any("FIRST1" in name for name in names)
    assert any("SECOND1_full.jpg" in name for name in names)


async def hold_a_pass(
    hass: HomeAssistant, camera: CameraSimulator, slow_disk: Callable[[str], SlowDisk]
) -> tuple[SlowDisk, Path]:
    """A pass of the upkeep held while it lists the folders (a new retention started it).

    Returns the held listing and a stray old day the pass, once released, deletes.
    """
    await push(hass, camera, sample_read("FIRST1"))
    slow_listing = slow_disk(LISTING)
    old_day = pictures_root(hass) / CAMERA / (dt_util.now().date() - timedelta(days=40)).isoformat()
    old_day.mkdir()
    (old_day / "120000_OLD1_full.jpg").write_bytes(b"\xff\xd8")
    await set_site_settings(hass, retention_days=20)
    await wait_for(slow_listing.entered.is_set)
    return slow_listing, old_day


async def test_a_save_does_not_wait_for_a_pass_over_the_whole_tree(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    slow_disk: Callable[[str], SlowDisk],
) -> None:
    """While the old days are looked for on a slow disk, the next reads are saved."""
    slow_listing, old_day = await hold_a_pass(hass, camera, slow_disk)
    await send(camera, hass, sample_read("NEXT2"))

    await wait_for(lambda: saved_whole(hass, "NEXT2"))
    assert old_day.exists()  # the pass is still held
    slow_listing.release.set()
    await wait_for(lambda: not old_day.exists())


async def test_closing_stores_what_waits_and_stops_a_pass(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    slow_disk: Callable[[str], SlowDisk],
) -> None:
    """The last entry unloaded: the read being saved is stored whole, the pass stops."""
    slow_listing, old_day = await hold_a_pass(hass, camera, slow_disk)
    slow_writes = slow_disk("_write_all")
    await send(camera, hass, sample_read("HELD2"))
    await wait_for(slow_writes.entered.is_set)

    entries = hass.config_entries.async_entries(DOMAIN)
    unloading = [
        hass.async_create_task(hass.config_entries.async_unload(entry.entry_id))
        for entry in entries
    ]
    await wait_for(site_of(hass).plate_log._stop.is_set)
    slow_writes.release.set()
    slow_listing.release.set()

    assert all(await asyncio.gather(*unloading))
    assert saved_whole(hass, "HELD2")
    assert old_day.exists()  # left for the next pass
    assert plate_log_tasks() == []
    site_of(hass).plate_log._stop.clear()
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    assert "HELD2" in [read.plate for read in await logged_reads(hass)]


async def test_reads_past_the_bound_of_those_waiting_are_counted_and_raise_an_issue(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    slow_disk: Callable[[str], SlowDisk],
    monkeypatch: pytest.MonkeyPatch,
    hass_client: ClientSessionGenerator,
) -> None:
    """The disk cannot keep up: reads are lost to the plate log, never to automations."""
    monkeypatch.setattr(log, "MAX_PENDING", 1)
    slow_writes = slow_disk("_write_all")
    await send(camera, hass, sample_read("HELD1"))  # being written
    await wait_for(slow_writes.entered.is_set)
    await send(camera, hass, sample_read("WAITS2"))  # waits its turn
    await send(camera, hass, sample_read("LOST3"))  # one too many

    assert hass.states.get(PLATE_SENSOR).state == "LOST3"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "plate_log_behind")
    assert issue is not None
    assert issue.translation_placeholders == {"reads": "1", "path": str(pictures_root(hass))}

    slow_writes.release.set()
    assert [read.plate for read in await logged_reads(hass)] == ["WAITS2", "HELD1"]
    assert ir.async_get(hass).async_get_issue(DOMAIN, "plate_log_behind") is None
    site = site_entry(hass)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, site)
    assert diagnostics["shed"] == {"reads_not_logged": 1}


async def test_full_disk_raises_an_issue_and_the_read_still_arrives(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    full = OSError(errno.ENOSPC, "No space left on device")
    with patch.object(Path, "open", side_effect=full):
        data = await push(hass, camera, sample_read("FULL1"))

    assert data["plate"] == "FULL1"
    assert hass.states.get(PLATE_SENSOR).state == "FULL1"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "history_disk_full")
    assert issue is not None
    assert issue.translation_key == "history_disk_full"
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders == {
        "path": str(pictures_root(hass)),
        "error": "No space left on device",
    }
    assert files(hass) == []  # nothing half written
    # The read is logged all the same, without pictures.
    [read] = await logged_reads(hass)
    assert (read.plate, read.pictures) == ("FULL1", {})

    await push(hass, camera, sample_read("SPACE1"))

    assert ir.async_get(hass).async_get_issue(DOMAIN, "history_disk_full") is None
    assert any("SPACE1_full.jpg" in name for name in files(hass))


async def test_unwritable_folder_raises_an_issue(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """The media folder is a file: nothing can be saved under it, every read still arrives."""
    media = Path(hass.config.media_dirs["local"])
    media.write_text("not a folder")  # noqa: ASYNC240 - test setup, before Home Assistant runs it

    await push(hass, camera, sample_read("RO1"))
    await push(hass, camera, sample_read("RO2"))

    assert hass.states.get(PLATE_SENSOR).state == "RO2"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "history_unwritable")
    assert issue is not None
    assert issue.translation_placeholders["path"] == str(pictures_root(hass))

    media.unlink()  # noqa: ASYNC240
    await push(hass, camera, sample_read("RW1"))

    assert ir.async_get(hass).async_get_issue(DOMAIN, "history_unwritable") is None
    assert any("RW1_full.jpg" in name for name in files(hass))


async def test_turning_the_pictures_off_clears_the_issue(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    Path(hass.config.media_dirs["local"]).write_text("not a folder")  # noqa: ASYNC240
    await push(hass, camera, sample_read("RO1"))
    assert ir.async_get(hass).async_get_issue(DOMAIN, "history_unwritable") is not None

    await set_site_settings(hass, history=False)

    assert ir.async_get(hass).async_get_issue(DOMAIN, "history_unwritable") is None


@pytest.mark.usefixtures("media", "init_integration")
@pytest.mark.parametrize(
    "identifier",
    [f"{CAMERA}/{DAY}/1", f"{CAMERA}/..", f"{CAMERA}/{DAY}/x.json"],
)
async def test_browse_refuses_what_is_not_a_folder(hass: HomeAssistant, identifier: str) -> None:
    with pytest.raises(BrowseError):
        await media_source.async_browse_media(hass, f"media-source://lpr_camera/{identifier}")


@pytest.mark.usefixtures("media")
@pytest.mark.parametrize(
    "identifier",
    [
        CAMERA,
        f"{CAMERA}/{DAY}/003015_NONE",
        f"{CAMERA}/{DAY}/999",
        f"other/{DAY}/1",
        f"{CAMERA}/{DAY}/..",
        "../../etc/passwd",
    ],
)
async def test_resolve_refuses_what_is_not_a_read(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    identifier: str,
) -> None:
    await push(hass, camera, sample_read("AB123", time=MORNING))

    with pytest.raises(media_source.Unresolvable):
        await media_source.async_resolve_media(
            hass, f"media-source://lpr_camera/{identifier}", None
        )


@pytest.mark.usefixtures("media")
async def test_empty_history_browses(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    root = await media_source.async_browse_media(hass, "media-source://lpr_camera")
    assert root.children == []
    empty = await media_source.async_browse_media(hass, f"media-source://lpr_camera/{CAMERA}/{DAY}")
    assert empty.children == []
