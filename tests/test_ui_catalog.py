"""The theme's catalogs (`_ui.po`): a translator's typo costs one string, never the site; plurals work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from lxml import html

from tests.conftest import run_cli
from tests.helpers import msgfmt_check
from tilmash.i18n import parse_catalog, read_catalog, render_catalog, sync_catalog
from tilmash.render.ui import compiled_mo, format_problem, translations

TAGGED = "Articles tagged “%(tag)s”"


def _set_ui(newsroom: Path, locale: str, msgid: str, text: str) -> None:
    """Give the theme string `msgid` a reviewed translation."""
    path = newsroom / "i18n" / locale / "_ui.po"
    catalog = read_catalog(path, locale)
    catalog[msgid].string = text
    path.write_bytes(render_catalog(catalog))


def _line(newsroom: Path, locale: str, msgid: str) -> int:
    """The line of `msgid` in the theme catalog as the run left it."""
    path = newsroom / "i18n" / locale / "_ui.po"
    return parse_catalog(path.read_bytes(), path, locale, check_format=False)[msgid].lineno


def _h1(newsroom: Path, page: str) -> str:
    return html.parse(str(newsroom / "public" / page)).getroot().xpath("string(//h1)")


def test_a_misspelled_format_field_falls_back_to_english_and_the_rest_publishes(newsroom):
    _set_ui(newsroom, "kk", TAGGED, "«%(teg)s» тегі бар мақалалар")
    result = run_cli("run", newsroom)
    line = _line(newsroom, "kk", TAGGED)
    assert result.code == 1
    assert f"error: i18n/kk/_ui.po:{line}: argument 'teg' does not exist in the English" in result.stderr, (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert _h1(newsroom, "kk/tags/space.html") == "Articles tagged “ғарыш”"
    assert _h1(newsroom, "ru/tags/space.html") == "Статьи с тегом «космос»"
    assert _h1(newsroom, "kk/index.html") == "Соңғы жаңалықтар"  # the other kk strings stay Kazakh
    assert (newsroom / "public" / "kk" / "student-satellite.html").exists()
    assert (newsroom / "i18n" / "kk" / "_ui.po").read_text(encoding="utf-8").count("%(teg)s") == 1  # kept


def test_a_dropped_format_field_is_an_error_not_a_silent_heading(newsroom):
    _set_ui(newsroom, "ru", TAGGED, "Статьи с тегом")
    result = run_cli("run", newsroom)
    line = _line(newsroom, "ru", TAGGED)
    assert result.code == 1
    assert f"error: i18n/ru/_ui.po:{line}: argument 'tag' is missing from the translation" in result.stderr, (
        result.stderr
    )
    assert _h1(newsroom, "ru/tags/space.html") == "Articles tagged “космос”"


def test_a_lone_percent_sign_falls_back_to_english(newsroom):
    config = newsroom / "tilmash.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("page_size = 10", "page_size = 2"))
    _set_ui(newsroom, "zh", "Page %(number)s of %(count)s", "第%(number)s页，共%(count)s页（100%完成）")
    result = run_cli("run", newsroom)
    line = _line(newsroom, "zh", "Page %(number)s of %(count)s")
    assert result.code == 1
    assert (
        f"error: i18n/zh/_ui.po:{line}: the translation is not a valid Python format string" in result.stderr
    ), result.stderr
    pager = (
        html.parse(str(newsroom / "public" / "zh" / "index.html"))
        .getroot()
        .xpath("string(//nav[@class='pager']/span)")
    )
    assert pager == "Page 1 of 2"


@pytest.mark.parametrize(
    ("source", "translation", "problem"),
    [
        ("Page %(number)s of %(count)s", "Страница %(number)s из %(count)s", None),
        ("Page %(number)s of %(count)s", "%(count)s ішінен %(number)s-бет", None),
        (
            "Page %(number)s of %(count)s",
            "Страница %(nomer)s из %(count)s",
            "argument 'nomer' does not exist",
        ),
        ("Page %(number)s of %(count)s", "Страница %(number)s", "argument 'count' is missing"),
        (
            "Page %(number)s of %(count)s",
            "100% страница %(number)s из %(count)s",
            "the translation is not a valid Python format string",
        ),
        ("Page %(number)s of %(count)s", "Страница %(number)s из %(count)s, 100%% готово", None),
        ("Tags:", "100% теги:", None),  # not formatted by the theme: shown as written
    ],
)
def test_format_problem(source, translation, problem):
    found = format_problem(source, translation)
    assert (found is None) if problem is None else (found is not None and found.startswith(problem))


PLURALS = {
    "kk": {1: "1 мақала", 2: "2 мақала", 5: "5 мақала", 21: "21 мақала", 22: "22 мақала", 25: "25 мақала"},
    "ru": {1: "1 статья", 2: "2 статьи", 5: "5 статей", 21: "21 статья", 22: "22 статьи", 25: "25 статей"},
    "zh": {1: "1篇文章", 2: "2篇文章", 5: "5篇文章", 21: "21篇文章", 22: "22篇文章", 25: "25篇文章"},
}
PLURALS["kk"][111] = "111 мақала"
PLURALS["ru"][111] = "111 статей"
PLURALS["zh"][111] = "111篇文章"


def test_plural_theme_strings_in_every_locale(newsroom):
    assert run_cli("run", newsroom).code == 0
    for locale, expected in PLURALS.items():
        path = newsroom / "i18n" / locale / "_ui.po"
        assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
        theme = translations(compiled_mo(read_catalog(path, "zh_Hans" if locale == "zh" else locale)))
        for count, text in expected.items():
            assert theme.ngettext("%(num)s article", "%(num)s articles", count) % {"num": count} == text
    assert (
        html.parse(str(newsroom / "public" / "en" / "tags" / "space.html"))
        .getroot()
        .xpath("string(//p[contains(@class, 'count')])")
        == "1 article"
    )


def test_tag_page_counts_its_articles_in_the_reader_s_language(newsroom):
    source = newsroom / "sources" / "steppe-plants-grant.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "tags: [chemistry, grants]", "tags: [chemistry, grants, research]"
        )
    )
    assert run_cli("run", newsroom).code == 0
    count = {
        locale: html.parse(str(newsroom / "public" / locale / "tags" / "research.html"))
        .getroot()
        .xpath("string(//p[contains(@class, 'count')])")
        for locale in ("en", "kk", "ru", "zh")
    }
    assert count == {"en": "2 articles", "kk": "2 мақала", "ru": "2 статьи", "zh": "2篇文章"}


def test_a_broken_plural_form_falls_back_to_english(newsroom):
    assert run_cli("run", newsroom).code == 0
    path = newsroom / "i18n" / "ru" / "_ui.po"
    catalog = read_catalog(path, "ru")
    catalog[("%(num)s article", "%(num)s articles")].string = (
        "%(num)s статья",
        "%(n)s статьи",
        "%(num)s статей",
    )
    path.write_bytes(render_catalog(catalog))
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert "error: i18n/ru/_ui.po:" in result.stderr and "argument 'n' does not exist" in result.stderr
    count = html.parse(str(newsroom / "public" / "ru" / "tags" / "space.html")).getroot()
    assert count.xpath("string(//p[contains(@class, 'count')])") == "1 article"


def test_sync_keeps_plural_entries_with_one_msgstr_per_form(tmp_path):
    template = Catalog(domain="ui")
    template.add(("%(num)s article", "%(num)s articles"), locations=[("templates/tag.html", 5)])
    template.add("Tags:", locations=[("templates/article.html", 13)])
    memory = {
        ("", ("%(num)s article", "%(num)s articles")): ("%(num)s статья", "%(num)s статьи", "%(num)s статей")
    }
    seeded = sync_catalog(template, None, "ru", memory)
    again = sync_catalog(template, seeded, "ru")
    fresh = sync_catalog(template, None, "ru")
    for name, catalog in (("seeded", seeded), ("again", again), ("fresh", fresh)):
        path = tmp_path / f"{name}.po"
        path.write_bytes(render_catalog(catalog))
        assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
    assert tuple(
        read_catalog(tmp_path / "again.po", "ru")[("%(num)s article", "%(num)s articles")].string
    ) == (
        "%(num)s статья",
        "%(num)s статьи",
        "%(num)s статей",
    )
    assert tuple(fresh[("%(num)s article", "%(num)s articles")].string) == ("", "", "")


def test_the_theme_is_found_when_run_from_the_newsroom_directory(newsroom):
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "tilmash", "run", "."],
        cwd=newsroom,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert result.returncode == 0, result.stderr
    assert _h1(newsroom, "ru/tags/space.html") == "Статьи с тегом «космос»"


DJANGO_RU_PLURALS = (  # Django's and Transifex's Russian: four forms, the fourth for fractions
    '"Plural-Forms: nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "\n'
    '"n%10<=4 && (n%100<12 || n%100>14) ? 1 : n%10==0 || (n%10>=5 && n%10<=9) || "\n'
    '"(n%100>=11 && n%100<=14)? 2 : 3);\\n"\n'
)


def test_a_theme_catalog_with_four_russian_plural_forms_keeps_all_of_them(newsroom):
    """A `_ui.po` whose header came from Django or Transifex: the run cut every plural entry to
    Babel's three forms under the file's `nplurals=4`, dropping the translator's fourth form and
    leaving a catalog msgfmt refuses (and the next run too)."""
    assert run_cli("run", newsroom).code == 0
    path = newsroom / "i18n" / "ru" / "_ui.po"
    text = path.read_text(encoding="utf-8")
    start = text.index('"Plural-Forms:')
    end = text.index('"MIME-Version:')
    text = (text[:start] + DJANGO_RU_PLURALS + text[end:]).replace(
        'msgstr[2] "%(num)s статей"\n', 'msgstr[2] "%(num)s статей"\nmsgstr[3] "%(num)s статьи"\n'
    )
    path.write_text(text, encoding="utf-8")
    assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
    result = run_cli("run", newsroom)
    assert result.code == 0, result.stderr
    assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
    assert 'msgstr[3] "%(num)s статьи"' in path.read_text(encoding="utf-8")
    theme = translations(compiled_mo(read_catalog(path, "ru")))
    for count, expected in ((1, "1 статья"), (3, "3 статьи"), (5, "5 статей"), (21, "21 статья")):
        assert theme.ngettext("%(num)s article", "%(num)s articles", count) % {"num": count} == expected
    assert run_cli("check", newsroom).code == 0


def test_a_plural_expression_msgfmt_refuses_is_an_error_with_its_line(newsroom):
    assert run_cli("run", newsroom).code == 0
    path = newsroom / "i18n" / "ru" / "_ui.po"
    before = path.read_bytes().replace(b"? 1 : 2);", b"? 1 : 2;")  # a closing parenthesis lost
    path.write_bytes(before)
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert re.search(r"error: \S*i18n/ru/_ui\.po:\d+: invalid plural expression", result.stderr)
    assert path.read_bytes() == before
