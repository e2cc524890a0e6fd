"""Machine translation with tiny real models: batching, markup safety, memory, glossary, engines."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.helpers import sync
from tests.model_factory import build_multilingual_model, synthetic_corpus, train_sentencepiece
from tilmash.i18n import is_reviewed, read_catalog
from tilmash.sources.placeholders import check_placeholders
from tilmash.translate.argos import ArgosEngine, find_package
from tilmash.translate.glossary import Glossary, Term
from tilmash.translate.pretranslate import CHUNK, PretranslateSettings, pretranslate
from tilmash.translate.segments import english_segmenter


class Recording:
    """The real engine, with every batch it was given written down."""

    def __init__(self, engine: ArgosEngine) -> None:
        self.engine = engine
        self.batches: list[list[str]] = []

    @property
    def provenance(self) -> str:
        return self.engine.provenance

    def translate_batch(self, texts):
        self.batches.append(list(texts))
        return self.engine.translate_batch(texts)


@pytest.fixture
def argos_engine(en_ru_package, tmp_path) -> ArgosEngine:
    import zipfile

    packages = tmp_path / "unpacked"
    with zipfile.ZipFile(en_ru_package) as archive:
        archive.extractall(packages)
    return ArgosEngine(find_package("en", "ru", packages))


def _settings(**extra) -> PretranslateSettings:
    return PretranslateSettings(locale="ru", today=dt.date(2026, 11, 24), **extra)


BODY = (
    "Dr. Saule Abenova presented the results. The glaciers lost 25% of their area since 1960.\n\n"
    "Read the [full report](https://example.org/r) and `the appendix`, then write to press@example.org.\n\n"
    "## Alatau University of Science\n"
)


def test_pending_units_are_split_into_sentences_and_batched_once(argos_engine):
    catalogs = [
        sync(BODY, None),
        sync("Another story about glaciers.\n\nThe glaciers lost 25% of their area since 1960.\n", None),
    ]
    engine = Recording(argos_engine)
    result = pretranslate(catalogs, engine, _settings(), english_segmenter())
    sent = [text for batch in engine.batches for text in batch]
    assert "Dr. Saule Abenova presented the results." in sent  # "Dr." did not end a sentence
    assert "The glaciers lost <x1/> of their area since <x2/>." in sent  # numbers protected
    assert len(sent) == len(set(sent)), "a sentence repeated across units is translated once"
    first_pass = engine.batches[0]
    assert first_pass == sorted(first_pass, key=len, reverse=True)
    assert len(engine.batches) <= math.ceil(len(set(sent)) / CHUNK) + 1  # + the piecewise pass
    assert result.from_engine == sum(1 for c in catalogs for m in c if m.id)


def test_markup_always_survives_and_losses_are_flagged(argos_engine):
    catalog = sync(BODY, None)
    pretranslate([catalog], argos_engine, _settings(), english_segmenter())
    for message in catalog:
        if not message.id:
            continue
        assert message.fuzzy and message.string
        assert check_placeholders(message.id, message.string) == []
        provenance = [c for c in message.auto_comments if c.startswith("machine translation: argos en→ru")]
        assert provenance == ["machine translation: argos en→ru 0.0.1-test, 2026-11-24"]
        for protected in ("25%", "1960", "https://example.org/r", "press@example.org"):
            if protected in message.id and protected not in message.string:
                assert any(protected in c and "lost" in c for c in message.auto_comments), (
                    message.auto_comments
                )


def test_glossary_terms_are_fixed_and_units_of_only_protected_text_skip_the_model(argos_engine):
    catalog = sync(BODY, None)
    glossary = Glossary((Term("Alatau University of Science", "Алатауский университет науки"),))
    engine = Recording(argos_engine)
    pretranslate([catalog], engine, _settings(glossary=glossary), english_segmenter())
    heading = catalog.get(
        "Alatau University of Science",
        context=next(m.context for m in catalog if m.id == "Alatau University of Science"),
    )
    assert heading.string == "Алатауский университет науки" and heading.fuzzy
    assert all(
        "<x" not in text or any(c.isalpha() for c in text.replace("<x1/>", ""))
        for b in engine.batches
        for text in b
    )


def test_near_match_from_memory_is_a_fuzzy_suggestion_with_its_similarity():
    from tilmash.translate.memory import TranslationMemory

    catalog = sync("The rector opened the new library on Tuesday.\n", None)
    memory = TranslationMemory(
        [("The rector opened the new library on Monday.", "Ректор открыл новую библиотеку в понедельник.")]
    )
    result = pretranslate([catalog], None, _settings(memory=memory), english_segmenter())
    message = next(m for m in catalog if m.id and m.id.startswith("The rector"))
    assert result.from_memory == 1
    assert message.string == "Ректор открыл новую библиотеку в понедельник." and message.fuzzy
    assert (
        message.auto_comments[-1]
        == "translation memory: 88% match of “The rector opened the new library on Monday.”"
    )


def test_reviewed_entries_are_never_sent(argos_engine):
    catalog = sync(BODY, None)
    for message in catalog:
        if message.id:
            message.string = "проверено"
    engine = Recording(argos_engine)
    assert pretranslate([catalog], engine, _settings(), english_segmenter()).from_engine == 0
    assert engine.batches == []
    assert all(is_reviewed(m) for m in catalog if m.id)


def test_multilingual_ct2_model_serves_kazakh(newsroom, tmp_path):
    model = build_multilingual_model(tmp_path / "tiny-nllb")
    env = os.environ | {
        "TILMASH_HOME": str(tmp_path / "home"),
        "ARGOS_PACKAGES_DIR": str(tmp_path / "no-argos"),
    }
    (tmp_path / "no-argos").mkdir()
    added = run_cli(
        "models",
        "add-ct2",
        model,
        "--langs",
        "kk=kaz_Cyrl,ru=rus_Cyrl,zh=zho_Hans",
        "--model-version",
        "0.1",
        env=env,
    )
    assert added.code == 0, added.stderr
    assert "tiny-nllb" in run_cli("models", "list", env=env).stdout
    result = run_cli("run", "--json", newsroom, env=env)
    assert result.code == 0, result.stderr
    catalog = read_catalog(newsroom / "i18n" / "kk" / "water-conference.po", "kk")
    entries = [m for m in catalog if m.id]
    assert all(m.string and m.fuzzy for m in entries)
    assert all(
        "machine translation: ct2 tiny-nllb 0.1 en→kaz_Cyrl" in " ".join(m.auto_comments) for m in entries
    )
    assert not any("kaz_Cyrl" in m.string or "</s>" in m.string for m in entries)
    report = json.loads(result.stdout)
    assert {line["locale"]: line["machine_filled"] for line in report["locales"]}["zh"] > 0


def _with_a_foreign_tokenizer(directory: Path) -> None:
    """A model whose SentencePiece file was trained on other text (another model's)."""
    build_multilingual_model(directory)
    foreign = train_sentencepiece(synthetic_corpus(300), 200, ["eng_Latn", "kaz_Cyrl", "rus_Cyrl"])
    (directory / "sentencepiece.bpe.model").write_bytes(foreign)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: d.mkdir(), "no model.bin"),
        (
            lambda d: build_multilingual_model(d, languages=("kaz_Cyrl",)),
            "lacks the language token(s) rus_Cyrl",
        ),
        (lambda d: None, "no such directory"),
        (_with_a_foreign_tokenizer, "this SentencePiece model does not belong to the model"),
    ],
)
def test_bad_model_directory_gets_a_clear_error(tmp_path, setup, message):
    directory = tmp_path / "model"
    setup(directory)
    env = os.environ | {"TILMASH_HOME": str(tmp_path / "home")}
    result = run_cli("models", "add-ct2", directory, "--langs", "kk=kaz_Cyrl,ru=rus_Cyrl", env=env)
    assert result.code == 1
    assert str(directory) in result.stderr and message in result.stderr
    assert not (tmp_path / "home" / "models.json").exists()


