"""What the integration kept before, brought up to date.

The known plates of before the site entry move into it: vehicles, settings, nothing twice. The
config entries of before unique ids (1.1) get theirs; of one camera added twice, one entry does.
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState, ConfigSubentryDataWithId
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.site.known_vehicles import is_site_entry
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import NO_PASS, SITE_DEFAULTS, add_entry, saved_changes, site_entry, wait_for
from .conftest import PASSWORD, USERNAME

LEGACY_KEY = "lpr_camera.known_plates"


def legacy_store(plates: list[dict[str, str]], settings: dict[str, Any]) -> dict[str, Any]:
    """The store the known plates and the shared settings lived in until version 0.1."""
    return {
        "version": 1,
        "minor_version": 1,
        "key": LEGACY_KEY,
        "data": {"plates": plates, "settings": settings},
    }


def site_entries(hass: HomeAssistant) -> list[Any]:
    return [entry for entry in hass.config_entries.async_entries(DOMAIN) if is_site_entry(entry)]


def vehicles(hass: HomeAssistant) -> dict[str, dict[str, Any]]:
    """The site's known vehicles: name (else plate) -> data."""
    return {
        s.data["name"] or s.data["plate"]: dict(s.data)
        for s in site_entry(hass).subentries.values()
    }


async def read(hass: HomeAssistant, camera: CameraSimulator, plate: str) -> dict[str, Any]:
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read(plate))
    await wait_for(lambda: events)
    return dict(events[0].data)


async def test_known_plates_become_the_sites_vehicles(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
    camera: CameraSimulator,
) -> None:
    """A camera set up as before: the site appears with what the old store held."""
    hass_storage[LEGACY_KEY] = legacy_store(
        [
            {"plate": "AB-123 CD", "name": "Anna's car", "list": "allow"},
            {"plate": "X 99", "name": "", "list": "deny"},
            {"plate": "AB/12", "name": "Not a plate", "list": "allow"},  # edited by hand
            {"plate": "ab123cd", "name": "Anna's car again", "list": "deny"},  # the same plate
        ],
        {"tolerance": 7, "history": False, "retention_days": 10, "max_size_mb": 500},
    )
    config_entry.add_to_hass(hass)

    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await camera.wait_for_client()

    [site] = site_entries(hass)
    assert site.title == "Site"
    assert vehicles(hass) == {
        "Anna's car": {"plate": "AB-123 CD", "name": "Anna's car", "list": "allow", **NO_PASS},
        "X 99": {"plate": "X 99", "name": "", "list": "deny", **NO_PASS},
    }
    # The tolerance 7 was in effect as 2, the most there is; the settings new since: defaults.
    assert site.options == {
        **SITE_DEFAULTS,
        "tolerance": 2,
        "history": False,
        "retention_days": 10,
        "max_size_mb": 500,
    }
    assert LEGACY_KEY not in hass_storage
    assert hass.states.get("binary_sensor.anna_s_car_on_site").state == "off"
    assert hass.states.get("binary_sensor.x_99_on_site").state == "off"

    anna = await read(hass, camera, "AB123CD")
    assert anna["known_name"] == "Anna's car"
    assert anna["authorized"] is True
    denied = await read(hass, camera, "X99")
    assert denied["event_type"] == "denied"
    assert denied["authorized"] is False


