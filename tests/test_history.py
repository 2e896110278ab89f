"""Picture history: saved under the media folder, browsed in the media browser, pruned."""

from __future__ import annotations

import dataclasses
import errno
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components import media_source
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.lpr import PlateRead
from custom_components.lpr_camera.lpr.simulator import CameraSimulator, sample_read

from .common import set_site_settings, wait_for

CAMERA = "lpr_camera_127_0_0_1"
PLATE_SENSOR = "sensor.lpr_camera_127_0_0_1_last_plate"
# 08:30:15 UTC is 00:30:15 in the tests' time zone (US/Pacific).
MORNING = datetime(2026, 11, 26, 8, 30, 15, tzinfo=UTC)
DAY = "2026-11-26"


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
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(read)
    await wait_for(lambda: events)
    await hass.async_block_till_done()
    return dict(events[0].data)


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
        assert await thumbnail.read() == read.plate_image
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
    await set_site_settings(hass, max_size_mb=1)
    picture = b"\xff\xd8" + b"\0" * 500_000
    await push(hass, camera, dataclasses.replace(sample_read("FIRST1"), full_image=picture))
    write_old_read(hass, "2026-01-01", "090000_OLD1", 200_000)
    picture = b"\xff\xd8" + b"\0" * 560_000
    await push(hass, camera, dataclasses.replace(sample_read("SECOND1"), full_image=picture))

    names = files(hass)
    assert not any("OLD1" in name or "FIRST1" in name for name in names)
    assert any("SECOND1_full.jpg" in name for name in names)
    assert total_size(hass) <= 0.9 * 2**20


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
