"""What the pretranslate step needs from a machine-translation engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Engine(Protocol):
    """A batch translator for one language pair."""

    @property
    def provenance(self) -> str:
        """Engine, package and version, written into every entry it fills."""
        ...

    def translate_batch(self, texts: Sequence[str]) -> list[str]:
        """Translate all `texts` in one call; the result has the same length and order."""
        ...


class EngineError(Exception):
    """An engine that cannot be loaded or run: reported for its locale, the run goes on."""
