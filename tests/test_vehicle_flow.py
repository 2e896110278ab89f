"""Known vehicles through the site's subentry flows: add, edit, delete, and what reads make of them.

A pass that ends is removed some days later, so the tests that store one run on a frozen clock
(`thursday`): Thursday 2024-02-01, 08:00 in Home Assistant's zone (US/Pacific in tests). The
tests of reads use passes without dates; each read brings its own time.
"""

from __future__ import annotations

from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry, ConfigSubentry, SubentryFlowContext
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, UnknownHandler, section
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED

from .common import NO_PASS, add_http_camera, saved_changes, site_entry

CLEANER_PASS = {
    "valid_until": "2024-06-30 18:00:00",
    "weekdays": ["fri", "mon", "tue", "wed", "thu"],
    "start": "07:00:00",
    "end": "18:00:00",
}
CLEANER = {"plate": "cl-1", "name": "Cleaner", "list": "allow", "pass": CLEANER_PASS}
# How the site stores the cleaner: the plate cleaned up, the moment with its zone.
CLEANER_HOURS = {"weekdays": CLEANER_PASS["weekdays"], "start": "07:00:00", "end": "18:00:00"}
# The pass as the integration's page and the device show it.
CLEANER_PASS_SHOWN = "Pass until 2024-06-30 18:00, Monday–Friday 07:00–18:00"
CLEANER_STORED = {
    "plate": "CL-1",
    "name": "Cleaner",
    "list": "allow",
    "valid_from": None,
    "valid_until": "2024-06-30T18:00:00-07:00",
    "weekdays": ["mon", "tue", "wed", "thu", "fri"],
    "start": "07:00:00",
    "end": "18:00:00",
}


@pytest.fixture
def thursday(freezer: FrozenDateTimeFactory) -> None:
    """Thursday morning, in the cleaner's pass (never today, whose passes may have ended)."""
    freezer.move_to("2024-02-01T16:00:00+00:00")


@pytest.fixture(autouse=True)
async def setup(hass: HomeAssistant) -> None:
    """The integration with its site."""
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()


async def open_form(hass: HomeAssistant, subentry_id: str | None = None) -> Any:
    """The site's "Add known vehicle" form, or "Edit known vehicle" of a subentry."""
    context = SubentryFlowContext(source="user")
    if subentry_id is not None:
        context = SubentryFlowContext(source="reconfigure", subentry_id=subentry_id)
    return await hass.config_entries.subentries.async_init(
        (site_entry(hass).entry_id, "vehicle"), context=context
    )


async def submit(hass: HomeAssistant, form: Any, user_input: dict[str, Any]) -> Any:
    result = await hass.config_entries.subentries.async_configure(form["flow_id"], user_input)
    await hass.async_block_till_done()
    return result


async def add_vehicle(hass: HomeAssistant, user_input: dict[str, Any]) -> ConfigSubentry:
    result = await submit(hass, await open_form(hass), user_input)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    [subentry] = [s for s in site_entry(hass).subentries.values() if s.title == result["title"]]
    return subentry


def shown(schema: Any) -> dict[str, Any]:
    """The values a form shows filled in, the sections' included."""
    values: dict[str, Any] = {}
    for key, value in schema.schema.items():
        if isinstance(value, section):
            values[key.schema] = shown(value.schema)
        elif (key.description or {}).get("suggested_value") is not None:
            values[key.schema] = key.description["suggested_value"]
    return values


def pass_folded(form: Any) -> bool:
    """Whether the form shows its pass section folded away."""
    [pass_section] = [v for v in form["data_schema"].schema.values() if isinstance(v, section)]
    return bool(pass_section.options["collapsed"])


def stored(hass: HomeAssistant) -> dict[str, dict[str, Any]]:
    """The site's known vehicles: name (else plate) -> data."""
    return {
        s.data["name"] or s.data["plate"]: dict(s.data)
        for s in site_entry(hass).subentries.values()
    }


def vehicle_device(hass: HomeAssistant, subentry: ConfigSubentry) -> dr.DeviceEntry | None:
    """The known vehicle's device (a device of the site entry)."""
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), site_entry(hass).entry_id)
    identifier = (DOMAIN, f"vehicle_{subentry.subentry_id}")
    return next((device for device in devices if identifier in device.identifiers), None)


