"""Published feeds say what the pages say: text stays text in every reader."""

from __future__ import annotations

import feedparser
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
