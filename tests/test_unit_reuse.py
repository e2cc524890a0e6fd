"""An unchanged article is reused from the units file's index (its listing editions and
progress); its whole unit is read only when the feeds may show it. A damaged or outdated
units file only means a run that reads every source again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pickle
import pickletools
import struct
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.incremental_run import edit_one
from benchmarks.newsroom import make_newsroom, story_name
from tests.helpers import cold_copy, file_tree
from tilmash import pipeline, state, units
from tilmash.atomic import SiteStage
from tilmash.config import load_config
from tilmash.i18n import Progress, read_catalog
from tilmash.listings import unpickled_edition
from tilmash.pipeline import units_run_key
from tilmash.render.policy import listing_article, listing_edition, source_edition
from tilmash.runner import RunOptions, run
from tilmash.state import scan_inputs
from tilmash.units import RACY_NS, Kept, Unit, UnitStore, load_units

NOW = dt.datetime(2026, 12, 30, 12, 0, tzinfo=dt.UTC)
FEED_ITEMS = 3


def _newsroom(root: Path, count: int = 12) -> None:
    """`count` reviewed stories; story N is dated month N+1 (mod 12): story 11 is the newest."""
    make_newsroom(root, count)
    config = root / "tilmash.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[site]\n", f"[site]\nfeed_items = {FEED_ITEMS}\n"),
        encoding="utf-8",
    )


def _run(root: Path, log: list[str] | None = None) -> list[str]:
    return run(
        load_config(root, {}), RunOptions(now=NOW, jobs=1), (log if log is not None else []).append
    ).errors


def _reused(log: list[str]) -> int:
    line = next(line for line in log if line.startswith("stage=sources"))
    return int(line.split(" reused=")[1].split()[0])


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Slugs whose whole unit a run reads."""
    slugs: list[str] = []
    original = UnitStore.load

    def counted(self: UnitStore, kept: Kept) -> Unit:
        slugs.append(kept.article.slug)
        return original(self, kept)

    monkeypatch.setattr(UnitStore, "load", counted)
    return slugs


def test_only_the_units_the_feeds_may_show_are_read_whole(tmp_path: Path, loaded: list[str]) -> None:
    root = tmp_path / "live"
    _newsroom(root)
    assert _run(root) == []
    edit_one(root, 5)
    loaded.clear()
    log: list[str] = []
    assert _run(root, log) == []
    assert _reused(log) == 11
    # the newest three (stories 11, 10, 9) are in every locale's feed, whose entries' bodies
    # were kept (render.feed_bodies): their listing editions do, no unit is read whole
    assert loaded == []
    # without those bodies, the newest three are read whole, and no older one
    (root / ".tilmash" / "feed_bodies.pickle").unlink()
    edit_one(root, 6)
    assert _run(root) == []
    assert sorted(loaded) == ["story-00009", "story-00010", "story-00011"]
    cold = cold_copy(root, tmp_path / "cold")
    assert _run(cold) == []
    assert file_tree(root / "public") == file_tree(cold / "public")


def test_the_index_holds_what_the_whole_unit_gives_listings(tmp_path: Path) -> None:
    root = tmp_path / "live"
    _newsroom(root, 5)
    _run(root)
    config = load_config(root, {})
    store = load_units(root / ".tilmash" / "units.pickle", units_run_key(config))
    assert len(store) == 5
    for kept in store.index.values():
        unit = store.load(kept)
        listed = listing_article(unit.article)
        editions = {"en": source_edition(unit.article, "en")}
        editions |= {locale: e for locale, e in unit.editions.items() if e is not None}
        assert sorted(kept.locales) == ["en", "kk", "ru", "zh"]
        listing = {
            locale: unpickled_edition(kept.article, data) for locale, data in store.listing(kept).items()
        }
        assert listing == {locale: listing_edition(e, listed) for locale, e in editions.items()}
        assert kept.progress == unit.progress
        assert kept.article == listed
    store.close()


