"""A read's confidence at its edges: 0..1 as sent, above 1 a percentage, beyond 100 not one."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from custom_components.lpr_camera.lpr import PlateRead
from custom_components.lpr_camera.lpr.http_push import parse_post
from custom_components.lpr_camera.lpr.values import as_confidence

RECEIVED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sent", "confidence"),
    [
        (0, 0.0),
        ("0", 0.0),
        (0.5, 0.5),
        (1, 1.0),  # exactly 1 is certainty, not 1 %
        ("1.0", 1.0),
        (1.5, 0.015),  # above 1 it is a percentage
        (2, 0.02),
        (87, 0.87),
        (100, 1.0),
        ("100", 1.0),
        (-0.01, None),
        (100.01, None),
        (101, None),
    ],
)
def test_confidence_edges(sent: object, confidence: float | None) -> None:
    body = json.dumps({"plate": "AB123", "confidence": sent}).encode()
    read = parse_post(body, timezone=UTC, received_at=RECEIVED)

    assert isinstance(read, PlateRead)
    assert read.confidence == pytest.approx(confidence)
    assert as_confidence(sent) == pytest.approx(confidence)
