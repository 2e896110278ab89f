"""What the webhook sources share: a webhook of their own, and a form that shows its URL.

Each source's webhook id is made once, when its form is first shown, and kept in the flow's
state: the URL the form shows is the one the entry gets. Reconfiguring shows the entry's own
(the state is the entry's data), which never changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import voluptuous as vol
from aiohttp import hdrs
from homeassistant.components import webhook
from homeassistant.const import CONF_NAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant

from ..webhook import RequestHandler, async_register_handler, webhook_url
from . import FormAnswer, FormState, SourceForm, SourceType, source_data

if TYPE_CHECKING:
    from ..coordinator import LprCameraCoordinator


def _webhook_id_of(state: FormState) -> str:
    """The source's webhook id: the entry's, or the one made for this flow."""
    return str(state.setdefault(CONF_WEBHOOK_ID, webhook.async_generate_id()))


def webhook_source_type(key: str, model: str, handle: RequestHandler) -> SourceType:
    """A source whose reads are POSTed to its webhook, identified by it (a secret, as a camera's).

    It cannot tell that it stopped sending: its Connection is a read within the activity window.
    """

    async def async_start(coordinator: LprCameraCoordinator) -> None:
        async_register_handler(coordinator, handle, (hdrs.METH_POST,))

    return SourceType(
        key=key,
        model=model,
        has_session=False,
        async_start=async_start,
        unique_id=lambda data: f"{key}:{data[CONF_WEBHOOK_ID]}",
    )


def webhook_form(
    step_id: str, source_type: str, default_name: str, settings: vol.Schema | None = None
) -> SourceForm:
    """A webhook source's form: its name and settings; its description shows the URL to paste.

    The settings are optional texts (an API key, say), saved as typed, empty when left out.
    """
    schema = vol.Schema({vol.Required(CONF_NAME, default=default_name): str})
    if settings is not None:
        schema = schema.extend(settings.schema)
    setting_keys = [str(key) for key in (settings.schema if settings is not None else {})]

    async def async_answer(
        hass: HomeAssistant, user_input: dict[str, Any], state: FormState
    ) -> FormAnswer:
        if not (name := str(user_input[CONF_NAME]).strip()):
            return "", {}, {CONF_NAME: "invalid_name"}
        values = {key: str(user_input.get(key) or "").strip() for key in setting_keys}
        data = source_data(source_type, **{CONF_WEBHOOK_ID: _webhook_id_of(state)}, **values)
        return name, data, {}

    return SourceForm(
        step_id=step_id,
        schema=lambda _hass: schema,
        async_answer=async_answer,
        placeholders=lambda hass, state: {"url": webhook_url(hass, _webhook_id_of(state))},
    )
