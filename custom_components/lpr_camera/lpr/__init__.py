"""Asyncio library for licence-plate-recognition cameras (Milesight-style protocols).

Home Assistant free: the integration around it is a thin layer.
"""

from .exceptions import (
    CannotConnectError,
    InvalidAuthError,
    InvalidReadError,
    LoginRejectedError,
    LprError,
    NoMetadataTrackError,
    PictureFetchError,
    ProtocolError,
    RequestRejectedError,
)
from .models import Colour, Direction, ListType, PlateBox, PlateRead, RadarData, VehicleType

__all__ = [
    "CannotConnectError",
    "Colour",
    "Direction",
    "InvalidAuthError",
    "InvalidReadError",
    "ListType",
    "LoginRejectedError",
    "LprError",
    "NoMetadataTrackError",
    "PictureFetchError",
    "PlateBox",
    "PlateRead",
    "ProtocolError",
    "RadarData",
    "RequestRejectedError",
    "VehicleType",
]
