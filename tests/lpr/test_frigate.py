"""Frigate's MQTT messages of plates, and the settle window that makes one read per object."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.lpr_camera.lpr import InvalidReadError
from custom_components.lpr_camera.lpr import frigate as frigate_messages
from custom_components.lpr_camera.lpr.frigate import (
    MAX_OPEN_WINDOWS,
    MAX_ZONES,
    OBJECTS_REMEMBERED,
    PlateUpdate,
    SettleWindows,
    availability,
    parse_event,
    parse_plate_update,
    plate_read,
)
from custom_components.lpr_camera.lpr.models import MAX_PLATE_LENGTH

# Frigate's documentation's example (docs/docs/integrations/mqtt.md), with 0.18's plate box.
LPR_UPDATE = {
    "type": "lpr",
    "id": "1607123955.475377-mxklsc",
    "name": "John's Car",
    "plate": "123ABC",
    "score": 0.95,
    "camera": "driveway_cam",
    "timestamp": 1607123958.748393,
    "plate_box": [917, 487, 1029, 529],
}


def payload(message: dict[str, Any]) -> bytes:
    return json.dumps(message).encode()


def update(object_id: str, plate: str, score: float | None) -> PlateUpdate:
    return PlateUpdate(object_id=object_id, camera="driveway", plate=plate, score=score, time=None)


def test_a_plate_update_as_frigate_documents_it() -> None:
    parsed = parse_plate_update(payload(LPR_UPDATE))

    assert parsed == PlateUpdate(
        object_id="1607123955.475377-mxklsc",
        camera="driveway_cam",
        plate="123ABC",
        score=0.95,
        time=datetime.fromtimestamp(1607123958.748393, UTC),
        plate_box=(917, 487, 1029, 529),
    )
    read = plate_read(parsed, full_image=b"jpeg")
    assert (read.plate, read.device_id, read.confidence, read.direction) == (
        "123ABC",
        "driveway_cam",
        0.95,
        "unknown",
    )
    # Frigate's name of a known plate stays out: it names a person, and the site names vehicles.
    assert read.raw == {"id": "1607123955.475377-mxklsc", "plate_box": [917, 487, 1029, 529]}


def test_other_updates_and_an_object_without_a_plate_are_no_read() -> None:
    face = {"type": "face", "id": "1.2-abc", "name": "John", "score": 0.9, "camera": "door"}
    car = {"id": "1.2-abc", "camera": "driveway", "recognized_license_plate": None}

    assert parse_plate_update(payload(face)) is None
    assert parse_plate_update(payload({**LPR_UPDATE, "plate": "  "})) is None
    assert parse_event(payload({"type": "update", "before": car, "after": car})) is None


def test_an_event_with_its_plate_and_zones() -> None:
    car = {
        "id": "1.2-abc",
        "camera": "driveway",
        "frame_time": 1607123961.8,
        "recognized_license_plate": "AB1234",
        "recognized_license_plate_score": 0.9,
        "entered_zones": ["street", "driveway", 7, "x" * 65, *(f"z{n}" for n in range(20))],
    }

    parsed = parse_event(payload({"type": "update", "before": {}, "after": car}))

    assert parsed is not None
    assert (parsed.plate, parsed.score) == ("AB1234", 0.9)
    assert parsed.zones[:3] == ("street", "driveway", "z0")
    assert len(parsed.zones) == MAX_ZONES


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": None}, "no Frigate object id"),
        ({"id": "../config"}, "no Frigate object id"),
        ({"id": "1.2/abc"}, "no Frigate object id"),
        ({"camera": "drive way"}, "no Frigate camera name"),
        ({"plate": ["AB"]}, "plate is not text"),
        ({"plate": "X" * (MAX_PLATE_LENGTH + 1)}, "plate longer than 32 characters"),
        ({"score": True}, "score is no number from 0 to 1"),
        ({"score": 95}, "score is no number from 0 to 1"),
        ({"timestamp": "now"}, "timestamp is no time"),
        ({"timestamp": 1e300}, "timestamp is no time"),
    ],
)
def test_wrong_types_are_no_read(change: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidReadError, match=reason):
        parse_plate_update(payload({**LPR_UPDATE, **change}))


def test_a_plate_box_that_is_no_box_is_left_out() -> None:
    for box in ([1, 2, 3], [1, 2, 3, "4"], [1, 2, 3, -4], "917,487,1029,529"):
        parsed = parse_plate_update(payload({**LPR_UPDATE, "plate_box": box}))
        assert parsed is not None
        assert parsed.plate_box is None


def test_availability() -> None:
    assert [availability(word) for word in (b"online", b"offline", b"stopped", b"x")] == [
        True,
        False,
        False,
        None,
    ]


class Settled:
    """The reads a SettleWindows makes, and how often it cut a window short."""

    def __init__(self) -> None:
        self.reads: list[PlateUpdate] = []
        self.cut_short = 0

    def windows(self) -> SettleWindows:
        return SettleWindows(asyncio.get_running_loop(), self.reads.append, on_cut_short=self.cut)

    def cut(self) -> None:
        self.cut_short += 1


@pytest.fixture
def short_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frigate_messages, "SETTLE_SECONDS", 0.05)


async def test_the_best_plate_of_the_window_and_then_no_more(short_window: None) -> None:
    settled = Settled()
    windows = settled.windows()

    for plate, score in (("AB123", 0.6), ("AB1234", 0.9), ("A81234", 0.8), ("AB1234", None)):
        windows.add(update("1.2-abc", plate, score))
    await asyncio.sleep(0.2)
    windows.add(update("1.2-abc", "AB12345", 0.99))
    await asyncio.sleep(0.2)

    assert [(read.plate, read.score) for read in settled.reads] == [("AB1234", 0.9)]


async def test_windows_and_objects_remembered_are_bounded(short_window: None) -> None:
    settled = Settled()
    windows = settled.windows()

    for number in range(MAX_OPEN_WINDOWS + 1):
        windows.add(update(f"{number}.0-abc", f"P{number}", 0.9))

    # The oldest window closed early: every object still makes its read.
    assert (settled.cut_short, [read.plate for read in settled.reads]) == (1, ["P0"])
    await asyncio.sleep(0.2)
    assert len(settled.reads) == MAX_OPEN_WINDOWS + 1

    for number in range(OBJECTS_REMEMBERED):
        windows.add(update(f"{number}.1-abc", "Q", 0.9))
    await asyncio.sleep(0.2)
    reads = len(settled.reads)
    # The first objects were forgotten, the newest are remembered.
    windows.add(update("0.0-abc", "P0", 0.9))
    windows.add(update(f"{OBJECTS_REMEMBERED - 1}.1-abc", "Q", 0.9))
    await asyncio.sleep(0.2)
    assert [read.plate for read in settled.reads[reads:]] == ["P0"]


async def test_closing_makes_the_open_windows_reads_at_once() -> None:
    settled = Settled()
    windows = settled.windows()
    windows.add(update("1.2-abc", "AB1234", 0.9))

    windows.close()

    assert [read.plate for read in settled.reads] == ["AB1234"]
    assert settled.reads[0].time is not None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)


@given(
    st.binary(max_size=200)
    | st.dictionaries(st.sampled_from([*LPR_UPDATE, "after", "entered_zones"]), json_values).map(
        lambda fields: json.dumps({"type": "lpr", **fields}).encode()
    )
    | st.dictionaries(st.sampled_from([*LPR_UPDATE, "recognized_license_plate"]), json_values).map(
        lambda fields: json.dumps({"after": fields}).encode()
    )
)
def test_only_the_librarys_error_escapes(message: bytes) -> None:
    for parse in (parse_plate_update, parse_event):
        try:
            parsed = parse(message)
        except InvalidReadError:
            continue
        if parsed is not None:
            assert 0 < len(parsed.plate) <= MAX_PLATE_LENGTH
            assert parsed.score is None or 0 <= parsed.score <= 1
            assert len(parsed.zones) <= MAX_ZONES
