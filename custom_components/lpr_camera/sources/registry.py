"""Every type of source, and the config flow's menu of them."""

from __future__ import annotations

from . import SourceForm, SourceType, action

SOURCE_TYPES: dict[str, SourceType] = {
    source_type.key: source_type for source_type in (action.SOURCE_TYPE,)
}
# The "Another plate reader" menu, in its order: each a form of the config flow.
SOURCE_FORMS: tuple[SourceForm, ...] = (action.FORM,)
