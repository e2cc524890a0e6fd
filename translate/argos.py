"""Argos Translate packages, found through argostranslate's own package API.

Inference calls CTranslate2's `translate_batch` over the whole run's pending texts with the
package's tokenizer (SentencePiece or BPE), instead of argostranslate's one-string path.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tilmash.translate.decoding import Decoder, translate_checked
from tilmash.translate.engine import (
    EngineError,
    RuntimeOptions,
    Translation,
    default_threads,
    translator_threads,
)
from tilmash.translate.vocabulary import check_tokenizer

__all__ = ["ArgosEngine", "RuntimeOptions", "default_threads", "find_package", "installed_packages"]


def installed_packages(packages_dir: Path | None) -> list[Any]:
    """Installed Argos packages; `packages_dir` overrides argostranslate's settings."""
    from argostranslate import package  # imported lazily: its settings module creates directories

    try:
        return [
            p
            for p in package.get_installed_packages([packages_dir] if packages_dir else None)
            if p.type == "translate"
        ]
    except FileNotFoundError:
        return []


def find_package(from_code: str, to_code: str, packages_dir: Path | None) -> Any | None:
    for candidate in installed_packages(packages_dir):
        if candidate.from_code == from_code and candidate.to_code == to_code:
            return candidate
    return None


def argos_provenance(package: Any) -> str:
    return f"argos {package.from_code}→{package.to_code} {package.package_version or 'unversioned'}"


class ArgosEngine:
    """One installed Argos package, loaded once, translating batches."""

    def __init__(self, package: Any, options: RuntimeOptions | None = None) -> None:
        import ctranslate2

        options = options or RuntimeOptions()
        self._package = package
        self._options = options
        model_dir = Path(package.package_path) / "model"
        if getattr(package, "tokenizer", None) is None:
            raise EngineError(
                f"{package.package_path}: package has neither sentencepiece.model nor bpe.model"
            )
        try:
            self._translator = ctranslate2.Translator(
                str(model_dir),
                device=options.device,
                compute_type=options.compute_type,
                **translator_threads(options),
            )
        except (RuntimeError, ValueError) as error:
            raise EngineError(f"{model_dir}: cannot load the CTranslate2 model ({error})") from None
        sentencepiece = Path(package.package_path) / "sentencepiece.model"
        if sentencepiece.is_file():  # (a BPE package's tokens are not SentencePiece pieces)
            check_tokenizer(model_dir, sentencepiece)

    @property
    def provenance(self) -> str:
        return argos_provenance(self._package)

    def translate_batch(self, texts: Sequence[str]) -> list[Translation]:
        tokenizer = self._package.tokenizer
        decoder = Decoder(
            self._translator,
            self._options,
            lambda tokens: tokenizer.decode(tokens),
            self._package.to_code,
            self._package.target_prefix or "",
        )
        return translate_checked(decoder, texts, [tokenizer.encode(text) for text in texts])
