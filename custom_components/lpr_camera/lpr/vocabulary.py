"""The words cameras use for direction, vehicle type, colour and list, whatever the type.

One table per idea, shared by the three parsers: the TCP type's numeric codes (the vendor's
tables, in code order) and the words HTTP firmware and ONVIF documents send, in any case, with
or without spaces, dashes or underscores (`White List`, `white_list`, `whitelist`). A word that
maps to none of ours honestly (a fire engine is not just a truck, silver is not gray) is left
out: the parsers keep it as the camera wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from .models import Colour, Direction, ListType, VehicleType

# The TCP type's codes: the index of each entry is its code.
DIRECTION_CODES = (Direction.UNKNOWN, Direction.APPROACHING, Direction.DEPARTING)
VEHICLE_TYPE_CODES = (
    VehicleType.UNKNOWN,
    VehicleType.CAR,
    VehicleType.MOTORBIKE,
    VehicleType.BUS,
    VehicleType.TRUCK,
    VehicleType.MINIBUS,
)
COLOUR_CODES = (
    Colour.UNKNOWN,
    Colour.BLACK,
    Colour.BLUE,
    Colour.CYAN,
    Colour.GRAY,
    Colour.GREEN,
    Colour.RED,
    Colour.WHITE,
    Colour.YELLOW,
    Colour.VIOLET,
    Colour.ORANGE,
)
LIST_TYPE_CODES = (ListType.UNKNOWN, ListType.BLACK, ListType.WHITE, ListType.VISITOR)


def word_key(text: str) -> str:
    """How a word is looked up: case folded, letters and digits only (`White-List` -> whitelist)."""
    return "".join(character for character in text.casefold() if character.isalnum())


def _table[E: StrEnum](codes: Sequence[E], synonyms: Mapping[E, tuple[str, ...]]) -> dict[str, E]:
    """Every member by its own name, its code and its synonyms."""
    table = {str(code): member for code, member in enumerate(codes)}
    for member in codes:
        for word in (member.value, *synonyms.get(member, ())):
            table[word_key(word)] = member
    return table


DIRECTIONS = _table(
    DIRECTION_CODES,
    {
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
)
VEHICLE_TYPES = _table(
    VEHICLE_TYPE_CODES,
    {
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
            "big truck",  # Plate Recognizer's vehicle types
            "pickup truck",
        ),
        VehicleType.MINIBUS: ("mini bus",),
    },
)
COLOURS = _table(
    COLOUR_CODES,
    {
        Colour.GRAY: ("grey",),
        Colour.VIOLET: ("purple",),
    },
)
LIST_TYPES = _table(
    LIST_TYPE_CODES,
    {
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
)
