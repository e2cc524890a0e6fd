"""Malformed catalogs are refused with their line, as GNU `msgfmt --check` refuses them.

Each variant breaks one rule of a valid catalog (or keeps it valid); Tilmash's reader must
give msgfmt's verdict on every one, and a run must leave a refused catalog byte for byte.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tilmash.i18n import CatalogError, parse_catalog

BASE = """\
# Russian translation of "solar-lab-opens".
# Translator: Aigerim
msgid ""
msgstr ""
"Project-Id-Version: Tilmash newsroom\\n"
"PO-Revision-Date: 2026-11-24 12:19+0000\\n"
"Last-Translator: Aigerim\\n"
"Language-Team: Russian translators\\n"
"Language: ru\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

# checked by the editor
#. title
#: sources/solar-lab-opens.md:2
msgctxt "title"
msgid "New solar energy laboratory opens on campus"
msgstr "В кампусе открылась новая лаборатория"

#. paragraph
#: sources/solar-lab-opens.md:8
#, fuzzy
#| msgctxt "paragraph-1"
#| msgid "The old text"
msgctxt "paragraph-2"
msgid ""
"The Alatau University of Science opened its <1>Solar Energy Laboratory</1> "
"on 12 September 2026."
msgstr ""
"Алатауский университет науки 12 сентября 2026 года открыл <1>Лабораторию</1>."

#, python-format
msgid "Page %(number)s of %(count)s"
msgstr "Страница %(number)s из %(count)s"

msgid "One article"
msgid_plural "%d articles"
msgstr[0] "%d статья"
msgstr[1] "%d статьи"
msgstr[2] "%d статей"

