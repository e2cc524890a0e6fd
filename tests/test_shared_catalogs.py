"""An edit run takes each locale's UI strings and tag names from what the last run kept
(.tilmash/shared.pickle) when nothing they are made from changed, and publishes exactly
what a run computing them anew publishes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benchmarks.incremental_run import edit_one
from benchmarks.newsroom import make_newsroom, story_name
from tests.helpers import cold_copy, file_tree
from tilmash import pipeline
from tilmash.config import load_config
from tilmash.i18n import read_catalog, render_catalog
from tilmash.runner import RunOptions, run

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
TAGGED = "Articles tagged “%(tag)s”"


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The shared catalogs each run parses and syncs, by file name."""
    calls: list[str] = []
    original = pipeline.sync_shared

    def counted(config, locale, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(f"{locale}/{name}.po")
        return original(config, locale, name, *args, **kwargs)

    monkeypatch.setattr(pipeline, "sync_shared", counted)
    return calls


def _run(root: Path) -> list[str]:
    report = run(load_config(root, {}), RunOptions(now=NOW, jobs=1))
    return report.errors


def _cold_run(root: Path, cold: Path) -> list[str]:
    """A run with no state on a copy of `root`'s files and published site: its errors."""
    return _run(cold_copy(root, cold))


def _break_ui(root: Path, locale: str) -> None:
    path = root / "i18n" / locale / "_ui.po"
    catalog = read_catalog(path, "kk")
    catalog[TAGGED].string = "«%(teg)s» тегі бар мақалалар"
    path.write_bytes(render_catalog(catalog))


def test_an_edit_run_reuses_the_shared_catalogs_and_says_their_errors_again(
    tmp_path: Path, synced: list[str]
) -> None:
    root = tmp_path / "live"
    make_newsroom(root, 4)
    assert _run(root) == []
    _break_ui(root, "kk")
    synced.clear()
    errors = _run(root)
    assert "kk/_ui.po" in synced  # changed: synced again
    assert any("i18n/kk/_ui.po:" in e and "'teg' does not exist" in e for e in errors), errors
    edit_one(root, 2)
    synced.clear()
    assert _run(root) == errors  # the same error lines, said again
    assert synced == []  # nothing was parsed or synced
    assert _cold_run(root, tmp_path / "cold") == errors
    assert file_tree(root / "public") == file_tree(tmp_path / "cold" / "public")
    assert file_tree(root / "i18n") == file_tree(tmp_path / "cold" / "i18n")


def test_a_new_tag_is_synced_into_the_taxonomy_catalogs(tmp_path: Path, synced: list[str]) -> None:
    root = tmp_path / "live"
    make_newsroom(root, 3)
    _run(root)
    source = root / "sources" / story_name(1)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("tags: [", "tags: [glacierwatch, ", 1), encoding="utf-8")
    synced.clear()
    assert _run(root) == []
    assert sorted(synced) == ["kk/_taxonomy.po", "ru/_taxonomy.po", "zh/_taxonomy.po"]
    assert 'msgid "glacierwatch"' in (root / "i18n" / "ru" / "_taxonomy.po").read_text(encoding="utf-8")


def test_a_damaged_shared_file_means_the_catalogs_are_synced_again(tmp_path: Path, synced: list[str]) -> None:
    root = tmp_path / "live"
    make_newsroom(root, 3)
    _run(root)
    (root / ".tilmash" / "shared.pickle").write_bytes(b"\x80\x05garbage")
    edit_one(root, 1)
    synced.clear()
    assert _run(root) == []
    assert len(synced) == 6
    assert _cold_run(root, tmp_path / "cold") == []
    assert file_tree(root / "public") == file_tree(tmp_path / "cold" / "public")


def test_an_unreadable_catalog_is_not_remembered(tmp_path: Path, synced: list[str]) -> None:
    """A directory where ru/_ui.po belongs is an error; once it is gone, the catalog is made
    again (the error is not said again from memory)."""
    root = tmp_path / "live"
    make_newsroom(root, 3)
    _run(root)
    path = root / "i18n" / "ru" / "_ui.po"
    path.unlink()
    path.mkdir()
    errors = _run(root)
    assert any("_ui.po" in e for e in errors), errors
    assert any("_ui.po" in e for e in _run(root))
    path.rmdir()
    edit_one(root, 1)
    assert _run(root) == []
    assert path.is_file()
