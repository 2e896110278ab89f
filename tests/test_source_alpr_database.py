"""A source for Blue Iris and CodeProject.AI: ALPR-Database's body, posted to its webhook."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_RECONFIGURE
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.diagnostics import async_get_config_entry_diagnostics
from custom_components.lpr_camera.lpr.http_push import MAX_BODY_BYTES

from .common import logged_reads, saved_changes
from .test_http import our_warnings
from .webhook_payloads import JPEG, blue_iris_body
from .webhook_sources import WebhookSource, add_webhook_source, assert_refused_once

STEP = "source_alpr_database"
KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
PLATE = "sensor.blue_iris_last_plate"


async def add_source(hass: HomeAssistant, api_key: str = KEY) -> WebhookSource:
    return await add_webhook_source(hass, STEP, name="Blue Iris", api_key=api_key)


def blue_iris(*plates: str, **changes: Any) -> dict[str, Any]:
    """The body as Blue Iris posts it now (its `&ALERT_TIME`)."""
    return blue_iris_body(*plates, timestamp=dt_util.utcnow().isoformat(), **changes)


async def post(
    hass: HomeAssistant, client: Any, source: WebhookSource, body: dict[str, Any], key: str = KEY
) -> list[dict[str, Any]]:
    """Post as Blue Iris does, with the key in x-api-key; the bus events of the reads made."""
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    response = await client.post(source.path, json=body, headers={"x-api-key": key})
    assert response.status == 200
    await hass.async_block_till_done()
    return [dict(event.data) for event in events]


async def test_blue_iris_with_codeproject_ai(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """Each plate CodeProject.AI found is a read, with the alert's picture."""
    source = await add_source(hass)
    client = await hass_client_no_auth()

    reads = await post(hass, client, source, blue_iris("SGX 7923G", "HF7499"))

    assert [read["plate"] for read in reads] == ["SGX 7923G", "HF7499"]
    first = reads[0]
    assert (first["camera_device_id"], first["confidence"]) == ("ALPR2", 0.9400946199893951)
    assert (first["device_id"], first["has_full_image"]) == (source.device_id, True)
    assert first["raw"]["ALERT_CLIP"] == "@123456789"
    assert hass.states.get(PLATE).state == "HF7499"
    picture = await client.get(
        hass.states.get("image.blue_iris_full_picture").attributes["entity_picture"]
    )
    assert await picture.read() == JPEG
    assert len(await logged_reads(hass)) == 2


async def test_blue_iris_with_plate_number(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """The older macro: `&PLATE` in plate_number."""
    source = await add_source(hass)
    client = await hass_client_no_auth()
    body = blue_iris(plate_number="XY9")
    del body["ai_dump"]

    [read] = await post(hass, client, source, body)

    assert read["plate"] == "XY9"


async def test_without_a_key_set_any_key_does(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    source = await add_source(hass, api_key="")
    client = await hass_client_no_auth()

    [read] = await post(hass, client, source, blue_iris("AB123"), key="whatever")

    assert read["plate"] == "AB123"
    assert source.entry.data["api_key"] == ""


@pytest.mark.parametrize(
    ("headers", "reason"),
    [({}, "API key is required"), ({"x-api-key": "wrong"}, "Invalid API key")],
    ids=["none", "wrong"],
)
async def test_the_key_set_is_required(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    headers: dict[str, str],
    reason: str,
) -> None:
    """ALPR-Database's answers, and no read: a read may open a gate."""
    source = await add_source(hass)

    request = {"path": source.path, "json": blue_iris("AB123"), "headers": headers}
    await assert_refused_once(hass, hass_client_no_auth, caplog, request, 401, reason)


async def test_reconfigure_changes_the_key_and_keeps_the_url(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    source = await add_source(hass)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": source.entry.entry_id}
    )
    assert result["description_placeholders"]["url"].endswith(source.path)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Blue Iris", "api_key": "new-key"}
    )
    await hass.async_block_till_done()

    assert saved_changes(result) == ["API key: •••"]
    client = await hass_client_no_auth()
    [read] = await post(hass, client, source, blue_iris("AB123"), key="new-key")
    assert read["plate"] == "AB123"


async def test_diagnostics_hide_the_key_and_the_webhook(hass: HomeAssistant) -> None:
    source = await add_source(hass)

    diagnostics = await async_get_config_entry_diagnostics(hass, source.entry)

    entry = diagnostics["entry"]
    assert entry["data"]["api_key"] == entry["data"]["webhook_id"] == "**REDACTED**"
    assert entry["unique_id"] == "**REDACTED**"


async def test_a_picture_that_is_not_base64_keeps_the_read(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    source = await add_source(hass)
    client = await hass_client_no_auth()
    caplog.set_level(logging.WARNING)

    for plate in ("AB123", "CD456"):
        [read] = await post(hass, client, source, blue_iris(plate, Image="&ALERT_JPEG"))
        assert (read["plate"], read["has_full_image"]) == (plate, False)

    [warning] = our_warnings(caplog)
    assert "not base64" in warning.message


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{ "ai_dump":&JSON, "camera":"&CAM" }', "not JSON"),
        (b'{"plate_number": ["AB123"], "ai_dump": "alpr"}', "no plate in the body"),
        (b'{"ai_dump": [{"api": "alpr", "found": {"predictions": []}}]}', "no plate in the body"),
        (b'{"plate_number": "' + b"X" * 33 + b'"}', "plate longer than 32"),
        (b"{" + b" " * MAX_BODY_BYTES + b"}", "larger than"),
    ],
    ids=["macro not filled in", "wrong types", "no plate", "33 characters", "too large"],
)
async def test_hostile_bodies_are_refused(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    reason: str,
) -> None:
    source = await add_source(hass)

    request = {"path": source.path, "data": body, "headers": {"x-api-key": KEY}}
    await assert_refused_once(hass, hass_client_no_auth, caplog, request, 400, reason)

    client = await hass_client_no_auth()
    [read] = await post(hass, client, source, blue_iris("GOOD1"))
    assert read["plate"] == "GOOD1"
