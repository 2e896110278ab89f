"""The HTTP type's camera: a read as its firmware POSTs it to the webhook."""

from __future__ import annotations


def camera_post(plate: str, **changes: object) -> dict[str, object]:
    """A POST body as the vendor's document shows it, every value a string; no pictures.

    `changes` replace fields or add them (the pictures, as base64 text).
    """
    return {
        "device": "Network Camera",
        "time": "2024-02-01 06:00:05.509",
        "plate": plate,
        "type": "White",
        "speed": "25",
        "direction": "Approach",
        "detection_region": "1",
        "region": "BEL",
        "resolution_width": "1280",
        "resolution_height": "720",
        "coordinate_x1": "473",
        "coordinate_y1": "93",
        "coordinate_x2": "676",
        "coordinate_y2": "135",
        "confidence": "0.70",
        "plate_color": "White",
        "vehicle_type": "Bus",
        "vehicle_color": "Red",
        **changes,
    }
