"""Service actions: known vehicles (with passes) and the vehicles on site, every error branch."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import voluptuous as vol
from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from custom_components.lpr_camera.const import DOMAIN

from .common import site_entry


@pytest.fixture
async def setup(hass: HomeAssistant) -> None:
    """The integration, and the site it creates."""
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()


async def call(hass: HomeAssistant, service: str, **data: Any) -> None:
    await hass.services.async_call(DOMAIN, service, data, blocking=True)
    await hass.async_block_till_done()


def vehicles(hass: HomeAssistant) -> dict[str, dict[str, Any]]:
    """The site's known vehicles as stored: name (else plate) -> data."""
    return {
        subentry.data["name"] or subentry.data["plate"]: dict(subentry.data)
        for subentry in site_entry(hass).subentries.values()
    }


def device_names(hass: HomeAssistant) -> list[str]:
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), site_entry(hass).entry_id)
    return sorted(str(device.name) for device in devices)


def vehicle(plate: str, name: str = "", plate_list: str = "allow", **pass_fields: Any):
    return {
        "plate": plate,
        "name": name,
        "list": plate_list,
        "valid_from": None,
        "valid_until": None,
        "weekdays": [],
        "start": None,
        "end": None,
        **pass_fields,
    }


@pytest.mark.usefixtures("setup")
async def test_add_and_remove(hass: HomeAssistant) -> None:
    await call(hass, "add_known_plate", plate=" ab-123 cd ", name=" Anna's car ")
    await call(hass, "add_known_plate", plate="X 99", list="deny")

    assert vehicles(hass) == {
        "Anna's car": vehicle("AB-123 CD", "Anna's car"),
        "X 99": vehicle("X 99", plate_list="deny"),
    }
    # Each known vehicle is a device, named as the vehicle.
    assert device_names(hass) == ["Anna's car", "Site", "X 99"]

    # Written another way, it is the same plate: removed, with its device.
    await call(hass, "remove_known_plate", plate="AB123CD")
    assert list(vehicles(hass)) == ["X 99"]
    assert device_names(hass) == ["Site", "X 99"]


@pytest.mark.usefixtures("setup")
async def test_add_again_changes_only_the_fields_given(hass: HomeAssistant) -> None:
    """A deny-listed car never reaches the allow list by accident, nor loses its name."""
    await call(hass, "add_known_plate", plate="X99", name="Repo man", list="deny")

    await call(hass, "add_known_plate", plate="x 99")
    assert vehicles(hass) == {"Repo man": vehicle("X99", "Repo man", "deny")}

    await call(hass, "add_known_plate", plate="X99", name="Repo van")
    assert vehicles(hass) == {"Repo van": vehicle("X99", "Repo van", "deny")}

    await call(hass, "add_known_plate", plate="X99", list="allow", name=None)
    assert vehicles(hass) == {"X99": vehicle("X99")}


@pytest.mark.usefixtures("setup")
async def test_passes_are_set_changed_and_cleared(hass: HomeAssistant) -> None:
    """Naive times are the site's local time; a field given as null (or []) is cleared."""
    await call(
        hass,
        "add_known_plate",
        plate="CL 1",
        name="Cleaner",
        weekdays=["fri", "mon"],
        start="07:00",
        end="18:00",
        valid_until="2030-06-30 18:00:00",
    )
    until = datetime(2030, 6, 30, 18, tzinfo=dt_util.get_default_time_zone()).isoformat()
    cleaner = vehicle("CL 1", "Cleaner", weekdays=["mon", "fri"], start="07:00:00", end="18:00:00")
    assert vehicles(hass) == {"Cleaner": {**cleaner, "valid_until": until}}

    await call(hass, "add_known_plate", plate="CL1", valid_until=None, weekdays=[])
    assert vehicles(hass) == {"Cleaner": {**cleaner, "weekdays": []}}


@pytest.mark.usefixtures("setup")
@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        ({"plate": ""}, "invalid_plate", {"plate": "", "max_length": "16"}),
        ({"plate": " - . "}, "invalid_plate", {"plate": " - . ", "max_length": "16"}),
        ({"plate": "AB/123"}, "invalid_plate", {"plate": "AB/123", "max_length": "16"}),
        ({"plate": "A" * 17}, "invalid_plate", {"plate": "A" * 17, "max_length": "16"}),
        ({"plate": "AB1", "name": "x" * 101}, "name_too_long", {"max_length": "100"}),
        ({"plate": "AB1", "list": "maybe"}, "invalid_list", {"list": "maybe"}),
        (
            {"plate": "AB1", "start": "07:00"},
            "invalid_pass",
            {"error": "a pass's daily window needs both its start and its end"},
        ),
        (
            {"plate": "AB1", "valid_from": "2030-01-02", "valid_until": "2030-01-01"},
            "invalid_pass",
            {"error": "a pass must end after it begins"},
        ),
    ],
)
async def test_add_refuses_bad_input(
    hass: HomeAssistant, data: dict[str, str], key: str, placeholders: dict[str, str]
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "add_known_plate", **data)

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert err.value.translation_placeholders == placeholders
    assert vehicles(hass) == {}


@pytest.mark.usefixtures("setup")
async def test_remove_unknown_plate(hass: HomeAssistant) -> None:
    await call(hass, "add_known_plate", plate="AB123")

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "remove_known_plate", plate="AB124")

    assert err.value.translation_key == "not_known"
    assert list(vehicles(hass)) == ["AB123"]


@pytest.mark.usefixtures("setup")
@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("add_known_plate", {}),
        ("add_known_plate", {"plate": "AB1", "colour": "red"}),
        ("add_known_plate", {"plate": "AB1", "weekdays": ["someday"]}),
        ("add_known_plate", {"plate": "AB1", "valid_until": "soon"}),
        ("remove_known_plate", {}),
        ("clear_vehicles_on_site", {"plate": "AB1"}),
    ],
)
async def test_malformed_call(hass: HomeAssistant, service: str, data: dict[str, str]) -> None:
    with pytest.raises(vol.Invalid):
        await call(hass, service, **data)


@pytest.mark.usefixtures("setup")
@pytest.mark.parametrize("service", ["add_known_plate", "clear_vehicles_on_site"])
async def test_only_admins(hass: HomeAssistant, hass_read_only_user: User, service: str) -> None:
    """An allowed vehicle may open a gate: a user who is not an admin cannot add one."""
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            service,
            {"plate": "AB123"} if service == "add_known_plate" else {},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert vehicles(hass) == {}


@pytest.mark.usefixtures("setup")
async def test_without_a_site_the_actions_say_so(hass: HomeAssistant) -> None:
    """The user deleted the site: the actions explain rather than fail with a traceback."""
    assert await hass.config_entries.async_remove(site_entry(hass).entry_id)

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "add_known_plate", plate="AB123")
    assert err.value.translation_key == "no_site"
