"""Localized pages, feeds and sitemap that readers, aggregators and validators accept."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import feedparser
import pytest
from lxml import etree, html

from tests.conftest import REPO, run_cli
from tilmash.config import load_config
from tilmash.i18n import read_catalog, render_catalog
from tilmash.runner import RunOptions, run

SITE = "https://news.alatau-university.example/"
LANG = {"en": "en", "kk": "kk", "ru": "ru", "zh": "zh-Hans"}


def _set_policy(newsroom: Path, text: str) -> None:
    config = newsroom / "tilmash.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('policy = "reviewed"', text), encoding="utf-8"
    )


def _resolve(directory: Path, href: str) -> Path:
    return Path(os.path.normpath(directory / href))


def _page(newsroom: Path, path: str):
    return html.parse(str(newsroom / "public" / path)).getroot()


def vnu_jar() -> Path:
    candidates = [
        Path(os.environ.get("VNU_JAR", "")),
        REPO / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar",
    ]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        pytest.fail("the Nu HTML Checker is not installed: run scripts/setup.sh (npm package vnu-jar)")
    return found


def test_every_page_passes_the_nu_html_checker(newsroom):
    assert run_cli("run", newsroom).code == 0
    pages = sorted(str(p) for p in (newsroom / "public").rglob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", "--format", "text", *pages],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_headings_as_authors_write_them_never_skip_a_level(newsroom):
    """`#### ` under the title, `#` in the body, an imported page's `<h2>` then `<h4>` (as on
    mozilla.org's Developer Edition page in trafilatura's test resources): the Nu HTML Checker
    rejected each skipped level."""
    (newsroom / "sources" / "outline.md").write_text(
        "---\ntitle: Outline\ndate: 2026-05-01\n---\nIntro.\n\n#### Straight under the title\n\n"
        "Text.\n\n# A first-level heading\n\nText.\n\n###### Six\n\n## Two\n\n### Three\n",
        encoding="utf-8",
    )
    (newsroom / "sources" / "imported-page.html").write_text(
        '<html><head><title>Tools</title><meta name="date" content="2026-05-02"></head><body>'
        "<article><h1>Tools</h1><h2>Inspector</h2><p>Look inside.</p><h4>Important: sync</h4>"
        "<p>Sync your profile.</p></article></body></html>",
        encoding="utf-8",
    )
    assert run_cli("run", newsroom).code == 0
    levels = {
        name: [h.tag for h in _page(newsroom, f"en/{name}.html").iter("h1", "h2", "h3", "h4", "h5", "h6")]
        for name in ("outline", "imported-page")
    }
    assert levels == {
        "outline": ["h1", "h2", "h2", "h3", "h2", "h3"],
        "imported-page": ["h1", "h2", "h3"],
    }
    pages = [str(newsroom / "public" / "en" / f"{name}.html") for name in levels]
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", "--format", "text", *pages],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_article_head_has_canonical_hreflang_and_localized_description(newsroom):
    assert run_cli("run", newsroom).code == 0
    page = _page(newsroom, "kk/student-satellite.html")
    assert page.get("lang") == "kk" and page.get("dir") == "ltr"
    assert page.xpath("//link[@rel='canonical']/@href") == [SITE + "kk/student-satellite.html"]
    alternates = dict(
        zip(page.xpath("//link[@hreflang]/@hreflang"), page.xpath("//link[@hreflang]/@href"), strict=True)
    )
    assert alternates == {
        "en": SITE + "en/student-satellite.html",
        "kk": SITE + "kk/student-satellite.html",
        "ru": SITE + "ru/student-satellite.html",
        "zh-Hans": SITE + "zh/student-satellite.html",
        "x-default": SITE + "en/student-satellite.html",
    }
    description = page.xpath("//meta[@name='description']/@content")[0]
    assert description.startswith("Жер үсті станциясының операторлары")
    assert page.xpath("//meta[@property='og:description']/@content") == [description]


def test_language_switcher_lists_only_published_translations(newsroom):
    assert run_cli("run", newsroom).code == 0
    switcher = _page(newsroom, "en/water-conference.html").xpath("//nav[@class='languages']//*[@lang]/@lang")
    assert switcher == ["en"]
    switcher = _page(newsroom, "en/solar-lab-opens.html").xpath("//nav[@class='languages']//a/@href")
    assert switcher == [
        "../kk/solar-lab-opens.html",
        "../ru/solar-lab-opens.html",
        "../zh/solar-lab-opens.html",
    ]


@pytest.mark.parametrize(
    ("locale", "month"),
    [("kk", "қыркүйек"), ("ru", "сентября"), ("zh", "2026年9月14日"), ("en", "September")],
)
def test_dates_are_formatted_for_the_locale(newsroom, locale, month):
    assert run_cli("run", newsroom).code == 0
    assert month in _page(newsroom, f"{locale}/solar-lab-opens.html").xpath("//time")[0].text


def test_index_is_paginated_newest_first(newsroom):
    config = newsroom / "tilmash.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("page_size = 10", "page_size = 4"), encoding="utf-8"
    )
    assert run_cli("run", newsroom).code == 0
    first = _page(newsroom, "en/index.html")
    dates = first.xpath("//ol[@class='articles']//time/@datetime")
    assert len(dates) == 4 and dates == sorted(dates, reverse=True)
    public = newsroom / "public"
    assert (
        _resolve(public / "en", first.xpath("//a[@rel='next']/@href")[0]) == public / "en" / "page" / "2.html"
    )
    second = _page(newsroom, "en/page/2.html")
    assert len(second.xpath("//ol[@class='articles']/li")) == 2
    assert (
        _resolve(public / "en" / "page", second.xpath("//a[@rel='prev']/@href")[0])
        == public / "en" / "index.html"
    )
    assert "Страница" not in second.text_content() and "Page 2 of 2" in second.text_content()


def test_tag_pages_list_the_articles_of_each_tag(newsroom):
    assert run_cli("run", newsroom).code == 0
    page = _page(newsroom, "ru/tags/space.html")
    assert page.xpath("string(//h1)") == "Статьи с тегом «космос»"
    links = page.xpath("//ol[@class='articles']//a/@href")
    assert [_resolve(newsroom / "public" / "ru" / "tags", link) for link in links] == [
        newsroom / "public" / "ru" / "student-satellite.html"
    ]
    article = _page(newsroom, "ru/student-satellite.html")
    assert "tags/space.html" in " ".join(article.xpath("//a[@class='tag']/@href"))


def test_machine_policy_publishes_with_notice_and_noindex(newsroom, en_ru_package, packages_env):
    _set_policy(newsroom, 'policy = "machine"')
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    assert run_cli("run", newsroom, env=packages_env).code == 0
    page = _page(newsroom, "ru/water-conference.html")
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert "Машинный перевод, ещё не проверен." in page.xpath("//p[@class='notice']")[0].text
    reviewed = _page(newsroom, "ru/solar-lab-opens.html")
    assert not reviewed.xpath("//meta[@name='robots']") and not reviewed.xpath("//p[@class='notice']")
    assert not (
        newsroom / "public" / "kk" / "water-conference.html"
    ).exists()  # no kk model: nothing to publish
    feed = feedparser.parse((newsroom / "public" / "ru" / "atom.xml").read_bytes())
    assert len(feed.entries) == 6


def test_threshold_policy_shows_missing_units_in_english_marked_as_such(newsroom):
    _set_policy(newsroom, 'policy = "threshold"\nthreshold = 60')
    path = newsroom / "i18n" / "ru" / "student-satellite.po"
    catalog = read_catalog(path, "ru")
    next(m for m in catalog if m.id and m.id.startswith("Data from the satellite")).string = ""
    path.write_bytes(render_catalog(catalog))
    assert run_cli("run", newsroom).code == 0
    page = _page(newsroom, "ru/student-satellite.html")
    english = page.xpath("//span[@class='untranslated']")
    assert [(s.get("lang"), s.text_content()) for s in english] == [
        ("en", "Data from the satellite will be open to schools and researchers on the university website.")
    ]
    assert "не переведены" in page.xpath("//p[@class='notice']")[0].text
    assert not (newsroom / "public" / "ru" / "water-conference.html").exists()  # 0 % reviewed


def test_feeds_in_three_formats_parse_with_language_and_stable_ids(newsroom):
    assert run_cli("run", newsroom).code == 0
    public = newsroom / "public"
    for name, version in (("atom.xml", "atom10"), ("rss.xml", "rss20")):
        feed = feedparser.parse((public / "zh" / name).read_bytes())
        assert feed.version == version, name
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert {e.id for e in feed.entries} == {
            SITE + f"zh/{s}.html" for s in ("solar-lab-opens", "steppe-plants-grant", "student-satellite")
        }
        assert "学生研制的纳米卫星发回首批信号" in {e.title for e in feed.entries}
        entry = next(e for e in feed.entries if "纳米卫星" in e.title)
        content = entry.content[0].value if "content" in entry else entry.summary
        assert "塔尔兰" in content and SITE + "static/nanosat.svg" in content
    assert feedparser.parse((public / "zh" / "atom.xml").read_bytes()).feed.language == "zh-Hans"
    assert feedparser.parse((public / "zh" / "rss.xml").read_bytes()).feed.language == "zh-Hans"
    # feedparser 6.0 does not read JSON Feed: check the 1.1 spec's required members directly.
    document = json.loads((public / "zh" / "feed.json").read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1" and document["language"] == "zh-Hans"
    assert document["title"] == "阿拉套科学大学新闻中心" and document["feed_url"] == SITE + "zh/feed.json"
    assert {item["id"] for item in document["items"]} == {
        e.id for e in feedparser.parse((public / "zh" / "atom.xml").read_bytes()).entries
    }
    assert all(item["content_html"] and item["url"].startswith(SITE) for item in document["items"])
    first = (public / "zh" / "atom.xml").read_bytes()
    (newsroom / ".tilmash" / "state.json").unlink()
    assert run_cli("run", newsroom).code == 0
    assert (public / "zh" / "atom.xml").read_bytes() == first


def test_sitemap_is_valid_and_links_every_translation(newsroom):
    assert run_cli("run", newsroom).code == 0
    schema = etree.XMLSchema(etree.parse(str(REPO / "tests" / "schemas" / "sitemap.xsd")))
    document = etree.parse(str(newsroom / "public" / "sitemap.xml"))
    schema.assertValid(document)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = document.xpath("//s:loc/text()", namespaces=ns)
    assert len(locs) == 4 + 6 + 3 * 3
    entry = document.xpath(f"//s:url[s:loc='{SITE}ru/solar-lab-opens.html']", namespaces=ns)[0]
    assert sorted(entry.xpath("x:link/@hreflang", namespaces=ns)) == ["en", "kk", "ru", "zh-Hans"]
    lonely = document.xpath(f"//s:url[s:loc='{SITE}en/library-night.html']", namespaces=ns)[0]
    assert not lonely.xpath("x:link", namespaces=ns)


def test_a_sitemap_over_the_protocols_url_limit_becomes_an_index_of_files_within_it(newsroom, monkeypatch):
    """sitemaps.org allows 50,000 URLs per file; with the limit at 8 the fixture's 19 URLs go to
    three files listed by sitemap.xml, each valid, an article's translations kept together."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    schema = etree.XMLSchema(etree.parse(str(REPO / "tests" / "schemas" / "sitemap.xsd")))
    public = newsroom / "public"
    assert run_cli("run", newsroom).code == 0
    whole = etree.parse(str(public / "sitemap.xml")).xpath("//s:loc/text()", namespaces=ns)
    monkeypatch.setattr("tilmash.render.sitemap.MAX_URLS", 8)
    (newsroom / ".tilmash" / "state.json").unlink()  # the inputs are the same: run anyway
    assert run(load_config(newsroom), RunOptions(jobs=1)).ok
    index = etree.parse(str(public / "sitemap.xml")).getroot()
    assert index.tag == f"{{{ns['s']}}}sitemapindex"
    listed = index.xpath("s:sitemap/s:loc/text()", namespaces=ns)
    assert listed == [f"{SITE}sitemaps/{n}.xml" for n in range(1, len(listed) + 1)] and len(listed) >= 3
    locs = []
    for loc in listed:
        part = etree.parse(str(public / loc.removeprefix(SITE)))
        schema.assertValid(part)
        own = part.xpath("//s:url/s:loc/text()", namespaces=ns)
        assert 0 < len(own) <= 8
        assert set(part.xpath("//x:link/@href", namespaces=ns)) <= set(own)  # translations together
        locs += own
    assert sorted(locs) == sorted(whole)
    monkeypatch.undo()
    (newsroom / ".tilmash" / "state.json").unlink()
    assert run(load_config(newsroom), RunOptions(jobs=1)).ok
    assert etree.parse(str(public / "sitemap.xml")).xpath("//s:loc/text()", namespaces=ns) == whole
    assert not (public / "sitemaps").exists()  # the split files go with the split


def test_pages_make_no_external_requests(newsroom):
    assert run_cli("run", newsroom).code == 0
    for page_path in (newsroom / "public").rglob("*.html"):
        page = html.parse(str(page_path)).getroot()
        fetched = page.xpath("//img/@src | //script/@src | //link[@rel='stylesheet']/@href | //iframe/@src")
        assert not [url for url in fetched if "://" in url or url.startswith("//")], page_path
