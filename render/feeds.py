"""Per-locale feeds: Atom 1.0 and RSS 2.0 written with lxml, JSON Feed 1.1 by `json`.

The XML is what feedgen 1.0 wrote for these feeds (the same elements in the same order,
serialized by lxml), made without it: feedgen and the date parser it loads took a cold run
~10 ms to import for two files. tests/test_feeds_out.py holds the two to the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING

from tilmash.render.pages import article_path
from tilmash.render.policy import LocalizedArticle
from tilmash.render.settings import SiteSettings

if TYPE_CHECKING:
    from lxml import etree

Body = Callable[[LocalizedArticle], str]
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # `updated` of a feed with no entries
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
RSS_DOCS = "http://www.rssboard.org/rss-specification"
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def entry_id(settings: SiteSettings, locale: str, slug: str) -> str:
    """Stable across runs: the canonical URL of the article's page in that locale."""
    return settings.url(article_path(locale, slug))


def rfc2822(moment: dt.datetime) -> str:
    """An RSS date (`Mon, 23 Nov 2026 00:00:00 +0000`), in English whatever the process's locale."""
    return f"{_DAYS[moment.weekday()]}, {moment:%d} {_MONTHS[moment.month - 1]} {moment:%Y %H:%M:%S %z}"


def _newest_first(editions: Sequence[LocalizedArticle]) -> list[LocalizedArticle]:
    return sorted(editions, key=lambda e: (e.article.date, e.article.slug), reverse=True)


def _updated(settings: SiteSettings, editions: Sequence[LocalizedArticle]) -> dt.datetime:
    return max((settings.local(e.modified) for e in editions), default=EPOCH)


def _child(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    from lxml import etree

    element = etree.SubElement(parent, tag, **attributes)
    if text is not None:
        element.text = text
    return element


def _document(root: etree._Element) -> bytes:
    from lxml import etree

    return etree.tostring(etree.ElementTree(root), pretty_print=True, encoding="UTF-8", xml_declaration=True)


def atom_feed(settings: SiteSettings, locale: str, editions: Sequence[LocalizedArticle], body: Body) -> bytes:
    from lxml import etree  # here: a run whose feeds are kept unread never loads it

    title = settings.site_title(locale)
    feed = etree.Element("feed", xmlns=ATOM, nsmap={})
    feed.attrib["{http://www.w3.org/XML/1998/namespace}lang"] = settings.html_lang(locale)
    _child(feed, "id", settings.url(f"{locale}/"))
    _child(feed, "title", title)
    _child(feed, "updated", _updated(settings, editions).isoformat())
    _child(feed, "link", href=settings.url(f"{locale}/atom.xml"), rel="self", type="application/atom+xml")
    _child(feed, "link", href=settings.url(f"{locale}/index.html"), rel="alternate", type="text/html")
    _child(feed, "generator", "Tilmash")
    _child(feed, "subtitle", title)
    for edition in _newest_first(editions):
        article = edition.article
        url = entry_id(settings, locale, article.slug)
        entry = _child(feed, "entry")
        _child(entry, "id", url)
        _child(entry, "title", edition.text("title"))
        _child(entry, "updated", settings.local(edition.modified).isoformat())
        if article.author:
            _child(_child(entry, "author"), "name", edition.name("author", article.author))
        _child(entry, "content", body(edition) or None, type="html")
        _child(entry, "link", href=url)  # no rel: feedgen 1.0 never wrote an entry link's attributes
        if article.summary:
            _child(entry, "summary", edition.text("summary"))
        for tag in article.tags:
            _child(entry, "category", term=edition.name("tag", tag))
        _child(entry, "published", settings.local(article.date).isoformat())
    return _document(feed)


def rss_feed(settings: SiteSettings, locale: str, editions: Sequence[LocalizedArticle], body: Body) -> bytes:
    """RSS 2.0; readers decode `<description>` as HTML, so the plain-text summary is escaped into it."""
    from lxml import etree

    title = settings.site_title(locale)
    rss = etree.Element("rss", version="2.0", nsmap={"atom": ATOM, "content": CONTENT})
    channel = _child(rss, "channel")
    _child(channel, "title", title)
    _child(channel, "link", settings.url(f"{locale}/index.html"))
    _child(channel, "description", escape(title))
    self_link = settings.url(f"{locale}/rss.xml")
    _child(channel, f"{{{ATOM}}}link", href=self_link, rel="self", type="application/rss+xml")
    _child(channel, "docs", RSS_DOCS)
    _child(channel, "generator", "Tilmash")
    _child(channel, "language", settings.html_lang(locale))
    _child(channel, "lastBuildDate", rfc2822(_updated(settings, editions)))
    for edition in _newest_first(editions):
        article = edition.article
        url = entry_id(settings, locale, article.slug)
        item = _child(channel, "item")
        _child(item, "title", edition.text("title"))
        _child(item, "link", url)
        content = body(edition)
        if article.summary:
            _child(item, "description", escape(edition.text("summary")))
            _child(item, f"{{{CONTENT}}}encoded", content)
        else:  # the body itself is the description
            _child(item, "description", content)
        _child(item, "guid", url, isPermaLink="true")
        for tag in article.tags:
            _child(item, "category", edition.name("tag", tag))
        _child(item, "pubDate", rfc2822(settings.local(article.date)))
    return _document(rss)


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
