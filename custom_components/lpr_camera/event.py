"""An event entity that fires on every read, the same plate twice in a row included.

Its event type says what the read is to the known plates: known, unknown or denied.
"""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import EVENT_TYPE_DENIED, EVENT_TYPE_KNOWN, EVENT_TYPE_UNKNOWN
from .coordinator import PLATE_EVENT_KEY, LprCameraConfigEntry
from .entity import LprReadEntity
from .read import Goes, ReadRecord, keys

PARALLEL_UPDATES = 0

PLATE_EVENT = EventEntityDescription(
    key=PLATE_EVENT_KEY,
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


class PlateEvent(LprReadEntity, EventEntity):
    """Fires once per read, with the read's fields (the raw fields stay on the bus event)."""

    # Every read's own: the plate log keeps them, the recorder need not.
    _unrecorded_attributes = frozenset(keys(Goes.ENTITY))

    _shows_earlier_read = False

    def _take(self, record: ReadRecord) -> None:
        self._trigger_event(record.match.event_type, record.fields(Goes.ENTITY))
