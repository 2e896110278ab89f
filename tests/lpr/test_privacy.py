# ruff: noqa: RUF001 - the look-alike letters are the point of these tests
"""Masking plates for logs and diagnostics."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from custom_components.lpr_camera.lpr.matching import normalise
from custom_components.lpr_camera.lpr.privacy import MASK, mask_bytes, mask_plate, mask_plates


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


@pytest.mark.parametrize(
    ("value", "plates", "masked"),
    [
        ({"plate": 4711829}, ["4711829"], {"plate": "4*****9"}),
        ({"speed": 4711829.0}, ["4711829"], {"speed": "4*****9.0"}),
        ("seen AB123 at the gate", ["ab 123"], "seen A***3 at the gate"),
        ("AB-123, ab 123, АВ123", ["AB123"], "A****3, a****3, А***3"),
        # Each occurrence keeps its ends, unless another occurrence hides them.
        ("100", ["0", "1"], "***"),
        (["AB12", ("AB123",)], ["AB1", "AB123"], ["A*12", ["A***3"]]),
        ({"AB123": [{"note": "ABAB1"}]}, ["AB"], {"**123": [{"note": "****1"}]}),
        (
            {"flag": True, "none": None, "count": 2},
            ["2"],
            {"flag": True, "none": None, "count": "*"},
        ),
        ("nothing here", ["AB123", "-", ""], "nothing here"),
    ],
)
def test_mask_plates_finds_every_writing(value: Any, plates: list[str], masked: Any) -> None:
    assert mask_plates(value, plates) == masked


# Letters and the other scripts' letters that look like them (matching's table, in part).
LOOKALIKES = {"A": "Аа", "B": "ВΒ", "E": "Ее", "K": "к", "M": "М", "O": "Оо", "P": "р", "X": "Хχ"}
PLATE_CHARACTERS = "ABEKMOPX0123456789ẞßﬁ부가- ."
plates = st.text(PLATE_CHARACTERS, min_size=1, max_size=8).filter(normalise)


@st.composite
def writings(draw: st.DrawFn, plate: str) -> str:
    """The plate as someone else may write it: case, separators, look-alike letters."""
    written = []
    for char in plate:
        written.append(draw(st.sampled_from(("", "", "", " ", "-", "_", "."))))
        written.append(draw(st.sampled_from((char, char.lower(), *LOOKALIKES.get(char, "")))))
    return "".join(written)


def json_values(plates: list[str], *, keys: bool = True) -> st.SearchStrategy[Any]:
    """Nested lists (and dicts) of text and numbers, with the plates written in many ways."""
    written = st.sampled_from(plates).flatmap(writings)
    texts = st.builds("".join, st.lists(written | st.text(PLATE_CHARACTERS + "*xyz"), max_size=4))
    numbers = (
        st.integers()
        | st.floats(allow_nan=False)
        | st.sampled_from(plates).filter(str.isdecimal).map(int)
    )
    scalars = texts | numbers | st.booleans() | st.none()

    def nested(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        lists = st.lists(children, max_size=4)
        return lists | st.dictionaries(texts | numbers, children, max_size=4) if keys else lists

    return st.recursive(scalars, nested, max_leaves=12)


def leaves(value: Any) -> list[Any]:
    """The text and numbers of a JSON-like value, its keys too."""
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in (*leaves(key), *leaves(item))]
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item)]
    return [] if isinstance(value, bool) or value is None else [value]


# A plate with the mask in it stays in its masking (`A*B` is masked as `A*B`).
@given(
    st.lists(plates.filter(lambda plate: MASK not in plate), min_size=1, max_size=3).flatmap(
        lambda found: st.tuples(st.just(found), json_values(found))
    )
)
@example((["4711829"], {"plate": 4711829}))
@example((["ab 123"], {"raw": {"note": "AB123"}}))
@example((["SS"], "ßS"))
def test_no_plate_survives_masking(case: tuple[list[str], Any]) -> None:
    found, value = case
    masked = mask_plates(value, found)

    for leaf in leaves(masked):
        for plate in found:
            assert normalise(plate) not in normalise(str(leaf))


@given(
    st.lists(plates, min_size=1, max_size=3).flatmap(
        lambda found: st.tuples(st.just(found), json_values(found, keys=False))
    )
)
def test_masking_keeps_the_shape(case: tuple[list[str], Any]) -> None:
    """Each text and number as long as it was, each list as long: only characters are masked.

    (Without dicts: two keys that mask alike become one.)
    """
    found, value = case
    masked = mask_plates(value, found)

    assert lengths(masked) == lengths(value)


def lengths(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [lengths(item) for item in value]
    return value if isinstance(value, bool) or value is None else len(str(value))
