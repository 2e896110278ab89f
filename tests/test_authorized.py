"""Passes and authorized reads, the Authorized sensor, repeats, and expired passes removed.

The camera is of the HTTP type, whose reads carry the camera's own time: a pass is checked at
the read's time, so these tests fix the times they read at.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from freezegun import freeze_time
from homeassistant.const import EVENT_LOGBOOK_ENTRY
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import (
    CONF_AUTHORIZED_HOLD,
    CONF_REPEAT_WINDOW,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
)

from .common import add_http_camera, set_site_settings, site_entry

AUTHORIZED = "binary_sensor.gate_authorized"
EVENT = "event.gate_plate"
# Monday 2030-01-07 in the site's time zone; reads say their time as the camera's local time.
MONDAY = "2030-01-07"

type Post = Callable[..., Awaitable[dict[str, Any]]]


async def add_vehicle(hass: HomeAssistant, plate: str, **fields: Any) -> None:
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": plate, **fields}, blocking=True
    )
    await hass.async_block_till_done()


@pytest.fixture
async def gate(hass: HomeAssistant) -> MockConfigEntry:
    """The camera Gate, holding Authorized 30 s and marking repeats within 60 s (defaults)."""
    return await add_http_camera(hass, "Gate", "gate")


@pytest.fixture
async def post(hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator) -> Post:
    """POST a read to a camera's webhook; return its bus event's data."""

    async def post(plate: str, time: str = f"{MONDAY} 10:00:00", webhook: str = "gate", **body):
        # A client of the web server the integration's setup started.
        client = await hass_client_no_auth()
        events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
        response = await client.post(
            f"/api/webhook/{webhook}", json={"plate": plate, "time": time, **body}
        )
        assert response.status == 200
        await hass.async_block_till_done()
        [event] = events
        return dict(event.data)

    return post


CLEANER = {"weekdays": ["mon", "tue", "wed", "thu", "fri"], "start": "07:00", "end": "18:00"}
GUEST = {"valid_from": "2030-01-09 12:00:00", "valid_until": "2030-01-13 23:59:00"}


@pytest.mark.usefixtures("gate")
@pytest.mark.parametrize(
    ("vehicle", "time", "expected"),
    [
        ({}, f"{MONDAY} 03:00:00", (True, None)),
        (CLEANER, f"{MONDAY} 07:00:00", (True, "valid")),
        (CLEANER, f"{MONDAY} 18:00:00", (False, "outside_hours")),
        (CLEANER, "2030-01-12 10:00:00", (False, "outside_hours")),  # a Saturday
        (GUEST, "2030-01-09 11:59:59", (False, "not_yet_valid")),
        (GUEST, "2030-01-13 23:59:00", (True, "valid")),
        (GUEST, "2030-01-14 00:00:01", (False, "expired")),
        ({"list": "deny"}, f"{MONDAY} 10:00:00", (False, None)),
        ({"list": "deny", **GUEST}, "2030-01-10 10:00:00", (False, "valid")),
    ],
)
async def test_a_read_is_authorized_inside_its_pass(
    hass: HomeAssistant,
    post: Post,
    vehicle: dict[str, Any],
    time: str,
    expected: tuple[bool, str | None],
) -> None:
    """Allowed, and inside its pass if it has one, at the read's time; a denied car never."""
    await add_vehicle(hass, "AB-123", name="Anna's car", **vehicle)

    read = await post("AB123", time)

    assert (read["authorized"], read["pass_status"]) == expected
    attributes = hass.states.get(EVENT).attributes
    assert (attributes["authorized"], attributes["pass_status"]) == expected
    assert hass.states.get(AUTHORIZED).state == ("on" if expected[0] else "off")


@pytest.mark.usefixtures("gate")
async def test_an_unknown_plate_is_not_authorized(hass: HomeAssistant, post: Post) -> None:
    await add_vehicle(hass, "AB-123")
    read = await post("ZZ999")
    assert (read["authorized"], read["pass_status"]) == (False, None)
    assert hass.states.get(AUTHORIZED).state == "off"


