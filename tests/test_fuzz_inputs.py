"""Random bytes and Unicode (control characters included) in front matter, Markdown bodies, PO
files and feeds: the run never raises, never loses a reviewed entry, and publishes the rest.

Each example runs the real pipeline in-process on a fresh copy of a published example newsroom.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLE
from tilmash.config import load_config
from tilmash.i18n import CatalogError, is_reviewed, read_catalog
from tilmash.runner import RunOptions, run

VICTIM = "library-night"
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Any code point, with C0/C1 controls, lone surrogates, non-characters and markup made frequent.
PIECES = st.one_of(
    st.characters(codec=None),
    st.sampled_from(
        [*map(chr, range(32)), "\x7f", "\x85", "\ufffe", "\uffff", "\ud800", "<1>", "</7>", "**", "&a", "*a"]
    ),
)
TEXT = st.lists(PIECES, max_size=300).map("".join)
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Campus news</title><link>https://news.example.edu/</link>
<description>News</description>
<item><title>Robotics club wins a regional cup</title><link>https://news.example.edu/robots</link>
<guid>robots-2026</guid><pubDate>Tue, 03 Nov 2026 09:00:00 +0000</pubDate><category>students</category>
<description>&lt;p&gt;The team built a &lt;strong&gt;line-following&lt;/strong&gt; robot.&lt;/p&gt;
</description>
</item></channel></rss>
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example newsroom, run once: every example starts from its published state."""
    root = tmp_path_factory.mktemp("fuzz") / "base"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("public", ".tilmash", ".public*"))
    report = run(load_config(root), RunOptions(jobs=1, now=NOW))
    assert report.ok, report.errors
    return root


def _reviewed(root: Path) -> dict[Path, set[tuple[str, str]]]:
    found = {}
    for path in sorted((root / "i18n").glob("*/*.po")):
        try:
            catalog = read_catalog(path)
        except CatalogError:
            continue
        kept = [*catalog, *catalog.obsolete.values()]  # an unused entry is kept as obsolete (#~)
        found[path.relative_to(root)] = {
            (str(m.id), str(m.string)) for m in kept if m.id and isinstance(m.id, str) and is_reviewed(m)
        }
    return found


def _pages(root: Path) -> set[str]:
    return {p.relative_to(root / "public").as_posix() for p in (root / "public").glob("*/*.html")}


def _run_on_copy(published: Path, tmp_path: Path, damage, feed: Path | None = None) -> None:
    root = tmp_path / "newsroom"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(published, root, symlinks=True)
    before_reviewed, before_pages = _reviewed(root), _pages(root)
    touched = damage(root)  # the file the example broke, relative to the newsroom
    report = run(
        load_config(root), RunOptions(jobs=1, now=NOW, import_feed=str(feed) if feed else None)
    )  # must not raise
    assert all(isinstance(line, str) for line in report.errors)
    after = _reviewed(root)
    for path, pairs in before_reviewed.items():
        if path != touched:
            assert pairs <= after.get(path, set()), f"{path}: a reviewed entry was lost"
    kept = {p for p in before_pages if VICTIM not in p and (touched is None or touched.stem not in p)}
    assert kept <= _pages(root), "an article that was not touched is no longer published"


def _source(text: str):
    def damage(root: Path) -> Path:
        (root / "sources" / f"{VICTIM}.md").write_text(text, encoding="utf-8", errors="surrogatepass")
        return Path("sources") / f"{VICTIM}.md"

    return damage


@FUZZ
@given(front=TEXT)
def test_random_front_matter(published, tmp_path, front):
    _run_on_copy(published, tmp_path, _source(f"---\n{front}\n---\nA paragraph.\n"))


@FUZZ
@given(body=TEXT)
def test_random_markdown_body(published, tmp_path, body):
    _run_on_copy(published, tmp_path, _source(f"---\ntitle: Fuzzed\ndate: 2026-05-01\n---\n{body}\n"))


@FUZZ
@given(raw=st.binary(max_size=600))
def test_random_bytes_as_a_source(published, tmp_path, raw):
    def damage(root: Path) -> Path:
        (root / "sources" / f"{VICTIM}.md").write_bytes(raw)
        return Path("sources") / f"{VICTIM}.md"

    _run_on_copy(published, tmp_path, damage)


@FUZZ
@given(
    insert=st.one_of(TEXT, st.binary(max_size=200)),
    where=st.floats(0, 1),
    catalog=st.sampled_from(["solar-lab-opens", "_ui"]),
)
def test_random_damage_to_a_catalog(published, tmp_path, insert, where, catalog):
    def damage(root: Path) -> Path:
        path = root / "i18n" / "ru" / f"{catalog}.po"
        data = path.read_bytes()
        cut = int(len(data) * where)
        extra = insert if isinstance(insert, bytes) else insert.encode("utf-8", "surrogatepass")
        path.write_bytes(data[:cut] + extra + data[cut:])
        return path.relative_to(root)

    _run_on_copy(published, tmp_path, damage)


@FUZZ
@given(insert=st.one_of(TEXT, st.binary(max_size=200)), where=st.floats(0, 1))
def test_random_damage_to_an_imported_feed(published, tmp_path, insert, where):
    feed = tmp_path / "feed.xml"
    data = FEED.encode("utf-8")
    cut = int(len(data) * where)
    extra = insert if isinstance(insert, bytes) else insert.encode("utf-8", "surrogatepass")
    feed.write_bytes(data[:cut] + extra + data[cut:])
    _run_on_copy(published, tmp_path, lambda root: None, feed)


@given(st.text(st.sampled_from("ab \n\t\r\x00\x08\x0b\x0c\x0e\x1f\x7f\x80é\ufffe\uffff")) | st.text())
def test_controls_are_stripped_from_ascii_text_as_from_any_other(text):
    from tilmash.sources.controls import CONTROL_RE, strip_controls

    stripped, lines = strip_controls(text)
    assert stripped == CONTROL_RE.sub("", text)
    assert lines == [n for n, line in enumerate(text.split("\n"), 1) if CONTROL_RE.search(line)]
