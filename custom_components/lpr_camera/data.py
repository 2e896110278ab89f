"""What the integration keeps for every camera at once, in hass.data."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .known_plates import KnownPlates


@dataclass(slots=True)
class LprCameraData:
    """The integration-wide state: the known plates and the shared settings."""

    known_plates: KnownPlates


DATA_KEY: HassKey[LprCameraData] = HassKey(DOMAIN)
