"""Models that fail are caught: several models in one run, rejected outputs retried, counted, reported."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import zipfile

import pytest

from tests.conftest import run_cli
from tests.helpers import sync
from tests.model_factory import (
    ModelShape,
    build_argos_package,
    build_multilingual_model,
    synthetic_corpus,
    train_sentencepiece,
)
from tilmash.i18n import read_catalog
from tilmash.machine import report_failures
from tilmash.report import RunReport
from tilmash.translate.argos import ArgosEngine, RuntimeOptions, find_package
from tilmash.translate.decoding import (
    EMPTY,
    LENGTH,
    LONG,
    LOOP,
    NAN,
    SPECIAL_ONLY,
    Decoder,
    failure_of,
)
from tilmash.translate.pretranslate import PretranslateResult, PretranslateSettings, pretranslate
from tilmash.translate.segments import english_segmenter

SHAPE = ModelShape(vocab_size=300)
UNREVIEWED = ("water-conference", "library-night", "ai-course-teachers")


@pytest.fixture
def models_env(tmp_path, en_ru_package) -> dict[str, str]:
    """A multilingual model registered for kk/ru/zh and an Argos en→ru package, both installed."""
    env = os.environ | {
        "TILMASH_HOME": str(tmp_path / "tilmash-home"),
        "ARGOS_PACKAGES_DIR": str(tmp_path / "argos"),
        "HOME": str(tmp_path / "home"),
    }
    (tmp_path / "argos").mkdir()
    model = build_multilingual_model(tmp_path / "tiny-nllb", shape=SHAPE)
    assert (
        run_cli("models", "add-ct2", model, "--langs", "kk=kaz_Cyrl,ru=rus_Cyrl,zh=zho_Hans", env=env).code
        == 0
    )
    return env


def _entries(newsroom, locale: str, slug: str):
    return [m for m in read_catalog(newsroom / "i18n" / locale / f"{slug}.po", locale) if m.id]


def test_kk_by_a_multilingual_model_and_ru_by_argos_in_one_run_are_both_filled(
    newsroom, en_ru_package, models_env
):
    assert run_cli("models", "install", en_ru_package, env=models_env).code == 0
    result = run_cli("run", "--json", newsroom, env=models_env)
    assert result.code == 0, result.stderr
    for locale, provenance in (
        ("kk", "ct2 tiny-nllb en→kaz_Cyrl"),
        ("ru", "argos en→ru"),
        ("zh", "ct2 tiny-nllb"),
    ):
        for slug in UNREVIEWED:
            entries = _entries(newsroom, locale, slug)
            assert entries and all(m.string for m in entries), f"{locale}/{slug}: units left empty"
            assert all(provenance in " ".join(m.auto_comments) for m in entries)
    report = json.loads(result.stdout)
    assert all(line["model_failed"] == 0 for line in report["locales"])


def test_a_model_that_fails_on_every_unit_is_an_error_for_its_locale(newsroom, tmp_path, models_env):
    broken = tmp_path / "broken.argosmodel"  # a NaN in the output layer: every score is NaN
    build_argos_package(broken, "en", "ru", shape=SHAPE, token_bias={"*": math.nan})
    assert run_cli("models", "install", broken, env=models_env).code == 0
    result = run_cli("run", "--json", newsroom, env=models_env)
    assert result.code == 1
    assert "error: ru: the model failed on every unit" in result.stderr and NAN in result.stderr
    lines = {line["locale"]: line for line in json.loads(result.stdout)["locales"]}
    assert lines["ru"]["model_failed"] == lines["ru"]["untranslated"] > 0
    assert lines["ru"]["machine_filled"] == 0 and lines["kk"]["model_failed"] == 0
    for slug in UNREVIEWED:
        assert not any(m.string for m in _entries(newsroom, "ru", slug))  # nothing half-filled
        assert all(m.string for m in _entries(newsroom, "kk", slug))  # the other model still worked
    text = run_cli("run", newsroom, env=models_env)  # same inputs: the table shows the column
    assert "MT failed" in text.stdout


def test_a_second_model_failing_on_some_units_leaves_just_those_empty_with_a_note(
    newsroom, tmp_path, models_env
):
    """The reported bug's shape, made certain: kk by the multilingual model fills everything,
    then the Argos ru model returns NaN scores for some sentences (those holding "water")."""
    partly = tmp_path / "partly-broken.argosmodel"
    build_argos_package(partly, "en", "ru", shape=SHAPE, broken_tokens=("water",))
    assert run_cli("models", "install", partly, env=models_env).code == 0
    result = run_cli("run", "--json", newsroom, env=models_env)
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    lines = {line["locale"]: line for line in report["locales"]}
    entries = [m for slug in UNREVIEWED for m in _entries(newsroom, "ru", slug)]
    broken = [m for m in entries if "water" in m.id]
    assert broken and len(broken) < len(entries)
    assert not any(m.string for m in broken)  # left for the translators, not filled with garbage
    assert all(m.string for m in entries if "water" not in m.id)
    assert lines["ru"]["model_failed"] == len(broken) and lines["kk"]["model_failed"] == 0
    assert (
        f"ru: {len(broken)} units left untranslated because the model's output was rejected "
        f"({len(broken)} {NAN})"
    ) in " ".join(report["notes"])
    for slug in UNREVIEWED:
        assert all(m.string for m in _entries(newsroom, "kk", slug))


def test_a_package_whose_tokenizer_is_not_its_models_is_an_error_not_garbage(
    newsroom, tmp_path, en_ru_package, models_env
):
    """Its pieces would all be <unk> to the model: nonsense or NaN, said nowhere."""
    mixed = tmp_path / "mixed.argosmodel"
    foreign = train_sentencepiece(synthetic_corpus(300), 200)
    with zipfile.ZipFile(en_ru_package) as source, zipfile.ZipFile(mixed, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, foreign if item.filename.endswith("/sentencepiece.model") else data)
    assert run_cli("models", "install", mixed, env=models_env).code == 0
    result = run_cli("run", "--json", newsroom, env=models_env)
    assert result.code == 1
    assert "error: ru: " in result.stderr and "does not belong to the model" in result.stderr
    for slug in UNREVIEWED:
        assert not any(m.string for m in _entries(newsroom, "ru", slug))
        assert all(m.string for m in _entries(newsroom, "kk", slug))


@pytest.fixture
def unpacked(en_ru_package, tmp_path):
    with zipfile.ZipFile(en_ru_package) as archive:
        archive.extractall(tmp_path / "unpacked")
    return find_package("en", "ru", tmp_path / "unpacked")


BODY = "The university opened a new research centre for renewable energy in the mountains.\n\n" * 1 + (
    "Students from three countries presented their projects at the annual science festival.\n"
)


def test_looping_output_is_retried_with_repetition_penalties_else_left_untranslated(unpacked):
    settings = PretranslateSettings(locale="ru", today=dt.date(2026, 11, 24))
    no_retry = ArgosEngine(unpacked, RuntimeOptions(repetition_penalty=1.0, no_repeat_ngram_size=0))
    catalog = sync(BODY, None)
    result = pretranslate([catalog], no_retry, settings, english_segmenter())
    assert result.from_engine == 0 and result.model_failed == len([m for m in catalog if m.id])
    assert result.failures == {LOOP: result.model_failed}  # a random model loops, and says so
    assert not any(m.string for m in catalog if m.id)

    catalog = sync(BODY, None)
    result = pretranslate([catalog], ArgosEngine(unpacked), settings, english_segmenter())
    assert result.model_failed == 0 and all(m.string for m in catalog if m.id)


def test_an_output_that_never_ends_is_retried_then_left_untranslated(tmp_path):
    runs_on = tmp_path / "runs-on.argosmodel"  # a model that never emits </s>: decoding cuts it
    build_argos_package(runs_on, "en", "ru", shape=SHAPE, length_ratio=None)
    with zipfile.ZipFile(runs_on) as archive:
        archive.extractall(tmp_path / "unpacked")
    engine = ArgosEngine(find_package("en", "ru", tmp_path / "unpacked"))
    catalog = sync(BODY, None)
    settings = PretranslateSettings(locale="ru", today=dt.date(2026, 11, 24))
    result = pretranslate([catalog], engine, settings, english_segmenter())
    units = len([m for m in catalog if m.id])
    assert result.from_engine == 0 and result.failures == {LONG: units} == {LONG: result.model_failed}
    assert not any(m.string for m in catalog if m.id)


def _decoder() -> Decoder:
    return Decoder(None, RuntimeOptions(), lambda tokens: "".join(tokens).replace("▁", " "), "zh")


@pytest.mark.parametrize(
    ("tokens", "score", "reason"),
    [
        (["▁Да"], math.nan, NAN),
        ([], -1.0, EMPTY),
        (["<s>", "<s>", "</s>"], -1.0, SPECIAL_ONLY),
        (["▁(", "掌", "声", ")"] * 4, -1.0, LOOP),
        (["好"], -1.0, LENGTH),  # one character for a 60-character sentence, even in Chinese
        ([f"▁词{i}" for i in range(33)], -1.0, LONG),  # over 2× the 12 source tokens + 8
        ([f"▁词{i}" for i in range(32)], -1.0, ""),
        (["▁大学", "开设", "了", "一个", "新的", "研究", "中心", "。"], -1.0, ""),
    ],
)
def test_each_kind_of_bad_output_is_named(tokens, score, reason):
    source = "The university opened a new research centre in the mountains."
    text = "".join(tokens).replace("▁", " ").strip()
    assert failure_of(source, 12, tokens, score, text, _decoder()) == reason


def test_partial_failures_are_one_note_and_total_failure_one_error():
    report = RunReport()
    report_failures("kk", PretranslateResult(from_engine=5, model_failed=2, failures={LOOP: 2}), report)
    report_failures("zh", PretranslateResult(model_failed=3, failures={NAN: 2, EMPTY: 1}), report)
    assert report.notes == [
        "kk: 2 units left untranslated because the model's output was rejected (2 a repetition loop), "
        "even after a retry with repetition penalties"
    ]
    assert len(report.errors) == 1 and report.errors[0].startswith("zh: the model failed on every unit")
    assert "2 NaN scores" in report.errors[0] and "1 empty output" in report.errors[0]
