"""What the webhook sources' senders post, as their own code and documentation show it.

- Plate Recognizer Stream: the payload of its webhook tester
  (parkpow/deep-license-plate-recognition webhooks/webhook_tester/webhook_tester.py), posted as
  a form: the JSON in `json`, the picture in `upload`.
- Plate Recognizer Snapshot: its "Webhook with Image" / "Data Only" payload
  (guides.platerecognizer.com/docs/snapshot/results; parkpow/platerec-documentation).
- Blue Iris with CodeProject.AI: the body ALPR-Database's README has it post, `&JSON` being
  Blue Iris's list of AI answers (algertc/ALPR-Database multi-ai-payload.json, example.json).
"""

from __future__ import annotations

import base64
from typing import Any

JPEG = b"\xff\xd8\xff\xe0vehicle-picture\xff\xd9"


def stream_result(plate: Any = "pl8rec", **changes: Any) -> dict[str, Any]:
    """A result of Stream's webhook, with make, model, colour and orientation (mmc)."""
    return {
        "box": {"xmax": 412, "xmin": 337, "ymax": 305, "ymin": 270},
        "candidates": [{"plate": plate, "score": 0.902}, {"plate": "plbrec", "score": 0.758}],
        "color": [
            {"color": "red", "score": 0.699},
            {"color": "black", "score": 0.134},
            {"color": "blue", "score": 0.03},
        ],
        "dscore": 0.757,
        "model_make": [
            {"make": "Porsche", "model": "911", "score": 0.43},
            {"make": "Porsche", "model": "Carrera", "score": 0.2},
        ],
        "orientation": [
            {"orientation": "Rear", "score": 0.883},
            {"orientation": "Front", "score": 0.07},
            {"orientation": "Unknown", "score": 0.047},
        ],
        "plate": plate,
        "region": {"code": "us-ca", "score": 0.179},
        "score": 0.902,
        "vehicle": {
            "box": {"xmax": 590, "xmin": 155, "ymax": 373, "ymin": 71},
            "score": 0.709,
            "type": "Sedan",
        },
        "direction": 210,
        "source_url": "/user-data/video.mp4",
        "position_sec": 23.47,
        **changes,
    }


def stream_payload(
    *results: dict[str, Any],
    camera: str = "camera-1",
    timestamp: str = "2025-08-11T16:42:58.740143Z",
) -> dict[str, Any]:
    """Stream's webhook payload (`{"hook": ..., "data": ...}`) of its results."""
    return {
        "hook": {
            "target": "http://homeassistant.local:8123/api/webhook/x",
            "id": camera,
            "event": "recognition",
            "filename": f"{camera}_screenshots/image.jpg",
        },
        "data": {
            "camera_id": camera,
            "filename": f"{camera}_screenshots/image.jpg",
            "timestamp": timestamp,
            "timestamp_local": timestamp,
            "results": list(results) or [stream_result()],
        },
    }


def snapshot_payload(*plates: str, timestamp: str = "2025-09-09 23:22:38.030345") -> dict[str, Any]:
    """Snapshot's webhook payload: a result per plate, its time in UTC without an offset."""
    return {
        "hook": {
            "target": "http://homeassistant.local:8123/api/webhook/x",
            "id": 479,
            "event": "image.done",
        },
        "data": {
            "filename": "car2.jpg",
            "timestamp": timestamp,
            "camera_id": None,
            "processing_time": 288.758,
            "results": [
                {
                    "box": {"xmin": 143, "ymin": 481, "xmax": 282, "ymax": 575},
                    "plate": plate,
                    "region": {"code": "gb", "score": 0.747},
                    "vehicle": {"score": 0.798, "type": "Sedan", "box": {}},
                    "score": 0.904,
                    "candidates": [{"score": 0.904, "plate": plate}],
                    "dscore": 0.99,
                }
                for plate in plates
            ],
        },
    }


def blue_iris_body(*plates: str, picture: bytes = JPEG, **changes: Any) -> dict[str, Any]:
    """What Blue Iris posts with ALPR-Database's alert macro: `ai_dump` is `&JSON`."""
    return {
        "ai_dump": [
            {
                "api": "objects",
                "found": {
                    "message": "Found car",
                    "count": 1,
                    "predictions": [
                        {
                            "confidence": 0.958,
                            "label": "car",
                            "x_min": 169,
                            "y_min": 837,
                            "x_max": 1371,
                            "y_max": 1807,
                        }
                    ],
                    "success": True,
                },
            },
            {
                "api": "alpr",
                "found": {
                    "success": True,
                    "processMs": 65,
                    "inferenceMs": 62,
                    "predictions": [
                        {
                            "confidence": 0.9400946199893951,
                            "label": f"Plate: {plate}",
                            "plate": plate,
                            "x_min": 195,
                            "y_min": 169,
                            "x_max": 298,
                            "y_max": 233,
                        }
                        for plate in plates
                    ],
                    "message": "Found " + ", ".join(f"Plate: {plate}" for plate in plates),
                    "moduleId": "ALPR",
                    "moduleName": "License Plate Reader",
                    "code": 200,
                    "command": "alpr",
                    "timestampUTC": "Sun 09 Feb 2025 03:46:58 GMT",
                },
            },
        ],
        "Image": base64.b64encode(picture).decode(),
        "camera": "ALPR2",
        "ALERT_PATH": "ALPR2.20250715_135904.1234.3-1.jpg",
        "ALERT_CLIP": "@123456789",
        "timestamp": "2025-07-15T13:59:04Z",
        **changes,
    }
