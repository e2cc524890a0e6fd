"""Property: after any sequence of source edits, additions, deletions, catalog reviews (of
articles, tag and author names, the theme's strings), machine output put in a catalog, a
paragraph copied from one story into another, glossary edits (the glossary gates
publication), translations changed by hand with the file's size and mtime put back,
settings changes and edits reverted, a run that reuses
what earlier runs kept (.tilmash/units.pickle, .tilmash/pages.json, the published pages) leaves exactly
the site and catalogs a cold run makes from the same files: one with no state and no caches,
given a copy of the published site (which articles are online is an input: a published
article stays online)."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from hypothesis import example, given, settings
from hypothesis import strategies as st

from benchmarks.newsroom import LOCALES, article_markdown, config, story_name, story_source, translated
from tests.helpers import cold_copy, file_tree
from tilmash.config import load_config
from tilmash.i18n import read_catalog, render_catalog
from tilmash.runner import RunOptions, run

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)  # same header dates in both runs

operation = st.tuples(
    st.sampled_from(
        [
            "edit",
            "revert",
            "retitle",
            "add",
            "delete",
            "review",
            "review",
            "review-one",
            "names",
            "ui",
            "settings",
            "glossary",
            "same-stats",
            "machine",
            "twin",
            "noop",
        ]
    ),
    st.integers(0, 10_000),
)


# operations that change what every page of a locale is made from
EVERY_PAGE = ("settings", "ui", "names", "glossary")


def _write_story(root: Path, index: int, seed: int, title: str | None = None) -> None:
    story_title, date, body, tags = article_markdown(index, random.Random(seed))
    (root / "sources" / story_name(index)).write_text(
        story_source(title or story_title, date, body, tags), encoding="utf-8"
    )


def _review(root: Path, name: str, locale: str, only_one: bool) -> None:
    """A translator approves the entries of one catalog (or its first open one)."""
    path = root / "i18n" / locale / name.replace(".md", ".po")
    if not path.exists():
        return
    catalog: Catalog = read_catalog(path, LOCALES[locale])
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            message.string = translated(str(message.id), locale)
            message.flags.discard("fuzzy")
            if only_one:
                break
    path.write_bytes(render_catalog(catalog))


def _config(page_size: int, feed_items: int, title: str = "Newsroom") -> str:
    """Small pages and feeds: an article added or retitled moves others between index pages. The
    glossary gates publication: a glossary edit publishes or holds back reviewed translations."""
    text = config(list(LOCALES)).replace('title = "Newsroom"', f'title = "{title}"')
    text += '[publish]\nblock_on = ["glossary"]\n'
    return text.replace("[engines]", f"page_size = {page_size}\nfeed_items = {feed_items}\n[engines]")


def _same_stats(path: Path, n: int) -> None:
    """A translation changed by hand, the file's size and mtime put back (`touch -d`)."""
    text = path.read_text(encoding="utf-8")
    found = list(re.finditer(r'^msgstr "(?=[^"])', text, re.M))
    if not found:
        return
    at = found[n % len(found)].end()
    # a letter of the same UTF-8 length (Latin, Cyrillic, Han), so that the size stays
    pair = {1: "XY", 2: "ЖЩ", 3: "甲乙", 4: "𠀀𠀁"}[len(text[at].encode())]
    changed = text[:at] + (pair[n % 2] if pair[n % 2] != text[at] else pair[1 - n % 2]) + text[at + 1 :]
    before = path.stat()
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _machine(path: Path, locale: str, n: int) -> None:
    """A translation replaced by machine output no one has reviewed (fuzzy, its provenance said):
    a reviewed twin anywhere in the locale takes its place in the next sync."""
    catalog: Catalog = read_catalog(path, LOCALES[locale])
    entries = [m for m in catalog if m.id and m.string]
    if entries:
        message = entries[-1 - n % len(entries)]  # n = 0: its last paragraph
        message.flags.add("fuzzy")
        message.auto_comments.append(f"machine translation: argos en→{locale} 1.0, 2026-05-01")
        path.write_bytes(render_catalog(catalog))


def _twin(root: Path, name: str, other: str) -> None:
    """A paragraph of another story copied into this one: its translation may come from there."""
    paragraph = (root / "sources" / other).read_text(encoding="utf-8").rstrip().rsplit("\n\n", 1)[-1]
    path = root / "sources" / name
    path.write_text(f"{path.read_text(encoding='utf-8').rstrip()}\n\n{paragraph}\n", encoding="utf-8")


def _retranslate(
    root: Path, locale: str, catalog_name: str, n: int, chosen: Callable[[Message], bool]
) -> None:
    """A translator changes the `chosen` translations of a shared catalog (`_taxonomy`: tag and
    author names; `_ui`: the theme's strings), if the locale has it yet."""
    path = root / "i18n" / locale / f"{catalog_name}.po"
    if not path.exists():
        return
    catalog: Catalog = read_catalog(path, LOCALES[locale])
    for message in catalog:
        if message.id and chosen(message):
            message.string = f"{translated(str(message.id), locale)} {n}"
            message.flags.discard("fuzzy")
    path.write_bytes(render_catalog(catalog))


