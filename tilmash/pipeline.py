"""The stages wired together for one newsroom: sources, catalogs read and written, the gate, shared catalogs.

`tilmash.articles` streams the articles through these steps; `tilmash.runner` decides what
is written; `status` uses the same steps and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.catalog import Catalog, Message
from babel.support import Translations

from tilmash.atomic import AtomicWriter, stat_text
from tilmash.config import TAXONOMY_CATALOG, UI_CATALOG, Config
from tilmash.i18n import (
    CatalogError,
    is_current_template,
    is_reviewed,
    messages,
    parse_catalog,
    render_catalog,
    same_content,
    same_entries,
    sync_catalog,
    template_bytes,
    template_version,
)
from tilmash.parallel import Mapper
from tilmash.reading import read_regular
from tilmash.render.page_keys import code_digest
from tilmash.render.pages import article_path
from tilmash.render.policy import listing_article
from tilmash.render.ui import (
    compiled_mo,
    shipped_translations,
    theme_digest,
    translations,
    ui_template,
    unusable,
)
from tilmash.report import RunReport
from tilmash.shared import SharedCache
from tilmash.sources import Article, SourceError, collect_sources, read_source_and_digest, source_files
from tilmash.sources.assets import image_problems
from tilmash.sources.controls import control_warning, strip_controls
from tilmash.spill import Spill
from tilmash.state import code_stamp, models_stamp
from tilmash.static_files import layout_digest
from tilmash.translate.registry import argos_packages_dir
from tilmash.units import Kept, UnitStore, files_stamp, read_or_absent, run_key, tree_digest, unit_key

if TYPE_CHECKING:
    from tilmash.i18n.checks import CheckContext


@dataclass(slots=True)
class LocaleCatalogs:
    """The catalogs of one locale that machine translation fills; `memory()` gathers the locale's
    reviewed translations only when asked: a run with nothing to fill never holds them."""

    locale: str
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    pairs: Callable[[], dict[tuple[str, Any], str]] = dict
    # Machine translation found no engine to try, and said no error: a unit whose entries are
    # still untranslated may be kept (tilmash.articles), until the memory gives it something.
    settled: bool = False

    def memory(self) -> dict[tuple[str, Any], str]:
        """Reviewed translations of the locale by English text, from every catalog in article order."""
        return self.pairs()


def clean_translations(catalog: Catalog, path: Path) -> list[str]:
    """Remove characters no page may hold from every translation; a warning per entry touched."""
    warnings = []
    for message in catalog:
        original = message.string
        if not original:
            continue
        strings = tuple(original) if isinstance(original, tuple | list) else (original,)
        cleaned = tuple(strip_controls(s)[0] for s in strings)
        if cleaned != strings:
            message.string = cleaned if isinstance(original, tuple | list) else cleaned[0]
            warnings.append(f"{path}:{message.lineno or 1}: {control_warning([message.lineno or 1])}")
    return warnings


def read_catalog(
    path: Path, locale: str, config: Config, report: RunReport, check_format: bool = True
) -> tuple[Catalog, bytes] | None:
    """A catalog and its bytes; None (with an error) when it cannot be read or parsed.

    A catalog path that is a directory, unreadable or a symlink loop is the same kind of
    problem as a syntax error: reported, left alone, and only its article is held back.
    """
    try:
        data = read_regular(path)
        catalog = parse_catalog(data, path, config.babel_locale(locale), check_format)
    except CatalogError as error:
        report.errors.append(f"{error} (catalog left untouched; fix it and run again)")
        return None
    except OSError as error:
        report.errors.append(f"{path}: cannot be read: {error.strerror or error} (catalog left untouched)")
        return None
    report.warnings += clean_translations(catalog, path)
    return catalog, data


def dated(template: Catalog, now: dt.datetime) -> Catalog:
    """`template` created at the run's clock (`RunOptions.now`), not Babel's wall clock: its
    POT-Creation-Date, and that of every catalog first made from it."""
    template.creation_date = now
    return template


def catalog_changed(catalog: Catalog, old: bytes | None) -> bool:
    return old is None or not same_entries(old, render_catalog(catalog))


def write_if_changed(
    path: Path, catalog: Catalog, old: bytes | None, now: dt.datetime, writer: AtomicWriter
) -> bytes | None:
    """Stage `catalog` for an atomic write unless only its header dates or its layout would
    change; the bytes staged, or None."""
    revised, catalog.revision_date = catalog.revision_date, now
    data = render_catalog(catalog)
    if old is not None and same_entries(old, data):  # only dates or the layout would change
        catalog.revision_date = revised  # as on disk: the translation's date (feeds) did not change
        return None
    writer.write(path, data, old)
    return data


def sync_ui(
    config: Config, locale: str, report: RunReport, now: dt.datetime, writer: AtomicWriter | None
) -> Catalog | None:
    """The newsroom's UI catalog for `locale`, seeded from Tilmash's shipped translations."""
    seed = shipped_translations(locale)
    return sync_shared(config, locale, UI_CATALOG, lambda _: ui_template(), seed, report, now, writer)


def taxonomy_names(
    config: Config,
    locale: str,
    articles: list[Article],
    report: RunReport,
    now: dt.datetime,
    writer: AtomicWriter | None,
    shared: SharedCache | None = None,
    run_key: str = "",
    used: bytes | None = None,
) -> dict[tuple[str, str], str]:
    """Reviewed translations of the tags and bylines of `locale` (`_taxonomy.po`), after the gate.
    With `shared`, the last run's names when nothing they are made from changed (`run_key`:
    tilmash.toml, the glossary, …; the catalog; `used`: `taxonomy_used(articles)`, made once
    for every locale)."""
    compute = partial(_taxonomy_names, config, locale, articles, now=now, writer=writer)

    def made_of() -> bytes:
        return used if used is not None else taxonomy_used(articles)

    names: dict[tuple[str, str], str] = _shared_outcome(
        config, locale, TAXONOMY_CATALOG, "taxonomy", made_of, report, compute, shared, run_key
    )
    return names


def taxonomy_used(articles: list[Article]) -> bytes:
    """Digest of what the taxonomy catalogs are made of: every article's tags, byline and file."""
    used = pickle.dumps([(a.slug, os.fspath(a.source_path), a.tags, a.author) for a in articles])
    return hashlib.blake2b(used, digest_size=20).digest()


