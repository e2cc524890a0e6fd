"""Stage 2 (and 4): Articles ↔ gettext catalogs — templates, msgmerge-style sync, progress."""

from i18n.pofile import CatalogError, parse_catalog, read_catalog, render_catalog, same_content
from i18n.stats import Progress, catalog_progress, is_machine
from i18n.sync import SyncCounts, is_reviewed, new_catalog, sync_catalog
from i18n.template import article_template

__all__ = [
    "CatalogError",
    "Progress",
    "SyncCounts",
    "article_template",
    "catalog_progress",
    "is_machine",
    "is_reviewed",
    "new_catalog",
    "parse_catalog",
    "read_catalog",
    "render_catalog",
    "same_content",
    "sync_catalog",
]
