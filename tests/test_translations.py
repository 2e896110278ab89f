"""The shipped translations: English is strings.json resolved, every other language is complete."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import translation
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.lpr_camera.const import DOMAIN
from simulator.tcp import CameraSimulator

from .common import site_entry

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


@pytest.mark.parametrize("language", LANGUAGES)
async def test_home_assistant_serves_the_language(hass: HomeAssistant, language: str) -> None:
    """What the frontend asks for when a user's language is set: this file's texts, not English."""
    served = await translation.async_get_translations(hass, language, "config", [DOMAIN])
    title = served[f"component.{DOMAIN}.config.step.user.title"]
    assert title == GENERATOR["load"](language)["config"]["step"]["user"]["title"]
    assert title != GENERATOR["load"]("en")["config"]["step"]["user"]["title"]


async def test_entities_are_named_in_home_assistants_language(
    hass: HomeAssistant, config_entry: MockConfigEntry, camera: CameraSimulator
) -> None:
    hass.config.language = "ko"
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await camera.wait_for_client()
    entities = er.async_entries_for_config_entry(er.async_get(hass), config_entry.entry_id)
    last_plate = next(entity for entity in entities if entity.translation_key == "last_plate")
    state = hass.states.get(last_plate.entity_id)
    assert state is not None
    assert state.attributes["friendly_name"].endswith(" 마지막 번호판")


async def test_known_vehicles_are_shown_in_home_assistants_language(hass: HomeAssistant) -> None:
    """Their titles and devices' models are plain text, so they are written in its language."""
    hass.config.language = "de"
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    for vehicle in (
        {"plate": "X 99", "name": "Repo man", "list": "deny"},
        {"plate": "CL 1", "weekdays": ["sat", "sun"], "start": "08:00", "end": "12:00"},
    ):
        await hass.services.async_call(DOMAIN, "add_known_plate", vehicle, blocking=True)
    await hass.async_block_till_done()

    site = site_entry(hass)
    weekend = "Zufahrtsberechtigung Samstag, Sonntag 08:00–12:00"
    assert sorted(subentry.title for subentry in site.subentries.values()) == [
        f"CL 1 · {weekend}",
        "⛔ Repo man · X 99 · Sperrliste",
    ]
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), site.entry_id)
    assert sorted(str(device.model) for device in devices if device.name != site.title) == [
        "Bekanntes Fahrzeug · CL 1 · Erlaubnisliste · " + weekend,
        "Bekanntes Fahrzeug · X 99 · Sperrliste",
    ]
