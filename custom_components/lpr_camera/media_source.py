"""The picture history in Home Assistant's media browser: camera, then day, then reads.

Identifiers: "<camera>", "<camera>/<day>", "<camera>/<day>/<read>". A read resolves to its full
picture (or the plate crop when there is none) as Home Assistant's media view serves it.
"""

from __future__ import annotations

from homeassistant.components.media_player.const import MediaClass
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.components.media_source import (
    BrowseMediaSource,
    MediaSource,
    MediaSourceItem,
    PlayMedia,
    Unresolvable,
)
from homeassistant.core import HomeAssistant

from .const import DOMAIN
from .data import DATA_KEY
from .plate_log.pictures import PictureHistory, SavedRead, camera_folder, valid_part

JPEG = "image/jpeg"


async def async_get_media_source(hass: HomeAssistant) -> LprCameraMediaSource:
    """The integration's media source."""
    return LprCameraMediaSource(hass)


class LprCameraMediaSource(MediaSource):
    """Lists the saved reads of every camera by day, the plate in the title."""

    name = "LPR Camera"

    def __init__(self, hass: HomeAssistant) -> None:
        """Browse the history kept in hass.data."""
        super().__init__(DOMAIN)
        self.hass = hass

    @property
    def _history(self) -> PictureHistory:
        return self.hass.data[DATA_KEY].history

    async def async_resolve_media(self, item: MediaSourceItem) -> PlayMedia:
        """A read's full picture, else its plate crop."""
        parts = _parts(item.identifier)
        if parts is None or len(parts) != 3:
            raise Unresolvable(f"Not a read: {item.identifier}")
        camera, day, stem = parts
        saved = await self.hass.async_add_executor_job(self._history.read, camera, day, stem)
        if saved is None or not (file_name := saved.files.get("full") or saved.files.get("plate")):
            raise Unresolvable(f"No such read: {item.identifier}")
        return PlayMedia(self._history.url(camera, day, file_name), JPEG)

    async def async_browse_media(self, item: MediaSourceItem) -> BrowseMediaSource:
        """The cameras, a camera's days, or a day's reads."""
        parts = _parts(item.identifier)
        if parts is None or len(parts) > 2:
            raise BrowseError(f"Not a folder of the picture history: {item.identifier}")
        history = self._history
        if not parts:
            cameras = await self.hass.async_add_executor_job(history.cameras)
            titles = self._camera_titles()
            return _folder(
                None,
                self.name,
                [_folder(camera, titles.get(camera, camera)) for camera in cameras],
            )
        camera = parts[0]
        if len(parts) == 1:
            days = await self.hass.async_add_executor_job(history.days, camera)
            title = self._camera_titles().get(camera, camera)
            return _folder(camera, title, [_folder(f"{camera}/{day}", day) for day in days])
        day = parts[1]
        reads = await self.hass.async_add_executor_job(history.reads, camera, day)
        return _folder(
            f"{camera}/{day}",
            day,
            [self._read_item(camera, day, saved) for saved in reads],
            children_class=MediaClass.IMAGE,
        )

    def _camera_titles(self) -> dict[str, str]:
        """The folder of each camera Home Assistant knows, with its title."""
        return {
            camera_folder(entry): entry.title
            for entry in self.hass.config_entries.async_entries(DOMAIN)
        }

    def _read_item(self, camera: str, day: str, saved: SavedRead) -> BrowseMediaSource:
        # The snapshot: the media browser's square tiles cut a plate crop's ends off, while the
        # snapshot's middle (the vehicle) survives them; the title names the plate.
        thumbnail = saved.files.get("full") or saved.files.get("plate")
        return BrowseMediaSource(
            domain=DOMAIN,
            identifier=f"{camera}/{day}/{saved.stem}",
            media_class=MediaClass.IMAGE,
            media_content_type=JPEG,
            title=saved.title,
            can_play=True,
            can_expand=False,
            thumbnail=self._history.url(camera, day, thumbnail) if thumbnail else None,
        )


def _parts(identifier: str | None) -> list[str] | None:
    """The path of an identifier; None when a part cannot be one of ours (no "..", no "/")."""
    parts = [part for part in (identifier or "").split("/") if part]
    return parts if all(valid_part(part) for part in parts) else None


def _folder(
    identifier: str | None,
    title: str,
    children: list[BrowseMediaSource] | None = None,
    children_class: MediaClass = MediaClass.DIRECTORY,
) -> BrowseMediaSource:
    return BrowseMediaSource(
        domain=DOMAIN,
        identifier=identifier,
        media_class=MediaClass.DIRECTORY,
        media_content_type="",
        title=title,
        can_play=False,
        can_expand=True,
        children_media_class=children_class,
        children=children,
    )
