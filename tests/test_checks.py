"""QA checks: each catches its problem and stays quiet on good translations."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from babel.dates import format_date

from tests.conftest import EXAMPLE, run_cli
from tilmash.i18n import read_catalog, render_catalog
from tilmash.i18n.checks import CHECKS, CheckContext

BY_NAME = {check.name: check for check in CHECKS}


@pytest.mark.parametrize(
    ("name", "locale", "source", "good", "bad"),
    [
        (
            "markup",
            "ru",
            "Read the <1>report</1> <2/>.",
            "Прочтите <1>отчёт</1> <2/>.",
            "Прочтите <1>отчёт <2/>.",
        ),
        (
            "numbers",
            "ru",
            "It weighs 1.3 kg and cost 1,200 tenge.",
            "Весит 1,3 кг и стоит 1 200 тенге.",
            "Весит 1,4 кг и стоит 1 200 тенге.",
        ),
        # A minus a typist or a model dropped (−35 °C published as 35 °C), or a sign flipped
        ("numbers", "ru", "Between −35 °C and +40 °C.", "От −35 °C до +40 °C.", "От 35 °C до +40 °C."),
        ("numbers", "ru", "Between −35 °C and +40 °C.", "От минус 35 °C до +40 °C.", "От +35 °C до +40 °C."),
        ("numbers", "ru", "Between −35 °C and +40 °C.", "От –35 °C до 40 °C.", "От –35 °C до –40 °C."),
        (
            "numbers",
            "kk",
            "It fell to -12 °C.",
            "Ол -12 °C-қа дейін төмендеді.",
            "Ол 12 °C-қа дейін төмендеді.",
        ),
        (
            "numbers",
            "zh",
            "Between −35 °C and +40 °C.",
            "冬季−35 °C至夏季+40 °C。",
            "冬季35 °C至夏季+40 °C。",
        ),
        ("numbers", "zh", "It fell to −35 °C.", "气温降至零下35 °C。", "气温降至35 °C。"),
        # The month changed while the day, a number, is still there
        ("numbers", "ru", "It opened on 12 September.", "Открылась 12 сентября.", "Открылась 12 октября."),
        ("numbers", "ru", "Published in December.", "Опубликуют в декабре.", "Опубликуют в ноябре."),
        ("numbers", "ru", "Rain in May 2026.", "Дожди в мае 2026 года.", "Дожди в июне 2026 года."),
        ("numbers", "kk", "It opened on 12 September.", "12 қыркүйекте ашылды.", "12 қазанда ашылды."),
        (
            "numbers",
            "zh",
            "Met on 10–11 November 2026.",
            "于2026年11月10日至11日举行。",
            "于2026年十二月10日至11日举行。",
        ),
        (
            "numbers",
            "ru",
            "COVID-19 cases fell by 3-4 % in 2025-2026 on the Tu-154 route.",
            "Число случаев COVID-19 на маршруте Ту-154 снизилось на 3-4 % в 2025-2026 годах.",
            "Число случаев COVID-19 на маршруте Ту-154 снизилось на 3-5 % в 2025-2026 годах.",
        ),
        (
            "urls",
            "kk",
            "Write to courses@uni.example now.",
            "courses@uni.example мекенжайына жазыңыз.",
            "courses@uni.exampel мекенжайына жазыңыз.",
        ),
        (
            "untranslated",
            "ru",
            "The laboratory opened today.",
            "Лаборатория открылась сегодня.",
            "The laboratory opened today.",
        ),
        (
            "language",
            "kk",
            "Students presented their projects at the annual science festival.",
            "Студенттер жыл сайынғы ғылым фестивалінде өз жобаларын көрсетті.",
            "Студенты представили свои проекты на ежегодном фестивале науки.",
        ),
        (
            "script",
            "zh",
            "Students presented their projects.",
            "学生们展示了他们的项目。",
            "Студенты представили свои проекты.",
        ),
        ("punctuation", "zh", "Hello, world.", "你好，世界。", "你好,世界."),
        ("punctuation", "ru", "He said “yes”.", "Он сказал «да».", "Он сказал “да”."),
        ("punctuation", "ru", "He said “yes”.", "Он сказал «да».", "Он сказал «да."),
        (
            "punctuation",
            "kk",
            "Entry is free, but seats are limited.",
            "Кіру тегін, бірақ орын шектеулі.",
            "Кіру тегін，бірақ орын шектеулі。",
        ),
        ("punctuation", "zh", "He said “yes”.", "他说：“是的。”", "他说：“是的。"),
        ("spacing", "ru", "Two words.", "Два слова.", "Два  слова."),
        # Latin letters beyond ASCII typed for Cyrillic ones: ə (U+0259) for ә, ɵ for ө, ë for ё
        ("mixed-script", "kk", "The world of science.", "Ғылым әлемі.", "Ғылым \u0259лемі."),
        ("mixed-script", "kk", "It grows.", "Ол өседі.", "Ол \u0275седі."),
        ("mixed-script", "ru", "One more laboratory.", "Ещё одна лаборатория.", "Ещ\u00eb одна лаборатория."),
        ("spacing", "kk", "Solar panels.", "Күн панельдері.", "Күн\u200b панельдері."),
        ("spacing", "ru", "Solar panels.", "Солнечные панели.", "Солнечные\u00adпанели."),
        # A right-to-left override turns "−35 °C" round on the page; a line separator breaks the line
        ("spacing", "ru", "It was −35 °C.", "Было −35 °C.", "Было \u202e−35 °C."),
        ("spacing", "kk", "Solar panels.", "Күн панельдері.", "Күн\u2028панельдері."),
        ("spacing", "ru", "In the city.", "В\u00a0городе.", "В\u00a0\u00a0городе."),
        # Enter pressed in the review page's editor, a tab pasted from a spreadsheet
        ("spacing", "ru", "Student satellite.", "Студенческий спутник.", "Студенческий\r\nспутник."),
        ("spacing", "zh", "Student satellite.", "学生卫星。", "学生\t卫星。"),
        (
            "script",
            "ru",
            "Students presented their projects.",
            "Студенты представили свои проекты.",
            "学生们展示了他们的项目。",
        ),
        ("script", "kk", "The conference opens today.", "Конференция бүгін ашылады.", "会议今天开幕。"),
        # Traditional characters typed into the Simplified catalog (a translator from Taiwan)
        ("script", "zh", "The laboratory opened.", "实验室开放了。", "實驗室開放了。"),
        (
            "language",
            "ru",
            "Students presented their projects at the annual science festival.",
            "Студенты представили свои проекты на ежегодном фестивале науки.",
            "Студенттер жыл сайынғы ғылым фестивалінде өз жобаларын көрсетті.",
        ),
        (
            "language",
            "ru",
            "Kassym-Jomart Tokayev visited the laboratory.",
            "Қасым-Жомарт Тоқаев посетил лабораторию.",  # a name in Kazakh letters stays a name
            "Қасым-Жомарт Тоқаев зертханаға барды.",
        ),
        ("final-punctuation", "ru", "The end.", "Конец.", "Конец"),
        (
            "length",
            "ru",
            "The laboratory will test photovoltaic panels.",
            "Лаборатория будет испытывать фотоэлектрические панели.",
            "Лаб.",
        ),
    ],
)
def test_check_flags_the_bad_and_passes_the_good(name, locale, source, good, bad):
    check, context = BY_NAME[name], CheckContext(locale)
    assert check.run(source, good, context) == []
    assert check.run(source, bad, context) != []


def test_glossary_check_uses_the_required_form():
    context = CheckContext("ru", terms=(("Alatau University of Science", "Алатауский университет науки"),))
    check = BY_NAME["glossary"]
    source = "The Alatau University of Science opened."
    assert check.run(source, "Алатауский университет науки открылся.", context) == []
    assert check.run(source, "Университет Алатау открылся.", context) != []


def test_cli_reports_file_line_check_and_exit_status(newsroom):
    path = newsroom / "i18n" / "ru" / "student-satellite.po"
    catalog = read_catalog(path, "ru")
    target = next(m for m in catalog if m.id and m.id.startswith("The satellite, named"))
    target.string = "Спутник весит 2 килограмма."  # markup and numbers lost
    path.write_bytes(render_catalog(catalog))
    line = read_catalog(path, "ru").get(target.id, context=target.context).lineno

    result = run_cli("check", newsroom, "--locale", "ru")
    assert result.code == 1
    assert (
        f"i18n/ru/student-satellite.po:{line}: error [markup] placeholder <1>…</1> is missing"
        in result.stdout
    )
    assert (
        f"i18n/ru/student-satellite.po:{line}: error [numbers] number 1.3 of the source is missing or changed"
        in result.stdout
    )

    as_json = json.loads(run_cli("check", newsroom, "--json").stdout)
    assert as_json["ok"] is False
    assert {"markup", "numbers"} <= {p["check"] for p in as_json["problems"] if p["line"] == line}


def test_clean_newsroom_passes_and_lists_checks(newsroom):
    assert run_cli("check", newsroom).code == 0
    listed = run_cli("check", "--list").stdout
    assert all(check.name in listed for check in CHECKS)


DJANGO = Path(__file__).parent / "catalogs" / "django"  # real kk/ru translations, see LICENSE there


def test_kazakh_text_saved_in_a_russian_catalog_is_caught_and_russian_text_is_not():
    """Django's own Kazakh and Russian translations of the same messages: the Kazakh ones are
    flagged when they stand in a Russian catalog, the Russian ones never."""
    ru, language = CheckContext("ru"), BY_NAME["language"]
    kazakh = [m for m in read_catalog(DJANGO / "kk.po", "kk") if m.id]
    russian = [m for m in read_catalog(DJANGO / "ru.po", "ru") if m.id]
    assert len(kazakh) == len(russian) >= 20
    assert [m.string for m in russian if language.run(m.id, m.string, ru)] == []
    missed = [m.string for m in kazakh if not language.run(m.id, m.string, ru)]
    assert len(missed) <= len(kazakh) // 5, missed  # those with one Kazakh word at most


def test_a_kazakh_catalog_saved_over_the_russian_one_is_not_published(newsroom):
    kazakh = (newsroom / "i18n" / "kk" / "solar-lab-opens.po").read_text(encoding="utf-8")
    (newsroom / "i18n" / "ru" / "solar-lab-opens.po").write_text(
        kazakh.replace('"Language: kk\\n"', '"Language: ru\\n"'), encoding="utf-8"
    )
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert "i18n/ru/solar-lab-opens.po:" in result.stderr and "[language] Kazakh words" in result.stderr
    assert not (newsroom / "public" / "ru" / "solar-lab-opens.html").exists()
    assert (newsroom / "public" / "kk" / "solar-lab-opens.html").exists()


@pytest.mark.parametrize("locale", ["ru", "kk", "zh"])
def test_every_month_as_babel_writes_it_passes_and_the_next_month_does_not(locale):
    """CLDR's long, full and stand-alone month forms (Babel) are the months the check knows."""
    check, context = BY_NAME["numbers"], CheckContext(locale)
    for month in range(1, 13):
        day = dt.date(2026, month, 12)
        for pattern in ("long", "full", "LLLL"):
            english, translated = (format_date(day, pattern, locale=code) for code in ("en", locale))
            assert check.run(english, translated, context) == [], (month, pattern)
        wrong = format_date(dt.date(2026, month % 12 + 1, 12), "long", locale=locale)
        assert check.run(format_date(day, "long", locale="en"), wrong, context) != [], (month, wrong)


def test_traditional_only_characters_are_traditional_and_absent_from_the_simplified_examples():
    """OpenCC (1.4, t2s) turns every one into another character; the reviewed zh catalogs,
    Simplified, hold none of them, and OpenCC's Traditional form of each holds some."""
    import opencc

    from tilmash.i18n.checks import _TRADITIONAL_ONLY

    to_simplified, to_traditional = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    assert all(to_simplified.convert(c) != c for c in _TRADITIONAL_ONLY)
    check, context = BY_NAME["script"], CheckContext("zh")
    for path in sorted((EXAMPLE / "i18n" / "zh").glob("*.po")):
        for message in read_catalog(path, "zh"):
            if message.id and isinstance(message.string, str) and message.string:
                assert check.run(message.id, message.string, context) == [], (path, message.string)
                if any(c in _TRADITIONAL_ONLY for c in to_traditional.convert(message.string)):
                    traditional = to_traditional.convert(message.string)
                    assert check.run(message.id, traditional, context) != [], traditional
