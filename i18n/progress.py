"""Progress counts of catalogs: plain numbers, so reading a run summary needs no catalog library."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Progress:
    """Units (and their English words) by state; `fuzzy` means changed-source, not machine."""

    reviewed: int = 0
    machine: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words_reviewed: int = 0
    words_total: int = 0

    @property
    def total(self) -> int:
        return self.reviewed + self.machine + self.fuzzy + self.untranslated

    def add(self, other: Progress) -> None:
        self.reviewed += other.reviewed
        self.machine += other.machine
        self.fuzzy += other.fuzzy
        self.untranslated += other.untranslated
        self.words_reviewed += other.words_reviewed
        self.words_total += other.words_total

    def as_dict(self) -> dict[str, int]:
        """Its counts by field name, then `total` (a run's report has one per article and locale)."""
        return {
            "reviewed": self.reviewed,
            "machine": self.machine,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "words_reviewed": self.words_reviewed,
            "words_total": self.words_total,
            "total": self.total,
        }

    def __reduce__(self) -> tuple[type[Progress], tuple[int, ...]]:
        """Pickled as its constructor's arguments: the units index holds one per article and locale."""
        return Progress, (
            self.reviewed,
            self.machine,
            self.fuzzy,
            self.untranslated,
            self.words_reviewed,
            self.words_total,
        )
