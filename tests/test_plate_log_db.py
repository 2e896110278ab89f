"""The plate log's database on its own: filters, fuzzy search, paging, pruning, indexing, faults."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from custom_components.lpr_camera.plate_log import database as database_module
from custom_components.lpr_camera.plate_log.database import (
    OWN_COLUMNS,
    SCHEMA_VERSION,
    LoggedRead,
    PlateLogDatabase,
    ReadFilter,
)
from custom_components.lpr_camera.read import Goes, keys

NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def logged(plate: str, minutes: int = 0, camera: str = "gate", **fields: object) -> LoggedRead:
    """A read `minutes` after NOON, as the plate log stores it; `folder` and `pictures` apart."""
    folder = fields.pop("folder", None)
    pictures = fields.pop("pictures", {})
    at = (NOON + timedelta(minutes=minutes)).isoformat()
    values: dict[str, object] = {
        "plate": plate,
        "time": at,
        "filed_at": at,
        "config_entry_id": camera,
        "camera": camera.title(),
        "direction": "approaching",
        "event_type": "unknown",
        "authorized": False,
        "repeat": False,
    }
    return LoggedRead(fields=values | fields, folder=folder, pictures=pictures)  # type: ignore[arg-type]


@pytest.fixture
def database(tmp_path: Path) -> PlateLogDatabase:
    return PlateLogDatabase.open_or_replace(tmp_path / "plate_log.db")


def plates(database: PlateLogDatabase, where: ReadFilter, limit: int = 50) -> list[str]:
    return [read.plate for read in database.reads(where, limit=limit).reads]


def test_the_rows_columns_are_the_read_tables(database: PlateLogDatabase) -> None:
    """A field the read table puts in a column has one, under its own word; no other has."""
    with sqlite3.connect(database.path) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(reads)")]
    connection.close()
    assert sorted(columns) == sorted([*keys(Goes.COLUMN), *OWN_COLUMNS])


def test_reads_come_back_newest_first_with_every_field(database: PlateLogDatabase) -> None:
    [first] = database.insert([logged("AB123CD", speed=30.0, match_distance=None)])
    [second] = database.insert(
        [
            logged(
                "XY 987",
                minutes=1,
                event_type="known",
                vehicle_id="v1",
                known_name="Anna's car",
                known_list="allow",
                authorized=True,
                repeat=True,
                presence="arrived",
                match_distance=0.5,
                folder="gate/2026-11-26",
                pictures={"plate": "040100_XY987_plate.jpg"},
            )
        ]
    )

    assert second.read_id > first.read_id
    page = database.reads(ReadFilter())
    assert page.reads == [second, first]
    assert page.next is None
    assert database.get(first.read_id) == first
    assert first.details()["speed"] == 30.0
    assert list(first.details()) == list(keys(Goes.DETAIL))
    assert second.columns() == {
        "plate": "XY 987",
        "corrected_plate": None,
        "time": "2026-11-26T12:01:00+00:00",
        "filed_at": "2026-11-26T12:01:00+00:00",
        "camera": "Gate",
        "config_entry_id": "gate",
        "direction": "approaching",
        "event_type": "known",
        "known_name": "Anna's car",
        "known_list": "allow",
        "vehicle_id": "v1",
        "authorized": True,
        "repeat": True,
        "presence": "arrived",
        "passage_id": None,
    }
    assert second.details()["match_distance"] == 0.5
    assert second.picture("plate") == "gate/2026-11-26/040100_XY987_plate.jpg"
    assert second.picture("full") is None
    assert database.get(12345) is None


def test_filters(database: PlateLogDatabase) -> None:
    database.insert(
        [
            logged("AAA1", 0, "gate", event_type="known"),
            logged("BBB2", 10, "garage", event_type="unknown"),
            logged("CCC3", 20, "gate", event_type="denied"),
            logged("AAA 1", 30, "garage", event_type="known"),
        ]
    )

    assert plates(database, ReadFilter(config_entry_ids=["gate"])) == ["CCC3", "AAA1"]
    assert plates(database, ReadFilter(config_entry_ids=[])) == []
    known_or_denied = ReadFilter(event_types=["known", "denied"])
    assert plates(database, known_or_denied) == ["AAA 1", "CCC3", "AAA1"]
    start, end = NOON + timedelta(minutes=10), NOON + timedelta(minutes=30)
    assert plates(database, ReadFilter(start=start, end=end)) == ["CCC3", "BBB2"]
    assert plates(database, ReadFilter(exact_plate="aaa-1")) == ["AAA 1", "AAA1"]
    assert plates(database, ReadFilter(exact_plate="AAA1", config_entry_ids=["gate"])) == ["AAA1"]


def test_fuzzy_search_finds_what_ocr_misread(database: PlateLogDatabase) -> None:
    """AB123CD finds A8123CD (8 for B, half an edit) and AB-123-CD, not AB999CD."""
    database.insert(
        [logged("A8123CD"), logged("AB-123-CD", 1), logged("AB999CD", 2), logged("ZZ1", 3)]
    )

    assert plates(database, ReadFilter(plate="AB123CD")) == ["AB-123-CD", "A8123CD"]
    assert plates(database, ReadFilter(plate="AB123CD", tolerance=0)) == ["AB-123-CD"]
    assert plates(database, ReadFilter(plate="ab 123 cd")) == ["AB-123-CD", "A8123CD"]
    assert plates(database, ReadFilter(plate="QQ000QQ")) == []


def test_a_part_of_a_plate_finds_every_plate_containing_it(database: PlateLogDatabase) -> None:
    """4711 finds B-XY 4711 and 4711 AB, not 4712: a part is searched as it is, no OCR slips."""
    database.insert(
        [logged("B-XY 4711"), logged("4711 AB", 1), logged("B-XY 4712", 2), logged("AB 99", 3)]
    )

    assert plates(database, ReadFilter(plate="4711")) == ["4711 AB", "B-XY 4711"]
    assert plates(database, ReadFilter(plate="ab")) == ["AB 99", "4711 AB"]
    assert plates(database, ReadFilter(plate="%")) == []  # no wildcard of SQL's


def test_a_search_costs_a_bounded_amount(
    database: PlateLogDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fuzzy search compares the plates filed last only; a search finds at most so many."""
    monkeypatch.setattr(database_module, "MAX_FUZZY_CANDIDATES", 2)
    monkeypatch.setattr(database_module, "MAX_FOUND", 3)
    database.insert(
        [logged("A8123CD", 0), logged("AB123CE", 1), logged("AB123CF", 2)]
        + [logged(f"P{number}", 3 + number) for number in range(5)]
    )

    # A8123CD was filed before the 2 plates filed last (P3, P4): out of a fuzzy search's reach,
    # still found by its exact writing, and by a part of it.
    assert plates(database, ReadFilter(plate="AB123CD")) == []
    assert plates(database, ReadFilter(plate="A8123CD")) == ["A8123CD"]
    assert len(plates(database, ReadFilter(plate="P"))) == 3