def test_the_index_records_are_made_from_their_constructors_arguments(tmp_path: Path) -> None:
    """A run unpickles every record, and pickles every unit: none sets a dataclass's state back
    field by field (twice as slow)."""
    root = tmp_path / "live"
    _newsroom(root, 2)
    _run(root)
    store = _store(root)
    assert len(store) == 2
    try:
        for kept in store.index.values():
            assert store.index_fd is not None
            start, size, _ = kept.entry
            chunk = os.pread(store.index_fd, size, start)
            assert "BUILD" not in {op.name for op, _, _ in pickletools.genops(chunk)}
            record, _, _, listing = pickle.loads(chunk)
            assert listing == store.listing(kept) and record.key == kept.key
            assert pickle.loads(pickle.dumps(record)) == record
            payload = store.payload(kept)
            length, _ = struct.unpack("<QI", payload[:12])  # the unit, then its reviewed pairs
            assert "BUILD" not in {op.name for op, _, _ in pickletools.genops(payload[12 : 12 + length])}
            assert store.load(kept) == pickle.loads(payload[12 : 12 + length])
    finally:
        store.close()


@pytest.mark.parametrize("damage", ["truncated", "garbage record", "old layout"])
def test_a_damaged_or_outdated_units_file_means_every_source_is_read(tmp_path: Path, damage: str) -> None:
    root = tmp_path / "live"
    _newsroom(root, 5)
    _run(root)
    path = root / ".tilmash" / "units.pickle"
    data = path.read_bytes()
    key_length = int.from_bytes(data[:8], "little")
    head = data[: 8 + key_length]
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage record":
        path.write_bytes(head + (5).to_bytes(8, "little") + b"\x80\x05junk")
    else:  # an index record as UNITS_VERSION 4 wrote it, under this version's run key
        record = pickle.dumps(("sources/story-00000.md", "0" * 40, None))
        path.write_bytes(head + len(record).to_bytes(8, "little") + record + (0).to_bytes(8, "little"))
    edit_one(root, 1)
    log: list[str] = []
    assert _run(root, log) == []
    assert _reused(log) == 0
    log.clear()
    edit_one(root, 2)
    assert _run(root, log) == []
    assert _reused(log) == 4  # the units file was written again


def _settle() -> None:
    """Let the files written so far age past the racy window (tilmash.units.RACY_NS)."""
    time.sleep(2 * RACY_NS / 1e9)


def test_the_files_of_unchanged_articles_are_not_read_once_their_stamps_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "live"
    _newsroom(root, 6)
    _run(root)
    _settle()
    edit_one(root, 1)
    _run(root)  # the catalogs of the first run were too fresh to trust: read, their stamps kept
    _settle()
    edit_one(root, 2)
    read: list[str] = []
    original = pipeline.read_or_absent

    def counted(path: str | Path) -> bytes:
        read.append(Path(path).name)
        return original(path)

    monkeypatch.setattr(pipeline, "read_or_absent", counted)
    log: list[str] = []
    assert _run(root, log) == []
    assert _reused(log) == 5
    stories = {name.split(".")[0] for name in read if name.startswith("story-")}
    # edited now, or (if the last run kept it within RACY_NS of writing its catalogs) edited last time
    assert "story-00002" in stories and stories <= {"story-00001", "story-00002"}


class _CountedStats:
    """The os module as tilmash.units sees it, counting the files it stats (by path, or through
    a descriptor it opened)."""

    def __init__(self) -> None:
        self.stated: list[str] = []
        self._opened: dict[int, str] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def stat(self, path: str | Path) -> os.stat_result:
        self.stated.append(os.fspath(path))
        return os.stat(path)

    def open(self, path: str | Path, flags: int, *args: Any) -> int:
        fd = os.open(path, flags, *args)
        self._opened[fd] = os.fspath(path)
        return fd

    def fstat(self, fd: int) -> os.stat_result:
        self.stated.append(self._opened.pop(fd))
        return os.fstat(fd)


def test_an_edit_run_takes_the_stamps_of_unchanged_articles_from_its_scan_of_the_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run stat-ed every input file at its start (state.scan_inputs): the stamps of the
    unchanged articles' files are made of those stats, not of 5 more stats per article."""
    root = tmp_path / "live"
    _newsroom(root, 6)
    _run(root)
    _settle()
    edit_one(root, 1)
    _run(root)
    _settle()
    edit_one(root, 2)
    _settle()
    counted = _CountedStats()
    monkeypatch.setattr(units, "os", counted)
    log: list[str] = []
    assert _run(root, log) == []
    assert _reused(log) == 5
    # only the edited article's files, stamped again when its new unit is kept
    stamped = {Path(p).name.split(".")[0] for p in counted.stated}
    assert {name for name in stamped if name.startswith("story-")} == {"story-00002"}


