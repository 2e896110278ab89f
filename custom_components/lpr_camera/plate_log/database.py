"""The plate log's database: one SQLite row per read, and the queries the panel asks.

Imports nothing from Home Assistant: Home Assistant calls it in the executor, the benchmark
calls it directly. One connection, guarded by a lock (WAL mode: a crash loses no committed
read). Times are stored as Unix seconds (UTC); plates also normalised (`plate_key`, see
lpr/matching.py), which the filters, the fuzzy search and the plates view go by.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from ..lpr.matching import distance, normalise

_LOGGER = logging.getLogger(__name__)

SCHEMA_VERSION = 1
# Set once the picture history of before the plate log was indexed (on upgrade).
META_HISTORY_INDEXED = "history_indexed"
SIDECAR_SUFFIX = ".json"
# Statistics are counted in quarters of an hour: every time zone's offset is a multiple of it,
# so each quarter falls in one local hour and one local day.
QUARTER = 900
HOUR = 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reads (
    id INTEGER PRIMARY KEY,
    time REAL NOT NULL,
    camera_id TEXT NOT NULL,
    camera TEXT NOT NULL,
    plate TEXT NOT NULL,
    plate_key TEXT NOT NULL,
    direction TEXT NOT NULL,
    match TEXT NOT NULL,
    vehicle_id TEXT,
    vehicle_name TEXT,
    list TEXT,
    authorized INTEGER,
    repeat INTEGER NOT NULL,
    details TEXT NOT NULL,
    picture_read TEXT UNIQUE,
    pictures TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reads_time ON reads (time);
-- With match: the statistics count from this index alone.
CREATE INDEX IF NOT EXISTS reads_camera_time ON reads (camera_id, time, match);
CREATE INDEX IF NOT EXISTS reads_plate_time ON reads (plate_key, time);
CREATE INDEX IF NOT EXISTS reads_match_time ON reads (match, time);
CREATE TABLE IF NOT EXISTS plate_keys (plate_key TEXT PRIMARY KEY) WITHOUT ROWID;
"""
_COLUMNS = (
    "id, time, camera_id, camera, plate, direction, match, vehicle_id, vehicle_name, list, "
    "authorized, repeat, details, picture_read, pictures"
)
_INSERT = (
    "INSERT {conflict} INTO reads (time, camera_id, camera, plate, plate_key, direction, match, "
    "vehicle_id, vehicle_name, list, authorized, repeat, details, picture_read, pictures) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class UnusableDatabaseError(Exception):
    """The database file is no plate log this code can use (corrupt, or of a newer schema)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggedRead:
    """One read as the plate log keeps it; `id` is 0 until it is stored.

    `picture_read` names the read's pictures in the picture history ("camera/day/stem"),
    `pictures` maps each kind (plate, full, evidence0, ...) to its path relative to the
    history's folder; `details` holds the read's other fields and its match distance.
    """

    id: int = 0
    time: datetime
    camera_id: str
    camera: str
    plate: str
    direction: str
    match: str
    vehicle_id: str | None = None
    vehicle_name: str | None = None
    list: str | None = None
    authorized: bool | None = None
    repeat: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    picture_read: str | None = None
    pictures: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The fields the panel shows (pictures apart: they need signed URLs)."""
        return {
            "id": self.id,
            "time": self.time.isoformat(),
            "camera_id": self.camera_id,
            "camera": self.camera,
            "plate": self.plate,
            "direction": self.direction,
            "match": self.match,
            "vehicle_id": self.vehicle_id,
            "vehicle_name": self.vehicle_name,
            "list": self.list,
            "authorized": self.authorized,
            "repeat": self.repeat,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadFilter:
    """Which reads a list or the plates view takes; None means no limit of that kind.

    `plate` is searched fuzzily (within `tolerance` edits, as reads are matched), `exact_plate`
    compared normalised (a plate's own timeline). Times are inclusive at start, exclusive at end.
    """

    camera_ids: Sequence[str] | None = None
    start: datetime | None = None
    end: datetime | None = None
    match: Sequence[str] | None = None
    plate: str | None = None
    tolerance: int = 1
    exact_plate: str | None = None


@dataclass(frozen=True, slots=True)
class ReadPage:
    """A page of reads, newest first, and the cursor of the next (None: this was the last)."""

    reads: list[LoggedRead]
    next: int | None


@dataclass(frozen=True, slots=True)
class PlateSummary:
    """A plate seen in a period: how often and when, and its newest read's known vehicle."""

    plate: str
    reads: int
    first_seen: datetime
    last_seen: datetime
    vehicle_id: str | None
    vehicle_name: str | None
    list: str | None


@dataclass(frozen=True, slots=True)
class ReadStatistics:
    """Counts of reads since a moment, by camera.

    `hourly` holds (start of the hour in UTC, camera id, reads), `daily` (local day, camera id,
    reads), `busiest_hours` the reads of each local hour of the day (24 numbers), `titles` each
    camera's title at its last read (a camera removed since has no other).
    """

    hourly: list[tuple[datetime, str, int]]
    daily: list[tuple[str, str, int]]
    reads: int
    unknown: int
    busiest_hours: list[int]
    titles: dict[str, str]


class PlateLogDatabase:
    """The plate log's SQLite file: open it, write reads, ask it, prune it."""

    def __init__(self, path: Path) -> None:
        """Open (or create) the database; UnusableDatabaseError if the file is none of ours."""
        self.path = path
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            self._prepare()
        except sqlite3.DatabaseError as err:
            self._connection.close()
            raise UnusableDatabaseError(str(err)) from err
        except UnusableDatabaseError:
            self._connection.close()
            raise

    @classmethod
    def open_or_replace(cls, path: Path) -> PlateLogDatabase:
        """Open the database; an unusable file is kept aside (logged) and a fresh one started."""
        try:
            return cls(path)
        except UnusableDatabaseError as err:
            aside = path.with_name(f"{path.name}.unusable-{int(time.time())}")
            _LOGGER.error(  # noqa: TRY400 - the reason is the message, no traceback needed
                "The plate log %s cannot be used (%s); it is kept as %s and a new one is started",
                path,
                err,
                aside,
            )
            path.replace(aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return cls(path)

    def _prepare(self) -> None:
        connection = self._connection
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA analysis_limit=1000")  # ANALYZE samples: fast on any size
        connection.executescript(_SCHEMA)
        version = self._meta("schema_version")
        if version is None:
            self._set_meta("schema_version", str(SCHEMA_VERSION))
        elif int(version) > SCHEMA_VERSION:
            raise UnusableDatabaseError(f"schema {version} is newer than this version knows")
        # A truncated or damaged file often opens; the first look at its pages fails.
        if (check := connection.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
            raise UnusableDatabaseError(check)

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed into the file)."""
        with self._lock:
            self._connection.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    def _meta(self, key: str) -> str | None:
        row = self._connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self._connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value)
        )

    # Writing.

    def insert(self, reads: Iterable[LoggedRead]) -> list[LoggedRead]:
        """Store reads in one transaction; return them with their ids.

        A read whose pictures the log already holds (indexed from the picture history while
        the read was saved) takes that row's place.
        """
        stored = []
        with self._transaction() as connection:
            for read in reads:
                cursor = connection.execute(_INSERT.format(conflict="OR REPLACE"), _values(read))
                stored.append(_with_id(read, cursor.lastrowid))
                _note_plate(connection, read.plate)
        return stored

    def index_history(self, root: Path, stop: threading.Event | None = None) -> int:
        """Log the reads of the picture history's sidecars, once; return how many were new.

        Day by day, each in its own transaction, so the log answers meanwhile. Told to `stop`,
        it stops after a day; a sidecar already logged is left alone, so the next indexing
        goes on where this one stopped.
        """
        if self.history_indexed:
            return 0
        added = 0
        for camera_dir in _folders(root):
            for day_dir in _folders(camera_dir):
                if stop is not None and stop.is_set():
                    return added
                reads = sorted(_sidecar_reads(root, day_dir), key=lambda read: read.time)
                with self._transaction() as connection:
                    for read in reads:
                        sql = _INSERT.format(conflict="OR IGNORE")
                        added += connection.execute(sql, _values(read)).rowcount
                        _note_plate(connection, read.plate)
        with self._lock:
            self._set_meta(META_HISTORY_INDEXED, "1")
        self.analyze()
        return added

    def analyze(self) -> None:
        """Tell the query planner how the reads spread over cameras, plates and matches.

        Without it, a filter by camera reads every row of the camera and sorts them, where
        walking the newest reads finds a page at once.
        """
        with self._lock:
            self._connection.execute("ANALYZE")

    @property
    def history_indexed(self) -> bool:
        """Whether the picture history of before the plate log was indexed."""
        with self._lock:
            return self._meta(META_HISTORY_INDEXED) is not None

    # Pruning: each returns the rows deleted.

    def prune_before(self, moment: datetime) -> int:
        """Delete the reads older than `moment`."""
        return self._delete("time < ?", (moment.timestamp(),))

    def prune_pictured(self, picture_reads: Sequence[str]) -> int:
        """Delete the reads whose pictures the picture history deleted ("camera/day/stem")."""
        return self._delete(
            "picture_read IN (SELECT value FROM json_each(?))", (json.dumps(picture_reads),)
        )

    def prune_oldest(self, count: int) -> int:
        """Delete the `count` oldest reads."""
        return self._delete("id IN (SELECT id FROM reads ORDER BY id LIMIT ?)", (max(count, 0),))

    def _delete(self, where: str, parameters: Sequence[Any]) -> int:
        with self._transaction() as connection:
            deleted = connection.execute(f"DELETE FROM reads WHERE {where}", parameters).rowcount  # noqa: S608 - our own fixed clauses
            if deleted:
                connection.execute(
                    "DELETE FROM plate_keys WHERE plate_key NOT IN "
                    "(SELECT DISTINCT plate_key FROM reads)"
                )
        return int(deleted)

    @property
    def size(self) -> int:
        """Bytes the rows take (pages in use; the file keeps freed pages for new rows)."""
        with self._lock:
            connection = self._connection
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            free = connection.execute("PRAGMA freelist_count").fetchone()[0]
            page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        return int((pages - free) * page_size)

    @property
    def count(self) -> int:
        """How many reads the log holds."""
        return int(self._query("SELECT COUNT(*) FROM reads")[0][0])

    # Reading.

    def get(self, read_id: int) -> LoggedRead | None:
        """One read, if it is (still) there."""
        rows = self._query(f"SELECT {_COLUMNS} FROM reads WHERE id = ?", (read_id,))  # noqa: S608
        return _logged_read(rows[0]) if rows else None

    def reads(self, where: ReadFilter, before: int | None = None, limit: int = 50) -> ReadPage:
        """A page of reads, newest first, with ids below `before`."""
        clauses, parameters = self._clauses(where)
        if before is not None:
            clauses.append("id < ?")
            parameters.append(before)
        rows = self._query(
            f"SELECT {_COLUMNS} FROM reads {_where(clauses)} ORDER BY id DESC LIMIT ?",  # noqa: S608
            [*parameters, limit + 1],
        )
        reads = [_logged_read(row) for row in rows[:limit]]
        return ReadPage(reads, reads[-1].id if len(rows) > limit else None)

    def plates(self, where: ReadFilter, limit: int = 100) -> list[PlateSummary]:
        """The distinct plates (normalised) of the reads, newest last seen first."""
        clauses, parameters = self._clauses(where)
        rows = self._query(
            "SELECT r.plate, g.reads, g.first_seen, g.last_seen, r.vehicle_id, r.vehicle_name, "  # noqa: S608
            "r.list FROM (SELECT MAX(id) AS last_id, COUNT(*) AS reads, MIN(time) AS first_seen, "
            f"MAX(time) AS last_seen FROM reads {_where(clauses)} GROUP BY plate_key "
            "ORDER BY last_seen DESC LIMIT ?) AS g JOIN reads AS r ON r.id = g.last_id "
            "ORDER BY g.last_seen DESC",
            [*parameters, limit],
        )
        return [
            PlateSummary(plate, count, _moment(first), _moment(last), vehicle_id, name, plate_list)
            for plate, count, first, last, vehicle_id, name, plate_list in rows
        ]

    def fuzzy_keys(self, plate: str, tolerance: int) -> list[str]:
        """The normalised plates of the log within `tolerance` edits of `plate`."""
        wanted = normalise(plate)
        keys = [row[0] for row in self._query("SELECT plate_key FROM plate_keys")]
        return [
            key
            for key in keys
            if abs(len(key) - len(wanted)) <= tolerance and distance(wanted, key) <= tolerance
        ]

    def statistics(
        self, since: datetime, zone: tzinfo, camera_ids: Sequence[str] | None = None
    ) -> ReadStatistics:
        """Reads per hour (UTC) and per local day by camera, and per local hour of the day."""
        clauses, parameters = self._clauses(ReadFilter(camera_ids=camera_ids, start=since))
        rows = self._query(
            f"SELECT camera_id, CAST(time / {QUARTER} AS INTEGER) AS quarter, COUNT(*), "  # noqa: S608
            f"SUM(match = 'unknown') FROM reads {_where(clauses)} GROUP BY camera_id, quarter",
            parameters,
        )
        hourly: Counter[tuple[datetime, str]] = Counter()
        daily: Counter[tuple[str, str]] = Counter()
        busiest = [0] * 24
        unknown = 0
        for camera_id, quarter, count, unknowns in rows:
            start = datetime.fromtimestamp(quarter * QUARTER, UTC)
            local = start.astimezone(zone)
            hourly[start.replace(minute=0), camera_id] += count
            daily[local.date().isoformat(), camera_id] += count
            busiest[local.hour] += count
            unknown += unknowns
        return ReadStatistics(
            hourly=[(hour, camera, count) for (hour, camera), count in sorted(hourly.items())],
            daily=[(day, camera, count) for (day, camera), count in sorted(daily.items())],
            reads=sum(busiest),
            unknown=unknown,
            busiest_hours=busiest,
            titles=self._camera_titles({camera for _, camera in daily}),
        )

    def _camera_titles(self, camera_ids: set[str]) -> dict[str, str]:
        titles = {}
        for camera_id in camera_ids:  # one step down the camera's index each
            for (title,) in self._query(
                "SELECT camera FROM reads WHERE camera_id = ? ORDER BY time DESC LIMIT 1",
                (camera_id,),
            ):
                titles[camera_id] = title
        return titles

    def hourly_counts(self, camera_id: str, start: datetime, end: datetime) -> list[int]:
        """A camera's reads in each hour from `start` to `end` (both on the hour, UTC)."""
        first = int(start.timestamp()) // HOUR
        counts = [0] * max(int(end.timestamp()) // HOUR - first, 0)
        rows = self._query(
            f"SELECT CAST(time / {HOUR} AS INTEGER) AS hour, COUNT(*) FROM reads "  # noqa: S608
            "WHERE camera_id = ? AND time >= ? AND time < ? GROUP BY hour",
            (camera_id, start.timestamp(), end.timestamp()),
        )
        for hour, count in rows:
            counts[hour - first] = count
        return counts

    def first_read_time(self, camera_id: str) -> datetime | None:
        """When the oldest read of a camera the log holds was taken."""
        [(first,)] = self._query("SELECT MIN(time) FROM reads WHERE camera_id = ?", (camera_id,))
        return None if first is None else _moment(first)

    def _clauses(self, where: ReadFilter) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        parameters: list[Any] = []
        if where.camera_ids is not None:
            clauses.append("camera_id IN (SELECT value FROM json_each(?))")
            parameters.append(json.dumps(list(where.camera_ids)))
        if where.start is not None:
            clauses.append("time >= ?")
            parameters.append(where.start.timestamp())
        if where.end is not None:
            clauses.append("time < ?")
            parameters.append(where.end.timestamp())
        if where.match is not None:
            clauses.append("match IN (SELECT value FROM json_each(?))")
            parameters.append(json.dumps(list(where.match)))
        if where.exact_plate is not None:
            clauses.append("plate_key = ?")
            parameters.append(normalise(where.exact_plate))
        if where.plate is not None:
            clauses.append("plate_key IN (SELECT value FROM json_each(?))")
            parameters.append(json.dumps(self.fuzzy_keys(where.plate, where.tolerance)))
        return clauses, parameters


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _values(read: LoggedRead) -> tuple[Any, ...]:
    return (
        read.time.timestamp(),
        read.camera_id,
        read.camera,
        read.plate,
        normalise(read.plate),
        read.direction,
        read.match,
        read.vehicle_id,
        read.vehicle_name,
        read.list,
        read.authorized,
        read.repeat,
        json.dumps(read.details, ensure_ascii=False),
        read.picture_read,
        json.dumps(read.pictures, ensure_ascii=False),
    )


def _with_id(read: LoggedRead, read_id: int | None) -> LoggedRead:
    if read_id is None:
        raise sqlite3.DatabaseError("no row id for an inserted read")
    return replace(read, id=read_id)


def _note_plate(connection: sqlite3.Connection, plate: str) -> None:
    connection.execute("INSERT OR IGNORE INTO plate_keys VALUES (?)", (normalise(plate),))


def _moment(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def _logged_read(row: Sequence[Any]) -> LoggedRead:
    (
        read_id,
        timestamp,
        camera_id,
        camera,
        plate,
        direction,
        match,
        vehicle_id,
        vehicle_name,
        plate_list,
        authorized,
        repeat,
        details,
        picture_read,
        pictures,
    ) = row
    return LoggedRead(
        id=read_id,
        time=_moment(timestamp),
        camera_id=camera_id,
        camera=camera,
        plate=plate,
        direction=direction,
        match=match,
        vehicle_id=vehicle_id,
        vehicle_name=vehicle_name,
        list=plate_list,
        authorized=None if authorized is None else bool(authorized),
        repeat=bool(repeat),
        details=json.loads(details),
        picture_read=picture_read,
        pictures=json.loads(pictures),
    )


# Indexing the picture history: <root>/<camera>/<day>/<stem>.json beside its pictures.


def _folders(path: Path) -> list[Path]:
    try:
        with os.scandir(path) as entries:
            return sorted(Path(e.path) for e in entries if e.is_dir(follow_symlinks=False))
    except (FileNotFoundError, NotADirectoryError):
        return []


def _sidecar_reads(root: Path, day_dir: Path) -> Iterator[LoggedRead]:
    try:
        sidecars = [path for path in day_dir.iterdir() if path.suffix == SIDECAR_SUFFIX]
    except OSError:
        return
    for path in sidecars:
        if (read := _sidecar_read(root, path)) is not None:
            yield read


def _sidecar_read(root: Path, path: Path) -> LoggedRead | None:
    """The read a sidecar describes; None for a file that is not one (left out, not fatal)."""
    try:
        data = json.loads(path.read_bytes())
        folder = path.parent.relative_to(root).as_posix()
        taken = datetime.fromisoformat(str(data["time"]))
        if taken.tzinfo is None:
            taken = taken.replace(tzinfo=UTC)
        known_list = data.get("known_list")
        return LoggedRead(
            time=taken,
            camera_id=str(data.get("config_entry_id") or path.parent.parent.name),
            camera=str(data.get("camera") or path.parent.parent.name),
            plate=str(data["plate"]),
            direction=str(data.get("direction") or "unknown"),
            match=str(data.get("event_type") or "unknown"),
            vehicle_name=data.get("known_name"),
            list=known_list,
            authorized=bool(data.get("authorized")) if known_list else None,
            details={"distance": data.get("match_distance")},
            picture_read=f"{folder}/{path.stem}",
            pictures={
                str(kind): f"{folder}/{name}" for kind, name in dict(data.get("files", {})).items()
            },
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