def test_a_filter_admits_a_read_as_its_query_finds_it(database: PlateLogDatabase) -> None:
    """The live list takes a new read only if the list's query would find it."""
    [read] = database.insert([logged("B-XY 4711", event_type="known")])

    for where, admitted in (
        (ReadFilter(), True),
        (ReadFilter(plate="4711"), True),
        (ReadFilter(plate="BXY 47I1"), True),  # a whole plate with an OCR slip
        (ReadFilter(plate="BXY 47I1", tolerance=0), False),
        (ReadFilter(plate="4712"), False),
        (ReadFilter(exact_plate="bxy4711"), True),
        (ReadFilter(config_entry_ids=["garage"]), False),
        (ReadFilter(event_types=["unknown"]), False),
        (ReadFilter(start=NOON + timedelta(minutes=1)), False),
        (ReadFilter(end=NOON + timedelta(minutes=1)), True),
    ):
        assert where.admits(read) is admitted, where
        assert bool(database.reads(where).reads) is admitted, where


def test_paging_by_id_cursor(database: PlateLogDatabase) -> None:
    database.insert([logged(f"P{number}", number) for number in range(7)])

    seen = []
    before = None
    pages = 0
    while True:
        page = database.reads(ReadFilter(), before=before, limit=3)
        seen += [read.plate for read in page.reads]
        pages += 1
        if page.next is None:
            break
        before = page.next
    assert seen == [f"P{number}" for number in reversed(range(7))]
    assert pages == 3


