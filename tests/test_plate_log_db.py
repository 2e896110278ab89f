"""The plate log's database on its own: filters, fuzzy search, paging, pruning, indexing, faults."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from custom_components.lpr_camera.plate_log.database import (
    SCHEMA_VERSION,
    LoggedRead,
    PlateLogDatabase,
    ReadFilter,
)

NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def logged(plate: str, minutes: int = 0, camera: str = "gate", **fields: object) -> LoggedRead:
    """A read `minutes` after NOON."""
    values: dict[str, object] = {
        "time": NOON + timedelta(minutes=minutes),
        "camera_id": camera,
        "camera": camera.title(),
        "plate": plate,
        "direction": "approaching",
        "match": "unknown",
    }
    return LoggedRead(**(values | fields))  # type: ignore[arg-type]


@pytest.fixture
def database(tmp_path: Path) -> PlateLogDatabase:
    return PlateLogDatabase.open_or_replace(tmp_path / "plate_log.db")


def plates(database: PlateLogDatabase, where: ReadFilter, limit: int = 50) -> list[str]:
    return [read.plate for read in database.reads(where, limit=limit).reads]


def test_reads_come_back_newest_first_with_every_field(database: PlateLogDatabase) -> None:
    [first] = database.insert([logged("AB123CD", details={"speed": 30.0})])
    [second] = database.insert(
        [
            logged(
                "XY 987",
                minutes=1,
                match="known",
                vehicle_id="v1",
                vehicle_name="Anna's car",
                list="allow",
                authorized=True,
                repeat=True,
                picture_read="gate/2026-11-26/040100_XY987",
                pictures={"plate": "gate/2026-11-26/040100_XY987_plate.jpg"},
            )
        ]
    )

    assert second.id > first.id
    page = database.reads(ReadFilter())
    assert page.reads == [second, first]
    assert page.next is None
    assert database.get(first.id) == first
    assert first.details == {"speed": 30.0}
    assert first.authorized is None
    assert second.as_dict() == {
        "id": second.id,
        "time": "2026-11-26T12:01:00+00:00",
        "camera_id": "gate",
        "camera": "Gate",
        "plate": "XY 987",
        "direction": "approaching",
        "match": "known",
        "vehicle_id": "v1",
        "vehicle_name": "Anna's car",
        "list": "allow",
        "authorized": True,
        "repeat": True,
    }
    assert database.get(12345) is None


def test_filters(database: PlateLogDatabase) -> None:
    database.insert(
        [
            logged("AAA1", 0, "gate", match="known"),
            logged("BBB2", 10, "garage", match="unknown"),
            logged("CCC3", 20, "gate", match="denied"),
            logged("AAA 1", 30, "garage", match="known"),
        ]
    )

    assert plates(database, ReadFilter(camera_ids=["gate"])) == ["CCC3", "AAA1"]
    assert plates(database, ReadFilter(camera_ids=[])) == []
    assert plates(database, ReadFilter(match=["known", "denied"])) == ["AAA 1", "CCC3", "AAA1"]
    start, end = NOON + timedelta(minutes=10), NOON + timedelta(minutes=30)
    assert plates(database, ReadFilter(start=start, end=end)) == ["CCC3", "BBB2"]
    assert plates(database, ReadFilter(exact_plate="aaa-1")) == ["AAA 1", "AAA1"]
    assert plates(database, ReadFilter(exact_plate="AAA1", camera_ids=["gate"])) == ["AAA1"]


def test_fuzzy_search_finds_what_ocr_misread(database: PlateLogDatabase) -> None:
    """AB123CD finds A8123CD (8 for B, half an edit) and AB-123-CD, not AB999CD."""
    database.insert(
        [logged("A8123CD"), logged("AB-123-CD", 1), logged("AB999CD", 2), logged("ZZ1", 3)]
    )

    assert plates(database, ReadFilter(plate="AB123CD")) == ["AB-123-CD", "A8123CD"]
    assert plates(database, ReadFilter(plate="AB123CD", tolerance=0)) == ["AB-123-CD"]
    assert plates(database, ReadFilter(plate="ab 123 cd")) == ["AB-123-CD", "A8123CD"]
    assert plates(database, ReadFilter(plate="QQ000QQ")) == []


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
            logged("AB 123", 10, "garage", match="known", vehicle_name="Anna's car", list="allow"),
        ]
    )

    [anna, other] = database.plates(ReadFilter())
    assert (anna.plate, anna.reads, anna.vehicle_name, anna.list) == (
        "AB 123",
        2,
        "Anna's car",
        "allow",
    )
    assert (anna.first_seen, anna.last_seen) == (NOON, NOON + timedelta(minutes=10))
    assert (other.plate, other.reads) == ("XY9", 1)
    assert [p.plate for p in database.plates(ReadFilter(camera_ids=["gate"]))] == ["XY9", "AB123"]
    assert [p.plate for p in database.plates(ReadFilter(plate="A8123"))] == ["AB 123"]
    assert len(database.plates(ReadFilter(), limit=1)) == 1


def test_statistics_by_hour_day_and_local_hour(database: PlateLogDatabase) -> None:
    """India is 5:30 ahead: 18:45 UTC is the next local day, at 00 h; 18:15 UTC is 23 h."""
    database.insert(
        [
            logged("A1", 6 * 60 + 15, "gate"),  # 18:15 UTC, 23:45 local
            logged("A2", 6 * 60 + 45, "gate", match="known"),  # 18:45 UTC, 00:15 local
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
    assert database.statistics(NOON, UTC, camera_ids=["garage"]).reads == 1
    assert database.hourly_counts("gate", NOON, NOON + timedelta(hours=8)) == [0] * 6 + [2, 0]


def test_pruning(database: PlateLogDatabase) -> None:
    database.insert(
        [
            logged("OLD1", -120),
            logged("PIC2", -60, picture_read="gate/2026-11-26/030000_PIC2"),
            logged("NEW3", 0),
            logged("NEW4", 1),
        ]
    )

    assert database.prune_before(NOON - timedelta(minutes=90)) == 1
    assert database.prune_pictured(["gate/2026-11-26/030000_PIC2", "gone/x/y"]) == 1
    assert database.prune_oldest(1) == 1
    assert plates(database, ReadFilter()) == ["NEW4"]
    # The fuzzy search no longer offers a plate without reads.
    assert database.fuzzy_keys("OLD1", 1) == []
    assert database.count == 1
    assert database.size > 0


def write_sidecar(root: Path, camera: str, day: str, stem: str, data: dict[str, object]) -> None:
    folder = root / camera / day
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}_plate.jpg").write_bytes(b"\xff\xd8")
    (folder / f"{stem}.json").write_text(json.dumps(data))


def test_the_picture_history_is_indexed_once(database: PlateLogDatabase, tmp_path: Path) -> None:
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
    assert (older.plate, older.camera_id, older.camera, older.match) == (
        "AB123",
        "entry1",
        "Gate",
        "known",
    )
    assert (older.vehicle_name, older.list, older.authorized) == ("Anna's car", "allow", True)
    assert older.pictures == {"plate": "gate/2026-11-25/080000_AB123_plate.jpg"}
    assert older.picture_read == "gate/2026-11-25/080000_AB123"
    assert (newer.plate, newer.camera_id, newer.match, newer.authorized) == (
        "XY9",
        "gate",
        "unknown",
        None,
    )
    assert newer.time == datetime(2026, 11, 26, 9, tzinfo=UTC)

    write_sidecar(root, "gate", "2026-11-26", "100000_LATE1", {"plate": "LATE1", "time": "x"})
    assert database.index_history(root) == 0  # once only
    assert database.history_indexed


def test_a_read_saved_while_indexing_is_logged_once(
    database: PlateLogDatabase, tmp_path: Path
) -> None:
    """Its sidecar is indexed, then the read itself arrives: the read takes the row."""
    root = tmp_path / "lpr_camera"
    write_sidecar(
        root,
        "gate",
        "2026-11-26",
        "120000_AB1",
        {"plate": "AB1", "time": "2026-11-26T12:00:00+00:00"},
    )
    database.index_history(root)
    [live] = database.insert([logged("AB1", picture_read="gate/2026-11-26/120000_AB1")])

    assert database.reads(ReadFilter()).reads == [live]


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
