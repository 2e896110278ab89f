"""The coordinator: keeps one camera's connection open and hands its reads to the entities."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import (
    CONF_ACTIVITY_WINDOW,
    CONF_CONNECTION_TYPE,
    CONF_GATE,
    CONF_HTTP_PORT,
    CONF_PATH,
    CONF_REPEAT_WINDOW,
    CONF_ROLE,
    CONF_SOURCE_TYPE,
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
from .lpr import InvalidAuthError, LprError, PlateRead
from .lpr.rtsp_client import RtspMetadataClient, rtsp_url
from .lpr.session import SessionKeeper
from .lpr.tcp_client import TcpCameraClient
from .lpr.tcp_codec import UnusualMetadata
from .read import CameraRef, Goes, ReadRecord
from .sources import SourceType, is_source_entry
from .sources.registry import SOURCE_TYPES

if TYPE_CHECKING:
    from .site import Site

type LprCameraConfigEntry = ConfigEntry[LprCameraCoordinator]

# The camera's entities a read names, by the key of their description.
PLATE_EVENT_KEY = "plate"
PLATE_IMAGE_KEY = "plate_image"
FULL_IMAGE_KEY = "full_image"
RECENT_READS = 20  # kept for diagnostics
UNUSUAL_METADATA_KEPT = 5  # for diagnostics, so a user can attach them to a bug report


@dataclass(frozen=True, slots=True)
class LprCameraState:
    """The camera's connection.

    `connected` is the session for the TCP and RTSP types, and "a read arrived within the
    activity window" for the HTTP type, which has no session to watch. Reads are not state:
    each comes once, by the camera's read signal (`read_signal`).
    """

    connected: bool


def source_type_of(entry: ConfigEntry) -> SourceType | None:
    """The type of a source's entry; None for a camera's."""
    return SOURCE_TYPES[entry.data[CONF_SOURCE_TYPE]] if is_source_entry(entry) else None


def entry_has_session(entry: ConfigEntry) -> bool:
    """Whether a camera's (or source's) connection can be watched.

    Not an HTTP camera's, nor that of a source that cannot tell it stopped sending: their
    Connection means "a read came within the activity window".
    """
    if (source_type := source_type_of(entry)) is not None:
        return source_type.has_session
    return bool(entry.data[CONF_CONNECTION_TYPE] != CONNECTION_HTTP)


class LprCameraCoordinator(DataUpdateCoordinator[LprCameraState]):
    """Owns the camera's connection for the config entry's lifetime.

    Push only: there is no polling. The transport calls back on every read and on every change
    of the connection; the site judges each read, and the coordinator hands the record to the
    entities (by the camera's signal), the bus and the plate log.
    """

    config_entry: LprCameraConfigEntry

    def __init__(self, hass: HomeAssistant, entry: LprCameraConfigEntry, site: Site) -> None:
        """Start disconnected, with no read."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title, update_interval=None)
        self.data = LprCameraState(connected=False)
        self.site = site
        self.read_signal = f"{DOMAIN}_{entry.entry_id}_read"
        # The newest read, for the entities set up after it (one enabled later).
        self.last_record: ReadRecord | None = None
        # The entities a read names, by description key; each notes itself when added.
        self.entity_ids: dict[str, str] = {}
        self.device_id: str | None = None
        self._warned: set[str] = set()
        # What the camera sent past a bound, by kind: shown in its diagnostics.
        self.shed: Counter[str] = Counter()
        self._cancel_activity_timer: CALLBACK_TYPE | None = None
        # The bus event data of the last reads, for diagnostics.
        self.recent_reads: deque[dict[str, object]] = deque(maxlen=RECENT_READS)
        # TCP reads that look decoded from a metadata layout we do not know.
        self.unusual_metadata: deque[UnusualMetadata] = deque(maxlen=UNUSUAL_METADATA_KEPT)

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
    def source_type(self) -> SourceType | None:
        """The type of a source; None for a camera."""
        return source_type_of(self.config_entry)

    @property
    def has_session(self) -> bool:
        """Whether a lost connection makes the camera's entities unavailable."""
        return entry_has_session(self.config_entry)

    async def async_start(self) -> None:
        """Register the device, then open the connection (or start the source) for good."""
        self.device_id = self._async_register_device()
        if not self.has_session:
            self.config_entry.async_on_unload(self._async_cancel_activity_timer)
        if (source_type := self.source_type) is not None:
            await source_type.async_start(self)
        elif (client := self._session_client()) is not None:
            await self._async_open_session(client)

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
            model=source_type.model if (source_type := self.source_type) else "LPR camera",
            configuration_url=f"http://{host}" if (host := entry.data.get(CONF_HOST)) else None,
        )
        return device.id

    @property
    def camera(self) -> CameraRef:
        """The camera as a read names it: now."""
        entry = self.config_entry
        return CameraRef(
            entry_id=entry.entry_id,
            title=entry.title,
            device_id=self.device_id,
            role=self.role,
            gate=str(entry.options.get(CONF_GATE) or "").strip() or None,
            entity_ids=dict(self.entity_ids),
        )

    @callback
    def async_handle_read(self, read: PlateRead) -> None:
        """Have the site judge a read; show it, fire the bus event, log it."""
        window = self.config_entry.options.get(CONF_REPEAT_WINDOW, DEFAULT_REPEAT_WINDOW_SECONDS)
        record = self.site.async_judge(read, self.camera, window)
        if record.filed_at != record.read.time:
            self.warn_once(
                "clock", "its clock is a day or more off: reads take the time they arrive"
            )
        self.last_record = record
        if not self.has_session:
            self._async_note_activity()
        event_data = record.fields(Goes.EVENT)
        self.recent_reads.append(event_data)
        async_dispatcher_send(self.hass, self.read_signal, record)
        self.hass.bus.async_fire(EVENT_PLATE_RECOGNIZED, dict(event_data))
        # Last, and in the background: its pictures and its row.
        self.site.plate_log.async_log(record)

    @callback
    def async_set_connected(self, connected: bool) -> None:
        """Record a change of the connection."""
        if connected != self.data.connected:
            self.async_set_updated_data(LprCameraState(connected=connected))

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
