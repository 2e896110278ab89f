"""Retake the README's screenshots of the real UI: run by scripts/screenshots (see there).

A fresh demo (scripts/demo) in a temporary directory on free ports, with an automation of the
plate event; once a few reads came in, headless Chromium takes each shot of SHOTS into
docs/screenshots/<name>.png. Add a shot by adding a row to SHOTS.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from custom_components.lpr_camera.plate_log.database import LoggedRead, PlateLogDatabase  # noqa: E402
from custom_components.lpr_camera.plate_log.log import DATABASE_FILE  # noqa: E402
from simulator.harness import DESKTOP, PHONE, Browser, Demo, running_demo  # noqa: E402

OUT = ROOT / "docs/screenshots"
CAMERA = "LPR camera 127.0.0.1"
PANEL = "lpr-plates"
# Reads before the shots: the dashboard's log, the device's activity and the media browser fill.
READS_BEFORE = 6
INTERVAL = 2
# The plate log starts with a month of a second camera's reads (no pictures), so that the
# statistics have days and hours to show; the demo's own camera adds its reads on top.
SEEDED_CAMERA = ("gate", "Gate")
SEEDED_DAYS = 30
SEEDED_PLATES = {"AB1234": "Demo car", "MS12345": "Cleaner", "B-XY 4711": None, "HH 2042": None}
# Reads per hour of the day at the gate: the morning and evening rush, quiet nights.
SEEDED_PROFILE = (0, 0, 0, 0, 0, 1, 3, 8, 6, 3, 2, 2, 3, 2, 2, 3, 5, 8, 6, 3, 2, 1, 1, 0)
# An automation of the plate event, for the automation editor's shot (demo's automations.yaml).
AUTOMATION = """\
- id: lpr_gate
  alias: Open the gate for a known car
  description: A known vehicle with a valid pass opens the gate (here, a notification says so).
  triggers:
    - trigger: event
      event_type: lpr_camera_plate_recognized
      event_data:
        event_type: known
  conditions:
    - condition: template
      value_template: "{{ trigger.event.data.authorized }}"
  actions:
    - action: persistent_notification.create
      data:
        title: Gate
        message: "Opening for {{ trigger.event.data.known_name }} ({{ trigger.event.data.plate }})"
  mode: queued
"""


@dataclass(frozen=True)
class Shot:
    """One screenshot: the page to open, what to do there, and how to look."""

    name: str
    path: str
    prepare: Callable[[Browser], None] = lambda _browser: None
    dark: bool = False
    size: tuple[int, int] = DESKTOP


def device_page(browser: Browser) -> None:
    """The camera's page: its entities, the last read, its activity."""
    browser.device_page(CAMERA)
    browser.wait_for_text("Last plate")


def vehicle_device_page(browser: Browser) -> None:
    """The page of a known vehicle on the deny list: its plate and list in the model."""
    browser.device_page("Repo man")
    browser.wait_for_text("Deny list")


def tcp_form(browser: Browser) -> None:
    """Add device, TCP, the form half filled in."""
    browser.click("*", "Add device")
    browser.click("ha-list-item", "TCP:")
    browser.fill("host", "192.168.1.64")
    browser.fill("port", "5555")
    browser.fill("username", "admin")


def known_vehicle_form(browser: Browser) -> None:
    """The site's Add known vehicle form."""
    browser.click("*", "Add known vehicle")
    browser.fill("plate", "AB-123-CD")
    browser.fill("name", "Anna's car")


def media_folder(browser: Browser) -> None:
    """The pictures of today's reads: LPR Camera, the camera, today's folder."""
    browser.click("*", "LPR Camera")
    browser.click("*", CAMERA)
    browser.click("*", time.strftime("%Y-%m-%d"))


def plate_log_reads(browser: Browser) -> None:
    """The plate log's Reads view, its pictures loaded."""
    browser.find("[data-testid=read-row]")
    browser.wait_until(
        lambda: browser.run(
            "return matching('[data-testid=read-row] img')"
            "  .filter((i) => i.getBoundingClientRect().top < innerHeight)"
            "  .every((i) => i.complete);"
        ),
        "the plate pictures on screen",
    )


def plate_log_read(browser: Browser) -> None:
    """One read of a known vehicle: its full picture with the plate box, its fields."""
    browser.click("[data-testid=read-row].event-type-known:has(img)")  # not a seeded read
    browser.find("[data-testid=plate-box]")


