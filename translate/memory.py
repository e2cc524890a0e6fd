"""Translation memory: reviewed translations of a locale, searched for near matches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from tilmash.i18n.similarity import closest
from tilmash.i18n.sync import reviewed_pairs

DEFAULT_CUTOFF = 0.75  # word similarity a near match needs to be suggested ([translation_memory] cutoff)


@dataclass(frozen=True, slots=True)
class Suggestion:
    source: str
    translation: str
    similarity: float  # 0..1, word-level


class TranslationMemory:
    """English text → reviewed translation; `closest` finds the best fuzzy match."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._entries = [(source, (source, translation)) for source, translation in dict(pairs).items()]

    @classmethod
    def of_catalogs(cls, catalogs: Iterable[Catalog]) -> TranslationMemory:
        """The reviewed translations of a locale's catalogs (`reviewed_pairs`), by English text."""
        return cls((english, text) for (_, english), text in reviewed_pairs(catalogs).items())

    def __len__(self) -> int:
        return len(self._entries)

    def closest(self, text: str, cutoff: float = DEFAULT_CUTOFF) -> Suggestion | None:
        """The reviewed translation whose English is most similar to `text`, if at least `cutoff`."""
        match = closest(text, self._entries, cutoff)
        if match is None:
            return None
        (source, translation), similarity = match
        return Suggestion(source, translation, similarity)
