"""The pictures of the last read: the plate crop and the full snapshot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from .coordinator import (
    FULL_IMAGE_KEY,
    PLATE_IMAGE_KEY,
    LprCameraConfigEntry,
    LprCameraCoordinator,
)
from .entity import LprCameraEntity
from .lpr import PlateRead

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class LprImageEntityDescription(ImageEntityDescription):
    """A picture carried by a read."""

    image_fn: Callable[[PlateRead], bytes | None]


IMAGES = (
    LprImageEntityDescription(
        key=PLATE_IMAGE_KEY, translation_key=PLATE_IMAGE_KEY, image_fn=lambda r: r.plate_image
    ),
    LprImageEntityDescription(
        key=FULL_IMAGE_KEY, translation_key=FULL_IMAGE_KEY, image_fn=lambda r: r.full_image
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LprCameraConfigEntry,
    async_add_entities: AddEntitiesCallback,
) -> None:
    """Add the two picture entities."""
    async_add_entities(ReadImage(hass, entry.runtime_data, description) for description in IMAGES)


class ReadImage(LprCameraEntity, ImageEntity):
    """The newest picture of its kind; a read without one keeps the previous picture."""

    entity_description: LprImageEntityDescription
    _attr_content_type = "image/jpeg"

    def __init__(
        self,
        hass: HomeAssistant,
        coordinator: LprCameraCoordinator,
        description: LprImageEntityDescription,
    ) -> None:
        """Set up both parents: the image entity needs hass for its access tokens."""
        super().__init__(coordinator, description)
        ImageEntity.__init__(self, hass)
        self._image: bytes | None = None
        self._take_image()

    @callback
    def _handle_coordinator_update(self) -> None:
        self._take_image()
        super()._handle_coordinator_update()

    def _take_image(self) -> None:
        read = self.coordinator.data.last_read
        if read is None or (image := self.entity_description.image_fn(read)) is None:
            return
        if image is not self._image:
            self._image = image
            self._attr_image_last_updated = read.time

    async def async_image(self) -> bytes | None:
        """Return the JPEG bytes."""
        return self._image

    @property
    def image_last_updated(self) -> datetime | None:
        """Return when the picture was taken."""
        return self._attr_image_last_updated