@pytest.mark.usefixtures("thursday")
async def test_add_a_vehicle_with_a_pass(hass: HomeAssistant) -> None:
    form = await open_form(hass)
    assert form["type"] is FlowResultType.FORM
    assert form["step_id"] == "user"
    assert form["errors"] == {}
    assert shown(form["data_schema"]) == {"pass": {}}
    assert pass_folded(form)

    result = await submit(hass, form, CLEANER)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    # The integration's page shows the plate and the pass beside the name.
    assert result["title"] == f"Cleaner · CL-1 · {CLEANER_PASS_SHOWN}"
    assert stored(hass) == {"Cleaner": CLEANER_STORED}
    [subentry] = site_entry(hass).subentries.values()
    assert subentry.subentry_type == "vehicle"
    assert subentry.unique_id == "CL1"
    device = vehicle_device(hass, subentry)
    assert device is not None
    assert device.name == "Cleaner"
    assert device.model == f"Known vehicle · CL-1 · Allow list · {CLEANER_PASS_SHOWN}"
    site_device = dr.async_get(hass).async_get(str(device.via_device_id))
    assert site_device is not None
    assert site_device.name == "Site"
    assert hass.states.get("binary_sensor.cleaner_on_site").state == "off"
    assert hass.states.get("sensor.cleaner_last_seen").state == "unknown"
    assert hass.states.get("sensor.cleaner_last_camera").state == "unknown"


async def test_without_a_name_the_plate_names_it_and_the_deny_list_shows(
    hass: HomeAssistant,
) -> None:
    result = await submit(
        hass, await open_form(hass), {"plate": "x 99", "list": "deny", "pass": {}}
    )

    assert result["title"] == "⛔ X 99 · Deny list"
    assert stored(hass) == {"X 99": {"plate": "X 99", "name": "", "list": "deny", **NO_PASS}}
    [subentry] = site_entry(hass).subentries.values()
    device = vehicle_device(hass, subentry)
    assert device is not None
    assert (device.name, device.model) == ("X 99", "Known vehicle · X 99 · Deny list")


async def test_a_known_plate_is_refused_on_the_plate_field(hass: HomeAssistant) -> None:
    """Known by the action as AB-123, it is the same vehicle typed as ab 123."""
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "AB-123", "name": "Anna's car"}, blocking=True
    )
    await hass.async_block_till_done()

    form = await open_form(hass)
    result = await submit(
        hass, form, {"plate": "ab 123", "name": "Bob's car", "list": "allow", "pass": {}}
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"plate": "already_known"}
    assert list(stored(hass)) == ["Anna's car"]
    # The form keeps what was typed.
    assert shown(result["data_schema"]) == {
        "plate": "ab 123",
        "name": "Bob's car",
        "list": "allow",
        "pass": {},
    }

    result = await submit(hass, result, {"plate": "BO 456", "name": "Bob's car", "pass": {}})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert sorted(stored(hass)) == ["Anna's car", "Bob's car"]


@pytest.mark.usefixtures("thursday")
@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({"plate": "AB/123"}, {"plate": "invalid_plate"}),
        ({"plate": " - . "}, {"plate": "invalid_plate"}),
        ({"plate": "A" * 17}, {"plate": "invalid_plate"}),
        ({"plate": "AB123", "name": "x" * 101}, {"name": "name_too_long"}),
        ({"plate": "AB123", "pass": {"start": "07:00:00"}}, {"pass": "invalid_pass"}),
        (
            {
                "plate": "AB123",
                "pass": {"valid_from": "2024-03-02 00:00:00", "valid_until": "2024-03-01 00:00:00"},
            },
            {"pass": "invalid_pass"},
        ),
    ],
)
async def test_bad_input_is_refused_then_fixed(
    hass: HomeAssistant, user_input: dict[str, Any], errors: dict[str, str]
) -> None:
    form = await open_form(hass)

    result = await submit(hass, form, {"list": "allow", "pass": {}, **user_input})

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert stored(hass) == {}

    result = await submit(hass, result, CLEANER)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert stored(hass) == {"Cleaner": CLEANER_STORED}