def test_exact_memory_matches_can_be_kept_fuzzy(newsroom):
    config = newsroom / "tilmash.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("exact_as_reviewed = true", "exact_as_reviewed = false"),
        encoding="utf-8",
    )
    (newsroom / "sources" / "again.md").write_text(
        "---\ntitle: Again\ndate: 2026-10-10\n---\nThe project unites three institutions:\n", encoding="utf-8"
    )
    assert run_cli("run", newsroom).code == 0
    catalog = read_catalog(newsroom / "i18n" / "ru" / "again.po", "ru")
    message = next(m for m in catalog if m.id == "The project unites three institutions:")
    assert message.string == "Проект объединяет три организации:" and message.fuzzy
    assert "translation memory: 100% match" in message.auto_comments[-1]


def test_glossary_file_in_the_newsroom_is_applied(newsroom, en_ru_package, packages_env):
    (newsroom / "glossary").mkdir()
    (newsroom / "glossary" / "ru.csv").write_text(
        "term,translation\nAlatau University of Science,Алатауский университет науки\nTarlan,\n",
        encoding="utf-8",
    )
    (newsroom / "sources" / "name.md").write_text(
        "---\ntitle: Tarlan\ndate: 2026-10-10\n---\n## Alatau University of Science\n", encoding="utf-8"
    )
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    assert run_cli("run", newsroom, env=packages_env).code == 0
    catalog = read_catalog(newsroom / "i18n" / "ru" / "name.po", "ru")
    assert {m.id: m.string for m in catalog if m.id} == {
        "Tarlan": "Tarlan",
        "Alatau University of Science": "Алатауский университет науки",
    }


