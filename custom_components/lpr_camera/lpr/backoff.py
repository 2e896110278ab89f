"""Timing of reconnects."""

from __future__ import annotations

import random


def jitter(delay: float) -> float:
    """Spread reconnects so the clients of one rebooted camera do not all arrive at once."""
    return delay * random.uniform(0.5, 1.0)  # noqa: S311 - timing, not cryptography
