"""Feeds nobody here wrote: feedparser's own test corpus, whole and damaged.

Every feed is imported or refused whole; a refused feed changes no source; nothing unsafe
(remote images, live `javascript:` links, markup in titles) or dated 1970 reaches
`sources/` or `public/`.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from lxml import html

from tests.conftest import EXAMPLE, REPO, run_cli
from tilmash.feed_sync import import_feed
from tilmash.sources import Article, read_source
from tilmash.sources.feed_import import FeedError

CORPUS = REPO / "tests" / "feeds"
FEEDS = sorted(CORPUS.rglob("*.xml"))
LARGE = CORPUS / "feedparser/wellformed/sanitize/large_atom_feed_that_needs_css_sanitisation.xml"
DAMAGED = [
    LARGE,
    CORPUS / "feedparser/wellformed/psc/rss2.0simplechapter2items.xml",
    CORPUS / "feedparser/wellformed/psc/atomsimplechapter.xml",
    CORPUS / "feedparser/wellformed/namespace/rss2.0NSwithModules.xml",
    CORPUS / "feedparser/wellformed/rdf/rdf_item_title.xml",
]
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
FOREIGN_IN_TITLE = ".//*[not(self::span)] | .//span[@*[name() != 'lang' and name() != 'class']]"
REMOTE = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.I)
BOMB = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join('<!ENTITY lol{} "{}">'.format(n, f"&lol{n - 1};" * 10) for n in range(1, 10))
    + "]>"
)
EXTERNAL = '<!DOCTYPE feed [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def _snapshot(directory: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(directory.iterdir())}


def _assert_safe_source(path: Path) -> Article:
    article = read_source(path)
    assert isinstance(article, Article), f"{path.name}: {article}"
    assert article.date.year > 1970 and (article.updated is None or article.updated.year > 1970)
    for block in article.blocks:
        for placeholder in block.placeholders:
            attrs = dict(placeholder.attrs)
            if placeholder.tag == "img":
                assert not REMOTE.match(attrs.get("src", "")), f"{path.name}: remote image {attrs}"
            if placeholder.tag == "a":
                scheme = attrs.get("href", "").split(":", 1)[0].lower()
                assert scheme in ("http", "https", "mailto") or ":" not in attrs.get("href", ""), attrs
    return article


def test_the_corpus_is_large_and_licensed():
    assert len(FEEDS) >= 30
    for library in CORPUS.iterdir():
        assert (library / "LICENSE").is_file(), f"{library.name} has no licence file"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path | FeedError]:
    """Each corpus feed imported into its own empty sources/ (the feed → that directory, or the refusal)."""
    results: dict[Path, Path | FeedError] = {}
    for number, feed in enumerate(FEEDS):
        sources = tmp_path_factory.mktemp(f"feed{number}") / "sources"
        try:
            import_feed(sources, str(feed), NOW)
        except FeedError as error:
            assert not sources.exists() or not any(sources.iterdir())
            results[feed] = error
        else:
            results[feed] = sources
    return results


def test_every_feed_is_imported_or_refused_whole(imported):
    refused = {
        feed.relative_to(CORPUS).as_posix() for feed, got in imported.items() if isinstance(got, FeedError)
    }
    # feedparser's ill-formed cases (one KOI8-R feed without a declaration among them) are refused;
    # every well-formed feed is read.
    assert refused == {f.relative_to(CORPUS).as_posix() for f in FEEDS if "/illformed/" in f.as_posix()}
    koi8 = imported[CORPUS / "feedparser/illformed/chardet/koi8r.xml"]
    assert isinstance(koi8, FeedError) and "not valid utf-8" in str(koi8)
    written = [
        p for got in imported.values() if isinstance(got, Path) and got.exists() for p in got.iterdir()
    ]
    assert len(written) >= 40
    for path in written:
        _assert_safe_source(path)
    large = imported[LARGE]
    assert isinstance(large, Path) and len(list(large.iterdir())) == 15


def test_the_site_built_from_the_corpus_is_safe_and_honestly_dated(imported, tmp_path):
    newsroom = tmp_path / "newsroom"
    shutil.copytree(EXAMPLE, newsroom, ignore=shutil.ignore_patterns("public", ".tilmash", ".public*"))
    shutil.rmtree(newsroom / "sources")
    (newsroom / "sources").mkdir()
    for number, got in enumerate(imported.values()):
        if isinstance(got, Path) and got.exists():
            for path in got.iterdir():
                shutil.copy(path, newsroom / "sources" / f"f{number}-{path.name}")
    result = run_cli("run", newsroom)
    assert result.code == 0, result.stderr
    pages = sorted((newsroom / "public").rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        tree = html.fromstring(page.read_bytes())
        unsafe = "//script | //iframe | //object | //embed | //applet | //frame | //form | //base"
        assert not tree.xpath(unsafe), page
        for element in tree.iter():
            for name, value in element.attrib.items():
                assert not name.startswith("on"), f"{page}: {name}"
                if name in ("href", "src"):
                    assert not value.strip().lower().startswith(("javascript:", "vbscript:", "data:")), page
        for image in tree.xpath("//img"):
            assert not REMOTE.match(image.get("src", "")), f"{page}: remote image {image.get('src')}"
        for heading in tree.xpath("//h1"):
            # the theme may mark an English name with <span lang="en">; nothing else is markup
            foreign = heading.xpath(FOREIGN_IN_TITLE)
            assert not foreign, f"{page}: markup in a title"
        assert not tree.xpath("//time[starts-with(@datetime, '1970')]"), page
    for feed in (newsroom / "public").rglob("atom.xml"):
        for entry in feedparser.parse(feed.read_bytes()).entries:
            assert entry.published_parsed.tm_year > 1970


def _damaged(feed: Path, kind: str) -> bytes:
    data = feed.read_bytes()
    if kind == "truncated":
        return data[: len(data) // 2]
    if kind == "cut-inside-an-entry":
        entry = max(data.rfind(b"<entry"), data.rfind(b"<item"))
        return data[: entry + (len(data) - entry) // 3]
    text = data.decode("utf-8")
    if kind == "re-encoded":
        text = re.sub(r"^<\?xml[^>]*\?>", "", text)
        encoding = "koi8-r" if re.search("[а-яА-Я]", text) else "cp1252"
        encoded = text.encode(encoding, errors="xmlcharrefreplace")
        assert not encoded.isascii(), "a re-encoded copy that is plain ASCII proves nothing"
        return encoded
    root = re.search(r"<(rss|feed|rdf:RDF)[\s>]", text)
    assert root is not None
    declaration, entity = (BOMB, "&lol9;") if kind == "entity-bomb" else (EXTERNAL, "&secret;")
    text = text[: root.start()] + declaration + text[root.start() :]
    return re.sub(r"<title>", f"<title>Laughs {entity}", text, count=2).encode("utf-8")


@pytest.mark.parametrize(
    "kind", ["truncated", "cut-inside-an-entry", "re-encoded", "entity-bomb", "external-entity"]
)
def test_a_damaged_copy_is_refused_and_changes_no_source(kind, tmp_path):
    for feed in DAMAGED:
        if kind == "re-encoded" and feed.read_bytes().isascii():
            continue
        sources = tmp_path / feed.stem / "sources"
        import_feed(sources, str(feed), NOW)
        before = _snapshot(sources)
        damaged = tmp_path / f"{feed.stem}-{kind}.xml"
        damaged.write_bytes(_damaged(feed, kind))
        with pytest.raises(FeedError) as refused:
            import_feed(sources, str(damaged), NOW)
        assert refused.value.line is not None
        assert _snapshot(sources) == before


def test_a_run_with_a_cut_feed_reports_it_and_publishes_the_articles_as_they_were(newsroom, tmp_path):
    good = tmp_path / "feed.xml"
    shutil.copy(LARGE, good)
    assert run_cli("run", "--import", good, newsroom).code == 0
    sources, public = _snapshot(newsroom / "sources"), sorted((newsroom / "public" / "en").glob("*.html"))
    pages = {p.name: p.read_bytes() for p in public}
    good.write_bytes(LARGE.read_bytes()[:50_000])
    result = run_cli("run", "--import", good, newsroom)
    assert result.code == 1
    assert re.search(rf"^error: {re.escape(str(good))}:\d+:\d+: not well-formed XML", result.stderr, re.M)
    assert all(line.startswith(("stage=", "error: ", "warning: ")) for line in result.stderr.splitlines())
    assert _snapshot(newsroom / "sources") == sources
    assert {p.name: p.read_bytes() for p in (newsroom / "public" / "en").glob("*.html")} == pages
