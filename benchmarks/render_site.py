"""Rendering: Tilmash vs Pelican on the same 1,000 Markdown articles, plus Tilmash's 4-locale build.

Single locale: both tools build article pages, index, tag pages and feeds from the same
Markdown, from a cold start: no state, no site, no caches (Pelican's content cache off).
Tilmash also writes a translation template (POT) per article, which Pelican has no
equivalent of; the first run writes all of them, later runs find them up to date (as a
newsroom's checkout would) — every run's time is printed, so the first one shows that
cost. Four locales: Tilmash with every article reviewed in kk, ru and zh. Tilmash uses
every core; Pelican has no parallel mode. Needs `pip install pelican markdown`
(benchmarks/run does it).

    python benchmarks/render_site.py [--articles 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tilmash.i18n import article_template, render_catalog, sync_catalog
from tilmash.sources import parse_article

from benchmarks.common import REPO, SCRATCH, WORDS, news_body, paragraph, timed

LOCALES = {"kk": "kk", "ru": "ru", "zh": "zh_Hans"}
PELICAN_SETTINGS = """\
AUTHOR = "Press Office"
SITENAME = "Newsroom"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = 10
"""


def article_markdown(index: int, rng: random.Random) -> tuple[str, str, str, list[str]]:
    paragraphs = [paragraph(rng) for _ in range(8)]
    paragraphs[1] = (
        paragraphs[1].replace(" ", " **bold** ", 1) + " See [the report](https://example.org/report)."
    )
    body = news_body(paragraphs)
    date = f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}"
    tags = [rng.choice(WORDS), rng.choice(WORDS)]
    return f"Story number {index}", date, body, tags


def write_sources(tilmash_root: Path, pelican_root: Path, count: int) -> None:
    rng = random.Random(11)
    (tilmash_root / "sources").mkdir(parents=True)
    (pelican_root / "content").mkdir(parents=True)
    for index in range(count):
        title, date, body, tags = article_markdown(index, rng)
        (tilmash_root / "sources" / f"story-{index:04d}.md").write_text(
            f"---\ntitle: {title}\ndate: {date}\nauthor: Press Office\ntags: [{', '.join(tags)}]\n---\n{body}\n",
            encoding="utf-8",
        )
        (pelican_root / "content" / f"story-{index:04d}.md").write_text(
            f"Title: {title}\nDate: {date}\nAuthor: Press Office\nTags: {', '.join(tags)}\nSlug: story-{index:04d}\n\n{body}\n",
            encoding="utf-8",
        )
    (pelican_root / "pelicanconf.py").write_text(PELICAN_SETTINGS, encoding="utf-8")


def config(locales: list[str]) -> str:
    return (
        '[site]\ntitle = "Newsroom"\nbase_url = "https://news.example/"\nsource_language = "en"\n'
        f'locales = {locales!r}\n[engines]\ndefault = "none"\n'.replace("'", '"')
    )


def reviewed_catalogs(root: Path) -> None:
    """Every article fully reviewed in kk, ru and zh, so all four locales publish it."""
    for path in sorted((root / "sources").glob("*.md")):
        article = parse_article(path, path.read_bytes(), path.stem)
        template = article_template(article, f"sources/{path.name}")
        for code, babel in LOCALES.items():
            catalog, _ = sync_catalog(template, None, babel)
            for message in catalog:
                if message.id:
                    message.string = f"[{code}] {message.id}"
            (root / "i18n" / code).mkdir(parents=True, exist_ok=True)
            (root / "i18n" / code / f"{article.slug}.po").write_bytes(render_catalog(catalog))


def run_quietly(command: list[str], cwd: Path) -> None:
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[float]] = {
        "tilmash, en only": [],
        "tilmash, en, 1 job": [],
        "pelican, en only": [],
        "tilmash, 4 locales": [],
    }
    SCRATCH.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=SCRATCH) as scratch:
        base = Path(scratch)
        write_sources(base / "tilmash", base / "pelican", args.articles)
        (base / "tilmash" / "tilmash.toml").write_text(config([]), encoding="utf-8")
        shutil.copytree(base / "tilmash" / "sources", base / "multi" / "sources")
        (base / "multi" / "tilmash.toml").write_text(config(list(LOCALES)), encoding="utf-8")
        reviewed_catalogs(base / "multi")
        tilmash = [sys.executable, "-m", "tilmash", "run", "--quiet"]
        for _ in range(args.repeat):
            for name, root, jobs in (
                ("tilmash, en only", base / "tilmash", []),
                ("tilmash, en, 1 job", base / "tilmash", ["--jobs", "1"]),
                ("tilmash, 4 locales", base / "multi", []),
            ):
                shutil.rmtree(root / "public", ignore_errors=True)
                shutil.rmtree(root / ".tilmash", ignore_errors=True)
                results[name].append(timed(lambda: run_quietly([*tilmash, *jobs, str(root)], REPO)))
            shutil.rmtree(base / "pelican" / "output", ignore_errors=True)
            results["pelican, en only"].append(
                timed(
                    lambda: run_quietly(
                        ["pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"], base / "pelican"
                    )
                )
            )
        pages = {name: args.articles for name in results} | {"tilmash, 4 locales": 4 * args.articles}
    print(f"{args.articles} Markdown articles, cold builds, median of {args.repeat} runs")
    for name, times in results.items():
        print(f"  {name}: " + " ".join(f"{t:.2f}" for t in times))
    medians = {name: statistics.median(times) for name, times in results.items()}
    for name, median in medians.items():
        print(f"{name:20s} {median:7.2f} s  {pages[name] / median:7.0f} article pages/s")
    pelican = medians["pelican, en only"]
    print(
        f"single locale: Tilmash is {pelican / medians['tilmash, en only']:.1f}× Pelican's speed "
        f"({pelican / medians['tilmash, en, 1 job']:.1f}× on one core)"
    )


if __name__ == "__main__":
    main()
