"""What the integration keeps for every camera at once, in hass.data."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .history import PictureHistory
from .known_plates import KnownPlates


@dataclass(slots=True)
class LprCameraData:
    """The integration-wide state: the known plates, the shared settings, the picture history."""

    known_plates: KnownPlates
    history: PictureHistory


DATA_KEY: HassKey[LprCameraData] = HassKey(DOMAIN)
