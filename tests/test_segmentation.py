"""Sources become translation units with placeholders; URLs and code never reach a msgid."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import article
from tilmash.sources import parse_article

BODY = """\
## The *new* building

Read the [annual report](https://example.org/report.pdf "PDF") and `pip install tilmash`.
Line one\\
line two, see <https://example.org/raw>.

| Faculty | Students |
|---|---|
| Chemistry | 1,200 |

```
code = "never translated"
```

> A quoted paragraph.

- first item
- second item

![A lab bench](static/bench.png "Bench title")
"""


def _units(body: str):
    return {b.kind: b for b in article(body).blocks}


def test_every_kind_of_unit_is_found_in_document_order():
    kinds = [b.kind for b in article(BODY).blocks]
    assert kinds == [
        "title",
        "heading",
        "paragraph",
        "table cell",
        "table cell",
        "table cell",
        "table cell",
        "quote",
        "list item",
        "list item",
        "paragraph",
        "alt text",
        "image title",
    ]


def test_inline_markup_becomes_numbered_placeholders():
    blocks = article(BODY).blocks
    assert blocks[1].text == "The <1>new</1> building"
    assert blocks[2].text == "Read the <1>annual report</1> and <2/>. Line one<3/>line two, see <4/>."


def test_urls_code_and_attributes_stay_out_of_msgids():
    everything = " ".join(b.text for b in article(BODY).blocks)
    for secret in (
        "https://example.org",
        "pip install",
        "static/bench.png",
        "never translated",
        "PDF",
    ):
        assert secret not in everything
    assert "Bench title" in [b.text for b in article(BODY).blocks if b.kind == "image title"]  # translated
    paragraph = article(BODY).blocks[2]
    assert dict(paragraph.placeholders[0].attrs) == {"href": "https://example.org/report.pdf", "title": "PDF"}
    assert paragraph.placeholders[1].content == "pip install tilmash"


def test_unit_ids_survive_moves_and_differ_for_repeats():
    first = article("Alpha paragraph.\n\nBeta paragraph.\n").blocks
    moved = article("Beta paragraph.\n\nAlpha paragraph.\n").blocks
    assert {b.id: b.text for b in first} == {b.id: b.text for b in moved}
    repeated = article("Same text.\n\nSame text.\n").blocks
    assert len({b.id for b in repeated}) == 3


def test_units_made_only_of_placeholders_are_not_translatable():
    blocks = article("![Only an image](a.png)\n").blocks
    assert [b.translatable for b in blocks] == [True, False, True]


def test_source_lines_point_into_the_file():
    blocks = article("First paragraph.\n\nSecond paragraph.\n").blocks
    assert [b.line for b in blocks] == [2, 5, 7]


def test_raw_html_in_markdown_is_text_not_markup():
    blocks = article('<script>alert(1)</script>\n\nHi <img src=x onerror="y()">\n').blocks
    assert blocks[1].text == "<script>alert(1)</script>"
    assert not blocks[1].placeholders
    assert "<script>" not in article("<script>alert(1)</script>\n").body_template


def test_html_article_is_read_from_meta_and_article_element(tmp_path):
    page = b"""<!DOCTYPE html><html><head><title>Site</title>
<meta name="description" content="Pupils built robots."><meta name="author" content="Press Office">
</head><body><main><article><h1>Robots at school</h1><time datetime="2026-04-05">5 April</time>
<p onclick="evil()">Pupils built <strong>12 robots</strong> with <a href="https://ex.org/kits">kits</a>.</p>
<script>alert(1)</script><h2>Why</h2><ul><li>fun</li></ul>
<img src="x.png" alt="A robot" onerror="y()"></article></main></body></html>"""
    parsed = parse_article(Path("sources/robots.html"), page, "robots")
    assert parsed.title == "Robots at school" and parsed.date.date().isoformat() == "2026-04-05"
    assert parsed.summary == "Pupils built robots." and parsed.author == "Press Office"
    texts = [b.text for b in parsed.blocks]
    assert texts == [
        "Robots at school",
        "Pupils built robots.",
        "Pupils built <1>12 robots</1> with <2>kits</2>.",
        "Why",
        "fun",
        "<1/>",
        "A robot",
    ]
    assert "alert" not in parsed.body_template and "onclick" not in parsed.body_template
