"""ONVIF metadata documents: the plate reads in their events.

Two topics carry a plate: the seed's vendor topic `tns1:RuleEngine/LicensePlateDetector/
LicensePlate` and ONVIF's standard `tns1:RuleEngine/Recognition/LicensePlate`. Elements are
matched by namespace URI and local name, never by prefix.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from .exceptions import InvalidReadError, ProtocolError
from .models import Direction, PlateRead, checked_plate
from .rtp import MAX_DOCUMENT_BYTES
from .values import as_confidence, as_enum, as_text
from .vocabulary import DIRECTIONS

_LOGGER = logging.getLogger(__name__)

TT = "http://www.onvif.org/ver10/schema"
WSNT = "http://docs.oasis-open.org/wsn/b-2"
TOPICS = "http://www.onvif.org/ver10/topics"

_NOTIFICATION = f"{{{WSNT}}}NotificationMessage"
_TOPIC = f"{{{WSNT}}}Topic"
_MESSAGE = f"{{{WSNT}}}Message/{{{TT}}}Message"
_SIMPLE_ITEM = f"{{{TT}}}SimpleItem"
_ELEMENT_ITEM = f"{{{TT}}}ElementItem"
# Spelled MetadataStream by the ONVIF schema and MetaDataStream by the seed.
_ROOT = "metadatastream"
_PLATE_TOPICS = frozenset(
    {
        ("RuleEngine", "LicensePlateDetector", "LicensePlate"),
        ("RuleEngine", "Recognition", "LicensePlate"),
    }
)
# The state a camera repeats on connect (Initialized) or withdraws (Deleted) is no new read.
_NOT_NEW = frozenset({"Initialized", "Deleted"})
# `25km/h`, `25 km/h`, `12.5`: a number and an optional unit.
_SPEED = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*([a-z/]*)\s*", re.IGNORECASE)
_KMH_PER_UNIT = {"": 1.0, "km/h": 1.0, "kmh": 1.0, "kph": 1.0, "mph": 1.609344, "m/s": 3.6}


@dataclass(frozen=True, slots=True)
class PlateEvent:
    """A plate read from an event, with the camera's paths of its pictures (not yet fetched)."""

    read: PlateRead
    plate_image_uri: str | None = None
    full_image_uri: str | None = None


def parse_metadata(
    document: bytes,
    *,
    received_at: datetime,
    on_skipped: Callable[[InvalidReadError], None] | None = None,
) -> list[PlateEvent]:
    """Every new plate read of a metadata document, in document order.

    `received_at` stands in for a missing or unreadable `UtcTime`. An event that is no read
    (its plate is too long) is skipped and handed to `on_skipped`, the others are kept. Raises
    ProtocolError for a document that is too large, not well-formed, has a DOCTYPE, or is no
    metadata stream.
    """
    root = _parse_xml(document)
    if etree.QName(root).namespace != TT or etree.QName(root).localname.lower() != _ROOT:
        raise ProtocolError(f"not an ONVIF metadata stream: root {etree.QName(root).text}")
    events = []
    for notification in root.iter(_NOTIFICATION):
        try:
            event = _plate_event(notification, received_at)
        except InvalidReadError as err:
            (on_skipped or _log_skipped)(err)
            continue
        if event is not None:
            events.append(event)
    return events


def _log_skipped(err: InvalidReadError) -> None:
    _LOGGER.debug("Skipping a licence-plate event: %s", err)


def _parse_xml(document: bytes) -> etree._Element:
    """Parse without DTD, entities or network; any DOCTYPE is refused."""
    if len(document) > MAX_DOCUMENT_BYTES:
        raise ProtocolError(f"metadata document larger than {MAX_DOCUMENT_BYTES} bytes")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(document, parser)
    except etree.XMLSyntaxError as err:
        raise ProtocolError(f"metadata document is not well-formed XML: {err}") from err
    if root.getroottree().docinfo.internalDTD is not None:
        raise ProtocolError("metadata document has a DOCTYPE")
    return root


def _plate_event(notification: etree._Element, received_at: datetime) -> PlateEvent | None:
    topic = notification.find(_TOPIC)
    message = notification.find(_MESSAGE)
    if topic is None or message is None or _topic_path(topic) not in _PLATE_TOPICS:
        return None
    if message.get("PropertyOperation") in _NOT_NEW:
        return None
    items = _items(message)
    plate = as_text(items.get("LicensePlateResult") or items.get("PlateNumber"))
    if plate is None:
        _LOGGER.debug("Skipping a licence-plate event without a plate: %s", items)
        return None
    read = PlateRead(
        plate=checked_plate(plate),
        time=_utc_time(message.get("UtcTime")) or received_at,
        direction=as_enum(_first(items, "LicenseCarDirection", "Direction"), DIRECTIONS)
        or Direction.UNKNOWN,
        speed=_speed(_first(items, "LicenseCarSpeed", "Speed")),
        region=as_text(items.get("CountryCode")),
        confidence=as_confidence(items.get("Likelihood")),
        raw={"Topic": topic.text.strip() if topic.text else "", **items},
    )
    return PlateEvent(
        read=read,
        plate_image_uri=as_text(_first(items, "LicensePlatePicturePath", "ImageURI")),
        full_image_uri=as_text(items.get("VehicleImageURI")),
    )


def _topic_path(topic: etree._Element) -> tuple[str, ...] | None:
    """The topic's path without prefixes, if its root is in ONVIF's topic namespace."""
    segments = (topic.text or "").strip().split("/")
    prefix, _, first = segments[0].rpartition(":")
    if topic.nsmap.get(prefix or None) != TOPICS:
        return None
    return (first, *(segment.rpartition(":")[2] for segment in segments[1:]))


def _items(message: etree._Element) -> dict[str, Any]:
    """Name to value of the message's simple items; the leaves of element items as text.

    The standard topic nests the plate (`LicensePlateInfo/PlateNumber`) in an element item.
    """
    items: dict[str, Any] = {}
    for item in message.iter(_SIMPLE_ITEM):
        if (name := item.get("Name")) and (value := item.get("Value")) is not None:
            items.setdefault(name, value)
    for element in message.iter(_ELEMENT_ITEM):
        for leaf in element.iter(etree.Element):
            if len(leaf) == 0 and leaf is not element and leaf.text and leaf.text.strip():
                items.setdefault(etree.QName(leaf).localname, leaf.text.strip())
    return items


def _first(items: Mapping[str, Any], *names: str) -> Any:
    return next((items[name] for name in names if name in items), None)


def _utc_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        time = datetime.fromisoformat(value.strip())
    except ValueError:
        _LOGGER.debug("UtcTime %r does not parse; using the time of receipt", value)
        return None
    return time if time.tzinfo else time.replace(tzinfo=UTC)


def _speed(value: Any) -> float | None:
    """Speed in km/h from `25km/h`, `25`, `15 mph` or `7 m/s`."""
    text = as_text(value)
    match = _SPEED.fullmatch(text) if text else None
    if match is None or (factor := _KMH_PER_UNIT.get(match[2].lower())) is None:
        return None
    return float(match[1]) * factor
