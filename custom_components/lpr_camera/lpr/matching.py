# ruff: noqa: RUF001 - the look-alike letters are the point of this module
"""Match a read plate against known plates, tolerant of what OCR gets wrong.

Plates are compared normalised: upper case, without spaces, dashes and dots, with Cyrillic and
Greek letters that look like Latin ones written as Latin (cameras and people mix them up);
Hangul and other scripts stay as they are. The distance is an edit distance where swapping
characters OCR confuses (0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B) costs half an edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LOOKALIKE_COST = 0.5
MAX_TOLERANCE = 2

_SEPARATORS = str.maketrans("", "", " \t-._·")
_TO_LATIN = str.maketrans(
    # Cyrillic capitals
    "АВЕКМНОРСТУХІЈЅ"
    # Greek capitals
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "ABEKMHOPCTYXIJSABEZHIKMNOPTYX",
)
_OCR_GROUPS = ("0ODQ", "1IL", "2Z", "5S", "6G", "8B")
_GROUP_OF = {char: index for index, group in enumerate(_OCR_GROUPS) for char in group}


@dataclass(frozen=True, slots=True)
class PlateMatch:
    """How a read plate relates to the known plates.

    `plate` is the known plate matched (None when none or when several tie); `ties` lists the
    known plates that tie for the best distance when there is more than one.
    """

    plate: str | None
    distance: float | None
    ties: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        """Whether exactly one known plate matched."""
        return self.plate is not None


NO_MATCH = PlateMatch(plate=None, distance=None)


def normalise(plate: str) -> str:
    """The form plates are compared in."""
    return plate.upper().translate(_SEPARATORS).translate(_TO_LATIN)


def substitution_cost(a: str, b: str) -> float:
    """Cost of reading `b` where `a` is written."""
    if a == b:
        return 0.0
    group = _GROUP_OF.get(a)
    return LOOKALIKE_COST if group is not None and group == _GROUP_OF.get(b) else 1.0


def distance(a: str, b: str) -> float:
    """Weighted edit distance between two normalised plates."""
    previous = [float(i) for i in range(len(b) + 1)]
    for i, char_a in enumerate(a, start=1):
        current = [float(i)]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + substitution_cost(char_a, char_b),
                )
            )
        previous = current
    return previous[-1]


def match_plate(plate: str, known_plates: Iterable[str], tolerance: float) -> PlateMatch:
    """Find the known plate the read is, within `tolerance` edits (0 to 2)."""
    read = normalise(plate)
    best: float | None = None
    closest: list[str] = []
    for known in known_plates:
        gap = distance(read, normalise(known))
        if gap > tolerance or (best is not None and gap > best):
            continue
        if best is None or gap < best:
            best, closest = gap, [known]
        else:
            closest.append(known)
    if best is None:
        return NO_MATCH
    if len(closest) > 1:
        return PlateMatch(plate=None, distance=best, ties=tuple(closest))
    return PlateMatch(plate=closest[0], distance=best)
