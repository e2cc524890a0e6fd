"""`tilmash import` turns the English feed into sources: cleaned, updated in place, never duplicated."""

from __future__ import annotations

import datetime as dt
import http.server
import re
import socket
import threading
import time

import pytest
from lxml import html

from tests.conftest import run_cli
from tilmash import feed_sync
from tilmash.sources.feed_import import FeedError

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>News</title><link>https://u.example/</link><description>d</description>
<item><title>Robots at school</title><link>https://u.example/news/robots</link><guid>https://u.example/?p=101</guid>
<pubDate>Sun, 05 Apr 2026 09:00:00 +0000</pubDate><category>education</category>
<description><![CDATA[<p onclick="steal()">Pupils built <b>{count} robots</b>.</p><script>alert(1)</script>
<p><a href="javascript:alert(2)">click</a> <a href="https://u.example/kits">kits</a></p>
<img src="https://u.example/r.png" alt="A robot" onerror="x()">]]></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title><id>urn:news</id><updated>2026-04-06T00:00:00Z</updated>
<entry><title>Glacier survey</title><id>urn:uuid:6f1c</id><updated>2026-04-06T10:00:00Z</updated>
<published>2026-04-06T09:00:00Z</published><author><name>Dana</name></author>
<summary>Short.</summary>
<content type="html">&lt;p&gt;Ice lost &lt;em&gt;a quarter&lt;/em&gt; of its area.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_entries_become_clean_markdown_sources(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(RSS.format(count=12), encoding="utf-8")
    result = run_cli("import", feed, newsroom)
    assert result.code == 0, result.stderr
    assert "1 new" in result.stdout
    text = (newsroom / "sources" / "robots-at-school.md").read_text(encoding="utf-8")
    assert "Pupils built **12 robots**." in text and "[kits](https://u.example/kits)" in text
    for hostile in ("script", "alert", "onclick", "onerror", "javascript:"):
        assert hostile not in text
    assert run_cli("run", newsroom).code == 0
    assert (newsroom / "public" / "en" / "robots-at-school.html").exists()


def test_reimport_updates_the_same_file_instead_of_duplicating(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(RSS.format(count=12), encoding="utf-8")
    assert run_cli("import", feed, newsroom).code == 0
    assert "1 unchanged" in run_cli("import", feed, newsroom).stdout
    feed.write_text(RSS.format(count=15), encoding="utf-8")
    again = run_cli("import", feed, newsroom)
    assert "1 updated" in again.stdout
    imported = sorted(p.name for p in (newsroom / "sources").glob("robots*"))
    assert imported == ["robots-at-school.md"]
    assert "15 robots" in (newsroom / "sources" / "robots-at-school.md").read_text(encoding="utf-8")


def test_atom_entries_keep_dates_author_and_content(newsroom, tmp_path):
    feed = tmp_path / "atom.xml"
    feed.write_text(ATOM, encoding="utf-8")
    assert run_cli("import", feed, newsroom).code == 0
    text = (newsroom / "sources" / "glacier-survey.md").read_text(encoding="utf-8")
    assert "date: '2026-04-06T09:00:00+00:00'" in text and "author: Dana" in text
    assert "summary: Short." in text and "Ice lost *a quarter* of its area." in text


def test_unreadable_feed_is_an_error(newsroom, tmp_path):
    feed = tmp_path / "broken.xml"
    feed.write_text("this is not a feed", encoding="utf-8")
    result = run_cli("import", feed, newsroom)
    assert result.code == 1 and "broken.xml" in result.stderr


def _rss(items: str, declaration: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return (
        f'{declaration}<rss version="2.0"><channel><title>Campus</title><link>https://u.example/</link>'
        f"<description>d</description>{items}</channel></rss>"
    )


def _item(guid: str, title: str, body: str, extra: str = "") -> str:
    return f"<item><title>{title}</title><guid>{guid}</guid>{extra}<description>{body}</description></item>"


LONG_BODY = "&lt;p&gt;" + "The orchard has forty old apple trees and a new pond. " * 12 + "&lt;/p&gt;"
DATED = "<pubDate>Mon, 06 Apr 2026 09:00:00 +0000</pubDate>"


def test_a_much_shorter_body_is_kept_out_unless_the_entry_is_marked_updated(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(_rss(_item("urn:orchard", "Orchard", LONG_BODY, DATED)), encoding="utf-8")
    assert run_cli("import", feed, newsroom).code == 0
    source = newsroom / "sources" / "orchard.md"
    imported = source.read_bytes()
    feed.write_text(_rss(_item("urn:orchard", "Orchard", "Trees.", DATED)), encoding="utf-8")
    shrunk = run_cli("import", feed, newsroom)
    assert shrunk.code == 1 and "1 kept" in shrunk.stdout
    assert re.search(
        r"^error: .*feed\.xml:1: orchard\.md: the entry's text is now 6 characters", shrunk.stderr, re.M
    )
    assert source.read_bytes() == imported
    marked = (
        DATED + "<atom:updated xmlns:atom='http://www.w3.org/2005/Atom'>2026-04-07T10:00:00Z</atom:updated>"
    )
    feed.write_text(_rss(_item("urn:orchard", "Orchard", "Trees.", marked)), encoding="utf-8")
    updated = run_cli("import", feed, newsroom)
    assert updated.code == 0 and "1 updated" in updated.stdout
    assert source.read_text(encoding="utf-8").endswith("---\nTrees.\n")


def test_an_undated_entry_keeps_the_date_of_its_first_import(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(_rss(_item("urn:pond", "Pond cleaned", "Volunteers cleaned the pond.")), encoding="utf-8")
    first = run_cli("import", feed, newsroom)
    assert first.code == 0 and "has no date" in first.stderr
    text = (newsroom / "sources" / "pond-cleaned.md").read_text(encoding="utf-8")
    assert "# the feed gives no date: dated by the first import of this entry" in text
    date = re.search(r"^date: '(.+)'$", text, re.M)
    assert date and dt.datetime.fromisoformat(date.group(1)).year >= 2026
    time.sleep(1.1)  # a later import, a later clock: the date must not follow it
    feed.write_text(
        _rss(_item("urn:pond", "Pond cleaned", "Volunteers cleaned the big pond.")), encoding="utf-8"
    )
    assert "1 updated" in run_cli("import", feed, newsroom).stdout
    again = (newsroom / "sources" / "pond-cleaned.md").read_text(encoding="utf-8")
    assert f"date: '{date.group(1)}'" in again and "big pond" in again
    assert run_cli("run", newsroom).code == 0
    page = (newsroom / "public" / "en" / "pond-cleaned.html").read_text(encoding="utf-8")
    assert "1970" not in page


def test_the_entry_keeps_its_own_utc_offset(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    late = "<pubDate>Wed, 30 Sep 2026 03:00:00 +0600</pubDate>"
    feed.write_text(_rss(_item("urn:night", "Night lecture", "Stars were shown.", late)), encoding="utf-8")
    assert run_cli("import", feed, newsroom).code == 0
    assert "date: '2026-09-30T03:00:00+06:00'" in (newsroom / "sources" / "night-lecture.md").read_text()
    assert run_cli("run", newsroom).code == 0
    page = (newsroom / "public" / "en" / "night-lecture.html").read_text(encoding="utf-8")
    assert "September 30, 2026" in page and 'datetime="2026-09-30"' in page


def test_imported_text_stays_text_and_titles_are_plain(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    body = (
        "See ![pixel](https://evil.example/track.png) and [click](https://evil.example/) now. "
        "&lt;img src='https://evil.example/i.png' alt='A remote picture'&gt;"
    )
    feed.write_text(
        _rss(_item("urn:phys", "Physics building &lt;em&gt;reopens&lt;/em&gt;", body, DATED)),
        encoding="utf-8",
    )
    assert run_cli("import", feed, newsroom).code == 0
    source = (newsroom / "sources" / "physics-building-reopens.md").read_text(encoding="utf-8")
    assert "title: Physics building reopens" in source
    assert run_cli("run", newsroom).code == 0
    page = html.fromstring((newsroom / "public" / "en" / "physics-building-reopens.html").read_bytes())
    assert page.xpath("//h1")[0].text_content() == "Physics building reopens" and not page.xpath("//h1/*")
    article = page.xpath("//article")[0] if page.xpath("//article") else page
    assert not article.xpath(".//img"), "no image may load from the network"
    assert "![pixel](https://evil.example/track.png)" in article.text_content()
    assert [a.get("href") for a in article.xpath(".//a[contains(@href, 'evil')]")] == [
        "https://evil.example/i.png"
    ]


def test_author_or_category_with_a_fence_line_stays_readable_and_is_not_duplicated(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    extra = DATED + "<author>Press\n---\nOffice</author><category>news\n---\n</category>"
    feed.write_text(
        _rss(_item("urn:fence", "Fence mended", "The fence was mended.", extra)), encoding="utf-8"
    )
    for _ in range(3):
        result = run_cli("import", feed, newsroom)
        assert result.code == 0, result.stderr
    assert sorted(p.name for p in (newsroom / "sources").glob("fence*")) == ["fence-mended.md"]
    assert "1 unchanged" in result.stdout
    assert run_cli("run", newsroom).code == 0
    assert (newsroom / "public" / "en" / "fence-mended.html").exists()


def test_entries_sharing_an_id_are_reported_not_overwritten(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    items = "".join(
        _item(guid, title, "Text.", DATED)
        for guid, title in [("urn:a", "First story"), ("urn:a", "Second story"), ("urn:b", "Third story")]
    )
    feed.write_text(_rss(items), encoding="utf-8")
    result = run_cli("import", feed, newsroom)
    assert result.code == 1 and "imported: 2 new" in result.stdout
    assert "'Second story' has the same id (urn:a)" in result.stderr
    assert "First story" in (newsroom / "sources" / "first-story.md").read_text(encoding="utf-8")
    assert not (newsroom / "sources" / "second-story.md").exists()


def test_control_characters_from_a_feed_are_removed_with_a_warning(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(_rss(_item("urn:bell", "Bell&#x8; tower", "Rings&#7; at noon.", DATED)), encoding="utf-8")
    result = run_cli("import", feed, newsroom)
    assert result.code == 0 and "warning:" in result.stderr and "control characters removed" in result.stderr
    text = (newsroom / "sources" / "bell-tower.md").read_text(encoding="utf-8")
    assert "title: Bell tower" in text and "\x08" not in text and "\x07" not in text
    assert run_cli("run", newsroom).code == 0


def test_feed_problems_are_named_precisely(newsroom, tmp_path):
    missing = run_cli("import", tmp_path / "nowhere.xml", newsroom)
    assert missing.code == 1 and "nowhere.xml: no such file" in missing.stderr
    empty = tmp_path / "empty.xml"
    empty.write_text(_rss(""), encoding="utf-8")
    result = run_cli("import", empty, newsroom)
    assert result.code == 1 and "the feed has no entries" in result.stderr
    untitled = tmp_path / "untitled.xml"
    untitled.write_text(_rss(_item("urn:x", "", "Body.", DATED)), encoding="utf-8")
    result = run_cli("import", untitled, newsroom)
    assert result.code == 1 and "entry without a title" in result.stderr
    koi8 = tmp_path / "koi8.xml"
    koi8.write_bytes(_rss(_item("urn:k", "Новости", "Текст.", DATED), "").encode("koi8-r"))
    before = sorted(p.name for p in (newsroom / "sources").iterdir())
    result = run_cli("import", koi8, newsroom)
    assert result.code == 1 and "not valid utf-8" in result.stderr and "states no encoding" in result.stderr
    assert sorted(p.name for p in (newsroom / "sources").iterdir()) == before


class _FeedServer(http.server.BaseHTTPRequestHandler):
    """Serves `body` with `content_type`, as a newsroom's web server would."""

    body = b""
    content_type = ""

    def do_GET(self) -> None:  # noqa: N802 (the handler's API)
        self.send_response(200)
        self.send_header("Content-Type", self.content_type)
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


def test_the_servers_charset_decides_the_encoding_of_a_fetched_feed(newsroom):
    _FeedServer.body = _rss(_item("urn:k", "Новости кампуса", "Текст новости.", DATED), "").encode("koi8-r")
    server = http.server.HTTPServer(("127.0.0.1", 0), _FeedServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/feed.xml"
    try:
        _FeedServer.content_type = "application/rss+xml"
        refused = run_cli("import", url, newsroom)
        assert refused.code == 1 and "not valid utf-8" in refused.stderr
        _FeedServer.content_type = "application/rss+xml; charset=KOI8-R"
        accepted = run_cli("import", url, newsroom)
        assert accepted.code == 0, accepted.stderr
    finally:
        server.shutdown()
    source = next((newsroom / "sources").glob("entry-*.md")).read_text(encoding="utf-8")
    assert "title: Новости кампуса" in source and "Текст новости." in source


def test_an_epoch_date_counts_as_no_date_and_an_html_source_keeps_its_slug(newsroom, tmp_path):
    (newsroom / "sources" / "open-lab.html").write_text(
        "<html><head><title>Open lab</title><meta name='date' content='2026-03-01'></head>"
        "<body><article><p>The lab opens.</p></article></body></html>",
        encoding="utf-8",
    )
    feed = tmp_path / "feed.xml"
    epoch = "<pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate>"
    feed.write_text(_rss(_item("urn:lab", "Open lab", "Visitors came.", epoch)), encoding="utf-8")
    result = run_cli("import", feed, newsroom)
    assert result.code == 0 and "has no date" in result.stderr
    text = (newsroom / "sources" / "open-lab-2.md").read_text(encoding="utf-8")
    assert "1970" not in text
    assert run_cli("run", newsroom).code == 0
    assert (newsroom / "public" / "en" / "open-lab-2.html").exists()


def test_an_xhtml_title_becomes_plain_text_and_no_markup_reaches_the_catalog(newsroom, tmp_path):
    feed = tmp_path / "atom.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>N</title>'
        "<id>urn:n</id><updated>2026-04-06T00:00:00Z</updated><entry><id>urn:x</id>"
        '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Rowing <a href="https://u.example/r">'
        "club</a> <b>wins</b></div></title><updated>2026-04-06T10:00:00Z</updated>"
        '<content type="text">Eight rowers. ![x](https://evil.example/x.png)</content></entry></feed>',
        encoding="utf-8",
    )
    assert run_cli("import", feed, newsroom).code == 0
    assert "title: Rowing club wins" in (newsroom / "sources" / "rowing-club-wins.md").read_text(
        encoding="utf-8"
    )
    assert run_cli("run", newsroom).code == 0
    pot = (newsroom / "i18n" / "pot" / "rowing-club-wins.pot").read_text(encoding="utf-8")
    assert 'msgid "Rowing club wins"' in pot and "href" not in pot
    assert "![x](https://evil.example/x.png)" in pot.replace("\\", "") and "<1/>" not in pot


def test_an_entry_with_very_many_categories_is_imported_with_the_first_ones(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    categories = "".join(f"<category>topic {n}</category>" for n in range(80))
    feed.write_text(_rss(_item("urn:many", "Many topics", "Text.", DATED + categories)), encoding="utf-8")
    assert run_cli("import", feed, newsroom).code == 0
    assert run_cli("run", newsroom).code == 0
    assert (newsroom / "public" / "en" / "many-topics.html").exists()


def test_an_entry_titled_index_does_not_take_the_index_pages_name(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(RSS.format(count=3).replace("Robots at school", "Index"), encoding="utf-8")
    assert run_cli("import", feed, newsroom).code == 0
    assert (newsroom / "sources" / "index-story.md").exists()
    assert run_cli("run", newsroom).code == 0
    assert (newsroom / "public" / "en" / "index-story.html").exists()
    index = html.parse(str(newsroom / "public" / "en" / "index.html")).getroot()
    assert "index-story.html" in " ".join(index.xpath("//a/@href"))  # still the listing, linking to it


# A CMS's feed as many are written: addresses relative to the entry's page, no xml:base.
RELATIVE = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>News</title>{channel_link}<description>d</description>
<item><title>Greenhouse opens</title>{item_link}<guid isPermaLink="false">gh-1</guid>{DATED}
<description><![CDATA[<p>The <a href="/research/greenhouse/">new greenhouse</a> grows
<a href="#varieties">forty varieties</a>.</p>
<p><img src="/wp-content/uploads/greenhouse.jpg" alt="The greenhouse in winter"></p>]]></description></item>
</channel></rss>"""


def test_relative_links_and_images_of_an_entry_point_to_its_site(newsroom, tmp_path):
    """A relative image was taken for a file of static/: the article was refused on every run."""
    feed = tmp_path / "feed.xml"
    feed.write_text(
        RELATIVE.format(
            channel_link="<link>https://u.example/</link>",
            item_link="<link>/news/greenhouse/</link>",
            DATED=DATED,
        ),
        encoding="utf-8",
    )
    imported = run_cli("import", feed, newsroom)
    assert imported.code == 0, imported.stderr
    text = (newsroom / "sources" / "greenhouse-opens.md").read_text(encoding="utf-8")
    assert "[new greenhouse](https://u.example/research/greenhouse/)" in text
    assert "[forty varieties](https://u.example/news/greenhouse/#varieties)" in text
    assert "[The greenhouse in winter](https://u.example/wp-content/uploads/greenhouse.jpg)" in text
    assert "source_url: https://u.example/news/greenhouse/" in text
    result = run_cli("run", newsroom)
    assert result.code == 0, result.stderr
    page = html.parse(str(newsroom / "public" / "en" / "greenhouse-opens.html"))
    assert page.xpath("//a/@href[starts-with(., 'https://u.example/')]")
    assert not page.xpath("//img[contains(@src, 'greenhouse')]")


def test_relative_addresses_with_no_page_to_resolve_against_become_text(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(RELATIVE.format(channel_link="", item_link="", DATED=DATED), encoding="utf-8")
    assert run_cli("import", feed, newsroom).code == 0
    text = (newsroom / "sources" / "greenhouse-opens.md").read_text(encoding="utf-8")
    assert "The new greenhouse grows\nforty varieties." in text and "The greenhouse in winter" in text
    assert "](" not in text
    assert run_cli("run", newsroom).code == 0


def test_a_fetched_feed_resolves_relative_addresses_against_its_url(newsroom):
    _FeedServer.body = RELATIVE.format(channel_link="", item_link="", DATED=DATED).encode("utf-8")
    _FeedServer.content_type = "application/rss+xml"
    server = http.server.HTTPServer(("127.0.0.1", 0), _FeedServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/blog/feed.xml"
    try:
        assert run_cli("import", url, newsroom).code == 0
    finally:
        server.shutdown()
    text = (newsroom / "sources" / "greenhouse-opens.md").read_text(encoding="utf-8")
    site = f"http://127.0.0.1:{server.server_port}"
    assert f"[new greenhouse]({site}/research/greenhouse/)" in text
    assert f"[The greenhouse in winter]({site}/wp-content/uploads/greenhouse.jpg)" in text


def test_a_summary_made_of_blocks_keeps_its_words_apart_and_whole():
    """feedparser gives an RSS entry with only `content:encoded` its whole content as summary."""
    from tilmash.sources.feed_import import plan_import

    blocks = "<h2>Head</h2><p>First paragraph.</p><ul><li>one</li><li>two</li></ul>"
    long_tail = "<p>" + "Seedlings of the steppe are counted every spring. " * 10 + "</p>"
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>N</title>'
        f"<link>https://u.example/</link><description>d</description><item><title>Blocks</title>"
        f"<guid>b-1</guid>{DATED}<content:encoded><![CDATA[{blocks}{long_tail}]]></content:encoded>"
        "</item></channel></rss>"
    )
    plan = plan_import(feed.encode(), {}, dt.datetime(2026, 4, 7, tzinfo=dt.UTC))
    summary = re.search(r"^summary: (.*)$", plan.files[0].text, re.M)
    assert summary is not None, plan.files[0].text
    assert summary.group(1).startswith("Head First paragraph. one two Seedlings of the steppe")
    assert summary.group(1).endswith("…") and len(summary.group(1)) <= 300
    assert summary.group(1)[:-1].split()[-1] in "Seedlings of the steppe are counted every spring.".split()


def test_a_lazy_loading_entrys_noscript_image_is_not_shown_as_markup(newsroom, tmp_path):
    """WordPress lazy-load plugins put the real image in `<noscript>` in the feed's HTML too: the
    reader saw `<img src="https://u.example/pond.jpg" alt="The pond">` as text."""
    body = (
        "&lt;p&gt;The orchard has a new pond.&lt;/p&gt;&lt;p&gt;&lt;img src='data:image/gif;base64,R0lGOD' "
        "data-src='/pond.jpg' alt='The pond'&gt;&lt;noscript&gt;&lt;img src='/pond.jpg' alt='The pond'&gt;"
        "&lt;/noscript&gt;&lt;/p&gt;"
    )
    feed = tmp_path / "feed.xml"
    feed.write_text(_rss(_item("urn:pond", "A new pond", body, DATED)), encoding="utf-8")
    assert run_cli("import", feed, newsroom).code == 0
    source = (newsroom / "sources" / "a-new-pond.md").read_text(encoding="utf-8")
    assert "The orchard has a new pond." in source
    assert "img" not in source and "noscript" not in source


def _raw_server(answer) -> tuple[str, threading.Thread, socket.socket]:
    """A server that reads a request and lets `answer(connection)` reply as it likes."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(4096)
                try:
                    answer(connection)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}/feed.xml", thread, listener


def test_a_server_answering_what_is_not_http_is_a_refused_feed_not_a_crashed_run(newsroom):
    """`NOT HTTP` (a captive portal, TLS on an HTTP port) raised BadStatusLine through the whole
    run: a traceback, and nothing published, on every cron run."""
    url, _, listener = _raw_server(lambda connection: connection.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\r\n"))
    try:
        result = run_cli("run", newsroom, "--import", url)
    finally:
        listener.close()
    assert result.code == 1 and "Traceback" not in result.stderr
    assert re.search(
        rf"^error: {re.escape(url)}: cannot be fetched: SSH-2.0-OpenSSH_9.2 \(feed refused",
        result.stderr,
        re.M,
    )
    assert (newsroom / "public" / "en" / "student-satellite.html").exists()


def test_a_feed_that_keeps_dripping_is_given_up_at_the_deadline(monkeypatch):
    """Each wait is bounded by FETCH_TIMEOUT; a server sending a byte at a time within it held
    the run, and the newsroom's lock, for as long as it went on."""
    monkeypatch.setattr(feed_sync, "FETCH_DEADLINE", 1, raising=False)  # the old code had none

    def drip(connection) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n")
        for _ in range(100):
            connection.sendall(b"<")
            time.sleep(0.1)

    url, _, listener = _raw_server(drip)
    try:
        with pytest.raises(FeedError, match="cannot be fetched: still arriving after 1 s"):
            feed_sync.read_feed(url)
    finally:
        listener.close()
