"""In the browser: the Plates panel's layout at a phone's width, its words and its times.

German at 390 px, dark: nothing covers anything, a dialog's Save button and error are in view,
a refused plate names the vehicle that has it, a read's pass and radar are said in German with
their units. And the profile's 12 or 24 hours change every time the panel shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from simulator.harness import PHONE, Browser

from .test_plate_log import CAMERA, PANEL, READ_ROW, open_read

# The demo's known vehicles (scripts/demo_api.py): the cleaner has a pass for weekdays' hours.
DEMO_CAR = ("AB1234", "Demo car")
CLEANER = "MS12345"

# The bounding rectangle of the first visible element matching the selector, in CSS pixels.
RECT = """
const element = matching(arguments[0]).filter(visible)[0];
if (!element) return null;
const {left, top, right, bottom} = element.getBoundingClientRect();
return {left, top, right, bottom};
"""


def rect(browser: Browser, selector: str) -> dict[str, float]:
    found: dict[str, float] | None = browser.run(RECT, selector)
    assert found is not None, f"{selector} is not shown"
    return found


def viewport(browser: Browser) -> dict[str, float]:
    width, height = browser.run("return [innerWidth, innerHeight];")
    return {"left": 0, "top": 0, "right": width, "bottom": height}


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return all(inner[edge] >= outer[edge] for edge in ("left", "top")) and all(
        inner[edge] <= outer[edge] for edge in ("right", "bottom")
    )


def overlap(one: dict[str, float], other: dict[str, float]) -> bool:
    return (
        one["left"] < other["right"]
        and other["left"] < one["right"]
        and one["top"] < other["bottom"]
        and other["top"] < one["bottom"]
    )


def field(browser: Browser, key: str) -> str:
    text: str = browser.run(
        "return matching(`[data-testid=read-fields] [data-field=${arguments[0]}]`)[0].textContent;",
        key,
    )
    return text


def test_german_at_phone_width_nothing_covered(open_browser: Callable[..., Browser]) -> None:
    """At 390 px in German the tabs, filters and dialogs fit; refusals and readings are clear."""
    browser = open_browser(dark=True, size=PHONE)
    browser.open(PANEL)
    browser.set_language("de")
    try:
        browser.find("[data-testid=tab-reads]", "Erfassungen")
        browser.find(READ_ROW, timeout=30)
        screen = viewport(browser)
        assert screen["right"] == PHONE[0]
        tabs, search = (
            rect(browser, "[data-testid=tabs]"),
            rect(browser, "[data-testid=reads-search]"),
        )
        assert not overlap(tabs, search), (tabs, search)
        for selector in ("[role=tab]", "[data-testid=view-reads] .filters > *"):
            shown: list[dict[str, float]] = browser.run(
                "return matching(arguments[0]).filter(visible)"
                "  .map((e) => e.getBoundingClientRect());",
                selector,
            )
            assert shown
            assert all(inside(one, screen) for one in shown), (selector, shown, screen)

        open_read(browser, other_than=DEMO_CAR[0])
        browser.click("[data-testid=add-allow], [data-testid=edit-vehicle]")
        assert inside(rect(browser, "[data-testid=vehicle-save]"), screen)
        browser.type("[data-testid=vehicle-plate]", "AB 1234")
        browser.click("[data-testid=vehicle-save]")
        # The plate is the demo car's: the refusal says so, in German, in view with Save.
        error = browser.find("[data-testid=dialog-error]", DEMO_CAR[1])
        assert error.text.startswith("Nicht gespeichert:"), error.text
        assert f"{DEMO_CAR[0]} ist bereits das bekannte Fahrzeug „{DEMO_CAR[1]}“" in error.text
        assert inside(rect(browser, "[data-testid=dialog-error]"), screen)
        assert inside(rect(browser, "[data-testid=vehicle-save]"), screen)
        browser.click("[data-testid=dialog-close]")

        # The cleaner's pass (weekdays 7 to 18) is valid or outside its hours: said in German.
        open_read(browser, plate=CLEANER, camera=CAMERA)  # the camera's reads have a radar
        assert field(browser, "pass_status") in {"Gültig", "Außerhalb der Zeiten"}
        assert re.fullmatch(r"\d+ km/h", field(browser, "speed"))
        radar = field(browser, "radar")
        assert re.fullmatch(
            r"Entfernung \d+ m · Azimut -?\d+(,\d)?° · Fahrzeuganzahl \d+", radar
        ), radar
        browser.screenshot("german-phone-read")
    finally:
        browser.set_language("en")


def set_time_format(browser: Browser, time_format: str) -> None:
    """Choose the time format as the profile's picker does (12, 24, language or system)."""
    browser.run(
        "document.querySelector('home-assistant').dispatchEvent("
        "  new CustomEvent('hass-time-format-select', {detail: arguments[0]}));",
        time_format,
    )


def shown_times(browser: Browser) -> list[str]:
    times: list[Any] = browser.run(
        "return matching('[data-testid=read-row] time').filter(visible).map((e) => e.textContent);"
    )
    return [str(time) for time in times]


def all_match(browser: Browser, pattern: re.Pattern[str]) -> bool:
    """Whether the reads show times, every one of them as the pattern says."""
    times = shown_times(browser)
    return bool(times) and all(pattern.fullmatch(time) for time in times)


def test_times_follow_the_profiles_time_format(browser: Browser) -> None:
    """12 hours in the profile: every time has AM or PM; 24 hours: none has, up to 23:59:59."""
    browser.open(PANEL)
    browser.find(READ_ROW, timeout=30)
    twelve = re.compile(r".* \d{1,2}:\d\d:\d\d\s[AP]M")
    twenty_four = re.compile(r".* \d\d:\d\d:\d\d")
    try:
        for time_format, pattern in (("12", twelve), ("24", twenty_four), ("12", twelve)):
            set_time_format(browser, time_format)
            browser.wait_until(
                partial(all_match, browser, pattern),
                f"every read's time in the {time_format} hours format",
            )
        browser.click("[data-testid=tab-plates]")
        browser.wait_until(
            lambda: (
                (cells := browser.find_all("[data-testid=plates-rows] .last_seen"))
                and all(twelve.fullmatch(cell.text) for cell in cells)
            ),
            "the plates' last seen in 12 hours",
        )
    finally:
        set_time_format(browser, "language")
