"""The config flow's steps of the sources: the "Another plate reader" menu and its forms.

Every form is a `SourceForm` of a source module; this is the one place that shows, checks and
saves them, for adding a source and for reconfiguring it. A source entry keeps the form it was
made with (`CONF_SOURCE_FORM`), so reconfiguring shows that form again.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
)

from ..const import CONF_SOURCE_FORM
from ..form import async_describe_changes
from ..identity import entry_unique_id
from . import (
    FormState,
    SourceForm,
    action,
    alpr_database,
    bus_event,
    entity,
    frigate,
    plate_recognizer,
)
from .registry import SOURCE_FORMS

_FORMS = {form.step_id: form for form in SOURCE_FORMS}


class SourceFlow(ConfigFlow):
    """The steps that add (and reconfigure) a source; the integration's flow is one."""

    _form_state: FormState

    async def async_step_source(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Let the user pick the system that reads the plates."""
        return self.async_show_menu(step_id="source", menu_options=list(_FORMS))

    async def async_step_source_frigate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Frigate's licence plate recognition, over MQTT."""
        return await self._async_source_form(frigate.FORM, user_input)

    async def async_step_source_action(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Reads reported by scripts, automations and Node-RED."""
        return await self._async_source_form(action.FORM, user_input)

    # Entities and bus events of other integrations

    async def async_step_source_unifi_protect(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """UniFi Protect's vehicle event entity."""
        return await self._async_source_form(entity.UNIFI_PROTECT_FORM, user_input)

    async def async_step_source_frigate_plate(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Frigate's Last Recognized Plate sensor."""
        return await self._async_source_form(entity.FRIGATE_PLATE_FORM, user_input)

    async def async_step_source_entity(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Any other entity whose state or attribute is a plate."""
        return await self._async_source_form(entity.OTHER_ENTITY_FORM, user_input)

    async def async_step_source_dahua(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The dahua integration's dahua_anpr_recognized event."""
        return await self._async_source_form(bus_event.DAHUA_FORM, user_input)

    async def async_step_source_hikvision(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """hikvision_next's hikvision_next_event of an ANPR camera."""
        return await self._async_source_form(bus_event.HIKVISION_FORM, user_input)

    async def async_step_source_plate_recognizer(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Plate Recognizer's platerecognizer.vehicle_detected event."""
        return await self._async_source_form(bus_event.PLATE_RECOGNIZER_FORM, user_input)

    async def async_step_source_event(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Any other bus event that carries a plate."""
        return await self._async_source_form(bus_event.OTHER_EVENT_FORM, user_input)

    # The webhook sources.
    async def async_step_source_plate_recognizer_webhook(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Plate Recognizer Stream or Snapshot, by its webhook."""
        return await self._async_source_form(plate_recognizer.FORM, user_input)

    async def async_step_source_alpr_database(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Blue Iris and CodeProject.AI, by the body ALPR-Database takes."""
        return await self._async_source_form(alpr_database.FORM, user_input)

    async def _async_source_form(
        self, form: SourceForm, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Show a source's form; checked and not yet added, save it as an entry."""
        if self.source == SOURCE_RECONFIGURE:
            return await self._async_reconfigure_source(form, user_input)
        state = self.__dict__.setdefault("_form_state", {})
        errors: dict[str, str] = {}
        if user_input is not None:
            title, data, errors = await form.async_answer(self.hass, user_input, state)
            data[CONF_SOURCE_FORM] = form.step_id
            if not errors:
                if (unique_id := entry_unique_id(data)) in self._async_current_ids(False):
                    errors = {"base": "already_configured"}
                else:
                    await self.async_set_unique_id(unique_id)
                    return self.async_create_entry(title=title, data=data)
        return self._async_show_source_form(form, user_input, state, errors)

    async def async_step_reconfigure_source(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change what a source listens to: the form it was added with, filled in."""
        form = _FORMS[self._get_reconfigure_entry().data[CONF_SOURCE_FORM]]
        return await self._async_reconfigure_source(form, user_input)

    async def _async_reconfigure_source(
        self, form: SourceForm, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        entry = self._get_reconfigure_entry()
        state = self.__dict__.setdefault("_form_state", dict(entry.data))
        errors: dict[str, str] = {}
        if user_input is not None:
            _, data, errors = await form.async_answer(self.hass, user_input, state)
            data[CONF_SOURCE_FORM] = form.step_id
            unique_id = entry_unique_id(data)
            taken = unique_id != entry.unique_id and unique_id in self._async_current_ids(False)
            if taken and not errors:
                errors = {"base": "already_configured"}
            if not errors:
                return await self._async_save_source(entry, form, data, unique_id)
        return self._async_show_source_form(form, user_input or dict(entry.data), state, errors)

    async def _async_save_source(
        self, entry: ConfigEntry, form: SourceForm, data: dict[str, Any], unique_id: str
    ) -> ConfigFlowResult:
        changes = await async_describe_changes(
            self.hass, form.schema(self.hass), f"config.step.{form.step_id}", entry.data, data
        )
        result = self.async_update_reload_and_abort(
            entry, data=data, unique_id=unique_id, reason="saved" if changes else "unchanged"
        )
        result["description_placeholders"] = {"changes": changes}
        return result

    def _async_show_source_form(
        self,
        form: SourceForm,
        values: dict[str, Any] | None,
        state: FormState,
        errors: dict[str, str],
    ) -> ConfigFlowResult:
        """The form, once to add a source and once to reconfigure it: one step, one text."""
        return self.async_show_form(
            step_id=form.step_id,
            data_schema=self.add_suggested_values_to_schema(form.schema(self.hass), values),
            description_placeholders=form.placeholders(self.hass, state),
            errors=errors,
        )
