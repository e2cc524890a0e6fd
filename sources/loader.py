"""Read a newsroom's `sources/` directory into Articles, collecting per-file errors."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tilmash.reading import read_regular
from tilmash.sources.controls import control_warning, strip_controls
from tilmash.sources.files import text_codec, utf8_declared_otherwise
from tilmash.sources.frontmatter import FrontMatterError, split_front_matter
from tilmash.sources.model import Article, Block, SourceError, content_digest
from tilmash.sources.segment import segment

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
RESERVED_SLUGS = frozenset({"index"})  # {locale}/index.html is the locale's index page
HTML_SUFFIXES = (".html", ".htm")
SOURCE_SUFFIXES = (".md", *HTML_SUFFIXES)
# Limits that keep one article's cost near its size (README: "Bad input"); past them the
# article is reported and skipped, never half-published.
MAX_ARTICLE_BYTES = 1_000_000
MAX_UNITS = 2_000
MAX_UNIT_CHARS = 5_000
MAX_TAGS = 50
MAX_TAG_CHARS = 100


class SourceProblem(Exception):
    """Raised for one bad source file; turned into a `SourceError` by `load_sources`."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _as_datetime(value: Any, field_name: str, meta_line: int) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise SourceProblem(
                f"'{field_name}' is not an ISO date (YYYY-MM-DD): {value!r}", meta_line
            ) from None
    else:
        raise SourceProblem(f"'{field_name}' must be a date (YYYY-MM-DD)", meta_line)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _key_lines(text: str) -> dict[str, int]:
    """The line of each `key:` in the front matter (its first), to point errors at it: one walk
    over its lines, up to the first `---` after the opening one, not one split of the whole file
    per key asked."""
    found: dict[str, int] = {}
    start = text.find("\n") + 1
    number = 2
    while start:
        end = text.find("\n", start)
        line = text[start:end] if end >= 0 else text[start:]
        if line.strip() == "---":
            break
        key, colon, _ = line.partition(":")
        if colon:
            found.setdefault(key, number)
        start, number = end + 1, number + 1
    return found


def _required_text(meta: dict[str, Any], key: str, line: int) -> str:
    value = _text(meta, key, line)
    if not value:
        raise SourceProblem(f"front matter has no '{key}'", 1)
    return value


def _text(meta: dict[str, Any], key: str, line: int) -> str:
    """A field shown as text on one line: a list or mapping there was shown as `['Ann', 'Bob']`."""
    value = meta.get(key)
    if isinstance(value, (list, dict)):
        kind = "a list" if isinstance(value, list) else "a mapping"
        hint = " (several authors go on one line: 'Ann Lee and Bob Kim')" if key == "author" else ""
        raise SourceProblem(f"'{key}' must be text, not {kind}{hint}", line)
    return " ".join(str(value).split()) if value is not None else ""


def _decode(raw: bytes, html: bool = False) -> tuple[str, list[int]]:
    """The file's text, without characters no page may hold, and the lines they were on. An HTML
    page is read in the charset its `<meta>` declares, as a browser reads it (Word's "Web Page,
    Filtered" is windows-1252)."""
    if len(raw) > MAX_ARTICLE_BYTES:
        raise SourceProblem(f"is larger than {MAX_ARTICLE_BYTES:,} bytes: split it into several articles")
    label, encoding = _declared_encoding(raw) if html else ("UTF-8", "utf-8")
    line = utf8_declared_otherwise(raw, encoding)
    if line is not None:
        raise SourceProblem(f"the page declares charset={label} but its text is UTF-8: declare UTF-8", line)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceProblem(f"not valid {label} (byte {error.start})", line) from None
    return strip_controls(text.removeprefix("\ufeff").replace("\r\n", "\n"))


# A `<meta charset>` or `<meta http-equiv=Content-Type content="…; charset=…">` in the first
# 1,024 bytes, where a browser looks for it; the labels the Encoding Standard reads as
# windows-1252 (a page saying iso-8859-1 has Word's “curly quotes” in 0x93 and 0x94).
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_READ_AS_WINDOWS_1252 = {"iso8859-1", "ascii", "cp1252"}


