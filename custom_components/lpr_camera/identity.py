"""What tells the integration's config entries apart: each one's unique id.

The config flow refuses a camera whose unique id another entry has; the migration gives the
entries of before theirs. The text of an id is stored with the entry: changing how it is made
orphans the ids already given. A camera's MAC, when a discovery told it, is kept in the entry's
data, not in its id (the channels of one NVR share it): discovery.py moves the entry, and so its
id, to the address a discovery finds that MAC at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import CONF_HOST, CONF_PORT, CONF_WEBHOOK_ID

from .const import (
    CONF_CONNECTION_TYPE,
    CONF_KIND,
    CONF_PATH,
    CONF_SOURCE_TYPE,
    CONNECTION_HTTP,
    CONNECTION_TCP,
    KIND_SITE,
    KIND_SOURCE,
)
from .sources.registry import SOURCE_TYPES

# There is one site.
SITE_UNIQUE_ID = "site"


def entry_unique_id(data: Mapping[str, Any]) -> str:
    """The unique id of the entry with this data.

    An HTTP camera: its webhook id. A TCP camera: `host:port`. An RTSP camera:
    `host:port/path`, as the channels of one NVR differ only in their path. The host is
    lower-cased and the path has one leading slash, so the same camera written two ways is one.
    """
    if data.get(CONF_KIND) == KIND_SITE:
        return SITE_UNIQUE_ID
    if data.get(CONF_KIND) == KIND_SOURCE:
        return SOURCE_TYPES[data[CONF_SOURCE_TYPE]].unique_id(data)
    if data[CONF_CONNECTION_TYPE] == CONNECTION_HTTP:
        return str(data[CONF_WEBHOOK_ID])
    address = f"{str(data[CONF_HOST]).strip().lower()}:{int(data[CONF_PORT])}"
    if data[CONF_CONNECTION_TYPE] == CONNECTION_TCP:
        return address
    return f"{address}/{str(data[CONF_PATH]).lstrip('/')}"