def test_plates_view_and_timeline(database: PlateLogDatabase) -> None:
    database.insert(
        [
            logged("AB123", 0, "gate"),
            logged("XY9", 5, "gate"),
            logged(
                "AB 123",
                10,
                "garage",
                event_type="known",
                known_name="Anna's car",
                known_list="allow",
            ),
        ]
    )

    [anna, other] = database.plates(ReadFilter())
    assert (anna.plate, anna.reads, anna.known_name, anna.known_list) == (
        "AB 123",
        2,
        "Anna's car",
        "allow",
    )
    assert (anna.first_seen, anna.last_seen) == (NOON, NOON + timedelta(minutes=10))
    assert (other.plate, other.reads) == ("XY9", 1)
    gate = ReadFilter(config_entry_ids=["gate"])
    assert [p.plate for p in database.plates(gate)] == ["XY9", "AB123"]
    assert [p.plate for p in database.plates(ReadFilter(plate="A8123"))] == ["AB 123"]
    assert len(database.plates(ReadFilter(), limit=1)) == 1


def test_statistics_by_hour_day_and_local_hour(database: PlateLogDatabase) -> None:
    """India is 5:30 ahead: 18:45 UTC is the next local day, at 00 h; 18:15 UTC is 23 h."""
    database.insert(
        [
            logged("A1", 6 * 60 + 15, "gate"),  # 18:15 UTC, 23:45 local
            logged("A2", 6 * 60 + 45, "gate", event_type="known"),  # 18:45 UTC, 00:15 local
            logged("A3", 6 * 60 + 50, "garage"),
            logged("OLD", -3 * 24 * 60, "gate"),
        ]
    )

    figures = database.statistics(NOON, ZoneInfo("Asia/Kolkata"))
    six = NOON.replace(hour=18)
    assert figures.hourly == [(six, "garage", 1), (six, "gate", 2)]
    assert figures.daily == [
        ("2026-11-26", "gate", 1),
        ("2026-11-27", "garage", 1),
        ("2026-11-27", "gate", 1),
    ]
    assert (figures.reads, figures.unknown) == (3, 2)
    assert figures.busiest_hours[23] == 1
    assert figures.busiest_hours[0] == 2
    assert sum(figures.busiest_hours) == 3
    assert database.statistics(NOON, UTC, config_entry_ids=["garage"]).reads == 1
    assert database.hourly_counts("gate", NOON, NOON + timedelta(hours=8)) == [0] * 6 + [2, 0]


def test_pruning(database: PlateLogDatabase) -> None:
    database.insert(
        [
            logged("OLD1", -120),
            logged(
                "PIC2", -60, folder="gate/2026-11-26", pictures={"full": "110000_PIC2_full.jpg"}
            ),
            logged("NEW3", 0),
            logged("NEW4", 1),
        ]
    )

    [old] = database.oldest(10, before=NOON - timedelta(minutes=90))
    assert old.plate == "OLD1"
    pictured, new = database.oldest(2)[1], database.oldest(3)[2]
    assert pictured.picture_paths() == ["gate/2026-11-26/110000_PIC2_full.jpg"]
    assert database.delete([old.read_id, pictured.read_id, new.read_id, 9999]) == 3
    assert plates(database, ReadFilter()) == ["NEW4"]
    # The fuzzy search no longer offers a plate without reads.
    assert database.search_keys("OLD1", 1) == []
    assert database.count == 1
    database.release_free_pages()
    assert database.allocated > 0


def test_pictures_by_folder_and_camera(database: PlateLogDatabase) -> None:
    database.insert(
        [
            logged("A1", 0, folder="gate/2026-11-25", pictures={"full": "a.jpg"}),
            logged("A2", 1, folder="gate/2026-11-26", pictures={"plate": "b.jpg"}),
            logged("NOPIC", 2),
            logged("G1", 3, "garage", folder="garage/2026-11-26", pictures={"full": "c.jpg"}),
        ]
    )

    assert database.picture_folders() == {
        "gate/2026-11-25": "Gate",
        "gate/2026-11-26": "Gate",
        "garage/2026-11-26": "Garage",
    }
    assert [read.plate for read in database.in_folder("gate/2026-11-26")] == ["A2"]
    assert [read.plate for read in database.latest_pictures("gate")] == ["A2", "A1"]


