"""Per-locale feeds: Atom 1.0 and RSS 2.0 built by feedgen (on lxml), JSON Feed 1.1 by `json`."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING

from tilmash.render.pages import article_path
from tilmash.render.policy import LocalizedArticle
from tilmash.render.settings import SiteSettings

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

Body = Callable[[LocalizedArticle], str]
EPOCH = "1970-01-01T00:00:00+00:00"


def entry_id(settings: SiteSettings, locale: str, slug: str) -> str:
    """Stable across runs: the canonical URL of the article's page in that locale."""
    return settings.url(article_path(locale, slug))


def _generator(
    settings: SiteSettings,
    locale: str,
    editions: Sequence[LocalizedArticle],
    body: Body,
    self_link: tuple[str, str],
    text_as_html: Callable[[str], str] = str,
) -> FeedGenerator:
    """`self_link` is the feed's own file and type; `text_as_html` turns plain text into what a
    field readers decode as HTML must hold (RSS)."""
    from feedgen.feed import FeedGenerator  # here: a run whose feeds are kept unread never loads it

    feed = FeedGenerator()
    feed.id(settings.url(f"{locale}/"))
    feed.title(settings.site_title(locale))
    feed.description(text_as_html(settings.site_title(locale)))
    feed.language(settings.html_lang(locale))
    name, kind = self_link
    feed.link(href=settings.url(f"{locale}/{name}"), rel="self", type=kind)
    # After the self link: feedgen makes the last link the RSS channel's <link>, the site.
    feed.link(href=settings.url(f"{locale}/index.html"), rel="alternate", type="text/html")
    feed.generator("Tilmash")
    latest = max((settings.local(e.modified) for e in editions), default=None)
    feed.updated(latest or EPOCH)
    feed.lastBuildDate(latest or EPOCH)
    for edition in sorted(editions, key=lambda e: (e.article.date, e.article.slug)):
        article = edition.article
        entry = feed.add_entry()
        entry.id(entry_id(settings, locale, article.slug))
        entry.guid(entry_id(settings, locale, article.slug), permalink=True)
        entry.title(edition.text("title"))
        entry.link(href=settings.url(article_path(locale, article.slug)), rel="alternate")
        entry.published(settings.local(article.date))
        entry.updated(settings.local(edition.modified))
        if article.author:
            entry.author(name=edition.name("author", article.author))
        if article.summary:
            entry.summary(text_as_html(edition.text("summary")))
        entry.content(body(edition), type="html")
        for tag in article.tags:
            entry.category(term=edition.name("tag", tag))
    return feed


def atom_feed(settings: SiteSettings, locale: str, editions: Sequence[LocalizedArticle], body: Body) -> bytes:
    feed = _generator(settings, locale, editions, body, ("atom.xml", "application/atom+xml"))
    return feed.atom_str(pretty=True)


def rss_feed(settings: SiteSettings, locale: str, editions: Sequence[LocalizedArticle], body: Body) -> bytes:
    """RSS 2.0; readers decode `<description>` as HTML, so the plain-text summary is escaped into it."""
    feed = _generator(settings, locale, editions, body, ("rss.xml", "application/rss+xml"), escape)
    return feed.rss_str(pretty=True)


def json_feed(settings: SiteSettings, locale: str, editions: Sequence[LocalizedArticle], body: Body) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), newest first."""
    items = []
    for edition in editions:
        article = edition.article
        item: dict[str, object] = {
            "id": entry_id(settings, locale, article.slug),
            "url": settings.url(article_path(locale, article.slug)),
            "title": edition.text("title"),
            "content_html": body(edition),
            "date_published": settings.local(article.date).isoformat(),
            "date_modified": settings.local(edition.modified).isoformat(),
            "language": settings.html_lang(locale),
        }
        if article.summary:
            item["summary"] = edition.text("summary")
        if article.author:
            item["authors"] = [{"name": edition.name("author", article.author)}]
        if article.tags:
            item["tags"] = [edition.name("tag", tag) for tag in article.tags]
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": settings.site_title(locale),
        "home_page_url": settings.url(f"{locale}/index.html"),
        "feed_url": settings.url(f"{locale}/feed.json"),
        "language": settings.html_lang(locale),
        "items": items,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
