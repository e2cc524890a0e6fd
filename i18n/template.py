"""Article → catalog template (the POT): one entry per translatable unit."""

from __future__ import annotations

import hashlib

from babel.messages.catalog import Catalog

from tilmash.sources import Article

PROJECT = "Tilmash newsroom"


def _release() -> str:
    from tilmash import __version__

    return __version__


def template_version(article: Article, source_ref: str) -> str:
    """A digest of everything the POT is made from, written as its Project-Id-Version.

    Units (text, ids, lines, placeholders), the `#:` file name and the Tilmash release
    that segmented them: a POT on disk carrying the same version is up to date, which a
    run can tell without rendering the POT again.
    """
    made_from = repr((source_ref, article.slug, article.blocks, _release()))
    return hashlib.sha256(made_from.encode("utf-8")).hexdigest()[:16]


def is_current_template(data: bytes, version: str) -> bool:
    """Does the POT `data` carry this `template_version`?"""
    return f'"Project-Id-Version: {PROJECT} {version}\\n"'.encode() in data[:1024]


def article_template(article: Article, source_ref: str) -> Catalog:
    """A POT for `article`; `source_ref` is the source file as written in `#:` lines."""
    template = Catalog(
        domain=article.slug,
        project=PROJECT,
        version=template_version(article, source_ref),
        charset="utf-8",
        fuzzy=False,
    )
    for block in article.blocks:
        if not block.translatable:
            continue
        comments = [block.kind] + [p.describe() for p in block.placeholders]
        unit = template.add(
            block.text, locations=[(source_ref, block.line)], auto_comments=comments, context=block.id
        )
        # Article text is prose, not a format string: Babel's guess ("25% of" looks like
        # python-format) would make msgfmt --check refuse an ordinary translation.
        unit.flags -= {"python-format", "python-brace-format"}
    return template
