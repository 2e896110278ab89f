"""An event entity that fires on every read, the same plate twice in a row included.

Its event type says what the read is to the known plates: known, unknown or denied.
"""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import EVENT_TYPE_DENIED, EVENT_TYPE_KNOWN, EVENT_TYPE_UNKNOWN
from .coordinator import LprCameraConfigEntry, LprCameraCoordinator, LprCameraState
from .entity import LprCameraEntity
from .lpr import PlateRead
from .site.known_vehicles import NOT_KNOWN

PARALLEL_UPDATES = 0

PLATE_EVENT = EventEntityDescription(
    key="plate",
    translation_key="plate",
    event_types=[EVENT_TYPE_KNOWN, EVENT_TYPE_UNKNOWN, EVENT_TYPE_DENIED],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LprCameraConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the plate event entity."""
    async_add_entities([PlateEvent(entry.runtime_data, PLATE_EVENT)])


class PlateEvent(LprCameraEntity, EventEntity):
    """Fires once per read."""

    def __init__(
        self, coordinator: LprCameraCoordinator, description: EventEntityDescription
    ) -> None:
        """Remember the read already shown, so connection changes fire nothing."""
        super().__init__(coordinator, description)
        self._last_read: PlateRead | None = coordinator.data.last_read

    @callback
    def _handle_coordinator_update(self) -> None:
        read = self.coordinator.data.last_read
        if read is not None and read is not self._last_read:
            self._last_read = read
            match = self.coordinator.data.last_match or NOT_KNOWN
            self._trigger_event(match.event_type, _event_attributes(read, self.coordinator.data))
        super()._handle_coordinator_update()


def _event_attributes(read: PlateRead, state: LprCameraState) -> dict[str, object]:
    """The read's fields a card or an automation needs; the raw fields stay on the bus event."""
    fields = read.as_dict()
    del fields["raw"]
    fields.update((state.last_match or NOT_KNOWN).as_dict())
    del fields["event_type"]  # the entity's own attribute
    fields["repeat"] = state.repeat
    fields["presence"] = None if state.presence is None else str(state.presence)
    return fields
