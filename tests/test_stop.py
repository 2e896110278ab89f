"""A stop loses nothing: what Home Assistant announced before it stopped is there after it starts.

Two Home Assistants, one after the other, on the same configuration folder and storage, as a
restart has them: the first stops as a read is announced, the second starts from what it left.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from homeassistant import loader
from homeassistant.config_entries import ConfigEntry, ConfigSubentryDataWithId
from homeassistant.core import Event, HomeAssistant, State, callback
from homeassistant.helpers import entity_platform, restore_state
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED
from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import logged_reads, tcp_camera_entry

# Momentary: on for the hold time after an authorized read, to open a gate. It starts off.
AUTHORIZED = "binary_sensor.gate_authorized"
# What an image entity's state attributes say of its web access, new with each start.
ACCESS = {"access_token", "entity_picture"}


@asynccontextmanager
async def home_assistant(config_dir: Path) -> AsyncIterator[HomeAssistant]:
    """A Home Assistant on the folder that, once started, saves the entities' states at stop."""
    async with async_test_home_assistant(config_dir=str(config_dir)) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        hass.config.media_dirs = {"local": str(config_dir / "media")}
        restore_state.async_get(hass).async_setup_dump()
        try:
            yield hass
        finally:
            # As the hass fixture ends: what the entries started ends with them.
            for entry in hass.config_entries.async_loaded_entries(DOMAIN):
                await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_stop(force=True)


def as_stored(entry: ConfigEntry) -> MockConfigEntry:
    """An entry as the next start reads it back from Home Assistant's storage."""
    subentries = [
        ConfigSubentryDataWithId(
            data=dict(subentry.data),
            subentry_id=subentry.subentry_id,
            subentry_type=subentry.subentry_type,
            title=subentry.title,
            unique_id=subentry.unique_id,
        )
        for subentry in entry.subentries.values()
    ]
    return MockConfigEntry(
        domain=entry.domain,
        entry_id=entry.entry_id,
        title=entry.title,
        data=dict(entry.data),
        options=dict(entry.options),
        unique_id=entry.unique_id,
        version=entry.version,
        minor_version=entry.minor_version,
        source=entry.source,
        subentries_data=subentries,
    )


def shown(hass: HomeAssistant) -> dict[str, State]:
    """The integration's entities as Home Assistant shows them."""
    registry = er.async_get(hass)
    return {
        entry.entity_id: state
        for entry in registry.entities.values()
        if entry.platform == DOMAIN and (state := hass.states.get(entry.entity_id)) is not None
    }


def what_it_says(state: State) -> tuple[str, dict[str, Any]]:
    return state.state, {k: v for k, v in state.attributes.items() if k not in ACCESS}


async def pictures(hass: HomeAssistant) -> dict[str, bytes]:
    """The bytes each of the integration's image entities serves."""
    [*platforms] = entity_platform.async_get_platforms(hass, DOMAIN)
    return {
        entity_id: await entity.async_image()  # type: ignore[attr-defined]
        for platform in platforms
        if platform.domain == "image"
        for entity_id, entity in platform.entities.items()
    }


# hass_storage: Home Assistant's storage, which both see.
@pytest.mark.usefixtures("entity_registry_enabled_by_default", "hass_storage")
async def test_a_stop_as_reads_are_announced_loses_none_of_them(
    tmp_path: Path,
    camera: CameraSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two reads come at once; Home Assistant stops as the second is announced.

    The worst case of a stop soon after a read: the first read's row is being written, the
    second waits for the writer, and presence is saved a second after a change.

    After the start: the entities show what they showed (the last read, the known vehicle on
    site and its last sighting), the pictures are the last read's, and the plate log holds both
    reads and their pictures.
    """
    config_dir = tmp_path / "restarted"
    config_dir.mkdir()
    async with home_assistant(config_dir) as hass:
        assert await async_setup_component(hass, DOMAIN, {})
        await hass.async_block_till_done()
        gate = tcp_camera_entry(camera, "Gate")
        gate.add_to_hass(hass)
        assert await hass.config_entries.async_setup(gate.entry_id)
        await hass.async_block_till_done()
        await camera.wait_for_client()
        vehicle = {"plate": "AB-123", "name": "Anna's car"}
        await hass.services.async_call(DOMAIN, "add_known_plate", vehicle, blocking=True)
        await hass.async_block_till_done()

        before: dict[str, State] = {}
        stopped = asyncio.Event()

        async def stop() -> None:
            await hass.async_stop()
            stopped.set()

        @callback
        def stop_at_the_second_read(event: Event) -> None:
            if event.data["plate"] == "AB123":
                before.update(shown(hass))
                hass.async_create_task(stop(), eager_start=True)

        hass.bus.async_listen(EVENT_PLATE_RECOGNIZED, stop_at_the_second_read)
        unknown, anna = sample_read("ZZ999"), sample_read("AB123")
        await camera.push(unknown)
        await camera.push(anna)
        await stopped.wait()
        entries = [as_stored(entry) for entry in hass.config_entries.async_entries(DOMAIN)]

    async with home_assistant(config_dir) as hass:
        for entry in entries:
            entry.add_to_hass(hass)
        assert await async_setup_component(hass, DOMAIN, {})
        await hass.async_block_till_done()

        after = shown(hass)
        assert hass.states.get("binary_sensor.anna_s_car_on_site").state == "on"
        assert after[AUTHORIZED].state == "off"
        changed = [
            (entity_id, what_it_says(after[entity_id]), "was", what_it_says(state))
            for entity_id, state in before.items()
            if entity_id != AUTHORIZED and what_it_says(after[entity_id]) != what_it_says(state)
        ]
        assert changed == []
        assert await pictures(hass) == {
            "image.gate_plate_picture": anna.plate_image,
            "image.gate_full_picture": anna.full_image,
        }
        logged = await logged_reads(hass)
        assert [read.plate for read in logged] == ["AB123", "ZZ999"]
        media = config_dir / "media" / DOMAIN
        for read in logged:
            assert [(media / path).is_file() for path in read.picture_paths()] == [True, True]

    # The stop logged nothing of note: no plate log failing, no listener missing.
    assert [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR
        or (record.levelno >= logging.WARNING and record.name.startswith("custom_components"))
    ] == []
