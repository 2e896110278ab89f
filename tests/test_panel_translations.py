"""The panel's strings: every language says everything English says, with the same placeholders."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

FRONTEND = (
    Path(__file__).resolve().parent.parent / "custom_components/lpr_camera/plate_log/frontend"
)
TRANSLATIONS = FRONTEND / "translations"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def strings(language: str) -> dict[str, str]:
    loaded: dict[str, str] = json.loads((TRANSLATIONS / f"{language}.json").read_text("utf-8"))
    return loaded


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def shipped_languages() -> list[str]:
    """The languages the panel module offers (its LANGUAGES list)."""
    source = (FRONTEND / "lpr-plate-log.js").read_text("utf-8")
    found = re.search(r"const LANGUAGES = \[([^\]]*)\]", source)
    assert found, "lpr-plate-log.js has no LANGUAGES list"
    return re.findall(r'"([a-z-]+)"', found.group(1))


def test_panel_offers_exactly_the_translated_languages() -> None:
    files = sorted(path.stem for path in TRANSLATIONS.glob("*.json"))
    assert sorted(shipped_languages()) == files


@pytest.mark.parametrize("language", [lang for lang in shipped_languages() if lang != "en"])
def test_language_has_every_string_with_its_placeholders(language: str) -> None:
    english = strings("en")
    local = strings(language)
    assert set(local) == set(english), {
        "missing": sorted(set(english) - set(local)),
        "extra": sorted(set(local) - set(english)),
    }
    mismatched = {
        key: text for key, text in local.items() if placeholders(text) != placeholders(english[key])
    }
    assert not mismatched
    assert all(text.strip() for text in local.values())


def test_every_string_the_panel_asks_for_is_in_english() -> None:
    """Keys the module names in full (a template like `match.${match}` is checked by its stem)."""
    source = (FRONTEND / "lpr-plate-log.js").read_text("utf-8")
    english = strings("en")
    literal = set(re.findall(r'\bt\("([a-z_.0-9]+)"', source))
    assert literal
    assert literal <= set(english), sorted(literal - set(english))
    stems = set(re.findall(r"\bt\(`([a-z_]+\.)\$\{", source))
    assert stems
    assert all(any(key.startswith(stem) for key in english) for stem in stems), stems