async def test_without_known_plates_the_site_starts_empty(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()

    [site] = site_entries(hass)
    assert site.title == "Site"
    assert site.data == {"kind": "site"}
    assert site.options == SITE_DEFAULTS
    assert vehicles(hass) == {}
    assert hass.states.get("sensor.site_vehicles_on_site").state == "0"


async def test_a_second_start_keeps_the_one_site(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """The site of the first start is the site; an old store left over is not moved again.

    (Left over: Home Assistant stopped between creating the site and setting it up.)
    """
    MockConfigEntry(
        domain=DOMAIN,
        title="Site",
        data={"kind": "site"},
        options={**SITE_DEFAULTS, "tolerance": 0},
        subentries_data=[
            ConfigSubentryDataWithId(
                data={"plate": "AB-123 CD", "name": "Anna's car", "list": "allow", **NO_PASS},
                subentry_id="anna",
                subentry_type="vehicle",
                title="Anna's car",
                unique_id="AB123CD",
            )
        ],
    ).add_to_hass(hass)
    hass_storage[LEGACY_KEY] = legacy_store(
        [{"plate": "B 4567", "name": "Van", "list": "allow"}], {"tolerance": 2}
    )

    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()

    [site] = site_entries(hass)
    assert list(site.subentries) == ["anna"]
    assert site.options["tolerance"] == 0
    assert LEGACY_KEY not in hass_storage


def entry_of_before(title: str, data: dict[str, Any]) -> MockConfigEntry:
    """A config entry as the integration made it before unique ids: version 1.1, none."""
    return MockConfigEntry(domain=DOMAIN, title=title, data=data, version=1, minor_version=1)


def tcp_data(host: str, port: int) -> dict[str, Any]:
    return {
        "connection_type": "tcp",
        "host": host,
        "port": port,
        "username": USERNAME,
        "password": PASSWORD,
    }


async def test_entries_of_before_get_their_unique_ids(
    hass: HomeAssistant, camera: CameraSimulator, refused_port: int
) -> None:
    """A camera by its host and port, RTSP with its stream path, HTTP by its webhook.

    The site is "site". (The RTSP camera cannot be reached: the id comes before the connection.)
    """
    entries = [
        entry_of_before("Gate", tcp_data("localhost", camera.port)),
        entry_of_before(
            "Channel 2",
            {
                "connection_type": "rtsp",
                "host": "127.0.0.1",
                "port": refused_port,
                "path": "onvif/channel2",  # stored as typed, without the leading slash
                "http_port": 80,
                "username": USERNAME,
                "password": PASSWORD,
            },
        ),
        entry_of_before(
            "Drive",
            {"connection_type": "http", "webhook_id": "drive-hook", "username": "", "password": ""},
        ),
        entry_of_before("Site", {"kind": "site"}),
    ]
    for entry in entries:
        entry.add_to_hass(hass)

    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()

    assert {entry.title: (entry.unique_id, entry.minor_version) for entry in entries} == {
        "Gate": (f"localhost:{camera.port}", 2),
        "Channel 2": (f"127.0.0.1:{refused_port}/onvif/channel2", 2),
        "Drive": ("drive-hook", 2),
        "Site": ("site", 2),
    }
    assert entries[0].state is ConfigEntryState.LOADED
    assert len(site_entries(hass)) == 1


@pytest.fixture
async def one_camera_twice(
    hass: HomeAssistant, camera: CameraSimulator
) -> tuple[MockConfigEntry, MockConfigEntry]:
    """One camera added twice before unique ids, both entries working.

    (In life its host in other letter case; the tests resolve no host name but `localhost`.)
    """
    first = await add_entry(hass, entry_of_before("Gate", tcp_data("localhost", camera.port)))
    second = await add_entry(
        hass, entry_of_before("Gate again", tcp_data("localhost", camera.port))
    )
    return first, second


def duplicate_issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"duplicate_camera_{entry.entry_id}")


async def test_one_camera_added_twice_keeps_one_unique_id(
    hass: HomeAssistant,
    camera: CameraSimulator,
    one_camera_twice: tuple[MockConfigEntry, MockConfigEntry],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The entry set up first has the id; the other works on, without one, under a repair issue."""
    first, second = one_camera_twice

    assert (first.unique_id, first.minor_version) == (f"localhost:{camera.port}", 2)
    assert (second.unique_id, second.minor_version) == (None, 1)
    assert second.state is ConfigEntryState.LOADED
    issue = duplicate_issue(hass, second)
    assert issue is not None
    assert issue.translation_key == "duplicate_camera"
    assert issue.translation_placeholders == {"title": "Gate again", "other": "Gate"}
    assert duplicate_issue(hass, first) is None
    # (Logged while the fixture set the entries up.)
    logged = [record.getMessage() for record in caplog.get_records("setup")]
    assert "Gate again is the same camera as Gate: remove one of them (or reconfigure it)" in logged

    # Set up again (a restart), it still waits: no second issue, no id taken.
    assert await hass.config_entries.async_reload(second.entry_id)
    await hass.async_block_till_done()
    assert second.unique_id is None
    assert duplicate_issue(hass, second) is not None


@pytest.mark.parametrize("removed", ["Gate", "Gate again"])
async def test_removing_either_entry_leaves_one_with_the_unique_id(
    hass: HomeAssistant,
    camera: CameraSimulator,
    one_camera_twice: tuple[MockConfigEntry, MockConfigEntry],
    removed: str,
) -> None:
    """The entry left is the camera's, with its id at once; the repair issue is gone."""
    first, second = one_camera_twice
    gone, left = (first, second) if removed == "Gate" else (second, first)

    await hass.config_entries.async_remove(gone.entry_id)
    await hass.async_block_till_done()

    assert (left.unique_id, left.minor_version) == (f"localhost:{camera.port}", 2)
    assert left.state is ConfigEntryState.LOADED
    assert duplicate_issue(hass, second) is None


async def test_reconfiguring_the_second_entry_to_its_own_camera(
    hass: HomeAssistant,
    camera: CameraSimulator,
    second_camera: CameraSimulator,
    one_camera_twice: tuple[MockConfigEntry, MockConfigEntry],
) -> None:
    """It cannot keep the first entry's camera; given another, it is that camera's entry."""
    _, second = one_camera_twice
    result = await second.start_reconfigure_flow(hass)
    form = {
        key: value
        for key, value in tcp_data("localhost", camera.port).items()
        if key != "connection_type"
    }

    result = await hass.config_entries.flow.async_configure(result["flow_id"], form)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "already_configured"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**form, "host": "127.0.0.1", "port": second_camera.port}
    )
    assert saved_changes(result) == [
        "Host: localhost → 127.0.0.1",
        f"Port: {camera.port} → {second_camera.port}",
    ]
    await hass.async_block_till_done()
    assert (second.unique_id, second.minor_version) == (f"127.0.0.1:{second_camera.port}", 2)
    assert duplicate_issue(hass, second) is None
    await second_camera.wait_for_client()
