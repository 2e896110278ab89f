"""The plate log's database: one SQLite row per read, and the queries the panel asks.

The record of every read: its fields (the columns and details of `read.READ_FIELDS`, under
the same words as the bus event), and the picture files it names. Imports nothing from Home
Assistant: Home Assistant calls it in the executor, the benchmark calls it directly. One
connection, guarded by a lock (WAL mode: a crash loses no committed read). Times are stored as
Unix seconds (UTC); plates also normalised (`plate_key`, see lpr/matching.py: the corrected
plate when a read was corrected), which the filters, the fuzzy search, the plates view and the
visits go by. A visit is a vehicle's arrival and the read that ends it, found among the reads
that changed who is on site (`presence`), by known vehicle or, for the others, by plate.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from ..lpr.matching import distance, normalise
from ..read import Goes, ReadKey, keys

_LOGGER = logging.getLogger(__name__)

SCHEMA_VERSION = 2
# Unset when the picture history of an earlier release (pictures with a .json beside each read)
# is still to be taken into the log; set once it was.
META_HISTORY_INDEXED = "history_indexed"
SIDECAR_SUFFIX = ".json"
# Statistics are counted in quarters of an hour: every time zone's offset is a multiple of it,
# so each quarter falls in one local hour and one local day.
QUARTER = 900
HOUR = 3600
BLOCK = 512  # st_blocks counts blocks of this many bytes
# A search's bounds: the plates it finds at most, the length from which what was typed is a
# whole plate searched fuzzily, and the plates filed last that a fuzzy search compares.
MAX_FOUND = 500
MIN_FUZZY_LENGTH = 5
MAX_FUZZY_CANDIDATES = 20_000
# SQLite's integers are 64-bit: the largest id a read can have.
MAX_READ_ID = 2**63 - 1

COLUMNS = keys(Goes.COLUMN)
DETAILS = keys(Goes.DETAIL)
# Columns that hold a yes or no, and moments (stored as Unix seconds).
_FLAGS = frozenset({ReadKey.AUTHORIZED, ReadKey.REPEAT})
_MOMENTS = frozenset({ReadKey.TIME, ReadKey.FILED_AT})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reads (
    read_id INTEGER PRIMARY KEY,
    plate TEXT NOT NULL,
    corrected_plate TEXT,
    time REAL NOT NULL,
    filed_at REAL NOT NULL,
    camera TEXT NOT NULL,
    config_entry_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    event_type TEXT NOT NULL,
    known_name TEXT,
    known_list TEXT,
    vehicle_id TEXT,
    authorized INTEGER NOT NULL,
    repeat INTEGER NOT NULL,
    presence TEXT,
    passage_id TEXT,
    plate_key TEXT NOT NULL,
    details TEXT NOT NULL,
    folder TEXT,
    pictures TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reads_filed ON reads (filed_at);
-- With event_type: the statistics count from this index alone.
CREATE INDEX IF NOT EXISTS reads_camera_filed ON reads (config_entry_id, filed_at, event_type);
CREATE INDEX IF NOT EXISTS reads_plate_filed ON reads (plate_key, filed_at);
CREATE INDEX IF NOT EXISTS reads_event_type_filed ON reads (event_type, filed_at);
CREATE INDEX IF NOT EXISTS reads_folder ON reads (folder);
CREATE INDEX IF NOT EXISTS reads_passage ON reads (passage_id);
-- A known vehicle's reads by its id, the reads that changed who is on site (the visits, the
-- dwell time) by time. Partial: a read of another kind writes nothing to them.
CREATE INDEX IF NOT EXISTS reads_vehicle ON reads (vehicle_id, read_id)
    WHERE vehicle_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS reads_presence_filed ON reads (filed_at) WHERE presence IS NOT NULL;
-- Every plate the reads hold, normalised, with when it was last filed: what a search looks in.
CREATE TABLE IF NOT EXISTS plate_keys (plate_key TEXT PRIMARY KEY, last_filed REAL NOT NULL)
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS plate_keys_last_filed ON plate_keys (last_filed);
"""
# The columns of a row besides the read's own fields: its id, its plate normalised, its details,
# and where its pictures are.
OWN_COLUMNS = ("read_id", "plate_key", "details", "folder", "pictures")
_SELECT = f"read_id, {', '.join(COLUMNS)}, details, folder, pictures"
_INSERT = (
    f"INSERT INTO reads ({', '.join(COLUMNS)}, plate_key, details, folder, pictures) "  # noqa: S608
    f"VALUES ({', '.join('?' * (len(COLUMNS) + 4))})"
)


