"""`tilmash import` turns the English feed into sources: cleaned, updated in place, never duplicated."""

from __future__ import annotations

from tests.conftest import run_cli

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
<summary>Short.</summary><content type="html">&lt;p&gt;Ice lost &lt;em&gt;a quarter&lt;/em&gt; of its area.&lt;/p&gt;</content></entry>
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
