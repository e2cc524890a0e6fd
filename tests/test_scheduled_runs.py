"""`tilmash run` under cron: one at a time, idempotent, observable, isolated failures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO, run_cli
from tilmash.i18n import read_catalog


def _snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in root.rglob("*")
        if p.is_file() and ".tilmash" not in p.parts
    }


def _lock_holder(newsroom: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the newsroom's lock for `seconds`; returns once it holds it."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pathlib import Path; from tilmash.lock import newsroom_lock\n"
                "with newsroom_lock(Path(sys.argv[1])):\n"
                "    print('locked', flush=True); time.sleep(float(sys.argv[2]))"
            ),
            str(newsroom / ".tilmash"),
            str(seconds),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_second_concurrent_run_exits_promptly_with_status_3(newsroom):
    holder = _lock_holder(newsroom, 30)
    try:
        started = time.monotonic()
        result = run_cli("run", newsroom)
        assert time.monotonic() - started < 10
        assert result.code == 3
        assert "another tilmash run is in progress" in result.stderr and f"pid {holder.pid}" in result.stderr
        assert not (newsroom / "public").exists()
    finally:
        holder.kill()
        holder.wait()


def test_two_runs_started_together_exactly_one_proceeds(newsroom):
    command = [sys.executable, "-m", "tilmash", "run", "--json", str(newsroom)]
    first = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    codes = sorted([first.wait(timeout=120), second.wait(timeout=120)])
    assert codes == [0, 3]


def test_wait_flag_waits_for_the_lock_instead(newsroom):
    holder = _lock_holder(newsroom, 2)
    result = run_cli("run", "--wait", newsroom)
    holder.wait()
    assert result.code == 0
    assert (newsroom / "public" / "index.html").exists()


def test_lock_left_by_a_killed_run_is_recovered(newsroom):
    holder = _lock_holder(newsroom, 60)
    holder.kill()
    holder.wait()
    assert "pid" in (newsroom / ".tilmash" / "lock").read_text()
    assert run_cli("run", newsroom).code == 0


def test_noop_run_changes_nothing_and_says_so(newsroom):
    assert run_cli("run", newsroom).code == 0
    before = _snapshot(newsroom)
    result = run_cli("run", newsroom)
    assert result.code == 0
    assert "stage=noop" in result.stderr
    assert _snapshot(newsroom) == before


def test_touched_source_resyncs_without_rewriting_anything(newsroom, en_ru_package, packages_env):
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    assert run_cli("run", newsroom, env=packages_env).code == 0
    before = _snapshot(newsroom)
    os.utime(newsroom / "sources" / "library-night.md")
    result = run_cli("run", "--json", newsroom, env=packages_env)
    assert result.code == 0 and "stage=noop" not in result.stderr
    report = json.loads(result.stdout)
    assert report["catalogs_written"] == 0 and report["files_written"] == 0
    assert all(line["machine_filled"] == 0 for line in report["locales"])
    after = _snapshot(newsroom)
    del before["sources/library-night.md"], after["sources/library-night.md"]
    assert after == before


def test_edited_article_rewrites_only_what_shows_it(newsroom):
    assert run_cli("run", newsroom).code == 0
    before = _snapshot(newsroom / "public")
    source = newsroom / "sources" / "library-night.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("until midnight", "until 1 a.m."), encoding="utf-8"
    )
    assert run_cli("run", newsroom).code == 0
    after = _snapshot(newsroom / "public")
    changed = sorted(path for path in after if after[path] != before.get(path))
    # The summary changed too, so the English lists show it; no other locale publishes it.
    assert changed == [
        "en/atom.xml",
        "en/feed.json",
        "en/index.html",
        "en/library-night.html",
        "en/rss.xml",
        "en/tags/events.html",
        "en/tags/library.html",
    ]


def test_dry_run_reports_changes_and_writes_nothing(newsroom):
    assert run_cli("run", newsroom).code == 0
    source = newsroom / "sources" / "student-satellite.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("1.3 kilograms", "1.4 kilograms"), encoding="utf-8"
    )
    before = _snapshot(newsroom)
    result = run_cli("run", "--dry-run", newsroom)
    assert result.code == 0
    assert _snapshot(newsroom) == before
    for expected in (
        "would write i18n/ru/student-satellite.po",
        "would publish public/en/student-satellite.html",
    ):
        assert expected in result.stdout


def test_stage_lines_and_json_summary(newsroom):
    result = run_cli("run", "--json", newsroom)
    stages = [line.split()[0] for line in result.stderr.splitlines() if line.startswith("stage=")]
    assert stages[0] == "stage=sources" and "stage=render" in stages and stages[-1] == "stage=publish"
    assert all("seconds=" in line for line in result.stderr.splitlines() if line.startswith("stage="))
    report = json.loads(result.stdout)
    assert report["ok"] is True and {line["locale"] for line in report["locales"]} == {"en", "kk", "ru", "zh"}


def test_quiet_prints_nothing_when_all_is_well(newsroom):
    result = run_cli("run", "--quiet", newsroom)
    assert result.code == 0 and result.stdout == "" and result.stderr == ""


def test_import_before_run_from_config(newsroom, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>N</title><link>https://u.example/</link>'
        "<description>d</description><item><title>Orchard open day</title><guid>urn:orchard</guid>"
        "<pubDate>Mon, 06 Apr 2026 09:00:00 +0000</pubDate>"
        "<description>Apple trees bloom.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    config = newsroom / "tilmash.toml"
    config.write_text(config.read_text(encoding="utf-8") + f'\n[import]\nfeed = "{feed}"\n', encoding="utf-8")
    assert run_cli("run", newsroom).code == 0
    assert (newsroom / "public" / "en" / "orchard-open-day.html").exists()


def test_failing_engine_affects_only_its_locale(newsroom, en_ru_package, packages_env):
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    model = next(Path(packages_env["ARGOS_PACKAGES_DIR"]).glob("*/model"))
    (model / "model.bin").write_bytes(b"garbage")
    result = run_cli("run", newsroom, env=packages_env)
    assert result.code == 1
    assert "error: ru:" in result.stderr and "model" in result.stderr
    assert (newsroom / "public" / "kk" / "student-satellite.html").exists()
    assert (newsroom / "public" / "ru" / "student-satellite.html").exists()
    catalog = read_catalog(newsroom / "i18n" / "ru" / "water-conference.po", "ru")
    assert all(not m.string for m in catalog if m.id)


def test_interrupted_run_leftovers_are_cleaned(newsroom):
    assert run_cli("run", newsroom).code == 0
    staging = newsroom / ".public.new-abc123"
    staging.mkdir()
    (staging / "half.html").write_text("<p>half", encoding="utf-8")
    temp = newsroom / "i18n" / "ru" / ".solar-lab-opens.po.x1y2.tmp"
    temp.write_text("partial", encoding="utf-8")
    os.utime(newsroom / "sources" / "library-night.md")
    assert run_cli("run", newsroom).code == 0
    assert not staging.exists() and not temp.exists()
    shutil.rmtree(newsroom / "public")


def test_unreadable_feed_is_an_error_and_the_run_goes_on(newsroom, tmp_path):
    broken = tmp_path / "feed.xml"
    broken.write_text("not a feed at all", encoding="utf-8")
    result = run_cli("run", "--import", broken, newsroom)
    assert result.code == 1 and "feed refused: no source was changed" in result.stderr
    assert (newsroom / "public" / "en" / "solar-lab-opens.html").exists()


def _pot_version(pot: Path) -> str:
    line = next(
        line
        for line in pot.read_text(encoding="utf-8").splitlines()
        if line.startswith('"Project-Id-Version:')
    )
    return line.split()[-1].removesuffix('\\n"')


def test_a_pot_is_rendered_again_only_when_its_units_or_the_release_change(newsroom):
    assert run_cli("run", newsroom).code == 0
    pot = newsroom / "i18n" / "pot" / "library-night.pot"
    source = newsroom / "sources" / "library-night.md"
    first = _pot_version(pot)
    stamp = pot.stat().st_mtime_ns

    # Tags are not translation units: the POT keeps its version and is not touched.
    source.write_text(
        source.read_text(encoding="utf-8").replace("tags: [library, events]", "tags: [library]"),
        encoding="utf-8",
    )
    assert run_cli("run", newsroom).code == 0
    assert pot.stat().st_mtime_ns == stamp and _pot_version(pot) == first

    # An edited paragraph gives a new version, and the new text.
    source.write_text(
        source.read_text(encoding="utf-8").replace("rare books collection", "old books collection"),
        encoding="utf-8",
    )
    assert run_cli("run", newsroom).code == 0
    second = _pot_version(pot)
    assert second != first and "old books collection" in pot.read_text(encoding="utf-8")

    # A POT written by another release (its version differs) is rendered again even though
    # the source did not change: that release may have segmented the article differently.
    pot.write_text(pot.read_text(encoding="utf-8").replace(second, "0123456789abcdef"), encoding="utf-8")
    assert run_cli("run", newsroom).code == 0
    assert _pot_version(pot) == second
