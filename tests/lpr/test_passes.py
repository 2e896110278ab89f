"""Passes: from, until, weekdays and daily hours, in the site's local time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest

from custom_components.lpr_camera.lpr.passes import PassStatus, VehiclePass

ZONE = timezone(timedelta(hours=1))
WEEKDAYS = frozenset(range(5))
CLEANER = VehiclePass(weekdays=WEEKDAYS, start=time(7), end=time(18))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of the week of Monday 2030-01-07 (day 0) in the site's zone."""
    return datetime(2030, 1, 7 + day, hour, minute, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (at(0, 7), PassStatus.VALID),  # the window's start is inside
        (at(4, 17, 59), PassStatus.VALID),
        (at(0, 18), PassStatus.OUTSIDE_HOURS),  # its end is not
        (at(2, 6, 59), PassStatus.OUTSIDE_HOURS),
        (at(5, 10), PassStatus.OUTSIDE_HOURS),  # Saturday
    ],
)
def test_weekday_hours(moment: datetime, status: PassStatus) -> None:
    assert CLEANER.status(moment) is status


def test_guest_until_sunday_night() -> None:
    guest = VehiclePass(valid_from=at(3, 12), valid_until=at(6, 23, 59))
    assert guest.status(at(3, 11)) is PassStatus.NOT_YET_VALID
    assert guest.status(at(3, 12)) is PassStatus.VALID
    assert guest.status(at(6, 23, 59)) is PassStatus.VALID
    assert guest.status(at(7, 0)) is PassStatus.EXPIRED
    assert not guest.expired(at(6, 23, 59))
    assert guest.expired(at(7, 0))


def test_hours_are_read_in_the_zone_given() -> None:
    """09:00 in the site's zone is 08:00 UTC: the caller converts, the pass compares clocks."""
    morning = VehiclePass(start=time(9), end=time(10))
    assert morning.status(at(0, 9, 30)) is PassStatus.VALID
    assert morning.status(at(0, 9, 30).astimezone(UTC)) is PassStatus.OUTSIDE_HOURS


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (at(4, 22), PassStatus.VALID),  # Friday night
        (at(5, 3), PassStatus.VALID),  # Saturday's small hours belong to Friday's shift
        (at(5, 6), PassStatus.OUTSIDE_HOURS),
        (at(5, 23), PassStatus.OUTSIDE_HOURS),  # no shift begins on Saturday
        (at(0, 3), PassStatus.OUTSIDE_HOURS),  # Monday's small hours belong to Sunday
        (at(0, 23), PassStatus.VALID),
    ],
)
def test_night_window_belongs_to_the_day_it_began(moment: datetime, status: PassStatus) -> None:
    night_shift = VehiclePass(weekdays=WEEKDAYS, start=time(22), end=time(6))
    assert night_shift.status(moment) is status


def test_whole_days_and_no_limits() -> None:
    assert VehiclePass(weekdays=frozenset({5, 6})).status(at(5, 3)) is PassStatus.VALID
    assert VehiclePass(weekdays=frozenset({5, 6})).status(at(4, 3)) is PassStatus.OUTSIDE_HOURS
    assert VehiclePass(start=time(8), end=time(8)).status(at(1, 2)) is PassStatus.VALID
    assert VehiclePass().status(at(1, 2)) is PassStatus.VALID
    assert not VehiclePass().expired(at(1, 2))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": time(7)},
        {"end": time(7)},
        {"weekdays": frozenset({7})},
        {"valid_from": at(1, 0), "valid_until": at(1, 0)},
    ],
)
def test_impossible_passes_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"pass|weekdays"):
        VehiclePass(**kwargs)  # type: ignore[arg-type]