def test_broken_glossary_is_reported_with_its_line(newsroom, en_ru_package, packages_env):
    (newsroom / "glossary").mkdir()
    (newsroom / "glossary" / "ru.csv").write_text("term,translation\n,пусто\n", encoding="utf-8")
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    result = run_cli("run", newsroom, env=packages_env)
    assert result.code == 1 and "ru.csv:2: empty term" in result.stderr
    catalog = read_catalog(newsroom / "i18n" / "ru" / "water-conference.po", "ru")
    assert all(m.string and m.fuzzy for m in catalog if m.id)  # machine translation went on without it


def test_tbx_glossary_gives_each_locale_its_own_term(tmp_path):
    from tilmash.translate.glossary import load_glossary

    (tmp_path / "glossary.tbx").write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="c1">
  <langSet xml:lang="en"><tig><term>Alatau University of Science</term></tig></langSet>
  <langSet xml:lang="ru"><tig><term>Алатауский университет науки</term></tig></langSet>
  <langSet xml:lang="kk"><tig><term>Алатау ғылым университеті</term></tig></langSet>
</termEntry>
<termEntry id="c2"><langSet xml:lang="en"><tig><term>Tarlan</term></tig></langSet></termEntry>
</body></text></martif>""",
        encoding="utf-8",
    )
    kk = load_glossary(tmp_path, "en", "kk")
    assert [(t.source, t.target) for t in kk.terms] == [
        ("Alatau University of Science", "Алатау ғылым университеті"),
        ("Tarlan", "Tarlan"),
    ]
    # No Chinese term given: no constraint for zh, but a name with only an English term is kept everywhere.
    assert [(t.source, t.target) for t in load_glossary(tmp_path, "en", "zh").terms] == [("Tarlan", "Tarlan")]
    (tmp_path / "glossary.tbx").write_text("<martif><termEntry>", encoding="utf-8")
    from tilmash.translate.glossary import GlossaryError

    with pytest.raises(GlossaryError, match="glossary.tbx:1"):
        load_glossary(tmp_path, "en", "kk")


@pytest.mark.parametrize("threads", [1, 3])
def test_cpu_threads_decode_batches_side_by_side(argos_engine, threads):
    """`[runtime] threads` on a CPU are that many batches at once, one thread each (faster
    than one batch on several threads, see translate.engine); a batch of more than
    max_batch_size sentences comes back whole, in order, as one thread translates it."""
    from tilmash.translate.engine import RuntimeOptions

    package = argos_engine._package
    engine = ArgosEngine(package, RuntimeOptions(threads=threads, beam_size=1, max_batch_size=4))
    assert engine._translator.num_translators == threads
    alone = ArgosEngine(package, RuntimeOptions(threads=1, beam_size=1, max_batch_size=4))
    sentences = synthetic_corpus(13, seed=5)
    assert engine.translate_batch(sentences) == alone.translate_batch(sentences)
