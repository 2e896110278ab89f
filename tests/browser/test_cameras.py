"""In the browser, as a user: add a camera of each type, see its plates, add a known vehicle."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator

import pytest

from simulator.harness import ROOT, Browser, Demo
from simulator.reads import DEMO_PLATES, FULL_SIZE, PLATE_SIZE, make_jpeg

INTEGRATION_PAGE = "/config/integrations/integration/lpr_camera"
# The simulated camera's credentials (scripts/demo, tests/browser/rtsp_camera.py take any).
USERNAME = "admin"
PASSWORD = "1234"
# Home Assistant's text when a translation lacks a placeholder (a flow's text, say).
TRANSLATION_ERROR = "formatjs Error"


def add_camera(
    browser: Browser, menu_option: str, fields: dict[str, object], device_name: str | None = None
) -> str:
    """The config flow from the integration's page: the type, the form, Name and assign, Finish.

    Returns the text of the last step (the HTTP type's webhook URLs, say).
    """
    browser.open(INTEGRATION_PAGE)
    browser.click("*", "Add device")
    browser.click("ha-list-item", menu_option)
    for name, value in fields.items():
        browser.fill(name, str(value))
    browser.click("ha-button", "Submit")
    browser.wait_for_text("Name and assign", timeout=30)
    text = browser.text()
    assert TRANSLATION_ERROR not in text
    if device_name is not None:
        browser.fill("Device name", device_name)
    browser.click("ha-button", "finish")  # "Skip and finish", or "Finish" once a name is typed
    return text


def see_read_on_device_page(browser: Browser, device: str, plates: tuple[str, ...]) -> None:
    """The device page shows one of plates as its Last plate, and its picture opens."""
    browser.device_page(device)
    browser.wait_until(
        lambda: any(browser.find_all("*", plate) for plate in plates),
        f"one of {plates} on the page of {device}",
        timeout=30,
    )
    browser.click("*", "Plate picture")
    browser.wait_until(
        lambda: browser.run(
            "return matching('img').some((img) => img.src.includes('/api/image_proxy/image.')"
            " && img.src.includes('plate_picture') && img.complete && img.naturalWidth > 0);"
        ),
        f"the plate picture of {device} in its dialog",
        timeout=30,  # a busy machine: the picture comes through the image proxy once fetched
    )


def test_tcp_camera(browser: Browser, demo: Demo) -> None:
    """The demo's simulated camera, added again under another address of it."""
    add_camera(
        browser,
        "TCP:",
        # The demo has added the camera as 127.0.0.1: the same camera twice is refused.
        {"host": "localhost", "port": demo.camera_port, "username": USERNAME, "password": PASSWORD},
    )
    see_read_on_device_page(browser, "LPR camera localhost", DEMO_PLATES)


def test_http_camera(browser: Browser) -> None:
    """The flow's last step shows the URL; a camera posting to it shows on its page."""
    post_read(add_http_camera(browser, "Browser gate"), "HT 1234")
    see_read_on_device_page(browser, "Browser gate", ("HT 1234",))


def test_known_vehicle_in_the_activity_log(browser: Browser) -> None:
    """A known vehicle added in the site's flow names its plate's reads in the activity log."""
    url = add_http_camera(browser, "Drive")
    browser.open(INTEGRATION_PAGE)
    browser.click("*", "Add known vehicle")
    browser.fill("plate", "KV 777")
    browser.fill("name", "Browser car")
    browser.click("ha-button", "Submit")
    browser.click("ha-button", "Finish")  # "Created configuration for Browser car."
    browser.device_page("Browser car")

    post_read(url, "KV-777")  # written otherwise, still the same plate
    # The activity of the camera's Plate entity: the demo's camera fills the whole log.
    browser.go("/logbook?entity_id=event.drive_plate")
    browser.wait_for_text("KV-777 (Browser car, authorized)", timeout=30)


def add_http_camera(browser: Browser, name: str) -> str:
    """Add a camera of the HTTP type; return the URL it is to POST its reads to."""
    text = add_camera(browser, "HTTP:", {"name": name})
    urls: list[str] = re.findall(r"http://127\.0\.0\.1:\d+/api/webhook/\w+", text)
    assert urls, f"no webhook URL in the flow's last step:\n{text}"
    return urls[0]


@pytest.fixture
def rtsp_camera() -> Iterator[dict[str, int | str]]:
    """tests/browser/rtsp_camera.py as a process: its ports and path."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.browser.rtsp_camera", "RT 5050", "--interval", "1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        yield json.loads(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_rtsp_camera(rtsp_camera: dict[str, int | str], browser: Browser) -> None:
    """The tests' RTSP camera: the flow finds its metadata track; its plate shows."""
    add_camera(
        browser,
        "RTSP:",
        {
            "host": "127.0.0.1",
            "port": rtsp_camera["rtsp_port"],
            "path": rtsp_camera["path"],
            "http_port": rtsp_camera["http_port"],
            "username": USERNAME,
            "password": PASSWORD,
        },
        # The demo's TCP camera is "LPR camera 127.0.0.1" already.
        device_name="RTSP gate",
    )
    see_read_on_device_page(browser, "RTSP gate", ("RT 5050",))


def post_read(url: str, plate: str) -> None:
    """POST a read with both pictures, as a camera of the HTTP type does."""
    body = {
        "plate": plate,
        "direction": "Approach",
        "plate_image": base64.b64encode(make_jpeg(*PLATE_SIZE, plate)).decode(),
        "full_image": base64.b64encode(make_jpeg(*FULL_SIZE, plate)).decode(),
    }
    request = urllib.request.Request(  # noqa: S310 - the demo on 127.0.0.1
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
