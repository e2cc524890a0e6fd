"""The publish gate: a reviewed translation that fails a blocking check never reaches readers."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lxml import html

from tests.conftest import run_cli
from tilmash.i18n import read_catalog, render_catalog

SATELLITE = "The satellite, named <1>Tarlan</1>"
DATA = "Data from the satellite"
# A reviewed Russian translation of SATELLITE that lost its <1>…</1>: the bold name vanishes.
WITHOUT_PLACEHOLDER = (
    "Спутник под названием Тарлан весит 1,3 килограмма. Два года он будет снимать ледники Тянь-Шаня."
)


def _retranslate(newsroom: Path, locale: str, slug: str, starts: str, text: str, fuzzy: bool = False) -> int:
    """Give the entry whose English starts with `starts` a new translation; returns its msgid line."""
    path = newsroom / "i18n" / locale / f"{slug}.po"
    catalog = read_catalog(path, locale)
    message = next(m for m in catalog if m.id and str(m.id).startswith(starts))
    message.string = text
    if fuzzy:
        message.flags.add("fuzzy")
    else:
        message.flags.discard("fuzzy")
    path.write_bytes(render_catalog(catalog))
    return next(m for m in read_catalog(path, locale) if m.id == message.id).lineno


def _drop_the_bold_in_ru(newsroom: Path) -> int:
    return _retranslate(newsroom, "ru", "student-satellite", SATELLITE, WITHOUT_PLACEHOLDER)


def _set_publish(newsroom: Path, lines: str) -> None:
    config = newsroom / "tilmash.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('policy = "reviewed"', lines), encoding="utf-8")


def test_reviewed_russian_in_a_kazakh_catalog_is_not_published(newsroom):
    line = _retranslate(
        newsroom,
        "kk",
        "student-satellite",
        SATELLITE,
        "Спутник, названный <1>«Тарлан»</1>, весит 1,3 килограмма. Он будет снимать ледники.",
    )
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert f"error: i18n/kk/student-satellite.po:{line}: error [language] Russian words" in result.stderr, (
        result.stderr
    )
    assert not (newsroom / "public" / "kk" / "student-satellite.html").exists()
    assert "student-satellite" not in (newsroom / "public" / "kk" / "atom.xml").read_text(encoding="utf-8")
    assert (newsroom / "public" / "ru" / "student-satellite.html").exists()  # the other locales go on
    assert json.loads(run_cli("status", newsroom, "--json").stdout)["locales"][1]["published"] == 2


def test_latin_look_alike_letters_block_a_reviewed_unit(newsroom):
    catalog = newsroom / "i18n" / "kk" / "student-satellite.po"
    text = catalog.read_text(encoding="utf-8")
    assert "деп аталған спутниктің" in text
    catalog.write_text(text.replace("деп аталған спутниктің", "деп aтaлғaн спутниктің"), encoding="utf-8")
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert "error [mixed-script]" in result.stderr and "aтaлғaн" in result.stderr, result.stderr
    assert not (newsroom / "public" / "kk" / "student-satellite.html").exists()


def test_a_reviewed_broken_placeholder_is_an_error_not_a_silent_loss(newsroom):
    line = _drop_the_bold_in_ru(newsroom)
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert re.search(
        rf"^error: i18n/ru/student-satellite\.po:{line}: error \[markup\] placeholder <1>…</1> is missing",
        result.stderr,
        re.MULTILINE,
    ), result.stderr
    assert not (newsroom / "public" / "ru" / "student-satellite.html").exists()


def test_block_on_chooses_the_checks_that_gate_publication(newsroom):
    _set_publish(newsroom, 'policy = "reviewed"\nblock_on = ["urls"]')
    _drop_the_bold_in_ru(newsroom)
    assert run_cli("run", newsroom).code == 0
    page = html.parse(str(newsroom / "public" / "ru" / "student-satellite.html")).getroot()
    assert "Спутник под названием Тарлан" in page.text_content()
    check = run_cli("check", newsroom, "--json")
    assert check.code == 0  # the same verdict as the run: markup does not block here
    problems = json.loads(check.stdout)["problems"]
    assert [p["blocks_publication"] for p in problems if p["check"] == "markup"] == [False]


def test_check_marks_the_problems_that_block_publication(newsroom):
    line = _retranslate(
        newsroom, "kk", "student-satellite", DATA, "Data from the satellite will be open to schools."
    )
    result = run_cli("check", newsroom)
    assert result.code == 1
    assert f"i18n/kk/student-satellite.po:{line}: error [script] most letters are Latin" in result.stdout
    assert re.search(
        r"error \[script\] most letters are Latin.* \(blocks publication\)$", result.stdout, re.M
    )
    assert re.search(r"warning \[length\] .*for kk\)$", result.stdout, re.M)  # warnings never block
    problems = json.loads(run_cli("check", newsroom, "--json").stdout)["problems"]
    assert {p["check"] for p in problems if p["blocks_publication"]} == {"script"}


def test_unknown_check_in_block_on_is_a_configuration_error(newsroom):
    _set_publish(newsroom, 'policy = "reviewed"\nblock_on = ["markup", "spelling"]')
    result = run_cli("run", newsroom)
    assert result.code == 2
    assert "[publish] block_on" in result.stderr and "QA check names" in result.stderr


def test_review_page_shows_the_gate_verdict(newsroom):
    from tilmash.config import load_config
    from tilmash.review.app import create_app

    _drop_the_bold_in_ru(newsroom)
    client = create_app(load_config(newsroom), "t0ken").test_client()
    client.get("/?token=t0ken")
    page = html.fromstring(client.get("/ru/student-satellite").get_data(as_text=True))
    unit = next(s for s in page.xpath("//section") if "Tarlan" in s.xpath("string(.//div[@class='source'])"))
    assert "Not published" in unit.xpath("string(.//p[@class='blocked'])")
    assert "[markup]" in unit.xpath("string(.//ul[@class='problems'])")
    others = [s for s in page.xpath("//section") if s is not unit]
    assert others and not any(s.xpath(".//p[@class='blocked']") for s in others)


def test_blocked_gives_exactly_the_blocking_verdicts():
    from babel.messages.catalog import Message

    from tilmash.i18n.checks import CheckContext
    from tilmash.i18n.gate import blocked, blocking_checks, verdicts

    context = CheckContext("kk")
    message = Message("Read the <1>report</1> of 12 May.", "Есеп 13 мамыр the report аударылды", context="p")
    for block_on in (blocking_checks(), frozenset({"urls"}), frozenset({"markup", "spacing"})):
        expected = [(v.check.name, v.message) for v in verdicts(message, context, block_on) if v.blocks]
        assert [(v.check.name, v.message) for v in blocked(message, context, block_on)] == expected
    assert {v.check.name for v in blocked(message, context, blocking_checks())} >= {"markup", "numbers"}
