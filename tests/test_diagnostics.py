"""Diagnostics: useful to a maintainer, with the camera's secrets and pictures left out."""

from __future__ import annotations

import base64
from unittest.mock import ANY

from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.lpr_camera.const import (
    CONF_CONNECTION_TYPE,
    CONNECTION_HTTP,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
)
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import add_http_camera, logged_reads, site_entry, wait_for
from .conftest import PASSWORD

# AB-123 in Cyrillic letters that look Latin.
CYRILLIC_AB_123 = "\u0410\u0412-123"
BASIC = {"Authorization": "Basic " + base64.b64encode(b"cam:cam-password").decode()}


def text_values(value: object) -> list[str]:
    """Every text in a nested value, keys and values."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for pair in value.items() for item in pair for text in text_values(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in text_values(item)]
    return []


async def test_diagnostics_redacts_secrets(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read("DIAG1"))
    await wait_for(lambda: events)

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    assert diagnostics["entry"]["data"]["password"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["username"] == "**REDACTED**"
    # (Compared whole: "1234" may be part of a timestamp or an id.)
    assert PASSWORD not in text_values(diagnostics)
    assert diagnostics["connected"] is True
    assert diagnostics["last_read"]["plate"] == "D***1"
    assert "DIAG1" not in str(diagnostics)
    assert diagnostics["last_read"]["has_full_image"] is True


async def test_diagnostics_last_reads_and_http_secrets(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The last 20 reads with their match and no pictures; the webhook id is a secret too."""
    assert await async_setup_component(hass, "diagnostics", {})  # before the web server starts
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Gate",
        data={
            CONF_CONNECTION_TYPE: CONNECTION_HTTP,
            CONF_WEBHOOK_ID: "secret-hook-id",
            CONF_USERNAME: "cam",
            CONF_PASSWORD: "cam-password",
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "KNOWN1", "name": "Anna's car"}, blocking=True
    )
    client = await hass_client_no_auth()
    for number in range(25):
        response = await client.post(
            "/api/webhook/secret-hook-id",
            json={"plate": f"READ{number}", "plate_image": base64.b64encode(b"jpeg").decode()},
            headers=BASIC,
        )
        assert response.status == 200
    response = await client.post(
        "/api/webhook/secret-hook-id",
        json={"plate": "KNOWN1"},
        headers=BASIC,
    )
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    for secret in ("secret-hook-id", "cam-password", "Anna", "READ1", "KNOWN1"):
        assert secret not in str(diagnostics)
    assert diagnostics["entry"]["data"]["webhook_id"] == "**REDACTED**"
    reads = diagnostics["recent_reads"]
    masked = [f"R***{n}" if n < 10 else f"R****{n % 10}" for n in range(6, 25)]
    assert [read["plate"] for read in reads] == [*masked, "K****1"]
    assert reads[0]["has_plate_image"] is True
    assert "anBlZw" not in str(reads)  # base64 of the picture
    assert reads[-1]["event_type"] == "known"
    assert reads[-1]["matched_plate"] == "K****1"
    assert reads[-1]["raw"]["plate"] == "K****1"
    assert reads[-1]["known_name"] == "**REDACTED**"
    assert diagnostics["known_vehicles"] == 1
    assert diagnostics["settings"] == {
        "tolerance": 1,
        "history": True,
        "retention_days": 30,
        "max_size_mb": 1000,
        "on_site_limit_hours": 24,
        "pass_retention_days": 7,
        "plate_log_admin_only": False,
    }