def write_sidecar(root: Path, camera: str, day: str, stem: str, data: dict[str, object]) -> None:
    folder = root / camera / day
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}_plate.jpg").write_bytes(b"\xff\xd8")
    (folder / f"{stem}.json").write_text(json.dumps(data))


def test_an_earlier_picture_history_is_indexed_once(
    database: PlateLogDatabase, tmp_path: Path
) -> None:
    root = tmp_path / "media" / "lpr_camera"
    write_sidecar(
        root,
        "gate",
        "2026-11-25",
        "080000_AB123",
        {
            "plate": "AB123",
            "time": "2026-11-25T08:00:00+00:00",
            "camera": "Gate",
            "config_entry_id": "entry1",
            "direction": "approaching",
            "event_type": "known",
            "known_name": "Anna's car",
            "known_list": "allow",
            "authorized": True,
            "match_distance": 0.5,
            "files": {"plate": "080000_AB123_plate.jpg"},
        },
    )
    write_sidecar(
        root, "gate", "2026-11-26", "090000_XY9", {"plate": "XY9", "time": "2026-11-26T09:00:00"}
    )
    (root / "gate" / "2026-11-26" / "broken.json").write_text("{not json")

    assert database.index_history(root) == 2
    [newer, older] = database.reads(ReadFilter()).reads
    assert older.columns() | {"presence": None} == {
        "plate": "AB123",
        "corrected_plate": None,
        "time": "2026-11-25T08:00:00+00:00",
        "filed_at": "2026-11-25T08:00:00+00:00",
        "camera": "Gate",
        "config_entry_id": "entry1",
        "direction": "approaching",
        "event_type": "known",
        "known_name": "Anna's car",
        "known_list": "allow",
        "vehicle_id": None,
        "authorized": True,
        "repeat": False,
        "presence": None,
        "passage_id": None,
    }
    assert older.details()["match_distance"] == 0.5
    assert older.picture("plate") == "gate/2026-11-25/080000_AB123_plate.jpg"
    assert (newer.plate, newer.fields["config_entry_id"], newer.fields["event_type"]) == (
        "XY9",
        "gate",
        "unknown",
    )
    assert newer.filed_at == datetime(2026, 11, 26, 9, tzinfo=UTC)
    # The pictures stay, named by the rows; the .json beside them go, one that was none too.
    assert sorted(path.name for path in root.rglob("*")) == [
        "080000_AB123_plate.jpg",
        "090000_XY9_plate.jpg",
        "2026-11-25",
        "2026-11-26",
        "gate",
    ]

    write_sidecar(root, "gate", "2026-11-26", "100000_LATE1", {"plate": "LATE1", "time": "x"})
    assert database.index_history(root) == 0  # once only


def test_a_read_the_log_has_is_not_indexed_again(
    database: PlateLogDatabase, tmp_path: Path
) -> None:
    """An earlier release logged the read and kept its .json: one row, not two."""
    root = tmp_path / "lpr_camera"
    write_sidecar(
        root,
        "gate",
        "2026-11-26",
        "120000_AB1",
        {
            "plate": "AB1",
            "time": "2026-11-26T12:00:00+00:00",
            "files": {"plate": "120000_AB1_plate.jpg"},
        },
    )
    [logged_before] = database.insert(
        [logged("AB1", folder="gate/2026-11-26", pictures={"plate": "120000_AB1_plate.jpg"})]
    )

    assert database.index_history(root) == 0
    assert database.reads(ReadFilter()).reads == [logged_before]


