"""A run streams its articles: it holds the catalogs of the article in hand, never the newsroom's
(issue #17). Counted, not timed: the most Babel catalogs alive at once during a cold run."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from lxml import etree

from benchmarks.newsroom import LOCALES, make_newsroom
from tilmash.config import load_config
from tilmash.i18n import read_catalog
from tilmash.runner import RunOptions, run

ARTICLES = 150  # × 3 target locales: 450 catalogs (and 150 templates) for a run that held them all
BOUND = 40  # an article's template and its catalogs as read and as synced, the shared ones, slack


@pytest.fixture
def most_catalogs_alive(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts every Catalog made; `most` is the largest number alive at once (garbage collected)."""
    alive: weakref.WeakSet[Catalog] = weakref.WeakSet()
    seen = {"most": 0, "made": 0}
    original = Catalog.__init__

    def counting(self: Catalog, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        alive.add(self)
        seen["made"] += 1
        if len(alive) > BOUND:
            gc.collect()  # a catalog only a reference cycle keeps is not held
        seen["most"] = max(seen["most"], len(alive))

    monkeypatch.setattr(Catalog, "__init__", counting)
    return seen


@pytest.mark.parametrize("spill_from", [0, 10_000])  # parsed articles wait on disk, or in memory
def test_a_cold_run_never_holds_every_catalog_at_once(
    tmp_path: Path, most_catalogs_alive: dict[str, int], monkeypatch: pytest.MonkeyPatch, spill_from: int
):
    monkeypatch.setattr("tilmash.pipeline.SPILL_FROM", spill_from)
    root = tmp_path / "newsroom"
    make_newsroom(root, ARTICLES)  # every catalog reviewed: all four locales publish every article
    report = run(load_config(root), RunOptions(jobs=1))
    assert report.ok, report.errors
    for locale in ("en", "kk", "ru", "zh"):
        pages = [p for p in (root / "public" / locale).glob("story-*.html")]
        assert len(pages) == ARTICLES, locale
    assert most_catalogs_alive["made"] > 4 * ARTICLES  # every catalog was read and synced
    assert most_catalogs_alive["most"] <= BOUND


def test_a_run_that_translates_holds_only_the_articles_it_fills(
    tmp_path: Path, most_catalogs_alive: dict[str, int]
):
    """One article has an untranslated unit in ru: memory and machine translation get that
    article's catalogs, the other articles still stream."""
    root = tmp_path / "newsroom"
    make_newsroom(root, ARTICLES)
    catalog = root / "i18n" / "ru" / "story-00007.po"
    text = catalog.read_text(encoding="utf-8")
    title = 'msgstr "Новость номер 7"'
    assert title in text
    catalog.write_text(text.replace(title, 'msgstr ""'), encoding="utf-8")
    report = run(load_config(root), RunOptions(jobs=1))
    assert report.ok, report.errors
    assert (root / "public" / "kk" / "story-00007.html").exists()
    assert not (root / "public" / "ru" / "story-00007.html").exists()  # its title waits for review
    assert len(list((root / "public" / "ru").glob("story-*.html"))) == ARTICLES - 1
    assert most_catalogs_alive["most"] <= BOUND


def test_a_set_aside_article_takes_memory_from_an_article_streamed_after_it(tmp_path: Path):
    """The first article gains a paragraph the last article already has, reviewed: the run
    finishes the last article (and drops its catalogs) long before it can sync the first,
    yet the first article's new unit is filled from that review, as reviewed."""
    root = tmp_path / "newsroom"
    make_newsroom(root, 20)
    last = (root / "sources" / "story-00019.md").read_text(encoding="utf-8")
    shared = last.split("---\n", 2)[2].strip().split("\n\n")[2]  # a plain paragraph, reviewed in all
    first = root / "sources" / "story-00000.md"
    first.write_text(first.read_text(encoding="utf-8").rstrip() + f"\n\n{shared}\n", encoding="utf-8")
    report = run(load_config(root), RunOptions(jobs=1))
    assert report.ok, report.errors
    for code, babel in LOCALES.items():
        taken = [m for m in read_catalog(root / "i18n" / code / "story-00000.po", babel) if m.id == shared]
        given = [m for m in read_catalog(root / "i18n" / code / "story-00019.po", babel) if m.id == shared]
        assert len(taken) == 1 and taken[0].string and not taken[0].fuzzy
        assert taken[0].string == given[0].string
        assert (root / "public" / code / "story-00000.html").exists()  # every unit reviewed


def test_the_sitemap_goes_to_disk_in_pieces_and_stays_when_unchanged(tmp_path: Path):
    """More than one piece (256 articles each): written whole and valid; a run that changes no
    URL keeps the published file (its mtime); one that removes an article rewrites it."""
    root = tmp_path / "newsroom"
    make_newsroom(root, 260)
    assert run(load_config(root), RunOptions(jobs=1)).ok
    sitemap = root / "public" / "sitemap.xml"
    first = sitemap.read_bytes()
    assert etree.fromstring(first).tag.endswith("urlset") and first.count(b"<url>") == 4 + 4 * 260
    stamp = sitemap.stat().st_mtime_ns
    story = root / "sources" / "story-00042.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more plain sentence.\n", encoding="utf-8")
    assert run(load_config(root), RunOptions(jobs=1)).ok
    assert sitemap.stat().st_mtime_ns == stamp and sitemap.read_bytes() == first
    story.unlink()
    assert run(load_config(root), RunOptions(jobs=1)).ok
    assert sitemap.read_bytes().count(b"<url>") == 4 + 4 * 259
    assert b"story-00042" not in sitemap.read_bytes()


