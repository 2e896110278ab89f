"""Reads per hour and camera in Home Assistant's long-term statistics (when the recorder runs).

Each camera has an external statistic `lpr_camera:reads_<entry id>`: per hour, the reads of
that hour (`state`) and all reads counted so far (`sum`), so the statistics graph card shows
them, and they outlive the plate log's retention. Hours are added once complete, from the hour
after the last one the recorder holds (from the camera's oldest logged read the first time).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from homeassistant.components.recorder.models import StatisticData, StatisticMeanType
from homeassistant.components.recorder.models.statistics import StatisticMetaData
from homeassistant.components.recorder.statistics import (
    async_add_external_statistics,
    get_last_statistics,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util

from ..const import DOMAIN
from ..site.known_vehicles import is_site_entry
from .database import PlateLogDatabase

HOUR = timedelta(hours=1)


def statistic_id(camera_id: str) -> str:
    """The id of a camera's hourly reads in the long-term statistics."""
    return f"{DOMAIN}:reads_{camera_id.lower()}"


async def async_add_hourly_reads(hass: HomeAssistant, database: PlateLogDatabase) -> None:
    """Add every camera's complete hours that the recorder does not hold yet."""
    until = dt_util.utcnow().replace(minute=0, second=0, microsecond=0)
    for entry in hass.config_entries.async_entries(DOMAIN):
        if not is_site_entry(entry):
            await _async_add_camera_hours(hass, database, entry, until)


async def _async_add_camera_hours(
    hass: HomeAssistant, database: PlateLogDatabase, entry: ConfigEntry, until: datetime
) -> None:
    statistic = statistic_id(entry.entry_id)
    last = await get_instance(hass).async_add_executor_job(
        get_last_statistics, hass, 1, statistic, False, {"sum"}
    )
    if last.get(statistic):
        newest = last[statistic][0]
        start = dt_util.utc_from_timestamp(newest["start"]) + HOUR
        total = float(newest.get("sum") or 0)
    else:
        first = await hass.async_add_executor_job(database.first_read_time, entry.entry_id)
        if first is None:
            return
        start, total = first.replace(minute=0, second=0, microsecond=0), 0.0
    if start >= until:
        return
    counts = await hass.async_add_executor_job(database.hourly_counts, entry.entry_id, start, until)
    hours: list[StatisticData] = []
    for index, count in enumerate(counts):
        total += count
        hours.append({"start": start + index * HOUR, "state": count, "sum": total})
    async_add_external_statistics(hass, _metadata(entry, statistic), hours)


def _metadata(entry: ConfigEntry, statistic: str) -> StatisticMetaData:
    metadata: dict[str, Any] = {
        "has_sum": True,
        "mean_type": StatisticMeanType.NONE,
        "name": f"{entry.title} reads",
        "source": DOMAIN,
        "statistic_id": statistic,
        "unit_of_measurement": None,
    }
    # Newer Home Assistant wants the unit class (a count has none); 2025.4 knows no such key.
    if "unit_class" in StatisticMetaData.__required_keys__:
        metadata["unit_class"] = None
    return cast("StatisticMetaData", metadata)
