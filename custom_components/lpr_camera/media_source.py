"""The plate log's pictures in Home Assistant's media browser: camera, then day, then reads.

Identifiers: "<camera>", "<camera>/<day>", "<camera>/<day>/<read id>": the folders the pictures
are in, and a read of the plate log. A read resolves to its full picture (or the plate crop
when there is none) as Home Assistant's media view serves it.
"""

from __future__ import annotations

from collections import defaultdict

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
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .plate_log.database import LoggedRead, PlateLogDatabase
from .plate_log.log import PlateLog
from .plate_log.pictures import valid_part
from .read import ReadKey
from .site import site_of
from .site.known_vehicles import PlateList

JPEG = "image/jpeg"


async def async_get_media_source(hass: HomeAssistant) -> LprCameraMediaSource:
    """The integration's media source."""
    return LprCameraMediaSource(hass)


class LprCameraMediaSource(MediaSource):
    """Lists the reads with pictures of every camera by day, the plate in the title."""

    name = "LPR Camera"

    def __init__(self, hass: HomeAssistant) -> None:
        """Browse the plate log of the site."""
        super().__init__(DOMAIN)
        self.hass = hass

    @property
    def _plate_log(self) -> PlateLog:
        return site_of(self.hass).plate_log

    def _database(self) -> PlateLogDatabase:
        if (database := self._plate_log.database) is None:
            raise BrowseError("The plate log is not open")
        return database

    async def async_resolve_media(self, item: MediaSourceItem) -> PlayMedia:
        """A read's full picture, else its plate crop."""
        parts = _parts(item.identifier)
        if parts is None or len(parts) != 3 or not parts[2].isdecimal():
            raise Unresolvable(f"Not a read: {item.identifier}")
        database = self._plate_log.database
        read = None
        if database is not None:
            read = await self.hass.async_add_executor_job(database.get, int(parts[2]))
        if read is None or read.folder != "/".join(parts[:2]) or not (path := _thumbnail(read)):
            raise Unresolvable(f"No such read: {item.identifier}")
        return PlayMedia(self._plate_log.url_of(path), JPEG)

    async def async_browse_media(self, item: MediaSourceItem) -> BrowseMediaSource:
        """The cameras, a camera's days, or a day's reads."""
        parts = _parts(item.identifier)
        if parts is None or len(parts) > 2:
            raise BrowseError(f"Not a folder of the plate log's pictures: {item.identifier}")
        database = self._database()
        if len(parts) == 2:
            folder = "/".join(parts)
            reads = await self.hass.async_add_executor_job(database.in_folder, folder)
            return _folder(
                folder,
                parts[1],
                [self._read_item(read) for read in reads],
                children_class=MediaClass.IMAGE,
            )
        cameras: defaultdict[str, list[str]] = defaultdict(list)
        titles: dict[str, str] = {}
        folders = await self.hass.async_add_executor_job(database.picture_folders)
        for folder, title in folders.items():
            camera, _, day = folder.partition("/")
            cameras[camera].append(day)
            titles.setdefault(camera, title)
        if not parts:
            return _folder(
                None, self.name, [_folder(camera, titles[camera]) for camera in sorted(cameras)]
            )
        camera = parts[0]
        days = sorted(cameras.get(camera, []), reverse=True)
        return _folder(
            camera,
            titles.get(camera, camera),
            [_folder(f"{camera}/{day}", day) for day in days],
        )

    def _read_item(self, read: LoggedRead) -> BrowseMediaSource:
        # The snapshot: the media browser's square tiles cut a plate crop's ends off, while the
        # snapshot's middle (the vehicle) survives them; the title names the plate.
        thumbnail = _thumbnail(read)
        return BrowseMediaSource(
            domain=DOMAIN,
            identifier=f"{read.folder}/{read.read_id}",
            media_class=MediaClass.IMAGE,
            media_content_type=JPEG,
            title=_title(read),
            can_play=True,
            can_expand=False,
            thumbnail=self._plate_log.url_of(thumbnail) if thumbnail else None,
        )


def _thumbnail(read: LoggedRead) -> str | None:
    return read.picture("full") or read.picture("plate")


def _title(read: LoggedRead) -> str:
    """08:30:15 AB123 (Anna's car)."""
    fields = read.fields
    details = [name] if (name := fields.get(ReadKey.KNOWN_NAME)) else []
    if fields.get(ReadKey.KNOWN_LIST) == PlateList.DENY:
        details.append("deny list")
    suffix = f" ({', '.join(details)})" if details else ""
    return f"{dt_util.as_local(read.filed_at):%H:%M:%S} {read.plate}{suffix}"


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
