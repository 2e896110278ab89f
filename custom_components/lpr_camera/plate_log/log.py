"""The plate log in Home Assistant: the one store of every read, its row and its pictures.

Each read is queued as it arrives and stored by one writer task, in arrival order (so newer
reads have larger ids): its pictures are written first (when the site keeps pictures), then its
row, which names them; the live event the panel shows carries them from the start. What waits
is bounded: by count, and by the bytes of the pictures waiting, past which a read is logged
without its pictures rather than fill the memory.

One upkeep job prunes rows and their files together: reads older than the retention, and the
oldest reads while the plate log takes more than the size limit on disk (the database and the
pictures, in allocated blocks). It runs hourly, after a write that goes over the limit, and
once the picture history of an earlier release is indexed. All file and database work runs in
the executor. Home Assistant cancels these tasks as it stops: a job already handed to the
executor runs to its end all the same, and closing (Home Assistant's final write) waits for it,
then stores every read still waiting, then closes the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import sqlite3
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_time_interval, async_track_utc_time_change
from homeassistant.util import dt as dt_util
from homeassistant.util import slugify

from ..const import DOMAIN, LOGGER
from ..lpr.log_once import LogOnce
from ..memory import release_freed_memory
from ..read import CameraRef, Goes, ReadRecord
from ..site.known_vehicles import Settings
from .database import LoggedRead, PlateLogDatabase
from .pictures import PictureFiles, Stopped, file_plate
from .statistics import async_add_hourly_reads

SIGNAL_READ_LOGGED = f"{DOMAIN}_read_logged"
DATABASE_FILE = f"{DOMAIN}_plate_log.db"
PICTURES_FOLDER = DOMAIN
DEFAULT_SOURCE_DIR_ID = "local"
UPKEEP_INTERVAL = timedelta(hours=1)
MEGABYTE = 1024 * 1024
# Over the size limit, the oldest reads go until the plate log takes this share of it.
PRUNE_TO = 0.9
PRUNE_BATCH = 200
# Reads waiting for the writer (while it indexes an earlier picture history, or the disk is
# slow): beyond this many, new reads are not logged; beyond these bytes of pictures waiting, a
# read is logged without its pictures. A read's bus event and entities never wait for either.
MAX_PENDING = 10_000
MAX_PENDING_PICTURE_BYTES = 256 * MEGABYTE
MAX_BATCH = 500
# Once this many bytes of pictures have been logged (a flood of reads, a camera flushing its
# queue, or an hour of them), the memory they took goes back to the system when none wait;
# not more often than every so many seconds. See memory.py.
RELEASE_AFTER_BYTES = 8 * MEGABYTE
RELEASE_AT_MOST_EVERY = 30
MAX_SEARCHES_AT_ONCE = 2
MAX_EXPORTS_AT_ONCE = 2

ISSUE_DISK_FULL = "history_disk_full"
ISSUE_BEHIND = "plate_log_behind"
SHED_READS_NOT_LOGGED = "reads_not_logged"
SHED_PICTURES_NOT_KEPT = "pictures_not_kept"
ISSUE_UNWRITABLE = "history_unwritable"
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


def camera_folder(camera: CameraRef) -> str:
    """The folder of a camera's pictures: its title, slugified (the entry id if that is empty)."""
    return slugify(camera.title) or camera.entry_id


@dataclass(frozen=True, slots=True)
class _Waiting:
    record: ReadRecord
    pictures: list[tuple[str, bytes]]  # kind, JPEG; empty when none are to be kept


@dataclass(slots=True)
class _Stored:
    """What the writer did with a batch: the reads stored, and a failure to save pictures."""

    reads: list[LoggedRead]
    failure: OSError | None
    disk_use: int


