"""The pictures of the last read: the plate crop and the full snapshot."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import (
    FULL_IMAGE_KEY,
    PLATE_IMAGE_KEY,
    LprCameraConfigEntry,
    LprCameraCoordinator,
)
from .data import DATA_KEY
from .entity import LprCameraEntity
from .lpr import PlateRead
from .plate_log.pictures import camera_folder

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
    history_kind: str  # how the picture history names this kind of picture


IMAGES = (
    LprImageEntityDescription(
        key=PLATE_IMAGE_KEY,
        translation_key=PLATE_IMAGE_KEY,
        image_fn=lambda r: r.plate_image,
        history_kind="plate",
    ),
    LprImageEntityDescription(
        key=FULL_IMAGE_KEY,
        translation_key=FULL_IMAGE_KEY,
        image_fn=lambda r: r.full_image,
        history_kind="full",
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LprCameraConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the two picture entities."""
    async_add_entities(ReadImage(hass, entry.runtime_data, description) for description in IMAGES)


class ReadImage(LprCameraEntity, ImageEntity):
    """The newest picture of its kind; a read without one keeps the previous picture.

    After a restart, the camera's newest picture in the picture history, until the next read.
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
        super().__init__(coordinator, description)
        ImageEntity.__init__(self, hass)
        self._image: bytes | None = None
        self._take_image()

    async def async_added_to_hass(self) -> None:
        """Show the picture the history kept from before the restart."""
        await super().async_added_to_hass()
        if self._image is not None:
            return
        history = self.hass.data[DATA_KEY].history
        kept = await self.hass.async_add_executor_job(
            history.latest_picture,
            camera_folder(self.coordinator.config_entry),
            self.entity_description.history_kind,
        )
        if kept is not None and self._image is None:  # no read came meanwhile
            self._show(*kept)
            self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        self._take_image()
        super()._handle_coordinator_update()

    def _take_image(self) -> None:
        read = self.coordinator.data.last_read
        if read is None or (image := self.entity_description.image_fn(read)) is None:
            return
        if image is not self._image:
            self._show(image, read.time)

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
