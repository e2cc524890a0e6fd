"""Catalog sync: Tilmash vs GNU msgmerge on the same files.

1,000 article catalogs × 3 locales, fully translated; then 10 % of the paragraphs change and
both tools bring the catalogs up to date with the new templates. msgmerge runs with
`--previous`, so both outputs carry the old msgid of a fuzzy entry in `#|` lines, and once
per catalog, as sphinx-intl and po4a call it: most of its time is starting one process per
catalog, which the benchmark measures (msgmerge on a one-entry catalog) and prints.
Prints medians of REPEAT runs and the ratio.

    python -m benchmarks.catalog_sync [--articles 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from benchmarks.common import SCRATCH, paragraph, timed
from tilmash.i18n import article_template, parse_catalog, render_catalog, same_content, sync_catalog
from tilmash.sources import parse_article

LOCALES = ("kk", "ru", "zh_Hans")
MSGMERGE = ["msgmerge", "--quiet", "--update", "--backup=off", "--previous"]
STARTUP_CALLS = 100  # per batch; one batch per round, the fastest is used (load only slows it down)


def startup_seconds(work: Path) -> float:
    """Seconds one msgmerge call costs on a one-entry catalog (a batch's mean): process start and exit."""
    work.mkdir(parents=True, exist_ok=True)
    entry = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "%s"\n'
    (work / "one.pot").write_text(entry % "", encoding="utf-8")
    (work / "one.po").write_text(entry % "b", encoding="utf-8")
    command = [*MSGMERGE, str(work / "one.po"), str(work / "one.pot")]

    def batch() -> None:
        for _ in range(STARTUP_CALLS):
            subprocess.run(command, check=True)

    return timed(batch) / STARTUP_CALLS


def make_sources(count: int, rng: random.Random) -> dict[str, list[str]]:
    return {f"story-{i:04d}": [paragraph(rng) for _ in range(10)] for i in range(count)}


def markdown(slug: str, paragraphs: list[str]) -> bytes:
    return (f"---\ntitle: Story {slug}\ndate: 2026-01-01\n---\n" + "\n\n".join(paragraphs) + "\n").encode()


def build(work: Path, sources: dict[str, list[str]]) -> None:
    """Translated catalogs for the original sources, and updated templates after the edits."""
    for slug, paragraphs in sources.items():
        template = article_template(
            parse_article(Path(f"sources/{slug}.md"), markdown(slug, paragraphs), slug), f"sources/{slug}.md"
        )
        for locale in LOCALES:
            catalog = sync_catalog(template, None, locale)
            for message in catalog:
                if message.id:
                    message.string = f"[{locale}] {message.id}"
            (work / locale).mkdir(parents=True, exist_ok=True)
            (work / locale / f"{slug}.po").write_bytes(render_catalog(catalog))


def edit(sources: dict[str, list[str]], rng: random.Random) -> dict[str, list[str]]:
    edited = {}
    for slug, paragraphs in sources.items():
        edited[slug] = [p.replace(" ", " new ", 1) if rng.random() < 0.10 else p for p in paragraphs]
    return edited


def tilmash_sync(work: Path, sources: dict[str, list[str]]) -> None:
    """What `tilmash run` does for catalogs: parse sources, sync, write changed catalogs."""
    for slug, paragraphs in sources.items():
        template = article_template(
            parse_article(Path(f"sources/{slug}.md"), markdown(slug, paragraphs), slug), f"sources/{slug}.md"
        )
        for locale in LOCALES:
            path = work / locale / f"{slug}.po"
            old = path.read_bytes()
            catalog = sync_catalog(template, parse_catalog(old, path, locale), locale)
            data = render_catalog(catalog)
            if not same_content(old, data):
                path.write_bytes(data)


def write_templates(work: Path, sources: dict[str, list[str]]) -> None:
    (work / "pot").mkdir(exist_ok=True)
    for slug, paragraphs in sources.items():
        template = article_template(
            parse_article(Path(f"sources/{slug}.md"), markdown(slug, paragraphs), slug), f"sources/{slug}.md"
        )
        (work / "pot" / f"{slug}.pot").write_bytes(render_catalog(template))


def msgmerge_sync(work: Path, slugs: list[str], jobs: int) -> None:
    def merge(job: tuple[str, str]) -> None:
        locale, slug = job
        po = work / locale / f"{slug}.po"
        subprocess.run(
            [*MSGMERGE, str(po), str(work / "pot" / f"{slug}.pot")],
            check=True,
        )

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(merge, [(locale, slug) for locale in LOCALES for slug in slugs]))


def previous_lines(work: Path, slugs: list[str]) -> int:
    """How many `#| msgid` lines (old msgids of fuzzy entries) the synced catalogs carry."""
    return sum(
        (work / locale / f"{slug}.po").read_text(encoding="utf-8").count("\n#| msgid")
        for locale in LOCALES
        for slug in slugs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(2026)
    sources = make_sources(args.articles, rng)
    edited = edit(sources, rng)
    changed = sum(a != b for slug in sources for a, b in zip(sources[slug], edited[slug], strict=True))
    slugs = list(edited)
    actions: dict[str, Callable[[Path], None]] = {
        "tilmash": lambda work: tilmash_sync(work, edited),
        "msgmerge (1 process)": lambda work: msgmerge_sync(work, slugs, 1),
        "msgmerge (2 processes)": lambda work: msgmerge_sync(work, slugs, 2),
    }
    results: dict[str, list[float]] = {name: [] for name in actions}
    fuzzy_lines: dict[str, int] = {}
    startups: list[float] = []
    SCRATCH.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=SCRATCH) as scratch:
        pristine = Path(scratch) / "pristine"
        build(pristine, sources)
        write_templates(pristine, edited)
        work = Path(scratch) / "work"
        for _ in range(args.repeat):
            for name, action in actions.items():
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(pristine, work)
                results[name].append(timed(partial(action, work)))
                fuzzy_lines[name] = previous_lines(work, slugs)
            startups.append(startup_seconds(Path(scratch) / "startup"))
    startup = min(startups)
    catalogs = args.articles * len(LOCALES)
    print(
        f"{catalogs} catalogs, {changed} of {args.articles * 10} paragraphs changed; median of {args.repeat}"
    )
    baseline = statistics.median(results["tilmash"])
    for name, times in results.items():
        median = statistics.median(times)
        print(
            f"{name:24s} {median:7.2f} s  {catalogs / median:8.0f} catalogs/s  "
            f"×{median / baseline:.2f} of tilmash's time  ({fuzzy_lines[name]} '#| msgid' lines written)"
        )
    one_process = statistics.median(results["msgmerge (1 process)"])
    print(
        f"most of msgmerge's time is one process per catalog: a call on a one-entry catalog takes "
        f"{1000 * startup:.1f} ms, so {catalogs} calls spend {catalogs * startup:.1f} s starting processes "
        f"({100 * catalogs * startup / one_process:.0f} % of its one-process time)"
    )


if __name__ == "__main__":
    main()