def _shared_outcome(
    config: Config,
    locale: str,
    catalog_name: str,
    kind: str,
    made_of: Callable[[], bytes | str],
    report: RunReport,
    compute: Callable[[RunReport], Any],
    shared: SharedCache | None,
    run_key: str,
) -> Any:
    """`compute(report)`, or with `shared` the last run's outcome of kind `kind` for `locale` when
    its catalog, `run_key` and `made_of()` (what else it is made from) are unchanged."""
    if shared is None:  # a dry run
        return compute(report)
    parts = (kind, locale, made_of())
    path = config.catalog_path(locale, catalog_name)
    return shared.reuse(f"{kind}:{locale}", run_key, parts, path, report, compute)


def _taxonomy_names(
    config: Config,
    locale: str,
    articles: list[Article],
    report: RunReport,
    now: dt.datetime,
    writer: AtomicWriter | None,
) -> dict[tuple[str, str], str]:
    from tilmash.i18n.gate import blocking_checks
    from tilmash.i18n.taxonomy import reviewed_names, taxonomy_template
    from tilmash.quality import check_context

    refs = {a.slug: relative_ref(config.root, a.source_path) for a in articles}
    template = partial(taxonomy_template, articles, refs)
    catalog = sync_shared(config, locale, TAXONOMY_CATALOG, template, {}, report, now, writer)
    if catalog is None:
        return {}
    block_on = blocking_checks(config.policy.block_on)
    context = check_context(config, locale)
    blocked = gated(config, locale, TAXONOMY_CATALOG, catalog, context, block_on, report)
    return reviewed_names(catalog, {(str(c), m) for c, m in blocked})


