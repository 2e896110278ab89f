# ruff: noqa: RUF001, RUF003 - plates with Cyrillic and Greek look-alike letters
"""Matching read plates against known plates."""

from __future__ import annotations

import pytest

from custom_components.lpr_camera.lpr.matching import distance, match_plate, normalise

KNOWN = ["AB-123-CD", "B 4567", "부산 02가 1234", "XYZ 789"]


@pytest.mark.parametrize(
    ("plate", "expected"),
    [
        ("ab-123.cd", "AB123CD"),
        ("  b 4567 ", "B4567"),
        ("АВ 123 СD", "AB123CD"),  # Cyrillic А, В, С
        ("ΑΒΖ 1", "ABZ1"),  # Greek Α, Β, Ζ
        ("부산 02가 1234", "부산02가1234"),
    ],
)
def test_normalise(plate: str, expected: str) -> None:
    assert normalise(plate) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("AB123", "AB123", 0),
        ("AB123", "A8123", 0.5),  # B/8
        ("ABO12", "AB012", 0.5),  # O/0
        ("AB123", "AB12", 1),
        ("AB123", "AX123", 1),
        ("ZS61", "2SG1", 1),  # Z/2, 6/G
        ("Q", "D", 0.5),
        ("L", "1", 0.5),
    ],
)
def test_distance(a: str, b: str, expected: float) -> None:
    assert distance(a, b) == expected


@pytest.mark.parametrize(
    ("read", "tolerance", "plate", "gap"),
    [
        ("AB123CD", 0, "AB-123-CD", 0),
        ("ab 123 cd", 0, "AB-123-CD", 0),
        ("A8123CD", 0, None, None),
        ("A8123CD", 1, "AB-123-CD", 0.5),
        ("A8I23CD", 1, "AB-123-CD", 1.0),
        ("A8I2JCD", 1, None, None),
        ("A8I2JCD", 2, "AB-123-CD", 2.0),
        ("B4567", 0, "B 4567", 0),
        ("84567", 1, "B 4567", 0.5),
        ("부산02가1234", 0, "부산 02가 1234", 0),
        ("부산 02나 1234", 1, "부산 02가 1234", 1),
        ("QQQ 000", 2, None, None),
    ],
)
def test_match_table(read: str, tolerance: int, plate: str | None, gap: float | None) -> None:
    match = match_plate(read, KNOWN, tolerance)
    assert match.plate == plate
    assert match.distance == gap
    assert match.known is (plate is not None)


def test_tie_is_reported_not_guessed() -> None:
    match = match_plate("AB124", ["AB123", "AB125"], 1)
    assert match.plate is None
    assert not match.known
    assert match.distance == 1
    assert set(match.ties) == {"AB123", "AB125"}


def test_exact_beats_near() -> None:
    match = match_plate("AB123", ["AB123", "AB128"], 2)
    assert match.plate == "AB123"
    assert match.distance == 0


README_KNOWN = ["AB-123-CD", "B 4567", "B 4568"]


TIE = ("B 4567", "B 4568")


@pytest.mark.parametrize(
    ("read", "by_tolerance"),
    [
        ("AB123CD", [("AB-123-CD", 0)] * 3),
        ("АВ 123 СD", [("AB-123-CD", 0)] * 3),
        ("A8123CD", [None, ("AB-123-CD", 0.5), ("AB-123-CD", 0.5)]),
        ("A8I23CD", [None, ("AB-123-CD", 1), ("AB-123-CD", 1)]),
        ("AX123CD", [None, ("AB-123-CD", 1), ("AB-123-CD", 1)]),
        ("A8I2JCD", [None, None, ("AB-123-CD", 2)]),
        ("B4569", [None, TIE, TIE]),
    ],
)
def test_readme_table(read: str, by_tolerance: list[object]) -> None:
    """The examples of the README's matching table: (plate, distance), a tie, or None."""
    for tolerance, expected in enumerate(by_tolerance):
        match = match_plate(read, README_KNOWN, tolerance)
        if match.ties:
            assert match.ties == expected
        elif match.known:
            assert (match.plate, match.distance) == expected
        else:
            assert expected is None
