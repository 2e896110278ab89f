"""In the browser, as a user: add a webhook source, paste the URL its form shows, see its reads."""

from __future__ import annotations

import json
import re
import urllib.request

from simulator.harness import Browser
from tests.lpr.test_form_data import MULTIPART, multipart, part
from tests.webhook_payloads import JPEG, blue_iris_body, stream_payload

from .test_cameras import INTEGRATION_PAGE, TRANSLATION_ERROR


def add_webhook_source(browser: Browser, menu_option: str, fields: dict[str, str]) -> str:
    """The flow: Another plate reader, the source, its form; the URL the form shows."""
    browser.open(INTEGRATION_PAGE)
    browser.click("*", "Add device")
    browser.click("ha-list-item", "Another plate reader")
    browser.click("ha-list-item", menu_option)
    browser.wait_for_text("/api/webhook/", timeout=30)
    text = browser.text()
    assert TRANSLATION_ERROR not in text
    urls: list[str] = re.findall(r"http://127\.0\.0\.1:\d+/api/webhook/\w+", text)
    assert urls, f"no webhook URL on the source's form:\n{text}"
    for name, value in fields.items():
        browser.fill(name, value)
    browser.click("ha-button", "Submit")
    browser.wait_for_text("Name and assign", timeout=30)
    browser.click("ha-button", "finish")
    return urls[0]


def post(url: str, body: bytes, headers: dict[str, str]) -> None:
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - the demo
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200


def test_plate_recognizer(browser: Browser) -> None:
    """Stream's webhook with its picture, posted to the URL the form showed."""
    url = add_webhook_source(browser, "Plate Recognizer", {"name": "Browser stream"})

    body = multipart(part("json", json.dumps(stream_payload()).encode()), part("upload", JPEG))
    post(url, body, {"Content-Type": MULTIPART})

    browser.device_page("Browser stream")
    browser.wait_for_text("pl8rec", timeout=30)


def test_blue_iris(browser: Browser) -> None:
    """Blue Iris's alert, ALPR-Database's body and key, posted to the URL the form showed."""
    url = add_webhook_source(
        browser, "Blue Iris and CodeProject.AI", {"name": "Browser iris", "api_key": "k3y"}
    )

    body = json.dumps(blue_iris_body("BI 4242")).encode()
    post(url, body, {"Content-Type": "application/json", "x-api-key": "k3y"})

    browser.device_page("Browser iris")
    browser.wait_for_text("BI 4242", timeout=30)