def sync_shared(
    config: Config,
    locale: str,
    name: str,
    template: Callable[[Catalog | None], Catalog],
    seed: Mapping[Any, Any],
    report: RunReport,
    now: dt.datetime,
    writer: AtomicWriter | None,
) -> Catalog | None:
    """A catalog the whole locale shares (theme strings; tags and bylines), synced with the
    template made from what is on disk and staged for writing when it changed; None when it
    cannot be read."""
    path = config.catalog_path(locale, name)
    old = existing = None
    if os.path.lexists(path):
        read = read_catalog(path, locale, config, report, check_format=False)  # checked string by string
        if read is None:
            return None
        existing, old = read
    catalog = sync_catalog(dated(template(existing), now), existing, config.babel_locale(locale), seed)
    if writer is not None and write_if_changed(path, catalog, old, now, writer) is not None:
        report.catalogs_written += 1
    elif writer is None and catalog_changed(catalog, old):
        report.notes.append(f"would write {path.relative_to(config.root)}")
    return catalog


def ui_translations(
    config: Config,
    locale: str,
    report: RunReport,
    now: dt.datetime,
    writer: AtomicWriter | None,
    shared: SharedCache | None = None,
    run_key: str = "",
) -> Translations | None:
    """The theme's strings for `locale` (None: English). A translation that would break or
    garble a page is an `error:` line with its file and line, and shows in English. With
    `shared`, the last run's when nothing they are made from changed (`run_key`, the catalog,
    the theme)."""
    compute = partial(_ui_mo, config, locale, now=now, writer=writer)
    made_of = partial(theme_digest, locale)
    mo = _shared_outcome(config, locale, UI_CATALOG, "ui", made_of, report, compute, shared, run_key)
    return None if mo is None else translations(mo)


def _ui_mo(
    config: Config, locale: str, report: RunReport, now: dt.datetime, writer: AtomicWriter | None
) -> bytes | None:
    catalog = sync_ui(config, locale, report, now, writer)
    if catalog is None:
        return None
    broken = unusable(catalog)
    if broken:
        where, lines = _written_lines(config, locale, UI_CATALOG, catalog)
        report.errors += [
            f"{where}:{lines.get(_entry_key(message), 0)}: {problem}: "
            f"the English “{_entry_key(message)[1]}” is shown instead"
            for message, problem in broken
        ]
    return compiled_mo(catalog, [message for message, _ in broken])


@dataclass(frozen=True, slots=True)
class Parsed:
    """One source as a parsing worker hands it back: the article without its body (the body
    pickled, for the run to set aside on disk), its image problems, whether its POT changed,
    the digest of the bytes parsed."""

    article: Article | SourceError
    body: bytes = b""
    image_errors: tuple[str, ...] = ()
    template_changed: bool = False
    digest: bytes = b""


def _source_and_template(
    path: Path, config: Config, now: dt.datetime, spill: bool = False, *, templates: Collection[str]
) -> Parsed:
    """One source file parsed, and whether its POT differs from the one on disk.

    The unit of work spread over the cores. A POT whose version says it was made from
    the same units is not rendered again; others are rendered and compared here. A POT
    that changed is rendered again when it is written, so no POT is held meanwhile. With
    `spill`, the article comes back without its body, the body pickled. `templates`: the
    names in the POT folder when the sources were listed (a POT missing then is not looked for).
    """
    article, digest = read_source_and_digest(path)
    if isinstance(article, SourceError):
        return Parsed(article)
    source_ref = relative_ref(config.root, path)
    old = None
    if f"{article.slug}.pot" in templates:
        template = config.template_path(article.slug)
        try:
            old = read_regular(template)
        except FileNotFoundError:
            pass
        except OSError as error:  # a pipe or a device where the POT goes: the article is held
            where = template.relative_to(config.root)
            return Parsed(SourceError(where, None, f"cannot be read: {error.strerror or error}"))
    if old is None:
        changed = True
    else:
        current = is_current_template(old, template_version(article, source_ref))
        changed = not current and not same_content(old, template_bytes(article, source_ref, now))
    problems = tuple(str(e) for e in image_problems(article, config.root))
    if not spill:
        return Parsed(article, b"", problems, changed, digest)
    listed = listing_article(article, article.warnings)
    return Parsed(listed, pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL), problems, changed, digest)


