"""What the webhook sources' tests share: adding one as a user does, and a refused request."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import async_capture_events
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.lpr_camera.const import DOMAIN, EVENT_PLATE_RECOGNIZED

from .test_http import our_warnings


@dataclass(frozen=True, slots=True)
class WebhookSource:
    """A webhook source added: its entry, its device and the path its URL names."""

    entry: ConfigEntry
    device_id: str
    path: str


async def add_webhook_source(hass: HomeAssistant, step_id: str, **user_input: Any) -> WebhookSource:
    """Add the source through the config flow, as a user does: the menu, then its form.

    The URL the form shows is the one the source answers on.
    """
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "source"}
    )
    assert step_id in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": step_id}
    )
    assert result["type"] is FlowResultType.FORM
    url = result["description_placeholders"]["url"]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry = result["result"]
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return WebhookSource(entry, device.id, urlsplit(url).path)


async def assert_refused_once(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    request: dict[str, Any],
    status: int,
    reason: str,
) -> None:
    """Posted three times, the request is answered with the status and reason, no read made.

    One warning says why, not one per request, and neither a traceback nor the plate is logged.
    """
    client = await hass_client_no_auth()
    events = async_capture_events(hass, EVENT_PLATE_RECOGNIZED)
    caplog.set_level(logging.WARNING)
    for _ in range(3):
        response = await client.post(**request)
        assert response.status == status
        assert reason in await response.text()
    await hass.async_block_till_done()
    assert events == []
    [warning] = our_warnings(caplog)
    assert reason in warning.message
    assert "Traceback" not in caplog.text
    assert "X" * 33 not in caplog.text
