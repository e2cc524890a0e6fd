"""Translation memory: reviewed translations of a locale, searched for near matches."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_CUTOFF = 0.75  # word similarity a near match needs to be suggested ([translation_memory] cutoff)


@dataclass(frozen=True, slots=True)
class Suggestion:
    source: str
    translation: str
    similarity: float  # 0..1, word-level


class TranslationMemory:
    """English text → reviewed translation; `closest` finds the best fuzzy match."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._entries = [(source, translation, source.split()) for source, translation in dict(pairs).items()]

    def __len__(self) -> int:
        return len(self._entries)

    def closest(self, text: str, cutoff: float) -> Suggestion | None:
        words = text.split()
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(words)
        best: Suggestion | None = None
        for source, translation, source_words in self._entries:
            shortest, longest = sorted((len(words), len(source_words)))
            if not longest or 2 * shortest / (shortest + longest) < cutoff:
                continue  # the length alone rules out a match above the cutoff
            matcher.set_seq1(source_words)
            if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                continue
            ratio = matcher.ratio()
            if ratio >= cutoff and (best is None or ratio > best.similarity):
                best = Suggestion(source, translation, ratio)
        return best
