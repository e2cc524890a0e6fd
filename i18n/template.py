"""Article → catalog template (the POT): one entry per translatable unit."""

from __future__ import annotations

from babel.messages.catalog import Catalog

from sources import Article

PROJECT = "Tilmash newsroom"


def article_template(article: Article, source_ref: str) -> Catalog:
    """A POT for `article`; `source_ref` is the source file as written in `#:` lines."""
    template = Catalog(domain=article.slug, project=PROJECT, charset="utf-8", fuzzy=False)
    for block in article.blocks:
        if not block.translatable:
            continue
        comments = [block.kind] + [p.describe() for p in block.placeholders]
        template.add(block.text, locations=[(source_ref, block.line)], auto_comments=comments, context=block.id)
    return template