def _declared_encoding(raw: bytes) -> tuple[str, str]:
    """(label as written, Python codec) of an HTML page; UTF-8 with a BOM or no declaration."""
    match = None if raw.startswith(codecs.BOM_UTF8) else _META_CHARSET.search(raw, 0, 1024)
    if match is None:
        return "UTF-8", "utf-8"
    label = match[1].decode("ascii")
    codec = text_codec(label)
    if codec is None:
        line = raw.count(b"\n", 0, match.start()) + 1
        raise SourceProblem(f"unknown charset {label!r}: save the page as UTF-8", line)
    if codec.startswith(("utf-16", "utf-32")):
        return "UTF-8", "utf-8"  # bytes a meta could be read in are not UTF-16: browsers read UTF-8
    return label, "cp1252" if codec in _READ_AS_WINDOWS_1252 else codec


# How Hugo (`draft: true`), Jekyll (`published: false`) and Pelican (`status: draft`) mark a
# draft. Tilmash publishes every article of sources/: a newsroom moving from one of them
# would put its drafts online without a word.
_DRAFT_MARKS = {
    "draft": {"true", "yes", "on"},
    "published": {"false", "no", "off"},
    "status": {"draft", "hidden"},
}


def _unhonoured_draft(meta: dict[str, Any], path: Path, lines: dict[str, int]) -> tuple[str, ...]:
    for key, values in _DRAFT_MARKS.items():
        value = str(meta.get(key, "")).strip().lower()
        if value in values:
            return (
                f"{path}:{lines.get(key) or 1}: '{key}: {value}' marks a draft, but every article in "
                "sources/ is published: keep drafts elsewhere",
            )
    return ()


