"""Incremental runs: a cold run vs a one-article edit vs a run with nothing new, at 1,000 and 4,000 articles.

Each newsroom has every article reviewed in kk, ru and zh (no machine translation). A
cold run has no state, no caches and no site. An edit changes one paragraph of one
article (a different article each time), as a reporter's correction does; the run then
re-parses, re-syncs and re-renders that article, and the index, tag and feed pages whose
inputs changed. Most of those articles are older than the feeds show; the newest article's
edit (the usual correction) also renders every feed again. Files written = catalogs and
templates plus site files (re)written.
Tilmash's modules and templates are compiled to bytecode first, as `pip install` leaves an
installed Tilmash (a checkout run under PYTHONDONTWRITEBYTECODE would compile them on every
run); that is not newsroom state: cold runs stay cold. With --unreviewed the newsrooms have
no translation yet (translators behind, no engine): every article is left untranslated.

    python -m benchmarks.incremental_run [--sizes 1000,4000] [--repeat 3] [--unreviewed]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO, SCRATCH, compile_tilmash
from benchmarks.newsroom import article_markdown, make_newsroom, story_name

GOAL = 0.10  # an edit costs at most this share of a cold run


def tilmash_run(root: Path) -> tuple[float, int]:
    """(seconds, files written) of one `tilmash run`."""
    command = [sys.executable, "-m", "tilmash", "run", "--json", str(root)]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        raise SystemExit(f"tilmash run failed:\n{completed.stderr}")
    summary = json.loads(completed.stdout)
    return elapsed, int(summary["files_written"]) + int(summary["catalogs_written"])


def edit_one(root: Path, index: int) -> None:
    path = root / "sources" / story_name(index)
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    path.write_text(
        head + "\n---\n" + body.replace(".", ", as the press office said today.", 1), encoding="utf-8"
    )


def newest(size: int) -> int:
    """The story the feeds and the first index page show first."""
    return max(range(size), key=lambda index: (article_markdown(index, random.Random(index))[1], index))


def measure(size: int, repeat: int, reviewed: bool = True) -> dict[str, list[tuple[float, int]]]:
    results: dict[str, list[tuple[float, int]]] = {
        "cold": [],
        "one-article edit": [],
        "no-op": [],
        "newest-article edit": [],
    }
    with tempfile.TemporaryDirectory(dir=SCRATCH) as scratch:
        pristine, work = Path(scratch) / "pristine", Path(scratch) / "work"
        make_newsroom(pristine, size, reviewed=reviewed)
        for round_ in range(repeat):
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(pristine, work)
            results["cold"].append(tilmash_run(work))
            edit_one(work, (round_ * 7919) % size)
            results["one-article edit"].append(tilmash_run(work))
            results["no-op"].append(tilmash_run(work))
            edit_one(work, newest(size))
            results["newest-article edit"].append(tilmash_run(work))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--unreviewed", action="store_true", help="no article translated yet")
    args = parser.parse_args()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    compile_tilmash()  # as an installed Tilmash runs: its bytecode written once
    state = "none translated" if args.unreviewed else "all reviewed"
    print(f"newsrooms of N articles × 4 locales, {state}, no MT; median of {args.repeat} runs each")
    for size in (int(s) for s in args.sizes.split(",")):
        results = measure(size, args.repeat, reviewed=not args.unreviewed)
        cold = statistics.median(t for t, _ in results["cold"])
        for name, runs in results.items():
            median = statistics.median(t for t, _ in runs)
            files = statistics.median(f for _, f in runs)
            print(
                f"{size:6d} articles  {name:17s} {median:7.2f} s  {files:6.0f} files written"
                f"  {median / cold:6.1%} of cold"
            )
        for name in ("one-article edit", "newest-article edit"):
            edit = statistics.median(t for t, _ in results[name]) / cold
            print(f"{size:6d} articles: a {name} costs {edit:.1%} of a cold run (goal ≤ {GOAL:.0%})")


if __name__ == "__main__":
    main()
