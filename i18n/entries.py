"""The vocabulary of catalog entries every later stage shares: ids, states, provenance comments.

Defined once here, the lowest stage that needs them: sync keeps provenance comments, the
progress counts tell machine output from other fuzzy entries, translation fills and marks
entries, the review page clears the marks when a person edits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from babel.messages.catalog import Catalog, Message

MACHINE_PREFIX = "machine translation:"  # `#. machine translation: argos en→ru 1.9, 2026-11-24`
MEMORY_PREFIX = "translation memory:"  # `#. translation memory: 88% match of “…”`
PROVENANCE_PREFIXES = (MACHINE_PREFIX, MEMORY_PREFIX)
CHECK_PREFIX = f"{MACHINE_PREFIX} check:"  # `#. machine translation: check: the model lost 1.3`
# `#. reviewed for the previous English: 5e1f0a2c`: this fuzzy entry's msgstr, as it was when a
# translator approved it for the `#|` msgid; a reverted edit makes it reviewed again.
REVIEWED_BEFORE_PREFIX = "reviewed for the previous English:"


def messages(catalog: Catalog) -> Iterator[Message]:
    """The entries of `catalog` without its header: iterating a Babel catalog builds the header
    anew (formatting both dates) each time, a third of the cost of a pass over a short catalog.
    Babel's private `_messages` is used when it is there; otherwise the public iteration."""
    entries = getattr(catalog, "_messages", None)
    if isinstance(entries, dict):
        return iter(entries.values())
    return (message for message in catalog if message.id)


_FILLED_IN = ("PROJECT", "VERSION", "YEAR", "ORGANIZATION", "Translations template")


def header_comment(catalog: Catalog) -> str:
    """`catalog.header_comment`, as Babel's property gives it, without asking for the locale's
    English name when the comment holds none of the words Babel fills in: that question loads
    the locale's CLDR data (5-10 ms each), which an edit run has no other use for. Babel's
    private `_header_comment` is used when it is there; otherwise the public property."""
    raw = getattr(catalog, "_header_comment", None)
    if isinstance(raw, str) and not any(word in raw for word in _FILLED_IN):
        return raw
    return catalog.header_comment


def pending_messages(catalogs: Iterable[Catalog]) -> list[Message]:
    """Entries with no translation at all: the only ones pretranslation may touch."""
    return [
        m
        for catalog in catalogs
        for m in messages(catalog)
        if m.id and isinstance(m.id, str) and not m.string
    ]


def message_id(message: Message) -> str:
    """The English text of an entry (Tilmash writes no plural entries; for one, its singular)."""
    return message.id if isinstance(message.id, str) else message.id[0]


def is_translated(message: Message) -> bool:
    """Has a translation: every plural form of a plural entry, the msgstr of the others."""
    if isinstance(message.string, list | tuple):
        return all(message.string)
    return bool(message.string)


def is_reviewed(message: Message) -> bool:
    """Reviewed means translated and not fuzzy."""
    return is_translated(message) and not message.fuzzy


def is_machine(message: Message) -> bool:
    """Machine output nobody has reviewed yet."""
    return message.fuzzy and any(c.startswith(MACHINE_PREFIX) for c in message.auto_comments)


def translation_digest(string: str | tuple[str, ...] | list[str]) -> str:
    """A short fingerprint of a msgstr: tells whether a translation changed since it was approved."""
    text = string if isinstance(string, str) else "\0".join(string)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def reviewed_before(message: Message) -> str:
    """The comment marking `message`'s translation as approved for its previous English."""
    return f"{REVIEWED_BEFORE_PREFIX} {translation_digest(message.string or '')}"


def provenance(comments: Iterable[str]) -> list[str]:
    """The comments saying where a translation came from (machine or translation memory)."""
    return [c for c in comments if c.startswith(PROVENANCE_PREFIXES)]


def without_provenance(comments: Iterable[str]) -> list[str]:
    """The other comments: what stays when a person writes or rejects the translation."""
    return [c for c in comments if not c.startswith(PROVENANCE_PREFIXES)]
