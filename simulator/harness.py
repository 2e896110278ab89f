"""Real Home Assistant in headless Chromium: the demo as a process and a logged-in browser.

The browser's helpers reach into the frontend's shadow DOM. No pytest here: the browser tests
(tests/browser) and scripts/screenshots share it. Selenium is installed on the 2026.10 line only;
importing this module elsewhere fails, as it should.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import JavascriptException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webelement import WebElement

from .ports import free_port

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# What the demo prints once Home Assistant is set up with the camera (scripts/demo).
DEMO_READY = "The LPR camera demo is running"
DESKTOP = (1280, 1000)
PHONE = (390, 844)


def missing_browser() -> str | None:
    """Why no browser test can run here, or None when Chromium and its driver are installed."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        return f"{' and '.join(missing)} missing (apt-get install chromium chromium-driver)"
    return None


class DemoError(Exception):
    """The demo did not come up; the message holds the end of its output."""


@dataclass
class Demo:
    """A running scripts/demo: Home Assistant and the simulated TCP camera, in state_dir."""

    url: str
    camera_port: int
    state_dir: Path
    process: subprocess.Popen[bytes]

    @property
    def config_dir(self) -> Path:
        """Home Assistant's configuration directory of this demo."""
        return self.state_dir / "config"

    def api(self, *args: str) -> str:
        """Run a command of scripts/demo_api.py against this demo; return what it printed."""
        return subprocess.run(  # noqa: S603 - our own script
            [demo_python(), str(ROOT / "scripts/demo_api.py"), *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def login_url(self, path: str) -> str:
        """A one-time URL of path that logs a browser in as the demo's owner."""
        return self.api("login-url", self.url, path).strip()

    def log_tail(self, lines: int = 40) -> str:
        """The end of Home Assistant's log and of the demo's own output, for a failure."""
        parts = []
        for path in (self.config_dir / "home-assistant.log", self.state_dir / "demo.out"):
            with suppress(OSError):
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {path}:\n" + "\n".join(tail))
        return "\n".join(parts)


def demo_python() -> str:
    """The demo venv's Python (scripts/demo builds it): it has Home Assistant for demo_api.py."""
    return str(ROOT / ".venv/demo/bin/python")


@contextmanager
def running_demo(state_dir: Path, *, interval: int = 5, timeout: float = 300) -> Iterator[Demo]:
    """Start scripts/demo in state_dir on free ports, wait until it is set up, stop it after."""
    state_dir.mkdir(parents=True, exist_ok=True)
    port, camera_port = free_port(), free_port()
    environment = os.environ | {
        "DEMO_DIR": str(state_dir),
        "DEMO_PORT": str(port),
        "DEMO_CAMERA_PORT": str(camera_port),
        "DEMO_INTERVAL": str(interval),
        "DEMO_TIMEOUT": str(int(timeout)),
    }
    output = state_dir / "demo.out"
    with output.open("wb") as out:
        # Its own process group: stopping it reaches Home Assistant and the camera, not pytest.
        process = subprocess.Popen(  # noqa: S603 - our own script
            [str(ROOT / "scripts/demo")],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    demo = Demo(f"http://127.0.0.1:{port}", camera_port, state_dir, process)
    try:
        _wait_for_demo(demo, output, timeout)
        yield demo
    finally:
        _stop(process)


def _wait_for_demo(demo: Demo, output: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while DEMO_READY not in output.read_text(errors="replace"):
        if demo.process.poll() is not None:
            raise DemoError(f"scripts/demo ended ({demo.process.returncode}):\n{demo.log_tail()}")
        if time.monotonic() > deadline:
            raise DemoError(f"scripts/demo not ready after {timeout:.0f} s:\n{demo.log_tail()}")
        time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the demo, Home Assistant and the camera (SIGINT may be ignored in a background job)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# Every root of the page: the document and each shadow root under it, breadth first. The
# frontend is web components all the way down; document.querySelector sees none of it.
_DEEP = r"""
const roots = [document];
for (let i = 0; i < roots.length; i++) {
  for (const element of roots[i].querySelectorAll("*")) {
    if (element.shadowRoot) roots.push(element.shadowRoot);
  }
}
const visible = (element) => element.getClientRects().length > 0
  && getComputedStyle(element).visibility !== "hidden";
const squash = (text) => (text || "").replace(/\s+/g, " ").trim();
const folded = (text) => squash(text).toLowerCase();
const matching = (selector) => roots.flatMap((root) => [...root.querySelectorAll(selector)]);
// Sets an <input>'s value as typing would: the native setter, then the events Lit (and plain
// listeners) react to.
const setValue = (input, value) => {
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), "value").set.call(input, value);
  for (const type of ["input", "change"]) {
    input.dispatchEvent(new Event(type, {bubbles: true, composed: true}));
  }
};
const byText = (text, selector) => {
  const found = matching(selector).filter((e) => folded(e.textContent).includes(folded(text)));
  // The innermost elements holding the text (a row holds its label, which holds the text).
  return found.filter((e) => !found.some((other) => other !== e && e.contains(other)));
};
"""


class BrowserError(AssertionError):
    """What the page did not show; the message names a screenshot of it."""


class Browser:
    """Headless Chromium on the demo, logged in; helpers see through shadow roots."""

    def __init__(
        self,
        demo: Demo,
        artifacts: Path,
        *,
        dark: bool = False,
        size: tuple[int, int] = DESKTOP,
    ) -> None:
        """Start Chromium; artifacts is where screenshots of failures go."""
        self.demo = demo
        self.artifacts = artifacts
        options = Options()
        options.binary_location = str(CHROMIUM)
        for argument in (
            "--headless=new",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--lang=en-GB",
            f"--window-size={size[0]},{size[1]}",
        ):
            options.add_argument(argument)
        if dark:
            # Home Assistant's default theme follows the system's colour scheme.
            options.add_argument("--force-dark-mode")
            options.add_argument("--blink-settings=preferredColorScheme=0")
        self.driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
        self.driver.set_script_timeout(30)

    def quit(self) -> None:
        """Close the browser; one that already died is fine."""
        with suppress(WebDriverException):
            self.driver.quit()

    def open(self, path: str) -> None:
        """Log in (a fresh authorization code each time) and open path of Home Assistant."""
        self.driver.get(self.demo.login_url(path))
        self.wait_until(
            lambda: self.run("return !!matching('home-assistant-main').length"),
            f"Home Assistant's UI to load {path}",
        )

    def go(self, path: str) -> None:
        """Open path in the running UI, as a link would (no reload, still logged in)."""
        self.run(
            "history.pushState(null, '', arguments[0]);"
            "window.dispatchEvent(new CustomEvent('location-changed'));",
            path,
        )

    def run(self, script: str, *args: Any) -> Any:
        """Run JavaScript with the deep helpers (roots, matching, byText, visible) defined."""
        return self.driver.execute_script(_DEEP + script, *args)

    def device_page(self, name: str, timeout: float = 15) -> None:
        """Go to the page of the device called name (once the frontend knows of it)."""
        found: list[str] = []

        def known() -> bool:
            device_id = self.run(
                "const hass = document.querySelector('home-assistant').hass;"
                "const device = Object.values(hass.devices)"
                "  .find((d) => (d.name_by_user || d.name) === arguments[0]);"
                "return device ? device.id : null;",
                name,
            )
            found[:] = [device_id] if device_id else []
            return bool(found)

        self.wait_until(known, f"a device called {name!r}", timeout)
        self.go(f"/config/devices/device/{found[0]}")

    def find_all(self, selector: str, text: str | None = None) -> list[WebElement]:
        """Visible elements matching selector in any shadow root; with text, those holding it.

        Text matches in any case and with its spaces squashed; the innermost elements win.
        """
        found: list[WebElement] = self.run(_FIND + "return found;", selector, text)
        return found

    def find(self, selector: str = "*", text: str | None = None, timeout: float = 15) -> WebElement:
        """The first visible element matching selector (and holding text), waited for."""
        found: list[WebElement] = []

        def appeared() -> bool:
            found[:] = self.find_all(selector, text)
            return bool(found)

        self.wait_until(appeared, _described(selector, text), timeout)
        return found[0]

    def click(self, selector: str = "*", text: str | None = None, timeout: float = 15) -> None:
        """Click the first visible element matching selector and holding text, once it shows.

        Found and clicked in one script: the frontend re-renders rows as states change.
        """
        self.wait_until(
            lambda: self.run(_FIND + _CLICK_FIRST, selector, text),
            f"{_described(selector, text)} to click",
            timeout,
        )

    def fill(self, name: str, value: str, timeout: float = 15) -> None:
        """Type value into the field `name` of the form on screen.

        name is the field's key in the flow's schema (ha-form), or the label of a field outside
        a schema (the device name of "Name and assign").
        """
        self.wait_until(
            lambda: self.run(_FILL, name, value), f"a form field named {name!r}", timeout
        )

    def type(self, selector: str, value: str, timeout: float = 15) -> None:
        """Type value into the first visible <input> matching selector (a data-testid, say)."""
        self.wait_until(
            lambda: self.run(_FIND + _TYPE_FIRST, selector, None, value),
            f"{selector} to type into",
            timeout,
        )

    def attributes(self, selector: str, name: str) -> list[str]:
        """The attribute `name` of every visible element matching selector, in page order."""
        values: list[str] = self.run(
            _FIND + "return found.map((e) => e.getAttribute(arguments[2]));", selector, None, name
        )
        return values

    def call_ws(self, message: dict[str, Any]) -> Any:
        """Send a websocket command as the logged-in user (hass.callWS); return its result."""
        reply: dict[str, Any] = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "document.querySelector('home-assistant').hass.callWS(arguments[0]).then("
            "  (result) => done({result}), (error) => done({error: JSON.stringify(error)}));",
            message,
        )
        if "error" in reply:
            raise BrowserError(f"{message['type']} failed: {reply['error']}")
        return reply.get("result")

    def set_language(self, language: str) -> None:
        """Choose the user's language as the profile's picker does (kept in the user's data)."""
        self.run(
            "document.querySelector('home-assistant').dispatchEvent("
            "  new CustomEvent('hass-language-select', {detail: arguments[0]}));",
            language,
        )
        self.wait_until(
            lambda: self.run(
                "return document.querySelector('home-assistant').hass.language === arguments[0];",
                language,
            ),
            f"the UI in the language {language!r}",
        )

    def text(self) -> str:
        """Every visible text of the page, shadow roots included, one line per element."""
        text: str = self.run(_ALL_TEXT)
        return text

    def wait_for_text(self, text: str, timeout: float = 15) -> None:
        """Until text is shown somewhere on the page."""
        self.find("*", text, timeout)

    def wait_until(self, condition: Callable[[], object], what: str, timeout: float = 15) -> None:
        """Poll condition until it is true; fail naming what was awaited, with a screenshot."""
        deadline = time.monotonic() + timeout
        error: JavascriptException | None = None
        while True:
            try:
                if condition():
                    return
            except JavascriptException as err:
                error = err
            if time.monotonic() > deadline:
                shot = self.screenshot(f"waiting-for-{what}")
                detail = f" (last error: {error.msg})" if error else ""
                raise BrowserError(
                    f"gave up after {timeout:.0f} s waiting for {what}{detail}\n"
                    f"  page: {self.driver.current_url}\n  screenshot: {shot}"
                )
            time.sleep(0.2)

    def screenshot(self, name: str) -> Path:
        """Save what the browser shows as artifacts/<name>.png; return its path."""
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)[:80]
        path = self.artifacts / f"{safe}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
        return path


_FIND = """
const [selector, text] = arguments;
const found = (text === null ? matching(selector) : byText(text, selector)).filter(visible);
"""
_CLICK_FIRST = """
if (!found.length) return false;
found[0].scrollIntoView({block: "center"});
found[0].click();
return true;
"""


_TYPE_FIRST = """
const input = found.find((e) => "value" in e);
if (!input) return false;
setValue(input, arguments[2]);
return true;
"""


def _described(selector: str, text: str | None) -> str:
    return selector if text is None else f"{selector} holding {text!r}"


# Sets the <input> of the form's field `name` (its ha-form schema's name, or its label).
_FILL = r"""
const [name, value] = arguments;
const field = matching("*").find((e) => visible(e)
  && ((e.schema && e.schema.name === name) || (e.label === name && !e.schema)));
if (!field) return false;
const scopes = [field];
for (let i = 0; i < scopes.length; i++) {
  for (const e of scopes[i].querySelectorAll("*")) if (e.shadowRoot) scopes.push(e.shadowRoot);
  if (scopes[i].shadowRoot) scopes.push(scopes[i].shadowRoot);
}
const input = scopes.flatMap((scope) => [...scope.querySelectorAll("input, textarea")])[0];
if (!input) return false;
setValue(input, value);
return true;
"""

_ALL_TEXT = r"""
const lines = [];
for (const root of roots) {
  for (const node of root.querySelectorAll("*")) {
    const own = [...node.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent).join(" ");
    if (squash(own) && visible(node)) lines.push(squash(own));
  }
}
return lines.join("\n");
"""
