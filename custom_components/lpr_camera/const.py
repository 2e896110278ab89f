"""Constants of the LPR Camera integration."""

import logging
from typing import Final

DOMAIN: Final = "lpr_camera"
LOGGER = logging.getLogger(__package__)

CONF_CONNECTION_TYPE: Final = "connection_type"
CONNECTION_TCP: Final = "tcp"

EVENT_PLATE_RECOGNIZED: Final = "lpr_camera_plate_recognized"
# An event an HTTP camera posts that is no read: a count, a list match, a violation, ...
EVENT_CAMERA_EVENT: Final = "lpr_camera_camera_event"
CONNECTION_HTTP: Final = "http"

# HTTP type: the "connection" entity is on while the last read is at most this old.
CONF_ACTIVITY_WINDOW: Final = "activity_window"
DEFAULT_ACTIVITY_WINDOW_MINUTES: Final = 24 * 60

# Known plates and the settings every camera shares (one store for the integration).
CONF_TOLERANCE: Final = "tolerance"
CONF_HISTORY: Final = "history"
CONF_RETENTION_DAYS: Final = "retention_days"
CONF_MAX_SIZE_MB: Final = "max_size_mb"
DEFAULT_TOLERANCE: Final = 1
DEFAULT_HISTORY: Final = True
DEFAULT_RETENTION_DAYS: Final = 30
DEFAULT_MAX_SIZE_MB: Final = 1000

# What a read is to the known plates: the event types of the event entity and the bus event.
EVENT_TYPE_KNOWN: Final = "known"
EVENT_TYPE_UNKNOWN: Final = "unknown"
EVENT_TYPE_DENIED: Final = "denied"

CONNECTION_RTSP: Final = "rtsp"
CONF_PATH: Final = "path"
CONF_HTTP_PORT: Final = "http_port"
DEFAULT_RTSP_PORT: Final = 554
DEFAULT_HTTP_PORT: Final = 80
# Where cameras commonly serve a stream with the ONVIF metadata track; tried in order when the
# user leaves the path empty.
RTSP_PATH_CANDIDATES: Final = (
    "/main",
    "/",
    "/Streaming/Channels/101",
    "/cam/realmonitor?channel=1&subtype=0",
    "/profile1/media.smp",
    "/onvif-media/media.amp",
)
