"""The shared vocabulary of entries: one similarity matcher, reviewed pairs, provenance comments."""

from __future__ import annotations

from babel.messages.catalog import Catalog

from tilmash.i18n.entries import MACHINE_PREFIX, messages, without_provenance
from tilmash.i18n.similarity import FUZZY_SYNC_CUTOFF, closest
from tilmash.i18n.sync import reviewed_pairs
from tilmash.translate.memory import DEFAULT_CUTOFF, TranslationMemory


def test_closest_takes_the_most_similar_and_the_first_of_equals():
    candidates = [
        ("the rector opened the new library", "first"),
        ("the rector opened the old library", "second"),  # as similar as the first
        ("the rector opened the new library today", "third"),
    ]
    assert closest("the rector opened the new library today again", candidates, 0.5) == ("third", 14 / 15)
    assert closest("the rector opened the library", candidates[:2], 0.5)[0] == "first"


def test_closest_cutoff_is_inclusive_and_nothing_below_it():
    candidates = [("a b c d", "half")]  # ratio with "a b x y" is exactly 0.5
    assert closest("a b x y", candidates, 0.5) == ("half", 0.5)
    assert closest("a b x y", candidates, 0.51) is None
    assert closest("", candidates, 0.1) is None and closest("a", [], 0.1) is None


def test_memory_and_sync_use_the_one_matcher_with_their_own_cutoffs():
    memory = TranslationMemory([("one two three four", "бір екі үш төрт")])
    suggestion = memory.closest("one two three five")  # 0.75: exactly the memory's default cutoff
    assert suggestion is not None and suggestion.similarity == DEFAULT_CUTOFF
    assert memory.closest("one two six seven") is None  # 0.5
    assert FUZZY_SYNC_CUTOFF < DEFAULT_CUTOFF


def test_reviewed_pairs_skip_fuzzy_and_untranslated_and_the_first_catalog_wins():
    first, second = Catalog(locale="ru"), Catalog(locale="ru")
    first.add("Library", "Библиотека", context="title-1")
    first.add("Campus", "Кампус", context="title-2", flags=["fuzzy"])
    first.add("Lab", "", context="title-3")
    second.add("Library", "Книгохранилище", context="title-4")
    second.add("Garden", "Сад", context="title-5")
    assert reviewed_pairs([first, second]) == {("title", "Library"): "Библиотека", ("title", "Garden"): "Сад"}
    memory = TranslationMemory.of_catalogs([first, second])
    assert len(memory) == 2 and memory.closest("Library", 1.0).translation == "Библиотека"


def test_a_person_editing_drops_only_the_provenance_comments():
    comments = [
        f"{MACHINE_PREFIX} argos en→ru 1.9, 2026-11-24",
        "<1>…</1> a https://x",
        "translation memory: 80%",
    ]
    assert without_provenance(comments) == ["<1>…</1> a https://x"]


def test_entries_without_the_header_match_babels_public_iteration():
    """`messages()` takes a shortcut through Babel's internals; it must see what the public API sees."""
    catalog = Catalog(locale="ru")
    catalog.add("First", "Первый", context="a")
    catalog.add("Second", "", context="b")
    catalog.add(("One file", "%(n)s files"), ("", "", ""), context="c")
    public = [(m.id, m.context) for m in catalog if m.id]
    assert [(m.id, m.context) for m in messages(catalog)] == public
    assert hasattr(catalog, "_messages"), "Babel's internals moved: messages() now takes the slow path"
