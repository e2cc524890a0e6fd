"""Runs and saves never get in each other's way; a run that cannot finish says so in one line."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, run_cli
from tilmash.config import load_config
from tilmash.i18n import read_catalog
from tilmash.parallel import MIN_SHARE
from tilmash.review.store import ReviewStore, entry_key, entry_token


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_leftover_cleanup_spares_files_a_live_process_is_writing(newsroom):
    catalogs = newsroom / "i18n" / "ru"
    live = catalogs / f".solar-lab-opens.po.{os.getpid()}.k2x9.tmp"  # e.g. the review page saving now
    dead = catalogs / f".solar-lab-opens.po.{_dead_pid()}.a81c.tmp"
    unowned = catalogs / ".water-conference.po.q0dz7.tmp"  # written before temp names carried a PID
    for path in (live, dead, unowned):
        path.write_bytes(b"half a catalog")
    live_site = newsroom / f".public.new-{os.getpid()}-x1"
    dead_site = newsroom / f".public.new-{_dead_pid()}-x2"
    for directory in (live_site, dead_site):
        (directory / "en").mkdir(parents=True)

    result = run_cli("run", newsroom)

    assert result.code == 0, result.stderr
    assert live.exists() and live_site.is_dir()
    assert not dead.exists() and not unowned.exists() and not dead_site.exists()


def test_leftover_cleanup_reaches_nested_folders_and_leaves_a_folder_named_like_a_temp_file(newsroom):
    """Temp files are looked for below every folder; a folder whose name looks like one is not
    a leftover (removing it as a file stopped the run with a traceback)."""
    folder = newsroom / "i18n" / ".odd-name.tmp"
    (folder / "notes").mkdir(parents=True)
    nested = folder / "notes" / f".draft.po.{_dead_pid()}.b7.tmp"
    nested.write_bytes(b"half a catalog")

    result = run_cli("run", newsroom)

    assert result.code == 0, result.stderr
    assert folder.is_dir() and not nested.exists()


def test_rewritten_files_keep_their_mode_and_new_ones_follow_the_umask(newsroom):
    catalog = newsroom / "i18n" / "ru" / "solar-lab-opens.po"
    catalog.chmod(0o664)
    with (newsroom / "sources" / "solar-lab-opens.md").open("a", encoding="utf-8") as handle:
        handle.write("\nA new paragraph for the translators.\n")
    (newsroom / "sources" / "new-story.md").write_text(
        "---\ntitle: A new story\ndate: 2026-05-02\n---\nIt begins.\n", encoding="utf-8"
    )
    completed = subprocess.run(
        [sys.executable, "-m", "tilmash", "run", str(newsroom), "--quiet"],
        preexec_fn=lambda: os.umask(0o002),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert "A new paragraph" in catalog.read_text(encoding="utf-8")
    assert stat.S_IMODE(catalog.stat().st_mode) == 0o664
    assert stat.S_IMODE((newsroom / "i18n" / "ru" / "new-story.po").stat().st_mode) == 0o664
    assert stat.S_IMODE((newsroom / ".tilmash" / "state.json").stat().st_mode) == 0o664

    state = newsroom / ".tilmash" / "state.json"
    state.chmod(0o640)
    os.utime(newsroom / "sources" / "new-story.md")  # the next run is not a no-op
    assert run_cli("run", newsroom, "--quiet").code == 0
    assert stat.S_IMODE(state.stat().st_mode) == 0o640


def test_a_review_save_keeps_the_catalog_mode(newsroom):
    path = newsroom / "i18n" / "ru" / "solar-lab-opens.po"
    path.chmod(0o660)
    store = ReviewStore(load_config(newsroom))
    message = next(m for m in read_catalog(path, "ru") if m.context == "title")
    outcome = store.save("ru", "solar-lab-opens", entry_key(message), entry_token(message), "save", "Новое")
    assert outcome.status in ("saved", "merged")
    assert stat.S_IMODE(path.stat().st_mode) == 0o660


def _limited_run(newsroom: Path, file_size_limit: int) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # as if the disk filled up at this size: writes fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, "-m", "tilmash", "run", str(newsroom), "--jobs", "1"],
        preexec_fn=limit,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )


def test_a_write_failing_midway_is_one_error_line_and_the_old_site_stays(newsroom):
    assert run_cli("run", newsroom, "--quiet").code == 0
    page = newsroom / "public" / "en" / "solar-lab-opens.html"
    before = page.read_bytes()
    paragraphs = "\n\n".join(f"Paragraph {n} " + "of a very long report " * 120 for n in range(60))
    (newsroom / "sources" / "long-report.md").write_text(
        f"---\ntitle: A long report\ndate: 2026-05-03\n---\n{paragraphs}\n", encoding="utf-8"
    )

    result = _limited_run(newsroom, 100_000)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "File too large" in errors[0], result.stderr
    assert page.read_bytes() == before
    assert not list(newsroom.glob(".public.*"))
    assert not list(newsroom.rglob(".*.tmp"))
    assert run_cli("run", newsroom, "--quiet").code == 0  # with room again, the next run publishes
    assert (newsroom / "public" / "en" / "long-report.html").exists()


def test_a_killed_worker_is_one_error_line(newsroom, tmp_path):
    for n in range(2 * MIN_SHARE + 2):
        (newsroom / "sources" / f"brief-{n:03d}.md").write_text(
            f"---\ntitle: Brief number {n}\ndate: 2026-04-01\n---\nShort news item {n}.\n", encoding="utf-8"
        )
    (newsroom / "sources" / "zz-last.md").write_text(
        "---\ntitle: Last\ndate: 2026-04-02\n---\nThe last one.\n", encoding="utf-8"
    )
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import os, signal\n"
        "MAIN = os.getpid()\n"
        "import tilmash.sources.loader as loader\n"
        "original = loader.read_source_and_digest\n"
        "def read_source_and_digest(path):\n"
        "    if path.name == 'zz-last.md' and os.getpid() != MAIN:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return original(path)\n"
        "loader.read_source_and_digest = read_source_and_digest\n",
        encoding="utf-8",
    )
    env = os.environ | {"PYTHONPATH": str(hooks)}
    result = run_cli("run", newsroom, "--jobs", "2", env=env)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "worker" in errors[0] and "-9" in errors[0], result.stderr
    assert not list(newsroom.glob(".public.*"))


def test_a_public_directory_that_cannot_be_replaced_is_one_error_line(newsroom):
    """`chattr +i` makes public/ impossible to rename or change, even for root (who ignores 0555)."""
    assert run_cli("run", newsroom, "--quiet").code == 0
    public = newsroom / "public"
    before = {p: p.read_bytes() for p in public.rglob("*") if p.is_file()}
    source = newsroom / "sources" / "solar-lab-opens.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA sentence added after publication.\n")
    subprocess.run(["chattr", "+i", str(public)], check=True)
    try:
        result = run_cli("run", newsroom)
    finally:
        subprocess.run(["chattr", "-i", str(public)], check=True)

    assert result.code == 1 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "public" in errors[0], result.stderr
    assert {p: p.read_bytes() for p in public.rglob("*") if p.is_file()} == before
    assert not list(newsroom.glob(".public*"))
    assert run_cli("run", newsroom, "--quiet").code == 0  # writable again: the next run publishes the edit
    assert "A sentence added after publication." in (public / "en" / "solar-lab-opens.html").read_text()