class PlateLog:
    """The plate log of every camera: stores reads, keeps it in bounds, answers the queries."""

    def __init__(
        self, hass: HomeAssistant, settings: Callable[[], Settings], shed: Counter[str]
    ) -> None:
        """Nothing is opened until the first entry sets up; what is shed is counted in `shed`."""
        self._hass = hass
        self._settings = settings
        self._shed = shed
        self._behind = False
        # Plate searches at once: each takes a bounded time in the executor, and any logged-in
        # user may start them; the others wait their turn.
        self.searching = asyncio.Semaphore(MAX_SEARCHES_AT_ONCE)
        # CSV exports at once: each reads a whole period in the executor; the others wait.
        self.exporting = asyncio.Semaphore(MAX_EXPORTS_AT_ONCE)
        self._database: PlateLogDatabase | None = None
        self._files: PictureFiles | None = None
        self._waiting: deque[_Waiting] = deque()
        self._waiting_bytes = 0
        # Bytes of pictures logged since their memory was last handed back, and when that was.
        self._logged_bytes = 0
        self._released_at = 0.0
        self._writer: asyncio.Task[None] | None = None
        self._indexing: asyncio.Task[None] | None = None
        self._upkeep: asyncio.Task[None] | None = None
        self._statistics: asyncio.Task[None] | None = None
        # The executor jobs on the database and the files, until they end (see _async_run).
        self._jobs: set[asyncio.Future[Any]] = set()
        self._stop = threading.Event()  # tells indexing and an upkeep pass to stop
        self._unsubscribe: list[CALLBACK_TYPE] = []
        self._unsubscribe_final_write: CALLBACK_TYPE | None = None
        # The pictures' bytes on disk: counted by the upkeep, kept up to date by the writes and
        # deletions since; both run in the executor.
        self._size_lock = threading.Lock()
        self._pictures_size: int | None = None
        self._written = 0  # bytes of pictures written in all
        self._counted_at = 0.0
        self._upkept_with: Settings | None = None
        self._issue: str | None = None
        # One warning per kind of failure, then debug lines: a failing disk floods no log.
        self._failure_logs: dict[str, LogOnce] = {}
        # Entries set up (and unload) side by side: one opens the database, the others wait.
        self._opening = asyncio.Lock()

    @property
    def database(self) -> PlateLogDatabase | None:
        """The database, while the plate log is open."""
        return self._database

    @property
    def source_dir_id(self) -> str:
        """The media folder the pictures go to: "local" (config/media) unless not configured."""
        media_dirs = self._hass.config.media_dirs
        if DEFAULT_SOURCE_DIR_ID in media_dirs or not media_dirs:
            return DEFAULT_SOURCE_DIR_ID
        return next(iter(media_dirs))

    @property
    def pictures_root(self) -> Path:
        """The folder of every camera's pictures."""
        media = self._hass.config.media_dirs.get(self.source_dir_id)
        return Path(media or self._hass.config.path("media"), PICTURES_FOLDER)

    def url_of(self, relative_path: str) -> str:
        """Where the media view serves a picture (with auth), given its path in the folder."""
        return f"/media/{self.source_dir_id}/{quote(f'{PICTURES_FOLDER}/{relative_path}')}"

    # Opening and closing.

    async def async_open(self) -> None:
        """Open the database (once), index an earlier picture history, start the upkeep."""
        async with self._opening:
            if self._database is None:
                await self._async_open()

    async def _async_open(self) -> None:
        path = Path(self._hass.config.path(DATABASE_FILE))
        try:
            database = await self._hass.async_add_executor_job(
                PlateLogDatabase.open_or_replace, path
            )
        except (OSError, sqlite3.Error) as err:
            self._failure_log("open")("The plate log %s cannot be opened: %s", path, err)
            return
        self._database = database
        self._files = PictureFiles(self.pictures_root)
        self._stop.clear()
        # Once, on upgrade (the database notes it); the writer waits for it.
        self._indexing = self._hass.async_create_background_task(
            self._async_index_history(database), f"{DOMAIN} plate log indexing"
        )
        self._unsubscribe = [
            async_track_time_interval(self._hass, self._async_start_upkeep, UPKEEP_INTERVAL),
            # A few minutes after each hour: the reads of the hour before arrived.
            async_track_utc_time_change(self._hass, self._async_add_statistics, minute=5, second=0),
        ]
        self._unsubscribe_final_write = self._hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_FINAL_WRITE, self._async_closing
        )

    async def async_close(self) -> None:
        """Store the reads still waiting, then close the database."""
        async with self._opening:
            if (database := self._database) is not None:
                await self._async_close(database)

    async def _async_close(self, database: PlateLogDatabase) -> None:
        if self._unsubscribe_final_write is not None:
            self._unsubscribe_final_write()
            self._unsubscribe_final_write = None
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        self._stop.set()
        for task in (self._indexing, self._writer, self._statistics, self._upkeep):
            if task is not None:
                await asyncio.wait([task])
        if self._jobs:
            await asyncio.wait(self._jobs)
        # A writer cancelled as Home Assistant stops left reads waiting: they are stored now.
        self._async_start_writer()
        if self._writer is not None:
            await asyncio.wait([self._writer])
        self._database = None
        await self._hass.async_add_executor_job(database.close)

    async def _async_closing(self, _event: Event) -> None:
        """Home Assistant's final write: close (its listener is gone once it fired)."""
        self._unsubscribe_final_write = None
        await self.async_close()

    async def _async_run[T](self, job: Callable[..., T], *args: Any) -> T:
        """Run a job on the database or the files in the executor, to its end.

        Home Assistant cancels the background tasks that wait for these jobs as it stops; the
        job runs on all the same (a read whose pictures are saved gets its row), and the close
        waits for it before it closes the database.
        """
        future = self._hass.async_add_executor_job(job, *args)
        self._jobs.add(future)
        future.add_done_callback(self._jobs.discard)
        return await asyncio.shield(future)

    # Storing.

    @callback
    def async_log(self, record: ReadRecord) -> None:
        """Queue a read: its pictures (if the site keeps them), then its row."""
        if self._database is None:
            return
        if len(self._waiting) >= MAX_PENDING:
            self._shed[SHED_READS_NOT_LOGGED] += 1
            self._failure_log("full")(
                "The plate log is behind by %s reads; reads are lost", MAX_PENDING
            )
            self._async_raise_behind()
            return
        pictures = _pictures_of(record) if self._settings().history else []
        size = sum(len(picture) for _, picture in pictures)
        if pictures and self._waiting_bytes + size > MAX_PENDING_PICTURE_BYTES:
            self._failure_log("pictures_waiting")(
                "The pictures of reads arrive faster than they can be saved: a read is logged "
                "without its pictures while more than %s MB of them wait",
                MAX_PENDING_PICTURE_BYTES // MEGABYTE,
            )
            pictures, size = [], 0
            self._shed[SHED_PICTURES_NOT_KEPT] += 1
        self._waiting.append(_Waiting(record, pictures))
        self._waiting_bytes += size
        self._logged_bytes += size
        self._async_start_writer()

    @callback
    def _async_start_writer(self) -> None:
        """Have the writer store what waits, unless it runs already."""
        if self._waiting and (self._writer is None or self._writer.done()):
            self._writer = self._hass.async_create_background_task(
                self._async_write(), f"{DOMAIN} plate log writer"
            )

    async def _async_write(self) -> None:
        """Store the waiting reads; now and then, hand the memory their pictures took back."""
        await self._async_write_batches()
        now = time.monotonic()
        if (
            self._logged_bytes >= RELEASE_AFTER_BYTES
            and now - self._released_at >= RELEASE_AT_MOST_EVERY
            and not self._waiting
        ):
            self._logged_bytes, self._released_at = 0, now
            await self._hass.async_add_executor_job(release_freed_memory)

    async def _async_write_batches(self) -> None:
        """Store the waiting reads, in batches, in arrival order; tell who listens."""
        if self._indexing is not None:
            await asyncio.wait([self._indexing])  # older reads first: they take smaller ids
        while self._waiting and (database := self._database) and (files := self._files):
            batch = [self._waiting.popleft() for _ in range(min(MAX_BATCH, len(self._waiting)))]
            self._waiting_bytes -= sum(len(p) for item in batch for _, p in item.pictures)
            try:
                stored = await self._async_run(self._store, database, files, batch)
            except sqlite3.Error as err:
                self._failure_log("write")("Could not log %s reads: %s", len(batch), err)
                continue
            self._async_note_save(stored.failure)
            for read in stored.reads:
                async_dispatcher_send(self._hass, SIGNAL_READ_LOGGED, read)
            limit = self._settings().max_size_mb * MEGABYTE
            if stored.disk_use > limit or self._upkept_with != self._settings():
                self._async_start_upkeep()
        if self._behind:
            self._behind = False
            ir.async_delete_issue(self._hass, DOMAIN, ISSUE_BEHIND)

    @callback
    def _async_raise_behind(self) -> None:
        """A repair issue while reads are lost: the disk cannot keep up (an SD card, say)."""
        if self._behind:
            return
        self._behind = True
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            ISSUE_BEHIND,
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_BEHIND,
            translation_placeholders={"reads": str(MAX_PENDING), "path": str(self.pictures_root)},
        )

    def _store(
        self, database: PlateLogDatabase, files: PictureFiles, batch: list[_Waiting]
    ) -> _Stored:
        """Save each read's pictures, then its row (in the executor)."""
        failure: OSError | None = None
        rows = []
        for item in batch:
            folder: str | None = None
            names: dict[str, str] = {}
            if item.pictures:
                try:
                    folder, names = self._save_pictures(files, item)
                except OSError as err:
                    failure = err
            fields = item.record.fields(Goes.COLUMN | Goes.DETAIL)
            rows.append(LoggedRead(fields=fields, folder=folder, pictures=names))
        stored = database.insert(rows)
        return _Stored(stored, failure, self._disk_use(database))

    def _save_pictures(self, files: PictureFiles, item: _Waiting) -> tuple[str, dict[str, str]]:
        read = item.record.read
        local = dt_util.as_local(item.record.filed_at)
        folder = f"{camera_folder(item.record.camera)}/{local:%Y-%m-%d}"
        stem = f"{local:%H%M%S}_{file_plate(read.plate)}"
        names, allocated = files.save(folder, stem, item.pictures)
        with self._size_lock:
            self._written += allocated
            if self._pictures_size is not None:
                self._pictures_size += allocated
        return folder, names

    def _disk_use(self, database: PlateLogDatabase) -> int:
        with self._size_lock:
            pictures = self._pictures_size or 0
        return database.allocated + pictures

    @callback
    def _async_note_save(self, failure: OSError | None) -> None:
        """A repair issue while pictures cannot be saved; gone with the next one saved."""
        if failure is None:
            if self._issue is not None:
                LOGGER.info("Pictures of reads are saved again")
                self._issue = None
                for issue in (ISSUE_DISK_FULL, ISSUE_UNWRITABLE):
                    ir.async_delete_issue(self._hass, DOMAIN, issue)
            return
        issue = ISSUE_DISK_FULL if failure.errno in DISK_FULL_ERRNOS else ISSUE_UNWRITABLE
        root = self.pictures_root
        if self._issue != issue:
            LOGGER.warning("Could not save the pictures of a read under %s: %s", root, failure)
        self._issue = issue
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=issue,
            translation_placeholders={
                "path": str(root),
                "error": failure.strerror or str(failure),
            },
        )

    @callback
    def async_settings_changed(self) -> None:
        """The site's settings changed: the pictures kept no longer block a repair issue."""
        if not self._settings().history:
            self._async_note_save(None)
        self._async_start_upkeep()

    # Upkeep: the retention and the size limit, rows and files together.

    @callback
    def _async_start_upkeep(self, _now: datetime | None = None) -> None:
        """Start an upkeep pass in the background, unless one runs (the close waits for it)."""
        database, files = self._database, self._files
        if database is None or files is None or self._stop.is_set():
            return
        if self._upkeep is not None and not self._upkeep.done():
            return
        settings = self._settings()
        # The disk is counted afresh hourly, and when the settings change (as after files were
        # copied in by hand); saves and deletions are added up in between.
        recount = settings != self._upkept_with or (
            time.monotonic() - self._counted_at >= UPKEEP_INTERVAL.total_seconds()
        )
        self._upkept_with = settings
        keep_from = dt_util.now().date() - timedelta(days=settings.retention_days)
        self._upkeep = self._hass.async_create_background_task(
            self._async_run(self._keep_in_bounds, database, files, settings, keep_from, recount),
            f"{DOMAIN} plate log upkeep",
        )

    def _keep_in_bounds(
        self,
        database: PlateLogDatabase,
        files: PictureFiles,
        settings: Settings,
        keep_from: date,
        recount: bool,
    ) -> None:
        """Prune by age, recount when due, prune by size (in the executor)."""
        try:
            oldest_kept = dt_util.start_of_local_day(keep_from)
            while batch := database.oldest(PRUNE_BATCH, before=oldest_kept):
                self._forget(database, files, batch)
            freed = files.remove_days_before(keep_from.isoformat(), self._stop)
            with self._size_lock:
                if self._pictures_size is not None:
                    self._pictures_size -= freed
            if recount:
                self._recount(files)
            limit = settings.max_size_mb * MEGABYTE
            if self._disk_use(database) > limit:
                self._prune_to(database, files, int(limit * PRUNE_TO))
            database.analyze()
        except Stopped:
            return
        except (OSError, sqlite3.Error) as err:
            self._failure_log("prune")("Could not delete old reads of the plate log: %s", err)

    def _prune_to(self, database: PlateLogDatabase, files: PictureFiles, target: int) -> None:
        """Delete the oldest reads until the plate log takes at most `target` bytes on disk."""
        database.checkpoint()
        while (excess := self._disk_use(database) - target) > 0 and (
            batch := database.oldest(PRUNE_BATCH)
        ):
            row_size = database.allocated // max(database.count, 1)
            enough = []
            for read in batch:
                enough.append(read)
                excess -= files.allocated_of(read.picture_paths()) + row_size
                if excess <= 0:
                    break
            self._forget(database, files, enough)
            database.release_free_pages()

    def _forget(
        self, database: PlateLogDatabase, files: PictureFiles, reads: Sequence[LoggedRead]
    ) -> None:
        """Delete reads: their pictures, then their rows."""
        if self._stop.is_set():
            raise Stopped
        freed = files.delete(path for read in reads for path in read.picture_paths())
        database.delete([read.read_id for read in reads])
        for folder in {read.folder for read in reads if read.folder}:
            files.remove_if_empty(files.root / folder)
        with self._size_lock:
            if self._pictures_size is not None:
                self._pictures_size -= freed

    def _recount(self, files: PictureFiles) -> None:
        """Count the pictures on disk afresh; what is written meanwhile is added to it."""
        with self._size_lock:
            written_before = self._written
        counted = files.allocated(self._stop)
        with self._size_lock:
            self._pictures_size = counted + self._written - written_before
        self._counted_at = time.monotonic()

    async def _async_index_history(self, database: PlateLogDatabase) -> None:
        root = self.pictures_root
        try:
            added = await self._async_run(database.index_history, root, self._stop)
        except (OSError, sqlite3.Error) as err:
            self._failure_log("index")("Could not index the picture history %s: %s", root, err)
        else:
            if added:
                LOGGER.info("The plate log took in %s reads of the picture history", added)
        # Now that the log holds the reads of before: the retention, and the hours they add up to.
        self._async_start_upkeep()
        self._async_add_statistics()

    # What the entities, the media browser and the statistics ask.

    async def async_latest_picture(
        self, config_entry_id: str, kind: str
    ) -> tuple[bytes, datetime] | None:
        """A camera's newest picture of a kind (plate, full), and when it was taken.

        The reads still waiting to be stored come first: the newest picture may be among them
        (a camera reloaded right after a read).
        """
        if (writer := self._writer) is not None and not writer.done():
            await asyncio.wait([writer])
        if (database := self._database) is None or (files := self._files) is None:
            return None
        return await self._hass.async_add_executor_job(
            _latest_picture, database, files, config_entry_id, kind
        )

    async def async_passage_reads(self, passage_id: str) -> list[LoggedRead]:
        """The reads of a passage, first read first.

        A read's bus event comes before its row: the reads still waiting are stored first.
        """
        if (writer := self._writer) is not None and not writer.done():
            await asyncio.wait([writer])
        if (database := self._database) is None:
            return []
        return await self._hass.async_add_executor_job(database.of_passage, passage_id)

    async def async_passage_picture(self, passage_id: str, kind: str) -> Path | None:
        """The file of a passage's picture of a kind (plate, full): its first read's, if any."""
        reads = await self.async_passage_reads(passage_id)
        path = next((path for read in reads if (path := read.picture(kind))), None)
        return None if path is None or self._files is None else self._files.root / path

    @callback
    def _async_add_statistics(self, _now: datetime | None = None) -> None:
        """Add the complete hours to the long-term statistics, when the recorder runs."""
        database = self._database
        if database is None or "recorder" not in self._hass.config.components:
            return
        if self._statistics is None or self._statistics.done():
            self._statistics = self._hass.async_create_background_task(
                async_add_hourly_reads(self._hass, database), f"{DOMAIN} plate log statistics"
            )

    def _failure_log(self, kind: str) -> LogOnce:
        return self._failure_logs.setdefault(kind, LogOnce(LOGGER))


def _pictures_of(record: ReadRecord) -> list[tuple[str, bytes]]:
    """A read's pictures by kind: plate, full, evidence0, evidence1, ..."""
    read = record.read
    pictures = [("plate", read.plate_image), ("full", read.full_image)]
    pictures += [(f"evidence{index}", image) for index, image in enumerate(read.extra_images)]
    return [(kind, picture) for kind, picture in pictures if picture is not None]


def _latest_picture(
    database: PlateLogDatabase, files: PictureFiles, config_entry_id: str, kind: str
) -> tuple[bytes, datetime] | None:
    for read in database.latest_pictures(config_entry_id):
        if (path := read.picture(kind)) is None:
            continue
        with contextlib.suppress(OSError):  # pruned meanwhile: the next one will do
            return (files.root / path).read_bytes(), read.filed_at
    return None
