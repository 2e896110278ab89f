"""Frigate: the plates Frigate's licence plate recognition reads, over MQTT.

Frigate publishes to a broker; Home Assistant's `mqtt` integration, connected to the same broker,
hands its messages over (the library's `lpr/frigate.py` reads them). One entry follows one of
Frigate's cameras, or all of them. Each Frigate object is one read, the best plate of its settle
window; its picture is its snapshot from Frigate's API when the entry has Frigate's URL, fetched
before the read is delivered. `<prefix>/available` drives the Connection: Frigate tells when
it stops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiohttp
import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_URL, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from ..const import DOMAIN
from ..lpr import InvalidReadError
from ..lpr.frigate import (
    CAMERA_NAME,
    DEFAULT_TOPIC_PREFIX,
    TOPIC_AVAILABLE,
    TOPIC_EVENTS,
    TOPIC_PLATE_UPDATES,
    PlateUpdate,
    SettleWindows,
    availability,
    parse_event,
    parse_plate_update,
    plate_read,
    snapshot_path,
)
from . import FormAnswer, FormState, SourceForm, SourceType, source_data
from .pictures import PICTURE_TIMEOUT, PictureError, async_url_picture

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from homeassistant.components.mqtt import ReceiveMessage

    from ..coordinator import LprCameraCoordinator

SOURCE_FRIGATE = "frigate"
CONF_CAMERA = "camera"
CONF_TOPIC_PREFIX = "topic_prefix"
MQTT_DOMAIN = "mqtt"
# Reads waiting for their pictures from Frigate at once, as for the RTSP type: past it, a read
# comes without its picture at once rather than queue behind a Frigate that does not answer.
MAX_PICTURES_WAITING = 16


def _unique_id(data: Mapping[str, Any]) -> str:
    """Frigate's topic prefix and its camera (`*`: all of them)."""
    return f"{SOURCE_FRIGATE}:{data[CONF_TOPIC_PREFIX]}:{data[CONF_CAMERA] or '*'}"


async def _async_start(coordinator: LprCameraCoordinator) -> None:
    if not _mqtt_loaded(coordinator.hass):
        raise ConfigEntryNotReady(translation_domain=DOMAIN, translation_key="mqtt_not_set_up")
    await _FrigateListener(coordinator).async_subscribe()


SOURCE_TYPE = SourceType(
    key=SOURCE_FRIGATE,
    model="Frigate",
    has_session=True,
    async_start=_async_start,
    unique_id=_unique_id,
)


def _mqtt_loaded(hass: HomeAssistant) -> bool:
    """Whether Home Assistant's MQTT integration is set up (it is loaded only then)."""
    return any(
        entry.state is ConfigEntryState.LOADED
        for entry in hass.config_entries.async_entries(MQTT_DOMAIN)
    )


