"""Other integrations' entities, as the sources meet them: real entities of a test integration.

Each behaves as the integration's own does (its state, attributes, availability, restore), so
the sources are tested through Home Assistant's state machine, not by writing states by hand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.event import EventEntity
from homeassistant.components.image import ImageEntity
from homeassistant.components.sensor import SensorEntity
from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigFlow, ConfigFlowResult
from homeassistant.const import Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from custom_components.lpr_camera.const import DOMAIN


class ProtectVehicleEvent(EventEntity):
    """As UniFi Protect's vehicle event entity (unifiprotect/event.py) of a camera.

    It fires `detected` with the best thumbnail's data, and fires again, with the same
    `event_id`, when a better thumbnail (say, with the plate) comes.
    """

    _attr_event_types = ["detected"]  # noqa: RUF012 - Home Assistant's own class attribute

    def __init__(self, name: str) -> None:
        """A camera's vehicle event entity, event.<name>_vehicle."""
        self._attr_name = f"{name} Vehicle"
        self._attr_unique_id = f"{name}_vehicle"

    @callback
    def detected(
        self,
        event_id: str,
        license_plate: str | None = None,
        confidence: int = 92,
        vehicle_type: str = "suv",
        colour: str = "white",
    ) -> None:
        """Protect's vehicle event: the thumbnail's attributes, and the plate if it read one."""
        data: dict[str, Any] = {
            "event_id": event_id,
            "thumbnail_count": 2,
            "confidence": confidence,
            "clock_best_wall": dt_util.utcnow().isoformat(),
            "attributes": {
                "color": {"val": colour, "confidence": 88},
                "vehicleType": {"val": vehicle_type, "confidence": 95},
                "zone": [1],
                "trackerId": 7,
            },
        }
        if license_plate is not None:
            data["license_plate"] = license_plate
        self._trigger_event("detected", data)
        self.async_write_ha_state()


class FrigatePlateSensor(SensorEntity):
    """As Frigate's Last Recognized Plate sensor (sensor.py, FrigateRecognizedPlateSensor).

    `Unknown` until the first plate; each plate (or its known_plates name) shows for 60 s, then
    `None`. Frigate writes the state for every update of a tracked object, plate changed or not.
    Its availability is Frigate's over MQTT.
    """

    def __init__(self, name: str) -> None:
        """A camera's sensor, sensor.<name>_last_recognized_plate."""
        self._attr_name = f"{name} Last Recognized Plate"
        self._attr_unique_id = f"{name}_recognized_plate"
        self._attr_native_value = "Unknown"
        self._cancel_reset: CALLBACK_TYPE | None = None

    async def async_added_to_hass(self) -> None:
        """Its reset ends with it."""
        self.async_on_remove(self._cancel)

    @callback
    def recognized(self, plate: str) -> None:
        """A tracked object's plate: shown for 60 s."""
        self._attr_native_value = plate
        self.async_write_ha_state()
        self._cancel()
        self._cancel_reset = async_call_later(self.hass, timedelta(seconds=60), self._reset)

    @callback
    def set_available(self, available: bool) -> None:
        """Frigate's availability topic said so."""
        self._attr_available = available
        self.async_write_ha_state()

    @callback
    def _reset(self, _now: datetime) -> None:
        self._cancel_reset = None
        self._attr_native_value = "None"
        self.async_write_ha_state()

    @callback
    def _cancel(self) -> None:
        if self._cancel_reset is not None:
            self._cancel_reset()
            self._cancel_reset = None


class SnapshotImage(ImageEntity):
    """An image entity whose picture is the camera's snapshot of the moment."""

    def __init__(self, hass: HomeAssistant, name: str, picture: bytes) -> None:
        """image.<name>, showing `picture`."""
        super().__init__(hass)
        self._attr_name = name
        self._attr_unique_id = name
        self._attr_image_last_updated = dt_util.utcnow()
        self.picture = picture
        self.taken = 0  # pictures given

    async def async_image(self) -> bytes | None:
        """The snapshot now."""
        self.taken += 1
        return self.picture


class OtherIntegrationFlow(ConfigFlow):
    """The other integration's config flow, which its entries need to be set up."""


@contextmanager
def other_integration(domain: str) -> Iterator[None]:
    """While an integration of the domain may be set up (its flow handler registered)."""
    with mock_config_flow(domain, OtherIntegrationFlow):
        yield


async def async_add_integration(
    hass: HomeAssistant, domain: str, entities: Mapping[Platform, list[Entity]]
) -> ConfigEntry:
    """Set up an integration of the domain with its entities, as Home Assistant loads one.

    Within `other_integration(domain)`.
    """
    platforms = list(entities)

    async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, platforms)
        return True

    async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        return await hass.config_entries.async_unload_platforms(entry, platforms)

    mock_integration(
        hass,
        MockModule(
            domain, async_setup_entry=async_setup_entry, async_unload_entry=async_unload_entry
        ),
    )
    mock_platform(hass, f"{domain}.config_flow")
    for platform, platform_entities in entities.items():

        async def async_setup_platform(
            _hass: HomeAssistant,
            _entry: ConfigEntry,
            async_add_entities: AddEntitiesCallback,
            platform_entities: list[Entity] = platform_entities,
        ) -> None:
            async_add_entities(platform_entities)

        mock_platform(
            hass, f"{domain}.{platform}", MockPlatform(async_setup_entry=async_setup_platform)
        )
    entry = MockConfigEntry(domain=domain)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def async_add_source(
    hass: HomeAssistant, step_id: str, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Fill a source's form as a user does: Add integration, Another plate reader, the form."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "source"}
    )
    assert step_id in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": step_id}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    await hass.async_block_till_done()
    return result


async def async_added_source(hass: HomeAssistant, step_id: str, user_input: dict[str, Any]) -> str:
    """A source added through its form; its entry's id."""
    result = await async_add_source(hass, step_id, user_input)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
    return str(result["result"].entry_id)