@dataclass(slots=True)
class Sources:
    """The newsroom's articles in order, without their bodies: those parsed wait pickled in
    `bodies` (a temporary file) until their turn, those kept from the last run in their unit."""

    articles: list[Article]
    changed_templates: frozenset[str]  # slugs whose POT differs from the one on disk
    held: list[str]  # pages of sources that failed to parse: their last version stays
    reused: dict[str, Kept]  # slug → unchanged article's unit kept from a run
    read_as: dict[Path, bytes]  # source → `content_digest` of the bytes parsed
    bodies: Spill  # the pickled articles (an edit run parks none)
    where: dict[str, tuple[int, int]] = field(default_factory=dict)  # slug → (offset, length) in it
    new_templates: frozenset[str] = frozenset()  # of `changed_templates`, those with no POT when listed
    spilled: bool = False  # bodies spilled, or more than HELD_EDITIONS: what the articles leave waits on disk

    def full(self, article: Article) -> Article:
        """The article with its body (`article` itself when it was kept from the last run)."""
        if article.slug not in self.where:
            return article
        offset, length = self.where[article.slug]
        full: Article = pickle.loads(self.bodies.read(offset, length))
        return full

    def streamed(self) -> None:
        """The articles are done: what only their turn needed (where their bodies wait, the
        digests of their sources, which POTs changed) is let go before the listings are rendered."""
        self.where.clear()
        self.read_as.clear()  # moved into each article's details meanwhile (tilmash.articles)
        self.changed_templates = frozenset()
        self.bodies.close()


PARSE_CHUNK = 512  # sources parsed at a time: their pickled bodies are in flight, not the newsroom's
SPILL_FROM = 2000  # sources from which parsed articles wait on disk (below: in memory, ~15 MiB at most)
# Editions (articles parsed × locales) from which what the articles leave waits on disk too: their
# units, the units' details and listing editions (tilmash.articles, tilmash.listings). Up to this,
# a few MiB, they are held: pickling them and reading them back cost a tenth of a cold run's time.
HELD_EDITIONS = 2000


def read_sources(
    config: Config,
    report: RunReport,
    now: dt.datetime,
    mapper: Mapper = map,
    units: UnitStore | None = None,
    run_key: str = "",
    seen: Mapping[str, str] | None = None,
) -> Sources:
    """Parse the sources and find whose POT changed (nothing written).

    A source whose unit in `units` still matches its files is not read again (tilmash.units);
    `seen`: the stats of the run's calm scan by path below the root (state.Inputs), not taken again.
    """
    units = units or UnitStore()
    if not config.sources_dir.is_dir():
        report.errors.append(f"{config.sources_dir}: no sources/ directory with English articles")
        paths = []
    else:
        paths = source_files(config.sources_dir)
    matched = {path: unit for path in paths if (unit := unchanged_unit(config, path, units, run_key, seen))}
    todo = [p for p in paths if p not in matched]
    bodies = Spill()
    where: dict[int, tuple[int, int]] = {}
    fresh: list[Parsed] = []
    read_as: dict[Path, bytes] = {}
    try:  # one listing, not a failed open per article, in a run that writes the POTs anew
        templates = frozenset(os.listdir(config.templates_dir)) if todo else frozenset()
    except OSError:
        templates = frozenset()
    spill = len(todo) > SPILL_FROM
    for start in range(0, len(todo), PARSE_CHUNK):
        for done in mapper(
            partial(_source_and_template, config=config, now=now, spill=spill, templates=templates),
            todo[start : start + PARSE_CHUNK],
        ):
            if done.body:
                where[id(done.article)] = bodies.append(done.body)
            fresh.append(Parsed(done.article, b"", done.image_errors, done.template_changed))
            if isinstance(done.article, Article):
                read_as[done.article.source_path] = done.digest
    parsed = iter(fresh)
    reused_ids: dict[int, Kept] = {}
    sources: list[Parsed] = []
    for path in paths:
        if path in matched:
            reused_ids[id(matched[path].article)] = matched[path]
            sources.append(Parsed(matched[path].article))
        else:
            sources.append(next(parsed))
    articles, source_errors = collect_sources(done.article for done in sources)
    reused = {a.slug: reused_ids[id(a)] for a in articles if id(a) in reused_ids}
    kept = set(map(id, articles))  # a duplicate slug's POT goes with the file that keeps the slug
    report.errors.extend(str(e) for e in source_errors)
    report.warnings.extend(w for a in articles for w in a.warnings)
    report.errors.extend(e for done in sources if id(done.article) in kept for e in done.image_errors)
    changed = frozenset(
        done.article.slug
        for done in sources
        if done.template_changed and id(done.article) in kept and isinstance(done.article, Article)
    )
    held = [
        article_path(locale, error.path.stem.lower())
        for error in source_errors
        for locale in config.site.locales
    ]
    where_by_slug = {a.slug: where[id(a)] for a in articles if id(a) in where}
    new = frozenset(slug for slug in changed if f"{slug}.pot" not in templates)
    spilled = spill or len(todo) * len(config.site.locales) > HELD_EDITIONS
    return Sources(articles, changed, held, reused, read_as, bodies, where_by_slug, new, spilled)


