"""Check locally what HACS's action and Home Assistant's hassfest check in CI, and a little more.

    python scripts/check_repository.py      (scripts/check_repository runs it in the right venv)

Prints one line per problem and exits 1 if there is any. The checks:
- hacs.json has only the keys HACS knows (HACS rejects any other) and the one it needs;
- manifest.json has the keys HACS and hassfest need, in hassfest's order (domain, name, then
  alphabetical), a version, and the files its flags promise;
- the brand images have the names and sizes Home Assistant serves (2026.3 and newer);
- translations/en.json is strings.json resolved (scripts/gen_translations.py) and every
  language has exactly its keys;
- quality_scale.yaml rates every rule of Home Assistant's current list, and no other;
- custom_components/lpr_camera/, which HACS installs on every user's Home Assistant, holds runtime
  code only: no simulator, font or test module, nothing importing what only they use.
"""

from __future__ import annotations

import ast
import json
import struct
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import homeassistant.util.yaml as ha_yaml  # before voluptuous, which 2026.10 replaces
import voluptuous as vol
from awesomeversion import AwesomeVersion

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "lpr_camera"

# HACS's HACS_MANIFEST_JSON_SCHEMA (hacs/integration, custom_components/hacs/utils/validate.py).
HACS_JSON = vol.Schema(
    {
        vol.Optional("content_in_root"): bool,
        vol.Optional("country"): vol.Any(str, [str]),
        vol.Optional("filename"): str,
        vol.Optional("hacs"): str,
        vol.Optional("hide_default_branch"): bool,
        vol.Optional("homeassistant"): str,
        vol.Optional("persistent_directory"): str,
        vol.Optional("render_readme"): bool,
        vol.Optional("zip_release"): bool,
        vol.Required("name"): str,
    },
    extra=vol.PREVENT_EXTRA,
)
URL = vol.Match(r"^https://")
# hassfest's DHCP matchers: a MAC prefix in capitals with a wildcard (Home Assistant matches its
# first 6 digits, the OUI), a host name in small letters.
DHCP_MATCHER = vol.Schema(
    {
        vol.Optional("macaddress"): vol.Match(
            r"^[0-9A-F]{6,}\*$", msg="not a MAC prefix in capitals ending in *, such as 1CC316*"
        ),
        vol.Optional("hostname"): vol.Match(r"^[^A-Z]+$", msg="not in small letters"),
        vol.Optional("registered_devices"): bool,
    },
    extra=vol.PREVENT_EXTRA,
)
# What HACS (INTEGRATION_MANIFEST_JSON_SCHEMA) and hassfest (for a custom integration) require.
MANIFEST = vol.Schema(
    {
        vol.Required("domain"): DOMAIN,
        vol.Required("name"): str,
        vol.Required("codeowners"): [vol.Match(r"^@")],
        vol.Required("documentation"): URL,
        vol.Required("issue_tracker"): URL,
        vol.Required("integration_type"): vol.In(
            ["device", "entity", "hardware", "helper", "hub", "service", "system", "virtual"]
        ),
        vol.Required("iot_class"): vol.In(
            [
                "assumed_state",
                "calculated",
                "cloud_polling",
                "cloud_push",
                "local_polling",
                "local_push",
            ]
        ),
        vol.Required("version"): vol.All(str, vol.Coerce(AwesomeVersion)),
        vol.Optional("config_flow"): bool,
        vol.Optional("dependencies"): [str],
        vol.Optional("dhcp"): [DHCP_MATCHER],
        vol.Optional("after_dependencies"): [str],
        vol.Optional("requirements"): [str],
        vol.Optional("loggers"): [str],
        vol.Optional("quality_scale"): str,
    },
    extra=vol.ALLOW_EXTRA,
)
# The brand images Home Assistant serves for a custom integration, and their sizes: an icon of
# 256 px, a logo whose shorter side is 128 to 256 px, each @2x twice that, a dark_ one as its
# light one.
ICON_SIZE = (256, 256)
LOGO_SHORT_SIDE = range(128, 257)
BRAND_IMAGES = {
    f"{theme}{kind}{scale}.png"
    for theme in ("", "dark_")
    for kind in ("icon", "logo")
    for scale in ("", "@2x")
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_COLOUR_TYPES_WITH_ALPHA = {4, 6}
# Home Assistant's quality scale rules (script/hassfest/quality_scale.py, 2026.10).
QUALITY_SCALE_RULES = {
    "bronze": (
        "action-setup appropriate-polling brands common-modules config-flow "
        "config-flow-test-coverage dependency-transparency docs-actions docs-conditions "
        "docs-high-level-description docs-installation-instructions docs-removal-instructions "
        "docs-triggers entity-event-setup entity-unique-id has-entity-name runtime-data "
        "test-before-configure test-before-setup unique-config-entry"
    ),
    "silver": (
        "action-exceptions config-entry-unloading docs-configuration-parameters "
        "docs-installation-parameters entity-unavailable integration-owner log-when-unavailable "
        "parallel-updates reauthentication-flow test-coverage"
    ),
    "gold": (
        "devices diagnostics discovery discovery-update-info docs-data-update docs-examples "
        "docs-known-limitations docs-supported-devices docs-supported-functions "
        "docs-troubleshooting docs-use-cases dynamic-devices entity-category entity-device-class "
        "entity-disabled-by-default entity-translations exception-translations icon-translations "
        "reconfiguration-flow repair-issues stale-devices"
    ),
    "platinum": "async-dependency inject-websession strict-typing",
}
RULE_STATUSES = {"done", "todo", "exempt"}
# What the simulator (simulator/), the tests and the scripts use and the shipped code never does:
# a command line, Pillow's drawing, the test tools, and those two packages themselves.
DEV_ONLY_MODULES = frozenset(
    {
        "argparse",
        "PIL",
        "hypothesis",
        "pytest",
        "pytest_homeassistant_custom_component",
        "selenium",
        "simulator",
        "tests",
    }
)
FONT_SUFFIXES = frozenset({".otf", ".ttf", ".woff", ".woff2"})


def check_hacs_json(root: Path) -> Iterator[str]:
    """hacs.json: HACS's schema; one integration to install."""
    hacs = json.loads((root / "hacs.json").read_text(encoding="utf-8"))
    yield from _schema_problems("hacs.json", HACS_JSON, hacs)
    integrations = [path.parent.name for path in root.glob("custom_components/*/manifest.json")]
    if integrations != [DOMAIN]:
        yield f"custom_components/: HACS installs one integration, found {integrations}"


def check_manifest(root: Path) -> Iterator[str]:
    """manifest.json: the keys, their order, and the files its flags promise."""
    integration = root / "custom_components" / DOMAIN
    manifest = json.loads((integration / "manifest.json").read_text(encoding="utf-8"))
    yield from _schema_problems("manifest.json", MANIFEST, manifest)
    keys = list(manifest)
    first = [key for key in ("domain", "name") if key in keys]
    wanted = first + sorted(key for key in keys if key not in first)
    if keys != wanted:
        yield f"manifest.json: keys in the order hassfest writes them: {wanted}"
    if manifest.get("config_flow") and not (integration / "config_flow.py").is_file():
        yield "manifest.json: config_flow is true but there is no config_flow.py"


def check_brand(root: Path) -> Iterator[str]:
    """brand/: known names, PNGs with transparency, the sizes Home Assistant expects."""
    brand = root / "custom_components" / DOMAIN / "brand"
    sizes: dict[str, tuple[int, int]] = {}
    for path in sorted(brand.iterdir()):
        if path.name not in BRAND_IMAGES:
            yield f"brand/{path.name}: not one of the images Home Assistant serves"
            continue
        header = path.read_bytes()[:26]
        if header[:8] != PNG_SIGNATURE or header[12:16] != b"IHDR":
            yield f"brand/{path.name}: not a PNG"
            continue
        sizes[path.name] = struct.unpack(">II", header[16:24])
        if header[25] not in PNG_COLOUR_TYPES_WITH_ALPHA:
            yield f"brand/{path.name}: no transparency (an RGBA or grey-alpha PNG)"
    yield from brand_size_problems(sizes)


def brand_size_problems(sizes: Mapping[str, tuple[int, int]]) -> Iterator[str]:
    """What is wrong with these brand images' sizes (width, height by file name)."""
    if "icon.png" not in sizes:
        yield "brand/icon.png: missing (every other image falls back to it)"
    for name, (width, height) in sizes.items():
        plain = name.removeprefix("dark_").replace("@2x", "")
        if name.startswith("dark_") and name.removeprefix("dark_") in sizes:
            if (light := sizes[name.removeprefix("dark_")]) != (width, height):
                yield f"brand/{name}: {width}x{height}, its light image is {light[0]}x{light[1]}"
            continue
        scale = 2 if "@2x" in name else 1
        if plain == "icon.png" and (width, height) != (ICON_SIZE[0] * scale, ICON_SIZE[1] * scale):
            yield f"brand/{name}: {width}x{height}, should be {256 * scale}x{256 * scale}"
        if plain == "logo.png":
            yield from _logo_size_problems(name, (width, height), sizes)


def _logo_size_problems(
    name: str, size: tuple[int, int], sizes: Mapping[str, tuple[int, int]]
) -> Iterator[str]:
    width, height = size
    scale = 2 if "@2x" in name else 1
    if min(width, height) // scale not in LOGO_SHORT_SIDE:
        shortest, longest = LOGO_SHORT_SIDE[0] * scale, LOGO_SHORT_SIDE[-1] * scale
        yield f"brand/{name}: {width}x{height}, its shorter side should be {shortest}-{longest} px"
    single = sizes.get(name.replace("@2x", ""))
    if scale == 2 and single is not None and size != (single[0] * 2, single[1] * 2):
        yield f"brand/{name}: {width}x{height}, not twice {single[0]}x{single[1]}"


def check_translations(root: Path) -> Iterator[str]:
    """en.json is strings.json resolved; every language has exactly en.json's keys."""
    import runpy  # noqa: PLC0415 - the generator is a script, loaded when checked

    translations = root / "custom_components" / DOMAIN / "translations"
    english: Callable[[], str] = runpy.run_path(str(root / "scripts" / "gen_translations.py"))[
        "english"
    ]
    en_file = translations / "en.json"
    if en_file.read_text(encoding="utf-8") != english():
        yield "translations/en.json: not strings.json resolved; run scripts/gen_translations.py"
    en_keys = set(_key_paths(json.loads(en_file.read_text(encoding="utf-8"))))
    for path in sorted(translations.glob("*.json")):
        keys = set(_key_paths(json.loads(path.read_text(encoding="utf-8"))))
        for key in sorted(en_keys - keys):
            yield f"translations/{path.name}: missing {key}"
        for key in sorted(keys - en_keys):
            yield f"translations/{path.name}: {key} is not in strings.json"


def check_quality_scale(root: Path) -> Iterator[str]:
    """Every current rule rated (done, todo, or exempt with the reason), no unknown rule."""
    path = root / "custom_components" / DOMAIN / "quality_scale.yaml"
    rules: dict[str, Any] = ha_yaml.load_yaml_dict(path)["rules"]
    known = {rule for names in QUALITY_SCALE_RULES.values() for rule in names.split()}
    for rule in sorted(known - rules.keys()):
        yield f"quality_scale.yaml: {rule} is not rated"
    for rule in sorted(rules.keys() - known):
        yield f"quality_scale.yaml: {rule} is no rule of Home Assistant's quality scale"
    for rule, rating in rules.items():
        status = rating["status"] if isinstance(rating, dict) else rating
        if status not in RULE_STATUSES:
            yield f"quality_scale.yaml: {rule}: {status!r} is not one of {sorted(RULE_STATUSES)}"
        elif status == "exempt" and not (isinstance(rating, dict) and rating.get("comment")):
            yield f"quality_scale.yaml: {rule} is exempt without a comment saying why"


def check_shipped_code(root: Path) -> Iterator[str]:
    """The integration's folder holds what runs in Home Assistant, nothing for tests or demos."""
    integration = root / "custom_components" / DOMAIN
    for path in sorted(integration.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        name = f"custom_components/{DOMAIN}/{path.relative_to(integration).as_posix()}"
        if path.suffix in FONT_SUFFIXES:
            yield f"{name}: a font; the simulator's fonts belong in simulator/fonts/"
        elif path.suffix == ".py" and _is_test_or_simulator(path.relative_to(integration)):
            yield f"{name}: a test or simulator module; it belongs in tests/ or simulator/"
        elif path.suffix == ".py":
            for module in sorted(_imported(path) & DEV_ONLY_MODULES):
                yield f"{name}: imports {module}, which only the simulator, tests and scripts use"


def _is_test_or_simulator(path: Path) -> bool:
    stem = path.stem
    return (
        stem in {"conftest", "simulator"}
        or stem.startswith("test_")
        or stem.endswith("_test")
        or "tests" in path.parts
    )


def _imported(path: Path) -> set[str]:
    """The top-level names of the modules a Python file imports (relative imports aside)."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.partition(".")[0])
    return modules


CHECKS = (
    check_hacs_json,
    check_manifest,
    check_brand,
    check_translations,
    check_quality_scale,
    check_shipped_code,
)


def problems(root: Path = ROOT) -> list[str]:
    """Every problem of the repository at root."""
    return [problem for check in CHECKS for problem in check(root)]


def _schema_problems(name: str, schema: vol.Schema, data: object) -> Iterator[str]:
    try:
        schema(data)
    except vol.MultipleInvalid as err:
        for error in err.errors:
            yield f"{name}: {error}"


def _key_paths(node: object, prefix: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _key_paths(value, f"{prefix}{key}.")
    else:
        yield prefix.removesuffix(".")


if __name__ == "__main__":
    found = problems()
    for problem in found:
        print(problem)
    print(f"check_repository: {len(found)} problem(s)" if found else "check_repository: all good")
    sys.exit(1 if found else 0)
