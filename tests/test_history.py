"""Picture history: saved under the media folder, browsed in the media browser, pruned."""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components import media_source
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.lpr import PlateRead
from custom_components.lpr_camera.plate_log import pictures as history
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import plate_log_kept_in_bounds, set_site_settings, task_of, wait_for

# Noon of DAY in the tests' time zone (US/Pacific), the clock running from there: the history
# prunes by today's date, and no test may depend on the real one or fail across midnight.
pytestmark = pytest.mark.freeze_time("2026-11-26 20:00:00+00:00", tick=True)

CAMERA = "lpr_camera_127_0_0_1"
PLATE_SENSOR = "sensor.lpr_camera_127_0_0_1_last_plate"
# 08:30:15 UTC is 00:30:15 in the tests' time zone.
MORNING = datetime(2026, 11, 26, 8, 30, 15, tzinfo=UTC)
DAY = "2026-11-26"
LIMIT = 10  # seconds a held step of the disk waits at most, should a test fail to release it
LISTING = "_dirs"  # listing folders: what a pass over the whole tree spends its time on


def history_root(hass: HomeAssistant) -> Path:
    return Path(hass.config.media_dirs["local"], "lpr_camera")


def files(hass: HomeAssistant) -> list[str]:
    root = history_root(hass)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def total_size(hass: HomeAssistant) -> int:
    return sum(path.stat().st_size for path in history_root(hass).rglob("*") if path.is_file())


@pytest.fixture
async def media(hass: HomeAssistant) -> None:
    """The media browser, set up before the web server starts."""
    assert await async_setup_component(hass, "media_source", {})


async def push(hass: HomeAssistant, camera: CameraSimulator, read: PlateRead) -> dict[str, Any]:
    """A read through the camera, once its bus event fired and its pictures were saved."""
    events = await send(camera, hass, read)
    await hass.async_block_till_done()
    return dict(events[0].data)


async def send(camera: CameraSimulator, hass: HomeAssistant, read: PlateRead) -> list[Any]:
    """A read through the camera, once its bus event fired (its save may still run)."""
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(read)
    await wait_for(lambda: events)
    return events


def saved_whole(hass: HomeAssistant, plate: str) -> bool:
    """Whether a read's pictures and sidecar are all there."""
    names = files(hass)
    return all(any(name.endswith(f"_{plate}{end}") for name in names) for end in SAVED)


SAVED = ("_plate.jpg", "_full.jpg", ".json")


def history_tasks() -> list[asyncio.Task[Any]]:
    """The tasks the picture history started that are still pending."""
    return [task for task in asyncio.all_tasks() if task_of(history, task)]


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
    """Hold a step of the history's file work (a function of its module, by name)."""
    held: list[SlowDisk] = []

    def hold(step: str) -> SlowDisk:
        held.append(SlowDisk(getattr(history, step)))
        monkeypatch.setattr(history, step, held[-1])
        return held[-1]

    yield hold
    for slow in held:
        slow.release.set()