def test_a_stamp_from_the_scan_is_the_stamp_of_the_files_and_a_fresh_scan_is_not_used(tmp_path: Path) -> None:
    root = tmp_path / "live"
    _newsroom(root, 2)
    _run(root)
    _settle()
    config = load_config(root, {})
    inputs = scan_inputs(root, None)
    assert inputs.calm
    base = f"{os.fspath(root)}/"
    slug = "story-00001"
    files = [
        os.fspath(root / "sources" / story_name(1)),
        os.fspath(config.i18n_dir / "pot" / f"{slug}.pot"),
        *(os.fspath(config.catalog_path(locale, slug)) for locale in config.target_locales),
        os.fspath(root / "sources" / "no-such-story.md"),
    ]
    assert units.files_stamp(files, inputs.files, base) == units.files_stamp(files) is not None
    edit_one(root, 0)  # a file changed within RACY_NS of the scan: no stat of it may be trusted
    assert not scan_inputs(root, None).calm


def test_files_read_with_their_stamp_give_the_stamp_and_bytes_of_a_stat_then_a_read(tmp_path: Path) -> None:
    """The units a cold run keeps are stamped and read in one pass (`read_stamped`): the stamp a
    later run compares (`files_stamp`), and the bytes as `read_or_absent` reads them: a file,
    an empty one, a missing one, a directory; none at all once one changed within RACY_NS."""
    (tmp_path / "story.md").write_bytes(b"---\ntitle: T\n---\nBody.\n" * 5000)
    (tmp_path / "empty.po").write_bytes(b"")
    (tmp_path / "folder.po").mkdir()
    os.mkfifo(tmp_path / "pipe.po")  # not waited on for a writer
    names = ("story.md", "empty.po", "missing.pot", "folder.po", "pipe.po")
    files = [os.fspath(tmp_path / name) for name in names]
    _settle()
    stamp, contents = units.read_stamped(files)
    assert stamp == units.files_stamp(files) is not None
    assert contents == [units.read_or_absent(path) for path in files]
    assert contents[:3] == [(tmp_path / "story.md").read_bytes(), b"", units.ABSENT]
    assert contents[3:] == [units.ABSENT, units.ABSENT]
    (tmp_path / "empty.po").write_bytes(b"msgid")
    assert units.read_stamped(files) == (None, [contents[0], b"msgid", *[units.ABSENT] * 3])
    assert units.files_stamp(files) is None


