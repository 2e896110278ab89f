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
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.lpr_camera.lpr.simulator import CameraSimulator, sample_read

from .common import wait_for

CONNECTION = "binary_sensor.lpr_camera_127_0_0_1_connection"
PLATE = "sensor.lpr_camera_127_0_0_1_last_plate"
# README, "What you get": the entities a camera has, and which of them start disabled.
ENABLED_BY_DEFAULT = {
    PLATE: True,
    "sensor.lpr_camera_127_0_0_1_direction": True,
    "sensor.lpr_camera_127_0_0_1_vehicle_type": True,
    "sensor.lpr_camera_127_0_0_1_list": True,
    "sensor.lpr_camera_127_0_0_1_speed": True,
    "sensor.lpr_camera_127_0_0_1_vehicle_colour": False,
    "sensor.lpr_camera_127_0_0_1_plate_colour": False,
    "sensor.lpr_camera_127_0_0_1_confidence": False,
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
    await camera.wait_for_client()
    assert hass.states.get(CONNECTION).state == "on"
