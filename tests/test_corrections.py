"""Corrections of a misread plate in the plate log, and the rules they become."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
)

from custom_components.lpr_camera.lpr import Direction
from custom_components.lpr_camera.site import corrections
from custom_components.lpr_camera.site.store import STORE_KEY
from simulator.tcp import CameraSimulator

from .common import Command, add_entry, logged_reads, read_at

# Noon in the tests' time zone (US/Pacific), the clock running from there; not for diagnostics,
# whose system information Home Assistant 2025.4 cannot gather under a frozen clock.
AT_NOON = pytest.mark.freeze_time("2026-11-26 20:00:00+00:00", tick=True)
MORNING = datetime(2026, 11, 26, 16, 30, 15, tzinfo=UTC)
ANNA_ON_SITE = "binary_sensor.anna_s_car_on_site"
ANNA_LAST_SEEN = "sensor.anna_s_car_last_seen"
ON_SITE = "sensor.site_vehicles_on_site"


def on_site(hass: HomeAssistant) -> list[str]:
    return [vehicle["plate"] for vehicle in hass.states.get(ON_SITE).attributes["vehicles"]]


@AT_NOON
async def test_a_correction_rematches_the_read_and_moves_its_arrival(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    command: Command,
) -> None:
    added = await command("known_vehicles/save", plate="AB-123", name="Anna's car", list="allow")
    await hass.async_block_till_done()
    misread = await read_at(hass, camera, "X8123", MORNING)  # 1.5 edits from AB123: unknown
    assert (misread["event_type"], misread["presence"]) == ("unknown", "arrived")
    assert on_site(hass) == ["X8123"]
    [logged] = await logged_reads(hass)

    corrected = await command("reads/correct", read_id=logged.read_id, plate="ab-123")
    assert corrected["rule"] is None
    row = corrected["read"]
    assert (row["read_id"], row["plate"], row["corrected_plate"]) == (
        logged.read_id,
        "X8123",  # what the camera read stays
        "AB-123",
    )
    assert (row["event_type"], row["known_name"], row["vehicle_id"], row["authorized"]) == (
        "known",
        "Anna's car",
        added["vehicle_id"],
        True,
    )
    assert row["presence"] == "arrived"
    await hass.async_block_till_done()
    # The arrival is Anna's now, the misread plate is no longer on site.
    assert on_site(hass) == ["AB-123"]
    assert hass.states.get(ANNA_ON_SITE).state == "on"
    assert hass.states.get(ANNA_LAST_SEEN).state == MORNING.isoformat()
    one = await command("reads/get", read_id=logged.read_id)
    assert (one["corrected_plate"], one["details"]["matched_plate"]) == ("AB-123", "AB-123")
    assert one["details"]["match_distance"] == 0.0
    # The plate's timeline and search go by the corrected plate.
    timeline = await command("reads/list", exact_plate="AB123")
    assert [read["read_id"] for read in timeline["reads"]] == [logged.read_id]
    plates = await command("plates/list")
    assert [plate["plate"] for plate in plates["plates"]] == ["AB-123"]

    # Corrected back to what the camera read: the read is the unknown car's again.
    back = await command("reads/correct", read_id=logged.read_id, plate="X8123")
    assert (back["read"]["corrected_plate"], back["read"]["event_type"]) == (None, "unknown")
    await hass.async_block_till_done()
    assert on_site(hass) == ["X8123"]
    assert hass.states.get(ANNA_ON_SITE).state == "off"
    assert hass.states.get(ANNA_LAST_SEEN).state == "unknown"


@AT_NOON
async def test_a_correction_of_an_older_read_changes_only_that_read(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    command: Command,
) -> None:
    await command("known_vehicles/save", plate="AB-123", name="Anna's car", list="allow")
    await hass.async_block_till_done()
    await read_at(hass, camera, "X8123", MORNING)
    await read_at(hass, camera, "X8123", MORNING + timedelta(minutes=5), Direction.DEPARTING)
    [later, first] = await logged_reads(hass)

    corrected = await command("reads/correct", read_id=first.read_id, plate="AB-123")
    assert corrected["read"]["event_type"] == "known"
    assert corrected["read"]["presence"] == "arrived"  # as it was
    await hass.async_block_till_done()
    assert on_site(hass) == []  # the misread plate left by the later read
    assert hass.states.get(ANNA_ON_SITE).state == "off"
    assert later.fields["presence"] == "left"


@pytest.fixture
async def diagnostics(hass: HomeAssistant) -> None:
    """Diagnostics' view, set up before the web server starts."""
    assert await async_setup_component(hass, "diagnostics", {})


