"""Picture history: each read's pictures under Home Assistant's media folder.

Layout: <media>/lpr_camera/<camera>/<YYYY-MM-DD>/<HHMMSS>_<PLATE>_{plate,full}.jpg (and
_evidence0.jpg, ... for the extra pictures some cameras send), beside a
small <HHMMSS>_<PLATE>.json with what the media browser shows (written last: a read without
it was not saved whole). Days and times are Home Assistant's local time. Old days and, when
the pictures of all cameras take more than the user allows, the oldest reads are deleted.

All file work runs in the executor. A save only writes its read's files; deleting old days and
the oldest reads (maintenance) runs apart, one pass at a time, and a save waits at most for the
deletion of one file or one read, never for a pass over the whole tree. Both are tasks of the
camera's config entry: its unload waits for a save in flight (no half-written read) and stops a
maintenance pass at its next step (the next pass goes on from there).

A save that fails (a full disk, a folder Home Assistant may not write to) raises a repair issue
and never touches the read: the bus event and the entities have it already.

A save answers with where it put the pictures, relative to the history's folder (the plate log
keeps them with the read); maintenance tells its listeners which reads it deleted for size.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import itertools
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from homeassistant.util import slugify

from ..const import DOMAIN, LOGGER
from ..lpr import PlateRead
from ..site.known_vehicles import KnownVehicles, ReadMatch, Settings

HISTORY_FOLDER = DOMAIN
DEFAULT_SOURCE_DIR_ID = "local"
MAX_PLATE_IN_NAME = 32
# Age pruning and a fresh count of the size: at most this often, or when the day or the settings
# change.
MAINTENANCE_INTERVAL = 3600.0
# Over the size limit, the oldest reads go until the pictures take this share of it.
PRUNE_TO = 0.9

ISSUE_DISK_FULL = "history_disk_full"
ISSUE_UNWRITABLE = "history_unwritable"
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}

SIDECAR = ".json"
PICTURE_KINDS = ("plate", "full")
# A read's extra pictures (HTTP firmware's evidence pictures) are numbered: evidence0, ...
EVIDENCE_KIND = "evidence"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PART = re.compile(r"[\w-]+")  # a folder or read name of ours: no dots, no separators
_NOT_IN_NAME = re.compile(r"[\W_]+")
_PICTURE_FILE = re.compile(rf"(?P<read>.+)_(?:{'|'.join(PICTURE_KINDS)}|{EVIDENCE_KIND}\d+)\.jpg")


@dataclass(frozen=True, slots=True)
class SavedRead:
    """A read in the history, as the media browser lists it."""

    stem: str
    plate: str
    taken: datetime
    name: str | None
    plate_list: str | None
    files: dict[str, str]  # kind (plate, full, evidence0, ...) -> file name

    @property
    def title(self) -> str:
        """08:30:15 AB123 (Anna's car)."""
        details = [self.name] if self.name else []
        if self.plate_list == "deny":
            details.append("deny list")
        suffix = f" ({', '.join(details)})" if details else ""
        return f"{dt_util.as_local(self.taken):%H:%M:%S} {self.plate}{suffix}"


def camera_folder(entry: ConfigEntry) -> str:
    """The folder of a camera: its title, slugified (the entry id if that leaves nothing)."""
    return slugify(entry.title) or entry.entry_id


def file_plate(plate: str) -> str:
    """The plate as part of a file name: letters and digits of any script, nothing else."""
    return _NOT_IN_NAME.sub("", plate.upper())[:MAX_PLATE_IN_NAME] or "plate"


def valid_part(part: str) -> bool:
    """Whether a name taken from a media identifier can be one of our folders or reads."""
    return _PART.fullmatch(part) is not None


class PictureHistory:
    """Saves, prunes and lists the pictures of every camera's reads."""

    def __init__(self, hass: HomeAssistant, known_vehicles: KnownVehicles) -> None:
        """Nothing is read from disk until the first save."""
        self._hass = hass
        self._known_vehicles = known_vehicles
        # Held by a save while it writes, and by maintenance while it deletes one file or read.
        self._save_lock = threading.Lock()
        # The history's size: bytes on disk at the last count, plus what saves wrote since.
        self._counted: int | None = None
        self._written = 0
        self._maintained: tuple[float, date, Settings] | None = None
        self._maintenance: asyncio.Task[None] | None = None
        self._maintenance_failed = False
        self._issue: str | None = None
        self._prune_listeners: list[Callable[[list[str]], None]] = []

    @property
    def source_dir_id(self) -> str:
        """The media folder the pictures go to: "local" (config/media) unless not configured."""
        media_dirs = self._hass.config.media_dirs
        if DEFAULT_SOURCE_DIR_ID in media_dirs or not media_dirs:
            return DEFAULT_SOURCE_DIR_ID
        return next(iter(media_dirs))

    @property
    def root(self) -> Path:
        """The folder of the whole history."""
        media = self._hass.config.media_dirs.get(self.source_dir_id)
        return Path(media or self._hass.config.path("media"), HISTORY_FOLDER)

    def url(self, camera: str, day: str, file_name: str) -> str:
        """Where Home Assistant's media view serves a file of the history (with auth)."""
        return self.url_of(f"{camera}/{day}/{file_name}")

    def url_of(self, relative_path: str) -> str:
        """Where the media view serves a file, given its path relative to the history's folder."""
        return f"/media/{self.source_dir_id}/{quote(f'{HISTORY_FOLDER}/{relative_path}')}"

    def add_prune_listener(self, listener: Callable[[list[str]], None]) -> None:
        """Call `listener` (in the executor) with the reads ("camera/day/stem") pruned for size."""
        self._prune_listeners.append(listener)

    @callback
    def async_save(
        self, entry: ConfigEntry, read: PlateRead, match: ReadMatch
    ) -> asyncio.Task[SavedPictures | None] | None:
        """Save the read's pictures in the background, when the history is on.

        The task answers where they went; None when there is nothing to save.
        """
        if not self._known_vehicles.settings.history:
            self._async_saved()  # nothing to save: a failure of before is no longer the user's
            return None
        if read.plate_image is None and read.full_image is None and not read.extra_images:
            return None
        # A task of the entry (not a background one): its unload waits for the save to end.
        return entry.async_create_task(
            self._hass, self._async_save(entry, read, match), f"{DOMAIN} picture save"
        )

    async def _async_save(
        self, entry: ConfigEntry, read: PlateRead, match: ReadMatch
    ) -> SavedPictures | None:
        job = _SaveJob(self.root, camera_folder(entry), entry, read, match)
        try:
            saved = await self._hass.async_add_executor_job(self._save_and_count, job)
        except OSError as err:
            self._async_failed(job.root, err)
            return None
        self._async_saved()
        if self._maintenance_due(self._known_vehicles.settings):
            self._async_start_maintenance(entry)
        return saved

    def _save_and_count(self, job: _SaveJob) -> SavedPictures:
        with self._save_lock:  # one save at a time: two reads of a plate in a second get two names
            written, saved = _save(job)
            self._written += written
        return saved

    # Maintenance: old days, a fresh count of the size, the oldest reads over the size limit.

    def _maintenance_due(self, settings: Settings) -> bool:
        return self._count_due(settings) is not None or self._over_limit(settings)

    def _count_due(self, settings: Settings) -> tuple[float, date] | None:
        """When old days and the size from disk are due (hourly, on a new day or new settings).

        Then the monotonic time and the day that the count goes by; the clocks are read on the
        event loop only, so a pass in the executor goes by the same ones.
        """
        now, today = time.monotonic(), dt_util.now().date()
        maintained = self._maintained
        if (
            maintained is None
            or now - maintained[0] >= MAINTENANCE_INTERVAL
            or maintained[1:] != (today, settings)
        ):
            return now, today
        return None

    def _over_limit(self, settings: Settings) -> bool:
        limit = settings.max_size_mb * 1024 * 1024
        return self._counted is not None and self._counted + self._written > limit

    @callback
    def _async_start_maintenance(self, entry: ConfigEntry) -> None:
        """Start maintenance, unless a pass runs (it goes on while due) or the entry unloads."""
        if self._maintenance is not None and not self._maintenance.done():
            return
        if entry.state is not ConfigEntryState.LOADED:
            return  # a task started now would outlive the entry; the next save starts it
        self._maintenance = entry.async_create_background_task(
            self._hass, self._async_maintain(), f"{DOMAIN} picture history maintenance"
        )

    async def _async_maintain(self) -> None:
        """Passes one after another while saves made one due (usually one pass)."""
        while self._maintenance_due(settings := self._known_vehicles.settings):
            try:
                await self._async_run_pass(settings, self._count_due(settings))
            except OSError as err:
                log = LOGGER.debug if self._maintenance_failed else LOGGER.warning
                log("Could not delete old pictures under %s: %s", self.root, err)
                self._maintenance_failed = True
                return
            self._maintenance_failed = False

    async def _async_run_pass(self, settings: Settings, count: tuple[float, date] | None) -> None:
        """One pass in the executor; cancelled, it stops at its next step and is waited for."""
        run = _Pass(self._save_lock)
        job = self._hass.async_add_executor_job(self._maintain, settings, count, run)
        try:
            await asyncio.shield(job)
        except asyncio.CancelledError:
            run.stop.set()
            with contextlib.suppress(_Stopped, OSError):
                await job
            raise

    def _maintain(self, settings: Settings, count: tuple[float, date] | None, run: _Pass) -> None:
        """Delete old days and recount when due; delete the oldest reads when over the limit."""
        root = self.root
        if count is not None:
            today = count[1]
            _prune_days(root, today - timedelta(days=settings.retention_days), run)
            self._recount(lambda: sum(size for *_, size in _files(root, run)))
            self._maintained = (*count, settings)
        if self._over_limit(settings):
            target = int(settings.max_size_mb * 1024 * 1024 * PRUNE_TO)
            pruned: list[str] = []
            try:
                self._recount(lambda: _prune_size(root, target, run, pruned))
            finally:  # a pass told to stop still reports what it deleted
                if pruned:
                    for listener in self._prune_listeners:
                        listener(pruned)

    def _recount(self, measure: Callable[[], int]) -> None:
        """Take `measure`'s size of the tree as the count; saves meanwhile are added to it.

        A read saved while the tree is walked may be counted twice, until the next count:
        the history then shrinks a little early rather than outgrow its limit.
        """
        with self._save_lock:
            written_before = self._written
        counted = measure()
        with self._save_lock:
            self._counted, self._written = counted, self._written - written_before

    @callback
    def _async_failed(self, root: Path, err: OSError) -> None:
        issue = ISSUE_DISK_FULL if err.errno in DISK_FULL_ERRNOS else ISSUE_UNWRITABLE
        if self._issue != issue:
            LOGGER.warning("Could not save the pictures of a read under %s: %s", root, err)
        self._issue = issue
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=issue,
            translation_placeholders={"path": str(root), "error": err.strerror or str(err)},
        )

    @callback
    def _async_saved(self) -> None:
        if self._issue is None:
            return
        LOGGER.info("Pictures of reads are saved again")
        self._issue = None
        for issue in (ISSUE_DISK_FULL, ISSUE_UNWRITABLE):
            ir.async_delete_issue(self._hass, DOMAIN, issue)

    # What the media browser lists (executor jobs).

    def cameras(self) -> list[str]:
        """Camera folders that hold at least one day."""
        return sorted(
            path.name for path in _dirs(self.root) if valid_part(path.name) and _days(path)
        )

    def days(self, camera: str) -> list[str]:
        """A camera's days, newest first."""
        return sorted((path.name for path in _days(self.root / camera)), reverse=True)

    def reads(self, camera: str, day: str) -> list[SavedRead]:
        """A day's reads that were saved whole, newest first."""
        folder = self.root / camera / day
        sidecars = sorted(
            (path for path in _files_in(folder) if path.suffix == SIDECAR), reverse=True
        )
        return [
            saved
            for path in sidecars
            if (saved := _load_sidecar(path)) is not None
            and any((folder / name).is_file() for name in saved.files.values())
        ]

    def latest_picture(self, camera: str, kind: str) -> tuple[bytes, datetime] | None:
        """The newest picture of a kind (plate, full) the camera saved, and when it was taken."""
        for day in self.days(camera):
            for saved in self.reads(camera, day):
                if (name := saved.files.get(kind)) is None:
                    continue
                with contextlib.suppress(OSError):  # pruned meanwhile: the next one will do
                    return (self.root / camera / day / name).read_bytes(), saved.taken
        return None

    def read(self, camera: str, day: str, stem: str) -> SavedRead | None:
        """One saved read, if it is (still) there."""
        path = self.root / camera / day / f"{stem}{SIDECAR}"
        return _load_sidecar(path) if path.is_file() else None


