"""Catalogs look exactly as gettext tools write them, and survive a trip through Poedit-style edits."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli
from tests.helpers import article, msgfmt_check
from tilmash.i18n import (
    article_template,
    is_reviewed,
    parse_catalog,
    read_catalog,
    render_catalog,
)

WORDS = [
    "university",
    "six-week",
    "2026",
    "12:30",
    "“quoted”",
    "«Тарлан»",
    "—",
    "научный",
    "Қазақстан",
    "e-mail",
    "(note)",
    "3.5%",
    "<1>link</1>",
    "<2/>",
    "a",
    "I",
    "co-operation",
    "’s",
    "ööö",
    "end.",
    "ok,",
    "1,200",
    "Al-Farabi",
    "әлеуметтік",
    "«Жаңа»,",
    "қыркүйекте",
    "зертханасы",
]
CJK = ["学生们在科学节上展示了", "他们的项目", "<1>太阳能实验室</1>", "2026年9月12日", "1.3千克", "研究人员"]


def _msgcat(text: str) -> str:
    return subprocess.run(["msgcat", "-"], input=text, capture_output=True, text=True, check=True).stdout


def _po(msgid: str) -> str:
    return (
        f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "{msgid}"\nmsgstr ""\n'
    )


def _written(text: str) -> str:
    """A catalog holding `text` as msgid and msgstr, as Tilmash writes it."""
    catalog = Catalog(locale="ru", project="Probe", charset="utf-8")
    catalog.add(text, text, context="paragraph-0123456789")
    return render_catalog(catalog).decode("utf-8")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=45))
def test_latin_and_cyrillic_strings_wrap_exactly_like_msgcat(words):
    written = _written(" ".join(words))
    assert _msgcat(written) == written


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CJK), st.sampled_from(["", "，", "。"])), min_size=1, max_size=20))
def test_chinese_strings_wrap_exactly_like_msgcat(parts):
    written = _written("".join(a + b for a, b in parts))
    assert _msgcat(written) == written


def test_every_catalog_tilmash_writes_is_what_msgcat_would_write(newsroom):
    assert run_cli("run", newsroom).code == 0
    catalogs = sorted((newsroom / "i18n").rglob("*.po")) + sorted((newsroom / "i18n").rglob("*.pot"))
    assert len(catalogs) == 3 * 8 + 6  # per locale: six articles, _ui and _taxonomy; six templates
    for path in catalogs:
        text = path.read_text(encoding="utf-8")
        assert _msgcat(text) == text, path
        assert msgfmt_check(path).returncode == 0


def test_poedit_style_edits_are_read_back_without_loss(newsroom, tmp_path):
    """Re-wrapped at another width, reordered, commented: the next run keeps every translation."""
    path = newsroom / "i18n" / "ru" / "solar-lab-opens.po"
    before = {(m.context, m.id): m.string for m in read_catalog(path, "ru") if m.id}
    edited = subprocess.run(
        ["msgcat", "--width=40", "--sort-output", str(path)], capture_output=True, text=True, check=True
    ).stdout
    edited = edited.replace('msgctxt "title"', '# Checked with the press office.\nmsgctxt "title"', 1)
    path.write_text(edited, encoding="utf-8")

    assert run_cli("run", newsroom).code == 0

    after = read_catalog(path, "ru")
    assert {(m.context, m.id): m.string for m in after if m.id} == before
    assert all(is_reviewed(m) for m in after if m.id)
    title = after.get("New solar energy laboratory opens on campus", context="title")
    assert title.user_comments == ["Checked with the press office."]
    assert (newsroom / "public" / "ru" / "solar-lab-opens.html").exists()


def test_duplicate_entries_are_reported_with_their_line(tmp_path):
    text = _po("Hello") + '\nmsgid "Hello"\nmsgstr "Привет"\n'
    with pytest.raises(Exception) as raised:
        parse_catalog(text.encode(), Path("dup.po"), "ru")
    assert "dup.po:8" in str(raised.value) and "duplicate" in str(raised.value)


def test_wrong_encoding_is_reported_with_its_line(tmp_path):
    data = _po("Caf\u00e9").encode("latin-1")
    with pytest.raises(Exception) as raised:
        parse_catalog(data, Path("latin.po"), "ru")
    assert "latin.po:5" in str(raised.value) and "UTF-8" in str(raised.value)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(WORDS + ['\\"', "x/y", "https://a.org/b", "\\n", "([x])", "a\\\\nb"]),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from([" ", "  ", ""]),
    st.sampled_from([20, 40, 77]),
)
def test_fast_path_breaks_lines_exactly_like_the_general_path(words, separator, room):
    from tilmash.i18n.powrap import _chunks, _narrow_chunks

    text = separator.join(w for w in words if not any(ord(c) > 0x2FFF for c in w))
    assert _narrow_chunks(text, room) == _chunks(text, room)


def test_rewrite_keeps_tool_headers_previous_context_and_claims_no_babel(tmp_path):
    path = tmp_path / "edited.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Project-Id-Version: Tilmash newsroom VERSION\\n"\n'
        '"PO-Revision-Date: 2026-11-24 12:19+0000\\n"\n"Last-Translator: Dana <dana@uni.example>\\n"\n'
        '"Language: kk\\n"\n"Language-Team: Qazaq desk\\n"\n"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
        '"X-Generator: Poedit 3.4\\n"\n"X-Poedit-SourceCharset: UTF-8\\n"\n\n'
        '#, fuzzy\n#| msgctxt "paragraph-1"\n#| msgid "Old text"\nmsgctxt "paragraph-2"\n'
        'msgid "New text"\nmsgstr "Жаңа мәтін"\n',
        encoding="utf-8",
    )
    written = render_catalog(read_catalog(path, "kk")).decode()
    for kept in ("X-Generator: Poedit 3.4", "X-Poedit-SourceCharset: UTF-8", "Last-Translator: Dana"):
        assert kept in written
    assert "Language-Team: Qazaq desk" in written and "Generated-By" not in written
    assert '#| msgctxt "paragraph-1"\n#| msgid "Old text"\nmsgctxt "paragraph-2"' in written
    path.write_text(written, encoding="utf-8")
    assert msgfmt_check(path).returncode == 0
    assert render_catalog(read_catalog(path, "kk")).decode() == written


# Every kind of text a newsroom catalog meets: words in three scripts, CJK glued to Latin,
# dashes, URLs, paths, escapes, newlines, tabs, long runs without spaces, odd spaces.
PIECES = [
    "university",
    "научный",
    "Қазақстан",
    "学生们在科学节上",
    "中文English混合",
    "Latin—中文",
    "a–b",
    "—",
    "–",
    "-",
    ":",
    "/",
    "key: value",
    "x/y/z",
    "https://alatau.example/news/2026/solar-lab?id=12&x=y",
    "press@uni.example",
    "path/to/file.txt",
    "\n",
    "\t",
    '"',
    "\\",
    "x" * 85,
    "longwordwithoutspaces" * 3,
    "3.5%",
    "1,200",
    "12:30",
    "COVID-19",
    "«Тарлан»",
    "“quoted”",
    "。",
    "，",
    "(",
    ")",
    "<1>",
    "</1>",
    "<2/>",
    "%(tag)s",
    "%%",
    "% d",
    "…",
    "\u00a0",
    "\u200b",
    "😀",
    "ｆｕｌｌ",
]
TEXT = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.sampled_from([" ", " ", "  "]),
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Co", "Cn"]), max_size=4),
    ),
    max_size=40,
).map("".join)
ENTRY = st.tuples(TEXT, TEXT, st.booleans(), st.booleans(), st.one_of(st.none(), TEXT))


def _random_catalog(entries) -> Catalog:
    catalog = Catalog(locale="ru", project="Probe", charset="utf-8", fuzzy=False)
    for index, (msgid, msgstr, fuzzy, obsolete, previous) in enumerate(entries):
        message = Message(msgid or "x", msgstr, context=f"unit-{index}", flags=["fuzzy"] if fuzzy else [])
        # Babel guesses python-format ("% d") and python-brace-format ("{x}") from the text; Tilmash
        # writes python-format only for theme strings and never python-brace-format, whose
        # directive rules (gettext's format-python-brace.c) the writer does not model.
        message.flags.discard("python-brace-format")
        if obsolete:
            catalog.obsolete[(message.id, message.context)] = message
            continue
        if previous is not None and fuzzy:
            message.previous_id = [previous]
            message.previous_context = f"unit-{index}-before"
        catalog[message.id] = message
    return catalog


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.data_too_large, HealthCheck.too_slow]
)
@given(st.lists(ENTRY, min_size=30, max_size=50))
def test_writer_is_byte_identical_to_msgcat_on_random_catalogs(entries):
    """Thousands of random entries (80 catalogs of 30-50), each catalog compared with msgcat itself."""
    written = render_catalog(_random_catalog(entries)).decode("utf-8")
    assert _msgcat(written) == written


def test_writer_uses_gettexts_own_line_breaker_here():
    from tilmash.i18n import gnuwrap

    assert gnuwrap.available()  # libunistring, which msgcat links, is on this machine
    # An en dash and ":"/"/" before letters: where the Python approximation used to differ.
    text = "Speakers – from Almaty: see https://alatau.example/a/b/c and key:value/other–text " * 3
    assert _msgcat(_written(text)) == _written(text)


# Plain text, which the writer breaks without the library (gnuwrap._plain_cuts), and pieces
# that make text the library must break (a full stop before a letter or digit, `1,200`).
PLAIN_PIECES = ["news", "Almaty", "2026", "a", "I", "end.", "ok,", "x9", "Z", ",", ".", "...", "1"]
PLAIN_PIECES += ["<1>", "</1>", "<12>bold</12>", "<2>the", "report</2>", "9<3>", "</3>9", "a</4>,", "</5>."]
MIXED_PIECES = [*PLAIN_PIECES, "b.c", "1,200", "<6/>", "a/b", "end.<7>"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(PLAIN_PIECES), st.sampled_from([" ", " ", "", "  "])), max_size=60),
    st.integers(1, 77),
    st.integers(0, 77),
)
def test_plain_text_breaks_where_gettexts_line_breaker_breaks_it(pieces, room, column):
    from tilmash.i18n import gnuwrap

    # A full stop or comma is followed by a space (or another one) in plain text.
    text = "".join(
        piece + (separator or " " if piece[-1] in ".," else separator) for piece, separator in pieces
    )
    data, column = text.encode(), min(column, room)
    assert gnuwrap._plain(data)
    asked = gnuwrap._cuts(gnuwrap._linebreaks(), data, None, text, room, column)  # the library
    assert gnuwrap._plain_cuts(text, room, column) == asked


def test_only_plain_text_is_broken_without_the_library():
    from tilmash.i18n.gnuwrap import _plain

    assert _plain(b"Students of 12 faculties met, and spoke. Then 7 left.")
    assert _plain(b"The <1>rector</1> met <12>students</12>, see <2>the report</2>.")
    for text in ["a.b", "x.5", "1.5", "1,200", "a .5", " leading", "six-week", "Tarlan’s", "a: b", "a\tb"]:
        assert not _plain(text.encode()), text
    for text in [
        "a.<1>b</1>",
        "a,<1>b</1>",
        "<1/>",
        "a <2/> b",
        "a/b",
        "< 1>",
        "<x>",
        "1 > 2",
        "</1",
        "<<1>",
    ]:
        assert not _plain(text.encode()), text


@given(st.binary(max_size=12) | st.text(alphabet="a.,Z9< ", max_size=12).map(str.encode))
def test_a_stop_or_comma_before_a_letter_digit_or_placeholder_is_found_as_the_pattern_finds_it(data):
    from tilmash.i18n.gnuwrap import _disputed

    assert _disputed(data) == (re.search(rb"[.,][0-9A-Za-z<]", data) is not None)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(MIXED_PIECES), st.sampled_from([" ", "", "  "])), min_size=1))
def test_plain_strings_wrap_exactly_like_msgcat(pieces):
    written = _written("".join(piece + separator for piece, separator in pieces).strip() or "x")
    assert _msgcat(written) == written


POEDIT_HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: Tilmash newsroom VERSION\\n"\n'
    '"Report-Msgid-Bugs-To: EMAIL@ADDRESS\\n"\n"POT-Creation-Date: 2026-11-24 12:14+0000\\n"\n'
    '"PO-Revision-Date: 2026-11-24 12:19+0000\\n"\n"Last-Translator: Aigerim <aigerim@uni.example>\\n"\n'
    '"Language-Team: Russian desk <ru@uni.example>\\n"\n"Language: ru\\n"\n"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || '
    'n%100>=20) ? 1 : 2);\\n"\n"X-Generator: Poedit 3.4.2\\n"\n'
)


def test_catalog_from_poedit_and_msgcat_is_not_rewritten_nor_redated(newsroom):
    path = newsroom / "i18n" / "ru" / "solar-lab-opens.po"
    text = path.read_text(encoding="utf-8")
    start = text.index('msgid ""')
    text = text[:start] + POEDIT_HEADER + text[text.index("\n\n", start) :]
    path.write_text(_msgcat(text), encoding="utf-8")
    before = path.read_bytes()
    assert run_cli("run", newsroom).code == 0
    assert path.read_bytes() == before

    catalog = read_catalog(path, "ru")
    entry = next(m for m in catalog if m.id and m.id.startswith("What the laboratory"))
    entry.string = "Что будет изучать новая лаборатория"
    path.write_bytes(render_catalog(catalog))
    written = read_catalog(path, "ru").header_fields
    assert [name for name, _ in written] == re.findall(r'^"([\w-]+): ', POEDIT_HEADER, re.MULTILINE)
    assert dict(written)["X-Generator"] == "Poedit 3.4.2" and dict(written)["Content-Type"].endswith("UTF-8")


def test_a_catalog_laid_out_by_another_tool_is_left_alone_until_its_entries_change(newsroom):
    """`msgcat --no-wrap` (or Weblate's 77 columns): each run re-wrapped every catalog to 79
    columns and moved its PO-Revision-Date, though no translation changed."""
    assert run_cli("run", newsroom).code == 0
    paths = sorted((newsroom / "i18n").glob("*/*.po"))
    for path in paths:
        path.write_text(
            subprocess.run(
                ["msgcat", "--no-wrap", str(path)], capture_output=True, text=True, check=True
            ).stdout,
            encoding="utf-8",
        )
    windows = newsroom / "i18n" / "kk" / "library-night.po"
    windows.write_bytes(windows.read_bytes().replace(b"\n", b"\r\n"))
    before = {path: path.read_bytes() for path in paths}
    assert any(len(line) > 79 for line in before[paths[0]].decode().splitlines())

    assert run_cli("run", newsroom).code == 0
    assert {path: path.read_bytes() for path in paths} == before

    source = newsroom / "sources" / "solar-lab-opens.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    assert run_cli("run", newsroom).code == 0
    edited = newsroom / "i18n" / "ru" / "solar-lab-opens.po"
    assert edited.read_bytes() != before[edited] and msgfmt_check(edited).returncode == 0
    assert "A new closing paragraph." in edited.read_text(encoding="utf-8")


STORY_PIECES = [*PIECES, *WORDS, *CJK, "**bold**", "[link](https://example.org/a)", "`code`", "![Alt](a.png)"]


@given(
    st.lists(st.lists(st.sampled_from(STORY_PIECES), min_size=1, max_size=40), min_size=1, max_size=6),
    st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=5, minutes=30))])),
)
@settings(max_examples=40, deadline=None)
def test_pot_written_directly_is_the_pot_of_the_babel_template(paragraphs, now):
    from tilmash.i18n.template import template_bytes

    story = article("\n\n".join(" ".join(words) for words in paragraphs) + "\n\n## Details\n\n- one item\n")
    template = article_template(story, "sources/story.md")
    template.creation_date = template.revision_date = now
    direct = template_bytes(story, "sources/story.md", now)
    assert render_catalog(template) == direct
    assert f"POT-Creation-Date: {now.year:04d}-{now:%m-%d %H:%M%z}".encode() in direct  # the run's clock
