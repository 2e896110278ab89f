"""Masking at its edge: three bytes or characters keep both ends, fewer are masked whole."""

from __future__ import annotations

import pytest

from custom_components.lpr_camera.lpr.privacy import mask_bytes, mask_plate


@pytest.mark.parametrize(
    ("data", "masked"),
    [
        (b"ABC", b"A*C"),
        ("부".encode(), b"\xeb*\x80"),  # one Hangul syllable is three bytes of UTF-8
        (b"ABCD", b"A**D"),
        (b"AB", b"**"),
        (b"A", b"*"),
        (b"", b""),
    ],
)
def test_mask_bytes_at_three_bytes(data: bytes, masked: bytes) -> None:
    assert mask_bytes(data) == masked


def test_bytes_and_text_are_masked_alike() -> None:
    for plate in ("", "A", "AB", "ABC", "AB1234"):
        assert mask_bytes(plate.encode()) == mask_plate(plate).encode()
