"""The plate log in Home Assistant: every read of every camera, in the plate log's database.

Each read is queued when it arrives and written by one writer task, in arrival order (so newer
reads have larger ids), once its picture save (if any) has answered where the pictures went:
the row, and the live event the panel shows, carry the pictures from the start. Reads are
logged whether or not the picture history keeps pictures.

The picture history's settings govern the rows too: rows older than its retention go (hourly,
as its old days do), rows whose pictures it deleted for size go with them, and the rows
themselves never take more than its size limit. All database work runs in the executor.
"""

from __future__ import annotations

import asyncio
import math
import sqlite3
import threading
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_time_interval, async_track_utc_time_change
from homeassistant.util import dt as dt_util

from ..const import DOMAIN, LOGGER
from ..lpr import PlateRead
from ..lpr.log_once import LogOnce
from ..site.known_vehicles import KnownVehicles, ReadMatch, Settings
from .database import LoggedRead, PlateLogDatabase
from .pictures import PictureHistory, SavedPictures
from .statistics import async_add_hourly_reads

SIGNAL_READ_LOGGED = f"{DOMAIN}_read_logged"
DATABASE_FILE = f"{DOMAIN}_plate_log.db"
MAINTENANCE_INTERVAL = timedelta(hours=1)
# Reads waiting for the database (while it indexes the picture history, or is slow): beyond
# this many, new reads are not logged rather than fill the memory.
MAX_PENDING = 10_000
MAX_BATCH = 500
# Over the size limit, the oldest rows go until the rows take this share of it.
PRUNE_TO = 0.9
# The read's fields a row keeps besides its columns (shown on the one-read view).
DETAIL_FIELDS = (
    "vehicle_type",
    "vehicle_colour",
    "vehicle_brand",
    "plate_colour",
    "list_type",
    "speed",
    "confidence",
    "region",
    "detection_region",
    "plate_box",
    "resolution",
    "radar",
    "camera_device_id",
)

type PictureSave = asyncio.Task[SavedPictures | None]


@dataclass(frozen=True, slots=True)
class _Pending:
    read: LoggedRead
    saving: PictureSave | None


