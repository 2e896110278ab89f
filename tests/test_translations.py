"""The shipped translations: English is strings.json resolved, every other language is complete."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "custom_components" / "lpr_camera" / "translations"
GENERATOR = runpy.run_path(str(ROOT / "scripts" / "gen_translations.py"))
LANGUAGES = ["de", "es", "fr", "it", "ko", "nl", "pl"]


def _problems(translation: dict[str, Any]) -> list[str]:
    found: list[str] = GENERATOR["problems"](translation)
    return found


def test_english_translations_match_strings() -> None:
    shipped = TRANSLATIONS / "en.json"
    assert shipped.read_text(encoding="utf-8") == GENERATOR["english"](), (
        "run: python scripts/gen_translations.py"
    )


def test_every_language_is_shipped() -> None:
    assert GENERATOR["languages"]() == LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_has_every_text_with_its_placeholders(language: str) -> None:
    """Same keys as strings.json, no empty text, the same `{placeholders}`, no raw reference."""
    assert _problems(GENERATOR["load"](language)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_file_is_formatted_like_english(language: str) -> None:
    """Readable diffs: two-space indents, letters as they are, the keys in strings.json's order."""
    shipped = (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    texts: dict[str, Any] = json.loads(shipped)
    assert shipped == json.dumps(texts, indent=2, ensure_ascii=False) + "\n"
    english_keys = list(GENERATOR["texts"](json.loads(GENERATOR["english"]())))
    assert list(GENERATOR["texts"](texts)) == english_keys


def test_problems_name_a_missing_text_and_a_lost_placeholder() -> None:
    """What the next person who adds a string sees: the key to translate, with its English."""
    german: dict[str, Any] = GENERATOR["load"]("de")
    del german["entity"]["sensor"]["speed"]
    german["exceptions"]["not_known"]["message"] = "Kein bekanntes Fahrzeug."
    assert _problems(german) == [
        "missing: entity.sensor.speed.name: 'Speed'",
        "placeholders differ from '{plate} is not a known vehicle.': exceptions.not_known.message",
    ]


def test_check_passes_on_the_shipped_files() -> None:
    checked = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, str(ROOT / "scripts" / "gen_translations.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (checked.returncode, checked.stdout) == (0, "")