@pytest.mark.usefixtures("thursday")
async def test_edit_shows_the_vehicle_and_changes_it(hass: HomeAssistant) -> None:
    subentry = await add_vehicle(hass, CLEANER)

    form = await open_form(hass, subentry.subentry_id)

    assert form["type"] is FlowResultType.FORM
    assert form["step_id"] == "reconfigure"
    assert not pass_folded(form)  # a pass is there to be seen
    assert shown(form["data_schema"]) == {
        "plate": "CL-1",
        "name": "Cleaner",
        "list": "allow",
        "pass": {**CLEANER_PASS, "weekdays": ["mon", "tue", "wed", "thu", "fri"]},
    }

    result = await submit(
        hass,
        form,
        {
            "plate": "GD 7",
            "name": "Gardener",
            "list": "deny",
            "pass": {"valid_from": "2024-02-05 00:00:00", "weekdays": ["sat"]},
        },
    )

    assert saved_changes(result) == [
        "Plate: CL-1 → GD 7",
        "Name: Cleaner → Gardener",
        "List: Allow list → Deny list",
        "Valid from: — → 2024-02-05 00:00:00",
        "Valid until: 2024-06-30 18:00:00 → —",
        "Weekdays: Monday, Tuesday, Wednesday, Thursday, Friday → Saturday",
        "Daily from: 07:00:00 → —",
        "Daily until: 18:00:00 → —",
    ]
    assert stored(hass) == {
        "Gardener": {
            **NO_PASS,
            "plate": "GD 7",
            "name": "Gardener",
            "list": "deny",
            "valid_from": "2024-02-05T00:00:00-08:00",
            "weekdays": ["sat"],
        }
    }
    # The same vehicle, its device renamed; its entities stay. On the deny list a pass counts
    # for nothing, and is not shown.
    [edited] = site_entry(hass).subentries.values()
    assert edited.subentry_id == subentry.subentry_id
    assert edited.unique_id == "GD7"
    assert edited.title == "⛔ Gardener · GD 7 · Deny list"
    device = vehicle_device(hass, edited)
    assert device is not None
    assert (device.name, device.model) == ("Gardener", "Known vehicle · GD 7 · Deny list")
    assert hass.states.get("binary_sensor.cleaner_on_site").state == "off"


@pytest.mark.usefixtures("thursday")
async def test_a_device_the_user_renamed_keeps_its_name(hass: HomeAssistant) -> None:
    """Its name stays the user's; its model still follows the vehicle."""
    subentry = await add_vehicle(hass, CLEANER)
    device = vehicle_device(hass, subentry)
    assert device is not None
    dr.async_get(hass).async_update_device(device.id, name_by_user="The cleaner's van")

    result = await submit(
        hass, await open_form(hass, subentry.subentry_id), {**CLEANER, "name": "Cleaners"}
    )

    assert saved_changes(result) == ["Name: Cleaner → Cleaners"]
    device = vehicle_device(hass, subentry)
    assert device is not None
    assert (device.name_by_user, device.name) == ("The cleaner's van", "Cleaners")
    assert site_entry(hass).subentries[subentry.subentry_id].title == (
        f"Cleaners · CL-1 · {CLEANER_PASS_SHOWN}"
    )


@pytest.mark.usefixtures("thursday")
async def test_edit_shows_a_pass_in_local_time(hass: HomeAssistant) -> None:
    """A pass an automation set in UTC shows in Home Assistant's zone."""
    await hass.services.async_call(
        DOMAIN,
        "add_known_plate",
        {"plate": "GU 1", "name": "Guest", "valid_until": "2024-02-04T07:59:00+00:00"},
        blocking=True,
    )
    await hass.async_block_till_done()
    [subentry] = site_entry(hass).subentries.values()

    form = await open_form(hass, subentry.subentry_id)

    assert shown(form["data_schema"])["pass"] == {"valid_until": "2024-02-03 23:59:00"}


@pytest.mark.usefixtures("thursday")
async def test_edit_keeps_the_plate_written_anew(hass: HomeAssistant) -> None:
    """The vehicle's own plate is no conflict; another vehicle's is."""
    cleaner = await add_vehicle(hass, CLEANER)
    await add_vehicle(hass, {"plate": "AB 123", "name": "Anna's car", "pass": {}})

    form = await open_form(hass, cleaner.subentry_id)
    result = await submit(hass, form, {**CLEANER, "plate": "ab-123"})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"plate": "already_known"}

    result = await submit(hass, result, {**CLEANER, "plate": "cl 1"})
    assert saved_changes(result) == ["Plate: CL-1 → CL 1"]

    form = await open_form(hass, cleaner.subentry_id)
    result = await submit(hass, form, {**CLEANER, "plate": "cl 1"})
    assert result["reason"] == "unchanged"
    assert stored(hass)["Cleaner"]["plate"] == "CL 1"
    assert stored(hass)["Anna's car"]["plate"] == "AB 123"


