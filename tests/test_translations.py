"""The shipped English translations are strings.json with Home Assistant's common keys resolved."""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_english_translations_match_strings() -> None:
    generator = runpy.run_path(str(ROOT / "scripts" / "gen_translations.py"))
    shipped = ROOT / "custom_components" / "lpr_camera" / "translations" / "en.json"
    assert shipped.read_text(encoding="utf-8") == generator["english"](), (
        "run: python scripts/gen_translations.py"
    )