#~ msgctxt "old"
#~ msgid "Gone"
#~ msgstr "Ушло"
"""
base = BASE
T = 'msgstr "В кампусе открылась новая лаборатория"'


def sub(a, b, count=1):
    assert a in base, a
    return base.replace(a, b, count)


VARIANTS = {
    "garbage-before-string": sub(T, 'msgstr garbage "В кампусе открылась новая лаборатория"'),
    "unterminated-string": sub(T, 'msgstr "В кампусе открылась новая лаборатория'),
    "second-msgstr": sub(T, T + '\nmsgstr "Вторая"'),
    "msgid-without-msgstr": sub(T + "\n", ""),
    "msgstr-without-msgid": sub('msgid "New solar energy laboratory opens on campus"\n', ""),
    "bare-text-line": sub(T, T + "\nкакой-то текст"),
    "invalid-escape": sub(T, 'msgstr "В кампусе \\q открылась"'),
    "text-after-string": sub(T, T + " хвост"),
    "missing-opening-quote": sub(T, 'msgstr В кампусе открылась новая лаборатория"'),
    "unescaped-quote": sub(T, 'msgstr "В кампусе "открылась" лаборатория"'),
    "duplicate-entry": base
    + '\nmsgctxt "title"\nmsgid "New solar energy laboratory opens on campus"\nmsgstr "Дубль"\n',
    "plural-without-msgstr0": sub('msgstr[0] "%d статья"\n', ""),
    "msgstr-index-without-plural": sub('msgid_plural "%d articles"\n', ""),
    "unknown-keyword": sub(T, T.replace("msgstr", "msgsrt")),
    "msgctxt-without-msgid": base + '\nmsgctxt "lonely"\n',
    "blank-line-inside-entry": sub(
        'msgid "New solar energy laboratory opens on campus"\n',
        'msgid "New solar energy laboratory opens on campus"\n\n',
    ),
    "no-header": base[base.index("# checked") :],
    "continuation-garbage": sub('"on 12 September 2026."', '"on 12 September 2026." x'),
    "continuation-unterminated": sub('"on 12 September 2026."', '"on 12 September 2026.'),
    "python-format-mismatch": sub(
        'msgstr "Страница %(number)s из %(count)s"', 'msgstr "Страница %(nomer)s из %(count)s"'
    ),
    "python-format-mismatch-fuzzy": sub(
        '#, python-format\nmsgid "Page', '#, fuzzy, python-format\nmsgid "Page'
    ).replace('msgstr "Страница %(number)s из %(count)s"', 'msgstr "Страница %(nomer)s из %(count)s"'),
    "newline-mismatch": sub(T, 'msgstr "В кампусе открылась новая лаборатория\\n"'),
    "leading-newline-mismatch": sub(T, 'msgstr "\\nВ кампусе открылась новая лаборатория"'),
    "fuzzy-newline-mismatch": sub("#, fuzzy\n#| msgctxt", "#, fuzzy\n#| msgctxt").replace(
        '"Алатауский университет науки 12 сентября 2026 года открыл <1>Лабораторию</1>."',
        '"Алатауский университет науки 12 сентября 2026 года открыл <1>Лабораторию</1>.\\n"',
    ),
    "obsolete-garbage": sub('#~ msgstr "Ушло"', '#~ msgstr garbage "Ушло"'),
    "obsolete-unterminated": sub('#~ msgstr "Ушло"', '#~ msgstr "Ушло'),
    "previous-garbage": sub('#| msgid "The old text"', '#| msgid garbage "The old text"'),
    "plural-gap": sub('msgstr[1] "%d статьи"', 'msgstr[3] "%d статьи"'),
    "too-many-plurals": sub('msgstr[2] "%d статей"', 'msgstr[2] "%d статей"\nmsgstr[3] "%d статей"'),
    "too-few-plurals": sub('msgstr[2] "%d статей"\n', ""),
    "msgid-plural-with-plain-msgstr": sub(
        'msgstr[0] "%d статья"\nmsgstr[1] "%d статьи"\nmsgstr[2] "%d статей"', 'msgstr "%d статья"'
    ),
    "bad-charset": sub("charset=utf-8", "charset=CHARSET"),
    "header-no-content-type": sub('"Content-Type: text/plain; charset=utf-8\\n"\n', ""),
    "header-default-revision-date": sub(
        "PO-Revision-Date: 2026-11-24 12:19+0000", "PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE"
    ),
    "header-no-plural-forms": base[: base.index('"Plural-Forms')] + base[base.index('2);\\n"\n') + 7 :],
    "bad-plural-forms": sub("nplurals=3;", "nplurals=x;"),
    # The plural expression itself (a Poedit user's hand edit; Transifex's and Django's Russian)
    "plural-expression-unbalanced": sub("? 1 : 2);", "? 1 : 2;"),
    "plural-expression-out-of-range": sub("? 1 : 2);", "? 1 : 3);"),
    "plural-expression-division-by-zero": sub("n%10==1 &&", "n%0==1 &&"),
    "plural-expression-missing": sub(
        'plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "\n"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);', ""
    ),
    "plural-four-forms-as-django-writes": sub(
        'nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "\n"'
        "n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
        'nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "\n"'
        'n%10<=4 && (n%100<12 || n%100>14) ? 1 : n%10==0 || (n%10>=5 && n%10<=9) || "\n"'
        "(n%100>=11 && n%100<=14)? 2 : 3);",
    ).replace('msgstr[2] "%d статей"', 'msgstr[2] "%d статей"\nmsgstr[3] "%d статьи"'),
    "missing-quote-continuation": sub('"on 12 September 2026."', 'on 12 September 2026."'),
    "comment-between-msgid-msgstr": sub(T, "# note\n" + T),
    "msgctxt-after-msgid": sub(
        'msgctxt "title"\nmsgid "New solar energy laboratory opens on campus"',
        'msgid "New solar energy laboratory opens on campus"\nmsgctxt "title"',
    ),
    "empty-file": "",
    "only-comments": "# nothing here\n",
    "keyword-no-space": sub(T, 'msgstr"В кампусе открылась новая лаборатория"'),
    "tab-escape-ok": sub(T, 'msgstr "В кампусе\\tоткрылась новая лаборатория"'),
    "octal-escape": sub(T, 'msgstr "В кампусе\\101 открылась новая лаборатория"'),
    "hex-escape": sub(T, 'msgstr "В кампусе\\x41 открылась новая лаборатория"'),
    "control-char": sub(T, 'msgstr "В кампусе\x01 открылась новая лаборатория"'),
    "trailing-backslash": sub(T, 'msgstr "В кампусе открылась новая лаборатория\\"'),
    "crlf-line-endings": base.replace("\n", "\r\n"),
    "indented-keyword": sub(T, "  " + T),
    "uppercase-keyword": sub(T, T.replace("msgstr", "MSGSTR")),
    "obsolete-previous": sub('#~ msgctxt "old"', '#~| msgid "older"\n#~ msgctxt "old"'),
    "empty-msgid-not-header": base + '\nmsgctxt "x"\nmsgid ""\nmsgstr "y"\n',
    "duplicate-obsolete": base + '\n#~ msgctxt "old"\n#~ msgid "Gone"\n#~ msgstr "Ушло"\n',
    "obsolete-duplicates-live": base
    + '\n#~ msgctxt "title"\n#~ msgid "New solar energy laboratory opens on campus"\n#~ msgstr "Старое"\n',
    "range-flag": sub("#, python-format", "#, python-format, range: 1..5"),
    "no-trailing-newline": base.rstrip("\n"),
    "bom": "\ufeff" + base,
    "merge-conflict": sub(
        T, f'<<<<<<< HEAD\n{T}\n=======\nmsgstr "В кампусе открыта лаборатория"\n>>>>>>> ru-desk'
    ),
    "c-format-mismatch": sub(
        '#, python-format\nmsgid "Page %(number)s of %(count)s"\nmsgstr "Страница %(number)s из %(count)s"',
        '#, c-format\nmsgid "Page %d of %s"\nmsgstr "Страница %s из %d"',
    ),
    "header-fuzzy": sub('msgid ""\nmsgstr ""\n"Project', '#, fuzzy\nmsgid ""\nmsgstr ""\n"Project'),
}

# msgfmt names the header for a plural count that disagrees with it; Tilmash the entry.
LINE_ELSEWHERE = {"too-many-plurals", "too-few-plurals", "header-no-plural-forms"}


def msgfmt_verdict(path: Path) -> tuple[bool, int | None]:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    line = re.search(rf"{re.escape(path.name)}:(\\d+)", result.stderr)
    return result.returncode == 0, int(line.group(1)) if line else None


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_reader_gives_msgfmts_verdict_with_the_line(tmp_path, name):
    path = tmp_path / f"{name}.po"
    path.write_bytes(VARIANTS[name].encode("utf-8"))
    accepted, line = msgfmt_verdict(path)
    try:
        parse_catalog(path.read_bytes(), path, "ru")
    except CatalogError as error:
        assert not accepted, f"msgfmt accepts it, Tilmash refused: {error}"
        assert error.line is not None and str(error).startswith(f"{path}:{error.line}: ")
        if line is not None and name not in LINE_ELSEWHERE:
            assert abs(error.line - line) <= 1, (error.line, line)
    else:
        assert accepted, "msgfmt refuses it, Tilmash accepted it"


@pytest.mark.parametrize(
    ("name", "says"),
    [("bom", "byte-order mark (U+FEFF)"), ("merge-conflict", "merge-conflict marker (<<<<<<<)")],
)
def test_a_bom_or_a_conflict_marker_is_named_not_called_a_keyword(name, says):
    """Notepad's BOM showed as `keyword "\ufeff#" unknown`, an invisible character."""
    with pytest.raises(CatalogError) as raised:
        parse_catalog(VARIANTS[name].encode("utf-8"), Path("ru.po"), "ru")
    assert says in raised.value.message and "keyword" not in raised.value.message


