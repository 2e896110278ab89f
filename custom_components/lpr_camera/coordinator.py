"""The coordinator: keeps one camera's connection open and hands its reads to the entities."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .const import (
    CONF_ACTIVITY_WINDOW,
    CONF_CONNECTION_TYPE,
    CONF_HTTP_PORT,
    CONF_PATH,
    CONF_REPEAT_WINDOW,
    CONF_ROLE,
    CONNECTION_HTTP,
    CONNECTION_RTSP,
    CONNECTION_TCP,
    DEFAULT_ACTIVITY_WINDOW_MINUTES,
    DEFAULT_REPEAT_WINDOW_SECONDS,
    DEFAULT_ROLE,
    DOMAIN,
    EVENT_PLATE_RECOGNIZED,
    LOGGER,
)
from .data import DATA_KEY, async_vehicle_device_id
from .lpr import InvalidAuthError, LprError, PlateRead
from .lpr.matching import normalise
from .lpr.rtsp_client import RtspMetadataClient, rtsp_url
from .lpr.session import SessionKeeper
from .lpr.tcp_client import TcpCameraClient
from .lpr.tcp_codec import UnusualMetadata
from .site.known_vehicles import ReadMatch
from .site.presence import Presence, Sighting

type LprCameraConfigEntry = ConfigEntry[LprCameraCoordinator]


PLATE_IMAGE_KEY = "plate_image"
FULL_IMAGE_KEY = "full_image"
RECENT_READS = 20  # kept for diagnostics
UNUSUAL_METADATA_KEPT = 5  # for diagnostics, so a user can attach them to a bug report


@dataclass(frozen=True, slots=True)
class LprCameraState:
    """What the entities show: the connection, and the newest read with what it meant.

    `connected` is the session for the TCP type, and "a read arrived within the activity
    window" for the HTTP type, which has no session to watch. `repeat` and `presence` are the
    newest read's: the same plate again within the repeat window, and the arrival or
    departure it made on the site.
    """

    connected: bool
    last_read: PlateRead | None = None
    last_match: ReadMatch | None = None
    repeat: bool = False
    presence: Presence | None = None


class RecentPlates:
    """The vehicles a camera read within the repeat window, to tell a repeat from a new read.

    A known vehicle is one however OCR read its plate this time; others go by their plate.
    """

    def __init__(self) -> None:
        """Remember no plate yet."""
        self._seen: dict[str, float] = {}

    def seen_again(self, plate: str, match: ReadMatch, window: float) -> bool:
        """Note a read now; whether the camera read the same vehicle within `window` seconds."""
        now = time.monotonic()
        self._seen = {key: at for key, at in self._seen.items() if now - at <= window}
        key = match.vehicle.vehicle_id if match.vehicle else normalise(plate)
        repeat = key in self._seen
        self._seen[key] = now
        return repeat


class LprCameraCoordinator(DataUpdateCoordinator[LprCameraState]):
    """Owns the camera's connection for the config entry's lifetime.

    Push only: there is no polling; the transport calls back on every read and on every change
    of the connection.
    """

    config_entry: LprCameraConfigEntry

    def __init__(self, hass: HomeAssistant, entry: LprCameraConfigEntry) -> None:
        """Start disconnected, with no read."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title, update_interval=None)
        self.data = LprCameraState(connected=False)
        self._warned: set[str] = set()
        self._cancel_activity_timer: CALLBACK_TYPE | None = None
        self.device_id: str | None = None
        # The bus event data of the last reads, without pictures, for diagnostics.
        self.recent_reads: deque[dict[str, object]] = deque(maxlen=RECENT_READS)
        # TCP reads that look decoded from a metadata layout we do not know.
        self.unusual_metadata: deque[UnusualMetadata] = deque(maxlen=UNUSUAL_METADATA_KEPT)
        self._recent_plates = RecentPlates()

    async def _async_update_data(self) -> LprCameraState:
        """Answer a refresh (`homeassistant.update_entity`) with what the camera last pushed.

        There is nothing to fetch: the state is always current.
        """
        return self.data

    @property
    def role(self) -> str:
        """What the camera sees: entrance, exit, or both ways (by the read's direction)."""
        return str(self.config_entry.options.get(CONF_ROLE, DEFAULT_ROLE))

    @property
    def has_session(self) -> bool:
        """Whether a lost connection makes the camera's entities unavailable."""
        return bool(self.config_entry.data[CONF_CONNECTION_TYPE] != CONNECTION_HTTP)

    async def async_start(self) -> None:
        """Register the camera's device, then open its connection for the entry's lifetime."""
        self.device_id = self._async_register_device()
        if (client := self._session_client()) is not None:
            await self._async_open_session(client)
        else:
            self.config_entry.async_on_unload(self._async_cancel_activity_timer)

    def _session_client(self) -> SessionKeeper[Any] | None:
        """The client that keeps the camera's session, for the types that have one."""
        data = self.config_entry.data
        callbacks: dict[str, Any] = {
            "on_read": self.async_handle_read,
            "on_connection_change": self.async_set_connected,
            "on_auth_failed": self._async_auth_failed,
        }
        credentials = (data[CONF_USERNAME], data[CONF_PASSWORD])
        connection_type = data[CONF_CONNECTION_TYPE]
        if connection_type == CONNECTION_TCP:
            return TcpCameraClient(
                data[CONF_HOST],
                data[CONF_PORT],
                *credentials,
                on_unusual_metadata=self.unusual_metadata.append,
                **callbacks,
            )
        if connection_type == CONNECTION_RTSP:
            return RtspMetadataClient(
                rtsp_url(data[CONF_HOST], data[CONF_PORT], data[CONF_PATH]),
                *credentials,
                http_session=async_get_clientsession(self.hass),
                http_port=data[CONF_HTTP_PORT],
                **callbacks,
            )
        return None

    async def _async_open_session(self, client: SessionKeeper[Any]) -> None:
        """Log in, then keep the session open in the background."""
        try:
            await client.connect()
        except InvalidAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except LprError as err:
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={"error": str(err)},
            ) from err
        self.async_set_connected(True)
        self.config_entry.async_create_background_task(
            self.hass, client.run(), f"{DOMAIN} {self.config_entry.title} session"
        )
        self.config_entry.async_on_unload(client.stop)

    @callback
    def _async_register_device(self) -> str:
        entry = self.config_entry
        device = dr.async_get(self.hass).async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.title,
            model="LPR camera",
            configuration_url=f"http://{host}" if (host := entry.data.get(CONF_HOST)) else None,
        )
        return device.id

    @callback
    def async_handle_read(self, read: PlateRead) -> None:
        """Match a read, note it on the site, show it, fire the bus event, save and log it."""
        data = self.hass.data[DATA_KEY]
        match = data.known_vehicles.match(read.plate, read.time)
        window = self.config_entry.options.get(CONF_REPEAT_WINDOW, DEFAULT_REPEAT_WINDOW_SECONDS)
        repeat = self._recent_plates.seen_again(read.plate, match, window)
        sighting = Sighting(dt_util.utcnow(), self.config_entry.entry_id, self.config_entry.title)
        presence = data.site.async_record(read, match, sighting, self.role)
        self.async_set_updated_data(
            replace(self.data, last_read=read, last_match=match, repeat=repeat, presence=presence)
        )
        if not self.has_session:
            self._async_note_activity()
        event_data = self._event_data(read, match, repeat, presence)
        self.recent_reads.append(event_data)
        self.hass.bus.async_fire(EVENT_PLATE_RECOGNIZED, dict(event_data))
        # Last, and in the background: a save that fails cannot hold the read back.
        saving = data.history.async_save(self.config_entry, read, match)
        data.plate_log.async_record(self.config_entry, read, match, repeat, saving)

    @callback
    def async_set_connected(self, connected: bool) -> None:
        """Record a change of the connection."""
        if connected != self.data.connected:
            self.async_set_updated_data(replace(self.data, connected=connected))

    def warn_once(self, kind: str, message: str, *args: object) -> None:
        """Log a fault of the camera once per kind, then only at debug level: no flood."""
        if kind in self._warned:
            LOGGER.debug(message, *args)
            return
        self._warned.add(kind)
        LOGGER.warning("%s: " + message, self.config_entry.title, *args)

    @callback
    def _async_note_activity(self) -> None:
        self.async_set_connected(True)
        self._async_cancel_activity_timer()
        minutes = self.config_entry.options.get(
            CONF_ACTIVITY_WINDOW, DEFAULT_ACTIVITY_WINDOW_MINUTES
        )
        self._cancel_activity_timer = async_call_later(
            self.hass, timedelta(minutes=minutes), self._async_activity_expired
        )

    @callback
    def _async_activity_expired(self, _now: object) -> None:
        self._cancel_activity_timer = None
        self.async_set_connected(False)

    @callback
    def _async_cancel_activity_timer(self) -> None:
        if self._cancel_activity_timer is not None:
            self._cancel_activity_timer()
            self._cancel_activity_timer = None

    @callback
    def _async_auth_failed(self) -> None:
        self.async_set_connected(False)
        self.config_entry.async_start_reauth(self.hass)

    def _event_data(
        self, read: PlateRead, match: ReadMatch, repeat: bool, presence: Presence | None
    ) -> dict[str, object]:
        entry_id = self.config_entry.entry_id
        entities = er.async_get(self.hass)
        vehicle_device_id = (
            async_vehicle_device_id(self.hass, match.vehicle.vehicle_id) if match.vehicle else None
        )
        return {
            **read.as_dict(),
            **match.as_dict(),
            "repeat": repeat,
            "presence": None if presence is None else str(presence),
            "camera_role": self.role,
            "vehicle_device_id": vehicle_device_id,
            "config_entry_id": entry_id,
            "device_id": self.device_id,
            # The camera's Plate event entity: the logbook files the read's line under it, so
            # the line shows where that entity or the camera's device is looked at.
            "entity_id": entities.async_get_entity_id("event", DOMAIN, f"{entry_id}_plate"),
            "plate_image_entity_id": entities.async_get_entity_id(
                "image", DOMAIN, f"{entry_id}_{PLATE_IMAGE_KEY}"
            ),
            "full_image_entity_id": entities.async_get_entity_id(
                "image", DOMAIN, f"{entry_id}_{FULL_IMAGE_KEY}"
            ),
        }
