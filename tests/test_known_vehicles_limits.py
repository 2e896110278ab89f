"""Known vehicles and the site's settings at their limits, and input no parser makes sense of."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from custom_components.lpr_camera.const import DOMAIN
from custom_components.lpr_camera.site.known_vehicles import (
    KnownVehicleError,
    Settings,
    VehicleWords,
    legacy_vehicles,
    vehicle_data,
)

from .common import SITE_DEFAULTS, site_entry

NUMBER_OPTIONS = [key for key, value in SITE_DEFAULTS.items() if not isinstance(value, bool)]


@pytest.mark.parametrize("key", NUMBER_OPTIONS)
@pytest.mark.parametrize("value", ["two", "", None, [3], {}])
def test_options_that_are_not_numbers_take_their_defaults(key: str, value: Any) -> None:
    assert Settings.from_options({key: value}).as_options() == SITE_DEFAULTS


@pytest.mark.parametrize(
    ("key", "given", "taken"),
    [
        ("on_site_limit", 1, 1),  # the shortest limit: an hour
        ("on_site_limit", 0, 1),
        ("on_site_limit", -3, 1),
        ("on_site_limit", "5", 5),
        ("tolerance", 0, 0),
        ("tolerance", -1, 0),
        ("tolerance", 2, 2),
        ("tolerance", 3, 2),
        ("retention_days", 1, 1),
        ("retention_days", 0, 1),
        ("max_size_mb", 1, 1),
        ("max_size_mb", 0, 1),
        ("pass_retention_days", 0, 0),
        ("pass_retention_days", -1, 0),
    ],
)
def test_options_at_and_beyond_their_bounds(key: str, given: Any, taken: int) -> None:
    assert Settings.from_options({key: given}).as_options() == {**SITE_DEFAULTS, key: taken}


@pytest.fixture
async def setup(hass: HomeAssistant) -> None:
    """The integration, and the site it creates."""
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()


@pytest.mark.usefixtures("setup")
async def test_a_plate_of_16_characters_and_a_name_of_100(hass: HomeAssistant) -> None:
    """The longest plate (letters and digits; spaces and dashes do not count) and name."""
    plate = "ABCD-EFGH 1234-5678"
    name = "N" * 100
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": plate, "name": f" {name} "}, blocking=True
    )
    await hass.async_block_till_done()

    [vehicle] = site_entry(hass).subentries.values()
    assert (vehicle.data["plate"], vehicle.data["name"]) == (plate, name)
    assert vehicle.title == f"{name} · {plate}"


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("valid_from", "soon", "'soon' is no date and time"),
        ("valid_until", "2030-13-45", "'2030-13-45' is no date and time"),
        ("valid_until", 12, "12 is no date and time"),
        ("start", "25:00", "'25:00' is no time of day"),
        ("end", "noon", "'noon' is no time of day"),
        ("weekdays", ["mon", "someday"], "not weekdays: someday"),
    ],
)
def test_pass_times_that_do_not_parse_are_refused(field: str, value: Any, shown: str) -> None:
    """The one error of a pass (invalid_pass), saying which value is at fault."""
    with pytest.raises(KnownVehicleError) as err:
        vehicle_data({"plate": "AB1", "start": "07:00", "end": "18:00", field: value})

    assert err.value.key == "invalid_pass"
    assert err.value.placeholders == {"error": shown}


@pytest.mark.parametrize(
    ("fields", "shown"),
    [
        ({"end": "18:00"}, "a pass's daily window needs both its start and its end"),
        (
            {"weekdays": ["mon"], "valid_from": "2030-01-02", "valid_until": "2030-01-01"},
            "a pass must end after it begins",
        ),
    ],
)
def test_a_pass_that_can_never_hold_is_refused(fields: dict[str, Any], shown: str) -> None:
    with pytest.raises(KnownVehicleError) as err:
        vehicle_data({"plate": "AB1", **fields})

    assert err.value.key == "invalid_pass"
    assert err.value.placeholders == {"error": shown}


@pytest.mark.usefixtures("setup")
async def test_old_known_plates_whose_pass_does_not_parse_are_left_out(
    hass: HomeAssistant,
) -> None:
    """Moving the known plates of before the site entry: the broken ones stay behind."""
    moved = legacy_vehicles(
        [
            {"plate": "AB1", "valid_from": "soon"},
            {"plate": "CD2", "start": "7 o'clock", "end": "18:00"},
            {"plate": "EF3", "weekdays": ["someday"]},
            {"plate": "GH4", "start": "07:00", "end": "18:00"},
        ],
        VehicleWords.of(hass),
    )

    assert [(vehicle["unique_id"], vehicle["title"]) for vehicle in moved] == [
        ("GH4", "GH4 · Pass 07:00–18:00")
    ]
