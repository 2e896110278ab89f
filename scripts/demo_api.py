"""Drives the demo's Home Assistant through its HTTP API, as the web UI would: for scripts/demo.

The HTTP commands use the standard library only; seed imports Home Assistant's own definitions.

    demo_api.py seed CONFIG_DIR PORT [--frigate MQTT_PORT API_PORT]
        before Home Assistant starts: write its configuration (configuration.yaml, the
        integration linked into custom_components/), its web server settings (127.0.0.1:PORT)
        in its storage (before 2026 there is none: configuration.yaml's http: section holds
        them), and, the first time, the onboarding with its location step done; point the
        entries of MQTT and of the Frigate source at this run's ports (without --frigate, when
        mosquitto is not installed, disable them)
    demo_api.py setup URL CONFIG_DIR CAMERA_PORT [--frigate MQTT_PORT API_PORT] [--watch PID ...]
        wait for Home Assistant, finish its onboarding (owner demo / demo) or log in, add the
        simulated camera through the integration's own config flow unless a working entry exists
        (with --frigate also Home Assistant's MQTT and the Frigate source, through their flows),
        and write the demo dashboard (CONFIG_DIR/lpr-demo.yaml) for the camera's entities
    demo_api.py check URL OUT_DIR [--timeout S] [--frigate]
        wait for a new plate on the last-plate sensor, fetch both pictures through
        /api/image_proxy/ into OUT_DIR, print what arrived; with --frigate the same of the
        Frigate source (its full picture); exit 1 if nothing did
    demo_api.py login-url URL PATH
        print a one-time URL of PATH that logs a browser in (for a headless screenshot)
"""

from __future__ import annotations

import argparse
import base64
import importlib
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
USERNAME = "demo"
PASSWORD = "demo"  # noqa: S105 - the demo's documented login, on 127.0.0.1 only
DOMAIN = "lpr_camera"
LOOPBACK = "127.0.0.1"
CAMERA_USERNAME = "admin"
CAMERA_PASSWORD = "1234"  # noqa: S105 - the simulated camera's default
DASHBOARD_FILE = "lpr-demo.yaml"
ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")
# The sensors of the last read shown beside the plate (suffixes of their entity ids).
READ_FIELDS = ("speed",)
# The Plate event's attributes shown beside them: Direction's sensor starts disabled.
EVENT_FIELDS = ("direction",)
# The camera's entities the demo shows: key (the end of the entity id) and platform.
ENTITY_DOMAINS = {
    "last_plate": "sensor",
    "plate_picture": "image",
    "full_picture": "image",
    "speed": "sensor",
    "plate": "event",
    "connection": "binary_sensor",
    "authorized": "binary_sensor",
    "vehicles_on_site": "sensor",
}
# Row names on the dashboard, short of the device's name.
LABELS = {
    "last_plate": "Last plate",
    "plate_picture": "Plate picture",
    "full_picture": "Full picture",
    "direction": "Direction",
    "speed": "Speed",
    "plate": "Plate event",
    "connection": "Connection",
    "authorized": "Authorized",
    "vehicles_on_site": "Vehicles on site",
}
# Known vehicles the demo adds to the site (plates of the simulator's), one with a pass.
DEMO_VEHICLES = (
    {"plate": "AB1234", "name": "Demo car", "list": "allow", "pass": {}},
    {
        "plate": "MS12345",
        "name": "Cleaner",
        "list": "allow",
        "pass": {
            "weekdays": ["mon", "tue", "wed", "thu", "fri"],
            "start": "07:00:00",
            "end": "18:00:00",
        },
    },
    {"plate": "WOB ZK 512", "name": "Repo man", "list": "deny", "pass": {}},
)
# The simulated Frigate's camera (simulator/frigate.py), and its source's device model.
FRIGATE_CAMERA = "driveway"
FRIGATE_MODEL = "Frigate"
# Home Assistant's config entries, in its storage: what the REST API does not show of them.
CONFIG_ENTRIES = "core.config_entries"
NO_VALUE = {None, "unknown", "unavailable"}
# Home Assistant's configuration.yaml, written on every run. No default_config: only what runs
# offline. Home Assistant also sets up its defaults (automation, person, the base platforms, ...),
# all pre-installed in .venv/demo.
CONFIGURATION = """\
# Written by scripts/demo on every run (demo_api.py seed): change the script, not this file.
homeassistant:
  name: LPR camera demo
  unit_system: metric
  time_zone: {time_zone}
  country: GB
  currency: EUR
  latitude: 51.5
  longitude: 0
  elevation: 0
  internal_url: {url}
  # The picture history goes here, not to /media (Home Assistant's default in a container).
  media_dirs:
    local: {media}
frontend:
media_source:
config:
history:
logbook:
recorder:
  purge_keep_days: 7
automation: !include automations.yaml
lovelace:
  dashboards:
    lpr-demo:
      mode: yaml
      filename: lpr-demo.yaml
      title: LPR demo
      icon: mdi:car-back
      show_in_sidebar: true
logger:
  default: warning
  logs:
    custom_components.lpr_camera: info
"""
# Entry states after its setup ran: anything else is still on its way.
SETTLED = {"loaded", "setup_error", "setup_retry", "migration_error", "failed_unload"}


