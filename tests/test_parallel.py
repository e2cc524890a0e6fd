"""Parallel builds: forked workers give the same site as one process, and never outlive it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest

from tests.conftest import REPO, run_cli
from tests.helpers import file_tree
from tilmash.lock import newsroom_lock
from tilmash.parallel import MIN_SHARE, fork_map

WORDS = "rector students glacier satellite library grant laboratory partners water energy".split()


def _write_newsroom(root: Path, count: int, feed_items: int | None = None) -> None:
    (root / "sources").mkdir(parents=True)
    extra = f"feed_items = {feed_items}\n" if feed_items else ""
    (root / "tilmash.toml").write_text(
        '[site]\ntitle = "Newsroom"\nbase_url = "https://news.example/"\nlocales = ["ru"]\n'
        f'{extra}[engines]\ndefault = "none"\n',
        encoding="utf-8",
    )
    for n in range(count):
        words = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(14))
        (root / "sources" / f"story-{n:03d}.md").write_text(
            f"---\ntitle: Story {n}\ndate: 2026-{1 + n % 12:02d}-{1 + n % 28:02d}\n"
            f"tags: [{WORDS[n % 5]}]\n---\n"
            f"{words.capitalize()}.\n\n## Details {n}\n\n- A *first* point about {WORDS[n % 7]}.\n"
            f"- See [the report](https://example.org/{n}).\n",
            encoding="utf-8",
        )


def test_fork_map_keeps_order_and_matches_a_plain_map():
    items = list(range(3 * MIN_SHARE))
    offset = 7  # a closure: workers inherit it instead of having it pickled
    results = fork_map(lambda x: (os.getpid(), x + offset), items, jobs=2)
    assert [value for _, value in results] == [x + offset for x in items]
    assert len({pid for pid, _ in results}) == 2  # really two processes


def test_a_failure_in_a_worker_is_raised_with_its_traceback():
    def fails_late(x: int) -> int:
        if x == 3 * MIN_SHARE - 1:  # in the worker's share, not the caller's
            raise ValueError("bad item")
        return x

    with pytest.raises(RuntimeError, match="ValueError: bad item"):
        fork_map(fails_late, list(range(3 * MIN_SHARE)), jobs=2)


def test_workers_die_with_a_killed_parent_and_release_the_lock(tmp_path):
    """A run killed mid-way (cron timeout, SIGKILL) must not leave a worker holding the lock."""
    script = (
        "import os, sys, time\nfrom pathlib import Path\n"
        "from tilmash.lock import newsroom_lock\nfrom tilmash.parallel import fork_map\n"
        "with newsroom_lock(Path(sys.argv[1])):\n"
        "    def slow(x):\n"
        "        if x == 0: print('started', flush=True)\n"
        "        time.sleep(0.05)\n        return os.getpid()\n"
        "    fork_map(slow, list(range(400)), jobs=2)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert parent.stdout.readline().strip() == "started"
    time.sleep(0.5)
    workers = subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True, text=True).stdout.split()
    assert workers, "the parent should have a forked worker by now"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_running, workers))
    with newsroom_lock(tmp_path):  # free at once: LockBusy otherwise
        pass


def _running(pid: str) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def test_parallel_and_single_process_builds_are_identical(tmp_path):
    count = 2 * MIN_SHARE + 10  # enough for the sources and the pages to be split between two processes
    for name in ("one", "two"):
        _write_newsroom(tmp_path / name, count)
    assert run_cli("run", "--jobs", "1", tmp_path / "one").code == 0
    assert run_cli("run", "--jobs", "2", tmp_path / "two").code == 0
    one, two = file_tree(tmp_path / "one" / "public"), file_tree(tmp_path / "two" / "public")
    assert len(one) > count and one == two
    pots = [file_tree(tmp_path / name / "i18n" / "pot") for name in ("one", "two")]
    assert len(pots[0]) == count
    assert {k: _undated(v) for k, v in pots[0].items()} == {k: _undated(v) for k, v in pots[1].items()}


def _undated(pot: bytes) -> bytes:
    return b"\n".join(line for line in pot.split(b"\n") if b"-Date:" not in line)


def test_feeds_carry_the_newest_feed_items_articles(tmp_path):
    _write_newsroom(tmp_path, 12, feed_items=5)
    assert run_cli("run", tmp_path).code == 0
    feed = feedparser.parse((tmp_path / "public" / "en" / "atom.xml").read_bytes())
    assert len(feed.entries) == 5
    newest = sorted(((1 + n % 12, 1 + n % 28, n) for n in range(12)), reverse=True)[:5]
    assert {e.title for e in feed.entries} == {f"Story {n}" for *_, n in newest}
    sitemap = (tmp_path / "public" / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"/en/story-{n:03d}.html" in sitemap for n in range(12))  # the sitemap still lists all


@pytest.mark.parametrize("value", ["0", "-3", '"ten"'])
def test_feed_items_must_be_a_positive_whole_number(tmp_path, value):
    _write_newsroom(tmp_path, 1)
    config = tmp_path / "tilmash.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[engines]", f"feed_items = {value}\n[engines]"),
        encoding="utf-8",
    )
    result = run_cli("run", tmp_path)
    assert result.code == 2
    assert f"[site] feed_items = {value}: expected a whole number of at least 1" in result.stderr


def test_jobs_must_be_a_positive_whole_number(tmp_path):
    _write_newsroom(tmp_path, 1)
    result = run_cli("run", "--jobs", "0", tmp_path)
    assert result.code == 2 and "--jobs" in result.stderr
