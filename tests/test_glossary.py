"""Glossaries that respect grammar: inflected matches, variant forms, masking only names."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli
from tests.helpers import sync
from tests.qa_corpus import GLOSSARIES
from tests.test_pretranslate import Recording, _settings, argos_engine  # noqa: F401  (fixture)
from tilmash.i18n import read_catalog
from tilmash.translate.glossary import Glossary, GlossaryError, Term, glossary_problems, load_glossary
from tilmash.translate.pretranslate import pretranslate
from tilmash.translate.segments import english_segmenter, mask

RU = Glossary(tuple(Term(source, target, tuple(forms)) for source, target, *forms in GLOSSARIES["ru"]))
# For machine translation: a satellite's name never translated, two terms the model must decline.
MT = Glossary(
    (
        Term("Tarlan", "Tarlan"),
        Term("glacier", "ледник"),
        Term("laboratory", "лаборатория"),
        Term("Alatau University of Science", "Алатауский университет науки"),
    )
)


def test_only_do_not_translate_terms_are_masked_before_the_model():
    masked = mask("The laboratory of Tarlan opened in the Alatau University of Science.", MT)
    assert masked.spans == ["Tarlan"]
    assert "laboratory" in masked.text and "Alatau University of Science" in masked.text
    # A unit that is nothing but the term has no grammar to respect: it takes the glossary form.
    assert mask("Alatau University of Science", MT).spans == ["Алатауский университет науки"]


def test_numbers_glued_to_letters_are_not_split():
    masked = mask("A 3D printer, COVID-19 rules and 5G masts since 2020.", Glossary())
    assert masked.spans == ["2020"]
    assert "3D" in masked.text and "COVID-19" in masked.text and "5G" in masked.text


def test_inflected_capitalised_and_listed_forms_satisfy_the_glossary():
    assert glossary_problems(RU, "The laboratory opened.", "Лабораторию открыли вчера.") == []
    assert (
        glossary_problems(
            RU,
            "Funded by the Ministry of Science and Higher Education.",
            ("Финансируется Министерством науки и высшего образования."),
        )
        == []
    )
    assert glossary_problems(RU, "The nanosatellite is small.", "Наноспутник маленький.") == []
    assert glossary_problems(RU, "The nanosatellite is small.", "Микроспутник маленький.") == [
        "glossary term “nanosatellite” should be “наноспутник”"
    ]


def test_csv_and_tbx_glossaries_list_variant_forms(tmp_path):
    (tmp_path / "ru.csv").write_text(
        "term,translation,forms\nTian Shan,Тянь-Шань,Тяньшань|Тянь Шань\nTarlan,,\n", encoding="utf-8"
    )
    (tmp_path / "glossary.tbx").write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="c1">
  <langSet xml:lang="en"><tig><term>glacier</term></tig></langSet>
  <langSet xml:lang="ru"><tig><term>ледник</term></tig><tig><term>глетчер</term></tig></langSet>
</termEntry>
</body></text></martif>""",
        encoding="utf-8",
    )
    glossary = load_glossary(tmp_path, "en", "ru")
    assert [(t.source, t.target, t.forms) for t in glossary.terms] == [
        ("Tian Shan", "Тянь-Шань", ("Тяньшань", "Тянь Шань")),
        ("Tarlan", "Tarlan", ()),
        ("glacier", "ледник", ("глетчер",)),
    ]
    assert glossary_problems(glossary, "Glaciers of the Tian Shan.", "Глетчеры Тяньшаня.") == []
    assert glossary_problems(glossary, "Glaciers of the Tian Shan.", "Снежники Тяньшаня.") != []


def test_realistic_glossary_gives_no_warning_on_the_reviewed_examples(newsroom):
    rows = "\n".join(f"{source},{target if target != source else ''}" for source, target in GLOSSARIES["ru"])
    (newsroom / "glossary").mkdir()
    (newsroom / "glossary" / "ru.csv").write_text(f"term,translation\n{rows}\n", encoding="utf-8")
    result = run_cli("check", newsroom, "--locale", "ru")
    assert result.code == 0 and "[glossary]" not in result.stdout, result.stdout
    catalog = read_catalog(newsroom / "i18n" / "ru" / "solar-lab-opens.po", "ru")
    assert any(m.string.startswith("Лабораторию") or "Лабораторию" in m.string for m in catalog if m.id)


def test_model_declines_terms_itself_and_a_missed_term_is_flagged(argos_engine):  # noqa: F811
    catalog = sync("Tarlan photographed the glacier and the laboratory.\n", None)
    engine = Recording(argos_engine)
    pretranslate([catalog], engine, _settings(glossary=MT), english_segmenter())
    sent = [text for batch in engine.batches for text in batch]
    assert any("glacier" in text and "laboratory" in text and "<x1/>" in text for text in sent), sent
    message = next(m for m in catalog if m.id and m.id.startswith("Tarlan"))
    assert "Tarlan" in message.string or any("lost Tarlan" in c for c in message.auto_comments)
    missed = glossary_problems(MT, message.id, message.string)
    flagged = [c for c in message.auto_comments if c.startswith("machine translation: check: glossary")]
    assert flagged == [f"machine translation: check: {problem}" for problem in missed]


def test_a_glossary_saved_by_a_russian_spreadsheet_is_read(tmp_path):
    """Excel in a Russian or Kazakh locale saves "CSV" with semicolons (the comma is the decimal
    separator), a byte-order mark and CRLF: the glossary was ignored ("the first line must name
    the columns")."""
    (tmp_path / "ru.csv").write_bytes(
        "\ufeffterm;translation;forms\r\nnanosatellite;наноспутник;наноспутники\r\nTarlan;;\r\n".encode()
    )
    glossary = load_glossary(tmp_path, "en", "ru")
    assert [(t.source, t.target, t.forms) for t in glossary.terms] == [
        ("nanosatellite", "наноспутник", ("наноспутники",)),
        ("Tarlan", "Tarlan", ()),
    ]
    (tmp_path / "kk.csv").write_bytes("term\ttranslation\nlaboratory\tзертхана\n".encode())
    assert [(t.source, t.target) for t in load_glossary(tmp_path, "en", "kk").terms] == [
        ("laboratory", "зертхана")
    ]


def test_a_glossary_in_another_encoding_is_an_error_with_its_line(tmp_path):
    (tmp_path / "ru.csv").write_bytes("term,translation\nnanosatellite,наноспутник\n".encode("cp1251"))
    with pytest.raises(GlossaryError, match=r"ru\.csv:2: not valid UTF-8"):
        load_glossary(tmp_path, "en", "ru")