SHOTS = (
    Shot("dashboard", "/lpr-demo/camera", lambda b: b.wait_for_text("Last read")),
    Shot("dashboard-dark", "/lpr-demo/camera", lambda b: b.wait_for_text("Last read"), dark=True),
    Shot("device", "/config/integrations/integration/lpr_camera", device_page),
    Shot("config-flow", "/config/integrations/integration/lpr_camera", tcp_form),
    # Tall enough for the site's three known vehicles.
    Shot("known-vehicles", "/config/integrations/integration/lpr_camera", size=(1280, 1400)),
    Shot("vehicle-device", "/config/integrations/integration/lpr_camera", vehicle_device_page),
    Shot("known-vehicle-flow", "/config/integrations/integration/lpr_camera", known_vehicle_form),
    Shot("media-browser", "/media-browser", media_folder),
    Shot("automation-editor", "/config/automation/edit/lpr_gate", lambda b: b.find("*", "Gate")),
    Shot("plate-log-reads", f"/{PANEL}", plate_log_reads),
    Shot("plate-log-read", f"/{PANEL}", plate_log_read),
    Shot("plate-log-plates", f"/{PANEL}/plates", lambda b: b.find("[data-testid=plate-row]")),
    Shot(
        "plate-log-statistics",
        f"/{PANEL}/statistics",
        lambda b: b.find("[data-testid=chart-daily]"),
    ),
    Shot("plate-log-phone-dark", f"/{PANEL}", plate_log_reads, dark=True, size=PHONE),
)
SETTLE = 1.5  # seconds for pictures and animations once a page shows what it should


def take(demo: Demo, shot: Shot, scratch: Path) -> Path:
    """Take one shot into docs/screenshots; return its path."""
    browser = Browser(demo, scratch, dark=shot.dark, size=shot.size)
    try:
        browser.open(shot.path)
        shot.prepare(browser)
        time.sleep(SETTLE)
        path = OUT / f"{shot.name}.png"
        browser.driver.save_screenshot(str(path))
        return path
    finally:
        browser.quit()


def wait_for_reads(demo: Demo, count: int) -> None:
    """Until the simulated camera has sent count reads (its log says so)."""
    log = demo.state_dir / "camera.log"
    deadline = time.monotonic() + count * INTERVAL * 3 + 30
    while log.read_text(errors="replace").count("Pushed ") < count:
        if time.monotonic() > deadline:
            sys.exit(f"screenshots: fewer than {count} reads after waiting; see {log}")
        time.sleep(0.5)


def seeded_reads(now: datetime) -> Iterator[LoggedRead]:
    """A month of reads at the gate, busiest at the rush hours: known cars and passers-by."""
    rng = random.Random(4711)  # demo data, the same every time
    camera_id, camera = SEEDED_CAMERA
    start = (now - timedelta(days=SEEDED_DAYS)).replace(minute=0, second=0, microsecond=0)
    for hour in range(SEEDED_DAYS * 24):
        at = start + timedelta(hours=hour)
        for _ in range(rng.randint(0, SEEDED_PROFILE[at.hour])):
            plate = rng.choice([*SEEDED_PLATES, f"XY {rng.randint(100, 999)}"])
            name = SEEDED_PLATES.get(plate)
            moment = at + timedelta(seconds=rng.randint(0, 3599))
            yield LoggedRead(
                fields={
                    "time": moment.isoformat(),
                    "filed_at": moment.isoformat(),
                    "config_entry_id": camera_id,
                    "camera": camera,
                    "plate": plate,
                    "direction": rng.choice(("approaching", "departing")),
                    "event_type": "known" if name else "unknown",
                    "known_name": name,
                    "known_list": "allow" if name else None,
                    "authorized": seeded_authorized(name, moment),
                }
            )


def seeded_authorized(name: str | None, moment: datetime) -> bool:
    """As the demo's passes decide: the Cleaner on weekdays from 07:00 to 18:00 only."""
    if name == "Cleaner":
        return moment.weekday() < 5 and 7 <= moment.hour < 18
    return name is not None


def seed_plate_log(config_dir: Path) -> None:
    """Write the month of reads into the plate log before Home Assistant opens it."""
    database = PlateLogDatabase(config_dir / DATABASE_FILE)
    try:
        database.insert(sorted(seeded_reads(datetime.now(UTC)), key=lambda read: read.filed_at))
    finally:
        database.close()


def main() -> None:
    """Take the shots named on the command line, or all."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"only these shots (of {[s.name for s in SHOTS]})")
    args = parser.parse_args()
    shots = [shot for shot in SHOTS if not args.names or shot.name in args.names]
    if unknown := set(args.names) - {shot.name for shot in SHOTS}:
        parser.error(f"no such shot: {', '.join(sorted(unknown))}")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lpr-screenshots-") as temporary:
        state = Path(temporary)
        (state / "config").mkdir()
        (state / "config/automations.yaml").write_text(AUTOMATION)
        seed_plate_log(state / "config")
        print("starting the demo (fresh, in a temporary directory)")
        with running_demo(state, interval=INTERVAL) as demo:
            wait_for_reads(demo, READS_BEFORE)
            for shot in shots:
                print(f"took {take(demo, shot, state / 'failures').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
