"""A run keeps its articles' listing editions on disk (tilmash.listings), not in memory: the
index, tag and sitemap files read them back one page at a time, and a kept article's
editions are read again from the units index only when a page shows them (issue #17)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from benchmarks.incremental_run import edit_one
from benchmarks.newsroom import make_newsroom, story_name
from tests.helpers import cold_copy, file_tree
from tilmash import units
from tilmash.config import load_config
from tilmash.listings import Listings, unpickled_edition
from tilmash.pipeline import units_run_key
from tilmash.render import site
from tilmash.render.policy import LocalizedArticle, listing_article, listing_edition, source_edition
from tilmash.runner import RunOptions, run
from tilmash.sources import Article, SourceError, read_source
from tilmash.units import UnitStore

NOW = dt.datetime(2026, 12, 30, 12, 0, tzinfo=dt.UTC)
ARTICLES = 40  # × 4 locales: 160 listing editions for a run that held them all


def _run(root: Path, log: list[str] | None = None) -> Any:
    return run(load_config(root, {}), RunOptions(now=NOW, jobs=1), (log if log is not None else []).append)


def _alive_editions() -> int:
    gc.collect()
    return sum(isinstance(o, LocalizedArticle) for o in gc.get_objects())


def test_a_run_renders_its_listings_without_holding_every_listing_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one edition more than a run holds (its parsed bodies are held still): they wait on disk
    monkeypatch.setattr("tilmash.pipeline.HELD_EDITIONS", 4 * ARTICLES - 1)
    root = tmp_path / "newsroom"
    make_newsroom(root, ARTICLES)
    alive: list[int] = []
    original = site.index_files

    def counted(*args: Any, **kwargs: Any) -> Any:
        alive.append(_alive_editions())  # when every listing page is about to be rendered
        return original(*args, **kwargs)

    monkeypatch.setattr(site, "index_files", counted)
    report = _run(root)
    assert report.ok, report.errors
    assert len(list((root / "public" / "zh").glob("story-*.html"))) == ARTICLES
    listing_pages = [p for p in (root / "public" / "ru").rglob("*.html") if not p.name.startswith("story-")]
    shown = "".join(p.read_text(encoding="utf-8") for p in listing_pages)
    for number in range(ARTICLES):  # listed, with their reviewed titles, from the editions on disk
        assert f"Новость номер {number}<" in shown
    feed_items = load_config(root, {}).site.feed_items
    # the feeds' newest full editions in each locale, and nothing per article beyond them
    assert len(alive) == 1 and alive[0] <= 4 * feed_items + 4, alive


def _kept_units(root: Path) -> dict[str, Any]:
    """Every unit the next run may reuse: its record (its files' stamp left out), listing and unit."""
    store = units.load_units(root / ".tilmash" / "units.pickle", units_run_key(load_config(root, {})))
    try:
        return {
            source: (dataclasses.replace(kept.record, stamp=None), store.listing(kept), store.payload(kept))
            for source, kept in store.index.items()
        }
    finally:
        store.close()


def test_a_run_holding_its_listings_and_units_in_memory_publishes_and_keeps_what_one_spilling_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few parsed editions (HELD_EDITIONS): their listing editions, units and units' details are held,
    not pickled to disk and read back. The site, the catalogs and the units the next run reuses
    are the same either way, and so is the site of an edit run after each."""
    root, pristine = tmp_path / "newsroom", tmp_path / "pristine"
    make_newsroom(pristine, ARTICLES)  # once: its POTs are dated when they are made
    built = {}
    for spill_from in (0, 10_000):  # spilled, then held
        monkeypatch.setattr("tilmash.pipeline.SPILL_FROM", spill_from)
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(pristine, root)
        assert _run(root).errors == []
        kept = _kept_units(root)
        assert len(kept) == ARTICLES
        edit_one(root, 9)
        assert _run(root).errors == []
        built[spill_from] = (file_tree(root / "public"), file_tree(root / "i18n"), kept)
    assert built[0] == built[10_000]


@pytest.mark.parametrize("held", [False, True])
def test_listed_entries_give_back_each_locales_edition(tmp_path: Path, held: bool) -> None:
    root = tmp_path / "newsroom"
    make_newsroom(root, 1)
    article = read_source(root / "sources" / story_name(0))
    assert not isinstance(article, Exception)
    listed = listing_article(article)
    editions = {
        "en": listing_edition(source_edition(article, "en"), listed),
        "kk": listing_edition(source_edition(article, "kk"), listed),
    }
    listings = Listings(UnitStore(), held)
    entry = listings.add(editions)
    try:
        assert (entry.article.slug, entry.article.date, entry.article.tags) == (
            article.slug,
            article.date,
            article.tags,
        )
        assert set(listings.by_locale) == {"en", "kk"}
        assert listings.by_locale["kk"][article.slug] is entry
        assert listings.edition("kk", entry) == editions["kk"]
        assert listings.edition("en", entry) == editions["en"]
        assert {locale: listings.edition(locale, entry) for locale in entry.locales} == editions
        with pytest.raises(KeyError):
            listings.edition("ru", entry)
        # a units index record holds them pickled, as stored
        stored = listings.pickled_editions(entry)
        assert list(stored) == ["en", "kk"]
        assert {locale: unpickled_edition(listed, data) for locale, data in stored.items()} == editions
    finally:
        listings.close()


@pytest.mark.parametrize("pages_read_it", [True, False])
def test_a_kept_record_changed_since_the_run_read_the_index_is_never_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages_read_it: bool
) -> None:
    """The units index is read whole when a run starts; a kept article's record is read from
    it again when a page shows its listing editions, and copied into the next index. A stray
    write over that record in between, one the record still unpickles with, is caught by its
    checksum both times. Read by a page: the run starts again without the units and warns.
    Copied only: the record is left out, and the next run redoes that one article. Either
    way the site is what a cold run publishes, not the changed title."""
    root = tmp_path / "live"
    make_newsroom(root, 12)
    assert _run(root).errors == []
    original = units.load_units
    victim = f"sources/{story_name(3)}"
    changed: list[str] = []

    def damaging(path: Path, key: str, *args: Any) -> UnitStore:
        store = original(path, key, *args)
        kept = store.get(victim)
        assert kept is not None
        start, size = kept.entry[:2]
        with open(path, "r+b") as index:  # the file the store holds open
            record = os.pread(index.fileno(), size, start)
            title = kept.article.title.encode()
            at = record.index(title)
            index.seek(start + at)  # one letter of its title changed: the record still unpickles
            index.write(bytes([title[0] ^ 1]))
            changed.append(chr(title[0] ^ 1) + title[1:].decode())
        return store

    monkeypatch.setattr(units, "load_units", damaging)
    if pages_read_it:
        (root / ".tilmash" / "pages.json").unlink()  # every listing page is rendered again
        edit_one(root, 5)
    else:  # a translator's note: story 5 is done again, no listing or feed changes
        # (and the feeds read their entries' units, not their records: no feed body kept)
        (root / ".tilmash" / "feed_bodies.pickle").unlink()
        catalog = root / "i18n" / "ru" / story_name(5).replace(".md", ".po")
        catalog.write_bytes(b"# checked by the desk\n" + catalog.read_bytes())
    log: list[str] = []
    report = _run(root, log)
    assert report.errors == []
    recovered = any(
        story_name(3).removesuffix(".md") in w and "redid every article" in w for w in report.warnings
    )
    assert recovered == pages_read_it == ("stage=recover units=damaged" in log)
    monkeypatch.setattr(units, "load_units", original)
    cold = cold_copy(root, tmp_path / "cold")
    assert _run(cold).errors == []
    assert file_tree(root / "public") == file_tree(cold / "public")
    edit_one(root, 6)
    log.clear()
    assert _run(root, log).errors == []
    assert file_tree(root / "public") == file_tree(cold_copy(root, tmp_path / "cold-2") / "public")
    assert not any(changed[0].encode() in data for data in file_tree(root / "public").values())
    line = next(line for line in log if line.startswith("stage=sources"))
    assert f" reused={11 if pages_read_it else 10} " in f"{line} "


def test_listing_articles_and_editions_carry_every_field_they_do_not_trim() -> None:
    """Both are made field by field (dataclasses.replace cost as much again): a field added to
    Article or LocalizedArticle and forgotten there would be reset to its default on every
    index and tag page."""
    article = read_source(
        Path(__file__).parent.parent / "examples" / "newsroom" / "sources" / "library-night.md"
    )
    assert not isinstance(article, SourceError)
    trimmed = {"blocks", "body_template", "warnings"}  # made anew from the article
    marked = {f.name: object() for f in dataclasses.fields(Article) if f.name not in trimmed}
    full = dataclasses.replace(article, **marked)
    listed = listing_article(full, ("a warning",))
    assert {name: getattr(listed, name) for name in marked} == marked
    assert listed.warnings == ("a warning",) and listed.body_template == ""
    trimmed = {"article", "texts", "untranslated_units", "machine_units"}
    edition = LocalizedArticle(article, "kk", {"title": "Кітапхана түні", "p1": "…"})
    marked = {f.name: object() for f in dataclasses.fields(LocalizedArticle) if f.name not in trimmed}
    made = listing_edition(dataclasses.replace(edition, **marked))
    assert {name: getattr(made, name) for name in marked} == marked
    assert made.texts == {"title": "Кітапхана түні"}
