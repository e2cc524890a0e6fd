"""Catalog sync: Tilmash vs GNU msgmerge on the same files.

1,000 article catalogs × 3 locales, fully translated; then 10 % of the paragraphs change and
both tools bring the catalogs up to date with the new templates. msgmerge runs once per
catalog, as sphinx-intl and po4a call it. Prints medians of REPEAT runs and the ratio.

    python benchmarks/catalog_sync.py [--articles 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tilmash.i18n import article_template, parse_catalog, render_catalog, same_content, sync_catalog
from tilmash.sources import parse_article

from benchmarks.common import SCRATCH, paragraph, timed

LOCALES = ("kk", "ru", "zh_Hans")


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
            catalog, _ = sync_catalog(template, None, locale)
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
            catalog, _ = sync_catalog(template, parse_catalog(old, path, locale), locale)
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
            ["msgmerge", "--quiet", "--update", "--backup=off", str(po), str(work / "pot" / f"{slug}.pot")],
            check=True,
        )

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(merge, [(locale, slug) for locale in LOCALES for slug in slugs]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(2026)
    sources = make_sources(args.articles, rng)
    edited = edit(sources, rng)
    changed = sum(a != b for slug in sources for a, b in zip(sources[slug], edited[slug]))
    SCRATCH.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=SCRATCH) as scratch:
        pristine = Path(scratch) / "pristine"
        build(pristine, sources)
        write_templates(pristine, edited)
        results: dict[str, list[float]] = {
            "tilmash": [],
            "msgmerge (1 process)": [],
            "msgmerge (2 processes)": [],
        }
        for _ in range(args.repeat):
            for name in results:
                work = Path(scratch) / "work"
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(pristine, work)
                if name == "tilmash":
                    results[name].append(timed(lambda: tilmash_sync(work, edited)))
                else:
                    jobs = 2 if "2" in name else 1
                    results[name].append(timed(lambda: msgmerge_sync(work, list(edited), jobs)))
    catalogs = args.articles * len(LOCALES)
    print(
        f"{catalogs} catalogs, {changed} of {args.articles * 10} paragraphs changed; median of {args.repeat} runs"
    )
    baseline = statistics.median(results["tilmash"])
    for name, times in results.items():
        median = statistics.median(times)
        print(
            f"{name:24s} {median:7.2f} s  {catalogs / median:8.0f} catalogs/s  ×{median / baseline:.2f} of tilmash's time"
        )


if __name__ == "__main__":
    main()
