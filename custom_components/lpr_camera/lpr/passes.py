"""Passes: when a vehicle on the allow list may come in (from, until, and weekly hours).

A pass is read in the site's local time: the caller hands over times in that zone. The daily
window may run past midnight (22:00 to 06:00): its small hours then belong to the day it began,
so a night-shift pass for Fridays covers Saturday 03:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

DAYS_IN_WEEK = 7


class PassStatus(StrEnum):
    """What a pass says about a moment."""

    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    OUTSIDE_HOURS = "outside_hours"


@dataclass(frozen=True, slots=True)
class VehiclePass:
    """From, until (both optional), and optional weekly hours.

    `weekdays` holds 0 (Monday) to 6 (Sunday); empty means every day. `start` and `end` are the
    daily window, both or neither; `end` is not part of it, and start == end is the whole day.
    """

    valid_from: datetime | None = None
    valid_until: datetime | None = None
    weekdays: frozenset[int] = frozenset()
    start: time | None = None
    end: time | None = None

    def __post_init__(self) -> None:
        """Refuse a pass that can never be valid or is half a window."""
        if (self.start is None) != (self.end is None):
            raise ValueError("a pass's daily window needs both its start and its end")
        if not self.weekdays <= frozenset(range(DAYS_IN_WEEK)):
            raise ValueError(f"weekdays are 0 (Monday) to 6 (Sunday): {sorted(self.weekdays)}")
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("a pass must end after it begins")

    def status(self, at: datetime) -> PassStatus:
        """Whether the pass lets the vehicle in at `at` (in the site's zone); if not, why."""
        if self.valid_from is not None and at < self.valid_from:
            return PassStatus.NOT_YET_VALID
        if self.valid_until is not None and at > self.valid_until:
            return PassStatus.EXPIRED
        return PassStatus.VALID if self._within_hours(at) else PassStatus.OUTSIDE_HOURS

    def expired(self, at: datetime) -> bool:
        """Whether the pass has ended for good by `at`."""
        return self.valid_until is not None and at > self.valid_until

    def _within_hours(self, at: datetime) -> bool:
        day = at.weekday()
        if self.start is not None and self.end is not None and self.start != self.end:
            clock = at.time()
            if self.start < self.end:
                inside = self.start <= clock < self.end
            elif clock >= self.start:
                inside = True
            else:  # the small hours of a window that began the day before
                inside = clock < self.end
                day = (day - 1) % DAYS_IN_WEEK
            if not inside:
                return False
        return not self.weekdays or day in self.weekdays
