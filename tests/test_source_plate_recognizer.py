"""A source for Plate Recognizer: added in the config flow, fed by real POSTs to its webhook."""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
import pytest
from homeassistant.config_entries import SOURCE_RECONFIGURE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.lpr.http_push import MAX_BODY_BYTES
from custom_components.lpr_camera.lpr.plate_reads import MAX_READS_PER_REQUEST
from custom_components.lpr_camera.sources.registry import SOURCE_TYPES

from .common import logged_reads
from .test_http import our_warnings
from .webhook_payloads import JPEG, snapshot_payload, stream_payload, stream_result
from .webhook_sources import WebhookSource, add_webhook_source, assert_refused_once

STEP = "source_plate_recognizer_webhook"
PLATE = "sensor.gate_stream_last_plate"
FULL_PICTURE = "image.gate_stream_full_picture"


async def add_source(hass: HomeAssistant) -> WebhookSource:
    return await add_webhook_source(hass, STEP, name="Gate stream")


def now() -> str:
    """Stream's time of a recognition: UTC, ISO 8601 (its clock is right)."""
    return dt_util.utcnow().isoformat()


def with_picture(payload: dict[str, Any]) -> aiohttp.FormData:
    """As Stream posts with `webhook_image = yes`: the JSON in `json`, the picture in `upload`."""
    form = aiohttp.FormData()
    form.add_field("json", json.dumps(payload))
    form.add_field("upload", JPEG, filename="image.jpg", content_type="image/jpeg")
    return form


async def post(
    hass: HomeAssistant, client: Any, source: WebhookSource, **request: Any
) -> list[dict[str, Any]]:
    """Post to the source's webhook; the bus events of the reads it made."""
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    response = await client.post(source.path, **request)
    assert response.status == 200
    await hass.async_block_till_done()
    return [dict(event.data) for event in events]


async def test_the_form_shows_the_url_it_makes_once(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "source"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": STEP}
    )
    url = result["description_placeholders"]["url"]
    assert "/api/webhook/" in url

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"name": " "})
    assert result["errors"] == {"name": "invalid_name"}
    assert result["description_placeholders"]["url"] == url
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"name": "Gate"})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    webhook_id = url.rsplit("/", 1)[1]
    assert entry.data["webhook_id"] == webhook_id
    assert entry.unique_id == f"plate_recognizer:{webhook_id}"
    assert SOURCE_TYPES[entry.data["source_type"]].model == "Plate Recognizer"


async def test_reconfigure_shows_the_same_url(hass: HomeAssistant) -> None:
    source = await add_source(hass)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": source.entry.entry_id}
    )
    assert result["description_placeholders"]["url"].endswith(source.path)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"name": "Gate"})

    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "unchanged")
    assert source.entry.data["webhook_id"] == source.path.rsplit("/", 1)[1]


async def test_stream_with_its_picture(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """Stream's webhook with its picture: a read with its direction, vehicle and picture."""
    source = await add_source(hass)
    client = await hass_client_no_auth()

    [read] = await post(hass, client, source, data=with_picture(stream_payload(timestamp=now())))

    assert (read["plate"], read["direction"], read["vehicle_type"]) == (
        "pl8rec",
        "departing",
        "car",
    )
    assert (read["camera_device_id"], read["region"], read["confidence"]) == (
        "camera-1",
        "us-ca",
        0.902,
    )
    assert (read["device_id"], read["has_full_image"]) == (source.device_id, True)
    assert read["raw"]["direction"] == 210  # Stream's angle in the picture, as sent
    assert hass.states.get(PLATE).state == "pl8rec"
    assert hass.states.get("binary_sensor.gate_stream_connection").state == "on"
    picture = await client.get(hass.states.get(FULL_PICTURE).attributes["entity_picture"])
    assert await picture.read() == JPEG
    [logged] = await logged_reads(hass)
    assert logged.picture("full")


async def test_streams_data_only_form(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """Without its picture, Stream posts a form with the JSON in its `json` field."""
    source = await add_source(hass)
    client = await hass_client_no_auth()

    [read] = await post(
        hass, client, source, data={"json": json.dumps(stream_payload(timestamp=now()))}
    )

    assert (read["plate"], read["has_full_image"]) == ("pl8rec", False)


async def test_snapshots_json_with_two_plates(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """Snapshot's "Data Only" webhook: two vehicles in the picture are two reads."""
    source = await add_source(hass)
    client = await hass_client_no_auth()
    payload = snapshot_payload("AB123", "CD456", timestamp=now().removesuffix("+00:00"))

    reads = await post(hass, client, source, json=payload)

    assert [read["plate"] for read in reads] == ["AB123", "CD456"]
    assert hass.states.get(PLATE).state == "CD456"


async def test_no_plate_found_is_answered_200_and_no_read(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Snapshot posts when it found no plate too; an error would make it drop the webhook."""
    source = await add_source(hass)
    client = await hass_client_no_auth()
    caplog.set_level(logging.WARNING)

    response = await client.post(source.path, json=snapshot_payload())

    assert (response.status, await response.text()) == (200, "no plate")
    await hass.async_block_till_done()
    assert hass.states.get(PLATE).state == "unknown"
    assert our_warnings(caplog) == []


async def test_plates_past_the_bound_are_left_out_and_logged_once(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    source = await add_source(hass)
    client = await hass_client_no_auth()
    caplog.set_level(logging.WARNING)
    plates = [f"P{n}" for n in range(MAX_READS_PER_REQUEST + 4)]
    payload = stream_payload(*(stream_result(plate) for plate in plates), timestamp=now())

    for _ in range(2):
        reads = await post(hass, client, source, json=payload)
        assert [read["plate"] for read in reads] == plates[:MAX_READS_PER_REQUEST]

    [warning] = our_warnings(caplog)
    assert "4 of them" in warning.message
    assert source.entry.runtime_data.shed["reads_left_out"] == 8


@pytest.mark.parametrize(
    ("request_data", "reason"),
    [
        ({"data": b"garbage", "headers": {"Content-Type": "application/json"}}, "not JSON"),
        ({"json": {"data": {"results": "AB123"}}}, "no results list"),
        ({"json": stream_payload(stream_result("X" * 33))}, "plate longer than 32"),
        ({"data": {"upload": "AB123"}}, "form without its json field"),
        (
            {
                "data": b"{" + b" " * MAX_BODY_BYTES + b"}",
                "headers": {"Content-Type": "text/plain"},
            },
            "larger than",
        ),
    ],
    ids=["garbage", "wrong types", "33 characters", "form without json", "too large"],
)
async def test_hostile_bodies_are_refused(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    request_data: dict[str, Any],
    reason: str,
) -> None:
    source = await add_source(hass)

    await assert_refused_once(
        hass, hass_client_no_auth, caplog, {"path": source.path, **request_data}, 400, reason
    )

    client = await hass_client_no_auth()
    [read] = await post(hass, client, source, data=with_picture(stream_payload(timestamp=now())))
    assert read["plate"] == "pl8rec"