V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE reads (
    id INTEGER PRIMARY KEY, time REAL NOT NULL, camera_id TEXT NOT NULL, camera TEXT NOT NULL,
    plate TEXT NOT NULL, plate_key TEXT NOT NULL, direction TEXT NOT NULL, match TEXT NOT NULL,
    vehicle_id TEXT, vehicle_name TEXT, list TEXT, authorized INTEGER, repeat INTEGER NOT NULL,
    details TEXT NOT NULL, picture_read TEXT UNIQUE, pictures TEXT NOT NULL
);
CREATE INDEX reads_time ON reads (time);
CREATE INDEX reads_camera_time ON reads (camera_id, time, match);
CREATE INDEX reads_plate_time ON reads (plate_key, time);
CREATE INDEX reads_match_time ON reads (match, time);
CREATE TABLE plate_keys (plate_key TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO meta VALUES ('schema_version', '1'), ('history_indexed', '1');
INSERT INTO plate_keys VALUES ('AB123'), ('XY9');
"""


def test_a_log_of_the_earlier_release_takes_the_words_of_today(tmp_path: Path) -> None:
    """Schema 1 named its columns and details otherwise, and its pictures by full path."""
    path = tmp_path / "plate_log.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(V1_SCHEMA)
        connection.execute(
            "INSERT INTO reads VALUES (7, ?, 'entry1', 'Gate', 'AB 123', 'AB123', 'approaching', "
            "'known', 'v1', 'Anna''s car', 'allow', 1, 1, ?, 'gate/2026-11-26/120000_AB123', ?)",
            (
                NOON.timestamp(),
                json.dumps({"distance": 0.5, "ties": [], "speed": 31.0, "matched_plate": "AB123"}),
                json.dumps({"full": "gate/2026-11-26/120000_AB123_full.jpg"}),
            ),
        )
        connection.execute(
            "INSERT INTO reads VALUES (8, ?, 'entry1', 'Gate', 'XY9', 'XY9', 'unknown', "
            "'unknown', NULL, NULL, NULL, NULL, 0, '{}', NULL, '{}')",
            (NOON.timestamp() + 60,),
        )
    connection.close()

    database = PlateLogDatabase.open_or_replace(path)

    [unknown, known] = database.reads(ReadFilter()).reads
    assert (known.read_id, unknown.read_id) == (7, 8)
    assert known.columns() == {
        "plate": "AB 123",
        "corrected_plate": None,
        "time": NOON.isoformat(),
        "filed_at": NOON.isoformat(),
        "camera": "Gate",
        "config_entry_id": "entry1",
        "direction": "approaching",
        "event_type": "known",
        "known_name": "Anna's car",
        "known_list": "allow",
        "vehicle_id": "v1",
        "authorized": True,
        "repeat": True,
        "presence": None,
        "passage_id": None,
    }
    assert known.details() | {"match_distance": 0.5, "match_ties": [], "speed": 31.0} == (
        known.details()
    )
    assert known.details()["matched_plate"] == "AB123"
    assert known.picture("full") == "gate/2026-11-26/120000_AB123_full.jpg"
    assert (unknown.fields["authorized"], unknown.folder, unknown.pictures) == (False, None, {})
    assert [read.plate for read in database.reads(ReadFilter(plate="AB123")).reads] == ["AB 123"]
    # Freed pages go back to the file system from now on.
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    connection.close()
    # Reads whose rows schema 1 pruned but whose pictures it kept are looked for once more.
    write_sidecar(
        tmp_path / "media",
        "gate",
        "2026-11-25",
        "080000_OLD1",
        {
            "plate": "OLD1",
            "time": "2026-11-25T08:00:00+00:00",
            "files": {"plate": "080000_OLD1_plate.jpg"},
        },
    )
    assert database.index_history(tmp_path / "media") == 1
    # Listed in its place by time, among the rows of before: its id says where.
    listed = database.reads(ReadFilter()).reads
    assert [read.plate for read in listed] == ["XY9", "AB 123", "OLD1"]
    assert [read.read_id for read in listed] == [3, 2, 1]


def test_a_corrupt_file_is_kept_aside_and_a_new_log_started(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "plate_log.db"
    path.write_bytes(b"this is no database" * 100)

    with caplog.at_level(logging.ERROR):
        database = PlateLogDatabase.open_or_replace(path)

    database.insert([logged("AB1")])
    assert plates(database, ReadFilter()) == ["AB1"]
    [aside] = tmp_path.glob("plate_log.db.unusable-*")
    assert aside.read_bytes() == b"this is no database" * 100
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "cannot be used" in record.getMessage()
    assert record.exc_info is None


def test_a_log_of_a_newer_version_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "plate_log.db"
    PlateLogDatabase(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    connection.close()

    database = PlateLogDatabase.open_or_replace(path)

    assert database.count == 0
    assert len(list(tmp_path.glob("plate_log.db.unusable-*"))) == 1
