"""Multilingual CTranslate2 models (NLLB-200 / M2M-100 style): one model, target chosen by a token.

Argos has no English→Kazakh package; a model like NLLB covers kk, ru and zh at once. A model
is registered once (`tilmash models add-ct2`) in a small JSON registry and then named in
`tilmash.toml` as the engine of the locales it serves.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tilmash.atomic import write_atomic
from tilmash.translate.decoding import SPECIAL_TOKENS, Decoder, translate_checked
from tilmash.translate.engine import EngineError, RuntimeOptions, Translation, translator_threads
from tilmash.translate.vocabulary import VocabularyError, check_tokenizer, read_vocabulary


class ModelError(EngineError):
    """A model directory that cannot serve as a multilingual engine."""


@dataclass(frozen=True, slots=True)
class MultilingualModel:
    name: str
    path: str
    sentencepiece: str
    languages: dict[str, str] = field(default_factory=dict)  # locale → target token (kk → kaz_Cyrl)
    source_token: str = ""  # e.g. eng_Latn (NLLB) or __en__ (M2M-100); empty for none
    version: str = ""


def load_registry(path: Path) -> list[MultilingualModel]:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError as error:
        raise ModelError(f"{path}: the model registry is not valid JSON ({error})") from None
    return [MultilingualModel(**entry) for entry in entries]


def inspect_model(
    directory: Path,
    languages: dict[str, str],
    source_token: str = "",
    sentencepiece: Path | None = None,
    name: str = "",
    version: str = "",
) -> MultilingualModel:
    """Check that `directory` is a CTranslate2 model with a SentencePiece model and every language token."""
    if not directory.is_dir():
        raise ModelError(f"{directory}: no such directory")
    if not (directory / "model.bin").is_file():
        raise ModelError(
            f"{directory}: no model.bin: convert the model with ct2-transformers-converter first"
        )
    if sentencepiece is None:
        candidates = sorted(directory.glob("*.model"))
        if len(candidates) != 1:
            raise ModelError(
                f"{directory}: expected one SentencePiece *.model file, found {len(candidates)}: "
                "give it with --sp"
            )
        sentencepiece = candidates[0]
    if not sentencepiece.is_file():
        raise ModelError(f"{sentencepiece}: no such SentencePiece model")
    try:
        vocabulary = read_vocabulary(directory)
        check_tokenizer(directory, sentencepiece)
    except VocabularyError as error:
        raise ModelError(str(error)) from None
    missing = [token for token in [*languages.values(), source_token] if token and token not in vocabulary]
    if missing:
        raise ModelError(
            f"{directory}: the model's vocabulary lacks the language token(s) {', '.join(missing)}"
        )
    return MultilingualModel(
        name or directory.name,
        str(directory.resolve()),
        str(sentencepiece.resolve()),
        dict(languages),
        source_token,
        version,
    )


def register_model(path: Path, model: MultilingualModel) -> None:
    """Add or replace `model` (by name) in the registry at `path`, atomically."""
    models = [m for m in load_registry(path) if m.name != model.name] + [model]
    write_atomic(path, json.dumps([asdict(m) for m in models], ensure_ascii=False, indent=2).encode())


def ct2_provenance(model: MultilingualModel, locale: str) -> str:
    version = f" {model.version}" if model.version else ""
    return f"ct2 {model.name}{version} en→{model.languages[locale]}"


class MultilingualEngine:
    """Translate English into one locale of a multilingual model, in batches."""

    def __init__(self, model: MultilingualModel, locale: str, options: RuntimeOptions | None = None) -> None:
        import ctranslate2
        import sentencepiece as spm

        if locale not in model.languages:
            raise ModelError(f"model {model.name} has no token for locale {locale}")
        self._model = model
        self._target = model.languages[locale]
        self._locale = locale
        options = options or RuntimeOptions()
        self._options = options
        try:
            self._translator = ctranslate2.Translator(
                model.path,
                device=options.device,
                compute_type=options.compute_type,
                **translator_threads(options),
            )
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"{model.path}: cannot load the CTranslate2 model ({error})") from None
        check_tokenizer(Path(model.path), Path(model.sentencepiece))
        self._sp = spm.SentencePieceProcessor(model_file=model.sentencepiece)

    @property
    def provenance(self) -> str:
        return ct2_provenance(self._model, self._locale)

    def translate_batch(self, texts: Sequence[str]) -> list[Translation]:
        head = [self._model.source_token] if self._model.source_token else []
        special = SPECIAL_TOKENS | {token for token in self._model.languages.values()}
        if self._model.source_token:
            special |= {self._model.source_token}
        decoder = Decoder(
            self._translator,
            self._options,
            lambda tokens: self._sp.decode([t for t in tokens if t not in special]),
            self._locale,
            self._target,
            frozenset(special),
        )
        encoded = [head + self._sp.encode(text, out_type=str) + ["</s>"] for text in texts]
        return translate_checked(decoder, texts, encoded)
