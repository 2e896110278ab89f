"""The repository is what HACS and Home Assistant expect (scripts/check_repository.py)."""

from __future__ import annotations

import json
import runpy
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BRAND = ROOT / "custom_components" / "lpr_camera" / "brand"
CHECKS = runpy.run_path(str(ROOT / "scripts" / "check_repository.py"))


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's header (its IHDR chunk comes first)."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert header[12:16] == b"IHDR"
    return struct.unpack(">II", header[16:24])


def test_brand_images_have_the_sizes_home_assistant_expects() -> None:
    # The icon keeps its own colours on the dark theme; the logo's wordmark needs a dark one.
    sizes = {path.name: png_size(path) for path in BRAND.glob("*.png")}

    assert sizes == {
        "icon.png": (256, 256),
        "icon@2x.png": (512, 512),
        "logo.png": (1088, 256),
        "logo@2x.png": (2176, 512),
        "dark_logo.png": (1088, 256),
        "dark_logo@2x.png": (2176, 512),
    }


def test_the_repository_passes_its_checks() -> None:
    assert CHECKS["problems"]() == []


def test_wrong_brand_sizes_are_found() -> None:
    problems = list(
        CHECKS["brand_size_problems"](
            {
                "icon.png": (256, 256),
                "icon@2x.png": (500, 500),
                "logo.png": (512, 100),
                "dark_logo.png": (512, 128),
            }
        )
    )

    assert problems == [
        "brand/icon@2x.png: 500x500, should be 512x512",
        "brand/logo.png: 512x100, its shorter side should be 128-256 px",
        "brand/dark_logo.png: 512x128, its light image is 512x100",
    ]


def test_test_and_demo_code_in_the_shipped_folder_is_found(tmp_path: Path) -> None:
    integration = tmp_path / "custom_components" / "lpr_camera"
    files = {
        "__init__.py": "import asyncio\nfrom homeassistant.core import HomeAssistant\n",
        "lpr/__init__.py": "from .models import PlateRead\n",
        "lpr/tool.py": "import argparse\nfrom PIL import Image, ImageDraw\n",
        "lpr/simulator.py": "import asyncio\n",
        "lpr/fonts/Plate.ttf": "",
        "picture.py": "if False:\n    import pytest\n    from simulator.reads import make_jpeg\n",
        "test_flow.py": "",
        "conftest.py": "",
        "tests/helpers.py": "",
        "frontend/lpr-plate-log.js": "",
        "__pycache__/simulator.cpython-314.pyc": "",
    }
    for name, text in files.items():
        (integration / name).parent.mkdir(parents=True, exist_ok=True)
        (integration / name).write_text(text)

    problems = list(CHECKS["check_shipped_code"](tmp_path))

    shipped = "custom_components/lpr_camera"
    module = "a test or simulator module; it belongs in tests/ or simulator/"
    dev_only = "which only the simulator, tests and scripts use"
    assert problems == [
        f"{shipped}/conftest.py: {module}",
        f"{shipped}/lpr/fonts/Plate.ttf: a font; the simulator's fonts belong in simulator/fonts/",
        f"{shipped}/lpr/simulator.py: {module}",
        f"{shipped}/lpr/tool.py: imports PIL, {dev_only}",
        f"{shipped}/lpr/tool.py: imports argparse, {dev_only}",
        f"{shipped}/picture.py: imports pytest, {dev_only}",
        f"{shipped}/picture.py: imports simulator, {dev_only}",
        f"{shipped}/test_flow.py: {module}",
        f"{shipped}/tests/helpers.py: {module}",
    ]


@pytest.mark.parametrize(
    ("matcher", "problem"),
    [
        ({"macaddress": "1cc316*"}, "not a MAC prefix in capitals ending in *, such as 1CC316*"),
        ({"macaddress": "1CC316"}, "not a MAC prefix in capitals ending in *, such as 1CC316*"),
        ({"hostname": "MS*"}, "not in small letters"),
    ],
)
def test_dhcp_matchers_hassfest_refuses_are_found(
    tmp_path: Path, matcher: dict[str, str], problem: str
) -> None:
    """A MAC prefix in small letters or without its wildcard, a host name in capitals."""
    integration = tmp_path / "custom_components" / "lpr_camera"
    integration.mkdir(parents=True)
    manifest = json.loads((ROOT / "custom_components/lpr_camera/manifest.json").read_text())
    manifest["dhcp"] = [{"macaddress": "1CC316*"}, matcher]
    (integration / "manifest.json").write_text(json.dumps(manifest))
    (integration / "config_flow.py").write_text("")

    [found] = CHECKS["check_manifest"](tmp_path)

    assert found.startswith(f"manifest.json: {problem}")
    assert "dhcp" in found
