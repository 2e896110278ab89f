"""Every type of source, and the config flow's menu of them."""

from __future__ import annotations

from . import (
    SourceForm,
    SourceType,
    action,
    alpr_database,
    bus_event,
    entity,
    frigate,
    plate_recognizer,
)

SOURCE_TYPES: dict[str, SourceType] = {
    source_type.key: source_type
    for source_type in (
        frigate.SOURCE_TYPE,
        action.SOURCE_TYPE,
        entity.ENTITY_SOURCE,
        bus_event.EVENT_SOURCE,
        # The webhook sources.
        plate_recognizer.SOURCE_TYPE,
        alpr_database.SOURCE_TYPE,
    )
}
# The "Another plate reader" menu, in its order (each a form of the config flow): a product's
# forms side by side, the generic ones last.
SOURCE_FORMS: tuple[SourceForm, ...] = (
    frigate.FORM,
    entity.FRIGATE_PLATE_FORM,
    entity.UNIFI_PROTECT_FORM,
    plate_recognizer.FORM,
    bus_event.PLATE_RECOGNIZER_FORM,
    alpr_database.FORM,
    bus_event.DAHUA_FORM,
    bus_event.HIKVISION_FORM,
    entity.OTHER_ENTITY_FORM,
    bus_event.OTHER_EVENT_FORM,
    action.FORM,
)
