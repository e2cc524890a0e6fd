"""Progress counts of catalogs: plain numbers, so reading a run summary needs no catalog library."""

from __future__ import annotations

from dataclasses import dataclass, fields


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
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    def as_dict(self) -> dict[str, int]:
        return {field.name: getattr(self, field.name) for field in fields(self)} | {"total": self.total}