@dataclass(frozen=True, slots=True)
class SavedPictures:
    """Where a save put a read's pictures: relative to the history's folder."""

    read: str  # camera/day/stem
    files: dict[str, str]  # kind (plate, full, evidence0, ...) -> camera/day/file name


@dataclass(frozen=True, slots=True)
class _SaveJob:
    root: Path
    camera: str
    entry: ConfigEntry
    read: PlateRead
    match: ReadMatch


class _Stopped(Exception):  # noqa: N818 - a signal, not an error
    """The maintenance pass was told to stop."""


@dataclass(frozen=True, slots=True)
class _Pass:
    """One maintenance pass: it deletes between saves, and stops when told to."""

    save_lock: threading.Lock
    stop: threading.Event = field(default_factory=threading.Event)

    def go_on(self) -> None:
        """Raise _Stopped when the pass was told to stop."""
        if self.stop.is_set():
            raise _Stopped

    @contextlib.contextmanager
    def deleting(self) -> Iterator[None]:
        """One step of deletion (a file, an empty folder or a read), while no save writes."""
        self.go_on()
        with self.save_lock:
            yield


def _save(job: _SaveJob) -> tuple[int, SavedPictures]:
    """Write the pictures, then the sidecar; return the bytes written and where they went."""
    read = job.read
    local = dt_util.as_local(read.time)
    folder = job.root / job.camera / local.strftime("%Y-%m-%d")
    folder.mkdir(parents=True, exist_ok=True)
    base = stem = f"{local:%H%M%S}_{file_plate(read.plate)}"
    count = 1
    while (folder / f"{stem}{SIDECAR}").exists():  # the same plate twice in a second
        count += 1
        stem = f"{base}_{count}"
    written = 0
    files = {}
    pictures = [("plate", read.plate_image), ("full", read.full_image)]
    pictures += [
        (f"{EVIDENCE_KIND}{index}", image) for index, image in enumerate(read.extra_images)
    ]
    for kind, picture in pictures:
        if picture is not None:
            files[kind] = name = f"{stem}_{kind}.jpg"
            written += _write(folder / name, picture)
    sidecar = {
        "plate": read.plate,
        "time": read.time.isoformat(),
        "camera": job.entry.title,
        "config_entry_id": job.entry.entry_id,
        "direction": str(read.direction),
        **job.match.as_dict(),
        "files": files,
    }
    written += _write(folder / f"{stem}{SIDECAR}", json.dumps(sidecar, ensure_ascii=False).encode())
    relative = folder.relative_to(job.root).as_posix()
    return written, SavedPictures(
        read=f"{relative}/{stem}",
        files={kind: f"{relative}/{name}" for kind, name in files.items()},
    )


