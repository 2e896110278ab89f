"""The defaults the README promises, each asserted here once, as a user of a camera meets them.

Two are asserted beside the tests of what they set: TCP keepalive's probes (after 30 s idle,
every 10 s, 3 of them), a socket's options, in tests/lpr/test_tcp_client.py
(test_keepalive_is_on), and the HTTP type's 24-hour activity window in tests/test_http.py
(test_connection_follows_activity_window).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from simulator.reads import sample_read
from simulator.tcp import CameraSimulator

from .common import wait_for

CONNECTION = "binary_sensor.lpr_camera_127_0_0_1_connection"
PLATE = "sensor.lpr_camera_127_0_0_1_last_plate"
SPEED = "sensor.lpr_camera_127_0_0_1_speed"
CONFIDENCE = "sensor.lpr_camera_127_0_0_1_confidence"
VEHICLES_ON_SITE = "sensor.site_vehicles_on_site"
# README, "What you get": the entities a camera has, and which of them start disabled.
ENABLED_BY_DEFAULT = {
    PLATE: True,
    "sensor.lpr_camera_127_0_0_1_direction": False,
    "sensor.lpr_camera_127_0_0_1_vehicle_type": False,
    "sensor.lpr_camera_127_0_0_1_list": False,
    SPEED: True,
    "sensor.lpr_camera_127_0_0_1_vehicle_colour": False,
    "sensor.lpr_camera_127_0_0_1_plate_colour": False,
    CONFIDENCE: False,
    "sensor.lpr_camera_127_0_0_1_region": False,
    "sensor.lpr_camera_127_0_0_1_detection_region": False,
    "image.lpr_camera_127_0_0_1_plate_picture": True,
    "image.lpr_camera_127_0_0_1_full_picture": True,
    "event.lpr_camera_127_0_0_1_plate": True,
    CONNECTION: True,
}


@pytest.mark.usefixtures("init_integration")
async def test_entities_enabled_by_default(hass: HomeAssistant) -> None:
    registry = er.async_get(hass)

    enabled = {
        entity_id: registry.async_get(entity_id).disabled_by is None
        for entity_id in ENABLED_BY_DEFAULT
    }

    assert enabled == ENABLED_BY_DEFAULT
    shown = {entity_id: hass.states.get(entity_id) is not None for entity_id in ENABLED_BY_DEFAULT}
    assert shown == ENABLED_BY_DEFAULT


async def test_numbers_are_shown_as_precise_as_they_are_measured(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Whole km/h, whole percent, whole vehicles: "24 km/h", not "24.00 km/h"."""
    registry = er.async_get(hass)
    registry.async_update_entity(CONFIDENCE, disabled_by=None)
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    precision = {
        entity_id: registry.async_get(entity_id).options["sensor"]["suggested_display_precision"]
        for entity_id in (SPEED, CONFIDENCE, VEHICLES_ON_SITE)
    }

    assert precision == {SPEED: 0, CONFIDENCE: 0, VEHICLES_ON_SITE: 0}


@pytest.mark.usefixtures("init_integration")
async def test_reconnect_backoff_doubles_from_1_to_60_seconds(
    hass: HomeAssistant, camera: CameraSimulator, reconnect_waits: list[float]
) -> None:
    """The camera refuses the logins after dropping the session, then takes one again."""
    camera.reply_status = "503"
    await camera.drop_clients()
    await wait_for(lambda: len(reconnect_waits) >= 9)
    camera.reply_status = None
    await wait_for(lambda: hass.states.get(CONNECTION).state == "on")

    # After the lost session, then after each refused login.
    assert reconnect_waits[:9] == [1, 1, 2, 4, 8, 16, 32, 60, 60]


@pytest.mark.usefixtures("init_integration", "reconnect_waits")
async def test_a_silent_camera_is_reconnected_after_10_minutes(
    hass: HomeAssistant, camera: CameraSimulator
) -> None:
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=9))
    await camera.push(sample_read("STILL1"))  # the session is still the first one
    await wait_for(lambda: hass.states.get(PLATE).state == "STILL1")
    assert camera.login_attempts == 1

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=10, seconds=1))

    await wait_for(lambda: camera.login_attempts == 2)
    # The new session is up once Home Assistant has the camera's answer to its login.
    await wait_for(lambda: hass.states.get(CONNECTION).state == "on")
