"""Published feeds say what the pages say: text stays text in every reader."""

from __future__ import annotations

from html import escape

import feedparser
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import run_cli

HOSTILE = "Lab notes x <img src=x onerror=alert(1)> & more"


def test_plain_text_is_escaped_into_html_carrying_feed_fields(newsroom):
    source = newsroom / "sources" / "library-night.md"
    text = source.read_text(encoding="utf-8")
    start = text.index("summary:")
    end = text.index("\n", start)
    source.write_text(f"{text[:start]}summary: '{HOSTILE}'{text[end:]}", encoding="utf-8")
    assert run_cli("run", newsroom).code == 0
    rss = (newsroom / "public" / "en" / "rss.xml").read_bytes()
    descriptions = etree.fromstring(rss).xpath("//item/description/text()")
    # A reader decodes <description> as HTML: it must get the text escaped, never a live <img>.
    assert "Lab notes x &lt;img src=x onerror=alert(1)&gt; &amp; more" in descriptions
    entries = {e.title: e for e in feedparser.parse(rss).entries}
    assert (
        entries["The university library opens its doors for Science Night"].summary
        == "Lab notes x &lt;img src=x onerror=alert(1)&gt; &amp; more"
    )
    atom = feedparser.parse((newsroom / "public" / "en" / "atom.xml").read_bytes())
    summaries = [e.summary for e in atom.entries if e.summary_detail.type == "text/plain"]
    assert HOSTILE in summaries


# feedgen 1.0, as Tilmash called it before writing the feeds itself: the bytes to match.
def _feedgen(settings, locale, editions, body, self_link, text_as_html=str):
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(settings.url(f"{locale}/"))
    feed.title(settings.site_title(locale))
    feed.description(text_as_html(settings.site_title(locale)))
    feed.language(settings.html_lang(locale))
    name, kind = self_link
    feed.link(href=settings.url(f"{locale}/{name}"), rel="self", type=kind)
    feed.link(href=settings.url(f"{locale}/index.html"), rel="alternate", type="text/html")
    feed.generator("Tilmash")
    latest = max((settings.local(e.modified) for e in editions), default=None)
    feed.updated(latest or "1970-01-01T00:00:00+00:00")
    feed.lastBuildDate(latest or "1970-01-01T00:00:00+00:00")
    for edition in sorted(editions, key=lambda e: (e.article.date, e.article.slug)):
        article = edition.article
        url = settings.url(f"{locale}/{article.slug}.html")
        entry = feed.add_entry()
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(edition.text("title"))
        entry.link(href=url, rel="alternate")
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


TEXT = st.text(st.sampled_from("ab Ж中 &<>\"'\n\t\r"), min_size=1, max_size=12).filter(str.strip)


@st.composite
def editions(draw):
    import datetime as dt
    from pathlib import Path

    from tilmash.render.policy import LocalizedArticle
    from tilmash.sources import Article, Block

    made = []
    for number in range(draw(st.integers(0, 4))):
        date = dt.datetime(2026, draw(st.integers(1, 12)), 5, draw(st.integers(0, 23)), tzinfo=dt.UTC)
        summary = draw(st.just("") | TEXT)
        blocks = (Block("title", "title", draw(TEXT), 1),) + (
            (Block("summary", "summary", summary, 2),) if summary else ()
        )
        article = Article(
            slug=f"story-{number}",
            title=blocks[0].text,
            summary=summary,
            date=date,
            author=draw(st.just("") | TEXT),
            tags=tuple(draw(st.lists(TEXT, max_size=3, unique=True))),
            source_path=Path(f"sources/story-{number}.md"),
            blocks=blocks,
            body_template="",
            updated=draw(st.none() | st.just(date + dt.timedelta(days=2))),
        )
        made.append(LocalizedArticle(article, "kk", {}, names={("tag", t): t.upper() for t in article.tags}))
    return made


@settings(max_examples=150, deadline=None)
@given(editions(), st.sampled_from(["", "<p>Body &amp; <em>more</em></p>\n", "Ж\r\n中"]), TEXT)
def test_feeds_are_the_bytes_feedgen_wrote(chosen, body, title):
    from tilmash.render.feeds import atom_feed, rss_feed
    from tilmash.render.settings import SiteSettings

    site = SiteSettings(title, "https://news.example/", "en", ("en", "kk"), {}, timezone="Asia/Almaty")
    made = lambda _: body  # noqa: E731
    expected = _feedgen(site, "kk", chosen, made, ("atom.xml", "application/atom+xml"))
    assert atom_feed(site, "kk", chosen, made) == expected.atom_str(pretty=True)
    expected = _feedgen(site, "kk", chosen, made, ("rss.xml", "application/rss+xml"), escape)
    assert rss_feed(site, "kk", chosen, made) == expected.rss_str(pretty=True)
