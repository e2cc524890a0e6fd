"""The stages wired together for one newsroom: sources → catalogs in memory → editions → reports.

`tilmash.runner` decides what is written; `status` uses the same steps and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.catalog import Catalog, Message
from babel.support import Translations

from tilmash.atomic import AtomicWriter
from tilmash.config import TAXONOMY_CATALOG, UI_CATALOG, Config
from tilmash.i18n import (
    CatalogError,
    article_template,
    catalog_progress,
    is_current_template,
    is_reviewed,
    messages,
    parse_catalog,
    render_catalog,
    reviewed_pairs,
    same_content,
    sync_catalog,
    template_bytes,
    template_version,
)
from tilmash.parallel import Mapper
from tilmash.render.pages import article_path
from tilmash.render.policy import LocalizedArticle, localize, source_edition
from tilmash.render.ui import compiled, shipped_translations, ui_template, unusable
from tilmash.report import LocaleReport, RunReport
from tilmash.sources import Article, SourceError, collect_sources, read_source, source_files
from tilmash.sources.assets import image_problems
from tilmash.sources.controls import control_warning, strip_controls
from tilmash.units import Unit, read_or_absent, run_key, tree_digest, unit_key

if TYPE_CHECKING:
    from tilmash.i18n.checks import CheckContext


@dataclass(slots=True)
class LocaleCatalogs:
    """The synced catalogs of one locale; `on_disk` holds the bytes read, to skip no-op writes."""

    locale: str
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    on_disk: dict[str, bytes] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    order: list[str] = field(default_factory=list)  # every article's slug, reused ones included
    reused: dict[str, list[tuple[Any, str]]] = field(default_factory=dict)  # slug → its kept reviewed pairs

    def memory(self) -> dict[tuple[str, Any], str]:
        """Reviewed translations of the locale by English text, from every catalog in article order."""
        return ordered_pairs(self.order or list(self.catalogs), self.catalogs, self.reused)


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
        data = path.read_bytes()
        catalog = parse_catalog(data, path, config.babel_locale(locale), check_format)
    except CatalogError as error:
        report.errors.append(f"{error} (catalog left untouched; fix it and run again)")
        return None
    except OSError as error:
        report.errors.append(f"{path}: cannot be read: {error.strerror or error} (catalog left untouched)")
        return None
    report.warnings += clean_translations(catalog, path)
    return catalog, data


def _read_existing(config: Config, locale: str, slugs: list[str], report: RunReport) -> LocaleCatalogs:
    result = LocaleCatalogs(locale)
    for slug in slugs:
        path = config.catalog_path(locale, slug)
        if not os.path.lexists(path):
            continue
        read = read_catalog(path, locale, config, report)
        if read is None:
            result.broken.add(slug)
        else:
            result.catalogs[slug], result.on_disk[slug] = read
    return result


def ordered_pairs(
    order: list[str], catalogs: Mapping[str, Catalog], reused: Mapping[str, list[tuple[Any, str]]]
) -> dict[tuple[str, Any], str]:
    """`reviewed_pairs` over catalogs read in this run and pairs kept from earlier ones, in `order`."""
    memory: dict[tuple[str, Any], str] = {}
    for slug in order:
        if slug in catalogs:
            for english, translation in reviewed_pairs([catalogs[slug]]).items():
                memory.setdefault(english, translation)
        for english, translation in reused.get(slug, ()):
            memory.setdefault(english, translation)
    return memory


def sync_locale(
    config: Config,
    locale: str,
    templates: dict[str, Catalog],
    report: RunReport,
    reused: Mapping[str, Unit] | None = None,
    order: list[str] | None = None,
) -> LocaleCatalogs:
    """Read this locale's catalogs and merge every article's current units (its template) into them.

    Articles in `reused` are not read: their reviewed pairs, kept from the run that made
    them, join the translation memory in article `order`.
    """
    existing = _read_existing(config, locale, list(templates), report)
    kept = {slug: unit.pairs[locale] for slug, unit in (reused or {}).items()}
    order = order or list(templates)
    memory = ordered_pairs(order, existing.catalogs, kept) if config.memory_exact_as_reviewed else {}
    synced = LocaleCatalogs(
        locale, on_disk=existing.on_disk, broken=existing.broken, order=order, reused=kept
    )
    for slug, template in templates.items():
        if slug in existing.broken:
            continue
        catalog = sync_catalog(template, existing.catalogs.get(slug), config.babel_locale(locale), memory)
        synced.catalogs[slug] = catalog
    return synced


@dataclass(slots=True)
class Prepared:
    """The newsroom read and synced in memory: what every later step works from."""

    articles: list[Article]
    templates: dict[str, Catalog]  # slug → the article's POT (built only when there are target locales)
    changed_templates: dict[str, tuple[bytes, bytes | None]]  # slug → new POT, the one on disk
    synced: dict[str, LocaleCatalogs]
    held: list[str] = field(default_factory=list)  # pages of skipped articles: their last version stays
    reused: dict[str, Unit] = field(default_factory=dict)  # slug → unchanged article kept from a run
    read_as: dict[Path, tuple[int, int]] = field(
        default_factory=dict
    )  # source → (size, mtime) before parsing


def dated(template: Catalog, now: dt.datetime) -> Catalog:
    """`template` created at the run's clock (`RunOptions.now`), not Babel's wall clock: its
    POT-Creation-Date, and that of every catalog first made from it."""
    template.creation_date = now
    return template


def catalog_changed(catalog: Catalog, old: bytes | None) -> bool:
    return old is None or not same_content(old, render_catalog(catalog))


def write_if_changed(
    path: Path, catalog: Catalog, old: bytes | None, now: dt.datetime, writer: AtomicWriter
) -> bool:
    """Stage `catalog` for an atomic write unless only its header dates would change."""
    revised, catalog.revision_date = catalog.revision_date, now
    data = render_catalog(catalog)
    if old is not None and same_content(old, data):
        catalog.revision_date = revised  # as on disk: the translation's date (feeds) did not change
        return False
    writer.write(path, data, old)
    return True


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
) -> dict[tuple[str, str], str]:
    """Reviewed translations of the tags and bylines of `locale` (`_taxonomy.po`), after the gate."""
    from tilmash.i18n.gate import blocking_checks
    from tilmash.i18n.taxonomy import reviewed_names, taxonomy_template
    from tilmash.quality import check_context

    refs = {a.slug: a.source_path.relative_to(config.root).as_posix() for a in articles}
    template = partial(taxonomy_template, articles, refs)
    catalog = sync_shared(config, locale, TAXONOMY_CATALOG, template, {}, report, now, writer)
    if catalog is None:
        return {}
    block_on = blocking_checks(config.policy.block_on)
    context = check_context(config, locale)
    blocked = _gated(config, locale, TAXONOMY_CATALOG, catalog, context, block_on, report)
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
    if writer is not None and write_if_changed(path, catalog, old, now, writer):
        report.catalogs_written += 1
    elif writer is None and catalog_changed(catalog, old):
        report.notes.append(f"would write {path.relative_to(config.root)}")
    return catalog


def ui_translations(
    config: Config, locale: str, report: RunReport, now: dt.datetime, writer: AtomicWriter | None
) -> Translations | None:
    """The theme's strings for `locale` (None: English). A translation that would break or
    garble a page is an `error:` line with its file and line, and shows in English."""
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
    return compiled(catalog, [message for message, _ in broken])


def _source_and_template(
    path: Path, config: Config, now: dt.datetime
) -> tuple[Article | SourceError, tuple[bytes, bytes | None] | None]:
    """One source file parsed, and its POT if that differs from the one on disk.

    The unit of work spread over the cores. A POT whose version says it was made from
    the same units is not rendered again; others are rendered and compared here, so
    unchanged ones never travel back to the main process.
    """
    article = read_source(path)
    if isinstance(article, SourceError):
        return article, None
    source_ref = path.relative_to(config.root).as_posix()
    try:
        old: bytes | None = config.template_path(article.slug).read_bytes()
    except FileNotFoundError:
        old = None
    if old is not None and is_current_template(old, template_version(article, source_ref)):
        return article, None
    data = template_bytes(article, source_ref, now)
    return article, None if old is not None and same_content(old, data) else (data, old)


def prepare(
    config: Config,
    report: RunReport,
    now: dt.datetime,
    mapper: Mapper = map,
    units: Mapping[str, Unit] | None = None,
    run_key: str = "",
) -> Prepared:
    """Load sources, render their POTs and sync every locale's catalogs in memory (nothing written).

    A source whose unit in `units` still matches its files is not read again (tilmash.units).
    """
    if not config.sources_dir.is_dir():
        report.errors.append(f"{config.sources_dir}: no sources/ directory with English articles")
        paths = []
    else:
        paths = source_files(config.sources_dir)
    matched = {path: unit for path in paths if (unit := unchanged_unit(config, path, units or {}, run_key))}
    read_as = {path: stat_line(path) for path in paths if path not in matched}
    fresh = iter(
        mapper(partial(_source_and_template, config=config, now=now), [p for p in paths if p not in matched])
    )
    parsed = [(matched[p].article, None) if p in matched else next(fresh) for p in paths]
    articles, source_errors = collect_sources(article for article, _ in parsed)
    reused_ids = {id(unit.article): unit for unit in matched.values()}
    reused = {a.slug: reused_ids[id(a)] for a in articles if id(a) in reused_ids}
    report.errors.extend(str(e) for e in source_errors)
    report.warnings.extend(w for a in articles for w in a.warnings)
    report.errors.extend(str(e) for a in articles for e in image_problems(a, config.root))
    kept = set(map(id, articles))  # a duplicate slug's POT goes with the file that keeps the slug
    changed_templates = {a.slug: pot for a, pot in parsed if id(a) in kept and pot is not None}
    templates = {}
    if config.target_locales:
        templates = {
            a.slug: dated(article_template(a, a.source_path.relative_to(config.root).as_posix()), now)
            for a in articles
            if a.slug not in reused
        }
    order = [a.slug for a in articles]
    synced = {
        locale: sync_locale(config, locale, templates, report, reused, order)
        for locale in config.target_locales
    }
    held = [
        article_path(locale, error.path.stem.lower())
        for error in source_errors
        for locale in config.site.locales
    ]
    held += [article_path(locale, slug) for locale, state in synced.items() for slug in sorted(state.broken)]
    return Prepared(articles, templates, changed_templates, synced, held, reused, read_as)


def held_pages(site: Path, held: list[str], produced: Collection[str]) -> dict[str, bytes]:
    """The published version of each held page that this run does not produce itself."""
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


def gate(config: Config, state: LocaleCatalogs, report: RunReport) -> dict[str, frozenset[str]]:
    """Per article, the reviewed units whose translation the publish gate keeps off the site.

    Each is an error (`file:line: error [check] message`): someone approved it, and it
    counts as not reviewed. Machine output is never reviewed; the policy decides on it.
    """
    from tilmash.i18n.gate import blocking_checks
    from tilmash.quality import check_context

    block_on = blocking_checks(config.policy.block_on)
    context = check_context(config, state.locale)
    withheld: dict[str, frozenset[str]] = {}
    for slug, catalog in state.catalogs.items():
        found = _gated(config, state.locale, slug, catalog, context, block_on, report)
        if found:
            withheld[slug] = frozenset(context for context, _ in found if context)
    return withheld


def _gated(
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


def editions_of(
    config: Config,
    articles: list[Article],
    synced: dict[str, LocaleCatalogs],
    report: RunReport,
    names: Mapping[str, Mapping[tuple[str, str], str]] | None = None,
    reused: Mapping[str, Unit] | None = None,
) -> dict[str, list[LocalizedArticle]]:
    """What each locale publishes: the policy applied to every catalog, after the publish gate.

    An article in `reused` publishes the editions kept with it.
    """
    reused = reused or {}
    editions: dict[str, list[LocalizedArticle]] = {
        config.site.source_locale: [source_edition(a, config.site.source_locale) for a in articles]
    }
    for locale, state in synced.items():
        withheld = gate(config, state, report)
        online = published_pages(config.public_dir, locale)
        localized = (
            reused[a.slug].editions[locale]
            if a.slug in reused
            else localize(
                a,
                locale,
                state.catalogs.get(a.slug),
                config.policy,
                withheld.get(a.slug, frozenset()),
                was_published=a.slug in online,
                names=(names or {}).get(locale),
            )
            for a in articles
        )
        editions[locale] = [e for e in localized if e is not None]
    return editions


def published_pages(site: Path, locale: str) -> frozenset[str]:
    """Slugs of the article pages `locale` has online now: a correction never takes them offline."""
    try:
        names = os.listdir(site / locale)
    except OSError:
        return frozenset()
    return frozenset(
        name[: -len(".html")] for name in names if name.endswith(".html") and name != "index.html"
    )


def locale_reports(
    config: Config,
    articles: list[Article],
    synced: dict[str, LocaleCatalogs],
    editions: dict[str, list[LocalizedArticle]],
    reused: Mapping[str, Unit] | None = None,
) -> list[LocaleReport]:
    reports = [
        LocaleReport(
            config.site.source_locale, published=len(articles), articles=len(articles), engine="source"
        )
    ]
    for locale, state in synced.items():
        line = LocaleReport(
            locale,
            published=len(editions[locale]),
            articles=len(state.catalogs) + len(reused or {}),
            engine=config.engines[locale],
            published_slugs={e.article.slug for e in editions[locale]},
        )
        for slug in state.order or list(state.catalogs):
            if slug in state.catalogs:
                line.by_article[slug] = catalog_progress(state.catalogs[slug])
            elif reused and slug in reused:
                line.by_article[slug] = reused[slug].progress[locale]
            else:
                continue
            line.progress.add(line.by_article[slug])
        reports.append(line)
    return reports


def static_assets(directory: Path, errors: list[str] | None = None) -> dict[str, bytes]:
    """The newsroom's `static/` files (images), published under `static/`.

    A symlink is followed only when it stays inside the newsroom: one pointing at
    /etc/passwd must not publish it. Such links, and unreadable files, go to `errors`.
    """
    if not directory.is_dir():
        return {}
    newsroom = directory.resolve().parent
    assets = {}
    for path in sorted(directory.rglob("*")):
        if path.name.startswith(".") or not path.is_file():
            continue
        if not path.resolve().is_relative_to(newsroom):
            if errors is not None:
                errors.append(f"{path}: a symlink to {path.resolve()}, outside the newsroom: not published")
            continue
        try:
            assets[f"static/{path.relative_to(directory).as_posix()}"] = path.read_bytes()
        except OSError as error:
            if errors is not None:
                errors.append(f"{path}: cannot be read: {error.strerror or error}")
    return assets


def status(config: Config) -> RunReport:
    """What `run` would publish now, without machine translation and without writing."""
    report = RunReport()
    prepared = prepare(config, report, dt.datetime.now(dt.UTC))
    editions = editions_of(config, prepared.articles, prepared.synced, report)
    report.locales = locale_reports(config, prepared.articles, prepared.synced, editions)
    return report


def stat_line(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


def unchanged_unit(config: Config, path: Path, units: Mapping[str, Unit], run_key: str) -> Unit | None:
    """The unit kept for source `path` if none of its files changed since, else None."""
    unit = units.get(path.relative_to(config.root).as_posix())
    if unit is None:
        return None
    slug = unit.article.slug
    i18n = os.fspath(config.i18n_dir)  # plain strings: a Path per file costs more than reading it
    key = unit_key(
        run_key,
        read_or_absent(path),
        read_or_absent(f"{i18n}/pot/{slug}.pot"),
        [read_or_absent(f"{i18n}/{locale}/{slug}.po") for locale in config.target_locales],
    )
    return unit if key == unit.key else None


def complete_units(
    config: Config,
    prepared: Prepared,
    editions: Mapping[str, list[LocalizedArticle]],
    report: RunReport,
    written: Collection[Path],
    run_key: str,
) -> dict[str, Unit]:
    """The units this run leaves complete, by source path, to be reused by the next run.

    Kept: reused units, and articles whose catalogs hold nothing for machine translation
    to fill, whose files are exactly what the run read or wrote, and about whose files the
    run said nothing (an error or warning is said again by every run that reads them).
    """
    published = {locale: {e.article.slug: e for e in shown} for locale, shown in editions.items()}
    progress = {line.locale: line.by_article for line in report.locales}
    said = "\n".join(report.errors + report.warnings)
    held = set(prepared.held)
    units: dict[str, Unit] = {}
    for article in prepared.articles:
        source = article.source_path.relative_to(config.root).as_posix()
        if article.slug in prepared.reused:
            units[source] = prepared.reused[article.slug]
            continue
        catalogs = [config.catalog_path(locale, article.slug) for locale in config.target_locales]
        files = [article.source_path, config.template_path(article.slug), *catalogs]
        if any(str(p.relative_to(config.root)) in said for p in files) or any(
            article_path(locale, article.slug) in held for locale in config.site.locales
        ):
            continue
        source_bytes = read_or_absent(article.source_path)
        if stat_line(article.source_path) != prepared.read_as.get(article.source_path):
            continue  # edited while the run worked
        catalog_bytes = []
        for locale, path in zip(config.target_locales, catalogs, strict=True):
            state = prepared.synced[locale]
            catalog = state.catalogs.get(article.slug)
            data = read_or_absent(path)
            if (
                catalog is None
                or any(m.id and not m.string for m in messages(catalog))  # machine translation's to fill
                or (path not in written and data != state.on_disk.get(article.slug))
            ):
                break
            catalog_bytes.append(data)
        else:
            units[source] = Unit(
                unit_key(
                    run_key, source_bytes, read_or_absent(config.template_path(article.slug)), catalog_bytes
                ),
                article,
                {locale: published[locale].get(article.slug) for locale in config.target_locales},
                {locale: progress[locale][article.slug] for locale in config.target_locales},
                {
                    locale: list(reviewed_pairs([prepared.synced[locale].catalogs[article.slug]]).items())
                    for locale in config.target_locales
                },
            )
    return units


def units_run_key(config: Config) -> str:
    """What every page depends on besides its own article: tilmash.toml, UI and taxonomy catalogs,
    glossaries, static files."""
    # The root too: kept articles hold absolute paths, so a copied newsroom starts cold.
    parts = {
        "root": os.fsencode(config.root.resolve()),
        "config": read_or_absent(config.root / "tilmash.toml"),
    }
    for locale in config.target_locales:
        parts[f"ui:{locale}"] = read_or_absent(config.catalog_path(locale, UI_CATALOG))
        parts[f"taxonomy:{locale}"] = read_or_absent(config.catalog_path(locale, TAXONOMY_CATALOG))
    for name in ("glossary", "static"):
        parts[name] = tree_digest(config.root / name).encode()
    return run_key(parts)
