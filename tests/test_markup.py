"""`render.markup.unit_html`: the only HTML a translation can produce is the source's own markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

from tilmash.render.markup import unit_html
from tilmash.sources import Block, Placeholder, parse_article
from tilmash.sources.placeholders import PLACEHOLDER_RE

ARTICLE = (
    "---\ntitle: Markup\ndate: 2026-03-02\n---\n"
    "Read the [report](https://example.org/r?a=1&b=2) on **Monday** with `make check`.\n\n"
    "![Solar panels on the roof](static/panels.svg) and ![a logo](https://cdn.example/logo.png)\n\n"
    "Plain text with no markup.\n"
)


def _blocks() -> list[Block]:
    article = parse_article(Path("markup.md"), ARTICLE.encode(), "markup")
    return [b for b in article.blocks if b.kind == "paragraph"]


LINKED, IMAGES, PLAIN = _blocks()


def _alt(unit: str) -> str:
    return f"alt of {unit}"


def _fragment(rendered: str) -> html.HtmlElement:
    return html.fragment_fromstring(rendered, create_parent="div")


def _tags(rendered: str) -> list[str]:
    return [element.tag for element in _fragment(rendered).iter() if element.tag != "div"]


def test_the_blocks_are_what_the_tests_assume():
    assert LINKED.text == "Read the <1>report</1> on <2>Monday</2> with <3/>."
    assert [p.tag for p in LINKED.placeholders] == ["a", "strong", "code"]
    assert IMAGES.text == "<1/> and <2/>" and not PLAIN.placeholders


def test_translation_gets_the_source_elements_and_attributes():
    rendered = unit_html(LINKED, "Прочтите <1>отчёт</1> с <3/> в <2>понедельник</2>.", _alt)
    fragment = _fragment(rendered)
    assert fragment.text_content() == "Прочтите отчёт с make check в понедельник."
    (link,) = fragment.findall("a")
    assert link.get("href") == "https://example.org/r?a=1&b=2" and link.text == "отчёт"
    assert fragment.find("strong").text == "понедельник" and fragment.find("code").text == "make check"
    assert _tags(rendered) == ["a", "code", "strong"]  # in the translation's order


def test_images_get_alt_text_from_their_unit_and_the_asset_root():
    rendered = unit_html(IMAGES, "<2/> және <1/>", _alt, asset_root="../")
    images = _fragment(rendered).findall("img")
    assert [i.get("src") for i in images] == ["https://cdn.example/logo.png", "../static/panels.svg"]
    assert images[1].get("alt") == f"alt of {IMAGES.placeholders[0].alt_unit}"
    assert all(i.get("loading") == "lazy" for i in images)


HOSTILE = [
    '<script>alert(1)</script> <img src=x onerror="alert(2)">',
    '<a href="javascript:alert(3)">тут</a>',
    "</span><script>alert(4)</script><span>",
    "<!-- comment --> <![CDATA[x]]> &lt;b&gt; &amp; &#60;i&#62;",
    '<1 href="javascript:alert(5)">отчёт</1>',
    "<1>отчёт</1><1>ещё раз</1> <2>x</2> <3/>",  # a placeholder twice
    "<2>понедельник <1>отчёт</2></1> <3/>",  # crossed
    "</1>отчёт<1> <2>x</2> <3/>",  # closed before opened
    "<9>unknown</9> <1>отчёт</1> <2>x</2> <3/>",
    "<1/> <2>x</2> <3>y</3>",  # wrong forms
    "<1>отчёт <2>x</2> <3/>",  # never closed
]


@pytest.mark.parametrize("translation", HOSTILE)
@pytest.mark.parametrize("block", [LINKED, PLAIN], ids=["placeholders", "plain"])
def test_hostile_translations_never_produce_markup_of_their_own(block, translation):
    rendered = unit_html(block, translation, _alt)
    allowed = {p.tag for p in block.placeholders}
    assert set(_tags(rendered)) <= allowed
    assert "<script" not in rendered and "<img" not in rendered and "<span" not in rendered
    fragment = _fragment(rendered)
    assert all(element.get("href") in (None, "https://example.org/r?a=1&b=2") for element in fragment.iter())
    assert not any(name.startswith("on") for element in fragment.iter() for name in element.attrib)


@pytest.mark.parametrize("translation", HOSTILE[:4])
def test_html_written_in_a_translation_is_shown_as_its_text(translation):
    assert _fragment(unit_html(PLAIN, translation, _alt)).text_content() == translation


def test_broken_placeholders_fall_back_to_the_words_without_markup():
    rendered = unit_html(LINKED, "<2>понедельник <1>отчёт</2></1> с <3/>.", _alt)
    assert _tags(rendered) == []
    assert _fragment(rendered).text_content() == "понедельник отчёт с ."


def test_a_translation_without_its_placeholders_keeps_its_words():
    rendered = unit_html(LINKED, "Прочтите отчёт в понедельник.", _alt)
    assert _tags(rendered) == [] and _fragment(rendered).text_content() == "Прочтите отчёт в понедельник."


def test_control_characters_in_a_translation_are_dropped_not_fatal():
    """A translation pasted with a control character (here U+001F) used to crash lxml."""
    for block in (LINKED, PLAIN):
        rendered = unit_html(block, "Прочтите\x1f <1>отчёт</1>\x0b <2>x</2> <3/>\x7f", _alt)
        assert "\x1f" not in rendered and "\x0b" not in rendered and "\x7f" not in rendered
        assert "Прочтите" in _shown_text(rendered)


def _shown_text(rendered: str) -> str:
    """The text a browser shows, whitespace included."""
    return html.fromstring(f"<div>[{rendered}]</div>").text_content()[1:-1]


XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n"), max_size=6
)
PIECES = st.lists(
    st.sampled_from(
        ["<1>", "</1>", "<2>", "</2>", "<3/>", "<3>", "<4/>", "<", ">", "&", '"', "<b>", "x", "ж "]
    )
    | XML_TEXT,
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(PIECES)
def test_any_translation_renders_only_source_tags_and_keeps_its_words(translation):
    rendered = unit_html(LINKED, translation, _alt)
    assert set(_tags(rendered)) <= {"a", "strong", "code"}
    shown = _shown_text(rendered)
    words = PLACEHOLDER_RE.sub("", translation)
    # Every character written outside placeholders is shown as text; <3/> shows the source's code.
    assert shown == words or shown.replace("make check", "") == words


ATTRIBUTE_VALUE = st.text(alphabet="aZ09 -_.~/:?#=&%;,+@!*()'\"<>{}\r\n\tжé\xa0[]$", max_size=10)
UNIT_TEXT = st.text(alphabet="aZ ж中&<>\"'\r\n\t\xa0{}", max_size=8)


@st.composite
def units_and_translations(draw: st.DrawFn) -> tuple[Block, str]:
    placeholders = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        tag = draw(st.sampled_from(["a", "em", "strong", "code", "span", "br", "img", "q", "script"]))
        names = draw(st.lists(st.sampled_from(["href", "src", "title", "name", "class", "alt"]), max_size=3))
        attrs = tuple((name, draw(ATTRIBUTE_VALUE)) for name in names)
        paired = tag not in ("br", "img") and draw(st.booleans())
        content = None if paired or tag in ("br", "img") else draw(st.none() | UNIT_TEXT)
        alt = draw(st.none() | st.just("alt-text-1")) if tag == "img" else None
        placeholders.append(Placeholder(number, tag, attrs, content, alt, paired=paired))
    source = " ".join(f"<{p.number}>x</{p.number}>" if p.paired else f"<{p.number}/>" for p in placeholders)
    order = draw(st.permutations(placeholders))
    pieces = [draw(UNIT_TEXT)]
    for p in order:
        pieces += [
            f"<{p.number}>{draw(UNIT_TEXT)}</{p.number}>" if p.paired else f"<{p.number}/>",
            draw(UNIT_TEXT),
        ]
    return Block("paragraph-1", "paragraph", source, 1, tuple(placeholders)), "".join(pieces)


@settings(max_examples=500, deadline=None)
@given(units_and_translations(), st.sampled_from(["", "../"]), st.booleans(), UNIT_TEXT)
def test_units_written_directly_are_what_lxml_writes(case, root, english, alt):
    from tilmash.render import markup

    block, translation = case
    arguments = (block, translation, lambda unit: alt, root, lambda unit: english)
    try:
        direct = markup._write(markup._Direct(), *arguments)
    except markup._Unsafe:
        direct = None
    assert direct in (None, markup._write(markup._Tree(), *arguments))
    assert unit_html(*arguments) == markup._write(markup._Tree(), *arguments)