def write_old_read(hass: HomeAssistant, day: str, stem: str, size: int) -> None:
    """A read saved on an earlier day (by an earlier run of Home Assistant)."""
    folder = history_root(hass) / CAMERA / day
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}_full.jpg").write_bytes(b"\xff\xd8" + b"\0" * size)
    sidecar = {"plate": stem.split("_")[1], "time": f"{day}T12:00:00+00:00", "files": {}}
    sidecar["files"] = {"full": f"{stem}_full.jpg"}
    (folder / f"{stem}.json").write_text(json.dumps(sidecar))


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
        f"{CAMERA}/{DAY}/003015_AB123.json",
        f"{CAMERA}/{DAY}/003015_AB123_full.jpg",
        f"{CAMERA}/{DAY}/003015_AB123_plate.jpg",
        f"{CAMERA}/{DAY}/003515_부산02가1234.json",
        f"{CAMERA}/{DAY}/003515_부산02가1234_full.jpg",
        f"{CAMERA}/{DAY}/003515_부산02가1234_plate.jpg",
    ]
    folder = history_root(hass) / CAMERA / DAY
    assert (folder / "003015_AB123_plate.jpg").read_bytes() == known.plate_image
    sidecar = json.loads((folder / "003015_AB123.json").read_text())
    assert sidecar["known_name"] == "Anna's car"
    assert sidecar["matched_plate"] == "AB-123"

    root = await media_source.async_browse_media(hass, "media-source://lpr_camera")
    assert root.title == "LPR Camera"
    assert [(child.title, child.identifier) for child in root.children] == [
        ("LPR camera 127.0.0.1", CAMERA)
    ]
    cameras = await media_source.async_browse_media(hass, f"media-source://lpr_camera/{CAMERA}")
    assert [child.title for child in cameras.children] == [DAY]
    day = await media_source.async_browse_media(hass, f"media-source://lpr_camera/{CAMERA}/{DAY}")
    assert [child.title for child in day.children] == [
        "00:35:15 부산 02가 1234",
        "00:30:15 AB123 (Anna's car)",
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
    await push(hass, camera, sample_read("AB123", time=MORNING))
    await push(hass, camera, sample_read("AB123", time=MORNING))

    assert [name for name in files(hass) if name.endswith(".json")] == [
        f"{CAMERA}/{DAY}/003015_AB123.json",
        f"{CAMERA}/{DAY}/003015_AB123_2.json",
    ]


async def test_history_off_and_reads_without_pictures(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    await push(
        hass, camera, dataclasses.replace(sample_read("NOPIC1"), plate_image=None, full_image=None)
    )
    assert not history_root(hass).exists()

    await set_site_settings(hass, history=False)
    await push(hass, camera, sample_read("OFF1"))

    assert not history_root(hass).exists()
    assert hass.states.get(PLATE_SENSOR).state == "OFF1"


async def test_old_days_pruned(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """Retention 7 days: the folders of older days go, with the next read."""
    today = dt_util.now().date()
    for days_ago in (30, 8, 7, 1):
        write_old_read(hass, (today - timedelta(days=days_ago)).isoformat(), "120000_OLD1", 10)
    await set_site_settings(hass, retention_days=7)

    await push(hass, camera, sample_read("NEW1"))
    await plate_log_kept_in_bounds(hass)

    days = sorted({name.split("/")[1] for name in files(hass)})
    assert days == [(today - timedelta(days=n)).isoformat() for n in (7, 1, 0)]


async def test_oldest_reads_pruned_over_the_size_limit(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """1 MB allowed: the oldest reads go until the pictures take at most 90 % of it."""
    today = dt_util.now().date()
    yesterday = (today - timedelta(days=1)).isoformat()
    write_old_read(hass, yesterday, "090000_OLD1", 500_000)
    write_old_read(hass, yesterday, "100000_OLD2", 400_000)
    write_old_read(hass, yesterday, "110000_OLD3", 300_000)
    await set_site_settings(hass, max_size_mb=1)

    await push(hass, camera, sample_read("NEW1"))
    await plate_log_kept_in_bounds(hass)

    names = files(hass)
    assert not any("OLD1" in name for name in names)
    assert f"{CAMERA}/{yesterday}/100000_OLD2_full.jpg" in names
    assert f"{CAMERA}/{yesterday}/110000_OLD3_full.jpg" in names
    assert any("NEW1_full.jpg" in name for name in names)
    assert total_size(hass) <= 0.9 * 2**20


async def test_size_limit_counts_the_reads_saved_since(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    """The size is counted once, then added up read by read: a later read still prunes."""
    yesterday = (dt_util.now().date() - timedelta(days=1)).isoformat()
    await set_site_settings(hass, max_size_mb=1)
    picture = b"\xff\xd8" + b"\0" * 500_000
    await push(hass, camera, dataclasses.replace(sample_read("FIRST1"), full_image=picture))
    await plate_log_kept_in_bounds(hass)
    write_old_read(hass, yesterday, "090000_OLD1", 200_000)  # counted from the next count on
    picture = b"\xff\xd8" + b"\0" * 560_000
    await push(hass, camera, dataclasses.replace(sample_read("SECOND1"), full_image=picture))
    await plate_log_kept_in_bounds(hass)

    names = files(hass)
    assert not any("OLD1" in name or "FIRST1" in name for name in names)
    assert any("SECOND1_full.jpg" in name for name in names)
    assert total_size(hass) <= 0.9 * 2**20


async def hold_a_pass(
    hass: HomeAssistant, camera: CameraSimulator, slow_disk: Callable[[str], SlowDisk]
) -> tuple[SlowDisk, str]:
    """A read FIRST1 saved, and the pass it started held while it lists the folders.

    Returns the held listing and an old day the pass, once released, deletes.
    """
    slow_listing = slow_disk(LISTING)
    old_day = (dt_util.now().date() - timedelta(days=40)).isoformat()
    write_old_read(hass, old_day, "120000_OLD1", 10)
    await send(camera, hass, sample_read("FIRST1"))
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

    await wait_for(lambda: saved_whole(hass, "FIRST1") and saved_whole(hass, "NEXT2"))
    assert any(old_day in name for name in files(hass))  # the pass is still held
    slow_listing.release.set()
    await wait_for(lambda: not any(old_day in name for name in files(hass)))


async def test_unloading_waits_for_a_save_and_stops_a_pass(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    slow_disk: Callable[[str], SlowDisk],
) -> None:
    """The read being written is saved whole, the pass stops at its next step, nothing is left."""
    slow_listing, old_day = await hold_a_pass(hass, camera, slow_disk)
    slow_writes = slow_disk("_write")
    await send(camera, hass, sample_read("HELD2"))
    await wait_for(slow_writes.entered.is_set)

    unloading = hass.async_create_task(hass.config_entries.async_unload(init_integration.entry_id))
    await wait_for(lambda: any(task.cancelling() for task in history_tasks()))  # the pass
    assert any(not task.cancelling() for task in history_tasks())  # the save is waited for
    await asyncio.sleep(0)  # the pass's task runs first: it hears of the cancellation
    slow_writes.release.set()
    slow_listing.release.set()

    assert await unloading
    assert init_integration.state is ConfigEntryState.NOT_LOADED
    assert saved_whole(hass, "HELD2")
    assert any(old_day in name for name in files(hass))  # left for the next pass
    assert history_tasks() == []


async def test_full_disk_raises_an_issue_and_the_read_still_arrives(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    full = OSError(errno.ENOSPC, "No space left on device")
    with patch.object(Path, "write_bytes", side_effect=full):
        data = await push(hass, camera, sample_read("FULL1"))

    assert data["plate"] == "FULL1"
    assert hass.states.get(PLATE_SENSOR).state == "FULL1"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "history_disk_full")
    assert issue is not None
    assert issue.translation_key == "history_disk_full"
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders == {
        "path": str(history_root(hass)),
        "error": "No space left on device",
    }
    assert files(hass) == []  # nothing half written

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
    assert issue.translation_placeholders["path"] == str(history_root(hass))

    media.unlink()  # noqa: ASYNC240
    await push(hass, camera, sample_read("RW1"))

    assert ir.async_get(hass).async_get_issue(DOMAIN, "history_unwritable") is None
    assert any("RW1_full.jpg" in name for name in files(hass))


async def test_turning_the_history_off_clears_the_issue(
    hass: HomeAssistant, init_integration: MockConfigEntry, camera: CameraSimulator
) -> None:
    Path(hass.config.media_dirs["local"]).write_text("not a folder")  # noqa: ASYNC240
    await push(hass, camera, sample_read("RO1"))
    assert ir.async_get(hass).async_get_issue(DOMAIN, "history_unwritable") is not None

    await set_site_settings(hass, history=False)
    await push(hass, camera, sample_read("OFF1"))

    assert ir.async_get(hass).async_get_issue(DOMAIN, "history_unwritable") is None


@pytest.mark.usefixtures("media", "init_integration")
@pytest.mark.parametrize(
    "identifier",
    [f"{CAMERA}/{DAY}/003015_AB123", f"{CAMERA}/..", f"{CAMERA}/{DAY}/x.json"],
)
async def test_browse_refuses_what_is_not_a_folder(hass: HomeAssistant, identifier: str) -> None:
    with pytest.raises(BrowseError):
        await media_source.async_browse_media(hass, f"media-source://lpr_camera/{identifier}")


@pytest.mark.usefixtures("media")
@pytest.mark.parametrize(
    "identifier",
    [CAMERA, f"{CAMERA}/{DAY}/003015_NONE", f"{CAMERA}/{DAY}/..", "../../etc/passwd"],
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
