"""Stage 2 (and 4): Articles ↔ gettext catalogs — templates, msgmerge-style sync, progress.

Names are loaded on first use (PEP 562), so `tilmash run` with nothing to do stays fast.
"""

from importlib import import_module
from typing import Any

_HOMES = {
    "CatalogError": "tilmash.i18n.pofile",
    "parse_catalog": "tilmash.i18n.pofile",
    "read_catalog": "tilmash.i18n.pofile",
    "render_catalog": "tilmash.i18n.powriter",
    "same_content": "tilmash.i18n.pofile",
    "same_entries": "tilmash.i18n.pofile",
    "Progress": "tilmash.i18n.progress",
    "catalog_progress": "tilmash.i18n.stats",
    "is_machine": "tilmash.i18n.entries",
    "is_reviewed": "tilmash.i18n.entries",
    "is_translated": "tilmash.i18n.entries",
    "messages": "tilmash.i18n.entries",
    "pending_messages": "tilmash.i18n.entries",
    "memory_key": "tilmash.i18n.sync",
    "memory_replaceable": "tilmash.i18n.sync",
    "memory_wanted": "tilmash.i18n.sync",
    "reviewed_pairs": "tilmash.i18n.sync",
    "new_catalog": "tilmash.i18n.sync",
    "sync_catalog": "tilmash.i18n.sync",
    "article_template": "tilmash.i18n.template",
    "is_current_template": "tilmash.i18n.template",
    "template_bytes": "tilmash.i18n.template",
    "template_version": "tilmash.i18n.template",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'i18n' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