def test_variants_cover_both_verdicts():
    assert len(VARIANTS) >= 50
    assert sum(msgfmt_verdict_text(text) for text in VARIANTS.values()) >= 15


def msgfmt_verdict_text(text: str) -> bool:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", "-"], input=text.encode(), capture_output=True
    )
    return result.returncode == 0


def test_valid_catalog_reads_every_field():
    catalog = parse_catalog(BASE.encode(), Path("base.po"), "ru")
    paragraph = catalog.get(
        "The Alatau University of Science opened its <1>Solar Energy Laboratory</1> on 12 September 2026.",
        context="paragraph-2",
    )
    assert paragraph.fuzzy and paragraph.previous_id == ["The old text"]
    assert paragraph.previous_context == "paragraph-1"
    assert catalog.get("New solar energy laboratory opens on campus", context="title").user_comments == [
        "checked by the editor"
    ]
    plural = catalog.get("One article")
    assert plural.string == ("%d статья", "%d статьи", "%d статей")
    assert "Translator: Aigerim" in catalog.header_comment
    assert list(catalog.obsolete.values())[0].string == "Ушло"


@pytest.mark.parametrize("name", ["garbage-before-string", "second-msgstr", "unterminated-string"])
def test_run_leaves_a_refused_catalog_untouched_and_names_its_line(newsroom, name):
    path = newsroom / "i18n" / "ru" / "solar-lab-opens.po"
    text = path.read_text(encoding="utf-8")
    target = 'msgstr "Ряды солнечных панелей на крыше инженерного корпуса"'
    assert target in text
    broken_entry = {
        "garbage-before-string": 'msgstr garbage "Ряды солнечных панелей на крыше инженерного корпуса"',
        "second-msgstr": target + '\nmsgstr "Второй вариант"',
        "unterminated-string": target[:-1],
    }[name]
    broken = text.replace(target, broken_entry).encode("utf-8")
    path.write_bytes(broken)
    line = text[: text.index(target)].count("\n") + 1 + (name == "second-msgstr")
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert f"solar-lab-opens.po:{line}: " in result.stderr
    assert path.read_bytes() == broken
    assert (newsroom / "public" / "ru" / "student-satellite.html").exists()


