"""Matching's edges: a character missing or extra anywhere, and every OCR look-alike pair."""

from __future__ import annotations

from itertools import combinations

import pytest

from custom_components.lpr_camera.lpr.matching import distance, match_plate

KNOWN = ["AB-123-CD", "XYZ 789"]
# The look-alikes the module's docstring and the README promise cost half an edit.
LOOKALIKE_GROUPS = ("0ODQ", "1IL", "2Z", "5S", "6G", "8B")


@pytest.mark.parametrize(
    ("read", "why"),
    [
        ("B123CD", "its first character missed"),
        ("AB12CD", "a character in the middle missed"),
        ("AB123C", "its last character missed"),
        ("XAB123CD", "an extra character in front"),
        ("AB1223CD", "an extra character in the middle"),
        ("AB123CDX", "an extra character at the end"),
    ],
)
def test_a_character_missed_or_extra_is_one_edit(read: str, why: str) -> None:
    """A dropped or added character, wherever it is, costs one edit: tolerance 1 matches it."""
    match = match_plate(read, KNOWN, 1)
    assert (match.plate, match.distance) == ("AB-123-CD", 1), why
    assert not match_plate(read, KNOWN, 0).known, why


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("AB123", "B123", 1),
        ("B123", "AB123", 1),
        ("AB123", "AB23", 1),
        ("AB23", "AB123", 1),
        ("AB123", "123", 2),  # two in front
        ("123", "AB123", 2),
        ("", "AB1", 3),
        ("AB1", "", 3),
    ],
)
def test_distance_of_missing_and_extra_characters(a: str, b: str, expected: float) -> None:
    assert distance(a, b) == expected


@pytest.mark.parametrize(
    ("written", "read"),
    [pair for group in LOOKALIKE_GROUPS for pair in combinations(group, 2)],
)
def test_every_lookalike_pair_costs_half_an_edit(written: str, read: str) -> None:
    """Within a group, either way round; a plate read with it matches at tolerance 1."""
    assert distance(written, read) == 0.5
    assert distance(read, written) == 0.5
    match = match_plate(f"AB{read}12", [f"AB {written} 12"], 1)
    assert (match.plate, match.distance) == (f"AB {written} 12", 0.5)


@pytest.mark.parametrize(("a", "b"), [("5", "6"), ("S", "Z"), ("0", "8"), ("1", "7"), ("B", "D")])
def test_characters_of_different_groups_cost_a_whole_edit(a: str, b: str) -> None:
    assert distance(a, b) == 1
