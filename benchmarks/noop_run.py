"""Scheduled runs: a cold full run vs a run with nothing new, on a 1,000-article newsroom (no MT).

python benchmarks/noop_run.py [--articles 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import REPO, SCRATCH, compile_tilmash, news_body, paragraph, timed


def make_newsroom(root: Path, articles: int, rng: random.Random) -> None:
    shutil.copy(REPO / "examples" / "newsroom" / "tilmash.toml", root / "tilmash.toml")
    (root / "sources").mkdir(parents=True)
    for index in range(articles):
        paragraphs = [paragraph(rng) for _ in range(8)]
        body = news_body(paragraphs)
        day = 1 + index % 28
        (root / "sources" / f"story-{index:04d}.md").write_text(
            f"---\ntitle: Story number {index}\ndate: 2026-{1 + index % 12:02d}-{day:02d}\n"
            f"summary: {paragraphs[0]}\n---\n{body}\n",
            encoding="utf-8",
        )


def tilmash_run(root: Path, env: dict[str, str]) -> float:
    command = [sys.executable, "-m", "tilmash", "run", "--quiet", str(root)]
    return timed(lambda: subprocess.run(command, cwd=REPO, env=env, check=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cold, noop = [], []
    SCRATCH.mkdir(parents=True, exist_ok=True)
    compile_tilmash()  # as an installed Tilmash runs: its bytecode written once
    with tempfile.TemporaryDirectory(dir=SCRATCH) as scratch:
        env = os.environ | {"ARGOS_PACKAGES_DIR": str(Path(scratch) / "no-models")}
        (Path(scratch) / "no-models").mkdir()
        pristine = Path(scratch) / "pristine"
        pristine.mkdir()
        make_newsroom(pristine, args.articles, random.Random(7))
        for _ in range(args.repeat):
            work = Path(scratch) / "work"
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(pristine, work)
            cold.append(tilmash_run(work, env))
            noop.append(tilmash_run(work, env))
    cold_median, noop_median = statistics.median(cold), statistics.median(noop)
    print(f"{args.articles} articles × 4 locales, no machine translation; median of {args.repeat} runs")
    print(f"cold full run   {cold_median:7.2f} s")
    print(f"no-op run       {noop_median:7.2f} s  = {100 * noop_median / cold_median:.1f} % of the cold run")


if __name__ == "__main__":
    main()
