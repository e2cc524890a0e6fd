"""An edit saved while a run works is never taken as processed: the next run publishes it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import tilmash.articles
from benchmarks.incremental_run import edit_one
from benchmarks.newsroom import make_newsroom, story_name
from tests.conftest import REPO, run_cli
from tilmash.config import load_config
from tilmash.runner import RunOptions, run

# Stage lines are logged when a stage ends; stopping the run right after one of them puts the
# edit inside the next stage: machine translation, writing catalogs, rendering, publishing.
MOMENTS = ("stage=sources", "stage=translate locale=ru", "stage=commit", "stage=render")
RU_TITLE = "В кампусе открылась новая лаборатория солнечной энергетики"


def _edit(newsroom: Path, word: str) -> None:
    source = newsroom / "sources" / "library-night.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("until midnight", f"until {word}"), encoding="utf-8")
    catalog = newsroom / "i18n" / "ru" / "solar-lab-opens.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace(RU_TITLE, f"{RU_TITLE} ({word})"), encoding="utf-8")


@pytest.mark.parametrize("moment", MOMENTS)
def test_edit_saved_during_a_run_is_published_by_the_next_run(newsroom, en_ru_package, packages_env, moment):
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    word = "dawn" + str(MOMENTS.index(moment))
    run = subprocess.Popen(
        [sys.executable, "-m", "tilmash", "run", str(newsroom)],
        cwd=REPO,
        env=packages_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stderr is not None
    for line in run.stderr:
        if line.startswith(moment):
            os.kill(run.pid, signal.SIGSTOP)
            break
    else:
        pytest.fail(f"the run never logged {moment}")
    try:
        assert run.poll() is None, "the run ended before the edit"
        _edit(newsroom, word)
    finally:
        os.kill(run.pid, signal.SIGCONT)
    run.stderr.read()
    assert run.wait(timeout=300) == 0

    again = run_cli("run", newsroom, env=packages_env)
    assert again.code == 0, again.stderr
    assert "stage=noop" not in again.stderr
    english = (newsroom / "public" / "en" / "library-night.html").read_text(encoding="utf-8")
    russian = (newsroom / "public" / "ru" / "solar-lab-opens.html").read_text(encoding="utf-8")
    assert f"until {word}" in english
    assert f"({word})" in russian
    # and the run after that has nothing left to do
    assert "stage=noop" in run_cli("run", newsroom, env=packages_env).stderr


def test_a_catalog_saved_after_the_run_wrote_it_is_published_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translator's save between the run's write of a catalog and the end of the run (while
    it renders) was taken into the article's key and stamp, so the next run reused the unit
    made from the run's own version: the save was never published."""
    root = tmp_path / "newsroom"
    make_newsroom(root, 3)
    config = load_config(root)
    assert run(config, RunOptions(jobs=1)).ok
    slug = story_name(1).removesuffix(".md")
    catalog = root / "i18n" / "ru" / f"{slug}.po"
    before = catalog.read_bytes()
    edit_one(root, 1)  # the run writes the article's catalogs anew
    keep_units = tilmash.articles.kept_units
    saved = ""

    def translator_saves_meanwhile(*args: Any, **kwargs: Any) -> Any:
        nonlocal saved
        text = catalog.read_text(encoding="utf-8")
        assert text.encode() != before  # written by the run
        title = re.search(r'msgctxt "title"\nmsgid ".*"\nmsgstr "(.*)"', text)
        assert title is not None
        saved = f"{title[1]} (исправлено)"
        catalog.write_text(text.replace(f'msgstr "{title[1]}"', f'msgstr "{saved}"', 1), encoding="utf-8")
        return keep_units(*args, **kwargs)

    monkeypatch.setattr(tilmash.articles, "kept_units", translator_saves_meanwhile)
    assert run(config, RunOptions(jobs=1)).ok
    monkeypatch.setattr(tilmash.articles, "kept_units", keep_units)
    assert run(config, RunOptions(jobs=1)).ok
    assert saved in (root / "public" / "ru" / f"{slug}.html").read_text(encoding="utf-8")


def test_a_source_saved_during_the_run_with_its_size_and_mtime_is_published_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source was taken as unchanged since its parsing when its size and mtime were (a second
    save within the clock's tick, or a tool keeping times): the next run reused the unit parsed
    from the first version, under a key made of the second."""
    root = tmp_path / "newsroom"
    make_newsroom(root, 3)
    config = load_config(root)
    source = root / "sources" / story_name(1)
    edit_one(root, 1)  # the run parses it anew
    keep_units = tilmash.articles.kept_units
    before = source.stat()
    text = source.read_text(encoding="utf-8")
    word = re.findall(r"\b[a-z]{6}\b", text.split("\n---\n", 1)[1])[0]
    saved = text.replace(word, word[::-1].upper(), 1)

    def saved_again_meanwhile(*args: Any, **kwargs: Any) -> Any:
        source.write_text(saved, encoding="utf-8")
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
        return keep_units(*args, **kwargs)

    monkeypatch.setattr(tilmash.articles, "kept_units", saved_again_meanwhile)
    assert run(config, RunOptions(jobs=1)).ok
    monkeypatch.setattr(tilmash.articles, "kept_units", keep_units)
    assert run(config, RunOptions(jobs=1)).ok
    page = (root / "public" / "en" / source.with_suffix(".html").name).read_text(encoding="utf-8")
    assert word[::-1].upper() in page


def test_settings_saved_during_the_run_reach_every_page_of_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The units were keyed with what every page depends on (tilmash.toml, say) as it was when
    the run ended, not as the run read it: a site title saved while the run rendered was taken
    as rendered, and the next run reused every article page with the old title."""
    root = tmp_path / "newsroom"
    make_newsroom(root, 3)
    config = load_config(root)
    assert run(config, RunOptions(jobs=1)).ok
    edit_one(root, 1)
    settings = root / "tilmash.toml"
    render_articles = tilmash.articles.run_articles

    def retitled_meanwhile(*args: Any, **kwargs: Any) -> Any:
        done = render_articles(*args, **kwargs)
        settings.write_text(settings.read_text("utf-8").replace("Newsroom", "Campus Wire"), "utf-8")
        return done

    monkeypatch.setattr(tilmash.articles, "run_articles", retitled_meanwhile)
    assert run(config, RunOptions(jobs=1)).ok
    monkeypatch.setattr(tilmash.articles, "run_articles", render_articles)
    assert run(load_config(root), RunOptions(jobs=1)).ok
    for page in (root / "public" / "en").glob("story-*.html"):
        assert "Campus Wire" in page.read_text(encoding="utf-8"), page.name
