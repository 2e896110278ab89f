"""In the browser, as a user: the plate log's panel (Plates in the sidebar) on the demo's reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from custom_components.lpr_camera.lpr.matching import normalise
from simulator.harness import PHONE, Browser
from simulator.reads import FULL_SIZE, SAMPLE_PLATE_BOX

PANEL = "/lpr-plates"
CAMERA = "LPR camera 127.0.0.1"  # the demo's camera's title
READ_ROW = "[data-testid=read-row]"
# A plate the demo's camera reads (scripts/demo's known vehicles leave it unknown), searched with
# an OCR slip: I for 1.
PLATE = "B-XY 4711"
SEARCHED = "B-XY 47I1"
# The demo's camera reads one of its six plates every 2 s: this one comes within a minute.
READ_TIMEOUT = 60


def read_ids(browser: Browser, selector: str = READ_ROW) -> list[int]:
    """The ids of the reads the Reads view lists, top first."""
    return [int(value) for value in browser.attributes(selector, "data-read-id")]


def camera_filter(browser: Browser) -> list[str]:
    """The choices of the Reads view's camera filter."""
    choices: list[str] = browser.run(
        "return matching('[data-testid=reads-camera] option').map((o) => o.text);"
    )
    return choices


def test_plate_log(browser: Browser) -> None:
    """A read arrives live; a search with an OCR slip finds the plate; its read becomes known."""
    browser.open(PANEL)
    browser.find(READ_ROW, timeout=30)
    browser.wait_until(
        lambda: CAMERA in camera_filter(browser), "the camera of the reads in the camera filter"
    )
    newest = max(read_ids(browser))
    browser.wait_until(
        # Only a read of the live subscription is marked live: no reload brought it.
        lambda: (live := read_ids(browser, f"{READ_ROW}.live")) and live[0] > newest,
        "a new read at the top of the list, without a reload",
        timeout=30,
    )

    browser.type("[data-testid=reads-search]", SEARCHED)
    browser.wait_until(
        lambda: (plates := browser.attributes(READ_ROW, "data-plate")) and set(plates) == {PLATE},
        f"the reads of {PLATE} (and only those) for the search {SEARCHED}",
        timeout=READ_TIMEOUT,
    )

    browser.click(READ_ROW)
    browser.wait_until(
        lambda: browser.run(
            "const img = matching('[data-testid=full-picture]')[0];"
            "return !!img && img.complete && img.naturalWidth > 0;"
        ),
        "the read's full picture",
    )
    assert_plate_box_on_the_picture(browser)

    browser.click("[data-testid=add-allow]")
    browser.type("[data-testid=vehicle-name]", "Browser van")
    browser.click("[data-testid=vehicle-save]")
    browser.wait_for_text("Saved: Browser van, Allow list.")
    browser.find("[data-testid=edit-vehicle]")  # the read's plate is a known vehicle now

    vehicles = {vehicle["unique_id"]: vehicle["title"] for vehicle in known_vehicles(browser)}
    assert vehicles[normalise(PLATE)] == f"Browser van · {PLATE}"


def assert_plate_box_on_the_picture(browser: Browser) -> None:
    """The plate box is drawn on the full picture where the demo's camera found the plate."""
    browser.find("[data-testid=plate-box]")
    picture, box = browser.run(
        "return ['full-picture', 'plate-box'].map((id) => {"
        "  const r = matching(`[data-testid=${id}]`)[0].getBoundingClientRect();"
        "  return {x: r.left, y: r.top, width: r.width, height: r.height}; });"
    )
    # The box is in the camera's resolution, its full picture's size; the page shows it smaller.
    scale = picture["width"] / FULL_SIZE[0]
    expected = {
        "x": picture["x"] + SAMPLE_PLATE_BOX.x1 * scale,
        "y": picture["y"] + SAMPLE_PLATE_BOX.y1 * scale,
        "width": (SAMPLE_PLATE_BOX.x2 - SAMPLE_PLATE_BOX.x1) * scale,
        "height": (SAMPLE_PLATE_BOX.y2 - SAMPLE_PLATE_BOX.y1) * scale,
    }
    assert all(abs(box[edge] - expected[edge]) < 2 for edge in expected), (box, expected)


def known_vehicles(browser: Browser) -> list[dict[str, Any]]:
    """The site's known vehicles (its subentries), as Home Assistant's websocket lists them."""
    entries = browser.call_ws({"type": "config_entries/get", "domain": "lpr_camera"})
    site = next(entry for entry in entries if "vehicle" in entry["supported_subentry_types"])
    subentries: list[dict[str, Any]] = browser.call_ws(
        {"type": "config_entries/subentries/list", "entry_id": site["entry_id"]}
    )
    return subentries


def test_plate_log_in_german_at_phone_width(open_browser: Callable[..., Browser]) -> None:
    """The panel speaks the user's language (the profile's choice) and fits a phone."""
    browser = open_browser(dark=True, size=PHONE)
    browser.open(PANEL)
    browser.set_language("de")
    try:
        browser.find("[data-testid=tab-reads]", "Erfassungen")
        browser.find(".chip", "Unbekannt")
        browser.wait_until(
            lambda: browser.run(
                "return matching('[data-testid=read-row] .direction').map((e) => e.textContent)"
                "  .every((text) => arguments[0].includes(text));",
                # The demo's Frigate (with mosquitto installed) tells no direction.
                ["Ankommend", "Abfahrend", "Richtung unbekannt"],
            ),
            "the reads' directions in German",
        )
        # At phone width a read is a card: no column heads, the picture beside the plate.
        assert not browser.find_all(".reads-table .head")
    finally:
        browser.set_language("en")