class UnusableDatabaseError(Exception):
    """The database file is no plate log this code can use (corrupt, or of a newer schema)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggedRead:
    """One read as the plate log keeps it; `read_id` is 0 until it is stored.

    `fields` are the read's columns and details (times as ISO text); its pictures are the files
    `pictures` names (kind: plate, full, evidence0, ... to file name) in `folder`, relative to
    the pictures' folder.
    """

    read_id: int = 0
    fields: Mapping[str, Any]
    folder: str | None = None
    pictures: dict[str, str] = field(default_factory=dict)

    @property
    def plate(self) -> str:
        """The plate as read."""
        return str(self.fields[ReadKey.PLATE])

    @property
    def plate_key(self) -> str:
        """The plate the site took it for, normalised: the corrected plate, else as read."""
        return normalise(str(self.fields.get(ReadKey.CORRECTED_PLATE) or self.plate))

    @property
    def vehicle_id(self) -> str | None:
        """The known vehicle it matched, if any."""
        vehicle_id = self.fields.get(ReadKey.VEHICLE_ID)
        return None if vehicle_id is None else str(vehicle_id)

    @property
    def filed_at(self) -> datetime:
        """When the log files it (see `read.plausible_time`)."""
        return datetime.fromisoformat(str(self.fields[ReadKey.FILED_AT]))

    def columns(self) -> dict[str, Any]:
        """The fields every list shows."""
        return {key: self.fields.get(key) for key in COLUMNS}

    def details(self) -> dict[str, Any]:
        """The fields one read's view adds, in the table's order."""
        return {key: self.fields.get(key) for key in DETAILS}

    def picture(self, kind: str) -> str | None:
        """The path of one of its pictures, relative to the pictures' folder."""
        name = self.pictures.get(kind)
        return None if name is None or self.folder is None else f"{self.folder}/{name}"

    def picture_paths(self) -> list[str]:
        """The paths of all its pictures, relative to the pictures' folder."""
        return [path for kind in self.pictures if (path := self.picture(kind))]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadFilter:
    """Which reads a list or the plates view takes; None means no limit of that kind.

    `plate` is searched fuzzily (within `tolerance` edits, as reads are matched), `exact_plate`
    compared normalised (a plate's own timeline). Times are inclusive at start, exclusive at end.
    """

    config_entry_ids: Sequence[str] | None = None
    start: datetime | None = None
    end: datetime | None = None
    event_types: Sequence[str] | None = None
    plate: str | None = None
    tolerance: int = 1
    exact_plate: str | None = None

    def admits(self, read: LoggedRead) -> bool:
        """Whether a read is one the filter takes, as the database's queries would find it."""
        fields = read.fields
        plate = read.plate_key
        return (
            (self.config_entry_ids is None or fields["config_entry_id"] in self.config_entry_ids)
            and (self.event_types is None or fields["event_type"] in self.event_types)
            and (self.start is None or read.filed_at >= self.start)
            and (self.end is None or read.filed_at < self.end)
            and (self.exact_plate is None or plate == normalise(self.exact_plate))
            and (self.plate is None or _found(normalise(self.plate), plate, self.tolerance))
        )


@dataclass(frozen=True, slots=True)
class ReadPage:
    """A page of reads, newest first, and the cursor of the next (None: this was the last)."""

    reads: list[LoggedRead]
    next: int | None


@dataclass(frozen=True, slots=True)
class Visit:
    """A vehicle's arrival, and the read that ended it: a departure, or its next arrival.

    `ended` without a `departure`: the vehicle arrived again without being seen leaving.
    """

    arrival: LoggedRead
    departure: LoggedRead | None
    ended: bool

    @property
    def duration(self) -> float | None:
        """Seconds from the arrival to the departure; None without a departure."""
        if self.departure is None:
            return None
        return max((self.departure.filed_at - self.arrival.filed_at).total_seconds(), 0.0)


@dataclass(frozen=True, slots=True)
class VisitPage:
    """A page of visits, newest arrival first, and the cursor of the next (None: the last)."""

    visits: list[Visit]
    next: int | None


@dataclass(frozen=True, slots=True)
class Dwell:
    """How long the visits of a period lasted, in seconds: those with a departure."""

    visits: int
    median: float | None
    mean: float | None


@dataclass(frozen=True, slots=True)
class PlateSummary:
    """A plate seen in a period: how often and when, and its newest read's known vehicle."""

    plate: str
    reads: int
    first_seen: datetime
    last_seen: datetime
    vehicle_id: str | None
    known_name: str | None
    known_list: str | None