async def test_authorized_stays_on_for_the_hold_time(hass: HomeAssistant, post: Post) -> None:
    """On for the hold after an authorized read; an unauthorized read changes nothing."""
    await add_http_camera(hass, "Gate", "gate", **{CONF_AUTHORIZED_HOLD: 10})
    await add_vehicle(hass, "AB-123", name="Anna's car")
    start = dt_util.utcnow()

    await post("AB123", direction="Approach")
    state = hass.states.get(AUTHORIZED)
    assert state.state == "on"
    assert state.attributes["plate"] == "AB123"
    assert state.attributes["known_name"] == "Anna's car"
    assert state.attributes["direction"] == "approaching"

    await post("ZZ999")
    async_fire_time_changed(hass, start + timedelta(seconds=9))
    await hass.async_block_till_done()
    state = hass.states.get(AUTHORIZED)
    assert state.state == "on"
    assert state.attributes["known_name"] == "Anna's car"  # still the read that authorized

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
    await hass.async_block_till_done()
    assert hass.states.get(AUTHORIZED).state == "off"
    assert "plate" not in hass.states.get(AUTHORIZED).attributes


@pytest.mark.usefixtures("gate")
async def test_repeats(hass: HomeAssistant, post: Post) -> None:
    """The same vehicle at the same camera within the window; every read still fires."""
    await add_vehicle(hass, "AB-123", name="Anna's car")
    await add_http_camera(hass, "Garage", "garage")

    assert (await post("ZZ999"))["repeat"] is False
    assert (await post("ZZ 999"))["repeat"] is True
    assert (await post("ZZ999", webhook="garage"))["repeat"] is False  # another camera
    assert (await post("AB123"))["repeat"] is False
    assert (await post("A8123"))["repeat"] is True  # OCR read 8 for B: the same car
    assert hass.states.get(EVENT).attributes["repeat"] is True


async def test_no_repeats_with_a_window_of_zero(hass: HomeAssistant, post: Post) -> None:
    await add_http_camera(hass, "Gate", "gate", **{CONF_REPEAT_WINDOW: 0})
    assert (await post("ZZ999"))["repeat"] is False
    assert (await post("ZZ999"))["repeat"] is False


async def test_expired_passes_are_removed_after_the_retention(hass: HomeAssistant) -> None:
    """A guest whose pass ended more than the retention ago goes, with a logbook line."""
    assert await async_setup_component(hass, DOMAIN, {})  # the site, here without a camera
    await hass.async_block_till_done()
    until = dt_util.now().replace(microsecond=0) - timedelta(days=1)
    await add_vehicle(hass, "G 1", name="Guest", valid_until=until)
    await add_vehicle(hass, "AB-123", name="Anna's car")
    await set_site_settings(hass, pass_retention_days=2)
    logbook = async_capture_events(hass, EVENT_LOGBOOK_ENTRY)

    with freeze_time(dt_util.utcnow() + timedelta(hours=23), real_asyncio=True) as frozen:
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        assert len(site_entry(hass).subentries) == 2

        frozen.tick(timedelta(hours=1, minutes=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    assert [subentry.title for subentry in site_entry(hass).subentries.values()] == [
        "Anna's car · AB-123"
    ]
    assert hass.states.get("binary_sensor.guest_on_site") is None
    [line] = logbook
    assert line.data["name"] == "Guest"
    assert line.data["message"] == (
        f"removed from the known vehicles: its pass expired {until:%Y-%m-%d %H:%M}"
    )


@pytest.mark.usefixtures("gate")
async def test_a_change_of_a_vehicle_applies_to_the_next_read(
    hass: HomeAssistant, post: Post
) -> None:
    await add_vehicle(hass, "AB-123", name="Anna's car")
    assert (await post("AB123"))["authorized"] is True

    await add_vehicle(hass, "AB-123", list="deny")
    read = await post("AB123")

    assert (read["event_type"], read["authorized"]) == ("denied", False)