class _FrigateListener:
    """A Frigate entry's subscriptions, settle windows and pictures, for the entry's lifetime."""

    def __init__(self, coordinator: LprCameraCoordinator) -> None:
        self._coordinator = coordinator
        self._hass = coordinator.hass
        self._entry = coordinator.config_entry
        data = self._entry.data
        self._prefix: str = data[CONF_TOPIC_PREFIX]
        self._camera: str = data[CONF_CAMERA]
        self._url: str = data[CONF_URL]
        self._windows = SettleWindows(self._hass.loop, self._settled, on_cut_short=self._cut_short)
        self._pictures_waiting = 0

    async def async_subscribe(self) -> None:
        """Follow Frigate's topics until the entry unloads; then settle the open windows."""
        # Imported here: MQTT's client library loads only for a Frigate source.
        from homeassistant.components import mqtt  # noqa: PLC0415

        entry = self._entry
        # Registered first, so it runs last: after the subscriptions ended, nothing opens more.
        entry.async_on_unload(self._windows.close)
        entry.async_on_unload(self._hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, self._stop))
        entry.async_on_unload(mqtt.async_subscribe_connection_status(self._hass, self._broker))
        handlers: dict[str, Callable[[ReceiveMessage], None]] = {
            TOPIC_AVAILABLE: self._available,
            TOPIC_PLATE_UPDATES: self._plate_update,
            TOPIC_EVENTS: self._event,
        }
        for topic, handler in handlers.items():
            unsubscribe = await mqtt.async_subscribe(
                self._hass, f"{self._prefix}/{topic}", handler, encoding=None
            )
            entry.async_on_unload(unsubscribe)

    @callback
    def _available(self, message: ReceiveMessage) -> None:
        if (running := availability(_payload(message))) is not None:
            self._coordinator.async_set_connected(running)

    @callback
    def _broker(self, connected: bool) -> None:
        """Without the broker, nothing tells whether Frigate runs; its retained word comes again."""
        if not connected:
            self._coordinator.async_set_connected(False)

    @callback
    def _plate_update(self, message: ReceiveMessage) -> None:
        self._take(message, parse_plate_update)

    @callback
    def _event(self, message: ReceiveMessage) -> None:
        self._take(message, parse_event)

    def _take(self, message: ReceiveMessage, parse: Callable[[bytes], PlateUpdate | None]) -> None:
        try:
            update = parse(_payload(message))
        except InvalidReadError as err:
            self._coordinator.warn_once(
                f"frigate {err}",
                "A message on %s that is no plate was ignored: %s",
                message.topic,
                err,
            )
            return
        if update is not None and self._camera in ("", update.camera):
            self._windows.add(update)

    @callback
    def _stop(self, _event: Event) -> None:
        """Home Assistant stops: the reads in their windows are made now, as it waits for them."""
        self._windows.close()

    @callback
    def _cut_short(self) -> None:
        self._coordinator.shed["settle_windows_cut_short"] += 1
        self._coordinator.warn_once(
            "frigate busy",
            "Frigate sent more objects at once than are followed: the oldest's read is made early",
        )

    @callback
    def _settled(self, update: PlateUpdate) -> None:
        """An object's read: with its picture when Frigate's URL is known."""
        if not self._url:
            self._coordinator.async_handle_read(plate_read(update))
            return
        if self._pictures_waiting >= MAX_PICTURES_WAITING:
            self._coordinator.shed["pictures_not_fetched"] += 1
            self._coordinator.warn_once(
                "frigate pictures busy",
                "%d reads wait for their pictures from Frigate: the next come without",
                MAX_PICTURES_WAITING,
            )
            self._coordinator.async_handle_read(plate_read(update))
            return
        self._pictures_waiting += 1
        self._entry.async_create_task(
            self._hass, self._async_read_with_picture(update), f"{DOMAIN} Frigate picture"
        )

    async def _async_read_with_picture(self, update: PlateUpdate) -> None:
        try:
            picture = await async_url_picture(
                self._hass, self._url + snapshot_path(update.object_id)
            )
        except PictureError as err:
            self._coordinator.warn_once(
                "frigate picture", "A read came without its picture: %s", err
            )
            picture = None
        finally:
            self._pictures_waiting -= 1
        self._coordinator.async_handle_read(plate_read(update, full_image=picture))


def _payload(message: ReceiveMessage) -> bytes:
    """Subscribed without a decoding: the payload comes as bytes."""
    payload = message.payload
    return payload.encode() if isinstance(payload, str) else bytes(payload)


async def _async_answer(
    hass: HomeAssistant, user_input: dict[str, Any], state: FormState
) -> FormAnswer:
    camera = str(user_input.get(CONF_CAMERA) or "").strip()
    prefix = str(user_input[CONF_TOPIC_PREFIX]).strip().strip("/")
    url = str(user_input.get(CONF_URL) or "").strip().rstrip("/")
    data = source_data(
        SOURCE_FRIGATE, **{CONF_CAMERA: camera, CONF_TOPIC_PREFIX: prefix, CONF_URL: url}
    )
    title = f"Frigate {camera}" if camera else "Frigate"
    if not _mqtt_loaded(hass):
        return title, data, {"base": "mqtt_not_set_up"}
    errors: dict[str, str] = {}
    if camera and not CAMERA_NAME.fullmatch(camera):
        errors[CONF_CAMERA] = "invalid_frigate_camera"
    if not prefix or any(character in prefix for character in "+#\0"):
        errors[CONF_TOPIC_PREFIX] = "invalid_topic_prefix"
    if url and not _is_web_address(url):
        errors[CONF_URL] = "invalid_frigate_url"
    elif url and not await _async_frigate_answers(hass, url):
        errors[CONF_URL] = "frigate_unreachable"
    return title, data, errors


def _is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query


async def _async_frigate_answers(hass: HomeAssistant, url: str) -> bool:
    """Whether Frigate's API answers at the URL (its version, which needs no login on 5000)."""
    try:
        async with async_get_clientsession(hass).get(
            f"{url}/api/version", timeout=PICTURE_TIMEOUT
        ) as response:
            return response.status == 200
    except (aiohttp.ClientError, TimeoutError, ValueError):
        return False


FORM = SourceForm(
    step_id="source_frigate",
    schema=lambda _hass: vol.Schema(
        {
            vol.Optional(CONF_CAMERA, default=""): str,
            vol.Optional(CONF_URL, default=""): str,
            vol.Required(CONF_TOPIC_PREFIX, default=DEFAULT_TOPIC_PREFIX): str,
        }
    ),
    async_answer=_async_answer,
)
