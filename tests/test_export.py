"""The reads as CSV: downloaded through Home Assistant's web server, and over the websocket API."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.lpr_camera.plate_log import export
from custom_components.lpr_camera.plate_log.database import LoggedRead
from custom_components.lpr_camera.read import Goes, keys
from custom_components.lpr_camera.site import site_of

from .common import Command, set_site_settings

pytestmark = pytest.mark.freeze_time("2026-11-26 20:00:00+00:00", tick=True)

MORNING = datetime(2026, 11, 26, 16, 30, 15, tzinfo=UTC)  # 08:30:15 in US/Pacific
URL = "/api/lpr_camera/reads.csv"


def row(plate: str, at: datetime, camera_id: str = "gate", **fields: Any) -> LoggedRead:
    values: dict[str, Any] = {
        "time": at.isoformat(),
        "filed_at": at.isoformat(),
        "config_entry_id": camera_id,
        "camera": camera_id.title(),
        "plate": plate,
        "direction": "approaching",
        "event_type": "unknown",
        "authorized": False,
        "repeat": False,
    }
    return LoggedRead(fields=values | fields)


async def insert(hass: HomeAssistant, *reads: LoggedRead) -> None:
    database = site_of(hass).plate_log.database
    assert database is not None
    await hass.async_add_executor_job(database.insert, list(reads))


def parsed(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


async def test_the_reads_download_as_csv(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    command: Command,
) -> None:
    await insert(
        hass,
        row(
            "AB123",
            MORNING,
            event_type="known",
            known_name="Anna's car",
            known_list="allow",
            authorized=True,
            match_ties=[],
            plate_box={"x1": 1, "y1": 2, "x2": 3, "y2": 4},
            speed=30.5,
        ),
        row("부산 02가 1234", MORNING + timedelta(minutes=1), "garage"),
        row("=HYPERLINK(1)", MORNING + timedelta(minutes=2), corrected_plate="AB 124"),
    )
    client = await hass_client()

    answer = await client.get(URL)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="lpr_camera_')
    body = (await answer.read()).decode("utf-8")
    header = next(csv.reader(io.StringIO(body)))
    assert header == list(keys(Goes.COLUMN | Goes.DETAIL))
    [formula, korean, known] = parsed(body)  # newest first, as the panel lists them
    # A spreadsheet would take it for a formula: written as text.
    assert (formula["plate"], formula["corrected_plate"]) == ("'=HYPERLINK(1)", "AB 124")
    assert korean["plate"] == "부산 02가 1234"
    assert known["time"] == "2026-11-26T08:30:15-08:00"  # Home Assistant's time zone
    assert known["filed_at"] == "2026-11-26T08:30:15-08:00"
    assert (known["known_name"], known["authorized"], known["repeat"]) == (
        "Anna's car",
        "true",
        "false",
    )
    assert (known["plate_box"], known["speed"], known["match_ties"]) == (
        '{"x1": 1, "y1": 2, "x2": 3, "y2": 4}',
        "30.5",
        "[]",
    )
    assert (known["presence"], known["corrected_plate"]) == ("", "")

    # The filters of the list, in the query.
    answer = await client.get(URL, params=[("config_entry_ids", "garage")])
    assert [read["plate"] for read in parsed(await answer.text())] == ["부산 02가 1234"]
    answer = await client.get(URL, params={"event_types": "known", "start": "2026-11-26T08:00:00"})
    assert [read["plate"] for read in parsed(await answer.text())] == ["AB123"]
    answer = await client.get(URL, params={"exact_plate": "ab-124"})  # the corrected plate
    assert [read["plate"] for read in parsed(await answer.text())] == ["'=HYPERLINK(1)"]
    assert (await client.get(URL, params={"event_types": "maybe"})).status == 400
    assert (await client.get(URL, params={"start": "yesterday"})).status == 400

    # Over the websocket, page by page: the pages one after the other are the file.
    first = await command("reads/export", limit=2)
    rest = await command("reads/export", limit=2, before=first["next"])
    assert rest["next"] is None
    assert first["csv"] + rest["csv"] == body


async def test_a_download_by_a_signed_path(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The panel's download: a browser follows a path signed for its user, without a token."""
    await insert(
        hass,
        row("B-XY 4711", MORNING, "gate"),
        row("B-XY 4711", MORNING, "garage"),
        row("KA 01 AB 1234", MORNING + timedelta(minutes=1), "gate"),
    )
    assert await async_setup_component(hass, "auth", {})  # its auth/sign_path, as the frontend's
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "auth/sign_path",
            "path": f"{URL}?config_entry_ids=gate&config_entry_ids=yard&plate=xy+47",
        }
    )
    signed = (await client.receive_json())["result"]["path"]

    answer = await (await hass_client_no_auth()).get(signed)
    assert answer.status == 200
    assert [(read["plate"], read["camera"]) for read in parsed(await answer.text())] == [
        ("B-XY 4711", "Gate")
    ]
    # The signature is of these filters: others are not signed.
    assert (await (await hass_client_no_auth()).get(signed.replace("xy", "ab"))).status == 401


async def test_a_download_is_bounded_and_written_in_batches(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export, "EXPORT_BATCH", 3)
    monkeypatch.setattr(export, "MAX_EXPORT_ROWS", 7)
    await insert(hass, *(row(f"P{n}", MORNING + timedelta(minutes=n)) for n in range(10)))
    client = await hass_client()

    answer = await client.get(URL)
    plates = [read["plate"] for read in parsed(await answer.text())]
    assert plates == [f"P{n}" for n in range(9, 2, -1)]  # the newest 7


async def test_the_download_follows_the_plate_log_setting(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    hass_admin_user: MockUser,
    command: Command,
) -> None:
    await insert(hass, row("AB123", MORNING))
    assert (await (await hass_client_no_auth()).get(URL)).status == 401
    await set_site_settings(hass, plate_log_admin_only=True)
    client = await hass_client()
    assert (await client.get(URL)).status == 200
    hass_admin_user.groups = []  # no longer an administrator
    assert (await client.get(URL)).status == 403
    assert (await command("reads/export"))["code"] == "unauthorized"
