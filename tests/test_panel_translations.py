"""The panel's strings: every language says everything English says, with the same placeholders.

And every field of a read the panel shows has its label, every word such a field holds its
translation: a field added to the read table (read.py) and forgotten here fails.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from custom_components.lpr_camera.const import (
    EVENT_TYPE_DENIED,
    EVENT_TYPE_KNOWN,
    EVENT_TYPE_UNKNOWN,
    ROLE_DIRECTION,
    ROLE_ENTRANCE,
    ROLE_EXIT,
)
from custom_components.lpr_camera.lpr.models import Direction
from custom_components.lpr_camera.lpr.passes import PassStatus
from custom_components.lpr_camera.read import Goes, ReadKey, keys
from custom_components.lpr_camera.site.known_vehicles import PlateList
from custom_components.lpr_camera.site.presence import PresenceChange

FRONTEND = (
    Path(__file__).resolve().parent.parent / "custom_components/lpr_camera/plate_log/frontend"
)
TRANSLATIONS = FRONTEND / "translations"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The fields whose values are words of a known set: the panel says each in the user's language.
WORDS: dict[str, set[str]] = {
    ReadKey.DIRECTION: set(Direction),
    ReadKey.EVENT_TYPE: {EVENT_TYPE_KNOWN, EVENT_TYPE_UNKNOWN, EVENT_TYPE_DENIED},
    ReadKey.KNOWN_LIST: set(PlateList),
    ReadKey.PRESENCE: set(PresenceChange),
    ReadKey.PASS_STATUS: set(PassStatus),
    ReadKey.CAMERA_ROLE: {ROLE_ENTRANCE, ROLE_EXIT, ROLE_DIRECTION},
}


def strings(language: str) -> dict[str, str]:
    loaded: dict[str, str] = json.loads((TRANSLATIONS / f"{language}.json").read_text("utf-8"))
    return loaded


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def source() -> str:
    """The panel's code: every module of the folder."""
    return "\n".join(path.read_text("utf-8") for path in sorted(FRONTEND.glob("*.js")))


def listed(name: str) -> list[str]:
    """The words of a list the panel's code declares: `const NAME = [...]` or a Set of one."""
    found = re.search(rf"const {name} = (?:new Set\()?\[([^\]]*)\]", source())
    assert found, f"the panel's modules have no {name}"
    return re.findall(r'"([a-z_-]+)"', found.group(1))


def shipped_languages() -> list[str]:
    """The languages the panel offers (its LANGUAGES list)."""
    return listed("LANGUAGES")


def shown_fields() -> list[str]:
    """The fields of a read the panel shows: the plate log's columns and details but the hidden."""
    hidden = set(listed("HIDDEN_FIELDS"))
    assert hidden <= set(ReadKey) | {"read_id"}, "a hidden field the read table does not have"
    return [key for key in keys(Goes.COLUMN | Goes.DETAIL) if key not in hidden]


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
    """Keys the modules name in full (a template like `period.${value}` is checked by its stem)."""
    code = source()
    english = strings("en")
    literal = set(re.findall(r'\bt\("([a-z_.0-9]+)"', code))
    assert literal
    assert literal <= set(english), sorted(literal - set(english))
    stems = set(re.findall(r"\bt\(`([a-z_]+\.)\$\{", code))
    assert stems
    assert all(any(key.startswith(stem) for key in english) for stem in stems), stems


@pytest.mark.parametrize("language", shipped_languages())
def test_every_field_the_panel_shows_has_its_label(language: str) -> None:
    local = strings(language)
    assert not [key for key in shown_fields() if f"fields.{key}" not in local]


def test_every_word_of_a_field_is_said_in_english() -> None:
    """(The other languages have every key English has.)"""
    english = strings("en")
    assert set(WORDS) <= set(shown_fields())
    expected = [f"{key}.{word}" for key, words in WORDS.items() for word in words]
    assert not [key for key in expected if key not in english]


def test_no_label_of_a_field_the_read_table_does_not_have() -> None:
    """A field renamed in the table leaves no label behind under its old word."""
    labelled = {key.removeprefix("fields.") for key in strings("en") if key.startswith("fields.")}
    assert labelled == set(shown_fields())
