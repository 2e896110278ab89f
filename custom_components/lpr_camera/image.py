"""The pictures of the last read: the plate crop and the full snapshot."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import (
    FULL_IMAGE_KEY,
    PLATE_IMAGE_KEY,
    LprCameraConfigEntry,
    LprCameraCoordinator,
)
from .entity import LprReadEntity
from .lpr import PlateRead
from .read import ReadRecord

PARALLEL_UPDATES = 0

# Served until the first picture: for no picture at all, Home Assistant's image proxy answers
# a server error, which the browser reports on every dashboard that shows the entity.
NO_PICTURE = base64.b64decode(  # one transparent pixel
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR42mNgAAIAAAUAAen63NgAAAAASUVORK5CYII="
)


@dataclass(frozen=True, kw_only=True)
class LprImageEntityDescription(ImageEntityDescription):
    """A picture carried by a read."""

    image_fn: Callable[[PlateRead], bytes | None]
    picture_kind: str  # how the plate log names this kind of picture


IMAGES = (
    LprImageEntityDescription(
        key=PLATE_IMAGE_KEY,
        translation_key=PLATE_IMAGE_KEY,
        image_fn=lambda r: r.plate_image,
        picture_kind="plate",
    ),
    LprImageEntityDescription(
        key=FULL_IMAGE_KEY,
        translation_key=FULL_IMAGE_KEY,
        image_fn=lambda r: r.full_image,
        picture_kind="full",
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LprCameraConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the two picture entities."""
    async_add_entities(ReadImage(hass, entry.runtime_data, description) for description in IMAGES)


class ReadImage(LprReadEntity, ImageEntity):
    """The newest picture of its kind; a read without one keeps the previous picture.

    After a restart, the camera's newest picture the plate log kept, until the next read.
    Before any picture, a transparent pixel: the state says there is none (unknown).
    """

    entity_description: LprImageEntityDescription
    _attr_content_type = "image/png"

    def __init__(
        self,
        hass: HomeAssistant,
        coordinator: LprCameraCoordinator,
        description: LprImageEntityDescription,
    ) -> None:
        """Set up both parents: the image entity needs hass for its access tokens."""
        self._image: bytes | None = None
        super().__init__(coordinator, description)
        ImageEntity.__init__(self, hass)

    async def async_added_to_hass(self) -> None:
        """Show the picture the plate log kept from before the restart."""
        await super().async_added_to_hass()
        if self._image is not None:
            return
        kept = await self.coordinator.site.plate_log.async_latest_picture(
            self.coordinator.config_entry.entry_id, self.entity_description.picture_kind
        )
        if kept is not None and self._image is None:  # no read came meanwhile
            self._show(*kept)
            self.async_write_ha_state()

    def _take(self, record: ReadRecord) -> None:
        if (image := self.entity_description.image_fn(record.read)) is not None:
            self._show(image, record.read.time)

    def _show(self, image: bytes, taken: datetime) -> None:
        self._image = image
        self._attr_image_last_updated = taken
        self._attr_content_type = "image/jpeg"

    async def async_image(self) -> bytes:
        """Return the JPEG bytes, or a transparent pixel before the first picture."""
        return NO_PICTURE if self._image is None else self._image

    @property
    def image_last_updated(self) -> datetime | None:
        """Return when the picture was taken."""
        return self._attr_image_last_updated
