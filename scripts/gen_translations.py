"""Write translations/en.json from strings.json, resolving Home Assistant's common keys.

Home Assistant resolves `[%key:common::...%]` only for its core integrations; a custom integration
ships the resolved English text. Run after editing strings.json:

    python scripts/gen_translations.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

INTEGRATION = Path(__file__).resolve().parent.parent / "custom_components" / "lpr_camera"
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


if __name__ == "__main__":
    (INTEGRATION / "translations" / "en.json").write_text(english(), encoding="utf-8")
