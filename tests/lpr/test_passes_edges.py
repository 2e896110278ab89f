"""Passes at the week's edges: night windows across the weekend, every weekday, a whole day."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from custom_components.lpr_camera.lpr.passes import PassStatus, VehiclePass

ZONE = timezone(timedelta(hours=1))
FRIDAY, SATURDAY, SUNDAY = 4, 5, 6
EVERY_DAY = frozenset(range(7))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of the week of Monday 2030-01-07 (day 0, 7 the next Monday) in the site's zone."""
    return datetime(2030, 1, 7 + day, hour, minute, tzinfo=ZONE)


def night_shift(*days: int) -> VehiclePass:
    return VehiclePass(weekdays=frozenset(days), start=time(22), end=time(6))


@pytest.mark.parametrize(
    ("shift_days", "moment", "status"),
    [
        ((FRIDAY,), at(5, 3), PassStatus.VALID),  # Saturday 03:00 is Friday night's
        ((FRIDAY,), at(4, 3), PassStatus.OUTSIDE_HOURS),  # Friday 03:00 is Thursday night's
        ((SATURDAY, SUNDAY), at(7, 3), PassStatus.VALID),  # next Monday 03:00 is Sunday's
        ((SATURDAY, SUNDAY), at(0, 3), PassStatus.VALID),
        ((SATURDAY, SUNDAY), at(5, 3), PassStatus.OUTSIDE_HOURS),  # Saturday 03:00 is Friday's
        ((SATURDAY, SUNDAY), at(6, 3), PassStatus.VALID),
        ((SATURDAY, SUNDAY), at(6, 23), PassStatus.VALID),
        ((SUNDAY,), at(0, 5, 59), PassStatus.VALID),  # across the week's end
        ((SUNDAY,), at(0, 6), PassStatus.OUTSIDE_HOURS),
        ((SUNDAY,), at(1, 3), PassStatus.OUTSIDE_HOURS),
    ],
)
def test_night_shift_across_the_weekend(
    shift_days: tuple[int, ...], moment: datetime, status: PassStatus
) -> None:
    assert night_shift(*shift_days).status(moment) is status


def test_a_pass_for_all_seven_weekdays() -> None:
    """Every day listed is as good as none listed: Sunday included."""
    every_day = VehiclePass(weekdays=EVERY_DAY)
    office_hours = VehiclePass(weekdays=EVERY_DAY, start=time(7), end=time(18))
    for day in range(7):
        assert every_day.status(at(day, 3)) is PassStatus.VALID
        assert office_hours.status(at(day, 12)) is PassStatus.VALID
        assert office_hours.status(at(day, 3)) is PassStatus.OUTSIDE_HOURS
    assert night_shift(*EVERY_DAY).status(at(0, 3)) is PassStatus.VALID


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (at(1, 0), PassStatus.VALID),
        (at(1, 2), PassStatus.VALID),
        (at(1, 8), PassStatus.VALID),
        (at(1, 23, 59), PassStatus.VALID),
        (at(2, 2), PassStatus.OUTSIDE_HOURS),  # not Tuesday's night: Wednesday is not on it
        (at(0, 23), PassStatus.OUTSIDE_HOURS),
    ],
)
def test_start_equal_to_end_is_the_whole_day(moment: datetime, status: PassStatus) -> None:
    """08:00 to 08:00 on Tuesdays is all of Tuesday, not a day from 08:00 into Wednesday."""
    tuesdays = VehiclePass(weekdays=frozenset({1}), start=time(8), end=time(8))
    assert tuesdays.status(moment) is status
