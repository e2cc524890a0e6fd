"""What the pretranslate step needs from a machine-translation engine."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol


def default_threads() -> int:
    """CTranslate2 threads unless `[runtime] threads` says otherwise: the CPU count, at most 4."""
    return min(os.cpu_count() or 1, 4)


@dataclass(frozen=True, slots=True)
class RuntimeOptions:
    """How CTranslate2 runs (`[runtime]` in tilmash.toml); each default is defined here only."""

    device: str = "cpu"
    threads: int = field(default_factory=default_threads)
    compute_type: str = "auto"
    beam_size: int = 2
    max_batch_size: int = 32
    max_decoding_length: int = 256  # tokens; argostranslate's effective limit too
    # Used only to decode once more an output that failed its checks (translate.decoding):
    repetition_penalty: float = 1.3
    no_repeat_ngram_size: int = 3


def translator_threads(options: RuntimeOptions) -> dict[str, int]:
    """CTranslate2's thread arguments. On a CPU, `threads` batches are decoded side by side on
    one thread each (the weights are shared): on 2 cores a transformer-base model translated
    256 sentences in 4.8 s that way, 15.6 s as one batch at a time on two threads. A GPU runs
    one batch at a time."""
    if options.device == "cpu":
        return {"inter_threads": options.threads, "intra_threads": 1}
    return {"inter_threads": 1, "intra_threads": options.threads}


@dataclass(frozen=True, slots=True)
class Translation:
    """One engine output; `failure` says why it was rejected (the unit then stays untranslated)."""

    text: str
    failure: str = ""


class Engine(Protocol):
    """A batch translator for one language pair."""

    @property
    def provenance(self) -> str:
        """Engine, package and version, written into every entry it fills."""
        ...

    def translate_batch(self, texts: Sequence[str]) -> list[Translation]:
        """Translate all `texts` in one call; the result has the same length and order."""
        ...


def translate_chunks(engine: Engine, chunks: Sequence[Sequence[str]]) -> Iterator[list[Translation]]:
    """Each chunk translated, in order: spread over a cluster when the engine can, else one by one."""
    spread = getattr(engine, "translate_chunks", None)
    return spread(chunks) if spread is not None else map(engine.translate_batch, chunks)


class EngineError(Exception):
    """An engine that cannot be loaded or run: reported for its locale, the run goes on."""
