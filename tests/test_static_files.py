"""The newsroom's static/ files: a replaced photo redoes no article, an unchanged one is not read
again, and none is held whole in memory (a press office's static/ may hold gigabytes)."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest

import tilmash.static_files
from tests.conftest import run_cli
from tests.helpers import cold_copy, file_tree
from tilmash.config import load_config
from tilmash.runner import RunOptions, run


def test_a_replaced_photo_is_published_and_redoes_no_article(newsroom: Path, tmp_path: Path) -> None:
    """The units' run key hashed every byte of static/: replacing one photo redid every article."""
    first = run_cli("run", newsroom)
    kept = int(re.findall(r"units_kept=(\d+)", first.stderr)[0])
    assert first.code == 0 and kept >= 3  # those with nothing left for machine translation
    photo = newsroom / "static" / "solar-roof.svg"
    replaced = photo.read_bytes().replace(b"</svg>", b"<!-- the new roof --></svg>")
    photo.write_bytes(replaced)
    result = run_cli("run", newsroom)
    assert result.code == 0, result.stderr
    assert f"reused={kept} " in result.stderr
    assert (newsroom / "public" / "static" / "solar-roof.svg").read_bytes() == replaced
    cold = cold_copy(newsroom, tmp_path / "cold")
    assert run_cli("run", cold).code == 0
    assert file_tree(newsroom / "public") == file_tree(cold / "public")


def test_a_removed_photo_redoes_the_article_showing_it(newsroom: Path) -> None:
    """Which files static/ holds is what pages depend on: an article showing a photo that is gone errs."""
    assert run_cli("run", newsroom).code == 0
    (newsroom / "static" / "solar-roof.svg").unlink()
    result = run_cli("run", newsroom)
    assert result.code == 1 and "image static/solar-roof.svg not found" in result.stderr
    assert not (newsroom / "public" / "static" / "solar-roof.svg").exists()


def test_an_unchanged_static_file_is_not_read_again(newsroom: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path] = []

    def recording_open(path: Path, mode: str = "r") -> object:
        opened.append(Path(path))
        return open(path, mode)

    monkeypatch.setattr(tilmash.static_files, "open", recording_open, raising=False)
    monkeypatch.setattr(tilmash.static_files, "RACY_NS", 0)  # the photos were copied just now
    config = load_config(newsroom)
    assert run(config, RunOptions(jobs=1)).ok
    photos = sorted((newsroom / "static").iterdir())
    assert sorted(opened) == photos  # a first run copies each
    opened.clear()
    added = newsroom / "static" / "new-map.svg"
    added.write_bytes(photos[0].read_bytes())
    source = newsroom / "sources" / "library-night.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert run(config, RunOptions(jobs=1)).ok
    assert opened == [added]
    assert (newsroom / "public" / "static" / "new-map.svg").read_bytes() == added.read_bytes()
    for photo in photos:
        assert (newsroom / "public" / "static" / photo.name).read_bytes() == photo.read_bytes()


def test_a_large_static_file_is_never_held_in_memory(newsroom: Path) -> None:
    """static/ was read into one dict of bytes, and each file compared with its published copy."""
    size = 48 << 20
    config = load_config(newsroom)

    def peak_of_run() -> int:
        tracemalloc.start()
        try:
            assert run(config, RunOptions(jobs=1)).ok
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    baseline = peak_of_run()
    (newsroom / "static" / "campus-tour.webm").write_bytes(b"\x1a\x45\xdf\xa3" + bytes(size))
    cold = peak_of_run()
    again = peak_of_run()  # compares with the published copy, or keeps it
    assert (newsroom / "public" / "static" / "campus-tour.webm").stat().st_size == size + 4
    assert max(cold, again) - baseline < size // 8, (baseline, cold, again)