class PlateLog:
    """The plate log of every camera: records reads, prunes, and answers the panel's queries."""

    def __init__(
        self, hass: HomeAssistant, known_vehicles: KnownVehicles, history: PictureHistory
    ) -> None:
        """Nothing is opened until the first entry sets up."""
        self._hass = hass
        self._known_vehicles = known_vehicles
        self._history = history
        self._database: PlateLogDatabase | None = None
        self._pending: deque[_Pending] = deque()
        self._writer: asyncio.Task[None] | None = None
        self._indexing: asyncio.Task[None] | None = None
        self._stop_indexing = threading.Event()
        self._cancel_maintenance: CALLBACK_TYPE | None = None
        self._cancel_closing: CALLBACK_TYPE | None = None
        self._cancel_statistics: CALLBACK_TYPE | None = None
        self._statistics: asyncio.Task[None] | None = None
        self._maintenance: asyncio.Task[None] | None = None
        # One warning per kind of failure, then debug lines: a failing disk floods no log.
        self._failure_logs: dict[str, LogOnce] = {}
        # Entries set up (and unload) side by side: one opens the database, the others wait.
        self._opening = asyncio.Lock()
        history.add_prune_listener(self._forget_pictured)

    @property
    def database(self) -> PlateLogDatabase | None:
        """The database, while the plate log is open."""
        return self._database

    async def async_open(self) -> None:
        """Open the database (once), index the picture history of before it, start upkeep."""
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
        self._stop_indexing.clear()
        # Once, on upgrade (the database notes it); the writer waits for it.
        self._indexing = self._hass.async_create_background_task(
            self._async_index_history(database), f"{DOMAIN} plate log indexing"
        )
        self._cancel_maintenance = async_track_time_interval(
            self._hass, self._async_maintain, MAINTENANCE_INTERVAL
        )
        self._cancel_closing = self._hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_FINAL_WRITE, self._async_closing
        )
        # A few minutes after each hour: the reads of the hour before arrived.
        self._cancel_statistics = async_track_utc_time_change(
            self._hass, self._async_add_statistics, minute=5, second=0
        )

    async def async_close(self) -> None:
        """Write the reads still waiting, then close the database."""
        async with self._opening:
            if (database := self._database) is not None:
                await self._async_close(database)

    async def _async_close(self, database: PlateLogDatabase) -> None:
        for cancel in (self._cancel_maintenance, self._cancel_closing, self._cancel_statistics):
            if cancel is not None:
                cancel()
        self._cancel_maintenance = self._cancel_closing = self._cancel_statistics = None
        self._stop_indexing.set()
        for task in (self._indexing, self._writer, self._statistics, self._maintenance):
            if task is not None:
                await asyncio.wait([task])
        self._database = None
        await self._hass.async_add_executor_job(database.close)

    async def _async_closing(self, _event: Event) -> None:
        self._cancel_closing = None  # a listener that fired once is gone already
        await self.async_close()

    @callback
    def async_record(
        self,
        entry: ConfigEntry,
        read: PlateRead,
        match: ReadMatch,
        repeat: bool,
        saving: PictureSave | None,
    ) -> None:
        """Log a read, with the pictures its save (if any) keeps once the save is done."""
        if self._database is None:
            return
        if len(self._pending) >= MAX_PENDING:
            self._failure_log("full")(
                "The plate log is behind by %s reads; reads are lost", MAX_PENDING
            )
            return
        self._pending.append(_Pending(logged_read(entry, read, match, repeat), saving))
        if self._writer is None or self._writer.done():
            self._writer = self._hass.async_create_background_task(
                self._async_write(), f"{DOMAIN} plate log writer"
            )

    async def _async_write(self) -> None:
        """Write the waiting reads, in batches, in arrival order; tell who listens."""
        if self._indexing is not None:
            await asyncio.wait([self._indexing])  # older reads first: they take smaller ids
        while self._pending and (database := self._database) is not None:
            batch = await self._next_batch()
            try:
                stored = await self._hass.async_add_executor_job(database.insert, batch)
            except sqlite3.Error as err:
                self._failure_log("write")("Could not log %s reads: %s", len(batch), err)
                continue
            for logged in stored:
                async_dispatcher_send(self._hass, SIGNAL_READ_LOGGED, logged)

    async def _next_batch(self) -> list[LoggedRead]:
        """The first waiting reads whose saves are done (the first one waited for)."""
        first = self._pending[0].saving
        if first is not None:
            await asyncio.wait([first])
        batch: list[LoggedRead] = []
        while self._pending and len(batch) < MAX_BATCH:
            pending = self._pending[0]
            if pending.saving is not None and not pending.saving.done():
                break
            self._pending.popleft()
            batch.append(_with_pictures(pending.read, _saved(pending.saving)))
        return batch

    async def _async_index_history(self, database: PlateLogDatabase) -> None:
        root = self._history.root
        try:
            added = await self._hass.async_add_executor_job(
                database.index_history, root, self._stop_indexing
            )
        except (OSError, sqlite3.Error) as err:
            self._failure_log("index")("Could not index the picture history %s: %s", root, err)
        else:
            if added:
                LOGGER.info("The plate log took in %s reads of the picture history", added)
        # Now that the log holds the reads of before: the retention, and the hours they add up to.
        self._async_maintain()
        self._async_add_statistics()

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

    @callback
    def _async_maintain(self, _now: datetime | None = None) -> None:
        """Prune in the background, one pass at a time (the close waits for it)."""
        if (database := self._database) is None:
            return
        if self._maintenance is not None and not self._maintenance.done():
            return
        self._maintenance = self._hass.async_create_background_task(
            self._async_prune(database), f"{DOMAIN} plate log maintenance"
        )

    async def _async_prune(self, database: PlateLogDatabase) -> None:
        settings = self._known_vehicles.settings
        keep_from = dt_util.now().date() - timedelta(days=settings.retention_days)
        oldest_kept = dt_util.start_of_local_day(keep_from)
        await self._hass.async_add_executor_job(self._prune, database, oldest_kept, settings)

    def _prune(self, database: PlateLogDatabase, oldest_kept: datetime, settings: Settings) -> None:
        """Rows older than the retention, then the oldest rows over the size limit; analyze."""
        try:
            database.prune_before(oldest_kept)
            limit = settings.max_size_mb * 1024 * 1024
            if (size := database.size) > limit and (count := database.count):
                excess = size - limit * PRUNE_TO
                database.prune_oldest(math.ceil(excess / (size / count)))
            database.analyze()
        except sqlite3.Error as err:
            self._failure_log("prune")("Could not delete old reads of the plate log: %s", err)

    def _forget_pictured(self, picture_reads: list[str]) -> None:
        """The picture history deleted these reads for size (in the executor): so does the log."""
        if (database := self._database) is None:
            return
        try:
            database.prune_pictured(picture_reads)
        except sqlite3.Error as err:
            self._failure_log("prune")("Could not delete old reads of the plate log: %s", err)

    def _failure_log(self, kind: str) -> LogOnce:
        return self._failure_logs.setdefault(kind, LogOnce(LOGGER))


def logged_read(entry: ConfigEntry, read: PlateRead, match: ReadMatch, repeat: bool) -> LoggedRead:
    """The row of a read: its fields, its camera, its match."""
    vehicle = match.vehicle
    fields = read.as_dict()
    details: dict[str, Any] = {key: fields[key] for key in DETAIL_FIELDS}
    details |= {
        "distance": match.distance,
        "ties": list(match.ties),
        "matched_plate": vehicle.plate if vehicle else None,
        "pass_status": None if match.pass_status is None else str(match.pass_status),
    }
    return LoggedRead(
        time=dt_util.as_utc(read.time),
        camera_id=entry.entry_id,
        camera=entry.title,
        plate=read.plate,
        direction=str(read.direction),
        match=match.event_type,
        vehicle_id=vehicle.vehicle_id if vehicle else None,
        vehicle_name=(vehicle.name or None) if vehicle else None,
        list=str(vehicle.plate_list) if vehicle else None,
        authorized=match.authorized if vehicle else None,
        repeat=repeat,
        details=details,
    )


def _saved(saving: PictureSave | None) -> SavedPictures | None:
    """What a finished save answered; None if it saved nothing, failed or was cancelled."""
    if saving is None or saving.cancelled() or saving.exception() is not None:
        return None
    return saving.result()


def _with_pictures(read: LoggedRead, saved: SavedPictures | None) -> LoggedRead:
    if saved is None:
        return read
    return replace(read, picture_read=saved.read, pictures=saved.files)