# Catalogs saved in the charset their header declares, as Poedit and msgconv save them on
# Windows or for GB2312 (and some whose bytes are not in the charset declared).
ZH_TITLE = "校园新建太阳能实验室"
ENCODED = {
    "windows-1251": (sub("charset=utf-8", "charset=windows-1251"), "cp1251"),
    "koi8-r": (sub("charset=utf-8", "charset=KOI8-R"), "koi8-r"),
    "gb2312": (
        sub("charset=utf-8", "charset=GB2312").replace("В кампусе открылась новая лаборатория", ZH_TITLE),
        "gb2312",
    ),
    "ascii-declared-utf8-bytes": (sub("charset=utf-8", "charset=ASCII"), "utf-8"),
    "ascii-declared-koi8-bytes": (sub("charset=utf-8", "charset=ASCII"), "koi8-r"),
}


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_catalog_in_its_declared_charset_gets_msgfmts_verdict(tmp_path, name):
    text, encoding = ENCODED[name]
    path = tmp_path / f"{name}.po"
    path.write_bytes(text.encode(encoding))
    accepted, _ = msgfmt_verdict(path)
    try:
        catalog = parse_catalog(path.read_bytes(), path, "ru")
    except CatalogError as error:
        assert not accepted, f"msgfmt accepts it, Tilmash refused: {error}"
        assert error.line is not None and str(error).startswith(f"{path}:{error.line}: ")
    else:
        assert accepted, "msgfmt refuses it, Tilmash accepted it"
        title = catalog.get("New solar energy laboratory opens on campus", context="title").string
        assert title in (ZH_TITLE, "В кампусе открылась новая лаборатория") and title in text


def test_catalog_declaring_another_charset_over_utf8_bytes_is_refused_not_read_as_mojibake(tmp_path):
    """msgfmt accepts it (every byte is some Windows-1251 letter) and would show `Р’ РєР°РјРїСѓСЃРµ`."""
    data = sub("charset=utf-8", "charset=windows-1251").encode("utf-8")
    with pytest.raises(CatalogError) as raised:
        parse_catalog(data, Path("ru.po"), "ru")
    assert raised.value.line == next(n for n, line in enumerate(BASE.splitlines(), 1) if not line.isascii())
    assert "charset=windows-1251 but the text is UTF-8" in str(raised.value)


@pytest.mark.parametrize("charset", ["hex", "base64", "rot13", "x-klingon"])
def test_catalog_declaring_no_text_charset_is_refused_with_its_header_line(tmp_path, charset):
    """`hex`, `base64` and `rot13` are Python codecs but no text encodings: a catalog declaring
    one ended `run` and `check` with a LookupError traceback."""
    data = sub("charset=utf-8", f"charset={charset}").encode("utf-8")
    with pytest.raises(CatalogError, match=f"unknown charset '{charset}'") as raised:
        parse_catalog(data, Path("ru.po"), "ru")
    assert raised.value.line == next(n for n, line in enumerate(data.splitlines(), 1) if b"charset=" in line)


def test_run_reads_a_windows_1251_catalog_and_writes_it_back_as_utf8(newsroom):
    """The translator's reviewed work is kept and published; the file msgfmt gets declares what it holds
    (the old code refused the catalog as "not valid UTF-8", though msgfmt and Poedit read it)."""
    path = newsroom / "i18n" / "ru" / "student-satellite.po"
    text = path.read_text(encoding="utf-8")
    reviewed = {(m.context, m.id): m.string for m in parse_catalog(text.encode(), path, "ru") if m.id}
    path.write_bytes(text.replace("charset=utf-8", "charset=windows-1251").encode("cp1251"))

    result = run_cli("run", newsroom)

    assert result.code == 0, result.stderr
    written = path.read_bytes()
    assert b"charset=UTF-8" in written and msgfmt_verdict(path)[0]
    assert {(m.context, m.id): m.string for m in parse_catalog(written, path, "ru") if m.id} == reviewed
    page = (newsroom / "public" / "ru" / "student-satellite.html").read_text(encoding="utf-8")
    assert reviewed[("title", next(i for c, i in reviewed if c == "title"))] in page


def test_the_charset_is_taken_from_the_header_however_it_is_laid_out_and_only_from_it():
    """A header written on one line is read in its charset; an article quoting a Content-Type
    does not change how its catalog is read."""
    one_line = (
        'msgid ""\nmsgstr "Language: ru\\nContent-Type: text/plain; charset=KOI8-R\\n"\n\n'
        'msgid "Hello"\nmsgstr "Привет"\n'
    )
    catalog = parse_catalog(one_line.encode("koi8-r"), Path("one.po"), "ru")
    assert catalog.get("Hello").string == "Привет"
    quoting = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "The header Content-Type: text/plain; charset=koi8-r"\n'
        'msgstr "Заголовок Content-Type: text/plain; charset=koi8-r"\n'
    )
    catalog = parse_catalog(quoting.encode("utf-8"), Path("quoting.po"), "ru")
    assert catalog.get("The header Content-Type: text/plain; charset=koi8-r").string.startswith("Заголовок")
