"""Per-locale feeds built with feedgen (which builds them with lxml)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from feedgen.feed import FeedGenerator

from render.policy import LocalizedArticle

if TYPE_CHECKING:
    from render.settings import SiteSettings


def entry_id(settings: "SiteSettings", locale: str, slug: str) -> str:
    """Stable across runs and hosts moves of the page: derived from base URL, locale and slug."""
    return f"{settings.url(f'{locale}/{slug}.html')}"


def atom_feed(
    settings: "SiteSettings",
    locale: str,
    editions: Sequence[LocalizedArticle],
    body: Callable[[LocalizedArticle], str],
) -> bytes:
    """Atom 1.0 for one locale: localized titles and summaries, full content, newest first."""
    feed = FeedGenerator()
    feed.id(settings.url(f"{locale}/"))
    feed.title(settings.site_title(locale))
    feed.language(settings.html_lang(locale))
    feed.link(href=settings.url(f"{locale}/atom.xml"), rel="self", type="application/atom+xml")
    feed.link(href=settings.url(f"{locale}/index.html"), rel="alternate", type="text/html")
    feed.generator("Tilmash")
    ordered = sorted(editions, key=lambda e: (e.article.date, e.article.slug))
    latest = max((e.article.updated or e.article.date for e in ordered), default=None)
    if latest is not None:
        feed.updated(latest)
    else:
        feed.updated("1970-01-01T00:00:00Z")
    for edition in ordered:
        article = edition.article
        entry = feed.add_entry()
        entry.id(entry_id(settings, locale, article.slug))
        entry.title(edition.text("title"))
        entry.link(href=settings.url(f"{locale}/{article.slug}.html"), rel="alternate")
        entry.published(article.date)
        entry.updated(article.updated or article.date)
        if article.author:
            entry.author(name=article.author)
        if article.summary:
            entry.summary(edition.text("summary"))
        entry.content(body(edition), type="html")
        for tag in article.tags:
            entry.category(term=tag)
    return feed.atom_str(pretty=True)
