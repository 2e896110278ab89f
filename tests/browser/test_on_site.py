"""In the browser, as a user: who is on site, marking a vehicle as left, visits and dwell time.

The demo's camera reads its six plates with random directions all the time; the vehicles here
arrive and leave by lpr_camera.report_read on that camera, with plates it never reads.
"""

from __future__ import annotations

import re
from typing import Any

from simulator.harness import Browser

PANEL = "/lpr-plates"
CAMERA = "LPR camera 127.0.0.1"  # the demo's camera's title
ON_SITE_ROW = "[data-testid=on-site-row]"
# A length of time as the panel writes it in English: "3 sec", "1 hr, 5 min".
DURATION = re.compile(r"^\d+ (sec|min|hr|days?)\b")


def camera_device(browser: Browser) -> str:
    """The id of the demo camera's device."""
    device_id: str = browser.run(
        "const hass = document.querySelector('home-assistant').hass;"
        "return Object.values(hass.devices).find((d) => d.name === arguments[0]).id;",
        CAMERA,
    )
    return device_id


def report(browser: Browser, plate: str, direction: str) -> None:
    """A read of the demo's camera, as a script reports it: with the camera's full picture."""
    device_id = camera_device(browser)
    picture = browser.run(
        "const hass = document.querySelector('home-assistant').hass;"
        "return Object.values(hass.entities).find((e) => e.device_id === arguments[0]"
        "  && e.entity_id.startsWith('image.') && e.entity_id.endsWith('_full_picture'))"
        "  .entity_id;",
        device_id,
    )
    browser.call_ws(
        {
            "type": "call_service",
            "domain": "lpr_camera",
            "service": "report_read",
            "service_data": {
                "source": device_id,
                "plate": plate,
                "direction": direction,
                "picture_entity": picture,
            },
        }
    )


def follow_vehicles_on_site(browser: Browser) -> None:
    """Record every change of the Vehicles on site sensor: its count and the plates it lists."""
    browser.run(
        "const hass = document.querySelector('home-assistant').hass;"
        "window.onSiteChanges = [];"
        "const plates = (state) => (state?.attributes.vehicles ?? []).map((v) => v.plate);"
        "hass.connection.subscribeEvents((event) => {"
        "  const { entity_id: id, old_state: old, new_state: now } = event.data;"
        "  if (!id.startsWith('sensor.') || !id.endsWith('_vehicles_on_site')) return;"
        "  window.onSiteChanges.push({ before: Number(old?.state), after: Number(now?.state),"
        "    was: plates(old), is: plates(now) });"
        "}, 'state_changed');"
    )


def sensor_change_when_it_left(browser: Browser, plate: str) -> dict[str, Any] | None:
    """The sensor's change that took plate off its list, once it came."""
    change: dict[str, Any] | None = browser.run(
        "return (window.onSiteChanges ?? [])"
        "  .find((c) => c.was.includes(arguments[0]) && !c.is.includes(arguments[0])) ?? null;",
        plate,
    )
    return change


def test_mark_as_left(browser: Browser) -> None:
    """A vehicle on site is listed with its picture; marked as left, it goes, the sensor drops."""
    plate = "ZZ 999"
    row = f'{ON_SITE_ROW}[data-plate="{plate}"]'
    browser.open(f"{PANEL}/on_site")
    browser.find("[data-testid=on-site-status]", "on site")  # listed before it arrives
    follow_vehicles_on_site(browser)
    report(browser, plate, "approaching")

    browser.find(row)  # live: no reload
    since = browser.find(f"{row} .since").text
    assert since.splitlines()[0] in {"now", "1 minute ago"}, since
    assert CAMERA in browser.find(f"{row} .camera").text
    assert "Unknown" in browser.find(f"{row} .vehicle").text
    browser.wait_until(
        lambda: browser.run(
            "const img = matching(arguments[0])[0];"
            "return !!img && img.complete && img.naturalWidth > 0;",
            f"{row} [data-testid=on-site-picture]",
        ),
        "the picture of its arrival",
    )
    browser.find("[data-testid=on-site-status]", "Vehicles on site:")

    browser.click(f"{row} [data-testid=mark-left]")
    browser.find("[data-testid=leave-dialog]", f"Mark {plate} as left?")
    browser.click("[data-testid=leave-confirm]")
    browser.wait_until(lambda: not browser.find_all(row), f"{plate} gone from the list")
    assert not browser.find_all("[data-testid=leave-dialog]")

    browser.wait_until(
        lambda: sensor_change_when_it_left(browser, plate), "the sensor to let it go"
    )
    change = sensor_change_when_it_left(browser, plate)
    assert change is not None
    assert change["after"] == change["before"] - 1


def test_visits_of_a_plate_and_dwell_time(browser: Browser) -> None:
    """A plate's timeline shows its visits, the one going on first; the statistics their length."""
    plate = "ZZ 777"
    browser.open(f"{PANEL}/plates")
    for direction in ("approaching", "departing", "approaching"):
        report(browser, plate, direction)

    browser.type("[data-testid=plates-search]", plate)
    browser.click(f'[data-testid=plate-row][data-plate="{plate}"]', timeout=30)
    browser.find("[data-testid=visits] h3", f"Visits of {plate}")
    browser.wait_until(
        lambda: len(browser.find_all("[data-testid=visit-row]")) == 2, "its two visits"
    )
    going, done = browser.find_all("[data-testid=visit-row]")
    assert "On site now" in going.text
    assert going.find_element("css selector", ".duration").text.endswith("so far")
    assert CAMERA in done.find_element("css selector", ".departure").text
    assert DURATION.match(done.find_element("css selector", ".duration").text)

    browser.click("[data-testid=tab-statistics]")
    visits = browser.find("[data-testid=stats-visits]")
    assert int(visits.text.splitlines()[-1].replace(",", "")) >= 1
    for tile in ("stats-dwell-median", "stats-dwell-mean"):
        value = browser.find(f"[data-testid={tile}] .value").text
        assert DURATION.match(value), (tile, value)
    browser.find("[data-testid=chart-dwell] text", "under 15 min")
