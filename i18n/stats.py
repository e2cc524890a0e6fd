"""Counting a catalog's units by state: what translators and the run summary report."""

from __future__ import annotations

from babel.messages.catalog import Catalog, Message

from tilmash.i18n.progress import Progress
from tilmash.i18n.sync import is_reviewed, is_translated

MACHINE_PREFIX = "machine translation:"


def is_machine(message: Message) -> bool:
    return message.fuzzy and any(c.startswith(MACHINE_PREFIX) for c in message.auto_comments)


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
        elif not is_translated(message):
            progress.untranslated += 1
        elif is_machine(message):
            progress.machine += 1
        else:
            progress.fuzzy += 1
    return progress
