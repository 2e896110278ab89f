"""One table, every shape of a read: no field can be added to one and forgotten in another.

A real read goes through real Home Assistant; its bus event, the Plate event entity's attributes,
the plate log's row and the websocket's answer each carry exactly the fields the read table
(read.py) sends there, under the same words, in the table's order.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.lpr_camera.const import EVENT_PLATE_RECOGNIZED
from custom_components.lpr_camera.plate_log.database import OWN_COLUMNS
from custom_components.lpr_camera.read import READ_FIELDS, Goes, Private, keys
from custom_components.lpr_camera.site import site_of
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import logged_reads, wait_for

EVENT_ENTITY = "event.lpr_camera_127_0_0_1_plate"
# What Home Assistant's event entity adds of its own.
EVENT_ENTITY_OWN = {"event_type", "event_types", "friendly_name"}


async def test_every_shape_of_a_read_comes_from_the_table(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    camera: CameraSimulator,
    hass_ws_client: WebSocketGenerator,
) -> None:
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(sample_read("AB123"))
    await wait_for(lambda: events)

    assert list(events[0].data) == list(keys(Goes.EVENT))
    attributes = hass.states.get(EVENT_ENTITY).attributes
    assert set(attributes) - EVENT_ENTITY_OWN == set(keys(Goes.ENTITY))

    [logged] = await logged_reads(hass)
    assert list(logged.columns()) == list(keys(Goes.COLUMN))
    assert list(logged.details()) == list(keys(Goes.DETAIL))
    database = site_of(hass).plate_log.database
    assert database is not None
    with sqlite3.connect(database.path) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(reads)")}
    connection.close()
    assert columns == {*keys(Goes.COLUMN), *OWN_COLUMNS}

    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "lpr_camera/reads/get", "read_id": logged.read_id})
    answer: dict[str, Any] = (await client.receive_json())["result"]
    pictures = {"plate_picture", "full_picture", "evidence_pictures"}
    assert [key for key in answer if key not in pictures] == [
        "read_id",
        *keys(Goes.COLUMN),
        "details",
    ]
    assert list(answer["details"]) == list(keys(Goes.DETAIL))


def test_every_field_of_the_librarys_read_is_in_the_table() -> None:
    """A field the library adds to its read reaches Home Assistant only through the table."""
    table = {read_field.key for read_field in READ_FIELDS}
    assert set(sample_read("AB123").as_dict()) <= table


def test_every_plate_the_table_sends_out_is_masked_in_diagnostics() -> None:
    """The fields that hold plates or names are marked, wherever they go."""
    marked = {field.key: field.private for field in READ_FIELDS}
    assert marked["plate"] is Private.PLATE
    assert marked["matched_plate"] is Private.PLATE
    assert marked["match_ties"] is Private.PLATES
    assert marked["known_name"] is Private.NAME
