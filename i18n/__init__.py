"""Stage 2 (and 4): Articles ↔ gettext catalogs — templates, msgmerge-style sync, progress.

Names are loaded on first use (PEP 562), so `tilmash run` with nothing to do stays fast.
"""

from importlib import import_module
from typing import Any

_HOMES = {
    "CatalogError": "i18n.pofile",
    "parse_catalog": "i18n.pofile",
    "read_catalog": "i18n.pofile",
    "render_catalog": "i18n.pofile",
    "same_content": "i18n.pofile",
    "Progress": "i18n.progress",
    "catalog_progress": "i18n.stats",
    "is_machine": "i18n.stats",
    "SyncCounts": "i18n.sync",
    "is_reviewed": "i18n.sync",
    "new_catalog": "i18n.sync",
    "sync_catalog": "i18n.sync",
    "article_template": "i18n.template",
    "is_current_template": "i18n.template",
    "template_version": "i18n.template",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'i18n' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