@pytest.mark.usefixtures("thursday")
async def test_forms_show_only_their_own_vehicle(hass: HomeAssistant) -> None:
    """Editing one vehicle's pass leaves nothing behind in the next form."""
    cleaner = await add_vehicle(hass, CLEANER)
    anna = await add_vehicle(hass, {"plate": "AB 123", "name": "Anna's car", "pass": {}})
    await open_form(hass, cleaner.subentry_id)

    anna_form = await open_form(hass, anna.subentry_id)
    assert shown(anna_form["data_schema"]) == {
        "plate": "AB 123",
        "name": "Anna's car",
        "list": "allow",
        "pass": {},
    }
    assert pass_folded(anna_form)
    new_form = await open_form(hass)
    assert shown(new_form["data_schema"]) == {"pass": {}}
    assert pass_folded(new_form)


@pytest.mark.usefixtures("thursday")
async def test_delete_removes_the_device_and_its_entities(hass: HomeAssistant) -> None:
    subentry = await add_vehicle(hass, CLEANER)
    device = vehicle_device(hass, subentry)
    assert device is not None
    entity_ids = sorted(
        entity.entity_id for entity in er.async_entries_for_device(er.async_get(hass), device.id)
    )
    assert entity_ids == [
        "binary_sensor.cleaner_on_site",
        "sensor.cleaner_last_camera",
        "sensor.cleaner_last_seen",
    ]

    assert hass.config_entries.async_remove_subentry(site_entry(hass), subentry.subentry_id)
    await hass.async_block_till_done()

    assert stored(hass) == {}
    assert vehicle_device(hass, subentry) is None
    for entity_id in entity_ids:
        assert er.async_get(hass).async_get(entity_id) is None
        assert hass.states.get(entity_id) is None


async def test_only_the_site_has_known_vehicles(hass: HomeAssistant) -> None:
    camera = await add_http_camera(hass)

    assert site_entry(hass).supported_subentry_types == {"vehicle": {"supports_reconfigure": True}}
    assert camera.supported_subentry_types == {}
    with pytest.raises(UnknownHandler):
        await hass.config_entries.subentries.async_init(
            (camera.entry_id, "vehicle"), context={"source": "user"}
        )


async def post_read(client: Any, hass: HomeAssistant, plate: str, time: str) -> dict[str, Any]:
    """The camera posts a read (its local time); the read's bus event."""
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    response = await client.post(
        "/api/webhook/gate-hook", json={"plate": plate, "time": time, "direction": "Approach"}
    )
    assert response.status == 200
    await hass.async_block_till_done()
    [event] = events
    return dict(event.data)


async def test_reads_follow_the_vehicles_of_the_flows(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """A vehicle added in the form is matched at once; put on the deny list, it is denied."""
    await add_http_camera(hass)
    cleaner = await add_vehicle(hass, {**CLEANER, "pass": CLEANER_HOURS})
    client = await hass_client_no_auth()

    read = await post_read(client, hass, "CL1", "2024-02-01 08:00:00")
    assert read["event_type"] == "known"
    assert read["known_name"] == "Cleaner"
    assert read["authorized"] is True
    assert read["pass_status"] == "valid"
    assert hass.states.get("binary_sensor.gate_authorized").state == "on"

    # Saturday: outside the cleaner's days.
    read = await post_read(client, hass, "CL1", "2024-02-03 08:00:00")
    assert read["authorized"] is False
    assert read["pass_status"] == "outside_hours"

    form = await open_form(hass, cleaner.subentry_id)
    result = await submit(hass, form, {**CLEANER, "list": "deny", "pass": CLEANER_HOURS})
    assert result["reason"] == "saved"

    read = await post_read(client, hass, "CL1", "2024-02-01 09:00:00")
    assert read["event_type"] == "denied"
    assert read["known_list"] == "deny"
    assert read["authorized"] is False


async def test_a_deleted_vehicle_is_unknown(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    await add_http_camera(hass)
    subentry = await add_vehicle(hass, {**CLEANER, "pass": CLEANER_HOURS})
    client = await hass_client_no_auth()

    entry: ConfigEntry = site_entry(hass)
    hass.config_entries.async_remove_subentry(entry, subentry.subentry_id)
    await hass.async_block_till_done()

    read = await post_read(client, hass, "CL1", "2024-02-01 08:00:00")
    assert read["event_type"] == "unknown"
    assert read["authorized"] is False
