"""Index, tag, feed and sitemap files are rendered again only when what they show changed
(render.page_keys): the others are kept from the published site, unread."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.newsroom import LOCALES, config, make_newsroom, translated
from tests.helpers import cold_copy, file_tree
from tilmash.atomic import SiteStage
from tilmash.config import load_config
from tilmash.i18n import read_catalog, render_catalog
from tilmash.listings import unpickled_edition
from tilmash.pipeline import units_run_key
from tilmash.render import page_keys
from tilmash.render.page_keys import code_digest, digest, digests, templates_digest
from tilmash.render.policy import LocalizedArticle
from tilmash.runner import RunOptions, run
from tilmash.sources import Article
from tilmash.sources.model import Block, Placeholder
from tilmash.units import load_units

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
SITE_LOCALES = ("en", *sorted(LOCALES))
FEEDS = ("atom.xml", "rss.xml", "feed.json")


def _listing_file(path: str) -> bool:
    """An index, tag, feed or sitemap file: what render.page_keys decides on."""
    return (
        path in ("index.html", "sitemap.xml")
        or path.endswith(("/index.html", *FEEDS))
        or "/page/" in path
        or "/tags/" in path
        or path.startswith("sitemaps/")
    )


def _settings(title: str = "Newsroom") -> str:
    """Four articles an index page, the three newest in the feeds."""
    text = config(list(LOCALES)).replace('title = "Newsroom"', f'title = "{title}"')
    return text.replace("[engines]", "page_size = 4\nfeed_items = 3\n[engines]")


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    """24 reviewed articles in four locales, published by a first (cold) run."""
    root = tmp_path / "newsroom"
    make_newsroom(root, 24)
    (root / "tilmash.toml").write_text(_settings(), encoding="utf-8")
    assert _run(root) == []
    return root


class Recorded:
    """Which files a run rendered (`put`) and which it kept unread (`keep`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rendered: set[str] = set()
        self.kept: set[str] = set()
        put, keep = SiteStage.put, SiteStage.keep

        def recorded_put(stage: SiteStage, relative: str, data: Any) -> bool:
            self.rendered.add(relative)
            return put(stage, relative, data)

        def recorded_keep(stage: SiteStage, relative: str) -> bool:
            kept = keep(stage, relative)
            if kept:
                self.kept.add(relative)
            return kept

        monkeypatch.setattr(SiteStage, "put", recorded_put)
        monkeypatch.setattr(SiteStage, "keep", recorded_keep)

    def listing_rendered(self) -> set[str]:
        return {p for p in self.rendered if _listing_file(p)}

    def listing_kept(self) -> set[str]:
        return {p for p in self.kept if _listing_file(p)}


def _run(root: Path) -> list[str]:
    return run(load_config(root, {}), RunOptions(now=NOW, jobs=1)).errors


def _retitle(root: Path, index: int) -> None:
    path = root / "sources" / f"story-{index:05d}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"title: Story number {index}\n", "title: A corrected headline\n"))


def _cold(newsroom: Path, tmp_path: Path) -> dict[str, bytes]:
    """The site a cold run (no units, no page keys) publishes from the newsroom's files."""
    cold = cold_copy(newsroom, tmp_path / "cold")
    assert _run(cold) == []
    return file_tree(cold / "public")


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {p for p in before.keys() | after.keys() if _listing_file(p) and before.get(p) != after.get(p)}


@pytest.mark.parametrize(("index", "in_feeds"), [(0, False), (23, True)])  # the oldest, the newest story
def test_a_retitled_article_re_renders_only_the_pages_that_list_it(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, index: int, in_feeds: bool
) -> None:
    before = file_tree(newsroom / "public")
    _retitle(newsroom, index)
    recorded = Recorded(monkeypatch)
    assert _run(newsroom) == []
    after = file_tree(newsroom / "public")
    changed = _changed(before, after)
    # exactly the files that show the title were rendered; every other one was kept unread
    assert recorded.listing_rendered() == changed
    assert recorded.listing_kept() == {p for p in after if _listing_file(p)} - changed
    source = (newsroom / "sources" / f"story-{index:05d}.md").read_text(encoding="utf-8")
    tags = len(set(source.split("tags: [")[1].split("]")[0].split(", ")))
    for locale in SITE_LOCALES:
        mine = {p for p in changed if p.startswith(f"{locale}/")}
        assert len([p for p in mine if p.endswith(".html") and "/tags/" not in p]) == 1  # one index page
        assert len([p for p in mine if "/tags/" in p]) == tags
        assert {p for p in mine if p.endswith(FEEDS)} == (
            {f"{locale}/{f}" for f in FEEDS} if in_feeds else set()
        )
    assert "sitemap.xml" not in changed and "index.html" not in changed


def test_a_changed_theme_translation_re_renders_that_locales_listing_pages(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = newsroom / "i18n" / "kk" / "_ui.po"
    catalog = read_catalog(path, LOCALES["kk"])
    catalog.get("Latest news").string = translated("Latest news", "kk") + " бүгін"
    path.write_bytes(render_catalog(catalog))
    recorded = Recorded(monkeypatch)
    assert _run(newsroom) == []
    published = {p for p in file_tree(newsroom / "public") if _listing_file(p)}
    kazakh = {p for p in published if p.startswith("kk/")}
    assert {p for p in kazakh if not p.endswith(FEEDS)} <= recorded.listing_rendered()
    assert recorded.listing_rendered() <= kazakh
    assert len(kazakh) > 6  # several index and tag pages


def test_changed_settings_re_render_every_listing_file(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (newsroom / "tilmash.toml").write_text(_settings("The Daily Newsroom"), encoding="utf-8")
    recorded = Recorded(monkeypatch)
    assert _run(newsroom) == []
    assert recorded.listing_kept() == set()
    assert recorded.listing_rendered() == {p for p in file_tree(newsroom / "public") if _listing_file(p)}


def test_a_run_that_fails_to_publish_leaves_the_keys_of_the_published_site(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    keys = (newsroom / ".tilmash" / "pages.json").read_bytes()
    _retitle(newsroom, 5)

    def full_disk(*_: object) -> list[str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(SiteStage, "publish", full_disk)
        assert _run(newsroom) != []
    assert (newsroom / ".tilmash" / "pages.json").read_bytes() == keys  # nothing claims the unpublished pages
    assert _run(newsroom) == []
    assert file_tree(newsroom / "public") == _cold(newsroom, tmp_path)
    assert any(
        b"A corrected headline" in data
        for path, data in file_tree(newsroom / "public").items()
        if "/page/" in path
    )


def test_damaged_keys_render_everything_and_a_dry_run_saves_none(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = newsroom / ".tilmash" / "pages.json"
    _retitle(newsroom, 7)
    saved = keys.read_bytes()
    assert run(load_config(newsroom, {}), RunOptions(now=NOW, jobs=1, dry_run=True)).errors == []
    assert keys.read_bytes() == saved
    keys.write_bytes(saved[: len(saved) // 2])
    recorded = Recorded(monkeypatch)
    assert _run(newsroom) == []
    assert recorded.listing_kept() == set()
    assert recorded.listing_rendered() == {p for p in file_tree(newsroom / "public") if _listing_file(p)}


def _review_title(newsroom: Path, index: int, title: str) -> None:
    """A translator's reviewed Kazakh title for story `index`: its catalog, not its source, changes."""
    path = newsroom / "i18n" / "kk" / f"story-{index:05d}.po"
    catalog = read_catalog(path, LOCALES["kk"])
    catalog.get(f"Story number {index}", context="title").string = title
    path.write_bytes(render_catalog(catalog))


def _stored_digests(newsroom: Path) -> dict[str, dict[str, bytes]]:
    """Slug → locale → the digest of its listing edition the units index holds, checked
    against that very edition."""
    store = load_units(newsroom / ".tilmash" / "units.pickle", units_run_key(load_config(newsroom, {})))
    try:
        stored = {}
        for kept in store.index.values():
            listing = {
                locale: unpickled_edition(kept.article, data) for locale, data in store.listing(kept).items()
            }
            assert kept.listing_digests == {locale: digests([e])[0] for locale, e in listing.items()}
            stored[kept.article.slug] = kept.listing_digests
        return stored
    finally:
        store.close()


def test_the_units_index_holds_the_digest_of_every_listing_edition(newsroom: Path) -> None:
    cold = _stored_digests(newsroom)
    assert len(cold) == 24
    assert all(sorted(by_locale) == sorted(SITE_LOCALES) for by_locale in cold.values())
    _review_title(newsroom, 9, "Түзетілген 9-жаңалық")
    assert _run(newsroom) == []
    edited = _stored_digests(newsroom)  # the edited unit made anew, the others carried over
    assert edited.keys() == cold.keys()
    changed = {
        (slug, locale)
        for slug in cold
        for locale in SITE_LOCALES
        if cold[slug][locale] != edited[slug][locale]
    }
    assert changed == {("story-00009", "kk")}


def test_an_edit_run_digests_the_listing_editions_of_the_edited_article_only(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The others' digests come with their units: 4,000 digests were most of an edit run's keys."""
    digested: list[str] = []
    original = page_keys.digest

    def counted(*parts: Any) -> bytes:
        value = parts[0] if len(parts) == 1 else None
        if isinstance(value, LocalizedArticle) and not value.article.body_template:  # a listing edition
            digested.append(value.article.slug)
        return original(*parts)

    monkeypatch.setattr(page_keys, "digest", counted)
    _retitle(newsroom, 5)
    assert _run(newsroom) == []
    assert sorted(digested) == ["story-00005"] * len(SITE_LOCALES)
    monkeypatch.undo()
    assert file_tree(newsroom / "public") == _cold(newsroom, tmp_path)


def _full_editions_digested(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slugs of the full editions (with a body) that runs digest from now on, one per digest,
    whether digested alone or within a list."""
    digested: list[str] = []
    original = page_keys.digest

    def counted(*parts: Any) -> bytes:
        values = parts[0] if len(parts) == 1 and isinstance(parts[0], list) else parts
        digested.extend(
            v.article.slug for v in values if isinstance(v, LocalizedArticle) and v.article.body_template
        )
        return original(*parts)

    monkeypatch.setattr(page_keys, "digest", counted)
    return digested


def test_an_edit_run_digests_the_full_editions_of_the_edited_article_only(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The feeds' keys are made of their full editions' digests, kept with the units: an edit
    run digests none of the unchanged articles the feeds show (400 full editions a run)."""
    digested = _full_editions_digested(monkeypatch)
    _retitle(newsroom, 5)  # not in the feeds (the three newest)
    assert _run(newsroom) == []
    assert digested == []
    _retitle(newsroom, 22)  # in the feeds: only its own editions are digested again
    assert _run(newsroom) == []
    assert sorted(digested) == ["story-00022"] * len(SITE_LOCALES)
    monkeypatch.undo()
    assert file_tree(newsroom / "public") == _cold(newsroom, tmp_path)


def test_the_units_index_holds_the_digests_of_the_full_editions_in_the_feeds(newsroom: Path) -> None:
    store = load_units(newsroom / ".tilmash" / "units.pickle", units_run_key(load_config(newsroom, {})))
    try:
        fed = {kept.article.slug: kept for kept in store.index.values() if kept.feed_digests}
        newest = sorted(store.index.values(), key=lambda k: (k.article.date, k.article.slug))[-3:]
        assert sorted(fed) == sorted(kept.article.slug for kept in newest)  # the feeds' three
        for kept in fed.values():
            unit = store.load(kept)
            assert sorted(kept.feed_digests) == sorted(SITE_LOCALES)
            for locale in LOCALES:
                assert kept.feed_digests[locale] == digests([unit.editions[locale]])[0]
    finally:
        store.close()


def test_a_reviewed_title_translation_re_renders_the_kazakh_pages_listing_it(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A catalog edit makes the article's unit anew, and with it the digest of its listing edition."""
    title = "Түзетілген 6-жаңалықтың тақырыбы"
    _review_title(newsroom, 6, title)
    before = file_tree(newsroom / "public")
    recorded = Recorded(monkeypatch)
    assert _run(newsroom) == []
    after = file_tree(newsroom / "public")
    showing = {p for p, data in after.items() if _listing_file(p) and title.encode() in data}
    assert any(p.startswith("kk/page/") or p == "kk/index.html" for p in showing)  # its index page
    assert any("/tags/" in p for p in showing)
    assert showing <= {p for p in recorded.listing_rendered() if p.startswith("kk/")}
    assert recorded.listing_rendered() == _changed(before, after)
    monkeypatch.undo()
    assert after == _cold(newsroom, tmp_path)


def _edition() -> LocalizedArticle:
    placeholder = Placeholder(1, "a", (("href", "https://example.org/"),), None, None, None, True)
    article = Article(
        slug="water-prices",
        title="Water prices rise",
        summary="Tariffs change in June.",
        date=dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC),
        author="Press Office",
        tags=("water", "economy"),
        source_path=Path("sources/water-prices.md"),
        blocks=(
            Block("title", "title", "Water prices rise", 2),
            Block("p1", "paragraph", "See <1>the tariff</1>.", 7, (placeholder,)),
        ),
        body_template="<p>{p1}</p>",
        updated=None,
        warnings=(),
    )
    return LocalizedArticle(
        article,
        "kk",
        {"title": "Су бағасы өсті", "p1": "<1>Тарифті</1> қараңыз."},
        untranslated_units=frozenset(f"unit-{n}" for n in range(40)),
        machine_units=frozenset(f"machine-{n}" for n in range(40)),
        updating=False,
        updated=None,
        names={
            ("tag", "water"): "су",
            ("tag", "economy"): "экономика",
            ("author", "Press Office"): "Баспасөз",
        },
        source=False,
    )


def test_an_editions_digest_is_the_same_in_every_process() -> None:
    """Sets iterate in an order that changes with the hash seed; the digest must not."""
    script = "from tests.test_page_keys import _edition; from tilmash.render.page_keys import digest; "
    script += "print(digest(_edition()).hex())"
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env=os.environ | {"PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent.parent,
        ).stdout.strip()
        for seed in (0, 1, 2, 3)
    }
    assert digests == {digest(_edition()).hex()}


def _other(value: Any) -> Any:
    """A different value of the same kind, a field at a time for dataclasses."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + "!"
    if isinstance(value, int):
        return value + 1
    if isinstance(value, frozenset):
        return value | {"another"}
    if isinstance(value, dict):
        return value | {("tag", "another"): "тағы"}
    if isinstance(value, Path):
        return value.with_name("other.md")
    if value is None or isinstance(value, dt.datetime):
        return dt.datetime(2026, 3, 5, tzinfo=dt.UTC)
    if isinstance(value, tuple):
        return (*value[:-1], _other(value[-1])) if value else ("another",)
    raise AssertionError(f"no other value for {value!r}")


def _variants(value: Any) -> list[Any]:
    """`value` with one field changed, for every field of it and of the dataclasses it holds."""
    if not dataclasses.is_dataclass(value):
        return [_other(value)]
    variants = []
    for field in dataclasses.fields(value):
        current = getattr(value, field.name)
        inner = (
            list(current)
            if isinstance(current, tuple) and current and dataclasses.is_dataclass(current[0])
            else None
        )
        if inner is not None:  # a tuple of dataclasses: change each field of its last one
            variants += [replace_field(value, field.name, (*inner[:-1], v)) for v in _variants(inner[-1])]
        else:
            variants += [replace_field(value, field.name, v) for v in _variants(current)]
    return variants


def replace_field(value: Any, name: str, new: Any) -> Any:
    return dataclasses.replace(value, **{name: new})


def test_an_editions_digest_changes_with_any_field() -> None:
    edition = _edition()
    variants = _variants(edition)
    assert len(variants) >= 29  # every field of the edition, its article, a block and a placeholder
    digests = {digest(v) for v in variants}
    assert digest(edition) not in digests
    assert len(digests) == len(variants)
    reordered = dataclasses.replace(edition, names=dict(reversed(edition.names.items())))
    assert digest(reordered) == digest(edition)


def test_a_template_edited_in_place_changes_the_code_digest(tmp_path: Path) -> None:
    package = tmp_path / "render"
    shutil.copytree(Path(code_digest.__wrapped__.__code__.co_filename).parent, package)
    before = code_digest(package)
    template = package / "templates" / "index.html"
    template.write_text(template.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
    _next_process()
    edited = code_digest(package)
    assert edited != before
    (package / "site.py").write_text("# edited\n", encoding="utf-8")  # the code beside the templates too
    _next_process()
    assert code_digest(package) != edited


def _next_process() -> None:
    """The digests are read once per process: the next run is a new one."""
    templates_digest.cache_clear()
    code_digest.cache_clear()


def test_a_value_that_cannot_be_written_gives_a_key_that_never_matches() -> None:
    """Rather than a key that hides a change, one that renders the page every time."""
    edition = dataclasses.replace(_edition(), names={("tag", "water"): lambda: "су"})  # type: ignore[dict-item]
    assert digest(edition) != digest(edition)
