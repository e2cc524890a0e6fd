"""Memory: peak RSS of a cold `tilmash run` and an edit run after it, 1k–10k articles × 4 locales.

Each newsroom has every article reviewed in kk, ru and zh (no machine translation), so all
four locales publish every article. The figure is the peak resident set of the largest
process of the run (the main process or a forked worker; shared pages count in each),
from wait4's rusage. The growth per 1,000 articles between successive sizes is printed
for both runs; the last one is the slope used to extrapolate to 100,000 (a straight line:
the method, not a measurement; an upper bound while the slope falls). `--large` adds 30,000 articles
(about 10 minutes more). A size of 100,000 or more is measured, not extrapolated; its newsroom
and site take about 9 GB, so `--scratch` can put them on disk instead of the RAM-backed default.

    python -m benchmarks.memory_scale [--sizes 1000,4000,10000] [--large] [--jobs N] [--scratch DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO, SCRATCH, compile_tilmash
from benchmarks.incremental_run import edit_one
from benchmarks.newsroom import make_newsroom

GOAL_MIB = 300  # at 10,000 articles × 4 locales


def peak_rss(root: Path, jobs: list[str]) -> tuple[float, float]:
    """(peak RSS in MiB, seconds) of one `tilmash run` of `root`."""
    command = [sys.executable, "-m", "tilmash", "run", "--quiet", *jobs, str(root)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"tilmash run failed on {root} (exit {process.returncode})")
    return usage.ru_maxrss / 1024, elapsed


def _slopes(sizes: list[int], measured: dict[int, float]) -> list[float]:
    """MiB per 1,000 articles between successive sizes."""
    return [(measured[b] - measured[a]) / (b - a) * 1000 for a, b in zip(sizes, sizes[1:], strict=False)]


def _described(slopes: list[float], sizes: list[int]) -> str:
    steps = ", ".join(f"{s:.1f} MiB ({a}→{b})" for s, a, b in zip(slopes, sizes, sizes[1:], strict=False))
    falls = slopes[-1] < 0.8 * slopes[0]
    return steps + (" (sublinear: the slope falls)" if falls else " (linear: the slope does not fall)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,10000")
    parser.add_argument("--large", action="store_true", help="also 30,000 articles")
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: every core)")
    parser.add_argument(
        "--scratch", type=Path, default=SCRATCH, help=f"where the newsrooms are built (default: {SCRATCH})"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")] + ([30_000] if args.large else [])
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    measured: dict[int, tuple[float, float]] = {}
    edits: dict[int, float] = {}
    args.scratch.mkdir(parents=True, exist_ok=True)
    compile_tilmash()  # as an installed Tilmash runs: its bytecode written once
    for size in sizes:
        with tempfile.TemporaryDirectory(dir=args.scratch) as scratch:
            root = Path(scratch) / "newsroom"
            make_newsroom(root, size)
            measured[size] = peak_rss(root, jobs)
            edit_one(root, size // 2)
            edit_rss, edit_seconds = peak_rss(root, jobs)
            edits[size] = edit_rss
            rss, seconds = measured[size]
            print(  # before the (slow, at 100,000 articles) clean-up of the scratch directory
                f"{size:7d} articles × 4 locales: peak RSS {rss:7.1f} MiB  ({seconds:.1f} s cold run); "
                f"one-article edit after it {edit_rss:7.1f} MiB ({edit_seconds:.1f} s)",
                flush=True,
            )
    if len(sizes) >= 2:
        slopes = _slopes(sizes, measured={size: rss for size, (rss, _) in measured.items()})
        print("cold run, growth per 1,000 articles: " + _described(slopes, sizes))
        print("edit run, growth per 1,000 articles: " + _described(_slopes(sizes, edits), sizes))
    if max(sizes) >= 100_000:
        print(f"100,000 articles or more: measured above ({max(sizes):,} articles), not extrapolated")
    elif len(sizes) >= 2:
        high, ahead = sizes[-1], (100_000 - sizes[-1]) / 1000
        print(
            f"100,000 articles, extrapolated on the last slope (a straight line, not a measurement): "
            f"cold run {measured[high][0] + slopes[-1] * ahead:.0f} MiB, "
            f"edit run {edits[high] + _slopes(sizes, edits)[-1] * ahead:.0f} MiB"
        )
    if 10_000 in measured:
        rss = measured[10_000][0]
        print(
            f"goal: ≤ {GOAL_MIB} MiB at 10,000 articles; measured {rss:.0f} MiB = {rss / GOAL_MIB:.2f} of it"
        )


if __name__ == "__main__":
    main()