def test_a_run_walks_the_published_site_once_and_records_its_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprint saved for the next run is made from the walk at the run's start and
    the files it wrote (state.published_fingerprint): the same as a walk of the new site."""
    root = tmp_path / "live"
    _newsroom(root, 6)
    walked: list[Path] = []
    original = state._tree_entries

    def counted(directory: Path, *args: Any, **kwargs: Any) -> tuple[dict[str, str], int]:
        walked.append(Path(directory))
        return original(directory, *args, **kwargs)

    monkeypatch.setattr(state, "_tree_entries", counted)
    for step in range(3):
        if step:
            edit_one(root, step)
        walked.clear()
        assert _run(root) == []
        assert walked.count(root / "public") == (1 if step else 0)  # none before the first run
        saved = json.loads((root / ".tilmash" / "state.json").read_text(encoding="utf-8"))
        assert saved["site_fingerprint"] == state.site_fingerprint(root / "public")
    (root / "public" / "kk" / "index.html").write_text("edited by hand", encoding="utf-8")
    edit_one(root, 4)
    assert _run(root) == []  # the site changed since: rebuilt whole, the edit undone
    assert "edited by hand" not in (root / "public" / "kk" / "index.html").read_text(encoding="utf-8")
    saved = json.loads((root / ".tilmash" / "state.json").read_text(encoding="utf-8"))
    assert saved["site_fingerprint"] == state.site_fingerprint(root / "public")


def test_a_catalog_rewritten_with_its_size_and_mtime_is_read_again(tmp_path: Path) -> None:
    root = tmp_path / "live"
    _newsroom(root, 3)
    _run(root)
    _settle()
    edit_one(root, 0)
    _run(root)
    _settle()
    path = root / "i18n" / "ru" / "story-00001.po"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert 'msgstr "Новость номер 1"' in text
    path.write_text(text.replace('msgstr "Новость номер 1"', 'msgstr "Новостя номер 1"'), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a copy keeping times would
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    log: list[str] = []
    assert _run(root, log) == []
    assert _reused(log) == 2
    assert "Новостя номер 1" in (root / "public" / "ru" / "story-00001.html").read_text(encoding="utf-8")


def _data_files(root: Path) -> list[Path]:
    return sorted((root / ".tilmash").glob("units-*.data"))


def _store(root: Path) -> UnitStore:
    return load_units(root / ".tilmash" / "units.pickle", units_run_key(load_config(root, {})))


def test_an_edit_run_appends_only_the_unit_it_made(tmp_path: Path) -> None:
    root = tmp_path / "live"
    _newsroom(root, 6)
    _run(root)
    [data] = _data_files(root)
    size = data.stat().st_size
    before = _store(root)
    edit_one(root, 2)
    log: list[str] = []
    assert _run(root, log) == [] and _reused(log) == 5
    assert _data_files(root) == [data]
    after = _store(root)
    edited = after.index["sources/story-00002.md"]
    assert data.stat().st_size == size + edited.length and edited.offset == size
    for source, kept in before.index.items():
        if source != "sources/story-00002.md":
            assert (after.index[source].offset, after.index[source].length) == (kept.offset, kept.length)
            assert after.load(after.index[source]) == before.load(kept)
            assert (after.listing(after.index[source]), after.index[source].progress) == (
                before.listing(kept),
                kept.progress,
            )
    before.close()
    after.close()


def test_a_data_file_mostly_of_old_units_is_written_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(units, "COMPACT_SLACK", 0)
    root = tmp_path / "live"
    _newsroom(root, 2)
    _run(root)
    [first] = _data_files(root)
    for round_ in range(5):
        edit_one(root, round_ % 2)
        _run(root)
    [data] = _data_files(root)  # the old one is gone
    assert data != first
    store = _store(root)
    assert data.stat().st_size <= 2 * sum(kept.length for kept in store.index.values())
    store.close()
    edit_one(root, 0)
    log: list[str] = []
    assert _run(root, log) == [] and _reused(log) == 1


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_a_missing_or_truncated_data_file_means_every_source_is_read(tmp_path: Path, damage: str) -> None:
    root = tmp_path / "live"
    _newsroom(root, 4)
    _run(root)
    [data] = _data_files(root)
    if damage == "missing":
        data.unlink()
    else:
        os.truncate(data, data.stat().st_size // 2)
    edit_one(root, 1)
    log: list[str] = []
    assert _run(root, log) == [] and _reused(log) == 0
    edit_one(root, 2)
    log.clear()
    assert _run(root, log) == [] and _reused(log) == 3
    assert len(_data_files(root)) == 1


def test_the_site_stage_keeps_a_published_file_by_a_hard_link(tmp_path: Path) -> None:
    target = tmp_path / "public"
    (target / "ru").mkdir(parents=True)
    (target / "ru" / "story.html").write_text("<p>Новость</p>", encoding="utf-8")
    stage = SiteStage(target)
    assert stage.keep("ru/story.html")  # its directory made on the way
    assert stage.staging is not None
    staged = stage.staging / "ru" / "story.html"
    assert staged.stat().st_ino == (target / "ru" / "story.html").stat().st_ino
    assert not stage.keep("ru/story.html")  # staged already: the caller renders it
    assert not stage.keep("ru/gone.html")
    assert not stage.keep("ru")  # a directory is not a page
    assert not (stage.staging / "ru" / "gone.html").exists()
    stage.discard()
    dry = SiteStage(target, dry_run=True)
    assert dry.keep("ru/story.html") and not dry.keep("ru/gone.html")


def test_progress_keeps_its_counts_through_pickling_adding_and_as_dict() -> None:
    counts = {f.name: n + 1 for n, f in enumerate(dataclasses.fields(Progress))}
    progress = Progress(**counts)
    assert pickle.loads(pickle.dumps(progress)) == progress
    assert progress.as_dict() == counts | {"total": progress.total}
    assert list(progress.as_dict()) == [*counts, "total"]
    total = Progress()
    total.add(progress)
    total.add(progress)
    assert total.as_dict() == {name: 2 * value for name, value in counts.items()} | {
        "total": 2 * progress.total
    }


@pytest.fixture
def pairs_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Slugs whose reviewed pairs a run reads from the units file (translation memory)."""
    slugs: list[str] = []
    original = UnitStore.pairs

    def counted(self: UnitStore, kept: Kept) -> units.Pairs:
        slugs.append(kept.article.slug)
        return original(self, kept)

    monkeypatch.setattr(UnitStore, "pairs", counted)
    return slugs


