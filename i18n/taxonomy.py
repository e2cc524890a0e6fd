"""Tags and bylines, translated once per locale: the template of `i18n/<locale>/_taxonomy.po`.

One entry per tag (msgctxt `tag`) and per author (msgctxt `author`) of every article, so
"energy" or "Press Office" is translated and reviewed once, like any unit, not once per
article. Tag URLs keep the English name: a translation never breaks a link.
"""

from __future__ import annotations

from collections.abc import Iterable

from babel.messages.catalog import Catalog

from tilmash.i18n.sync import is_reviewed, is_translated
from tilmash.sources import Article

TAXONOMY_DOMAIN = "taxonomy"
KINDS = ("tag", "author")


def taxonomy_template(
    articles: Iterable[Article], source_ref: dict[str, str], existing: Catalog | None = None
) -> Catalog:
    """A POT with every tag and author name; `source_ref` gives each article's `#:` file name.

    A name translated in `existing` stays even when no article uses it now (an article that
    failed to parse this run, a tag used again later): a translation is never made obsolete.
    """
    used: dict[tuple[str, str], list[str]] = {
        (str(m.context), m.id): []
        for m in existing or ()
        if m.context in KINDS and isinstance(m.id, str) and is_translated(m)
    }
    for article in articles:
        names = [("tag", tag) for tag in article.tags] + (
            [("author", article.author)] if article.author else []
        )
        for key in names:
            used.setdefault(key, []).append(source_ref.get(article.slug, article.slug))
    template = Catalog(domain=TAXONOMY_DOMAIN, project="Tilmash newsroom", charset="utf-8", fuzzy=False)
    for (kind, name), files in sorted(used.items()):
        template.add(
            name,
            locations=[(f, None) for f in sorted(set(files))],  # type: ignore[misc]  # no line: as Babel reads `#: file`
            auto_comments=[kind],
            context=kind,
        )
    return template


def reviewed_names(
    catalog: Catalog | None, skip: Iterable[tuple[str, str]] = ()
) -> dict[tuple[str, str], str]:
    """(kind, English name) → reviewed translation; keys in `skip` (failed the gate) are left out."""
    left_out = set(skip)
    names = {}
    for message in catalog or ():
        key = (str(message.context), str(message.id))
        if message.context in KINDS and isinstance(message.id, str) and is_reviewed(message):
            if key not in left_out:
                names[key] = str(message.string)
    return names