def _tags(value: Any, line: int) -> tuple[str, ...]:
    """`tags: [a, b]` or `tags: a, b`; anything else is the author's mistake, said so."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or any(isinstance(t, (list, dict)) for t in value):
        raise SourceProblem("'tags' must be a list like [energy, research] or 'energy, research'", line)
    tags = tuple(dict.fromkeys(" ".join(str(t).split()) for t in value if t is not None and str(t).strip()))
    if len(tags) > MAX_TAGS:
        raise SourceProblem(f"more than {MAX_TAGS} tags", line)
    return tuple(t if len(t) <= MAX_TAG_CHARS else t[:MAX_TAG_CHARS].rstrip() + "…" for t in tags)


def _check_units(blocks: list[Block]) -> None:
    if len(blocks) > MAX_UNITS:
        raise SourceProblem(
            f"has {len(blocks):,} units, more than {MAX_UNITS:,}: split it into several articles"
        )
    for block in blocks:
        if len(block.text) > MAX_UNIT_CHARS:
            raise SourceProblem(
                f"this {block.kind} has {len(block.text):,} characters, more than {MAX_UNIT_CHARS:,}",
                block.line,
            )


def parse_article(path: Path, raw: bytes, slug_hint: str) -> Article:
    """Parse one Markdown (or, by suffix, HTML) article; SourceProblem names the line where known."""
    text, stripped = _decode(raw, html=path.suffix in HTML_SUFFIXES)
    warnings = (f"{path}:{stripped[0]}: {control_warning(stripped)}",) if stripped else ()
    if path.suffix in HTML_SUFFIXES:
        from tilmash.sources.html_source import read_html_article  # lxml.html, for HTML sources only

        try:
            meta, body, body_line = read_html_article(text)
        except ValueError as error:
            raise SourceProblem(str(error), None) from None
        text = ""  # no front matter lines to point at
    else:
        try:
            meta, body, body_line = split_front_matter(text)
        except FrontMatterError as error:
            raise SourceProblem(str(error), error.line) from None
    return _article(path, raw, text, meta, body, body_line, slug_hint, warnings)


def _article(
    path: Path,
    raw: bytes,
    text: str,
    meta: dict[str, Any],
    body: str,
    body_line: int,
    slug_hint: str,
    warnings: tuple[str, ...] = (),
) -> Article:
    lines = _key_lines(text)
    title = _required_text(meta, "title", lines.get("title") or 1)
    if "date" not in meta or meta["date"] in (None, ""):
        raise SourceProblem("front matter has no 'date'", 1)
    date = _as_datetime(meta["date"], "date", lines.get("date") or 1)
    updated = (
        _as_datetime(meta["updated"], "updated", lines.get("updated") or 1) if meta.get("updated") else None
    )
    slug = str(meta.get("slug") or slug_hint)
    if not SLUG_RE.match(slug):
        raise SourceProblem(
            f"slug {slug!r} must be lowercase letters, digits and '-', start with a letter or digit and "
            "be at most 100 characters (it becomes a file name)",
            lines.get("slug") or 1,
        )
    if slug in RESERVED_SLUGS:
        raise SourceProblem(
            f"slug {slug!r} is the name of each language's index page: give the article another "
            "(`slug:` in its front matter)",
            lines.get("slug") or 1,
        )
    tags = _tags(meta.get("tags"), lines.get("tags") or 1)
    summary = _text(meta, "summary", lines.get("summary") or 1)
    blocks, template = segment(body, body_line)
    head = [Block("title", "title", title, lines.get("title") or 1)]
    if summary:
        head.append(Block("summary", "summary", summary, lines.get("summary") or 1))
    _check_units(head + blocks)
    return Article(
        slug=slug,
        title=title,
        summary=summary,
        date=date,
        updated=updated,
        author=_text(meta, "author", lines.get("author") or 1),
        tags=tags,
        source_path=path,
        blocks=tuple(head + blocks),
        body_template=template,
        warnings=warnings + _unhonoured_draft(meta, path, lines),
    )


def source_files(directory: Path) -> list[Path]:
    """The article files of `directory`, sorted by name (which decides who keeps a duplicate slug)."""
    with os.scandir(directory) as entries:
        names = sorted(  # as their paths sort, names compare faster (1,000 sources: 1.4 ms less)
            e.name
            for e in entries
            if os.path.splitext(e.name)[1] in SOURCE_SUFFIXES
            and not _is_dir(e)
            and not e.name.startswith(".")
        )
    return [directory / name for name in names]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """A symlink loop is not a directory: it is read, and reported, like any unreadable file."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def read_source(path: Path) -> Article | SourceError:
    """One file parsed, or the problem with it: one bad article never stops the others."""
    return read_source_and_digest(path)[0]


def read_source_and_digest(path: Path) -> tuple[Article | SourceError, bytes]:
    """`read_source`, and the `content_digest` of the bytes parsed (b"": none were read)."""
    raw = b""
    try:
        raw = read_regular(path, MAX_ARTICLE_BYTES)
        return parse_article(path, raw, path.stem.lower()), content_digest(raw)
    except SourceProblem as problem:
        return SourceError(path, problem.line, str(problem)), content_digest(raw)
    except OSError as error:
        return SourceError(path, None, f"cannot be read: {error.strerror}"), b""


def collect_sources(parsed: Iterable[Article | SourceError]) -> tuple[list[Article], list[SourceError]]:
    """Split parsed files into articles and errors; a slug already taken is an error."""
    articles: list[Article] = []
    errors: list[SourceError] = []
    by_slug: dict[str, Path] = {}
    for article in parsed:
        if isinstance(article, SourceError):
            errors.append(article)
        elif article.slug in by_slug:
            taken = by_slug[article.slug].name
            errors.append(
                SourceError(
                    article.source_path, None, f"duplicate slug {article.slug!r}: already used by {taken}"
                )
            )
        else:
            by_slug[article.slug] = article.source_path
            articles.append(article)
    return articles, errors


def load_sources(directory: Path) -> tuple[list[Article], list[SourceError]]:
    """All articles of `directory` (sorted by file name) and the errors of the bad ones."""
    return collect_sources(read_source(path) for path in source_files(directory))
