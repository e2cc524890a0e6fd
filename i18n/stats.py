"""Progress counts of catalogs: what translators and the run summary report."""

from __future__ import annotations

from dataclasses import dataclass, fields

from babel.messages.catalog import Catalog, Message

from i18n.sync import is_reviewed

MACHINE_PREFIX = "machine translation:"


def is_machine(message: Message) -> bool:
    return message.fuzzy and any(c.startswith(MACHINE_PREFIX) for c in message.auto_comments)


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

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.reviewed == self.total

    def add(self, other: "Progress") -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    def as_dict(self) -> dict[str, int]:
        return {field.name: getattr(self, field.name) for field in fields(self)} | {"total": self.total}


def catalog_progress(catalog: Catalog) -> Progress:
    progress = Progress()
    for message in catalog:
        if not message.id:
            continue
        words = len(str(message.id).split())
        progress.words_total += words
        if is_reviewed(message):
            progress.reviewed += 1
            progress.words_reviewed += words
        elif not message.string:
            progress.untranslated += 1
        elif is_machine(message):
            progress.machine += 1
        else:
            progress.fuzzy += 1
    return progress
