"""Plate Recognizer's webhook (Stream and Snapshot), as `PlateRead`s.

What it posts, from Plate Recognizer's own documentation and receivers:

- the payload `{"hook": {"event": ...}, "data": {"camera_id", "timestamp", "results": [...]}}`
  (guides.platerecognizer.com/docs/snapshot/results; the API reference's "WebHooks",
  parkpow/platerec-documentation source/index.html.md), each result with `plate`, `score` (the
  reading's confidence), `dscore` (the detection's), `box`, `region.code`, `vehicle.type` and,
  with mmc, the lists `model_make`, `color` and `orientation` (`Front`, `Rear`, `Unknown`);
  Stream adds `direction`, an angle in the picture (guides.platerecognizer.com/docs/stream/results;
  parkpow/deep-license-plate-recognition webhooks/webhook_tester/webhook_tester.py posts one,
  webhooks/middleware/protocols/dot.py keeps a range of it per camera);
- as a JSON body ("Data Only"), as a form with the JSON in its `json` field (Stream's data-only
  webhook), or as multipart/form-data with `json` and the picture in `upload` ("Webhook with
  Image"; Stream's picture is the vehicle's, or the frame with `webhook_image_type = original`,
  docker/platerec_installer/stream_config.py); the same repository's
  webhooks/middleware/consumer.py reads all three;
- Snapshot's `timestamp` without an offset is UTC (the API reference: "The timestamp has to be in
  UTC"); Stream's carries its `Z`.

A webhook is sent even when no plate was found, and Plate Recognizer drops a hook that keeps
failing: a payload without a plate is no read, and no error. Each result with a plate is a read
(plate_reads.py), the picture posted its full picture for all of them (no plate crop: cutting
one out of a JPEG needs an image library). Direction comes from the vehicle's orientation: its
front seen is a vehicle approaching, its rear one departing. Stream's angle says which way the
vehicle moved in the picture, which is approaching or departing only for the camera's view: it
stays in `raw`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .exceptions import InvalidReadError
from .form_data import form_fields
from .http_push import bounded_text, bounded_word, json_object, plate_box, raw_fields
from .models import Direction, PlateRead
from .plate_reads import PlateReads, first_plates
from .values import as_confidence, as_iso_time, as_number, as_text
from .vocabulary import COLOURS, VEHICLE_TYPES

JSON_FIELD = "json"
PICTURE_FIELD = "upload"
# The side of the vehicle seen, as the direction it goes.
ORIENTATIONS = {
    "front": Direction.APPROACHING,
    "rear": Direction.DEPARTING,
    "unknown": Direction.UNKNOWN,
}


def parse_webhook(body: bytes, content_type: str, *, received_at: datetime) -> PlateReads:
    """The reads of a webhook's body, posted with this Content-Type; none when it has no plate.

    Raises InvalidReadError when the body is no Plate Recognizer payload (no JSON object, no
    results), or a plate is longer than MAX_PLATE_LENGTH.
    """
    document, picture = _document(body, content_type)
    hook = document.get("hook")
    # The payload's `data`; Plate Recognizer's API answers with the same object, unwrapped.
    data = _mapping(document.get("data")) or document
    results = data.get("results")
    if results is None and isinstance(hook, dict):
        return PlateReads()  # another of Plate Recognizer's events: nothing read
    if not isinstance(results, list):
        raise InvalidReadError("no results list in the body")
    shared = _scalars(data)
    if (event := _mapping(hook).get("event")) is not None:
        shared["event"] = event
    posted = _Posted(
        time=as_iso_time(data.get("timestamp"), UTC) or received_at,
        camera=bounded_text(data.get("camera_id")),
        picture=picture,
        raw=shared,
    )
    found, left_out = first_plates(
        (result for result in results if isinstance(result, dict)),
        lambda result: as_text(result.get("plate")),
    )
    return PlateReads(tuple(_read(plate, result, posted) for plate, result in found), left_out)


@dataclass(frozen=True, slots=True)
class _Posted:
    """What one request says of all its reads: when, which camera, the picture, other fields."""

    time: datetime
    camera: str | None
    picture: bytes | None
    raw: Mapping[str, Any]


def _document(body: bytes, content_type: str) -> tuple[dict[str, Any], bytes | None]:
    """The payload and the picture posted with it, whichever of the three bodies it came in."""
    fields = form_fields(body, content_type)
    if fields is None:
        return json_object(body), None
    if JSON_FIELD not in fields:
        raise InvalidReadError(f"form without its {JSON_FIELD} field")
    return json_object(fields[JSON_FIELD]), fields.get(PICTURE_FIELD) or None


def _read(plate: str, result: Mapping[str, Any], posted: _Posted) -> PlateRead:
    box = _mapping(result.get("box"))
    return PlateRead(
        plate=plate,
        time=posted.time,
        device_id=posted.camera,
        direction=bounded_word(_best(result, "orientation"), ORIENTATIONS) or Direction.UNKNOWN,
        vehicle_type=bounded_word(_mapping(result.get("vehicle")).get("type"), VEHICLE_TYPES),
        vehicle_colour=bounded_word(_best(result, "color"), COLOURS),
        vehicle_brand=bounded_text(_best(result, "model_make", "make")),
        region=bounded_text(_mapping(result.get("region")).get("code")),
        confidence=as_confidence(result.get("score")),
        plate_box=plate_box(box.get("xmin"), box.get("ymin"), box.get("xmax"), box.get("ymax")),
        full_image=posted.picture,
        raw=raw_fields({**posted.raw, **_scalars(result, "plate")}),
    )


def _best(result: Mapping[str, Any], key: str, field: str | None = None) -> Any:
    """The most likely of a list of predictions (`[{"color": "white", "score": 0.67}, ...]`)."""
    predictions = result.get(key)
    if not isinstance(predictions, list):
        return None
    scored = [item for item in predictions if isinstance(item, dict)]
    if not scored:
        return None
    best = max(scored, key=lambda item: as_number(item.get("score")) or 0.0)
    return best.get(field or key)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _scalars(fields: Mapping[str, Any], *left_out: str) -> dict[str, Any]:
    """The fields that are no structure (camera_id, dscore, direction, ...), for `raw`."""
    return {
        key: value
        for key, value in fields.items()
        if not isinstance(value, (dict, list)) and key not in left_out
    }
