"""Masking plates for logs and diagnostics."""

from __future__ import annotations

import pytest

from custom_components.lpr_camera.lpr.privacy import mask_bytes, mask_plate


@pytest.mark.parametrize(
    ("plate", "masked"),
    [
        ("AB1234", "A****4"),
        ("부산 02가 1234", "부*********4"),
        ("ABC", "A*C"),
        ("AB", "**"),
        ("", ""),
    ],
)
def test_mask_plate_keeps_only_the_ends(plate: str, masked: str) -> None:
    assert mask_plate(plate) == masked


def test_mask_bytes_keeps_the_length() -> None:
    assert mask_bytes("부산".encode()) == b"\xeb****\xb0"
    assert mask_bytes(b"\x01\x02") == b"**"
