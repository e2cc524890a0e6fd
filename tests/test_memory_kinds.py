"""Translation memory reuses a reviewed translation as reviewed only for a unit of the same kind;
the same sentence twice in one article is approved once."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tilmash.i18n import read_catalog, render_catalog

HEADING = "What the laboratory will study"  # a reviewed heading of solar-lab-opens in kk, ru, zh
ITEM = "storage of energy in batteries"  # a reviewed list item there
MIXED = f"""---
title: Open questions for the new laboratory
date: 2026-10-01
---
## {ITEM}

- {HEADING}
- {ITEM}

## {HEADING}
"""
TWINS = """---
title: Twin sentences in one story
date: 2026-10-02
---
The reading room stays open until nine in the evening.

Visitors may borrow three books at a time.

The reading room stays open until nine in the evening.
"""


def _entries(newsroom: Path, slug: str, text: str, locale: str = "kk"):
    catalog = read_catalog(newsroom / "i18n" / locale / f"{slug}.po", locale)
    return {m.context.rsplit("-", 1)[0]: m for m in catalog if m.id == text}


def test_exact_match_of_another_kind_is_only_a_fuzzy_suggestion(newsroom):
    (newsroom / "sources" / "lab-questions.md").write_text(MIXED, encoding="utf-8")
    assert run_cli("run", newsroom).code == 0
    reviewed = read_catalog(newsroom / "i18n" / "kk" / "solar-lab-opens.po", "kk")
    heading = _entries(newsroom, "lab-questions", HEADING)
    item = _entries(newsroom, "lab-questions", ITEM)
    translation = {m.id: m.string for m in reviewed if m.id in (HEADING, ITEM)}
    assert not heading["heading"].fuzzy and heading["heading"].string == translation[HEADING]
    assert not item["list-item"].fuzzy and item["list-item"].string == translation[ITEM]
    for crossed in (heading["list-item"], item["heading"]):  # a heading's words in a list item
        assert crossed.fuzzy and crossed.string == translation[crossed.id]
        assert any(c.startswith("translation memory: 100% match") for c in crossed.auto_comments)
    assert not (newsroom / "public" / "kk" / "lab-questions.html").exists()


def test_approving_one_twin_approves_the_other(newsroom):
    (newsroom / "sources" / "twins.md").write_text(TWINS, encoding="utf-8")
    assert run_cli("run", newsroom).code == 0
    path = newsroom / "i18n" / "ru" / "twins.po"
    catalog = read_catalog(path, "ru")
    texts = {
        "Twin sentences in one story": "Предложения-близнецы в одной заметке",
        "Visitors may borrow three books at a time.": "Читатели могут взять три книги за раз.",
    }
    twins = [m for m in catalog if m.id == "The reading room stays open until nine in the evening."]
    assert len(twins) == 2 and twins[0].context != twins[1].context
    for message in catalog:
        if message.id in texts:
            message.string = texts[message.id]
    twins[0].string = "Читальный зал открыт до девяти вечера."  # only the first one is approved
    path.write_bytes(render_catalog(catalog))
    assert run_cli("run", newsroom).code == 0
    again = [m for m in read_catalog(path, "ru") if m.id == twins[0].id]
    assert [(m.string, m.fuzzy) for m in again] == [("Читальный зал открыт до девяти вечера.", False)] * 2
    page = (newsroom / "public" / "ru" / "twins.html").read_text(encoding="utf-8")
    assert page.count("Читальный зал открыт до девяти вечера.") == 2


def test_an_approved_twin_replaces_machine_output_but_not_a_translator_s_draft(newsroom):
    (newsroom / "sources" / "twins.md").write_text(TWINS, encoding="utf-8")
    assert run_cli("run", newsroom).code == 0
    path = newsroom / "i18n" / "ru" / "twins.po"
    catalog = read_catalog(path, "ru")
    twins = [m for m in catalog if m.id == "The reading room stays open until nine in the evening."]
    twins[0].string = "Читальный зал открыт до девяти вечера."
    twins[1].string = "Зал работает до 21:00."  # machine output of the twin, never reviewed
    twins[1].flags.add("fuzzy")
    twins[1].auto_comments.append("machine translation: argos en→ru 1.9, 2026-11-24")
    path.write_bytes(render_catalog(catalog))
    assert run_cli("run", newsroom).code == 0
    again = [m for m in read_catalog(path, "ru") if m.id == twins[0].id]
    assert [(m.string, m.fuzzy) for m in again] == [("Читальный зал открыт до девяти вечера.", False)] * 2

    draft = read_catalog(path, "ru")
    second = [m for m in draft if m.id == twins[0].id][1]
    second.string, second.auto_comments = "Зал открыт до девяти (черновик).", []
    second.flags.add("fuzzy")  # a translator saved a draft, not approved
    path.write_bytes(render_catalog(draft))
    assert run_cli("run", newsroom).code == 0
    kept = [m for m in read_catalog(path, "ru") if m.id == twins[0].id][1]
    assert (kept.string, kept.fuzzy) == ("Зал открыт до девяти (черновик).", True)
