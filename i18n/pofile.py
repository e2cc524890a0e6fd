"""Read and write PO files with Babel, strictly: problems carry the file and line."""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, PoFileParser, unescape


class CatalogError(Exception):
    """A catalog that cannot be read; it is left untouched on disk."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message


class _StrictParser(PoFileParser):
    """Babel's parser, refusing duplicate entries and reading `#|` previous msgids.

    (Babel keeps the last of duplicate entries silently and reads `#| msgid` as a
    translator comment, which would turn into `# | msgid` on the next write.)
    """

    def _reset_message_state(self) -> None:
        super()._reset_message_state()
        self.previous: list[str] = []
        self.previous_field = ""

    def _process_comment(self, line: str) -> None:
        if not line.startswith("#|"):
            super()._process_comment(line)
            return
        self._finish_current_message()
        body = line[2:].strip()
        keyword, _, rest = body.partition(" ")
        if keyword in ("msgid", "msgid_plural", "msgctxt"):
            self.previous_field = keyword
            if keyword != "msgctxt":
                self.previous.append(unescape(rest.strip()))
        elif body.startswith('"') and self.previous_field in ("msgid", "msgid_plural") and self.previous:
            self.previous[-1] += unescape(body)

    def _add_message(self) -> None:
        msgid = self.messages[0].denormalize() if len(self.messages) == 1 else None
        context = self.context.denormalize() if self.context else None
        obsolete, previous = self.obsolete, self.previous
        if msgid is not None and not obsolete and self.catalog.get(msgid, context=context) is not None:
            raise PoFileError(f"duplicate entry for msgid {msgid[:40]!r}", self.catalog, "", self.offset)
        super()._add_message()
        if previous and msgid is not None:
            key = (msgid, context) if context is not None else msgid
            message = self.catalog.obsolete.get(key) if obsolete else self.catalog.get(msgid, context=context)
            if message is not None:
                message.previous_id = previous


def parse_catalog(data: bytes, path: Path, locale: str | None = None) -> Catalog:
    """Parse PO bytes (UTF-8 required); raise CatalogError naming `path` and the line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogError(path, line, "not valid UTF-8: save the catalog as UTF-8") from None
    catalog = Catalog(locale=locale, domain=path.stem)
    parser = _StrictParser(catalog, ignore_obsolete=False, abort_invalid=True)
    try:
        parser.parse(io.StringIO(text))
    except PoFileError as error:
        raise CatalogError(path, error.lineno + 1, str(error).rsplit(" on ", 1)[0]) from None
    except (ValueError, IndexError, AttributeError) as error:
        raise CatalogError(path, parser.offset + 1, f"malformed entry ({error})") from None
    return catalog


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    return parse_catalog(path.read_bytes(), path, locale)


_VOLATILE_HEADERS = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date):.*(?:\n|$)', re.MULTILINE)


def same_content(old: bytes, new: bytes) -> bool:
    """Equal but for the header dates: such a catalog is not rewritten (no churn, no mtime change)."""
    return _VOLATILE_HEADERS.sub(b"", old) == _VOLATILE_HEADERS.sub(b"", new)