@dataclass(frozen=True, slots=True)
class ReadStatistics:
    """Counts of reads since a moment, by camera (its config entry id).

    `hourly` holds (start of the hour in UTC, camera, reads), `daily` (local day, camera,
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
        # Freed pages go back to the file system when pruned (see `allocated`); only a new file
        # takes it here, an older one when it is migrated.
        connection.execute("PRAGMA auto_vacuum=INCREMENTAL")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA analysis_limit=1000")  # ANALYZE samples: fast on any size
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if "meta" in tables:
            version = int(self._meta("schema_version") or 1)
            if version > SCHEMA_VERSION:
                raise UnusableDatabaseError(f"schema {version} is newer than this version knows")
            if version < SCHEMA_VERSION:
                _migrate_from_v1(connection)
        _create_schema(connection)
        self._set_meta("schema_version", str(SCHEMA_VERSION))
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
        """Store reads in one transaction; return them with their ids."""
        stored = []
        with self._transaction() as connection:
            for read in reads:
                values = _values(read)
                cursor = connection.execute(_INSERT, values)
                stored.append(_as_stored(cursor.lastrowid, values))
                _note_plate(connection, read)
        return stored

    def update(self, read: LoggedRead) -> None:
        """Write a stored read's fields anew (a correction of its plate), its pictures kept."""
        values = _values(read)[: len(COLUMNS) + 2]  # the columns, plate_key and details
        with self._transaction() as connection:
            connection.execute(_UPDATE, [*values, read.read_id])
            _note_plate(connection, read)

    def index_history(self, root: Path, stop: threading.Event | None = None) -> int:
        """Log the reads of an earlier release's picture history, once; return how many.

        Each read there is its pictures and a .json beside them. Day by day, each in its own
        transaction, so the log answers meanwhile; a day's .json files are deleted once its
        reads are logged (a read whose pictures a row names already is not logged twice). Told
        to `stop`, it stops after a day; the next indexing goes on from there. At the end the
        reads are numbered in the order they were filed, as the log lists them.
        """
        with self._lock:
            if self._meta(META_HISTORY_INDEXED) is not None:
                return 0
        added = 0
        for camera_dir in _folders(root):
            for day_dir in _folders(camera_dir):
                if stop is not None and stop.is_set():
                    return added
                added += self._index_day(root, day_dir)
        with self._transaction() as connection:
            if added:
                _number_by_time(connection)
            self._set_meta(META_HISTORY_INDEXED, "1")
        self.analyze()
        return added

    def _index_day(self, root: Path, day_dir: Path) -> int:
        folder = day_dir.relative_to(root).as_posix()
        sidecars = _sidecars(day_dir)
        named = {
            name
            for (pictures,) in self._query("SELECT pictures FROM reads WHERE folder = ?", (folder,))
            for name in json.loads(pictures).values()
        }
        reads = [
            read
            for path in sidecars
            if (read := _sidecar_read(folder, path)) is not None
            and not named.intersection(read.pictures.values())
        ]
        with self._transaction() as connection:
            for read in sorted(reads, key=lambda read: read.filed_at):
                connection.execute(_INSERT, _values(read))
                _note_plate(connection, read)
        for path in sidecars:
            path.unlink(missing_ok=True)
        return len(reads)

    def analyze(self) -> None:
        """Tell the query planner how the reads spread over cameras, plates and matches.

        Without it, a filter by camera reads every row of the camera and sorts them, where
        walking the newest reads finds a page at once.
        """
        with self._lock:
            self._connection.execute("ANALYZE")

    # Pruning.

    def oldest(self, limit: int, before: datetime | None = None) -> list[LoggedRead]:
        """The oldest reads (all of them, or those before a moment), oldest first."""
        where, parameters = ("WHERE filed_at < ?", [before.timestamp()]) if before else ("", [])
        rows = self._query(
            f"SELECT {_SELECT} FROM reads {where} ORDER BY filed_at LIMIT ?",  # noqa: S608
            [*parameters, limit],
        )
        return [_logged_read(row) for row in rows]

    def delete(self, read_ids: Sequence[int]) -> int:
        """Delete reads by id; return how many there were."""
        with self._transaction() as connection:
            deleted = int(
                connection.execute(
                    "DELETE FROM reads WHERE read_id IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(read_ids)),),
                ).rowcount
            )
            if deleted:
                connection.execute(
                    "DELETE FROM plate_keys WHERE plate_key NOT IN "
                    "(SELECT DISTINCT plate_key FROM reads)"
                )
        return deleted

    def checkpoint(self) -> None:
        """Move the write-ahead log into the file and empty it: it takes no disk then."""
        with self._lock:
            self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def release_free_pages(self) -> None:
        """Give the pages pruned rows freed back to the file system."""
        with self._lock:
            self._connection.execute("PRAGMA incremental_vacuum")

    @property
    def allocated(self) -> int:
        """Bytes the database takes on disk: its file and its write-ahead log, in whole blocks."""
        total = 0
        for path in (self.path, Path(f"{self.path}-wal")):
            with contextlib.suppress(FileNotFoundError):
                total += path.stat().st_blocks * BLOCK
        return total

    @property
    def count(self) -> int:
        """How many reads the log holds."""
        return int(self._query("SELECT COUNT(*) FROM reads")[0][0])

    # Reading.

    def get(self, read_id: int) -> LoggedRead | None:
        """One read, if it is (still) there."""
        rows = self._query(f"SELECT {_SELECT} FROM reads WHERE read_id = ?", (read_id,))  # noqa: S608
        return _logged_read(rows[0]) if rows else None

    def reads(self, where: ReadFilter, before: int | None = None, limit: int = 50) -> ReadPage:
        """A page of reads, newest first, with ids below `before`."""
        clauses, parameters = self._clauses(where)
        if before is not None:
            clauses.append("read_id < ?")
            parameters.append(before)
        rows = self._query(
            f"SELECT {_SELECT} FROM reads {_where(clauses)} ORDER BY read_id DESC LIMIT ?",  # noqa: S608
            [*parameters, limit + 1],
        )
        reads = [_logged_read(row) for row in rows[:limit]]
        return ReadPage(reads, reads[-1].read_id if len(rows) > limit else None)

    def plates(self, where: ReadFilter, limit: int = 100) -> list[PlateSummary]:
        """The distinct plates (normalised) of the reads, newest last seen first."""
        clauses, parameters = self._clauses(where)
        rows = self._query(
            "SELECT COALESCE(r.corrected_plate, r.plate), g.reads, g.first_seen, g.last_seen, "  # noqa: S608
            "r.vehicle_id, r.known_name, "
            "r.known_list FROM (SELECT MAX(read_id) AS last_id, COUNT(*) AS reads, "
            f"MIN(filed_at) AS first_seen, MAX(filed_at) AS last_seen FROM reads {_where(clauses)} "
            "GROUP BY plate_key ORDER BY last_seen DESC LIMIT ?) AS g "
            "JOIN reads AS r ON r.read_id = g.last_id ORDER BY g.last_seen DESC",
            [*parameters, limit],
        )
        return [
            PlateSummary(plate, count, _moment(first), _moment(last), vehicle_id, name, plate_list)
            for plate, count, first, last, vehicle_id, name, plate_list in rows
        ]

    def by_ids(self, read_ids: Iterable[int]) -> dict[int, LoggedRead]:
        """The reads of these ids that are (still) there."""
        rows = self._query(
            f"SELECT {_SELECT} FROM reads WHERE read_id IN (SELECT value FROM json_each(?))",  # noqa: S608
            (json.dumps(list(read_ids)),),
        )
        return {read.read_id: read for read in map(_logged_read, rows)}

    def arrivals(self, passage_ids: Iterable[str]) -> dict[str, LoggedRead]:
        """The read of each passage that made an arrival, if it is (still) there."""
        rows = self._query(
            f"SELECT {_SELECT} FROM reads WHERE passage_id IN (SELECT value FROM json_each(?)) "  # noqa: S608
            "AND presence = 'arrived'",
            (json.dumps(list(passage_ids)),),
        )
        return {str(read.fields[ReadKey.PASSAGE_ID]): read for read in map(_logged_read, rows)}

    def latest_of(
        self,
        vehicle_id: str | None,
        plate_key: str,
        before: int = MAX_READ_ID,
        presence: str | None = None,
    ) -> LoggedRead | None:
        """The newest read of a vehicle before a read id (with this presence, if given).

        A known vehicle goes by its id, any other by its plate (normalised).
        """
        clauses, parameters = _subject(vehicle_id, plate_key)
        clauses.append("read_id < ?")
        parameters.append(before)
        if presence is not None:
            clauses.append("presence = ?")
            parameters.append(presence)
        rows = self._query(
            f"SELECT {_SELECT} FROM reads {_where(clauses)} ORDER BY read_id DESC LIMIT 1",  # noqa: S608
            parameters,
        )
        return _logged_read(rows[0]) if rows else None

    def visits(
        self, vehicle_id: str | None, plate_key: str, before: int | None = None, limit: int = 50
    ) -> VisitPage:
        """A vehicle's visits, newest arrival first, with arrivals' ids below `before`."""
        clauses, parameters = _subject(vehicle_id, plate_key)
        rows = self._query(
            "SELECT read_id, next_id FROM (SELECT read_id, presence, "  # noqa: S608
            "LEAD(read_id) OVER (ORDER BY read_id) AS next_id FROM reads "
            f"{_where([*clauses, 'presence IS NOT NULL'])}) "
            "WHERE presence = 'arrived' AND read_id < ? ORDER BY read_id DESC LIMIT ?",
            [*parameters, MAX_READ_ID if before is None else before, limit + 1],
        )
        pairs = rows[:limit]
        reads = self.by_ids(read_id for pair in pairs for read_id in pair if read_id is not None)
        visits = []
        for arrival_id, next_id in pairs:
            after = reads.get(next_id) if next_id is not None else None
            departure = (
                after if after is not None and after.fields[ReadKey.PRESENCE] == "left" else None
            )
            visits.append(Visit(reads[arrival_id], departure, ended=next_id is not None))
        return VisitPage(visits, pairs[-1][0] if len(rows) > limit else None)

    def dwell(self, since: datetime, config_entry_ids: Sequence[str] | None = None) -> Dwell:
        """How long the visits that began since a moment lasted (at these cameras, if given).

        The reads that changed who is on site since then, each vehicle's in the order they
        came: an arrival followed by a departure is a visit that ended.
        """
        cameras = ""
        parameters: list[Any] = [since.timestamp()]
        if config_entry_ids is not None:
            cameras = "AND config_entry_id IN (SELECT value FROM json_each(?))"
            parameters.append(json.dumps(list(config_entry_ids)))
        rows = self._query(
            "SELECT MAX(next_filed - filed_at, 0) FROM (SELECT config_entry_id, presence, "  # noqa: S608
            "filed_at, LEAD(presence) OVER moves AS next_presence, "
            "LEAD(filed_at) OVER moves AS next_filed FROM reads "
            "WHERE presence IS NOT NULL AND filed_at >= ? WINDOW moves AS "
            "(PARTITION BY COALESCE(vehicle_id, 'plate:' || plate_key) ORDER BY read_id)) "
            f"WHERE presence = 'arrived' AND next_presence = 'left' {cameras}",
            parameters,
        )
        durations = [duration for (duration,) in rows]
        if not durations:
            return Dwell(0, None, None)
        return Dwell(len(durations), statistics.median(durations), statistics.fmean(durations))

    def search_keys(self, plate: str, tolerance: int) -> list[str]:
        """The plates (normalised) a search finds, at a cost bounded whatever the log holds.

        Every plate that contains what was typed (`4711`, `AB`), at most MAX_FOUND; and, for
        a whole plate (MIN_FUZZY_LENGTH characters or more), those within `tolerance` edits
        as reads are matched, among the MAX_FUZZY_CANDIDATES plates filed last.
        """
        wanted = normalise(plate)
        pattern = "%" + wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found = [
            key
            for (key,) in self._query(
                "SELECT plate_key FROM plate_keys WHERE plate_key LIKE ? ESCAPE '\\' "
                "ORDER BY last_filed DESC LIMIT ?",
                (pattern, MAX_FOUND),
            )
        ]
        if _fuzzy(wanted, tolerance):
            candidates = self._query(
                "SELECT plate_key FROM (SELECT plate_key FROM plate_keys "
                "ORDER BY last_filed DESC LIMIT ?) WHERE length(plate_key) BETWEEN ? AND ?",
                (MAX_FUZZY_CANDIDATES, len(wanted) - tolerance, len(wanted) + tolerance),
            )
            found += [key for (key,) in candidates if distance(wanted, key) <= tolerance]
        return list(dict.fromkeys(found))[:MAX_FOUND]

    def statistics(
        self, since: datetime, zone: tzinfo, config_entry_ids: Sequence[str] | None = None
    ) -> ReadStatistics:
        """Reads per hour (UTC) and per local day by camera, and per local hour of the day."""
        clauses, parameters = self._clauses(
            ReadFilter(config_entry_ids=config_entry_ids, start=since)
        )
        rows = self._query(
            f"SELECT config_entry_id, CAST(filed_at / {QUARTER} AS INTEGER) AS quarter, COUNT(*), "  # noqa: S608
            "SUM(event_type = 'unknown') FROM reads "
            f"{_where(clauses)} GROUP BY config_entry_id, quarter",
            parameters,
        )
        hourly: Counter[tuple[datetime, str]] = Counter()
        daily: Counter[tuple[str, str]] = Counter()
        busiest = [0] * 24
        unknown = 0
        for camera, quarter, count, unknowns in rows:
            start = datetime.fromtimestamp(quarter * QUARTER, UTC)
            local = start.astimezone(zone)
            hourly[start.replace(minute=0), camera] += count
            daily[local.date().isoformat(), camera] += count
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

    def _camera_titles(self, config_entry_ids: set[str]) -> dict[str, str]:
        titles = {}
        for config_entry_id in config_entry_ids:  # one step down the camera's index each
            for (title,) in self._query(
                "SELECT camera FROM reads WHERE config_entry_id = ? ORDER BY filed_at DESC LIMIT 1",
                (config_entry_id,),
            ):
                titles[config_entry_id] = title
        return titles

    def hourly_counts(self, config_entry_id: str, start: datetime, end: datetime) -> list[int]:
        """A camera's reads in each hour from `start` to `end` (both on the hour, UTC)."""
        first = int(start.timestamp()) // HOUR
        counts = [0] * max(int(end.timestamp()) // HOUR - first, 0)
        rows = self._query(
            f"SELECT CAST(filed_at / {HOUR} AS INTEGER) AS hour, COUNT(*) FROM reads "  # noqa: S608
            "WHERE config_entry_id = ? AND filed_at >= ? AND filed_at < ? GROUP BY hour",
            (config_entry_id, start.timestamp(), end.timestamp()),
        )
        for hour, count in rows:
            counts[hour - first] = count
        return counts

    def first_read_time(self, config_entry_id: str) -> datetime | None:
        """When the oldest read of a camera the log holds was taken."""
        [(first,)] = self._query(
            "SELECT MIN(filed_at) FROM reads WHERE config_entry_id = ?", (config_entry_id,)
        )
        return None if first is None else _moment(first)

    # The pictures, as the media browser and the picture entities ask for them.

    def picture_folders(self) -> dict[str, str]:
        """Every folder with pictures (camera/day), with the camera's title at its last read."""
        rows = self._query(
            "SELECT f.folder, r.camera FROM (SELECT folder, MAX(read_id) AS last_id FROM reads "
            "WHERE folder IS NOT NULL GROUP BY folder) AS f "
            "JOIN reads AS r ON r.read_id = f.last_id"
        )
        return dict(rows)

    def in_folder(self, folder: str) -> list[LoggedRead]:
        """The reads whose pictures are in a folder, newest first."""
        rows = self._query(
            f"SELECT {_SELECT} FROM reads WHERE folder = ? ORDER BY read_id DESC",  # noqa: S608
            (folder,),
        )
        return [_logged_read(row) for row in rows]

    def of_passage(self, passage_id: str, limit: int = 20) -> list[LoggedRead]:
        """The reads of one passage (a vehicle through a gate once), first read first."""
        rows = self._query(
            f"SELECT {_SELECT} FROM reads WHERE passage_id = ? ORDER BY read_id LIMIT ?",  # noqa: S608
            (passage_id, limit),
        )
        return [_logged_read(row) for row in rows]

    def latest_pictures(self, config_entry_id: str, limit: int = 20) -> list[LoggedRead]:
        """A camera's newest reads with pictures, newest first."""
        rows = self._query(
            f"SELECT {_SELECT} FROM reads WHERE config_entry_id = ? AND folder IS NOT NULL "  # noqa: S608
            "ORDER BY read_id DESC LIMIT ?",
            (config_entry_id, limit),
        )
        return [_logged_read(row) for row in rows]

    def _clauses(self, where: ReadFilter) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        parameters: list[Any] = []
        if where.config_entry_ids is not None:
            clauses.append("config_entry_id IN (SELECT value FROM json_each(?))")
            parameters.append(json.dumps(list(where.config_entry_ids)))
        if where.start is not None:
            clauses.append("filed_at >= ?")
            parameters.append(where.start.timestamp())
        if where.end is not None:
            clauses.append("filed_at < ?")
            parameters.append(where.end.timestamp())
        if where.event_types is not None:
            clauses.append("event_type IN (SELECT value FROM json_each(?))")
            parameters.append(json.dumps(list(where.event_types)))
        if where.exact_plate is not None:
            clauses.append("plate_key = ?")
            parameters.append(normalise(where.exact_plate))
        if where.plate is not None:
            clauses.append("plate_key IN (SELECT value FROM json_each(?))")
            parameters.append(json.dumps(self.search_keys(where.plate, where.tolerance)))
        return clauses, parameters


def _create_schema(connection: sqlite3.Connection) -> None:
    """The tables and indexes that are missing (statement by statement: within a transaction)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            connection.execute(statement)


def _number_by_time(connection: sqlite3.Connection) -> None:
    """Number the reads anew, 1 upward in the order they were filed (in a transaction).

    The log lists reads by id, newest first. Reads taken in from a picture history get ids after
    the rows already there (an earlier release pruned rows whose pictures it kept), and camera
    by camera: numbered so, they would be listed out of their order.
    """
    connection.execute("CREATE TEMP TABLE numbered (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
    connection.execute(
        "INSERT INTO numbered SELECT read_id, ROW_NUMBER() OVER (ORDER BY filed_at, read_id) "
        "FROM reads"
    )
    # By way of negative ids, so that no id is taken twice on the way.
    connection.execute(
        "UPDATE reads SET read_id = -(SELECT new FROM numbered WHERE old = reads.read_id)"
    )
    connection.execute("UPDATE reads SET read_id = -read_id")
    connection.execute("DROP TABLE numbered")


def _fuzzy(wanted: str, tolerance: int) -> bool:
    """Whether what was typed is a whole plate, searched within the tolerance too."""
    return len(wanted) >= MIN_FUZZY_LENGTH and tolerance > 0


def _found(wanted: str, plate: str, tolerance: int) -> bool:
    """Whether a search for `wanted` finds a plate (both normalised), as `search_keys` does."""
    return wanted in plate or (_fuzzy(wanted, tolerance) and distance(wanted, plate) <= tolerance)


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _subject(vehicle_id: str | None, plate_key: str) -> tuple[list[str], list[Any]]:
    """The reads of one vehicle: a known one by its id, any other by its plate (normalised)."""
    if vehicle_id is not None:
        return ["vehicle_id = ?"], [vehicle_id]
    return ["vehicle_id IS NULL", "plate_key = ?"], [plate_key]


def _values(read: LoggedRead) -> list[Any]:
    fields = read.fields
    values: list[Any] = []
    for key in COLUMNS:
        value = fields.get(key)
        if key in _MOMENTS:
            value = datetime.fromisoformat(str(value)).timestamp()
        elif key in _FLAGS:
            value = bool(value)
        values.append(value)
    return [
        *values,
        read.plate_key,
        json.dumps(read.details(), ensure_ascii=False),
        read.folder,
        json.dumps(read.pictures, ensure_ascii=False),
    ]


def _as_stored(read_id: int | None, values: Sequence[Any]) -> LoggedRead:
    """A read just inserted with `values`, as the database gives it back."""
    if read_id is None:
        raise sqlite3.DatabaseError("no row id for an inserted read")
    plate_key_at = len(COLUMNS)
    return _logged_read([read_id, *values[:plate_key_at], *values[plate_key_at + 1 :]])


def _note_plate(connection: sqlite3.Connection, read: LoggedRead) -> None:
    connection.execute(
        "INSERT INTO plate_keys VALUES (?, ?) ON CONFLICT (plate_key) "
        "DO UPDATE SET last_filed = max(last_filed, excluded.last_filed)",
        (read.plate_key, read.filed_at.timestamp()),
    )


def _moment(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def _logged_read(row: Sequence[Any]) -> LoggedRead:
    read_id, *values = row[: len(COLUMNS) + 1]
    details, folder, pictures = row[len(COLUMNS) + 1 :]
    columns = dict(zip(COLUMNS, values, strict=True))
    for key in _MOMENTS:
        columns[key] = _moment(columns[key]).isoformat()
    for key in _FLAGS:
        columns[key] = bool(columns[key])
    stored_details = json.loads(details)
    fields: dict[str, Any] = {
        key: columns[key] if key in columns else stored_details.get(key)
        for key in keys(Goes.COLUMN | Goes.DETAIL)
    }
    return LoggedRead(read_id=read_id, fields=fields, folder=folder, pictures=json.loads(pictures))


# An earlier release's plate log: its columns and details named otherwise, pictures by path.


def _migrate_from_v1(connection: sqlite3.Connection) -> None:
    """Move the rows of schema 1 into the words of today, in one transaction."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute("ALTER TABLE reads RENAME TO reads_v1")
        for index in ("reads_time", "reads_camera_time", "reads_plate_time", "reads_match_time"):
            connection.execute(f"DROP INDEX IF EXISTS {index}")
        connection.execute("DROP TABLE plate_keys")
        _create_schema(connection)
        rows = connection.execute(
            "SELECT id, time, camera_id, camera, plate, direction, match, vehicle_id, "
            "vehicle_name, list, authorized, repeat, details, pictures FROM reads_v1"
        )
        for row in rows.fetchall():
            connection.execute(_INSERT_WITH_ID, [row[0], *_values(_v1_read(row))])
        connection.execute("DROP TABLE reads_v1")
        connection.execute(
            "INSERT INTO plate_keys SELECT plate_key, MAX(filed_at) FROM reads GROUP BY plate_key"
        )
        # Reads whose pictures an earlier release kept but whose rows it pruned: taken in again.
        connection.execute("DELETE FROM meta WHERE key = ?", (META_HISTORY_INDEXED,))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("VACUUM")  # auto_vacuum takes effect on an existing file only so


_UPDATE = (
    f"UPDATE reads SET {', '.join(f'{key} = ?' for key in COLUMNS)}, plate_key = ?, "  # noqa: S608
    "details = ? WHERE read_id = ?"
)
_INSERT_WITH_ID = _INSERT.replace("INSERT INTO reads (", "INSERT INTO reads (read_id, ").replace(
    "VALUES (", "VALUES (?, "
)
_V1_DETAILS = {"distance": ReadKey.MATCH_DISTANCE, "ties": ReadKey.MATCH_TIES}


def _v1_read(row: Sequence[Any]) -> LoggedRead:
    (_, timestamp, camera_id, camera, plate, direction, match, vehicle_id, vehicle_name) = row[:9]
    plate_list, authorized, repeat, details, pictures = row[9:]
    paths: dict[str, str] = json.loads(pictures)
    folders = {path.rpartition("/")[0] for path in paths.values()}
    return LoggedRead(
        fields={
            **{_V1_DETAILS.get(key, key): value for key, value in json.loads(details).items()},
            ReadKey.PLATE: plate,
            ReadKey.TIME: _moment(timestamp).isoformat(),
            ReadKey.FILED_AT: _moment(timestamp).isoformat(),
            ReadKey.CAMERA: camera,
            ReadKey.CONFIG_ENTRY_ID: camera_id,
            ReadKey.DIRECTION: direction,
            ReadKey.EVENT_TYPE: match,
            ReadKey.KNOWN_NAME: vehicle_name,
            ReadKey.KNOWN_LIST: plate_list,
            ReadKey.VEHICLE_ID: vehicle_id,
            ReadKey.AUTHORIZED: bool(authorized),
            ReadKey.REPEAT: bool(repeat),
        },
        folder=folders.pop() if len(folders) == 1 else None,
        pictures={kind: path.rpartition("/")[2] for kind, path in paths.items()},
    )


# An earlier release's picture history: <root>/<camera>/<day>/<stem>.json beside its pictures.


def _folders(path: Path) -> list[Path]:
    try:
        with os.scandir(path) as entries:
            return sorted(Path(e.path) for e in entries if e.is_dir(follow_symlinks=False))
    except (FileNotFoundError, NotADirectoryError):
        return []


def _sidecars(day_dir: Path) -> list[Path]:
    try:
        return [path for path in day_dir.iterdir() if path.suffix == SIDECAR_SUFFIX]
    except OSError:
        return []


def _sidecar_read(folder: str, path: Path) -> LoggedRead | None:
    """The read a .json describes (in the bus event's words); None for a file that is none."""
    try:
        data = json.loads(path.read_bytes())
        taken = datetime.fromisoformat(str(data[ReadKey.TIME]))
        if taken.tzinfo is None:
            taken = taken.replace(tzinfo=UTC)
        camera_dir = path.parent.parent.name
        fields: dict[str, Any] = {key: data.get(key) for key in keys(Goes.COLUMN | Goes.DETAIL)}
        return LoggedRead(
            fields=fields
            | {
                ReadKey.PLATE: str(data[ReadKey.PLATE]),
                ReadKey.TIME: taken.isoformat(),
                ReadKey.FILED_AT: taken.isoformat(),
                ReadKey.CAMERA: str(data.get(ReadKey.CAMERA) or camera_dir),
                ReadKey.CONFIG_ENTRY_ID: str(data.get(ReadKey.CONFIG_ENTRY_ID) or camera_dir),
                ReadKey.DIRECTION: str(data.get(ReadKey.DIRECTION) or "unknown"),
                ReadKey.EVENT_TYPE: str(data.get(ReadKey.EVENT_TYPE) or "unknown"),
            },
            folder=folder,
            pictures={str(kind): str(name) for kind, name in dict(data.get("files", {})).items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