def held_pages(
    site: Path, held: list[str], pages: Collection[str], others: Iterable[tuple[str, bool]] = ()
) -> dict[str, bytes]:
    """The published version of each held page that this run does not produce itself (among
    `pages`, or the paths of `others`)."""
    wanted = set(held)
    produced = {path for path in pages if path in wanted} | {path for path, _ in others if path in wanted}
    kept = {}
    for relative in held:
        if relative not in produced:
            try:
                kept[relative] = (site / relative).read_bytes()
            except OSError:  # never published, or gone: nothing to keep
                continue
    return kept


def _entry_key(message: Message) -> tuple[str | None, str]:
    return message.context, message.id if isinstance(message.id, str) else message.id[0]


def _written_lines(
    config: Config, locale: str, name: str, catalog: Catalog
) -> tuple[Path, dict[tuple[str | None, str], int]]:
    """The catalog's path as error lines name it, and (msgctxt, msgid) → line of each entry in
    the catalog as this run writes it."""
    path = config.catalog_path(locale, name)
    written = parse_catalog(render_catalog(catalog), path, check_format=False)
    return path.relative_to(config.root), {_entry_key(m): m.lineno or 0 for m in written}


def gated(
    config: Config,
    locale: str,
    name: str,
    catalog: Catalog,
    context: CheckContext,
    block_on: frozenset[str],
    report: RunReport,
) -> set[tuple[str | None, str]]:
    """The (msgctxt, msgid) of the reviewed entries the gate blocks, each reported as an error."""
    from tilmash.i18n.gate import blocked

    found = {
        _entry_key(message): verdicts
        for message in messages(catalog)
        if message.context and is_reviewed(message) and (verdicts := blocked(message, context, block_on))
    }
    if found:
        where, lines = _written_lines(config, locale, name, catalog)
        report.errors += [
            f"{where}:{lines.get(unit, 0)}: error [{v.check.name}] {v.message} "
            "(reviewed, but not published until fixed)"
            for unit, verdicts in found.items()
            for v in verdicts
        ]
    return set(found)


@dataclass(frozen=True, slots=True)
class Online:
    """Which article pages are online now: a correction never takes them offline. The site is
    asked per article processed, not listed whole at the start (every locale's page names
    grew an edit run by ~0.3 KiB per article, for the one article it processes)."""

    site: str | None  # the published site; None: nothing is online

    def has(self, locale: str, slug: str) -> bool:
        """Whether `locale` has the article page of `slug` online (as its folder lists it)."""
        return (
            self.site is not None and slug != "index" and os.path.lexists(f"{self.site}/{locale}/{slug}.html")
        )


