"""A corrected English article never takes its translations offline, and never shows a stale sentence."""

from __future__ import annotations

from pathlib import Path

import feedparser
from lxml import html

from tests.conftest import run_cli
from tilmash.i18n import read_catalog, render_catalog

OLD = "A nanosatellite designed by 14 engineering students has reached orbit and sent its first signals."
NEW = OLD.replace("14", "15")
LOCALES = {"kk": "kk", "ru": "ru", "zh": "zh_Hans"}


def _correct(newsroom: Path) -> None:
    source = newsroom / "sources" / "student-satellite.md"
    text = source.read_text(encoding="utf-8")
    assert OLD in text
    source.write_text(text.replace(OLD, NEW), encoding="utf-8")


def _page(newsroom: Path, locale: str):
    return html.parse(str(newsroom / "public" / locale / "student-satellite.html")).getroot()


def _entry(newsroom: Path, locale: str):
    feed = feedparser.parse((newsroom / "public" / locale / "atom.xml").read_bytes())
    return next(e for e in feed.entries if e.link.endswith("/student-satellite.html"))


def _old_translation(newsroom: Path, locale: str) -> str:
    catalog = read_catalog(newsroom / "i18n" / locale / "student-satellite.po", LOCALES[locale])
    return str(next(m for m in catalog if m.id == OLD).string)


def test_a_correction_keeps_every_translation_online_with_the_english_sentence(newsroom):
    assert run_cli("run", newsroom).code == 0
    before = {
        locale: (_old_translation(newsroom, locale), _entry(newsroom, locale).updated) for locale in LOCALES
    }
    _correct(newsroom)
    result = run_cli("run", newsroom)
    assert result.code == 0, result.stderr
    for locale, (old_translation, updated) in before.items():
        page = _page(newsroom, locale)
        english = page.xpath("//div[@class='body']//*[@lang='en']")
        assert [e.text_content() for e in english] == [NEW]
        assert old_translation not in page.text_content()  # never the old "14"
        notice = page.xpath("string(//p[contains(@class, 'updating')])")
        assert notice and "English" not in notice  # in the page's language
        assert not page.xpath("//p[@class='notice' and not(contains(@class, 'updating'))]")
        entry = _entry(newsroom, locale)  # still in the feed, as updated
        assert entry.updated != updated
        assert NEW in entry.content[0].value
        assert "student-satellite.html" in (newsroom / "public" / locale / "index.html").read_text(
            encoding="utf-8"
        )
        assert f"{locale}/student-satellite.html" in (newsroom / "public" / "sitemap.xml").read_text(
            encoding="utf-8"
        )
        catalog = read_catalog(newsroom / "i18n" / locale / "student-satellite.po", LOCALES[locale])
        fuzzy = next(m for m in catalog if m.id == NEW)
        assert fuzzy.fuzzy and fuzzy.string == old_translation  # kept for the translator, not for readers


def test_approving_the_changed_sentence_removes_the_notice(newsroom):
    assert run_cli("run", newsroom).code == 0
    _correct(newsroom)
    assert run_cli("run", newsroom).code == 0
    path = newsroom / "i18n" / "ru" / "student-satellite.po"
    catalog = read_catalog(path, "ru")
    message = next(m for m in catalog if m.id == NEW)
    message.string = str(message.string).replace("14", "15")
    message.flags.discard("fuzzy")
    message.previous_id = []
    path.write_bytes(render_catalog(catalog))
    assert run_cli("run", newsroom).code == 0
    page = _page(newsroom, "ru")
    assert not page.xpath("//*[contains(@class, 'notice')]") and not page.xpath(
        "//div[@class='body']//*[@lang='en']"
    )
    assert "15 студентами" in page.text_content() or "15" in page.xpath("string(//div[@class='body']/p[1])")
    assert page.xpath("//p[contains(@class, 'updating')]") == []
    assert _page(newsroom, "kk").xpath("//p[contains(@class, 'updating')]")  # kk still waits for review


def test_first_publication_still_needs_every_unit_reviewed(newsroom):
    _correct(newsroom)  # changed before any page was ever online
    assert run_cli("run", newsroom).code == 0
    for locale in LOCALES:
        assert not (newsroom / "public" / locale / "student-satellite.html").exists()
        assert (newsroom / "public" / locale / "solar-lab-opens.html").exists()


def test_machine_policy_never_republishes_the_old_translation_of_a_changed_sentence(newsroom):
    config = newsroom / "tilmash.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('policy = "reviewed"', 'policy = "machine"'))
    assert run_cli("run", newsroom).code == 0
    old_translation = _old_translation(newsroom, "ru")
    _correct(newsroom)
    assert run_cli("run", newsroom).code == 0
    page = _page(newsroom, "ru")
    assert old_translation not in page.text_content()
    assert [e.text_content() for e in page.xpath("//div[@class='body']//*[@lang='en']")] == [NEW]
