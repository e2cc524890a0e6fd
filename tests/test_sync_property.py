"""Property: whatever sequence of edits, moves, deletions, restorations and translator work
happens, every reviewed translation stays in the catalog (under its English, under an edited
unit that names that English in `#|`, or obsolete), no translation is kept twice, and msgfmt
accepts the catalog."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import article, msgfmt_check
from tilmash.i18n import article_template, is_reviewed, parse_catalog, render_catalog, sync_catalog

SENTENCES = [
    "The rector opened the new library on Monday.",
    "Students can borrow up to ten books at a time.",
    "The reading room is open until midnight during exams.",
    "A new collection of rare manuscripts arrived from Bukhara.",
    "Researchers digitised 4,500 pages of historical newspapers.",
    "The library cafe now serves tea from the Zhetysu region.",
    "Volunteers helped to catalogue the donated maps.",
]

operation = st.tuples(
    st.sampled_from(["edit", "move", "delete", "restore", "translate", "review", "noop"]),
    st.integers(0, 1000),
)


def _apply(paragraphs: list[str], removed: list[str], op: str, n: int) -> None:
    if op == "edit" and paragraphs:
        i = n % len(paragraphs)
        words = paragraphs[i].split()
        words[n % len(words)] = random.Random(n).choice(["new", "old", "large", "small", "2027"])
        paragraphs[i] = " ".join(words)
    elif op == "move" and len(paragraphs) > 1:
        paragraphs.insert(n % len(paragraphs), paragraphs.pop(0))
    elif op == "delete" and len(paragraphs) > 1:
        removed.append(paragraphs.pop(n % len(paragraphs)))
    elif op == "restore" and removed:
        paragraphs.insert(n % (len(paragraphs) + 1), removed.pop(n % len(removed)))


@settings(max_examples=150, deadline=None)
@given(st.lists(operation, min_size=1, max_size=12))
def test_no_reviewed_translation_ever_disappears(operations):
    paragraphs = list(SENTENCES[:5])
    removed: list[str] = []
    catalog = None
    ever_reviewed: set[tuple[str, str]] = set()
    reviewed_now: set[tuple[str, str]] = set()
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "story.po"
        for op, n in operations:
            _apply(paragraphs, removed, op, n)
            template = article_template(article("\n\n".join(paragraphs) + "\n"), "sources/story.md")
            synced = sync_catalog(template, catalog, "kk")
            for message in synced:
                if not message.id:
                    continue
                if op == "translate" and not message.string:
                    message.string = f"аударма {n}: {message.id}"
                    message.flags.add("fuzzy")
                if op == "review" and message.string:
                    message.flags.discard("fuzzy")
            path.write_bytes(render_catalog(synced))
            assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
            catalog = parse_catalog(path.read_bytes(), path, "kk")
            active = [m for m in catalog if m.id]
            obsolete = list(catalog.obsolete.values())
            texts = [m.string for m in active + obsolete if m.string]
            assert {text for _, text in ever_reviewed} <= set(texts)
            carried = {(m.previous_id[0], m.string) for m in active if m.previous_id}
            assert not carried & {(m.id, m.string) for m in obsolete}, "kept twice: edited and obsolete"
            # The pairs an edit has not touched again keep their English, in msgid or in `#|`.
            pairs = {(m.id, m.string) for m in active + obsolete} | carried
            assert reviewed_now <= pairs, reviewed_now - pairs
            reviewed_now = {(m.id, m.string) for m in active if is_reviewed(m)}
            ever_reviewed |= reviewed_now
