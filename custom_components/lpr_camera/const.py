"""Constants of the LPR Camera integration."""

import logging
from typing import Final

DOMAIN: Final = "lpr_camera"
LOGGER = logging.getLogger(__package__)

CONF_CONNECTION_TYPE: Final = "connection_type"
CONNECTION_TCP: Final = "tcp"

EVENT_PLATE_RECOGNIZED: Final = "lpr_camera_plate_recognized"
CONNECTION_HTTP: Final = "http"

# HTTP type: the "connection" entity is on while the last read is at most this old.
CONF_ACTIVITY_WINDOW: Final = "activity_window"
DEFAULT_ACTIVITY_WINDOW_MINUTES: Final = 24 * 60
