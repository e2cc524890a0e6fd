"""Fill the untranslated entries of a locale's catalogs with one batched engine call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from babel.messages.catalog import Catalog, Message

from translate.engine import Engine

MACHINE_COMMENT = "machine translation: {provenance}, {date}"


def pending_messages(catalogs: Iterable[Catalog]) -> list[Message]:
    """Entries with no translation at all: the only ones machine translation may touch."""
    return [m for catalog in catalogs for m in catalog if m.id and isinstance(m.id, str) and not m.string]


def pretranslate(catalogs: Iterable[Catalog], engine: Engine, today: dt.date) -> int:
    """Translate every pending entry (longest first, one batch); returns how many were filled.

    Machine output is always fuzzy and says where it came from: it is never "reviewed".
    """
    pending = sorted(pending_messages(catalogs), key=lambda m: len(m.id), reverse=True)
    if not pending:
        return 0
    outputs = engine.translate_batch([m.id for m in pending])
    comment = MACHINE_COMMENT.format(provenance=engine.provenance, date=today.isoformat())
    filled = 0
    for message, output in zip(pending, outputs, strict=True):
        if not output.strip():
            continue
        message.string = output
        message.flags.add("fuzzy")
        message.auto_comments = [c for c in message.auto_comments if not c.startswith("machine translation:")] + [comment]
        filled += 1
    return filled
