"""The UI strings of the templates: extracted with Babel, shipped translations, compiled in memory."""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.support import Translations
from tilmash.i18n import is_reviewed, parse_catalog

UI_DOMAIN = "ui"


def ui_template() -> Catalog:
    """Every `_()` and `{% trans %}` string of the default theme, via Babel's Jinja2 extractor."""
    template = Catalog(domain=UI_DOMAIN, project="Tilmash newsroom", charset="utf-8")
    directory = resources.files("tilmash.render").joinpath("templates")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(directory),
        method_map=[("*.html", "jinja2.ext:babel_extract")],
        options_map={"*.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        template.add(
            message, locations=[(f"templates/{filename}", lineno)], auto_comments=comments, context=context
        )
    return template


def shipped_translations(locale: str) -> dict[str, str]:
    """Reviewed UI translations shipped with Tilmash, to seed a newsroom's ui.po."""
    resource = resources.files("tilmash.render").joinpath(f"locale/{locale}/ui.po")
    if not resource.is_file():
        return {}
    catalog = parse_catalog(resource.read_bytes(), Path(str(resource)), locale)
    return {str(m.id): str(m.string) for m in catalog if m.id and is_reviewed(m)}


def compiled(catalog: Catalog) -> Translations:
    """gettext translations from the reviewed entries of `catalog` (fuzzy ones are skipped)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=UI_DOMAIN)
