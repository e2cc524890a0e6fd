"""Rendering: Tilmash vs Pelican on the same 1,000 Markdown articles, plus Tilmash's 4-locale build.

Matched output: Pelican is configured to build what Tilmash builds for one locale (the
`simple` theme; article pages, the index in pages of 10, one page per tag, Atom and RSS; no
author, category or archives pages), and the file counts and sizes of both outputs are
printed. Every run is fully cold for both tools: no state, no site, no translation
templates (Tilmash writes a POT per article, which Pelican has no equivalent of, and that
is timed), no Pelican cache. Tilmash is timed on one process and on every core; Pelican has
no parallel mode. Pelican's default configuration (more pages, 3× the bytes) is kept as a
labelled second line. Four locales: Tilmash with every article reviewed in kk, ru and zh.
Each run's CPU time (user + system, all its processes) is printed beside its wall-clock
time, and the load average at the end: on a shared machine the wall-clock ratio also
measures the other jobs. Needs `pip install pelican markdown` (benchmarks/run does it).

    python -m benchmarks.render_site [--articles 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import REPO, SCRATCH, compile_tilmash, timed
from benchmarks.newsroom import LOCALES, article_markdown, config, reviewed_catalogs, story_name, story_source
from tilmash.parallel import available_cores

PELICAN_COMMON = """\
AUTHOR = "Press Office"
SITENAME = "Newsroom"
SITEURL = "https://news.example"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
DEFAULT_PAGINATION = 10
"""
# What Tilmash builds for one locale: article pages, the index in pages of 10, one
# unpaginated page per tag, Atom and RSS of every article. No author, category or
# archives pages, no per-category/tag feeds; the `simple` theme (no static files).
PELICAN_MATCHED = (
    PELICAN_COMMON
    + """\
