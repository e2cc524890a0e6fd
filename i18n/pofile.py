"""Read PO files strictly into Babel catalogs: problems carry the file and line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message

from tilmash.i18n.poreader import PoEntry, PoSyntaxError, read_entries
from tilmash.reading import read_regular
from tilmash.sources.files import text_codec, utf8_declared_otherwise


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
    """Parse PO bytes, in the charset the header declares; raise CatalogError naming `path`
    and the line.

    Whatever `msgfmt --check` refuses is refused here too, so a broken catalog is reported
    and left as it is instead of being rewritten without the part that did not parse.
    `check_format=False` accepts python-format fields that differ from the English: the
    theme's catalog checks them string by string (one typo costs one string, not all).
    """
    text = _decoded(data, path)
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
        is_header = entry.msgid == "" and entry.msgctxt is None
        try:
            if is_header and isinstance(message.string, str):
                _set_header(catalog, message)
            else:
                catalog[message.id] = message
        except (ValueError, TypeError) as error:
            raise CatalogError(path, entry.line, f"malformed header ({error})") from None
        if is_header:
            catalog.header_fields = header_fields(entry.msgstr.get(-1, ""))  # type: ignore[attr-defined]
    return catalog


# The charset the header declares (msgfmt reads the file in it): in the header entry, which
# ends at the first blank line after `msgid ""` (an article may quote a Content-Type too).
_DECLARED_CHARSET = re.compile(rb"Content-Type: *text/plain; *charset=([A-Za-z0-9_.:-]+)")
_BLANK_LINE = re.compile(rb"\n\r?\n")


def _decoded(data: bytes, path: Path) -> str:
    """The catalog's text, read in the charset its header declares (a Windows-1251 or GB2312
    catalog msgfmt accepts is read, and written back as UTF-8); UTF-8 when it declares none,
    or gettext's placeholder `CHARSET`."""
    start = max(data.find(b'msgid ""'), 0)
    blank = _BLANK_LINE.search(data, start)
    match = _DECLARED_CHARSET.search(data, start, blank.start() if blank else len(data))
    declared = match[1].decode("ascii") if match else "UTF-8"
    codec = "utf-8" if declared.upper() == "CHARSET" else text_codec(declared)
    if codec is None:
        line = data[: match.start()].count(b"\n") + 1 if match else None
        raise CatalogError(path, line, f"unknown charset {declared!r}: save the catalog as UTF-8")
    line = utf8_declared_otherwise(data, codec)
    if line is not None:
        message = f"the header declares charset={declared} but the text is UTF-8: declare charset=UTF-8"
        raise CatalogError(path, line, message)
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        if codec == "utf-8":
            raise CatalogError(path, line, "not valid UTF-8: save the catalog as UTF-8") from None
        message = f"not valid {declared}, the charset its header declares: save the catalog as UTF-8"
        raise CatalogError(path, line, message) from None


def _set_header(catalog: Catalog, header: Message) -> None:
    """What `catalog[""] = header` sets, without the `email` package Babel reads the fields
    with (importing it costs ~5 ms, in every run that reads a catalog)."""
    assert isinstance(header.string, str)
    fields = mime_fields(header.string)
    if fields is None:  # beyond what `mime_fields` reads as `email` does
        catalog[header.id] = header
        return
    names = [name.lower() for name, _ in fields]
    if len(set(names)) == len(names):  # the last of two same fields wins: left to Babel, in order
        fields = [
            (name, value) for name, value in fields if not _read_plain_field(catalog, name.lower(), value)
        ]
    catalog.mime_headers = fields
    catalog.header_comment = "\n".join(f"# {c}".rstrip() for c in header.user_comments)
    catalog.fuzzy = header.fuzzy


# The usual forms of the fields Babel parses with `email` (parameters) or strptime (dates),
# each importing ~4 ms of modules: read here as Babel reads them (test_po_header_fields.py).
_CONTENT_TYPE = re.compile(r"text/plain; charset=([A-Za-z0-9_-]+)")
_PLURAL_FORMS = re.compile(r"nplurals=(\d+); ?plural=(?!<)([^;\"\\]*?) *;?")  # `email` unquotes <…>
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)(?:([+-])(\d\d)(\d\d))?")


