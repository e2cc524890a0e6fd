"""Read PO files strictly into Babel catalogs: problems carry the file and line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message

from tilmash.i18n.poreader import PoEntry, PoSyntaxError, read_entries


class CatalogError(Exception):
    """A catalog that cannot be read; it is left untouched on disk."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message


def _locations(references: list[str]) -> list[tuple[str, int]]:
    """`#:` references as Babel holds them: (file, line), line None when there is none."""
    locations: list[tuple[str, Any]] = []
    for reference in references:
        name, _, line = reference.rpartition(":")
        locations.append((name, int(line)) if name and line.isdigit() else (reference, None))
    return locations


def _message(entry: PoEntry) -> Message:
    assert entry.msgid is not None
    if entry.msgid_plural is not None:
        msgid: str | tuple[str, str] = (entry.msgid, entry.msgid_plural)
        string: str | tuple[str, ...] = tuple(entry.msgstr[i] for i in sorted(entry.msgstr))
    else:
        msgid, string = entry.msgid, entry.msgstr[-1]
    message = Message(
        msgid,
        string,
        _locations(entry.references),  # type: ignore[arg-type]  # None lines: Babel's reader stores them too
        list(dict.fromkeys(entry.flags)),
        entry.auto_comments,
        entry.user_comments,
        lineno=entry.line,
        context=entry.msgctxt,
    )
    message.flags = set(entry.flags)  # as written: Babel would guess python-format from "25% of"
    previous = entry.previous
    if "msgid" in previous:
        message.previous_id = [previous["msgid"]] + (
            [previous["msgid_plural"]] if "msgid_plural" in previous else []
        )
    message.previous_context = previous.get("msgctxt")  # type: ignore[attr-defined]  # ours, not Babel's
    return message


def parse_catalog(data: bytes, path: Path, locale: str | None = None, check_format: bool = True) -> Catalog:
    """Parse PO bytes (UTF-8 required); raise CatalogError naming `path` and the line.

    Whatever `msgfmt --check` refuses is refused here too, so a broken catalog is reported
    and left as it is instead of being rewritten without the part that did not parse.
    `check_format=False` accepts python-format fields that differ from the English: the
    theme's catalog checks them string by string (one typo costs one string, not all).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogError(path, line, "not valid UTF-8: save the catalog as UTF-8") from None
    try:
        entries = read_entries(text, check_format)
    except PoSyntaxError as error:
        raise CatalogError(path, error.line, error.message) from None
    catalog = Catalog(locale=locale, domain=path.stem)
    for entry in entries:
        message = _message(entry)
        if entry.obsolete:
            assert entry.msgid is not None
            key: str | tuple[str, str] = (
                entry.msgid if entry.msgctxt is None else (entry.msgid, entry.msgctxt)
            )
            catalog.obsolete[key] = message  # keyed as Babel keys its own obsolete entries
            continue
        try:
            catalog[message.id] = message
        except (ValueError, TypeError) as error:
            raise CatalogError(path, entry.line, f"malformed header ({error})") from None
        if entry.msgid == "" and entry.msgctxt is None:
            catalog.header_fields = header_fields(entry.msgstr.get(-1, ""))  # type: ignore[attr-defined]
    return catalog


def header_fields(header: str) -> list[tuple[str, str]]:
    """The header's fields as written, in their order: a rewrite keeps what tools put there."""
    fields = []
    for line in header.split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            fields.append((name.strip(), value.strip()))
    return fields


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    return parse_catalog(path.read_bytes(), path, locale)


_VOLATILE_HEADERS = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date):.*(?:\n|$)', re.MULTILINE)


def same_content(old: bytes, new: bytes) -> bool:
    """Equal but for the header dates: such a catalog is not rewritten (no churn, no mtime change)."""
    return _VOLATILE_HEADERS.sub(b"", old) == _VOLATILE_HEADERS.sub(b"", new)
