"""Word-level similarity of English texts: one matcher for fuzzy sync and translation memory."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TypeVar

Payload = TypeVar("Payload")

FUZZY_SYNC_CUTOFF = 0.6  # an edited unit inherits the closest old translation (as fuzzy) from here


def closest(
    text: str, candidates: Iterable[tuple[str, Payload]], cutoff: float
) -> tuple[Payload, float] | None:
    """The candidate whose text is most similar to `text` (the first of equals), if at least `cutoff`.

    Similarity is difflib's ratio over words, 0..1; cheap upper bounds skip most candidates.
    """
    words = text.split()
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(words)
    best: tuple[Payload, float] | None = None
    for candidate, payload in candidates:
        candidate_words = candidate.split()
        shortest, longest = sorted((len(words), len(candidate_words)))
        floor = cutoff if best is None else max(cutoff, best[1])
        if not longest or 2 * shortest / (shortest + longest) < floor:
            continue  # the lengths alone rule out a better match
        matcher.set_seq1(candidate_words)
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff and (best is None or ratio > best[1]):
            best = (payload, ratio)
    return best