THEME = "simple"
DIRECT_TEMPLATES = ["index"]
PAGINATED_TEMPLATES = {"index": None, "tag": 1000000}  # tag pages unpaginated
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
FEED_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
"""
)
# The configuration earlier versions of this benchmark used: Pelican's default theme with
# author, category, archives and paginated tag pages (about a third more pages, 3× the bytes).
PELICAN_DEFAULT = (
    PELICAN_COMMON
    + """\
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
"""
)


def write_sources(tilmash_root: Path, pelican_root: Path, count: int) -> None:
    rng = random.Random(11)
    (tilmash_root / "sources").mkdir(parents=True)
    (pelican_root / "content").mkdir(parents=True)
    for index in range(count):
        title, date, body, tags = article_markdown(index, rng)
        (tilmash_root / "sources" / story_name(index)).write_text(
            story_source(title, date, body, tags), encoding="utf-8"
        )
        (pelican_root / "content" / f"story-{index:04d}.md").write_text(
            f"Title: {title}\nDate: {date}\nAuthor: Press Office\nTags: {', '.join(tags)}\n"
            f"Slug: {story_name(index)[:-3]}\n\n{body}\n",
            encoding="utf-8",
        )
    (pelican_root / "matched.py").write_text(PELICAN_MATCHED, encoding="utf-8")
    (pelican_root / "default.py").write_text(PELICAN_DEFAULT, encoding="utf-8")


Timing = tuple[float, float]  # wall-clock seconds, CPU seconds (user + system, every process of the tool)


def run_timed(command: list[str], cwd: Path) -> Timing:
    """One run's wall-clock and CPU time. On a machine shared with other jobs the wall-clock time
    also counts waiting for a core; the CPU time much less so."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(lambda: subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def output_size(directory: Path) -> tuple[int, int]:
    """(files, bytes) of a built site."""
    files = [p for p in directory.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def cold_tilmash(root: Path, pristine_i18n: Path | None, jobs: list[str]) -> Timing:
    """One run with no state, no site, no templates: only the sources (and reviewed catalogs)."""
    for name in ("public", ".tilmash", "i18n"):
        shutil.rmtree(root / name, ignore_errors=True)
    if pristine_i18n is not None:
        shutil.copytree(pristine_i18n, root / "i18n")
    return run_timed([sys.executable, "-m", "tilmash", "run", "--quiet", *jobs, str(root)], REPO)


def cold_pelican(root: Path, settings: str, output: str) -> Timing:
    shutil.rmtree(root / output, ignore_errors=True)
    shutil.rmtree(root / "cache", ignore_errors=True)
    command = [sys.executable, "-m", "pelican", "content", "-o", output, "-s", settings, "-q"]
    return run_timed(command, root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cores = available_cores()
    results: dict[str, list[Timing]] = {
        f"tilmash, en, all cores ({cores})": [],
        "tilmash, en, 1 process": [],
        "pelican, matched output": [],
        "pelican, default config": [],
        "tilmash, 4 locales": [],
    }
    sizes: dict[str, tuple[int, int]] = {}
    SCRATCH.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=SCRATCH) as scratch:
        base = Path(scratch)
        write_sources(base / "tilmash", base / "pelican", args.articles)
        (base / "tilmash" / "tilmash.toml").write_text(config([]), encoding="utf-8")
        shutil.copytree(base / "tilmash" / "sources", base / "multi" / "sources")
        (base / "multi" / "tilmash.toml").write_text(config(list(LOCALES)), encoding="utf-8")
        reviewed_catalogs(base / "multi")
        shutil.move(base / "multi" / "i18n", base / "reviewed")
        compile_tilmash()
        for _ in range(args.repeat):
            for name, action in (
                (f"tilmash, en, all cores ({cores})", lambda: cold_tilmash(base / "tilmash", None, [])),
                ("tilmash, en, 1 process", lambda: cold_tilmash(base / "tilmash", None, ["--jobs", "1"])),
                ("pelican, matched output", lambda: cold_pelican(base / "pelican", "matched.py", "matched")),
                ("pelican, default config", lambda: cold_pelican(base / "pelican", "default.py", "default")),
                ("tilmash, 4 locales", lambda: cold_tilmash(base / "multi", base / "reviewed", [])),
            ):
                results[name].append(action())
        sizes = {
            "tilmash, en": output_size(base / "tilmash" / "public"),
            "pelican, matched output": output_size(base / "pelican" / "matched"),
            "pelican, default config": output_size(base / "pelican" / "default"),
            "tilmash, 4 locales": output_size(base / "multi" / "public"),
        }
    print(f"{args.articles} Markdown articles, fully cold builds (no state, site, templates or cache)")
    for name, (files, size) in sizes.items():
        print(f"  output of {name}: {files} files, {size / 2**20:.1f} MiB")
    print(f"  every run (wall-clock s / CPU s), {args.repeat} rounds, tools interleaved:")
    for name, times in results.items():
        print(f"    {name}: " + " ".join(f"{wall:.2f}/{cpu:.2f}" for wall, cpu in times))
    medians = {name: statistics.median(wall for wall, _ in times) for name, times in results.items()}
    cpu = {name: statistics.median(used for _, used in times) for name, times in results.items()}
    pages = {name: (4 if "4 locales" in name else 1) * args.articles for name in medians}
    for name, median in medians.items():
        print(
            f"{name:28s} {median:7.2f} s ({cpu[name]:.2f} s CPU)  {pages[name] / median:7.0f} article pages/s"
        )
    matched = medians["pelican, matched output"]
    one, every = medians["tilmash, en, 1 process"], medians[f"tilmash, en, all cores ({cores})"]
    print(
        f"matched output: Tilmash is {matched / one:.1f}× Pelican's speed on one process, "
        f"{matched / every:.1f}× on {cores} cores (Pelican has no parallel mode); in CPU time "
        f"{cpu['pelican, matched output'] / cpu['tilmash, en, 1 process']:.1f}× on one process"
    )
    default = medians["pelican, default config"]
    print(
        f"(old comparison, Pelican's default config building more pages: {default / one:.1f}× on one "
        f"process, {default / every:.1f}× on {cores} cores)"
    )
    print(f"load average when done: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