async def test_diagnostics_mask_plates_in_ties_and_raw_fields(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A read that ties two known plates, sent with the plate inside other raw fields."""
    assert await async_setup_component(hass, "diagnostics", {})
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Gate",
        data={
            CONF_CONNECTION_TYPE: CONNECTION_HTTP,
            CONF_WEBHOOK_ID: "hook",
            CONF_USERNAME: "",
            CONF_PASSWORD: "",
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    for plate in ("B 4567", "B 4568"):
        await hass.services.async_call(DOMAIN, "add_known_plate", {"plate": plate}, blocking=True)
    client = await hass_client_no_auth()
    body = {"plate": "B4569", "note": "seen B4569 twice", "count": 2}
    assert (await client.post("/api/webhook/hook", json=body)).status == 200

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    # (Whole plates: their digits alone may be in a timestamp.)
    for plate in ("B4569", "B 4567", "B 4568"):
        assert plate not in str(diagnostics)
    read = diagnostics["recent_reads"][-1]
    assert read["match_ties"] == ["B****7", "B****8"]
    assert read["raw"]["note"] == "seen B***9 twice"
    assert read["raw"]["count"] == 2


async def test_diagnostics_mask_every_writing_of_a_plate(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A plate sent as a number, or written otherwise (case, spaces, Cyrillic), is masked too."""
    assert await async_setup_component(hass, "diagnostics", {})
    entry = await add_http_camera(hass, "Gate", "hook")
    await hass.services.async_call(
        DOMAIN, "add_known_plate", {"plate": "NAME", "name": "Anna's car"}, blocking=True
    )
    client = await hass_client_no_auth()
    for body in (
        {"plate": 4711829, "note": "4711 829 again", "nested": "seen as 4711-829"},
        {"plate": "ab 123", "seen_as": "AB123", "also": CYRILLIC_AB_123, "AB123": "as a key"},
        # A plate written like a field: the redaction of the known vehicle's name still finds it.
        {"plate": "NAME"},
    ):
        assert (await client.post("/api/webhook/hook", json=body)).status == 200
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)

    for plate in ("4711829", "4711 829", "4711-829", "ab 123", "AB123", CYRILLIC_AB_123, "Anna"):
        assert plate not in str(diagnostics)
    number, letters, name = (diagnostics["recent_reads"][index] for index in range(3))
    assert number["plate"] == "4*****9"
    assert number["raw"] == {"plate": "4*****9", "note": "4******9 again", "nested": ANY}
    assert letters["raw"] == {
        "plate": "a****3",
        "seen_as": "A***3",
        "also": "\u0410****3",
        "A***3": "as a key",
    }
    assert name["known_n**e"] == "**REDACTED**"  # a key too holds the plate


async def test_site_diagnostics_mask_plates_and_leave_names_out(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    hass_ws_client: WebSocketGenerator,
) -> None:
    # Their views, before the web server starts.
    for component in ("diagnostics", "websocket_api"):
        assert await async_setup_component(hass, component, {})
    await add_http_camera(hass, "Gate", "hook")
    for plate, fields in (("AB-123", {"name": "Anna's car"}), ("GUEST9", {"valid_until": None})):
        await hass.services.async_call(
            DOMAIN, "add_known_plate", {"plate": plate, **fields}, blocking=True
        )
    await hass.services.async_call(
        DOMAIN,
        "add_known_plate",
        {"plate": "GUEST9", "valid_from": "2030-01-01 00:00:00"},
        blocking=True,
    )
    client = await hass_client_no_auth()
    for plate in ("AB123", "ZZ999"):
        body = {"plate": plate, "direction": "Approach"}
        assert (await client.post("/api/webhook/hook", json=body)).status == 200
    await hass.async_block_till_done()
    # ZZ999 was a misread of YY111 (the camera's rule from now on).
    [zz999, _] = await logged_reads(hass)
    ws_client = await hass_ws_client(hass)
    await ws_client.send_json_auto_id(
        {
            "type": "lpr_camera/reads/correct",
            "read_id": zz999.read_id,
            "plate": "YY111",
            "remember": True,
        }
    )
    assert (await ws_client.receive_json())["success"]

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, site_entry(hass))

    for secret in ("Anna", "AB-123", "AB123", "GUEST9", "ZZ999", "YY111"):
        assert secret not in str(diagnostics)
    [camera] = [
        entry for entry in hass.config_entries.async_entries(DOMAIN) if entry.title == "Gate"
    ]
    assert diagnostics["correction_rules"] == [
        {"config_entry_id": camera.entry_id, "read_plate": "Z***9", "plate": "Y***1"}
    ]
    assert diagnostics["known_vehicles"] == [
        {
            "plate": "A****3",
            "list": "allow",
            "pass_status": None,
            "on_site": True,
            "last_seen": ANY,
        },
        {
            "plate": "G****9",
            "list": "allow",
            "pass_status": "not_yet_valid",
            "on_site": False,
            "last_seen": None,
        },
    ]
    assert [item["plate"] for item in diagnostics["vehicles_on_site"]] == ["A****3", "Y***1"]
    assert diagnostics["settings"]["on_site_limit_hours"] == 24
