"""Real-browser tests: headless Chromium against the demo's real Home Assistant (scripts/demo).

One demo runs for the whole session, in a temporary state directory on free ports; each test gets
its own logged-in browser. They run on the 2026.10 line (the demo's Home Assistant); without
Chromium and its driver they are skipped, except in CI (CI=true), where that fails them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
import pytest_socket  # type: ignore[import-untyped]

# Selenium is installed on the 2026.10 line only (Home Assistant 2025.4 pins a urllib3 too old).
pytest.importorskip("selenium", reason="the browser tests run on the 2026.10 line only")

from simulator.harness import Browser, Demo, missing_browser, running_demo

BROWSER_MISSING = missing_browser()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The first browser test also waits for the demo to start (20 s, a minute on a busy box)."""
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.timeout(240))


@pytest.fixture(autouse=True, scope="session")
def quiet_webdriver() -> None:
    """Selenium's and urllib3's debug lines (every WebDriver request) would bury a failure."""
    for name in ("selenium", "urllib3"):
        logging.getLogger(name).setLevel(logging.INFO)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No Home Assistant in this process: the one under test is the demo's."""


@pytest.fixture(autouse=True)
def need_browser() -> None:
    """Skip without Chromium, with the reason; in CI a missing browser is a failure."""
    if BROWSER_MISSING is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs the browser tests: {BROWSER_MISSING}")
    pytest.skip(BROWSER_MISSING)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo (Home Assistant, the simulated TCP camera and its entry) for the whole session."""
    if BROWSER_MISSING is not None:
        pytest.skip(BROWSER_MISSING)
    # Session fixtures start before the autouse socket_enabled of the first test.
    pytest_socket.enable_socket()
    with running_demo(tmp_path_factory.mktemp("demo"), interval=2) as running:
        yield running


@pytest.fixture
def open_browser(
    demo: Demo, tmp_path: Path, request: pytest.FixtureRequest
) -> Generator[Callable[..., Browser]]:
    """Start a browser on the demo: open_browser(dark=True, size=PHONE); quit after the test.

    A failing test leaves a screenshot of each browser in its tmp_path (named in the report).
    """
    browsers: list[Browser] = []

    def start(*, dark: bool = False, size: tuple[int, int] | None = None) -> Browser:
        options = {"size": size} if size else {}
        browser = Browser(demo, tmp_path, dark=dark, **options)
        browsers.append(browser)
        return browser

    yield start
    failed = getattr(request.node, "failed_report", None)
    for number, browser in enumerate(browsers):
        if failed is not None:
            shot = browser.screenshot(f"failure-{number}")
            failed.sections.append(("browser", f"screenshot at the failure: {shot}"))
        browser.quit()


@pytest.fixture
def browser(open_browser: Callable[..., Browser]) -> Browser:
    """A logged-in desktop browser in the light theme."""
    return open_browser()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep a failed call's report where the browser fixture's teardown finds it."""
    report = yield
    if report.when == "call" and report.failed:
        item.failed_report = report  # type: ignore[attr-defined]
    return report
