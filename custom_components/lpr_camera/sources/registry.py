"""Every type of source, and the config flow's menu of them."""

from __future__ import annotations

from . import SourceForm, SourceType, action, frigate
from .bus_event import EVENT_FORMS, EVENT_SOURCE
from .entity import ENTITY_FORMS, ENTITY_SOURCE

SOURCE_TYPES: dict[str, SourceType] = {
    source_type.key: source_type
    for source_type in (
        frigate.SOURCE_TYPE,
        action.SOURCE_TYPE,
        ENTITY_SOURCE,
        EVENT_SOURCE,
    )
}
# The "Another plate reader" menu, in its order: each a form of the config flow.
SOURCE_FORMS: tuple[SourceForm, ...] = (
    frigate.FORM,
    *ENTITY_FORMS,
    *EVENT_FORMS,
    action.FORM,
)