def test_index_and_tag_pages_are_written_one_by_one_not_held_per_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A locale's index and tag pages grow with the newsroom (a tag page lists all its
    articles): each goes to disk before the next is rendered."""
    from tilmash.atomic import SiteStage
    from tilmash.render.pages import LocalePages

    root = tmp_path / "newsroom"
    make_newsroom(root, 60)  # 6 index pages and several tag pages per locale
    waiting: list[str] = []
    most = {"waiting": 0}

    def counted(name: str) -> None:
        original = getattr(LocalePages, name)

        def render(self: LocalePages, *args: object) -> bytes:
            page = original(self, *args)
            waiting.append(name)
            most["waiting"] = max(most["waiting"], len(waiting))
            return page

        monkeypatch.setattr(LocalePages, name, render)

    counted("index_page")
    counted("tag_page")
    put = SiteStage.put

    def written(self: SiteStage, relative: str, data: object) -> bool:
        if "/page/" in relative or relative.endswith("/index.html") or "/tags/" in relative:
            waiting.pop()
        return put(self, relative, data)  # type: ignore[arg-type]

    monkeypatch.setattr(SiteStage, "put", written)
    assert run(load_config(root), RunOptions(jobs=1)).ok
    assert len(list((root / "public" / "ru" / "page").glob("*.html"))) == 5
    assert not waiting and most["waiting"] == 1


def test_a_file_in_pieces_is_staged_in_new_folders_and_kept_when_unchanged(tmp_path):
    from tilmash.atomic import SiteStage

    target = tmp_path / "public"
    first = SiteStage(target)  # a first run: nothing published to compare with
    assert first.put("sitemaps/deep/1.xml", iter([b"<a>", b"</a>"])) is True
    first.publish({"sitemaps/deep/1.xml"}, ["sitemaps/deep/1.xml"])
    assert (target / "sitemaps/deep/1.xml").read_bytes() == b"<a></a>"
    inode = (target / "sitemaps/deep/1.xml").stat().st_ino
    again = SiteStage(target)
    assert again.put("sitemaps/deep/1.xml", iter([b"<a>", b"</a>"])) is False
    assert again.put("sitemaps/deep/2.xml", iter([b"<b/>"])) is True
    assert again.put("sitemaps/3.xml", iter([b"<a>", b"</a>", b"x"])) is True
    again.publish({"sitemaps/deep/1.xml", "sitemaps/deep/2.xml", "sitemaps/3.xml"}, ["sitemaps/deep/2.xml"])
    assert (target / "sitemaps/deep/1.xml").stat().st_ino == inode  # linked, not rewritten
    assert (target / "sitemaps/deep/2.xml").read_bytes() == b"<b/>"


def test_no_article_is_held_once_the_articles_are_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """What the next run's units index needs of each article (its listing article, digests,
    progress) waits on disk with its unit when the run parses many (SPILL_FROM, HELD_EDITIONS): when the index
    and tag pages are rendered, the only articles alive are those of the editions the feeds
    show (`feed_items` per locale)."""
    from tilmash.render import site
    from tilmash.sources import Article

    monkeypatch.setattr("tilmash.pipeline.SPILL_FROM", 0)
    root = tmp_path / "newsroom"
    make_newsroom(root, 60)
    config = root / "tilmash.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", "[site]\nfeed_items = 2\n"))
    alive: list[int] = []
    index_files = site.index_files

    def counting(*args: object, **kwargs: object) -> object:
        gc.collect()
        alive.append(sum(isinstance(o, Article) for o in gc.get_objects()))
        return index_files(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(site, "index_files", counting)
    report = run(load_config(root), RunOptions(jobs=1))
    assert report.ok, report.errors
    assert len(list((root / "public" / "ru").glob("story-*.html"))) == 60
    assert alive and alive[0] <= 4 * 2  # the feeds' editions in four locales
    assert (root / ".tilmash" / "units.pickle").is_file()  # every article kept for the next run


def test_a_staged_write_holds_a_digest_of_the_file_it_replaces_not_its_bytes(tmp_path: Path):
    """A run rewriting every catalog (a format upgrade) stages them all before it commits: the
    old bytes each write is checked against are not held meanwhile."""
    from tilmash.atomic import AtomicWriter

    path = tmp_path / "big.po"
    old = b"msgid ...\n" * 100_000
    path.write_bytes(old)
    writer = AtomicWriter()
    writer.write(path, b"new", old)
    staged = writer.hand_over()
    assert sum(len(expected or b"") for _, _, expected in staged) <= 64
    writer.adopt(staged)
    assert writer.commit() == 1 and path.read_bytes() == b"new"
    again = AtomicWriter()
    again.write(path, b"newer", b"new")
    path.write_bytes(b"edited meanwhile")  # by the review page, say: not replaced
    assert again.commit() == 0 and again.skipped == [path] and path.read_bytes() == b"edited meanwhile"
