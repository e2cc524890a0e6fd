"""Sources become translation units with placeholders; URLs and code never reach a msgid."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import article
from tilmash.sources import parse_article
from tilmash.sources.loader import SourceProblem
from tilmash.sources.model import Block, Placeholder
from tilmash.sources.placeholders import check_placeholders

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


# Markdown that pulldown-cmark and markdown-it must read alike: every inline and block
# construct Tilmash segments, with the spots where parsers part ways (escapes, entities,
# non-ASCII URLs, image labels with markup, tight and loose lists, lazy lines).
INLINE = [
    "word",
    "Ünïcode",
    "слово",
    "中文",
    "*em*",
    "**strong**",
    "_u_",
    "__uu__",
    "`code`",
    "`` a`b ``",
    "[link](https://example.org/a)",
    '[t](https://ex.org/ä "Title")',
    "[ref]",
    "[text][ref]",
    "<https://auto.org/x>",
    "<me@mail.org>",
    "<http://a.org/ü>",
    "![alt](img.png)",
    "![*alt* x](i.png 'T')",
    "![](e.png)",
    "![a\\*b](c.png)",
    "[![i](s.png)](l)",
    "\\*",
    "&amp;",
    "&copy;",
    "&#35;",
    "&bogus;",
    "a  \nb",
    "line\nnext",
    "x\\\ny",
    "<1>",
    "</2>",
    "***",
    "[x](javascript:alert(1))",
    "[a](<b c>)",
    '[q](/p?a=1&amp;b=2 "t\\"q")',
    "[u](HTTP://Ex.ORG/%41)",
    "[p](https://a.org/x_y?q=1&r=2#f)",
    "![i](dir/a_b~c.png)",
    "**bold *nested* x**",
    "*a **b** c*",
    "**a*b**",
    "_a_b_",
    "[a](b",
    "`unclosed",
    "~~s~~",
    "5 * 3 * 2",
    "1.",
    "-",
    "#",
    ">",
    "[",
    "]",
    "*",
    "_",
    "\\",
    "\ttab",
    "2026.",
]
BLOCKS = [
    '[ref]: https://ref.org/ü "Ref title"',
    "-\n  late",
    "- \n- b",
    "1. a\n\n   b\n2. c",
    "- a\n  - b\n    - c\n- d",
    "> a\nlazy",
    "- a\n\n      code",
    "10. ten\n11. eleven",
    "* a\n\n\n* b",
    "# \n",
    "```\nunclosed",
    "~~~ py\nx *y* <b>\n~~~",
    "    indented\n    code",
    "a\n***\nb",
    "Setext\n---\n- x",
    "- # head\n- > q",
    "3) three",
    "---",
]


@st.composite
def markdown_bodies(draw):
    def inline():
        return " ".join(draw(st.lists(st.sampled_from(INLINE), min_size=1, max_size=10)))

    def block(depth):
        kind = draw(st.integers(0, 7 if depth < 2 else 3))
        if kind <= 1:
            return inline()
        if kind == 2:
            return "#" * draw(st.integers(1, 6)) + " " + inline()
        if kind == 3:
            return draw(st.sampled_from(BLOCKS))
        if kind == 4:
            return inline() + "\n" + draw(st.sampled_from(["===", "---"]))
        if kind == 5:
            return "> " + block(depth + 1).replace("\n", "\n> ")
        marker = draw(st.sampled_from(["-", "*", "1.", "0.", "7)"]))
        items = [
            f"{marker} " + block(depth + 1).replace("\n", "\n   ") for _ in range(draw(st.integers(1, 3)))
        ]
        return draw(st.sampled_from(["\n", "\n\n"])).join(items)

    return "\n\n".join(block(0) for _ in range(draw(st.integers(1, 5)))) + "\n"


@given(markdown_bodies())
@settings(max_examples=300, deadline=None)
def test_pulldown_cmark_segments_exactly_as_markdown_it(body):
    from tilmash.sources import pulldown
    from tilmash.sources.segment import segment

    fast = segment(body, 3)
    with mock.patch.object(pulldown, "template", return_value=None):  # markdown-it parses the body
        assert segment(body, 3) == fast
    assert not any(check_placeholders(unit.text, unit.text) for unit in fast[0])  # rendering trusts them


def test_tabs_are_left_to_markdown_it_which_reads_this_one_as_code():
    from tilmash.sources import pulldown
    from tilmash.sources.segment import segment

    body = "> > - \ttab\n"  # pulldown-cmark read a list item's text here, markdown-it a code block
    fast = segment(body, 3)
    with mock.patch.object(pulldown, "template", return_value=None):
        assert segment(body, 3) == fast
    assert fast[0] == [] and "<pre><code>tab" in fast[1]


@given(
    st.sampled_from(["", "http://", "https://"]),
    st.lists(st.text("abcxyz019-", min_size=1, max_size=6), min_size=1, max_size=3).map(".".join),
    st.text("AZaz09._~/=&?#+-:%ü ", max_size=30),
)
@settings(max_examples=500, deadline=None)
def test_urls_taken_as_plain_are_those_markdown_it_normalizes_to_themselves(scheme, host, path):
    from tilmash.sources import pulldown
    from tilmash.sources.segment import commonmark

    url = scheme + host + path if scheme else path
    if pulldown._UNCHANGED_URL.match(url):
        assert commonmark().normalizeLink(url) == url


def test_a_plain_article_is_read_without_importing_markdown_it():
    code = (
        "import sys; from tests.helpers import article; "
        "article('# Head\\n\\nSee [the report](https://example.org/r?a=1) and ![x](a.png).\\n- *one*\\n'); "
        "assert 'markdown_it' not in sys.modules, 'imported'; "
        "article('Raw <b>html</b> goes to markdown-it.\\n'); assert 'markdown_it' in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()


def test_pulldown_cmark_reads_plain_articles_and_leaves_html_and_tables_to_markdown_it():
    from tilmash.sources import pulldown
    from tilmash.sources.segment import commonmark

    plain = (
        "# Title\n\nText with **bold**, [a link](https://example.org) and ![alt](a.png).\n\n- one\n- two\n"
    )
    assert pulldown.template(commonmark, plain, lambda kind, line, children: "") is not None
    for body in ("<div>\n*x*\n</div>\n", "Some <b>raw</b> HTML.\n", "| a | b |\n|---|---|\n| 1 | 2 |\n"):
        assert pulldown.template(commonmark, body, lambda kind, line, children: "") is None


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=20),
    st.sampled_from(["paragraph", "list item", "alt text"]),
    st.text(max_size=60),
    st.integers(0, 10**6),
    st.lists(
        st.builds(
            Placeholder,
            st.integers(1, 99),
            st.sampled_from(["a", "img", "code"]),
            st.lists(st.tuples(st.sampled_from(["href", "src"]), st.text(max_size=9)), max_size=2).map(tuple),
            st.none() | st.text(max_size=9),
            st.none() | st.text(max_size=9),
            st.none() | st.text(max_size=9),
            st.booleans(),
        ),
        max_size=3,
    ).map(tuple),
)
def test_units_show_as_dataclasses_show_them(ident, kind, text, line, placeholders):
    """POT versions hash the repr of units: it is the dataclass's, made faster."""

    def shown(value: object) -> str:  # what @dataclass's __repr__ writes
        items = ", ".join(f"{f.name}={getattr(value, f.name)!r}" for f in fields(value) if f.repr)
        return f"{type(value).__qualname__}({items})"

    block = Block(ident, kind, text, line, placeholders)
    assert all(repr(p) == shown(p) for p in placeholders)
    assert repr(block) == shown(block)  # its placeholders by their repr, as just checked


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_quick_inits_make_what_the_dataclass_inits_make(data):
    import dataclasses
    import inspect

    from tilmash.render.policy import LocalizedArticle
    from tilmash.sources.model import Article

    for cls in (Placeholder, Block, Article, LocalizedArticle):
        made = inspect.signature(cls.__init__).parameters.values()
        original = inspect.signature(cls._dataclass_init).parameters.values()
        assert [(p.name, p.kind, repr(p.default), p.annotation) for p in made] == [
            (p.name, p.kind, repr(p.default), p.annotation) for p in original
        ]
        args, kwargs = [], {}
        for parameter in list(original)[1:]:
            value = object()
            if parameter.default is not inspect.Parameter.empty and data.draw(st.booleans()):
                continue  # its default
            if kwargs or data.draw(st.booleans()):
                kwargs[parameter.name] = value
            else:
                args.append(value)
        quick = cls(*args, **kwargs)
        slow = object.__new__(cls)
        cls._dataclass_init(slow, *args, **kwargs)
        for field in dataclasses.fields(cls):
            assert getattr(quick, field.name) == getattr(slow, field.name)
        with pytest.raises(dataclasses.FrozenInstanceError):
            quick.__setattr__(dataclasses.fields(cls)[0].name, None)


