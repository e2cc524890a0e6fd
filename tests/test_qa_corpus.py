"""The QA checks against injected kk/ru/zh errors (recall) and reviewed example catalogs (noise)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Message

from tests.qa_corpus import CORPUS, GLOSSARIES
from tilmash.i18n import read_catalog
from tilmash.i18n.checks import CHECKS, CheckContext, check_message

EXAMPLES = Path(__file__).parent.parent / "examples" / "newsroom" / "i18n"


def found(source: str, translation: str, locale: str) -> list[tuple[str, str]]:
    context = CheckContext(locale, GLOSSARIES[locale])
    return [(check.name, text) for check, text in check_message(Message(source, translation), context)]


def test_corpus_covers_every_locale_and_check_class():
    assert len(CORPUS) >= 40
    assert {e.locale for e in CORPUS} == {"kk", "ru", "zh"}
    by_check = Counter(e.check for e in CORPUS)
    new_classes = ("mixed-script", "language", "english-word", "number-format", "numbers", "punctuation")
    assert all(by_check[name] >= 3 for name in (*new_classes, "length", "python-format", "glossary"))
    assert set(by_check) <= {check.name for check in CHECKS}


@pytest.mark.parametrize("injected", CORPUS, ids=lambda e: f"{e.locale}-{e.check}-{e.note}")
def test_every_injected_error_is_caught_by_its_check(injected):
    problems = found(injected.source, injected.translation, injected.locale)
    assert injected.check in {name for name, _ in problems}, problems


def reviewed_examples() -> list[tuple[str, Path, Message]]:
    entries = []
    for path in sorted(EXAMPLES.glob("*/*.po")):
        locale = path.parent.name
        entries += [
            (locale, path, m) for m in read_catalog(path, locale) if m.id and m.string and not m.fuzzy
        ]
    return entries


def test_reviewed_example_catalogs_raise_no_problem_even_with_a_realistic_glossary():
    entries = reviewed_examples()
    assert len(entries) > 90
    noise = [
        (path.name, m.lineno, found(m.id, m.string, locale))
        for locale, path, m in entries
        if found(m.id, m.string, locale)
    ]
    assert noise == []


def test_mixed_script_names_each_word():
    problems = found("The director spoke.", "Зертхана дepeктopы мен caйт сөйледі.", "kk")
    assert [text for name, text in problems if name == "mixed-script"] == [
        "“дepeктopы” mixes Latin and Cyrillic letters",
        "“caйт” mixes Latin and Cyrillic letters",
    ]


def test_numbers_compare_values_across_units_and_notations():
    grant = "A grant of 450 million tenge."
    assert found(grant, "4.5亿坚戈的资助。", "zh") == []
    assert found(grant, "45 000万坚戈的资助。".replace(" ", ""), "zh") == []
    assert found(grant, "Грант в 450 млн тенге.", "ru") == []
    assert found(grant, "450 миллион теңге грант.", "kk") == []
    assert found("It costs 1,200 tenge and weighs 1.3 kg.", "Стоит 1 200 тенге, весит 1,3 кг.", "ru") == []
    assert [n for n, _ in found("It weighs 1.3 kg.", "Весит 1.3 кг.", "ru")] == ["number-format"]
    assert [n for n, _ in found("It weighs 1.3 kg.", "Весит 1,4 кг.", "ru")] == ["numbers"]
    assert [n for n, _ in found("A grant of 450 million.", "4.5万的资助。", "zh")] == ["numbers"]


def test_glossary_matches_inflected_and_capitalised_forms_and_listed_variants():
    context = CheckContext("ru", (("laboratory", "лаборатория"), ("Tian Shan", "Тянь-Шань", "Тяньшань")))
    check = next(c for c in CHECKS if c.name == "glossary")
    assert check.run("The laboratory opened.", "Лабораторию открыли.", context) == []
    assert check.run("Laboratories opened.", "Открылись лаборатории.", context) == []
    assert check.run("Glaciers of the Tian Shan.", "Ледники Тяньшаня.", context) == []
    assert check.run("The laboratory opened.", "Центр открыли.", context) != []