def _paragraph(root: Path, index: int) -> str:
    """The first paragraph of story `index`'s body."""
    text = (root / "sources" / story_name(index)).read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1].strip().split("\n\n")[0]


def test_memory_reads_only_the_kept_units_holding_a_sentence_asked_for(
    tmp_path: Path, pairs_read: list[str]
) -> None:
    root = tmp_path / "live"
    _newsroom(root, 5)
    _run(root)
    edit_one(root, 1)  # a sentence no article has: no kept unit holds it
    pairs_read.clear()
    assert _run(root) == []
    assert pairs_read == []
    borrowed = _paragraph(root, 3)  # reviewed in every locale in story 3
    source = root / "sources" / story_name(1)
    source.write_text(source.read_text(encoding="utf-8").rstrip() + f"\n\n{borrowed}\n", encoding="utf-8")
    pairs_read.clear()
    assert _run(root) == []
    assert "story-00003" in pairs_read and len(pairs_read) < 4
    catalog = read_catalog(root / "i18n" / "ru" / "story-00001.po", "ru")
    [entry] = [m for m in catalog if m.id == borrowed]
    assert entry.string and not entry.fuzzy  # taken from story 3 as reviewed
    cold = cold_copy(root, tmp_path / "cold")
    assert _run(cold) == []
    assert file_tree(root / "public") == file_tree(cold / "public")
    assert file_tree(root / "i18n") == file_tree(cold / "i18n")


def test_memory_reads_no_pairs_of_the_units_reviewing_nothing(tmp_path: Path, pairs_read: list[str]) -> None:
    """Translators behind, no engine: an edit leaves entries open, and near matches are looked
    for in the whole memory, which no kept unit adds to (each unit's pairs were read, per locale)."""
    root = tmp_path / "live"
    make_newsroom(root, 5, reviewed=False)
    assert _run(root) == []
    edit_one(root, 1)
    pairs_read.clear()
    log: list[str] = []
    assert _run(root, log) == []
    assert _reused(log) == 4 and pairs_read == []


@pytest.mark.parametrize("damage", ["garbage", "length"])
def test_a_damaged_unit_in_the_data_file_means_a_run_that_redoes_every_article(
    tmp_path: Path, damage: str
) -> None:
    """The index is sound but a unit's bytes are not (a disk error): the run meets it while
    reading the newest story for the feeds, starts again without the units, publishes what a
    cold run publishes, warns, and keeps sound units for the next run."""
    root = tmp_path / "live"
    _newsroom(root)
    assert _run(root) == []
    store = load_units(root / ".tilmash" / "units.pickle", units_run_key(load_config(root, {})))
    kept = store.get(f"sources/{story_name(11)}")
    assert kept is not None and store.data is not None
    store.close()
    with open(store.data, "r+b") as data:
        if damage == "garbage":
            data.seek(kept.offset + 8)
            data.write(b"\0" * (kept.length - 8))
        else:  # the unit's length prefix points past it
            data.seek(kept.offset)
            data.write((kept.length * 4).to_bytes(8, "little"))
    (root / ".tilmash" / "feed_bodies.pickle").unlink()  # the feeds read the newest units whole
    edit_one(root, 5)
    log: list[str] = []
    report = run(load_config(root, {}), RunOptions(now=NOW, jobs=1), log.append)
    assert report.errors == []
    assert "stage=recover units=damaged" in log
    assert any(
        story_name(11).removesuffix(".md") in w and "redid every article" in w for w in report.warnings
    )
    cold = cold_copy(root, tmp_path / "cold")
    assert _run(cold) == []
    assert file_tree(root / "public") == file_tree(cold / "public")
    edit_one(root, 6)
    log.clear()
    assert _run(root, log) == [] and _reused(log) == 11
