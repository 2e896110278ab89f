"""Write translations/en.json from strings.json and list what the other languages miss.

Home Assistant resolves `[%key:common::...%]` only for its core integrations; a custom integration
ships the resolved English text (and, in every other language, Home Assistant's own translation of
it). Run after editing strings.json:

    python scripts/gen_translations.py           # writes en.json, lists what each language misses
    python scripts/gen_translations.py --check   # writes nothing; exit status 1 on any problem
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

INTEGRATION = Path(__file__).resolve().parent.parent / "custom_components" / "lpr_camera"
TRANSLATIONS = INTEGRATION / "translations"
COMMON = {
    "common::config_flow::data::host": "Host",
    "common::config_flow::data::port": "Port",
    "common::config_flow::data::name": "Name",
    "common::config_flow::data::username": "Username",
    "common::config_flow::data::password": "Password",
    "common::config_flow::title::reauth": "Authentication expired for {name}",
    "common::config_flow::error::cannot_connect": "Failed to connect",
    "common::config_flow::error::invalid_auth": "Invalid authentication",
    "common::config_flow::error::unknown": "Unexpected error",
    "common::config_flow::abort::already_configured_device": "Device is already configured",
    "common::config_flow::abort::reauth_successful": "Re-authentication was successful",
    "common::config_flow::abort::reconfigure_successful": "Re-configuration was successful",
}
KEY = re.compile(r"\[%key:([^%]+)%\]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The frontend formats texts as ICU messages, where an apostrophe right before `{` starts a
# quotation: the placeholder would show as `{plate}` (French "l'{plate}", Italian "dell'{x}").
QUOTED_PLACEHOLDER = re.compile(r"['\u2019]\{")


def resolve(node: Any) -> Any:
    """Replace every common key reference by its English text."""
    if isinstance(node, dict):
        return {key: resolve(value) for key, value in node.items()}
    if isinstance(node, str):
        return KEY.sub(lambda match: COMMON[match.group(1)], node)
    return node


def english() -> str:
    """The content en.json must have."""
    strings = json.loads((INTEGRATION / "strings.json").read_text(encoding="utf-8"))
    return json.dumps(resolve(strings), indent=2, ensure_ascii=False) + "\n"


def texts(node: Any, path: str = "") -> dict[str, Any]:
    """Every text of a translation file by its dotted key."""
    if not isinstance(node, dict):
        return {path: node}
    found: dict[str, Any] = {}
    for key, value in node.items():
        found |= texts(value, f"{path}.{key}" if path else key)
    return found


def languages() -> list[str]:
    """The shipped languages beside English."""
    return sorted(file.stem for file in TRANSLATIONS.glob("*.json") if file.stem != "en")


def load(language: str) -> dict[str, Any]:
    """The shipped translation file of a language."""
    translation: dict[str, Any] = json.loads(
        (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    )
    return translation


def problems(translation: dict[str, Any]) -> list[str]:
    """What a translation lacks or gets wrong against strings.json, one line each."""
    wanted = texts(json.loads(english()))
    shipped = texts(translation)
    found = [f"missing: {key}: {wanted[key]!r}" for key in wanted if key not in shipped]
    found += [f"not in strings.json: {key}" for key in shipped if key not in wanted]
    for key, text in shipped.items():
        if key not in wanted:
            continue
        if not isinstance(text, str) or not text.strip():
            found.append(f"empty: {key}")
        elif KEY.search(text):
            found.append(f"unresolved reference (shown raw): {key}")
        elif set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(wanted[key])):
            found.append(f"placeholders differ from {wanted[key]!r}: {key}")
        elif QUOTED_PLACEHOLDER.search(text):
            found.append(f"apostrophe right before a placeholder: {key}")
    return found


def check() -> bool:
    """Print every problem of en.json and the other languages; True when there is none."""
    clean = True
    if (TRANSLATIONS / "en.json").read_text(encoding="utf-8") != english():
        print("en.json: out of date; run: python scripts/gen_translations.py")
        clean = False
    for language in languages():
        for problem in problems(load(language)):
            print(f"{language}.json: {problem}")
            clean = False
    return clean


if __name__ == "__main__":
    if "--check" not in sys.argv[1:]:
        (TRANSLATIONS / "en.json").write_text(english(), encoding="utf-8")
    sys.exit(0 if check() else 1)
