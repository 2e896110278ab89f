# ruff: noqa: RUF001, RUF003 - plates with Cyrillic look-alike letters
"""Every read is matched against the known plates; the bus event and the event entity say so."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import wait_for

EVENT = "event.lpr_camera_127_0_0_1_plate"


async def add_plate(hass: HomeAssistant, plate: str, name: str = "", plate_list: str = "allow"):
    await hass.services.async_call(
        DOMAIN,
        "add_known_plate",
        {"plate": plate, "name": name, "list": plate_list},
        blocking=True,
    )


async def read_event(hass: HomeAssistant, camera: CameraSimulator, plate: str) -> dict[str, Any]:
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read(plate))
    await wait_for(lambda: events)
    await hass.async_block_till_done()
    return dict(events[0].data)


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("plate", "expected"),
    [
        (
            "AB-123-CD",
            {
                "event_type": "known",
                "known": True,
                "known_name": "Anna's car",
                "known_list": "allow",
                "matched_plate": "AB-123-CD",
                "match_distance": 0,
                "match_ties": [],
            },
        ),
        # 8 read for B, I for 1: half an edit each, within the default tolerance of 1.
        (
            "A8 I23 CD",
            {
                "event_type": "known",
                "known": True,
                "known_name": "Anna's car",
                "matched_plate": "AB-123-CD",
                "match_distance": 1.0,
            },
        ),
        # Cyrillic А, В, С are the Latin letters.
        ("АВ 123 СD", {"event_type": "known", "matched_plate": "AB-123-CD"}),
        (
            "X99",
            {
                "event_type": "denied",
                "known": True,
                "known_name": None,
                "known_list": "deny",
                "matched_plate": "X 99",
            },
        ),
        (
            "ZZ999",
            {
                "event_type": "unknown",
                "known": False,
                "known_name": None,
                "known_list": None,
                "matched_plate": None,
                "match_distance": None,
                "match_ties": [],
            },
        ),
        # As close to B 4567 as to B 4568: said, not guessed.
        (
            "B4569",
            {
                "event_type": "unknown",
                "known": False,
                "matched_plate": None,
                "match_distance": 1,
                "match_ties": ["B 4567", "B 4568"],
            },
        ),
        ("부산 02가 1234", {"event_type": "known", "known_name": "Min-jun"}),
    ],
)
async def test_read_carries_the_match(
    hass: HomeAssistant, camera: CameraSimulator, plate: str, expected: dict[str, Any]
) -> None:
    await add_plate(hass, "AB-123-CD", "Anna's car")
    await add_plate(hass, "X 99", plate_list="deny")
    await add_plate(hass, "B 4567", "Van")
    await add_plate(hass, "B 4568", "Trailer")
    await add_plate(hass, "부산 02가 1234", "Min-jun")

    data = await read_event(hass, camera, plate)

    assert data["plate"] == plate
    assert {key: data[key] for key in expected} == expected
    if data["match_ties"]:
        assert sorted(data["match_ties"]) == data["match_ties"]
    state = hass.states.get(EVENT)
    assert state is not None
    assert state.attributes["event_type"] == expected["event_type"]
    assert state.attributes["plate"] == plate
    for key in ("known", "known_name", "known_list", "matched_plate", "match_distance"):
        assert state.attributes[key] == data[key]


async def test_known_plates_are_shared_by_cameras(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A plate added once is known at every camera, the HTTP type's included."""
    await add_plate(hass, "AB123", "Anna's car")
    http = MockConfigEntry(
        domain=DOMAIN,
        title="Gate",
        data={
            "connection_type": "http",
            "webhook_id": "gate-hook",
            "username": "",
            "password": "",
        },
    )
    http.add_to_hass(hass)
    assert await hass.config_entries.async_setup(http.entry_id)
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)

    client = await hass_client_no_auth()

    await camera.push(sample_read("AB123"))
    await wait_for(lambda: len(events) == 1)
    response = await client.post("/api/webhook/gate-hook", json={"plate": "AB 123"})
    assert response.status == 200
    await wait_for(lambda: len(events) == 2)

    assert {event.data["config_entry_id"] for event in events} == {
        init_integration.entry_id,
        http.entry_id,
    }
    assert [event.data["known_name"] for event in events] == ["Anna's car"] * 2
