"""A source's reads from another integration's data: checked, then delivered in their order.

A read waits for the picture of the source's picture entity, taken at the read. Reads are
delivered in the order they came, each once its picture is in (or could not be had). Up to
MAX_WAITING_READS reads wait for their pictures; past that, the next ones join the line without
one: pictures in memory stay bounded, and the line empties within a picture's timeout.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.core import callback

from ..const import LOGGER
from ..lpr import InvalidReadError, PlateRead
from .fields import CONF_PICTURE_ENTITY
from .mapping import ReadMapping, plate_in
from .pictures import PictureError, async_entity_picture

if TYPE_CHECKING:
    from ..coordinator import LprCameraCoordinator

MAX_WAITING_READS = 16
# A camera's snapshot and an image entity's fetch have their own timeouts; this bounds the rest.
PICTURE_TIMEOUT_SECONDS = 15
SHED_PICTURES_NOT_TAKEN = "pictures_not_taken"


class ReadLine:
    """Takes a source's reads and delivers them to its coordinator, with their pictures."""

    def __init__(self, coordinator: LprCameraCoordinator) -> None:
        """Deliver for the entry's lifetime, with its picture entity's pictures if it has one."""
        self._coordinator = coordinator
        self._picture_entity: str | None = coordinator.config_entry.data.get(CONF_PICTURE_ENTITY)
        self._line: asyncio.Queue[asyncio.Future[PlateRead]] = asyncio.Queue()
        self._waiting = 0  # in line, or being delivered
        if self._picture_entity is not None:
            coordinator.config_entry.async_create_background_task(
                coordinator.hass, self._deliver(), f"{coordinator.name} reads"
            )

    @callback
    def take(
        self, mapping: ReadMapping, plate: Any, fields: Mapping[str, Any], time: datetime
    ) -> bool:
        """Take the read of a plate found in the data; whether it was one (no plate is no read)."""
        try:
            checked = plate_in(plate)
        except InvalidReadError as err:
            self._coordinator.warn_once("long_plate", "%s: no read", err)
            return False
        if checked is None:
            LOGGER.debug("%s: no plate in %.80r", self._coordinator.name, plate)
            return False
        self._add(mapping.read(checked, fields, time))
        return True

    def _add(self, read: PlateRead) -> None:
        if (picture_entity := self._picture_entity) is None:
            self._coordinator.async_handle_read(read)
            return
        waiting: asyncio.Future[PlateRead]
        if self._waiting < MAX_WAITING_READS:
            waiting = self._coordinator.config_entry.async_create_background_task(
                self._coordinator.hass,
                self._with_picture(read, picture_entity),
                f"{self._coordinator.name} picture",
            )
        else:
            self._coordinator.shed[SHED_PICTURES_NOT_TAKEN] += 1
            self._coordinator.warn_once(
                "picture_backlog",
                "reads come faster than %s gives pictures: the next come without theirs",
                picture_entity,
            )
            waiting = asyncio.get_running_loop().create_future()
            waiting.set_result(read)
        self._waiting += 1
        self._line.put_nowait(waiting)

    async def _deliver(self) -> None:
        while True:
            waiting = await self._line.get()
            try:
                self._coordinator.async_handle_read(await waiting)
            except Exception:  # noqa: BLE001 - logged with its traceback
                # A bug, here or after, must not stop the reads that follow.
                LOGGER.exception("Error delivering a read of %s", self._coordinator.name)
            finally:
                self._waiting -= 1

    async def _with_picture(self, read: PlateRead, picture_entity: str) -> PlateRead:
        try:
            async with asyncio.timeout(PICTURE_TIMEOUT_SECONDS):
                picture = await async_entity_picture(self._coordinator.hass, picture_entity)
        except (PictureError, TimeoutError) as err:
            self._coordinator.warn_once(
                "picture", "a read comes without its picture: %s", err or "timed out"
            )
            return read
        return dataclasses.replace(read, full_image=picture)
