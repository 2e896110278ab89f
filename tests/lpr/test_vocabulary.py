"""The words cameras use: every synonym of every table, and the README's examples."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path

import pytest

from custom_components.lpr_camera.lpr import Colour, Direction, ListType, VehicleType
from custom_components.lpr_camera.lpr.values import as_enum
from custom_components.lpr_camera.lpr.vocabulary import (
    COLOUR_CODES,
    COLOURS,
    DIRECTION_CODES,
    DIRECTIONS,
    LIST_TYPE_CODES,
    LIST_TYPES,
    VEHICLE_TYPE_CODES,
    VEHICLE_TYPES,
    word_key,
)

README = Path(__file__).parents[2] / "README.md"

# Each table's words besides its members' own names and codes, written here once more: a word
# dropped from (or emptied in) the table fails, and so does one added without a test.
SYNONYMS: dict[str, dict[StrEnum, tuple[str, ...]]] = {
    "directions": {
        Direction.APPROACHING: (
            "approach",
            "in",
            "entering",
            "enter",
            "entry",
            "arrive",
            "arriving",
            "arrival",
            "incoming",
            "inbound",
        ),
        Direction.DEPARTING: (
            "away",
            "leave",
            "leaving",
            "out",
            "depart",
            "departure",
            "exit",
            "exiting",
            "outgoing",
            "outbound",
        ),
    },
    "vehicle types": {
        VehicleType.CAR: (
            "sedan",
            "saloon",
            "hatchback",
            "coupe",
            "estate",
            "suv",
            "taxi",
            "police car",
            "passenger car",
        ),
        VehicleType.MOTORBIKE: ("motor", "motorcycle", "motor bike", "scooter", "moped"),
        VehicleType.BUS: ("coach", "school bus"),
        VehicleType.TRUCK: (
            "lorry",
            "tow truck",
            "heavy truck",
            "light truck",
            "big truck",
            "pickup truck",
        ),
        VehicleType.MINIBUS: ("mini bus",),
    },
    "colours": {Colour.GRAY: ("grey",), Colour.VIOLET: ("purple",)},
    "list types": {
        ListType.WHITE: ("white list", "allow", "allowed", "allow list"),
        ListType.BLACK: (
            "black list",
            "block",
            "blocked",
            "block list",
            "deny",
            "denied",
            "deny list",
        ),
        ListType.VISITOR: ("visitors", "visitor list", "guest", "temporary"),
    },
}
TABLES: dict[str, tuple[Mapping[str, StrEnum], Sequence[StrEnum]]] = {
    "directions": (DIRECTIONS, DIRECTION_CODES),
    "vehicle types": (VEHICLE_TYPES, VEHICLE_TYPE_CODES),
    "colours": (COLOURS, COLOUR_CODES),
    "list types": (LIST_TYPES, LIST_TYPE_CODES),
}


def spellings(word: str) -> list[str]:
    """The ways firmware writes one word: as is, `White List`, `WHITE_LIST`, `white-list`."""
    return [word, word.title(), word.upper().replace(" ", "_"), word.replace(" ", "-")]


@pytest.mark.parametrize("name", TABLES)
def test_every_synonym_maps_to_its_value(name: str) -> None:
    table, codes = TABLES[name]
    synonyms = SYNONYMS[name]
    for member, words in synonyms.items():
        for word in words:
            for spelling in spellings(word):
                assert as_enum(spelling, table) is member, (name, spelling)
    for code, member in enumerate(codes):
        assert as_enum(member.value, table) is member
        assert as_enum(code, table) is member
    # The table knows these words and no others.
    expected = {word_key(word) for words in synonyms.values() for word in words}
    expected |= {member.value for member in codes} | {str(code) for code in range(len(codes))}
    assert set(table) == expected


def readme_words() -> tuple[list[str], list[str]]:
    """The README's words for direction, type, colour and list: those known, those not."""
    text = README.read_text(encoding="utf-8")
    bullet = text[text.index("- **Words**") :]
    bullet = bullet[: bullet.index("\n- **")]
    known, unknown = bullet.split("A word no table knows")
    return re.findall(r"`([^`]+)`", known), re.findall(r"`([^`]+)`", unknown)


def test_the_readme_words() -> None:
    """The words the README names are known; those it says no table knows stay as written."""
    known, unknown = readme_words()
    # Guards the parsing: the bullet found, both its parts read.
    assert len(known) >= 15
    assert unknown
    tables = [table for table, _codes in TABLES.values()]
    for word in known:
        assert any(isinstance(as_enum(word, table), StrEnum) for table in tables), word
    for word in unknown:
        assert all(as_enum(word, table) == word for table in tables), word
