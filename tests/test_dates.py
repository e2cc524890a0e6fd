"""Dates as the newsroom meant them: the story's own offset, or the site's time zone."""

from __future__ import annotations

import datetime as dt

import feedparser

from tests.conftest import run_cli
from tilmash.config import load_config
from tilmash.runner import RunOptions, run


def _set(newsroom, slug: str, date: str, timezone: str | None) -> None:
    source = newsroom / "sources" / f"{slug}.md"
    lines = source.read_text(encoding="utf-8").split("\n")
    lines = [f"date: {date}" if line.startswith("date:") else line for line in lines]
    source.write_text("\n".join(lines), encoding="utf-8")
    if timezone:
        config = newsroom / "tilmash.toml"
        text = config.read_text(encoding="utf-8").replace("[site]\n", f'[site]\ntimezone = "{timezone}"\n', 1)
        config.write_text(text, encoding="utf-8")


def _page(newsroom, slug: str) -> str:
    return (newsroom / "public" / "en" / f"{slug}.html").read_text(encoding="utf-8")


def test_without_a_time_zone_a_story_keeps_its_own_offset(newsroom):
    _set(newsroom, "library-night", "2026-09-30T03:00:00+06:00", None)
    assert run_cli("run", newsroom).code == 0
    assert 'datetime="2026-09-30"' in _page(newsroom, "library-night")


def test_the_site_time_zone_dates_pages_and_feeds(newsroom):
    _set(newsroom, "library-night", "2026-09-29T22:30:00+00:00", "Asia/Almaty")  # UTC+5 since 2024
    _set(newsroom, "water-conference", "2026-09-14", None)  # a day without a time stays that day
    assert run_cli("run", newsroom).code == 0
    assert 'datetime="2026-09-30"' in _page(newsroom, "library-night")
    assert 'datetime="2026-09-14"' in _page(newsroom, "water-conference")
    atom = (newsroom / "public" / "en" / "atom.xml").read_text(encoding="utf-8")
    assert "<published>2026-09-30T03:30:00+05:00</published>" in atom
    assert feedparser.parse(atom).entries


def test_an_unknown_time_zone_is_a_configuration_error(newsroom):
    _set(newsroom, "library-night", "2026-09-30", "Mars/Olympus_Mons")
    result = run_cli("run", newsroom)
    assert result.code == 2 and "timezone" in result.stderr and "IANA" in result.stderr


def test_new_templates_and_catalogs_are_dated_by_the_runs_clock_not_the_wall_clock(newsroom, tmp_path):
    (newsroom / "sources" / "observatory-night.md").write_text(
        "---\ntitle: The observatory opens its dome to visitors\ndate: 2026-11-22\n---\n"
        "Visitors can look at Saturn through the university telescope every Friday.\n",
        encoding="utf-8",
    )
    (newsroom / "i18n" / "ru" / "_ui.po").unlink()  # a shared catalog made anew too
    then = dt.datetime(2031, 5, 6, 7, 8, tzinfo=dt.UTC)
    no_models = {"ARGOS_PACKAGES_DIR": str(tmp_path / "none"), "TILMASH_HOME": str(tmp_path / "none")}
    assert run(load_config(newsroom, no_models), RunOptions(now=then)).ok
    made = [newsroom / "i18n" / "pot" / "observatory-night.pot", newsroom / "i18n" / "ru" / "_ui.po"]
    made += [newsroom / "i18n" / locale / "observatory-night.po" for locale in ("kk", "ru", "zh")]
    for path in made:
        assert b'"POT-Creation-Date: 2031-05-06 07:08+0000\\n"' in path.read_bytes(), path
