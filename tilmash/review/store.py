"""What the review page reads and writes: one catalog entry at a time, never losing anyone's edit.

A save names the entry (its msgctxt, or a digest of the msgid) and the state it had when
the page was loaded. Under the catalog lock the file is read again: if that entry is still
as it was, the edit is applied to the current file (so changes a scheduled run or Poedit
made to other entries are kept: a merge); if the entry itself changed meanwhile, nothing is written and the
translator sees both versions (a conflict).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from markupsafe import escape

from tilmash.atomic import write_atomic
from tilmash.config import TAXONOMY_CATALOG, UI_CATALOG, Config
from tilmash.i18n import (
    CatalogError,
    catalog_progress,
    is_machine,
    is_reviewed,
    parse_catalog,
    render_catalog,
)
from tilmash.i18n.checks import CheckContext
from tilmash.i18n.entries import CHECK_PREFIX, message_id, without_provenance
from tilmash.i18n.gate import blocked, blocking_checks, verdicts
from tilmash.i18n.progress import Progress
from tilmash.lock import catalog_write_lock
from tilmash.quality import glossary_terms
from tilmash.reading import read_regular
from tilmash.render.markup import unit_html
from tilmash.sources import Article, parse_article
from tilmash.sources.controls import strip_controls
from tilmash.sources.loader import MAX_ARTICLE_BYTES, SLUG_RE, SOURCE_SUFFIXES, SourceProblem
from tilmash.translate.glossary import GlossaryError
from tilmash.translate.memory import Suggestion, TranslationMemory

SHARED = (TAXONOMY_CATALOG, UI_CATALOG)  # the locale's catalogs that belong to no article, listed last


class NotFound(Exception):
    """No such locale or catalog (and never a path outside the newsroom)."""


def entry_key(message: Message) -> str:
    """What a form names an entry by: its msgctxt, or for entries without one (the theme's
    strings) a digest of the msgid."""
    if message.context:
        return message.context
    return "msgid-" + hashlib.sha256(str(message.id).encode()).hexdigest()[:12]


def entry_token(message: Message | None) -> str:
    """Fingerprint of an entry's translation state, carried by the form to detect concurrent edits."""
    if message is None:
        return "gone"
    return hashlib.sha256(f"{message.string}\0{message.fuzzy}".encode()).hexdigest()[:16]


def state_of(message: Message) -> str:
    if is_reviewed(message):
        return "reviewed"
    if not message.string:
        return "untranslated"
    return "machine" if is_machine(message) else "fuzzy"


@dataclass(slots=True)
class EntryView:
    context: str
    source: str
    translation: str
    state: str
    token: str
    line: int
    comments: list[str]
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # severity, check, message
    blocked: bool = False  # the publish gate keeps this translation off the site
    suggestion: Suggestion | None = None
    preview: str = ""


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    status: str  # saved, merged, conflict, gone, invalid
    current: str = ""  # the entry's text on disk, for a conflict; what is wrong, when invalid
    cleaned: bool = False  # control characters were removed from the text


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One line of the index: a catalog's progress, or why it cannot be read."""

    slug: str
    progress: Progress | None
    problem: str = ""


