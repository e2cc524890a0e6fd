"""Every visible string of a localized page is in its language or marked English; heads that fit."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
from lxml import etree, html

from tests.conftest import run_cli
from tilmash.i18n import read_catalog, render_catalog


def _configure(newsroom: Path, old: str, new: str) -> None:
    config = newsroom / "tilmash.toml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")


def _page(newsroom: Path, path: str):
    return html.parse(str(newsroom / "public" / path)).getroot()


def test_untranslated_title_summary_and_alt_text_are_marked_english(newsroom):
    _configure(newsroom, 'policy = "reviewed"', 'policy = "threshold"\nthreshold = 50')
    path = newsroom / "i18n" / "ru" / "student-satellite.po"
    catalog = read_catalog(path, "ru")
    for message in catalog:
        if message.context == "title" or message.context == "summary" or "alt" in (message.context or ""):
            message.string = ""
    path.write_bytes(render_catalog(catalog))
    assert run_cli("run", newsroom).code == 0
    page = _page(newsroom, "ru/student-satellite.html")
    title = "Student-built nanosatellite sends its first signals"
    assert page.xpath("//h1/@lang") == ["en"] and page.xpath("string(//h1)") == title
    assert page.xpath("//p[@class='summary']/@lang") == ["en"]
    assert page.xpath("//div[@class='body']//img/@lang") == ["en"]
    assert page.xpath("//title/@lang") == ["en"] and page.xpath("string(//title)") == title
    assert page.xpath("//meta[@name='description']/@lang") == ["en"]
    assert page.xpath("//html/@lang") == ["ru"]
    entry = _page(newsroom, "ru/index.html").xpath(
        "//ol[@class='articles']//a[contains(@href, 'student-satellite')]"
    )
    assert [a.get("lang") for a in entry] == ["en"]
    translated = _page(newsroom, "ru/solar-lab-opens.html")
    assert not translated.xpath("//h1/@lang | //title/@lang | //p[@class='summary']/@lang | //img/@lang")


def test_index_titles_do_not_repeat_a_word_and_pages_differ(newsroom):
    _configure(newsroom, "page_size = 10", "page_size = 2")
    assert run_cli("run", newsroom).code == 0
    for locale in ("en", "kk", "ru", "zh"):
        first = _page(newsroom, f"{locale}/index.html").xpath("string(//title)")
        parts = [p.strip() for p in first.split("—")]
        assert len(parts) == len(set(parts)), first
        second = _page(newsroom, f"{locale}/page/2.html").xpath("string(//title)")
        assert second != first and second.startswith(first)
    assert _page(newsroom, "kk/index.html").xpath("string(//title)").count("Жаңалықтар") == 1
    assert _page(newsroom, "ru/index.html").xpath("string(//title)").count("Новости") == 1


def test_open_graph_locale_and_rss_channel_link(newsroom):
    assert run_cli("run", newsroom).code == 0
    expected = {"en": "en_US", "kk": "kk_KZ", "ru": "ru_RU", "zh": "zh_CN"}
    for locale, og in expected.items():
        page = _page(newsroom, f"{locale}/student-satellite.html")
        assert page.xpath("//meta[@property='og:locale']/@content") == [og]
        rss = etree.parse(str(newsroom / "public" / locale / "rss.xml"))
        assert rss.xpath("/rss/channel/link/text()") == [
            f"https://news.alatau-university.example/{locale}/index.html"
        ]
        assert feedparser.parse((newsroom / "public" / locale / "rss.xml").read_bytes()).feed.link.endswith(
            f"/{locale}/index.html"
        )


def test_no_ascii_space_after_full_width_punctuation_in_chinese_theme_strings(newsroom):
    assert run_cli("run", newsroom).code == 0
    page = _page(newsroom, "zh/student-satellite.html")
    footer = page.xpath("string(//footer)")
    tags = page.xpath("string(//p[@class='tags'])")
    assert "发布。订阅：Atom" in footer
    assert not re.search(r"[。，、；：！？] ", footer + tags), (footer, tags)
    assert "Subscribe: Atom" in _page(newsroom, "en/student-satellite.html").xpath("string(//footer)")


def test_image_titles_are_units_translated_like_alt_text(newsroom):
    source = newsroom / "sources" / "student-satellite.md"
    text = source.read_text(encoding="utf-8")
    assert "(static/nanosat.svg)" in text
    source.write_text(text.replace("(static/nanosat.svg)", '(static/nanosat.svg "Tarlan in the clean room")'))
    assert run_cli("run", newsroom).code == 0
    path = newsroom / "i18n" / "ru" / "student-satellite.po"
    catalog = read_catalog(path, "ru")
    entry = next(m for m in catalog if m.id == "Tarlan in the clean room")
    assert entry.auto_comments[0] == "image title" and entry.string == ""
    pot = (newsroom / "i18n" / "pot" / "student-satellite.pot").read_text(encoding="utf-8")
    assert 'msgid "Tarlan in the clean room"' in pot
    assert _page(newsroom, "en/student-satellite.html").xpath("//div[@class='body']//img/@title") == [
        "Tarlan in the clean room"
    ]
    entry.string = "«Тарлан» в чистой комнате"
    path.write_bytes(render_catalog(catalog))
    assert run_cli("run", newsroom).code == 0
    image = _page(newsroom, "ru/student-satellite.html").xpath("//div[@class='body']//img")[0]
    assert image.get("title") == "«Тарлан» в чистой комнате"
    assert image.get("lang") is None and not image.get("alt").isascii()
