"""The body ALPR-Database's `POST /api/plate-reads` takes, as `PlateRead`s.

Blue Iris posts it from an alert action, with CodeProject.AI's result in it. From
algertc/ALPR-Database (app/api/plate-reads/route.js, README.md, example.json,
multi-ai-payload.json):

- the body is JSON, as ALPR-Database's README has Blue Iris send it:
  `{"ai_dump": &JSON, "Image": "&ALERT_JPEG", "camera": "&CAM", "ALERT_PATH": "&ALERT_PATH",
  "ALERT_CLIP": "&ALERT_CLIP", "timestamp": "&ALERT_TIME"}`, or with `"plate_number": "&PLATE"`
  in place of `ai_dump` (one plate only);
- `ai_dump` is Blue Iris's `&JSON`: a list (or one object) of the AI's answers, the one with
  `"api": "alpr"` holding `found.predictions`, each a plate: `plate`, `confidence` (0 to 1),
  `x_min`, `y_min`, `x_max`, `y_max` (CodeProject.AI's ALPR module, codeproject/CodeProject.AI-ALPR
  ALPR.py); every prediction is a read;
- `Image` is the alert's JPEG in base64, maybe as a data URL; `timestamp` is ISO 8601
  (`2025-07-15T13:59:04Z`), the time of receipt when absent;
- the key comes in the `x-api-key` header (checked by the caller, as the transport's).

ALPR-Database takes `ai_dump`'s plates when the body has one and `plate_number` otherwise;
here `plate_number` is also taken when `ai_dump` holds no plate. Its oldest format, the plates in
Blue Iris's `memo` text among the other objects' labels, is not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from .exceptions import InvalidReadError
from .http_push import (
    UNDECODABLE_IMAGES_KEY,
    base64_picture,
    bounded_text,
    json_object,
    plate_box,
    raw_fields,
)
from .models import PlateRead
from .plate_reads import PlateReads, first_plates
from .values import as_confidence, as_iso_time, as_text

API_KEY_HEADER = "x-api-key"
PICTURE_KEY = "Image"
AI_DUMP_KEY = "ai_dump"
PLATE_KEY = "plate_number"
# Fields that hold plates (the read's own and the memo's) or the picture: not in `raw`.
_NOT_RAW = frozenset({PICTURE_KEY, AI_DUMP_KEY, PLATE_KEY, "memo"})


def parse_plate_reads(body: bytes, *, timezone: tzinfo, received_at: datetime) -> PlateReads:
    """The reads of a body; a time without an offset is in `timezone` (Blue Iris's).

    Raises InvalidReadError when the body is no JSON object, holds no plate, or a plate is
    longer than MAX_PLATE_LENGTH. A picture that is not base64 drops the picture, not the reads.
    """
    fields = json_object(body)
    found, left_out = first_plates(_predictions(fields.get(AI_DUMP_KEY)), _plate_of)
    if not found:
        found, left_out = first_plates([{"plate": fields.get(PLATE_KEY)}], _plate_of)
    if not found:
        raise InvalidReadError(f"no plate in the body ({PLATE_KEY} or {AI_DUMP_KEY})")
    time = as_iso_time(fields.get("timestamp"), timezone) or received_at
    picture = base64_picture(fields.get(PICTURE_KEY))
    raw = raw_fields({key: value for key, value in fields.items() if key not in _NOT_RAW})
    if picture is False:
        raw[UNDECODABLE_IMAGES_KEY] = [PICTURE_KEY]
    reads = tuple(
        PlateRead(
            plate=plate,
            time=time,
            device_id=bounded_text(fields.get("camera")),
            confidence=as_confidence(prediction.get("confidence")),
            plate_box=plate_box(
                prediction.get("x_min"),
                prediction.get("y_min"),
                prediction.get("x_max"),
                prediction.get("y_max"),
            ),
            full_image=picture or None,
            raw=dict(raw),
        )
        for plate, prediction in found
    )
    return PlateReads(reads, left_out)


def _predictions(ai_dump: Any) -> list[Mapping[str, Any]]:
    """The plates CodeProject.AI's ALPR found: its answer's `found.predictions`."""
    answers = ai_dump if isinstance(ai_dump, list) else [ai_dump]
    alpr = next(
        (answer for answer in answers if isinstance(answer, dict) and answer.get("api") == "alpr"),
        {},
    )
    found = alpr.get("found")
    predictions = found.get("predictions") if isinstance(found, dict) else None
    if not isinstance(predictions, list):
        return []
    return [prediction for prediction in predictions if isinstance(prediction, dict)]


def _plate_of(prediction: Mapping[str, Any]) -> str | None:
    return as_text(prediction.get("plate"))