@given(st.text(st.sampled_from("ab \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2003é")) | st.text())
def test_a_units_whitespace_is_made_one_space_as_split_and_join_make_it(text):
    from tilmash.sources.segment import _one_spaced

    assert _one_spaced(text) == " ".join(text.split())


def test_an_article_unpickles_as_itself_every_field_kept_its_source_path_a_path():
    import datetime as dt
    import pickle

    from tilmash.sources import Article, Block, Placeholder

    moment = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    block = Block("title", "title", "T", 2, (Placeholder(1, "a", (("href", "https://x.example"),)),))
    known = {"date": moment, "updated": moment, "tags": ("t",), "blocks": (block,), "warnings": ("w",)}
    known["source_path"] = Path("/news/sources/story.md")
    article = Article(**{f.name: known.get(f.name, f"value of {f.name}") for f in fields(Article)})
    copy = pickle.loads(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == article
    assert type(copy.source_path) is type(article.source_path)


def test_an_html_page_without_a_date_or_title_says_where_to_put_one():
    """It said "front matter has no 'date'" about a page that has no front matter (a real page
    saved from the web: mozilla.org's Developer Edition page in trafilatura 2.3.1's tests)."""
    undated = b"<html><head><title>Tools</title></head><body><article><p>Text.</p></article></body></html>"
    with pytest.raises(SourceProblem, match=r"no date: .*article:published_time") as raised:
        parse_article(Path("sources/tools.html"), undated, "tools")
    assert "front matter" not in str(raised.value)
    untitled = (
        b'<html><body><article><time datetime="2026-05-01">1 May</time><p>Text.</p></article></body></html>'
    )
    with pytest.raises(SourceProblem, match=r"no title: .*<h1>"):
        parse_article(Path("sources/tools.html"), untitled, "tools")


def test_noscript_and_iframe_fallbacks_never_show_their_tags_as_text():
    """A lazy-loading page repeats its image in `<noscript>` (as mozilla.org's Developer Edition
    page in trafilatura 2.3.1's test resources, Apache-2.0, does in its `<h2>`); the parser reads
    such content as text, so the reader saw `<img class="" src="//mozorg.cdn…">` on the page."""
    gif = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="
    page = (
        '<html><head><title>Developer Edition</title><meta name="date" content="2026-05-02"></head>'
        f'<body><article><h2>Firefox <img class="lazy" src="{gif}" alt="Developer Edition"'
        ' data-src="//mozorg.cdn.mozilla.net/title.png"><noscript><img class=""'
        ' src="//mozorg.cdn.mozilla.net/title.png" alt="Developer Edition" /></noscript></h2>'
        '<p>Tools for the open web.<iframe src="https://video.example/"><p>Your browser has no'
        ' <b>frames</b></p></iframe></p><form><noscript><button type="submit">Go</button></noscript>'
        "</form></article></body></html>"
    )
    parsed = parse_article(Path("sources/developer-edition.html"), page.encode(), "developer-edition")
    texts = [block.text for block in parsed.blocks]
    assert "Tools for the open web." in texts
    assert not any("img" in text or "frames" in text or "Go" in text for text in texts), texts


WORD_PAGE = (  # as Word's "Save as Web Page, Filtered" writes one (own text)
    '<html>\r\n<head>\r\n<meta http-equiv=Content-Type content="text/html; charset={charset}">\r\n'
    '<meta name=Generator content="Microsoft Word 15 (filtered)">\r\n'
    '<meta name="date" content="2026-10-05">\r\n<title>Café opens on campus</title>\r\n</head>\r\n'
    "<body lang=EN-US>\r\n<main><div class=WordSection1>\r\n"
    "<p class=MsoNormal>The “Steppe Café” opens on 5 October – coffee costs €2.</p>\r\n</div></main>\r\n"
    "</body>\r\n</html>\r\n"
)


@pytest.mark.parametrize("charset", ["windows-1252", "iso-8859-1"])
def test_an_html_page_is_read_in_the_charset_its_meta_declares(charset):
    """Word's Web Page export is windows-1252 (and pages saying iso-8859-1 use its 0x93 quotes,
    as browsers read them): it was refused as "not valid UTF-8"."""
    raw = WORD_PAGE.format(charset=charset).encode("cp1252")
    parsed = parse_article(Path("sources/cafe-opens.html"), raw, "cafe-opens")
    assert parsed.title == "Café opens on campus"
    assert "The “Steppe Café” opens on 5 October – coffee costs €2." in [b.text for b in parsed.blocks]


def test_a_meta_declaring_utf16_is_read_as_utf8_as_browsers_read_it():
    """A page a `<meta>` can be found in is not UTF-16 (the Encoding Standard's prescan)."""
    raw = WORD_PAGE.format(charset="utf-16").encode("utf-8")
    assert parse_article(Path("sources/cafe-opens.html"), raw, "cafe-opens").title == "Café opens on campus"


def test_an_html_page_declaring_a_charset_its_bytes_are_not_in_is_an_error_with_the_line():
    utf8 = WORD_PAGE.format(charset="windows-1252").encode("utf-8")  # saved again as UTF-8, meta kept
    with pytest.raises(SourceProblem, match="declares charset=windows-1252 but its text is UTF-8") as raised:
        parse_article(Path("sources/cafe-opens.html"), utf8, "cafe-opens")
    assert raised.value.line == 6


@pytest.mark.parametrize("charset", ["x-mac-klingon", "rot13", "hex"])
def test_an_html_page_declaring_no_text_charset_is_an_error_with_its_meta_line(charset):
    """`hex` and `rot13` are Python codecs but no text encodings: decoding raised a LookupError
    traceback; an unknown charset's error had no line."""
    raw = WORD_PAGE.format(charset=charset).encode("ascii", "replace")
    with pytest.raises(SourceProblem, match=f"unknown charset '{charset}'") as raised:
        parse_article(Path("sources/cafe-opens.html"), raw, "cafe-opens")
    assert raised.value.line == next(n for n, line in enumerate(raw.splitlines(), 1) if b"charset" in line)
