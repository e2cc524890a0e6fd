"""What pages ask Babel (a language's own name, a date in long form, a number), kept between runs.

Babel loads a locale's CLDR data the first time it is asked anything about that locale (5-10 ms
each), and the territories table for Open Graph's locale (7 ms): an edit run would spend some
30 ms on them for a handful of strings that stay the same while Babel's version does. A run
starts from the answers the last one saved and saves them again when it asked something new.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tilmash.checked import read_checked, write_checked

ANSWERS_VERSION = 1


def _babel_version() -> str:
    import babel

    return f"{ANSWERS_VERSION}\0{babel.__version__}"


class BabelAnswers:
    """Answers by question, e.g. ("date", "kk", "2026-05-02") → "2026 ж. 2 мамыр"."""

    def __init__(self, known: dict[tuple[Any, ...], str] | None = None) -> None:
        self.known = known or {}
        self.new = False  # something was asked that the saved answers did not hold

    def get(self, question: tuple[Any, ...], ask: Callable[[], str]) -> str:
        """The answer to `question`, asked of Babel (`ask`) only when not known."""
        try:
            return self.known[question]
        except KeyError:
            pass
        answer = self.known[question] = ask()
        self.new = True
        return answer

    @classmethod
    def load(cls, path: Path) -> BabelAnswers:
        """The answers saved by a run with this Babel; none when missing, damaged or another's."""
        known = read_checked(path, _babel_version())
        if not isinstance(known, dict):
            return cls()
        if not all(isinstance(q, tuple) and isinstance(a, str) for q, a in known.items()):
            return cls()
        return cls(known)

    def save(self, path: Path) -> None:
        """Written only when the run asked something new."""
        if self.new:
            write_checked(path, _babel_version(), self.known)
            self.new = False
