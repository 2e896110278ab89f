"""Config entries of before, brought up to date.

Config entries 1.1 have no unique id; 1.2 gives each its own (identity.py), as it is set up.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, LOGGER
from .identity import entry_unique_id

# An entry of a camera that another entry has too (the issue's id adds the entry's id).
ISSUE_DUPLICATE_CAMERA = "duplicate_camera"


async def async_migrate_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Give an entry of before its unique id (1.1 to 1.2); Home Assistant calls it at setup."""
    if entry.minor_version < 2:
        _async_give_unique_id(hass, entry)
    return True


@callback
def _async_give_unique_id(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """The entry's unique id, unless another entry of the same camera has it already.

    Before unique ids, one camera could be added twice, its host written in other letter case.
    The entry set up first keeps the id; the other stays set up, without one and at version
    1.1, under a repair issue. It tries again each time it is set up: it gets its id once the
    other is removed, or it is reconfigured to another camera.
    """
    unique_id = entry_unique_id(entry.data)
    holder = hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, unique_id)
    if holder is not None and holder.entry_id != entry.entry_id:
        LOGGER.warning(
            "%s is the same camera as %s: remove one of them (or reconfigure it)",
            entry.title,
            holder.title,
        )
        ir.async_create_issue(
            hass,
            DOMAIN,
            _duplicate_issue_id(entry),
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_DUPLICATE_CAMERA,
            translation_placeholders={"title": entry.title, "other": holder.title},
        )
        return
    hass.config_entries.async_update_entry(entry, unique_id=unique_id, minor_version=2)
    ir.async_delete_issue(hass, DOMAIN, _duplicate_issue_id(entry))


async def async_remove_entry(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """An entry removed: its repair issue goes, an entry waiting for its unique id takes it.

    (The waiting entry is set up again: its migration runs once more.)
    """
    ir.async_delete_issue(hass, DOMAIN, _duplicate_issue_id(entry))
    for waiting in hass.config_entries.async_entries(DOMAIN):
        if (
            waiting.minor_version < 2
            and waiting.state in (ConfigEntryState.LOADED, ConfigEntryState.SETUP_RETRY)
            and entry_unique_id(waiting.data) == entry.unique_id
        ):
            hass.config_entries.async_schedule_reload(waiting.entry_id)


def _duplicate_issue_id(entry: ConfigEntry) -> str:
    return f"{ISSUE_DUPLICATE_CAMERA}_{entry.entry_id}"
