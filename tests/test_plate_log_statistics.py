"""The plate log's hourly reads per camera in Home Assistant's long-term statistics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder.core import Recorder
from homeassistant.components.recorder.statistics import (
    list_statistic_ids,
    statistics_during_period,
)
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.lpr_camera.plate_log.database import LoggedRead, PlateLogDatabase
from custom_components.lpr_camera.plate_log.log import DATABASE_FILE

from .common import add_entry, http_camera_entry

NOW = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder first: its database must exist before Home Assistant starts."""


def read_at(entry: MockConfigEntry, at: datetime) -> LoggedRead:
    return LoggedRead(
        fields={
            "time": at.isoformat(),
            "filed_at": at.isoformat(),
            "config_entry_id": entry.entry_id,
            "camera": entry.title,
            "plate": "AB123",
            "direction": "approaching",
            "event_type": "unknown",
        }
    )


async def hours(hass: HomeAssistant, statistic: str) -> list[tuple[datetime, Any, Any]]:
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)
    found = await hass.async_add_executor_job(
        lambda: statistics_during_period(
            hass, NOW - timedelta(days=1), None, {statistic}, "hour", None, {"state", "sum"}
        )
    )
    return [
        (datetime.fromtimestamp(row["start"], UTC), row["state"], row["sum"])
        for row in found.get(statistic, [])
    ]


@pytest.mark.freeze_time(NOW, tick=True)
async def test_hourly_reads_go_to_the_long_term_statistics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A camera of the HTTP type: no session runs in the background, the statistics' task does."""
    config_entry = http_camera_entry()
    database = PlateLogDatabase(Path(hass.config.path(DATABASE_FILE)))
    database.insert(
        [
            read_at(config_entry, NOW - timedelta(hours=3, minutes=50)),
            read_at(config_entry, NOW - timedelta(hours=3, minutes=10)),
            read_at(config_entry, NOW - timedelta(hours=2, minutes=30)),
            read_at(config_entry, NOW + timedelta(minutes=10)),  # this hour: not complete
        ]
    )
    database.close()

    await add_entry(hass, config_entry)

    statistic = f"lpr_camera:reads_{config_entry.entry_id.lower()}"
    assert await hours(hass, statistic) == [
        (NOW - timedelta(hours=4), 2, 2),
        (NOW - timedelta(hours=3), 1, 3),
        (NOW - timedelta(hours=2), 0, 3),
        (NOW - timedelta(hours=1), 0, 3),
    ]
    [metadata] = await hass.async_add_executor_job(list_statistic_ids, hass, {statistic})
    assert metadata["name"] == "Gate reads"
    assert metadata["source"] == "lpr_camera"
    assert metadata["has_sum"]
    assert metadata["statistics_unit_of_measurement"] is None

    freezer.move_to(NOW + timedelta(hours=1, minutes=5))
    async_fire_time_changed(hass)

    assert (await hours(hass, statistic))[-1] == (NOW, 1, 4)
