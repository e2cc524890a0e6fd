"""Counting a catalog's units by state: what translators and the run summary report."""

from __future__ import annotations

from babel.messages.catalog import Catalog

from tilmash.i18n.entries import is_machine, is_reviewed, is_translated, message_id, messages
from tilmash.i18n.progress import Progress


def catalog_progress(catalog: Catalog) -> Progress:
    progress = Progress()
    for message in messages(catalog):
        if not message.id:
            continue
        words = len(message_id(message).split())
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