def _write(path: Path, data: bytes) -> int:
    """Write through a temporary name, so a failure leaves no half file behind."""
    part = path.with_name(path.name + ".part")
    try:
        part.write_bytes(data)
        part.replace(path)
    except OSError:
        part.unlink(missing_ok=True)
        raise
    return len(data)


def _load_sidecar(path: Path) -> SavedRead | None:
    try:
        data: dict[str, Any] = json.loads(path.read_bytes())
        return SavedRead(
            stem=path.stem,
            plate=str(data["plate"]),
            taken=dt_util.parse_datetime(data["time"]) or dt_util.utcnow(),
            name=data.get("known_name"),
            plate_list=data.get("known_list"),
            files={str(kind): str(name) for kind, name in data.get("files", {}).items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _dirs(path: Path) -> list[Path]:
    try:
        with os.scandir(path) as entries:
            return [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _days(camera_dir: Path) -> list[Path]:
    return [path for path in _dirs(camera_dir) if _DAY.fullmatch(path.name)]


def _files_in(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return [Path(e.path) for e in entries if e.is_file(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _files(root: Path, run: _Pass) -> Iterator[tuple[str, str, str, Path, int]]:
    """Every file of the history: day, read, camera, path and size."""
    for camera_dir in _dirs(root):
        for day_dir in _days(camera_dir):
            run.go_on()
            for path in _files_in(day_dir):
                try:
                    size = path.stat().st_size
                except FileNotFoundError:
                    continue
                yield day_dir.name, _read_of(path.name), camera_dir.name, path, size


def _read_of(file_name: str) -> str:
    """The read a file belongs to: its name without the kind and the extension."""
    name = file_name.removesuffix(".part")
    if picture := _PICTURE_FILE.fullmatch(name):
        return picture["read"]
    return name.removesuffix(SIDECAR)


def _prune_days(root: Path, keep_from: date, run: _Pass) -> None:
    """Delete the day folders older than `keep_from`."""
    oldest_kept = keep_from.isoformat()
    for camera_dir in _dirs(root):
        for day_dir in _days(camera_dir):
            if day_dir.name < oldest_kept:
                _remove_folder(day_dir, run)
        with run.deleting():
            _remove_if_empty(camera_dir)


def _prune_size(root: Path, target: int, run: _Pass, pruned: list[str]) -> int:
    """Delete the oldest reads until the history takes at most `target` bytes; return its size.

    Each read deleted is added to `pruned` as camera/day/stem.
    """
    files = sorted(_files(root, run), key=lambda file: file[:3])
    total = sum(file[4] for file in files)
    for read, group in itertools.groupby(files, key=lambda file: file[:3]):
        if total <= target:
            break
        day, stem, camera = read
        with run.deleting():
            for *_, path, size in group:
                path.unlink(missing_ok=True)
                total -= size
            _remove_if_empty(root / camera / day)
            _remove_if_empty(root / camera)
        pruned.append(f"{camera}/{day}/{stem}")
    return total


def _remove_folder(folder: Path, run: _Pass) -> None:
    """Delete a day folder's files (ours only: no sub-folders are followed), then the folder.

    A file at a time: a save waits for one deletion at most, however many reads the day holds.
    """
    for path in _files_in(folder):
        with run.deleting():
            path.unlink(missing_ok=True)
    with run.deleting():
        _remove_if_empty(folder)


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty, or gone already
        folder.rmdir()
