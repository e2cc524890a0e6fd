"""The UI strings of the templates: extracted with Babel, shipped translations, compiled in memory.

A theme string is formatted with `%` in the templates (`_('Page %(number)s')|format(…)`):
a translation whose fields do not fit the English would raise inside a template, or
silently drop what the field stands for. Such a translation is left out when the catalog
is compiled, so the page shows that one string in English and everything else publishes.
"""

from __future__ import annotations

import copy
import hashlib
import io
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.support import Translations

from tilmash.i18n import is_reviewed, is_translated, memory_key, parse_catalog
from tilmash.i18n.pyformat import python_format_errors, python_format_placeholders
from tilmash.render.page_keys import templates_digest

UI_DOMAIN = "ui"


def ui_template() -> Catalog:
    """Every `_()`, `ngettext()` and `{% trans %}` string of the default theme, via Babel's extractor."""
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


def shipped_translations(locale: str) -> dict[Any, Any]:
    """Reviewed UI translations shipped with Tilmash, to seed a newsroom's ui.po.

    Keyed by `memory_key`: a plural string's value is one text per plural form.
    """
    resource = resources.files("tilmash.render").joinpath(f"locale/{locale}/ui.po")
    if not resource.is_file():
        return {}
    catalog = parse_catalog(resource.read_bytes(), Path(str(resource)), locale)
    return {
        memory_key(m): tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string
        for m in catalog
        if m.id and is_reviewed(m)
    }


def format_problem(source: str, translation: str) -> str | None:
    """Why `translation` cannot stand in for `source` in `text % fields` (as `msgfmt --check`
    says); None when it can. A field unknown to the English or a lone `%` (write `%%`) would
    raise inside the template; a missing field silently drops what it stands for."""
    if not python_format_placeholders(source):
        return None  # not formatted by the templates: any % is shown as it is
    return python_format_errors(source, translation) or None


def unusable(catalog: Catalog) -> list[tuple[Message, str]]:
    """Reviewed theme translations that would break or garble a page, with the reason."""
    found = []
    for message in catalog:
        if not message.id or not is_reviewed(message):
            continue
        if isinstance(message.id, (list, tuple)):  # msgstr[0] answers the singular, the rest the plural
            forms = message.string if isinstance(message.string, list | tuple) else [str(message.string)]
            problems = [format_problem(message.id[min(i, 1)], form) for i, form in enumerate(forms)]
        else:
            problems = [format_problem(message.id, str(message.string))]
        problem = next((p for p in problems if p), None)
        if problem:
            found.append((message, problem))
    return found


def compiled_mo(catalog: Catalog, leave_out: Iterable[Message] = ()) -> bytes:
    """The MO file of the reviewed entries of `catalog`, but for `leave_out` (what a run may keep)."""
    usable = copy.deepcopy(catalog)
    for message in [*leave_out, *(m for m in catalog if m.id and not is_translated(m))]:
        usable.delete(message.id, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, usable, use_fuzzy=False)
    return buffer.getvalue()


def translations(mo: bytes) -> Translations:
    return Translations(io.BytesIO(mo), domain=UI_DOMAIN)


def theme_digest(locale: str) -> bytes:
    """The theme's templates and the UI translations shipped for `locale`: what `ui_template`
    and `shipped_translations` are made of (the templates hashed once per run, for every locale
    and the page keys)."""
    shipped = resources.files("tilmash.render").joinpath(f"locale/{locale}/ui.po")
    digest = hashlib.blake2b(templates_digest(), digest_size=20)
    digest.update(shipped.read_bytes() if shipped.is_file() else b"")
    return digest.digest()