@pytest.mark.usefixtures("diagnostics")
async def test_a_remembered_correction_corrects_the_cameras_later_reads(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    command: Command,
    hass_client: ClientSessionGenerator,
) -> None:
    await command("known_vehicles/save", plate="AB-123", name="Anna's car", list="allow")
    await hass.async_block_till_done()
    earlier = datetime.now(UTC) - timedelta(hours=3)
    await read_at(hass, camera, "X8123", earlier, Direction.UNKNOWN)
    [logged] = await logged_reads(hass)

    answer = await command("reads/correct", read_id=logged.read_id, plate="AB-123", remember=True)
    rule = answer["rule"]
    assert rule == {
        "rule_id": rule["rule_id"],
        "config_entry_id": init_integration.entry_id,
        "camera": "LPR camera 127.0.0.1",
        "read_plate": "X8123",
        "plate": "AB-123",
        "created": rule["created"],
    }
    assert await command("rules/list") == {"rules": [rule]}

    later = await read_at(hass, camera, "X-8123", earlier + timedelta(hours=1))
    assert (later["plate"], later["corrected_plate"]) == ("X-8123", "AB-123")
    assert (later["event_type"], later["known_name"], later["presence"]) == (
        "known",
        "Anna's car",
        "arrived",
    )
    [newest, _] = await logged_reads(hass)
    assert newest.fields["corrected_plate"] == "AB-123"
    # Diagnostics, posted publicly, mask the corrected plate as every plate.
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    assert diagnostics["last_read"]["corrected_plate"] == "A****3"

    assert await command("rules/remove", rule_id=rule["rule_id"]) is None
    assert (await command("rules/remove", rule_id=rule["rule_id"]))["code"] == "not_found"
    assert await command("rules/list") == {"rules": []}
    again = await read_at(hass, camera, "X8123", earlier + timedelta(hours=2))
    assert (again["corrected_plate"], again["event_type"]) == (None, "unknown")


@AT_NOON
async def test_corrections_are_for_administrators_and_bounded(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    command: Command,
    hass_admin_user: MockUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await read_at(hass, camera, "X8123", MORNING)
    await read_at(hass, camera, "Y8123", MORNING + timedelta(minutes=1))
    [second, first] = await logged_reads(hass)

    invalid = await command("reads/correct", read_id=first.read_id, plate="!!")
    assert (invalid["code"], invalid["translation_key"]) == ("invalid", "invalid_plate")
    assert (await command("reads/correct", read_id=99999, plate="AB1"))["code"] == "not_found"
    assert (await command("reads/correct", read_id=0, plate="AB1"))["code"] == "invalid_format"

    monkeypatch.setattr(corrections, "MAX_RULES", 1)
    assert (await command("reads/correct", read_id=first.read_id, plate="AB1", remember=True))[
        "rule"
    ]
    refused = await command("reads/correct", read_id=second.read_id, plate="AB2", remember=True)
    assert (refused["code"], refused["translation_key"]) == ("invalid", "too_many_rules")
    assert refused["message"].startswith("There are 1 correction rules already")
    [rule] = (await command("rules/list"))["rules"]
    assert rule["read_plate"] == "X8123"
    [unchanged, _] = await logged_reads(hass)
    assert unchanged.fields["corrected_plate"] is None  # nothing changed for the refused one

    hass_admin_user.groups = []  # no longer an administrator
    for kind, fields in (
        ("reads/correct", {"read_id": first.read_id, "plate": "AB1"}),
        ("rules/list", {}),
        ("rules/remove", {"rule_id": rule["rule_id"]}),
    ):
        assert (await command(kind, **fields))["code"] == "unauthorized", kind


@AT_NOON
async def test_a_departure_taken_for_the_wrong_vehicle_is_undone(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    command: Command,
) -> None:
    """Anna arrived; another car leaving was read as hers: corrected, Anna is back on site."""
    await command("known_vehicles/save", plate="AB-123", name="Anna's car", list="allow")
    await hass.async_block_till_done()
    await read_at(hass, camera, "AB123", MORNING)
    taken = await read_at(
        hass, camera, "A8123", MORNING + timedelta(minutes=5), Direction.DEPARTING
    )
    assert (taken["known_name"], taken["presence"]) == ("Anna's car", "left")
    [departure, arrival] = await logged_reads(hass)

    corrected = await command("reads/correct", read_id=departure.read_id, plate="ZZ 999")
    assert (corrected["read"]["event_type"], corrected["read"]["presence"]) == ("unknown", None)
    await hass.async_block_till_done()
    assert on_site(hass) == ["AB-123"]
    assert hass.states.get(ANNA_LAST_SEEN).state == MORNING.isoformat()
    [vehicle] = (await command("on_site/list"))["vehicles"]
    assert (vehicle["read_id"], vehicle["arrival"]) == (arrival.read_id, MORNING.isoformat())

    # And the unknown car read leaving while it was not on site: Anna's departure after all.
    again = await command("reads/correct", read_id=departure.read_id, plate="AB 123")
    assert again["read"]["presence"] == "left"
    await hass.async_block_till_done()
    assert on_site(hass) == []


@AT_NOON
async def test_the_rules_are_kept_across_a_restart(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    camera: CameraSimulator,
    hass_storage: dict[str, Any],
) -> None:
    """A start with the site's store of before: its rules correct reads; a broken one is left."""
    rule = {
        "rule_id": "r1",
        "config_entry_id": config_entry.entry_id,
        "camera": "Gate",
        "read_plate": "X8123",
        "plate": "AB-123",
        "created": "2026-11-20T08:00:00+00:00",
    }
    hass_storage[STORE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORE_KEY,
        "data": {"correction_rules": [rule, {"rule_id": "r2", "created": "never"}, "junk"]},
    }
    await add_entry(hass, config_entry)
    await camera.wait_for_client()

    read_now = await read_at(hass, camera, "X 8123", MORNING)
    assert read_now["corrected_plate"] == "AB-123"
