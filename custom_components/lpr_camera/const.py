"""Constants of the LPR Camera integration."""

import logging
from typing import Final

DOMAIN: Final = "lpr_camera"
LOGGER = logging.getLogger(__package__)

CONF_CONNECTION_TYPE: Final = "connection_type"
CONNECTION_TCP: Final = "tcp"

EVENT_PLATE_RECOGNIZED: Final = "lpr_camera_plate_recognized"