def status(config: Config) -> RunReport:
    """What `run` would publish now, without machine translation, rendering or writing."""
    from tilmash.articles import context, locale_reports, run_articles

    report = RunReport()
    now = dt.datetime.now(dt.UTC)
    sources = read_sources(config, report, now)
    ctx = context(config, now, False, {}, UnitStore(), sources)
    streamed = run_articles(ctx, sources.articles, report, None, map, lambda _: None)
    report.locales = locale_reports(config, streamed)
    report.notes = []  # `run --dry-run` says what would be written
    return report


def relative_ref(root: Path, path: Path) -> str:
    """`path` relative to `root` as a POSIX string, by slicing (relative_to makes two Paths)."""
    text, base = os.fspath(path), os.fspath(root)
    if os.sep == "/" and text.startswith(base + "/"):
        return text[len(base) + 1 :]
    return path.relative_to(root).as_posix()


def unchanged_unit(
    config: Config,
    path: Path,
    units: UnitStore,
    run_key: str,
    seen: Mapping[str, str] | None = None,
) -> Kept | None:
    """The unit kept for source `path` if none of its files changed since, else None. Files
    whose stamp is the one their unit was kept with are not read (tilmash.units.files_stamp).
    `seen`: as `read_sources` takes it."""
    unit = units.get(relative_ref(config.root, path))
    if unit is None:
        return None
    files = config.article_files(os.fspath(path), unit.article.slug)
    stamp = files_stamp(
        files, seen, f"{os.fspath(config.root)}/"
    )  # before they are read: a write after it changes the next one
    if stamp is not None and stamp == unit.stamp:
        return unit
    key = unit_key(
        run_key, read_or_absent(files[0]), read_or_absent(files[1]), map(read_or_absent, files[2:])
    )
    if key != unit.key:
        return None
    return unit if stamp == unit.stamp else replace(unit, record=replace(unit.record, stamp=stamp))


def units_run_key(config: Config, models: bytes | None = None) -> str:
    """The key of `units_run_parts`."""
    return run_key(units_run_parts(config, models))


def units_run_parts(config: Config, models: bytes | None = None) -> dict[str, bytes]:
    """What every page depends on besides its own article: tilmash.toml, UI and taxonomy catalogs,
    glossaries, static files, Tilmash's code and templates (edited in an editable install, or
    pulled into its checkout), the libraries rendering depends on and the installed models
    (`state.models_stamp`, taken here unless given: a unit may keep entries no model could fill)."""
    if models is None:
        models = models_stamp(config.packages_dir or argos_packages_dir(), config.models_registry)
    # The root too: kept articles hold absolute paths, so a copied newsroom starts cold.
    parts = {
        "root": os.fsencode(config.root.resolve()),
        "config": read_or_absent(config.root / "tilmash.toml"),
        "code": code_digest() + code_stamp().encode(),
        "models": models,
    }
    parts |= {name: read_or_absent(path) for name, path in _shared_catalogs(config).items()}
    parts["glossary"] = tree_digest(config.root / "glossary").encode()
    parts["static"] = layout_digest(config.root / "static")  # the files there, not their bytes
    return parts


def _shared_catalogs(config: Config) -> dict[str, str]:
    """Part name → path of the catalogs every page depends on that a run writes itself: each
    locale's UI and taxonomy catalogs."""
    return {
        f"{kind}:{locale}": os.fspath(config.catalog_path(locale, name))
        for locale in config.target_locales
        for kind, name in (("ui", UI_CATALOG), ("taxonomy", TAXONOMY_CATALOG))
    }


def changed_by_others(
    config: Config, before: Mapping[str, bytes], after: Mapping[str, bytes], written: Mapping[str, str]
) -> bool:
    """Whether a part of `units_run_parts` changed between `before` and `after` other than by
    the run's own writes (`written`: path → `stat_text` of each file the run wrote), which are
    its UI and taxonomy catalogs when they still hold what it wrote."""
    shared = _shared_catalogs(config)
    for name in before.keys() | after.keys():
        if before.get(name) == after.get(name):
            continue
        path = shared.get(name)
        if path is None:
            return True
        try:
            if written.get(path) != stat_text(os.stat(path)):
                return True
        except OSError:
            return True
    return False