def _apply(root: Path, op: str, n: int, next_index: list[int]) -> None:
    locale = sorted(LOCALES)[n % len(LOCALES)]
    if op == "names":  # names (or renames) the tags and the author
        _retranslate(root, locale, "_taxonomy", n, lambda m: n % 2 == len(str(m.id)) % 2)
        return
    if op == "ui":  # the index's heading
        _retranslate(root, locale, "_ui", n, lambda m: m.id in ("Latest news", "Older articles"))
        return
    if op == "glossary":  # the ru term for "university": the word the reviews use, or another
        (root / "glossary").mkdir(exist_ok=True)
        term = "университет" if n % 2 else "вуз"
        (root / "glossary" / "ru.csv").write_text(f"term,translation\nuniversity,{term}\n", encoding="utf-8")
        return
    if op == "settings":
        (root / "tilmash.toml").write_text(
            _config(1 + n % 3, 1 + n % 4, "Newsroom" if n % 2 else "The Newsroom"), encoding="utf-8"
        )
        return
    stories = sorted(p.name for p in (root / "sources").glob("*.md"))
    if op == "add" or not stories:
        _write_story(root, next_index[0], n)
        next_index[0] += 1
        return
    name = stories[n % len(stories)]
    index = int(name.removeprefix("story-").removesuffix(".md"))
    if op == "edit":
        _write_story(root, index, n)
    elif op == "revert":  # the story as it was first written: approvals of its English come back
        _write_story(root, index, index)
    elif op == "retitle":
        _write_story(root, index, index, title=f"Story number {n}")
    elif op == "delete" and len(stories) > 1:
        (root / "sources" / name).unlink()
    elif op == "same-stats" and (path := root / "i18n" / locale / name.replace(".md", ".po")).exists():
        _same_stats(path, n)
    elif op == "machine" and (path := root / "i18n" / locale / name.replace(".md", ".po")).exists():
        _machine(path, locale, n)
    elif op == "twin":
        _twin(root, name, stories[(n // 7) % len(stories)])
    elif op.startswith("review"):
        _review(root, name, locale, only_one=op == "review-one")


def _run(root: Path, log: list[str] | None = None) -> list[str]:
    report = run(load_config(root, {}), RunOptions(now=NOW, jobs=1), (log if log is not None else []).append)
    return sorted(report.errors)


@settings(max_examples=8, deadline=None)
@given(st.lists(operation, min_size=2, max_size=6))
@example([("edit", 0), ("ui", 0)])  # a theme translation changed: every page of that locale again
@example([("settings", 3), ("add", 5), ("retitle", 2)])  # one article an index page, articles move
@example([("same-stats", 1), ("glossary", 0), ("glossary", 1)])  # a hidden edit, held back, published
@example([("glossary", 0), ("edit", 0)])  # every article held back by errors: none reused
# machine output kept in story 0, its paragraph copied into story 1 and reviewed there in kk
@example([("add", 5), ("machine", 0), ("twin", 1), ("review", 9)])
def test_incremental_runs_equal_cold_runs(operations: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        live, cold = Path(scratch) / "live", Path(scratch) / "cold"
        (live / "sources").mkdir(parents=True)
        (live / "tilmash.toml").write_text(_config(2, 2), encoding="utf-8")
        next_index = [0]
        for seed in range(3):
            _apply(live, "add", seed, next_index)
        _run(live)
        for name in sorted(p.name for p in (live / "sources").glob("*.md")):
            for locale in LOCALES:
                _review(live, name, locale, only_one=False)
        _run(live)
        log: list[str] = []
        errors: list[str] = []
        reused: list[int] = []  # articles taken from what the run before kept, in steps that could
        for step, (op, n) in enumerate(operations):
            said_nothing, start = not errors, len(log)
            _apply(live, op, n, next_index)
            shutil.rmtree(cold, ignore_errors=True)
            cold_copy(live, cold)
            errors = _run(live, log)
            assert errors == _run(cold), f"step {step}: {op}"
            # an article an error names is done again, so that every run says it: a step after a
            # run with errors (every article's reviews against the glossary, say) may reuse none
            if said_nothing and op not in (*EVERY_PAGE, "noop"):
                reused += [
                    int(line.split(" reused=")[1].split()[0])
                    for line in log[start:]
                    if line.startswith("stage=sources")
                ]
            assert file_tree(live / "public") == file_tree(cold / "public"), f"step {step}: {op}"
            assert file_tree(live / "i18n") == file_tree(cold / "i18n"), f"step {step}: {op}"
        kept = [int(line.split(" kept=")[1].split()[0]) for line in log if line.startswith("stage=render")]
        # the runs did keep published listing, tag and feed files (unless every step changed them all)
        assert sum(kept) > 0 or not kept or all(op in (*EVERY_PAGE, "noop") for op, _ in operations)
        # the runs did take unchanged articles from what earlier runs kept (unless no step could:
        # each was a no-op, followed errors, or changed what every article's pages depend on:
        # settings, theme, taxonomy catalogs or the glossary)
        assert sum(reused) > 0 or not reused
