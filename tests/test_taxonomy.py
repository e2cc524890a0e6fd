"""Tags and bylines: translated once per locale (`_taxonomy.po`), shown in English and marked until then."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
from lxml import html

from tests.conftest import run_cli
from tests.helpers import msgfmt_check
from tilmash.i18n import read_catalog, render_catalog


def _page(newsroom: Path, path: str):
    return html.parse(str(newsroom / "public" / path)).getroot()


def test_tags_and_authors_are_localized_everywhere_with_stable_tag_urls(newsroom):
    assert run_cli("run", newsroom).code == 0
    page = _page(newsroom, "kk/student-satellite.html")
    assert page.xpath("string(//span[@class='author'])") == "Баспасөз қызметі"
    tags = page.xpath("//a[@class='tag']")
    assert [(a.text, a.get("href"), a.get("lang")) for a in tags] == [
        ("ғарыш", "../kk/tags/space.html", None),
        ("студенттер", "../kk/tags/students.html", None),
    ]
    tag_page = _page(newsroom, "ru/tags/space.html")
    assert tag_page.xpath("string(//h1)") == "Статьи с тегом «космос»"
    assert tag_page.xpath("string(//title)").startswith("Статьи с тегом «космос»")
    assert tag_page.xpath("string(//ol[@class='articles']//span[@class='author'])") == "Пресс-служба"
    atom = feedparser.parse((newsroom / "public" / "zh" / "atom.xml").read_bytes())
    entry = next(e for e in atom.entries if e.link.endswith("/student-satellite.html"))
    assert entry.author == "新闻办公室"
    assert [t.term for t in entry.tags] == ["航天", "学生"]
    rss = feedparser.parse((newsroom / "public" / "ru" / "rss.xml").read_bytes())
    assert [t.term for t in next(e for e in rss.entries if "student-satellite" in e.link).tags] == [
        "космос",
        "студенты",
    ]
    items = json.loads((newsroom / "public" / "kk" / "feed.json").read_text(encoding="utf-8"))["items"]
    item = next(i for i in items if i["url"].endswith("/student-satellite.html"))
    assert item["authors"] == [{"name": "Баспасөз қызметі"}] and item["tags"] == ["ғарыш", "студенттер"]
    english = _page(newsroom, "en/student-satellite.html")
    assert [a.text for a in english.xpath("//a[@class='tag']")] == ["space", "students"]
    assert not english.xpath("//*[@class='author'][@lang] | //a[@class='tag'][@lang]")


def test_a_new_name_is_added_to_the_catalog_and_shown_in_english_until_reviewed(newsroom):
    source = newsroom / "sources" / "student-satellite.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("tags: [space, students]", "tags: [space, students, orbit]"), encoding="utf-8"
    )
    assert run_cli("run", newsroom).code == 0
    path = newsroom / "i18n" / "ru" / "_taxonomy.po"
    assert msgfmt_check(path).returncode == 0
    catalog = read_catalog(path, "ru")
    entry = next(m for m in catalog if m.context == "tag" and m.id == "orbit")
    assert entry.string == "" and ("sources/student-satellite.md", None) in entry.locations
    page = _page(newsroom, "ru/student-satellite.html")
    orbit = page.xpath("//a[@class='tag'][contains(@href, 'orbit')]")[0]
    assert (orbit.text, orbit.get("lang")) == ("orbit", "en")
    assert _page(newsroom, "ru/tags/orbit.html").xpath("//h1//span[@lang='en']/text()") == ["orbit"]

    entry.string = "орбита"
    entry.flags.add("fuzzy")  # not reviewed yet: still English
    path.write_bytes(render_catalog(catalog))
    assert run_cli("run", newsroom).code == 0
    assert _page(newsroom, "ru/student-satellite.html").xpath("//a[contains(@href, 'orbit')]/text()") == [
        "orbit"
    ]
    catalog = read_catalog(path, "ru")
    next(m for m in catalog if m.id == "orbit").flags.discard("fuzzy")
    path.write_bytes(render_catalog(catalog))
    assert run_cli("run", newsroom).code == 0
    orbit = _page(newsroom, "ru/student-satellite.html").xpath("//a[contains(@href, 'orbit')]")[0]
    assert (orbit.text, orbit.get("lang"), orbit.get("href")) == ("орбита", None, "../ru/tags/orbit.html")


def test_a_reviewed_name_failing_the_gate_stays_english(newsroom):
    path = newsroom / "i18n" / "kk" / "_taxonomy.po"
    catalog = read_catalog(path, "kk")
    next(m for m in catalog if m.id == "Press Office").string = "Press Office Kazakhstan"
    path.write_bytes(render_catalog(catalog))
    result = run_cli("run", newsroom)
    assert result.code == 1
    assert "error: i18n/kk/_taxonomy.po:" in result.stderr and "[script]" in result.stderr, result.stderr
    author = _page(newsroom, "kk/student-satellite.html").xpath("//span[@class='author']")[0]
    assert (author.text, author.get("lang")) == ("Press Office", "en")


def test_the_review_page_offers_the_taxonomy_catalog(newsroom):
    from tilmash.config import load_config
    from tilmash.review.app import create_app

    client = create_app(load_config(newsroom), "t0ken").test_client()
    host = {"Host": "127.0.0.1:8737"}
    client.get("/?token=t0ken", headers=host)
    assert "_taxonomy" in client.get("/", headers=host).get_data(as_text=True)
    page = client.get("/kk/_taxonomy", headers=host)
    assert page.status_code == 200 and "Баспасөз қызметі" in page.get_data(as_text=True)