class ReviewStore:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.block_on = blocking_checks(config.policy.block_on)  # the publish gate's checks

    def _path(self, locale: str, slug: str) -> Path:
        if locale not in self.config.target_locales or not (slug in SHARED or SLUG_RE.match(slug)):
            raise NotFound(f"{locale}/{slug}")
        path = self.config.catalog_path(locale, slug)
        if not os.path.lexists(path):  # a directory or a symlink loop there is a broken catalog
            raise NotFound(f"{locale}/{slug}")
        return path

    def read_versioned(self, locale: str, slug: str) -> tuple[Catalog, str]:
        """The catalog and a fingerprint of the file as read (tells a later merge from a plain save)."""
        path = self._path(locale, slug)
        try:
            data = read_regular(path)
        except OSError as error:
            raise CatalogError(path, None, f"cannot be read: {error.strerror or error}") from None
        version = hashlib.sha256(data).hexdigest()[:16]
        return parse_catalog(data, path, self.config.babel_locale(locale)), version

    def read(self, locale: str, slug: str) -> Catalog:
        return self.read_versioned(locale, slug)[0]

    def articles(self, locale: str) -> list[CatalogRow]:
        """Every catalog of `locale` with its progress, the theme's strings last; broken ones say why."""
        if locale not in self.config.target_locales:
            raise NotFound(locale)
        slugs = sorted(p.stem for p in (self.config.i18n_dir / locale).glob("*.po") if p.stem not in SHARED)
        rows = []
        for slug in [*slugs, *SHARED]:
            try:
                rows.append(CatalogRow(slug, catalog_progress(self.read(locale, slug))))
            except NotFound:
                continue
            except CatalogError as error:
                rows.append(CatalogRow(slug, None, str(error)))
        return rows

    def _article(self, slug: str, catalog: Callable[[], Catalog]) -> Article | None:
        """The English article of `slug`, for the preview's links and images. Only `slug.md` was
        looked for: an HTML article's preview showed `<1>…</1>` as text."""
        for path in self._sources_of(slug, catalog):
            try:
                if path.is_file():
                    article = parse_article(path, read_regular(path, MAX_ARTICLE_BYTES), path.stem.lower())
                    if article.slug == slug:
                        return article
            except (SourceProblem, OSError):
                continue
        return None

    def _sources_of(self, slug: str, catalog: Callable[[], Catalog]) -> Iterator[Path]:
        """`slug.md`, `slug.html`, `slug.htm`, then the source the catalog names (an article
        whose front matter sets another `slug:`); the catalog is asked for only then."""
        sources = self.config.sources_dir
        yield from (sources / f"{slug}{suffix}" for suffix in SOURCE_SUFFIXES)
        named = next((file for message in catalog() for file, _ in message.locations[:1]), "")
        if os.path.dirname(os.path.normpath(named)) == sources.name:
            yield sources / os.path.basename(named)

    def _memory(self, locale: str, parsed: dict[str, Catalog]) -> TranslationMemory:
        """Reviewed pairs of every catalog of `locale`; those in `parsed` are not read again."""
        catalogs = []
        for path in (self.config.i18n_dir / locale).glob("*.po"):
            catalog = parsed.get(path.stem)
            if catalog is None:
                try:
                    catalog = parse_catalog(read_regular(path), path, self.config.babel_locale(locale))
                except (CatalogError, OSError):  # a broken catalog just offers no suggestions
                    continue
            catalogs.append(catalog)
        return TranslationMemory.of_catalogs(catalogs)

    def context(self, locale: str) -> CheckContext:
        try:
            return CheckContext(locale, glossary_terms(self.config, locale))
        except GlossaryError:
            return CheckContext(locale)

    def preview(self, locale: str, slug: str, unit: str, text: str) -> str:
        """How `text` renders for unit `unit`, with the article's own links and images."""
        catalog = cache(lambda: self.read(locale, slug))
        return _preview(self._article(slug, catalog), catalog, unit, text)

    def entries(self, locale: str, slug: str) -> tuple[list[EntryView], str]:
        """The page's entries and the file's version; every file is read and parsed once."""
        catalog, version = self.read_versioned(locale, slug)
        article = self._article(slug, lambda: catalog) if slug != UI_CATALOG else None
        context = self.context(locale)
        memory = self._memory(locale, {slug: catalog})
        views = []
        for message in catalog:
            if not message.id or not isinstance(message.id, str):
                continue
            view = EntryView(
                context=entry_key(message),
                source=message.id,
                translation=str(message.string or ""),
                state=state_of(message),
                token=entry_token(message),
                line=message.lineno or 0,
                comments=list(message.auto_comments),
            )
            found = [v for v in verdicts(message, context, self.block_on) if v.check.name != "fuzzy"]
            view.problems = [(v.check.severity, v.check.name, v.message) for v in found]
            view.blocked = any(v.blocks for v in found)
            if not is_reviewed(message):
                suggestion = memory.closest(message_id(message), self.config.memory_cutoff)
                view.suggestion = (
                    suggestion if suggestion and suggestion.translation != view.translation else None
                )
            view.preview = _preview(article, lambda: catalog, view.context, view.translation or view.source)
            views.append(view)
        return views, version

    def save(
        self, locale: str, slug: str, unit: str, token: str, action: str, text: str = "", version: str = ""
    ) -> SaveOutcome:
        """Apply one translator action (approve, save, reject) to one entry, atomically."""
        path = self._path(locale, slug)
        cleaned = False
        with catalog_write_lock(self.config.root / ".tilmash"):
            data = read_regular(path)
            merged = hashlib.sha256(data).hexdigest()[:16] != version
            catalog = parse_catalog(data, path, self.config.babel_locale(locale))
            message = next((m for m in catalog if m.id and entry_key(m) == unit), None)
            if message is None:
                return SaveOutcome("gone")
            if entry_token(message) != token:
                return SaveOutcome("conflict", str(message.string or ""))
            if action == "reject":
                message.string = ""
                message.flags.discard("fuzzy")
                message.auto_comments = without_provenance(message.auto_comments)
            else:
                # a form sends the editor's line breaks as CR LF: msgid and preview know only LF
                text, stripped = strip_controls(text.replace("\r\n", "\n"))
                cleaned = bool(stripped)
                if text.strip() != message.string:  # a person wrote this: it is no longer machine output
                    message.auto_comments = without_provenance(message.auto_comments)
                message.string = text.strip()
                if action == "approve" and message.string:
                    message.flags.discard("fuzzy")
                    message.previous_id = []
                    message.auto_comments = [
                        c for c in message.auto_comments if not c.startswith(CHECK_PREFIX)
                    ]
            new = render_catalog(catalog)
            try:  # never write a catalog that could not be read back (msgfmt --check's rules)
                parse_catalog(new, path, self.config.babel_locale(locale))
            except CatalogError as error:
                return SaveOutcome("invalid", error.message)
            write_atomic(path, new)
        return SaveOutcome("merged" if merged else "saved", cleaned=cleaned)

    def approve_all(self, locale: str, slug: str, tokens: dict[str, str]) -> tuple[int, int]:
        """Approve every shown, translated entry still as shown and free of QA errors; (approved, skipped)."""
        path = self._path(locale, slug)
        context = self.context(locale)
        approved = skipped = 0
        with catalog_write_lock(self.config.root / ".tilmash"):
            catalog = parse_catalog(read_regular(path), path, self.config.babel_locale(locale))
            for message in catalog:
                key = entry_key(message) if message.id else ""
                if not message.id or not message.fuzzy or not message.string or key not in tokens:
                    continue
                if entry_token(message) != tokens[key] or blocked(message, context, self.block_on):
                    skipped += 1
                    continue
                message.flags.discard("fuzzy")
                message.previous_id = []
                message.auto_comments = [c for c in message.auto_comments if not c.startswith(CHECK_PREFIX)]
                approved += 1
            if approved:
                write_atomic(path, render_catalog(catalog))
        return approved, skipped


def _preview(article: Article | None, catalog: Callable[[], Catalog], unit: str, text: str) -> str:
    """How `text` renders for unit `unit` of `article`; `catalog` is asked for only when needed."""
    try:
        block = article.block(unit) if article else None
    except KeyError:
        block = None
    if article is None or block is None:
        return str(escape(text))
    texts = {m.context: str(m.string) for m in catalog() if m.context and m.string}

    def alt(unit_id: str) -> str:
        return texts.get(unit_id) or article.block(unit_id).text

    return unit_html(block, strip_controls(text)[0], alt, asset_root="/static-preview/")
