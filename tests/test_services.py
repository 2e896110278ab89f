"""Service actions: add and remove known plates, every error branch."""

from __future__ import annotations

from typing import Any

import pytest
import voluptuous as vol
from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.setup import async_setup_component

from custom_components.lpr_camera.const import DOMAIN
from custom_components.lpr_camera.data import DATA_KEY
from custom_components.lpr_camera.known_plates import STORE_KEY


@pytest.fixture
async def setup(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})


async def call(hass: HomeAssistant, service: str, **data: Any) -> None:
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


def stored_plates(hass_storage: dict[str, Any]) -> list[dict[str, str]]:
    plates: list[dict[str, str]] = hass_storage[STORE_KEY]["data"]["plates"]
    return plates


@pytest.mark.usefixtures("setup")
async def test_add_and_remove(hass: HomeAssistant, hass_storage: dict[str, Any]) -> None:
    await call(hass, "add_known_plate", plate=" ab-123 cd ", name=" Anna's car ")
    await call(hass, "add_known_plate", plate="X 99", list="deny")

    assert stored_plates(hass_storage) == [
        {"plate": "AB-123 CD", "name": "Anna's car", "list": "allow"},
        {"plate": "X 99", "name": "", "list": "deny"},
    ]

    # Written another way, it is the same plate: removed.
    await call(hass, "remove_known_plate", plate="AB123CD")
    assert stored_plates(hass_storage) == [{"plate": "X 99", "name": "", "list": "deny"}]


@pytest.mark.usefixtures("setup")
async def test_add_known_plate_again_updates_it(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    await call(hass, "add_known_plate", plate="AB123", name="Anna's car")
    await call(hass, "add_known_plate", plate="ab 123", name="Anna's old car", list="deny")

    assert stored_plates(hass_storage) == [
        {"plate": "AB 123", "name": "Anna's old car", "list": "deny"}
    ]


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
    ],
)
async def test_add_refuses_bad_input(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    data: dict[str, str],
    key: str,
    placeholders: dict[str, str],
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "add_known_plate", **data)

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert err.value.translation_placeholders == placeholders
    assert STORE_KEY not in hass_storage


@pytest.mark.usefixtures("setup")
async def test_remove_unknown_plate(hass: HomeAssistant) -> None:
    await call(hass, "add_known_plate", plate="AB123")

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "remove_known_plate", plate="AB124")

    assert err.value.translation_key == "not_known"
    assert hass.data[DATA_KEY].known_plates.get("AB123") is not None


@pytest.mark.usefixtures("setup")
@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("add_known_plate", {}),
        ("add_known_plate", {"plate": "AB1", "colour": "red"}),
        ("remove_known_plate", {}),
    ],
)
async def test_malformed_call(hass: HomeAssistant, service: str, data: dict[str, str]) -> None:
    with pytest.raises(vol.Invalid):
        await call(hass, service, **data)


@pytest.mark.usefixtures("setup")
async def test_only_admins(hass: HomeAssistant, hass_read_only_user: User) -> None:
    """An allowed plate may open a gate: a user who is not an admin cannot add one."""
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "add_known_plate",
            {"plate": "AB123"},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert hass.data[DATA_KEY].known_plates.plates == []


async def test_plates_survive_a_restart(hass: HomeAssistant, hass_storage: dict[str, Any]) -> None:
    """The store is read at setup; a stored plate that no longer validates is dropped."""
    hass_storage[STORE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORE_KEY,
        "data": {
            "plates": [
                {"plate": "AB 123", "name": "Anna's car", "list": "allow"},
                {"plate": "!!!", "name": "broken", "list": "allow"},
                {"name": "no plate"},
            ],
            "settings": {"tolerance": 7, "history": False},
        },
    }
    assert await async_setup_component(hass, DOMAIN, {})

    known_plates = hass.data[DATA_KEY].known_plates
    assert [known.plate for known in known_plates.plates] == ["AB 123"]
    assert known_plates.settings.tolerance == 2
    assert known_plates.settings.history is False
    assert known_plates.settings.retention_days == 30
