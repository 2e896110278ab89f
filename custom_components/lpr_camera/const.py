"""Constants of the LPR Camera integration."""

import logging
from typing import Final

DOMAIN: Final = "lpr_camera"
LOGGER = logging.getLogger(__package__)

CONF_CONNECTION_TYPE: Final = "connection_type"
CONNECTION_TCP: Final = "tcp"
# The spec names no default LPR port; this is the one the simulator and the demo use.
DEFAULT_TCP_PORT: Final = 5555

EVENT_PLATE_RECOGNIZED: Final = "lpr_camera_plate_recognized"
# An event an HTTP camera posts that is no read: a count, a list match, a violation, ...
EVENT_CAMERA_EVENT: Final = "lpr_camera_camera_event"
CONNECTION_HTTP: Final = "http"
# The config flow's menu entry of the sources ("Another plate reader").
SOURCE_MENU: Final = "source"

# HTTP type: the "connection" entity is on while the last read is at most this old.
CONF_ACTIVITY_WINDOW: Final = "activity_window"
DEFAULT_ACTIVITY_WINDOW_MINUTES: Final = 24 * 60

# The site: one config entry beside the cameras. Its subentries are the known vehicles, its
# options the settings every camera shares.
CONF_KIND: Final = "kind"
KIND_SITE: Final = "site"
# A source: another system in Home Assistant that reads plates, fed to the site like a camera.
KIND_SOURCE: Final = "source"
CONF_SOURCE_TYPE: Final = "source_type"
CONF_SOURCE_FORM: Final = "source_form"  # the config flow's form it was added with
SITE_TITLE: Final = "Site"
SUBENTRY_VEHICLE: Final = "vehicle"
CONF_TOLERANCE: Final = "tolerance"
CONF_HISTORY: Final = "history"
CONF_PLATE_LOG_ADMIN_ONLY: Final = "plate_log_admin_only"
CONF_RETENTION_DAYS: Final = "retention_days"
CONF_MAX_SIZE_MB: Final = "max_size_mb"
CONF_ON_SITE_LIMIT: Final = "on_site_limit"
CONF_PASS_RETENTION_DAYS: Final = "pass_retention_days"  # noqa: S105 - a vehicle pass
DEFAULT_TOLERANCE: Final = 1
DEFAULT_HISTORY: Final = True
DEFAULT_RETENTION_DAYS: Final = 30
DEFAULT_MAX_SIZE_MB: Final = 1000
DEFAULT_ON_SITE_LIMIT_HOURS: Final = 24
DEFAULT_PASS_RETENTION_DAYS: Final = 7

# A camera's options: what it sees (its role), and how long its reads count.
CONF_ROLE: Final = "role"
ROLE_ENTRANCE: Final = "entrance"
ROLE_EXIT: Final = "exit"
ROLE_DIRECTION: Final = "direction"
DEFAULT_ROLE: Final = ROLE_DIRECTION
CONF_AUTHORIZED_HOLD: Final = "authorized_hold"
DEFAULT_AUTHORIZED_HOLD_SECONDS: Final = 30
CONF_REPEAT_WINDOW: Final = "repeat_window"
DEFAULT_REPEAT_WINDOW_SECONDS: Final = 60
# The gate a camera (or source) watches: reads of one plate at one gate within the repeat window
# are one passage, whichever camera or source read them. Empty: the camera is a gate of its own.
CONF_GATE: Final = "gate"
# Which authorized reads turn the Authorized sensor on: any, approaching only, arrivals only.
CONF_AUTHORIZED_WHEN: Final = "authorized_when"
AUTHORIZED_ANY: Final = "any"
AUTHORIZED_APPROACHING: Final = "approaching"
AUTHORIZED_ARRIVAL: Final = "arrival"

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