class DemoError(Exception):
    """Something the demo needs did not happen; the message says what."""


class HomeAssistantApi:
    """The few REST calls the demo makes, as the logged-in owner once login() ran."""

    def __init__(self, url: str) -> None:
        """Talk to the Home Assistant at url (http://127.0.0.1:PORT)."""
        self.url = url.rstrip("/")
        self.client_id = f"{self.url}/"
        self.token: str | None = None

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        form: dict[str, str] | None = None,
    ) -> Any:
        """Send one request; return the JSON answer, or the bytes of any other answer."""
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
            self.url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                raw = response.read()
                is_json = response.headers.get_content_type() == "application/json"
        except urllib.error.HTTPError as err:
            detail = err.read().decode(errors="replace")[:500]
            raise DemoError(f"{method} {path}: HTTP {err.code} {detail}") from err
        return json.loads(raw) if is_json else raw

    def authorization_code(self, redirect_uri: str) -> str:
        """Log in as the owner through the login flow the web UI uses."""
        flow = self.request(
            "POST",
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": redirect_uri,
            },
        )
        result = self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": self.client_id, "username": USERNAME, "password": PASSWORD},
        )
        if result.get("type") != "create_entry":
            raise DemoError(f"logging in as {USERNAME} failed: {result}")
        return str(result["result"])

    def use_code(self, code: str) -> None:
        """Trade an authorization code for an access token (valid for 30 minutes)."""
        tokens = self.request(
            "POST",
            "/auth/token",
            form={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
        )
        self.token = tokens["access_token"]

    def login(self) -> None:
        """Log in as the owner."""
        self.use_code(self.authorization_code(f"{self.url}/?auth_callback=1"))

    def render(self, template: str) -> Any:
        """Render a template on the server; return its value (JSON when it prints JSON)."""
        text = self.request("POST", "/api/template", {"template": template}).decode()
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text

    def state(self, entity_id: str) -> dict[str, Any] | None:
        """Return an entity's state object, None while it has none."""
        try:
            state: dict[str, Any] = self.request("GET", f"/api/states/{entity_id}")
        except DemoError as err:
            if "HTTP 404" in str(err):
                return None
            raise
        return state


def wait_for[T](
    what: str, probe: Callable[[], T | None], timeout: float, watch: Iterable[int] = ()
) -> T:
    """Call probe every second until it returns a value; give up after timeout seconds.

    A probe that cannot connect yet counts as no value. Fails at once when a watched process
    (Home Assistant, the simulated camera) has died.
    """
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            if (value := probe()) is not None:
                return value
        except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
            last_error = err
        for pid in watch:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                raise DemoError(f"process {pid} died while waiting for {what}") from None
        if time.monotonic() > deadline:
            detail = f" (last error: {last_error})" if last_error else ""
            raise DemoError(f"gave up after {timeout:.0f} s waiting for {what}{detail}")
        time.sleep(1)


def onboard_or_login(api: HomeAssistantApi, timeout: float, watch: list[int]) -> None:
    """Finish the onboarding the first time (owner demo / demo), log in the next times."""

    def onboarding_steps() -> list[dict[str, Any]]:
        try:
            steps: list[dict[str, Any]] = api.request("GET", "/api/onboarding")
        except DemoError as err:
            # Once onboarded, Home Assistant serves no onboarding API at all. The web server only
            # starts after the frontend, which sets up onboarding first: a 404 is no race.
            if "HTTP 404" not in str(err):
                raise
            return [{"step": step, "done": True} for step in ONBOARDING_STEPS]
        return steps

    steps = wait_for("Home Assistant's web server", onboarding_steps, timeout, watch)
    done = {step["step"] for step in steps if step["done"]}
    if "user" in done:
        api.login()
    else:
        answer = api.request(
            "POST",
            "/api/onboarding/users",
            {
                "client_id": api.client_id,
                "name": "Demo",
                "username": USERNAME,
                "password": PASSWORD,
                "language": "en",
            },
        )
        api.use_code(answer["auth_code"])
        print(f"created the owner {USERNAME} / {PASSWORD}")
    # scripts/demo marks core_config done beforehand: this step would start integrations that
    # reach the internet (weather, radio, text-to-speech). The location is in configuration.yaml.
    for step in ("core_config", "analytics"):
        if step not in done:
            api.request("POST", f"/api/onboarding/{step}", {})
    if "integration" not in done:
        api.request(
            "POST",
            "/api/onboarding/integration",
            {"client_id": api.client_id, "redirect_uri": f"{api.url}/?auth_callback=1"},
        )


def camera_entities(api: HomeAssistantApi, *, frigate: bool = False) -> dict[str, str]:
    """Map the camera's entity keys (last_plate, plate_picture, ...) to their entity ids.

    The camera's and the site's; with `frigate`, the Frigate source's instead.
    """
    # Each entity with its device's model: the Frigate source's entities are named as a camera's.
    models = api.render(
        f"{{% for e in integration_entities('{DOMAIN}') %}}"
        "{{ loop.first and '[' or ',' }}[{{ e | tojson }}, {{ device_attr(e, 'model') | tojson }}]"
        "{% else %}[{% endfor %}]"
    )
    entities: dict[str, str] = {}
    for entity_id, model in models:
        if (model == FRIGATE_MODEL) is not frigate:
            continue
        domain, _, object_id = entity_id.partition(".")
        for key, key_domain in ENTITY_DOMAINS.items():
            if domain == key_domain and object_id.endswith(f"_{key}"):
                entities.setdefault(key, entity_id)
    return entities


def ensure_camera_entry(
    api: HomeAssistantApi, config_dir: Path, camera_port: int, watch: list[int]
) -> str:
    """Keep a loaded camera entry; otherwise replace it by one made through the config flow."""
    path = f"/api/config/config_entries/entry?domain={DOMAIN}"

    def settled() -> list[dict[str, Any]] | None:
        entries: list[dict[str, Any]] = api.request("GET", path)
        # A disabled entry (the Frigate source without mosquitto) is never set up.
        done = all(e["state"] in SETTLED or e["disabled_by"] for e in entries)
        return entries if done else None

    entries = wait_for("the camera's entry to finish its setup", settled, 60, watch)
    sources = {e["entry_id"] for e in stored_entries(config_dir) if is_source(e)}
    entries = [e for e in entries if not is_site(e) and e["entry_id"] not in sources]
    loaded = [e for e in entries if e["state"] == "loaded"]
    for entry in entries:
        if entry not in loaded[:1]:
            # An entry of an earlier run that does not work (a camera port since changed).
            api.request("DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}")
    if loaded:
        return str(loaded[0]["title"])

    result = add_camera(
        api,
        "tcp",
        lambda _form: {
            "host": LOOPBACK,
            "port": camera_port,
            "username": CAMERA_USERNAME,
            "password": CAMERA_PASSWORD,
        },
    )
    print(f"added the camera {result['title']!r} (127.0.0.1:{camera_port}) through the config flow")
    return str(result["title"])


def add_camera(
    api: HomeAssistantApi, step: str, fill: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """Add a camera through the config flow, as the UI does; the flow's last answer.

    The menu's type (step: tcp, http, rtsp), then its form, filled in by `fill` from the form
    shown (an HTTP camera's shows its webhook's URLs).
    """
    flow = api.request(
        "POST",
        "/api/config/config_entries/flow",
        {"handler": DOMAIN, "show_advanced_options": False},
    )
    if flow.get("type") == "menu":  # the integration type: TCP, HTTP, ...
        flow = api.request(
            "POST", f"/api/config/config_entries/flow/{flow['flow_id']}", {"next_step_id": step}
        )
    if flow.get("type") != "form" or flow.get("step_id") != step:
        raise DemoError(f"the config flow did not ask for the {step} camera: {flow}")
    result: dict[str, Any] = api.request(
        "POST", f"/api/config/config_entries/flow/{flow['flow_id']}", fill(flow)
    )
    if result.get("type") != "create_entry":
        raise DemoError(f"the config flow did not add the camera: {result}")
    return result


def is_site(entry: dict[str, Any]) -> bool:
    """The site's entry (known vehicles are its subentries), beside the cameras'."""
    return "vehicle" in entry.get("supported_subentry_types", {})


def stored_entries(config_dir: Path) -> list[dict[str, Any]]:
    """Home Assistant's config entries as its storage keeps them (with their data)."""
    path = config_dir / ".storage" / CONFIG_ENTRIES
    if not path.exists():
        return []
    entries: list[dict[str, Any]] = json.loads(path.read_text())["data"]["entries"]
    return entries


def is_source(entry: dict[str, Any]) -> bool:
    """A stored entry of one of the integration's sources (the demo's Frigate)."""
    return bool(entry["domain"] == DOMAIN and entry["data"].get("kind") == "source")


def ensure_frigate(
    api: HomeAssistantApi, config_dir: Path, ports: tuple[int, int], watch: list[int]
) -> None:
    """Home Assistant's MQTT on the demo's broker, and the Frigate source, through their flows."""
    mqtt_port, api_port = ports
    path = "/api/config/config_entries/entry?domain=mqtt"
    if not api.request("GET", path):
        # The form as the frontend sends it: its section of other settings with their values.
        other = {"set_client_cert": False, "set_ca_cert": "off"}
        answer = {"broker": LOOPBACK, "port": mqtt_port, "other_settings": other}
        run_flow(api, "mqtt", [answer])
        print(f"added Home Assistant's MQTT ({LOOPBACK}:{mqtt_port}) through its config flow")
    wait_for(
        "Home Assistant's MQTT",
        lambda: True if any(e["state"] == "loaded" for e in api.request("GET", path)) else None,
        60,
        watch,
    )
    if any(is_source(e) for e in stored_entries(config_dir)):
        return
    answers = {"camera": FRIGATE_CAMERA, "url": f"http://{LOOPBACK}:{api_port}"}
    steps = [{"next_step_id": "source"}, {"next_step_id": "source_frigate"}, answers]
    result = run_flow(api, DOMAIN, steps)
    print(f"added the Frigate source {result['title']!r} through the config flow")


def run_flow(api: HomeAssistantApi, handler: str, steps: list[dict[str, Any]]) -> Any:
    """Answer a config flow's steps in turn; it must end by adding the entry."""
    result = api.request(
        "POST",
        "/api/config/config_entries/flow",
        {"handler": handler, "show_advanced_options": False},
    )
    for answer in steps:
        result = api.request("POST", f"/api/config/config_entries/flow/{result['flow_id']}", answer)
    if result.get("type") != "create_entry":
        raise DemoError(f"the config flow of {handler} did not add the entry: {result}")
    return result


def ensure_known_vehicles(api: HomeAssistantApi, watch: list[int]) -> None:
    """Add the demo's known vehicles through the site's "Add known vehicle" flow, once."""
    path = f"/api/config/config_entries/entry?domain={DOMAIN}"

    def site() -> dict[str, Any] | None:
        entries: list[dict[str, Any]] = api.request("GET", path)
        return next((e for e in entries if is_site(e) and e["state"] == "loaded"), None)

    entry = wait_for("the site's entry", site, 60, watch)
    if entry.get("num_subentries"):
        return
    for vehicle in DEMO_VEHICLES:
        flow = api.request(
            "POST",
            "/api/config/config_entries/subentries/flow",
            {"handler": [entry["entry_id"], "vehicle"]},
        )
        result = api.request(
            "POST", f"/api/config/config_entries/subentries/flow/{flow['flow_id']}", vehicle
        )
        if result.get("type") != "create_entry":
            raise DemoError(f"the site did not add the known vehicle {vehicle}: {result}")
    print(f"added {len(DEMO_VEHICLES)} known vehicles to the site through its subentry flow")


def write_dashboard(
    config_dir: Path, title: str, entities: dict[str, str], frigate: dict[str, str]
) -> None:
    """The demo's dashboard: both pictures, the fields of the last read, the logbook.

    With the Frigate source, its full picture and last plate too.
    """
    rows: list[dict[str, Any]] = [
        {"entity": entities[key], "name": LABELS[key]}
        for key in ("last_plate", *READ_FIELDS, "plate", "connection")
        if key in entities
    ]
    if "plate" in entities:
        rows[1:1] = [
            {
                "type": "attribute",
                "entity": entities["plate"],
                "attribute": key,
                "name": LABELS[key],
            }
            for key in EVENT_FIELDS
        ]
    # The plate crop is small: a caption would hide it.
    cards: list[dict[str, Any]] = [
        {
            "type": "picture-entity",
            "entity": entities[key],
            "name": LABELS[key],
            "show_state": False,
            "show_name": key == "full_picture",
        }
        for key in ("full_picture", "plate_picture")
        if key in entities
    ]
    cards.append({"type": "entities", "title": "Last read", "entities": rows})
    if "vehicles_on_site" in entities:
        cards.append(
            {
                "type": "entities",
                "title": "Site",
                "entities": [
                    {"entity": entities[key], "name": LABELS[key]}
                    for key in ("authorized", "vehicles_on_site")
                    if key in entities
                ]
                + ["binary_sensor.demo_car_on_site", "sensor.demo_car_last_seen"],
            }
        )
    if "full_picture" in frigate:
        cards.append(
            {"type": "picture-entity", "entity": frigate["full_picture"], "name": "Frigate"}
        )
        cards.append(
            {
                "type": "entities",
                "title": "Frigate",
                "entities": [
                    {"entity": frigate[key], "name": LABELS[key]}
                    for key in ("last_plate", "connection")
                    if key in frigate
                ],
            }
        )
    if "plate" in entities:
        # The camera's Plate event: its logbook line per read (the plate, the known vehicle,
        # what the read did on the site) beside the event it fired.
        cards.append(
            {
                "type": "logbook",
                "title": "Plates",
                "hours_to_show": 24,
                "target": {"entity_id": [entities["plate"]]},
            }
        )
    dashboard = {"title": "LPR demo", "views": [{"title": title, "path": "camera", "cards": cards}]}
    # JSON is YAML: Home Assistant reads this file as the dashboard's YAML.
    (config_dir / DASHBOARD_FILE).write_text(
        "# Written by scripts/demo (demo_api.py setup) on every run.\n"
        + json.dumps(dashboard, indent=2)
        + "\n"
    )


def setup(args: argparse.Namespace) -> None:
    """Onboarding or login, the camera entry, the dashboard."""
    api = HomeAssistantApi(args.url)
    watch: list[int] = args.watch
    onboard_or_login(api, args.timeout, watch)
    wait_for(
        "Home Assistant to finish starting",
        lambda: True if api.request("GET", "/api/config").get("state") == "RUNNING" else None,
        args.timeout,
        watch,
    )
    config_dir = Path(args.config_dir)
    title = ensure_camera_entry(api, config_dir, args.camera_port, watch)
    ensure_known_vehicles(api, watch)
    if args.frigate:
        ensure_frigate(api, config_dir, args.frigate, watch)

    def entities_found() -> dict[str, str] | None:
        entities = camera_entities(api)
        return entities if {"last_plate", "vehicles_on_site"} <= entities.keys() else None

    def frigate_found() -> dict[str, str] | None:
        entities = camera_entities(api, frigate=True)
        return entities if "full_picture" in entities else None

    entities = wait_for("the camera's entities", entities_found, 60, watch)
    frigate = (
        wait_for("the Frigate source's entities", frigate_found, 60, watch) if args.frigate else {}
    )
    write_dashboard(config_dir, title, entities, frigate)


def check(args: argparse.Namespace) -> None:
    """Wait for a new read to reach the entities; fetch and keep its pictures."""
    api = HomeAssistantApi(args.url)
    api.login()
    out = Path(args.out_dir)
    check_new_read(api, camera_entities(api), ("plate_picture", "full_picture"), out, args.timeout)
    if args.frigate:
        # Frigate has no plate crop: its snapshot is the read's full picture.
        frigate = camera_entities(api, frigate=True)
        check_new_read(api, frigate, ("full_picture",), out / "frigate", args.timeout)


def check_new_read(
    api: HomeAssistantApi,
    entities: dict[str, str],
    pictures: tuple[str, ...],
    out: Path,
    timeout: float,
) -> None:
    """Wait until the first of the pictures changes with a plate shown; fetch and keep them."""
    sensor, picture = entities.get("last_plate"), entities.get(pictures[0])
    if sensor is None or picture is None:
        raise DemoError(f"the camera's entities are missing: {entities}")
    before = api.state(picture) or {}

    def new_read() -> tuple[dict[str, Any], dict[str, Any]] | None:
        plate, image = api.state(sensor), api.state(picture)
        if plate is None or image is None or plate["state"] in NO_VALUE:
            return None
        fresh = image["state"] not in NO_VALUE and image["state"] != before.get("state")
        return (plate, image) if fresh else None

    plate, image = wait_for(f"a plate on {sensor}", new_read, timeout)
    print(f"{sensor}: {plate['state']}  (read at {image['state']})")
    print_read_fields(api, entities)
    out.mkdir(parents=True, exist_ok=True)
    for key in pictures:
        entity_id = entities.get(key)
        if entity_id is None:
            raise DemoError(f"no {key} entity: {entities}")
        jpeg = api.request("GET", f"/api/image_proxy/{entity_id}")
        if not isinstance(jpeg, bytes) or not jpeg.startswith(b"\xff\xd8"):
            raise DemoError(f"/api/image_proxy/{entity_id} is not a JPEG: {jpeg!r:.80}")
        (out / f"{key}.jpg").write_bytes(jpeg)
        print(f"{entity_id}: {len(jpeg)} bytes of JPEG, saved as {out / f'{key}.jpg'}")


def print_read_fields(api: HomeAssistantApi, entities: dict[str, str]) -> None:
    """The last read's fields the dashboard shows: its sensors', and its Plate event's."""
    for key in READ_FIELDS:
        if key in entities and (state := api.state(entities[key])) is not None:
            unit = state["attributes"].get("unit_of_measurement", "")
            print(f"  {entities[key]}: {state['state']} {unit}".rstrip())
    if "plate" in entities and (event := api.state(entities["plate"])) is not None:
        for key in EVENT_FIELDS:
            print(f"  {entities['plate']}, its {key}: {event['attributes'].get(key)}")


def login_url(args: argparse.Namespace) -> None:
    """A URL that logs the browser in, as the login page's redirect would."""
    api = HomeAssistantApi(args.url)
    target = f"{api.url}/{args.path.lstrip('/')}"
    code = api.authorization_code(f"{target}?auth_callback=1")
    state = json.dumps({"hassUrl": api.url, "clientId": api.client_id}).encode()
    query = urllib.parse.urlencode(
        {"auth_callback": "1", "code": code, "state": base64.urlsafe_b64encode(state).decode()}
    )
    print(f"{target}?{query}")


def seed(args: argparse.Namespace) -> None:
    """Write what Home Assistant must find at its very first start (scripts/demo, scripts/soak)."""
    seed_config(Path(args.config_dir), args.port, args.frigate)


def seed_config(config_dir: Path, port: int, frigate: tuple[int, int] | None = None) -> None:
    """The configuration and storage files of a demo on 127.0.0.1:port (see point_at_frigate)."""
    for folder in ("custom_components", ".storage", "media"):
        (config_dir / folder).mkdir(parents=True, exist_ok=True)
    # A symlink: edits to the integration show after a restart of the demo.
    link = config_dir / "custom_components" / DOMAIN
    link.unlink(missing_ok=True)
    link.symlink_to(ROOT / "custom_components" / DOMAIN)
    write_configuration(config_dir, port)
    write_storage(config_dir / ".storage", port)
    point_at_frigate(config_dir / ".storage" / CONFIG_ENTRIES, frigate)


def write_configuration(config_dir: Path, port: int) -> None:
    """configuration.yaml on every run; the automations and dashboard files the first time."""
    (config_dir / "configuration.yaml").write_text(
        CONFIGURATION.format(
            url=f"http://{LOOPBACK}:{port}", media=config_dir / "media", time_zone=local_time_zone()
        )
    )
    automations = config_dir / "automations.yaml"
    if not automations.exists():
        automations.write_text("[]\n")
    # Written by setup once the camera's entities exist; until then an empty dashboard.
    dashboard = config_dir / DASHBOARD_FILE
    if not dashboard.exists():
        dashboard.write_text(json.dumps({"title": "LPR demo", "views": []}) + "\n")


def local_time_zone() -> str:
    """This machine's time zone (the zone /etc/localtime links to), UTC when it names none."""
    try:
        target = str(Path("/etc/localtime").readlink())
    except OSError:
        return "UTC"
    _, found, zone = target.partition("zoneinfo/")
    return zone if found and zone else "UTC"


def write_storage(storage: Path, port: int) -> None:
    """The web server's settings and the onboarding's first state, in Home Assistant's storage.

    Since 2026 an http: section in configuration.yaml is only tried for 5 minutes, after which
    Home Assistant restarts on the default (every address) unless a user confirms it.
    """
    from homeassistant.components import onboarding  # noqa: PLC0415 - seed alone needs them

    def write(key: str, version: int, minor_version: int, data: dict[str, Any]) -> None:
        document = {"version": version, "minor_version": minor_version, "key": key, "data": data}
        (storage / key).write_text(json.dumps(document, indent=2) + "\n")

    # Written as the confirmed ("stable") settings, on every run so that a changed port applies.
    # Before 2026 (the 2025.4 line of scripts/benchmark.py) there is no such storage: the http:
    # section of configuration.yaml is the settings.
    try:
        http_config = importlib.import_module("homeassistant.components.http.config")
    except ImportError:
        http_config = None
    if http_config is not None:
        stable = http_config.HTTP_STORAGE_SCHEMA({"server_host": [LOOPBACK], "server_port": port})
        stable |= {
            "created_at": datetime.now(UTC).isoformat(),
            "error": None,
            "error_message": None,
        }
        write(
            http_config.STORAGE_KEY,
            http_config.STORAGE_VERSION,
            http_config.STORAGE_MINOR_VERSION,
            {"stable": stable, "pending": None, "yaml_migration_done": True},
        )
    # The onboarding's location step starts integrations that reach the internet (weather, radio,
    # text-to-speech): mark it done; setup runs the other steps through the onboarding API.
    if not (storage / onboarding.STORAGE_KEY).exists():
        write(onboarding.STORAGE_KEY, onboarding.STORAGE_VERSION, 1, {"done": ["core_config"]})


def point_at_frigate(path: Path, ports: tuple[int, int] | None) -> None:
    """The entries of MQTT and of the Frigate source at this run's ports; without, disabled.

    Home Assistant is not running yet: its storage is the entries' only copy. Disabled rather
    than removed, they keep their entities' ids for a later run with mosquitto.
    """
    if not path.exists():
        return
    document = json.loads(path.read_text())
    for entry in document["data"]["entries"]:
        if entry["domain"] != "mqtt" and not is_source(entry):
            continue
        entry["disabled_by"] = None if ports else "user"
        if ports and entry["domain"] == "mqtt":
            entry["data"] |= {"broker": LOOPBACK, "port": ports[0]}
        elif ports:
            entry["data"]["url"] = f"http://{LOOPBACK}:{ports[1]}"
    path.write_text(json.dumps(document, indent=2) + "\n")


def main() -> None:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True)
    command = commands.add_parser("seed")
    command.add_argument("config_dir")
    command.add_argument("port", type=int)
    command.add_argument("--frigate", type=int, nargs=2, metavar=("MQTT_PORT", "API_PORT"))
    command.set_defaults(run=seed)
    command = commands.add_parser("setup")
    command.add_argument("url")
    command.add_argument("config_dir")
    command.add_argument("camera_port", type=int)
    command.add_argument("--timeout", type=float, default=300)
    command.add_argument("--watch", type=int, action="append", default=[])
    command.add_argument("--frigate", type=int, nargs=2, metavar=("MQTT_PORT", "API_PORT"))
    command.set_defaults(run=setup)
    command = commands.add_parser("check")
    command.add_argument("url")
    command.add_argument("out_dir")
    command.add_argument("--timeout", type=float, default=60)
    command.add_argument("--frigate", action="store_true", help="check the Frigate source too")
    command.set_defaults(run=check)
    command = commands.add_parser("login-url")
    command.add_argument("url")
    command.add_argument("path")
    command.set_defaults(run=login_url)
    args = parser.parse_args()
    try:
        args.run(args)
    except DemoError as err:
        print(f"demo: {err}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
