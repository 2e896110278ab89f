"""Helpers shared by the tests."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import Event, HomeAssistant, callback
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.lpr_camera.const import (
    CONF_CONNECTION_TYPE,
    CONNECTION_HTTP,
    CONNECTION_TCP,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
)
from custom_components.lpr_camera.lpr import Direction
from custom_components.lpr_camera.plate_log.database import LoggedRead, ReadFilter
from custom_components.lpr_camera.site import site_of
from custom_components.lpr_camera.site.known_vehicles import is_site_entry
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

# The integration's English texts, as the frontend shows them.
STRINGS: dict[str, Any] = json.loads(
    (Path(__file__).parent.parent / "custom_components/lpr_camera/strings.json").read_text(
        encoding="utf-8"
    )
)

# A known vehicle's pass fields when it has no pass, as its subentry stores them.
NO_PASS: dict[str, Any] = {
    "valid_from": None,
    "valid_until": None,
    "weekdays": [],
    "start": None,
    "end": None,
}
# The version of the entries the config flow makes today (with their unique ids); the helpers'
# entries are of today, MockConfigEntry's default (1.1) is an entry of before.
ENTRY_MINOR_VERSION = 2
# The site's settings until the user changes them.
SITE_DEFAULTS = {
    "tolerance": 1,
    "history": True,
    "retention_days": 30,
    "max_size_mb": 1000,
    "on_site_limit": 24,
    "pass_retention_days": 7,
    "plate_log_admin_only": False,
}


async def wait_for(condition: Callable[[], object], limit: float = 10.0) -> None:
    """Let the event loop run until the condition holds (the camera pushes over real sockets)."""
    async with asyncio.timeout(limit):
        while not condition():  # noqa: ASYNC110 - polls state that changes over real sockets
            await asyncio.sleep(0.01)


def site_entry(hass: HomeAssistant) -> ConfigEntry:
    """The site's config entry, which the integration creates when it first loads."""
    [entry] = [e for e in hass.config_entries.async_entries(DOMAIN) if is_site_entry(e)]
    return entry


def saved_changes(result: Any) -> list[str]:
    """What a form saved changed, as the flow's ending lists it, a line per field."""
    assert result["type"] == "abort"
    assert result["reason"] == "saved"
    changes: str = result["description_placeholders"]["changes"]
    return [line.removeprefix("- ") for line in changes.split("\n")]


async def set_site_settings(hass: HomeAssistant, **changes: Any) -> None:
    """Change the site's settings through its options flow, the others left as they are."""
    result = await hass.config_entries.options.async_init(site_entry(hass).entry_id)
    current = {
        key.schema: key.description["suggested_value"] for key in result["data_schema"].schema
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**current, **changes}
    )
    assert result["type"] == "abort"
    assert result["reason"] in ("saved", "unchanged")
    await hass.async_block_till_done()


def http_camera_entry(
    webhook_id: str = "gate-hook",
    title: str = "Gate",
    *,
    username: str = "",
    password: str = "",
    **options: Any,
) -> MockConfigEntry:
    """A camera of the HTTP type; without credentials its webhook takes any local request."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=webhook_id,
        minor_version=ENTRY_MINOR_VERSION,
        data={
            CONF_CONNECTION_TYPE: CONNECTION_HTTP,
            CONF_WEBHOOK_ID: webhook_id,
            CONF_USERNAME: username,
            CONF_PASSWORD: password,
        },
        options=options,
    )


def tcp_camera_entry(
    camera: CameraSimulator, title: str = "LPR camera 127.0.0.1", **options: Any
) -> MockConfigEntry:
    """A camera of the TCP type: the simulated camera on 127.0.0.1."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=f"127.0.0.1:{camera.port}",
        minor_version=ENTRY_MINOR_VERSION,
        data={
            CONF_CONNECTION_TYPE: CONNECTION_TCP,
            CONF_HOST: "127.0.0.1",
            CONF_PORT: camera.port,
            CONF_USERNAME: camera.username,
            CONF_PASSWORD: camera.password,
        },
        options=options,
    )


async def add_entry(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """Add an entry to Home Assistant and set it up."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def add_http_camera(
    hass: HomeAssistant, title: str = "Gate", webhook_id: str = "gate-hook", **options: Any
) -> MockConfigEntry:
    """An HTTP camera without credentials, set up: it reads what is posted to its webhook."""
    return await add_entry(hass, http_camera_entry(webhook_id, title, **options))


def task_of(module: ModuleType, task: asyncio.Task[Any]) -> bool:
    """Whether a task is pending in a coroutine of the module (one it started and left running)."""
    code = getattr(task.get_coro(), "cr_code", None)
    return not task.done() and code is not None and code.co_filename == module.__file__


async def plate_log_written(hass: HomeAssistant) -> None:
    """Wait until every read queued for the plate log is stored: its pictures and its row."""
    plate_log = site_of(hass).plate_log
    while (task := plate_log._writer) is not None and not task.done():
        await task


async def plate_log_kept_in_bounds(hass: HomeAssistant) -> None:
    """Wait for the plate log's writes, and the upkeep pass they started, to end.

    Both run in the background; waiting for every background task would wait for the cameras'
    sessions too.
    """
    await plate_log_written(hass)
    if (task := site_of(hass).plate_log._upkeep) is not None:
        await task


async def logged_reads(hass: HomeAssistant) -> list[LoggedRead]:
    """Every read of the plate log once stored, newest first."""
    await plate_log_written(hass)
    database = site_of(hass).plate_log.database
    assert database is not None
    page = await hass.async_add_executor_job(database.reads, ReadFilter(), None, 200)
    return page.reads


OTHER_TURN = "something else"


def turns_of_a_burst(hass: HomeAssistant) -> list[str]:
    """The plates of the reads fired from now on, in order, and where another callback ran.

    That callback (OTHER_TURN) asks for its turn as the first read fires: a burst of reads that
    arrived at once must let it run before the burst's last read.
    """
    order: list[str] = []

    @callback
    def note(event: Event) -> None:
        if not order:
            hass.loop.call_soon(order.append, OTHER_TURN)
        order.append(event.data["plate"])

    hass.bus.async_listen(EVENT_PLATE_RECOGNIZED, note)
    return order


# A websocket command of the plate log, as the `command` fixture sends it.
type Command = Callable[..., Awaitable[Any]]


async def read_at(
    hass: HomeAssistant,
    camera: CameraSimulator,
    plate: str,
    at: datetime,
    direction: Direction = Direction.APPROACHING,
) -> dict[str, Any]:
    """A read through the camera (its time the camera's); its bus event once it is logged."""
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    await camera.push(dataclasses.replace(sample_read(plate, time=at), direction=direction))
    await wait_for(lambda: events)
    await logged_reads(hass)
    await hass.async_block_till_done()
    return dict(events[0].data)
