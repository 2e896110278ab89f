"""The defaults the README promises, each asserted here once, as a user of a camera meets them.

TCP keepalive's probes (after 30 s idle, every 10 s, 3 of them) are a socket's options: they are
asserted by the TCP client's own test (tests/lpr/test_tcp_client.py, test_keepalive_is_on).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import CONF_CONNECTION_TYPE, CONNECTION_HTTP, DOMAIN
from custom_components.lpr_camera.lpr import session
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


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays a session waits before it reconnects, without jitter; none is really waited."""
    delays: list[float] = []

    def record(delay: float) -> float:
        delays.append(delay)
        return 0

    monkeypatch.setattr(session, "jitter", record)
    return delays


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
    hass: HomeAssistant, camera: CameraSimulator, waits: list[float]
) -> None:
    """The camera refuses the logins after dropping the session, then takes one again."""
    camera.reply_status = "503"
    await camera.drop_clients()
    await wait_for(lambda: len(waits) >= 9)
    camera.reply_status = None
    await wait_for(lambda: hass.states.get(CONNECTION).state == "on")

    # After the lost session, then after each refused login.
    assert waits[:9] == [1, 1, 2, 4, 8, 16, 32, 60, 60]


@pytest.mark.usefixtures("init_integration", "waits")
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


async def test_http_camera_is_on_for_24_hours_after_a_read(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Gate",
        data={
            CONF_CONNECTION_TYPE: CONNECTION_HTTP,
            CONF_WEBHOOK_ID: "gate-hook",
            CONF_USERNAME: "",
            CONF_PASSWORD: "",
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    client = await hass_client_no_auth()
    response = await client.post("/api/webhook/gate-hook", json={"plate": "AB123"})
    assert response.status == 200
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.gate_connection").state == "on"

    freezer.tick(timedelta(hours=23, minutes=59))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.gate_connection").state == "on"

    freezer.tick(timedelta(minutes=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.gate_connection").state == "off"