def _read_plain_field(catalog: Catalog, name: str, value: str) -> bool:
    """Set what header field `name` (lower case) sets when `value` has its usual form; False
    for any other field or form, which Babel reads itself."""
    if name == "content-type" and (match := _CONTENT_TYPE.fullmatch(value)):
        catalog.charset = match[1].lower()
    elif name == "plural-forms" and (match := _PLURAL_FORMS.fullmatch(value)):
        catalog._num_plurals, catalog._plural_expr = int(match[1]), match[2]  # type: ignore[assignment]
    elif name in ("pot-creation-date", "po-revision-date") and (match := _DATE.fullmatch(value)):
        year, month, day, hour, minute, sign, hours, minutes = match.groups()
        zone = None
        if sign is not None:
            offset = (int(hours) * 60 + int(minutes)) * (-1 if sign == "-" else 1)
            zone = dt.timezone(dt.timedelta(minutes=offset), name=f"Etc/GMT{offset:+d}")  # Babel's name
        date = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), tzinfo=zone)
        if name == "pot-creation-date":
            catalog.creation_date = date
        else:
            catalog.revision_date = date
    else:
        return False
    return True


# email.feedparser's: a field (or the mbox "From " line), or a field's continuation.
_HEADER_LINE = re.compile(r"From |[\041-\071\073-\176]*:|[\t ]")
_LINE_END = re.compile(r"(\r\n|\r|\n)")


def mime_fields(text: str) -> list[tuple[str, str]] | None:
    """`email.message_from_string(text).items()`, as Babel reads a header (Python's compat32
    policy): fields up to the first line that is not one, continuation lines joined to their
    field, a leading "From " line skipped. None for a text `email` would read in more than
    one piece (8,192 characters)."""
    if len(text) >= 8192:
        return None
    pieces = _LINE_END.split(text)
    lines = [pieces[i] + pieces[i + 1] for i in range(0, len(pieces) - 1, 2)] + (
        [pieces[-1]] if pieces[-1] else []
    )
    header_lines = []
    for line in lines:
        if not _HEADER_LINE.match(line):
            break
        header_lines.append(line)
    fields: list[tuple[str, str]] = []
    value: list[str] = []
    for number, line in enumerate(header_lines):
        if line[0] in " \t":
            if value:  # a first line that continues nothing is ignored
                value.append(line)
            continue
        if value:
            fields.append(_field(value))
            value = []
        if line.startswith("From "):
            if number == len(header_lines) - 1 and number > 0:
                break  # the first line of the body
            continue  # the envelope line, or one out of place: not a field
        if line.find(":") > 0:  # a line starting with ":" names no field
            value = [line]
    if value:
        fields.append(_field(value))
    return fields


def _field(lines: list[str]) -> tuple[str, str]:
    name, value = lines[0].split(":", 1)
    return name, (value.lstrip(" \t") + "".join(lines[1:])).rstrip("\r\n")


def header_fields(header: str) -> list[tuple[str, str]]:
    """The header's fields as written, in their order: a rewrite keeps what tools put there."""
    fields = []
    for line in header.split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            fields.append((name.strip(), value.strip()))
    return fields


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    return parse_catalog(read_regular(path), path, locale)


_VOLATILE_HEADERS = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date):.*(?:\n|$)', re.MULTILINE)


def same_content(old: bytes, new: bytes) -> bool:
    """Equal but for the header dates: such a catalog is not rewritten (no churn, no mtime change)."""
    return _VOLATILE_HEADERS.sub(b"", old) == _VOLATILE_HEADERS.sub(b"", new)


# Where a string goes on on the next line: `"…"` then `"…"` (also in `#|` and `#~` lines).
_STRING_BREAK = re.compile(rb'"\n(?:#~ |#\| |#~\| )?"')


def same_entries(old: bytes, new: bytes) -> bool:
    """Equal but for the header dates and where strings are broken into lines (or CR LF line
    ends): a catalog another tool laid out its own way (`msgcat --no-wrap`, Weblate's 77
    columns) is not rewritten, nor its PO-Revision-Date moved, while its entries are the same."""
    if same_content(old, new):
        return True

    def joined(data: bytes) -> bytes:
        return _STRING_BREAK.sub(b"", _VOLATILE_HEADERS.sub(b"", data.replace(b"\r\n", b"\n")))

    return joined(old) == joined(new)
