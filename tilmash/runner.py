"""`tilmash run`: the job cron calls. Locked, crash-safe, incremental, observable."""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from tilmash.atomic import AtomicWriter, SiteStage, remove_leftovers
from tilmash.config import Config
from tilmash.lock import catalog_write_lock, newsroom_lock
from tilmash.report import RunReport
from tilmash.state import (
    Inputs,
    RunState,
    entries_fingerprint,
    published_fingerprint,
    scan_inputs,
    site_entries,
    site_fingerprint,
)
from tilmash.translate.cluster_link import ClusterError, ClusterLink
from tilmash.translate.registry import argos_packages_dir

Log = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class RunOptions:
    dry_run: bool = False
    wait: bool = False
    import_feed: str | None = None
    now: dt.datetime | None = None
    cluster: str | None = None  # a Dask scheduler for the engine work; None: [runtime] cluster
    jobs: int | None = None  # processes for parsing and rendering; None: every available core


@contextmanager
def stage(log: Log, name: str, **counts: object) -> Iterator[dict[str, object]]:
    """Time one stage and log `stage=NAME key=value … seconds=S` when it ends."""
    started = time.perf_counter()
    fields = dict(counts)
    yield fields
    detail = " ".join(f"{key}={value}" for key, value in fields.items())
    log(f"stage={name} {detail} seconds={time.perf_counter() - started:.3f}".replace("  ", " "))


@contextmanager
def _few_collections() -> Iterator[None]:
    """The garbage collector run less often while a run works, then as before.

    A run makes millions of small objects (tokens, units, page values) and keeps few cycles;
    at the default threshold the collector ran some 190 times in a cold run of 1,000 articles,
    walking the whole heap in its older generations (4 % of the run). What exists before the
    run (the imported modules) is frozen out of its walks. So is, at exit, what the process
    still holds: the interpreter's last collection would walk it only to free what the system
    frees at once (30-40 ms after a cold run of 1,000 articles).
    """
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)  # before the last collection: atexit functions run first
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def run(config: Config, options: RunOptions = RunOptions(), log: Log = lambda _: None) -> RunReport:
    """Import (optionally), sync, machine-translate, write catalogs, publish — or say what would change."""
    state_dir = config.root / ".tilmash"
    with newsroom_lock(state_dir, wait=options.wait):
        if not options.dry_run:
            removed = remove_leftovers(config.root, config.public_dir)
            if removed:
                log(f"stage=recover leftovers_removed={removed}")
        import_errors, import_warnings = _import(config, options, log)
        state_path = state_dir / "state.json"
        previous = RunState.load(state_path)
        # before anything is read; the models where `tilmash models install` and `add-ct2` put them
        inputs = scan_inputs(config.root, config.packages_dir or argos_packages_dir(), config.models_registry)
        site_before = site_entries(config.public_dir) if config.public_dir.is_dir() else None
        site_now = entries_fingerprint(site_before) if site_before is not None else ""
        site_intact = site_before is not None and previous.site_fingerprint == site_now
        unchanged = not options.dry_run and previous.fingerprint == inputs.fingerprint() and site_intact
        summary = previous.saved_summary(state_path) if unchanged else None
        if summary is not None:
            log("stage=noop reason=inputs-unchanged")
            replayed = RunReport.replay(summary, previous.errors)
            replayed.errors += import_errors
            replayed.warnings += import_warnings
            return replayed
        from tilmash.parallel import WorkerFailed  # here: a no-op run never loads multiprocessing
        from tilmash.units import UnitsDamaged

        writer = AtomicWriter()
        link = _cluster_link(config, options)  # connects when the first chunk is sent, if ever
        try:
            with _few_collections():
                try:
                    report, published = _full_run(
                        config, options, log, writer, link, site_intact, inputs, site_before, site_now
                    )
                # met before publishing (articles or listings): catalogs it committed are what the
                # run again writes too; the site is not touched yet
                except UnitsDamaged as damaged:
                    writer.discard()
                    writer = AtomicWriter()
                    log("stage=recover units=damaged")
                    report, published = _full_run(
                        config, options, log, writer, link, False, inputs, site_before
                    )
                    report.warnings.append(f"{damaged}: this run redid every article and kept them anew")
        except (OSError, WorkerFailed, ClusterError) as error:
            writer.discard()
            report = RunReport(errors=[_failure(error)])
            report.errors += import_errors
            report.warnings += import_warnings
            return report  # no state saved: the next run does it all again
        finally:
            if link is not None:
                link.close()
        if not options.dry_run and not report.deferred:  # a deferred catalog must not look up to date
            # What the run read at its start, plus only what it wrote itself: a file saved
            # while the run worked stays new to the next run. The import's errors are not
            # kept: every run imports again and reports its own. A catalog whose sync approved a
            # translation again stays new too (RunReport.restored).
            restored = set(report.restored)
            written = {path: stat for path, stat in writer.written.items() if path not in restored}
            RunState(
                inputs.fingerprint(written, config.root),
                published if published is not None else site_fingerprint(config.public_dir),
                list(report.errors),
                report.saved(),
            ).save(state_path)
        report.errors += import_errors
        report.warnings += import_warnings
        return report


def _failure(error: Exception) -> str:
    """The `error:` line of a run that could not finish: full disk, read-only public/, killed
    worker, unreachable cluster (met before the commit stage: nothing is written)."""
    if isinstance(error, ClusterError):
        return f"{error}; nothing was written"
    if not isinstance(error, OSError):
        what = str(error).splitlines()[-1] if str(error).strip() else "a worker failed"
        return f"a parallel worker failed ({what}); the run stopped and the next one tries again"
    where = error.filename or "the newsroom"
    return (
        f"{where}: {error.strerror or error}: the run stopped; "
        "catalogs already written are complete, the published site is the previous one"
    )


def _cluster_link(config: Config, options: RunOptions) -> ClusterLink | None:
    """The link to the Dask scheduler the run should use (`--cluster`, else `[runtime] cluster`)."""
    address = options.cluster or config.cluster
    if not address or options.dry_run or not config.target_locales:
        return None
    return ClusterLink(address)


def _import(config: Config, options: RunOptions, log: Log) -> tuple[list[str], list[str]]:
    """Pull the English feed first when asked to: (errors, warnings). A refused feed changes no source."""
    if not options.import_feed or options.dry_run:
        return [], []
    from tilmash.feed_sync import import_feed
    from tilmash.sources.feed_import import FeedError

    with stage(log, "import") as fields:
        try:
            imported = import_feed(config.sources_dir, options.import_feed, options.now)
        except FeedError as error:
            fields["failed"] = 1
            return [
                f"{error.located(options.import_feed)} (feed refused: no source was changed; "
                "the run went on with the sources as they are)"
            ], []
        except OSError as error:
            fields["failed"] = 1
            return [f"{config.sources_dir}: feed import failed: {error}"], []
        fields.update(new=len(imported.new), updated=len(imported.updated), errors=len(imported.errors))
    return imported.errors, imported.warnings


def _scanned(inputs: Inputs | None) -> dict[str, str] | None:
    """The scan's stats by path, for the stamps of unchanged articles' files when they hold
    (`Inputs.calm`); the inputs keep them packed from now on."""
    if inputs is None or inputs.packed:
        return None
    files = inputs.hand_over()
    return files if inputs.calm else None


def _full_run(
    config: Config,
    options: RunOptions,
    log: Log,
    writer: AtomicWriter,
    client: Any = None,
    site_intact: bool = False,
    inputs: Inputs | None = None,
    site_before: Mapping[str, str] | None = None,
    site_now: str = "",
) -> tuple[RunReport, str | None]:
    """Everything a run does after the no-op check. Unchanged articles are reused from
    `.tilmash/units.pickle` (tilmash.units); their pages too when the published site is
    the one the last run left (`site_intact`). Articles stream through tilmash.articles:
    the run holds listings and reports, not the newsroom. `inputs`: the run's scan, whose
    stats stand for its input files' when it was calm; `site_now`: the fingerprint of
    `site_before`, the site the saved page keys must describe. Returns the report and the published
    site's fingerprint (state.published_fingerprint, from `site_before`), None if it published
    nothing."""
    # The stages are imported here, not at the top: a no-op run (the common case under
    # cron) then never loads Jinja2, the Markdown parser or the MT engine.
    from tilmash.articles import Streamed, context, kept_units, locale_reports, run_articles
    from tilmash.parallel import available_cores, fork_map
    from tilmash.pipeline import (
        LocaleCatalogs,
        changed_by_others,
        held_pages,
        read_sources,
        taxonomy_names,
        taxonomy_used,
        ui_translations,
        units_run_parts,
    )
    from tilmash.render.babel_answers import BabelAnswers
    from tilmash.render.feed_bodies import FeedBodies
    from tilmash.render.page_keys import PageKeys, load_page_keys, save_page_keys
    from tilmash.render.site import index_files, locale_pages
    from tilmash.shared import SharedCache
    from tilmash.static_files import publish_static, static_files
    from tilmash.units import UnitStore, load_units, run_key, save_units

    now = options.now or dt.datetime.now(dt.UTC)
    mapper = partial(fork_map, jobs=options.jobs or available_cores())
    report = RunReport()
    write = not options.dry_run
    units_path = config.root / ".tilmash" / "units.pickle"
    keys_path = config.root / ".tilmash" / "pages.json"
    models = inputs.models if inputs is not None else None  # as the run found them at its start
    with stage(log, "sources") as fields:
        parts = units_run_parts(config, models) if write else {}
        key = run_key(parts) if write else ""  # a dry run reads everything
        # Kept editions assume the published pages the last run left (an article online stays online).
        units = load_units(units_path, key, report.warnings.append) if write and site_intact else UnitStore()
        sources = read_sources(
            config,
            report,
            now,
            mapper,
            units,
            key,
            _scanned(inputs),  # held only while the sources are read
        )
        articles = sources.articles
        fields.update(articles=len(articles), reused=len(sources.reused), errors=len(report.errors))
    ui, names = {}, {}
    shared_path = config.root / ".tilmash" / "shared.pickle"
    shared = SharedCache.load(shared_path) if write else None
    used = taxonomy_used(articles) if shared is not None and config.target_locales else None
    for locale in config.target_locales:
        translations = ui_translations(config, locale, report, now, writer if write else None, shared, key)
        if translations is not None:
            ui[locale] = translations
        names[locale] = taxonomy_names(
            config, locale, articles, report, now, writer if write else None, shared, key, used
        )
    filled: dict[str, int] = {}
    failed: dict[str, int] = {}

    def translate(catalogs: LocaleCatalogs, fields: dict[str, object]) -> None:
        """Machine translation (or, in a dry run, what it would be given) for one locale."""
        from tilmash.i18n import pending_messages

        locale = catalogs.locale
        pending = len(pending_messages(catalogs.catalogs.values()))
        if not write:
            fields["pending"] = pending
            if pending:
                report.notes.append(
                    f"{locale}: would send {pending} untranslated entries to machine translation"
                )
            return
        fields.update(memory=0, engine=0, flagged=0, sentences=0, model_failed=0)
        if not pending:  # nothing to fill: an edit run never loads the engines' modules
            return
        from tilmash.machine import machine_translate

        said = len(report.errors)
        outcome = machine_translate(config, catalogs, now.date(), report, client)
        # what is left untranslated stays so until the memory, the settings or the models change
        catalogs.settled = not outcome.engine_used and len(report.errors) == said
        filled[locale] = outcome.from_engine + outcome.from_memory
        failed[locale] = outcome.model_failed
        fields.update(
            memory=outcome.from_memory,
            engine=outcome.from_engine,
            flagged=outcome.flagged,
            sentences=outcome.sentences,
            model_failed=outcome.model_failed,
        )

    answers_path = config.root / ".tilmash" / "babel.pickle"
    answers = BabelAnswers.load(answers_path)
    site = SiteStage(config.public_dir, dry_run=not write)
    streamed: Streamed | None = None
    try:
        with stage(log, "articles") as fields:
            pages = locale_pages(config.site, ui, answers)
            bodies_path = config.root / ".tilmash" / "feed_bodies.pickle"
            feed_bodies = FeedBodies.load(bodies_path, key) if units.index else FeedBodies()
            ctx = context(config, now, write, names, units, sources, pages, site, feed_bodies)
            current: dict[str, object] = {}

            @contextmanager
            def translate_stage(locale: str) -> Iterator[None]:
                with stage(log, "translate", locale=locale) as logged:
                    current["fields"] = logged
                    yield

            streamed = run_articles(
                ctx,
                articles,
                report,
                writer if write else None,
                mapper,
                lambda catalogs: translate(catalogs, current["fields"]),  # type: ignore[arg-type]
                translate_stage,
            )
            fields.update(pages=len(streamed.pages), written=report.catalogs_written)
            sources.streamed()
            ctx.changed_templates = frozenset()  # let go with the sources' copy: every article had its turn
        with stage(log, "commit") as fields, catalog_write_lock(config.root / ".tilmash"):
            fields["files"] = writer.commit()
            fields["skipped"] = len(writer.skipped)
        report.deferred = [str(p.relative_to(config.root)) for p in writer.skipped]
        report.notes += [
            f"{p} was edited during the run (review page or editor); it is synced on the next run"
            for p in report.deferred
        ]
        with stage(log, "render") as fields:
            listed = {
                locale: list(by_slug.values()) for locale, by_slug in streamed.listings.by_locale.items()
            }
            latest = {locale: [e for _, _, e in heap] for locale, heap in streamed.latest.items()}
            # Listing, tag, feed and sitemap files are kept unread when their key is the one
            # they were published with, and the published site is the one the last run left.
            previous_keys = (
                load_page_keys(keys_path, site_now, report.warnings.append) if write and site_intact else {}
            )
            page_keys = PageKeys(previous_keys, site.keep) if write else None
            built = index_files(
                config.site,
                pages,
                listed,
                latest,
                site.put,
                mapper,
                page_keys,
                streamed.listed_digests,
                streamed.digest_feeds() if page_keys is not None else None,
                streamed.listings.edition,  # the listing editions wait on disk (tilmash.listings)
                feed_bodies,
            )
            built += publish_static(
                static_files(config.root / "static", report.errors), site, page_keys, report.errors
            )
            fields["kept"] = len(page_keys.kept) if page_keys is not None else 0
            held = sources.held + streamed.held
            built += [
                (path, site.put(path, data))
                for path, data in held_pages(config.public_dir, held, streamed.pages, built).items()
            ]
            # Sorted lists, not sets: the site's every path is held once (a cold run of 10,000
            # articles publishes 45,000 files); a page made twice (an article whose page is an
            # index page's path) counts once among the files, as often as written among the changed.
            produced = streamed.pages + [path for path, _ in built]
            produced.sort()
            produced = [path for at, path in enumerate(produced) if not at or path != produced[at - 1]]
            changed_files = streamed.changed + [path for path, changed in built if changed]
            changed_files.sort()
            fields["files"] = len(produced)
    except BaseException:
        site.discard()
        for opened in (units, sources.bodies, streamed):  # a run stopped midway (an `error:` line)
            if opened is not None:  # leaves no file open in its process
                opened.close()
        raise
    report.locales = locale_reports(config, streamed)
    published: str | None = None
    with stage(log, "publish") as fields, closing(units), closing(sources.bodies), closing(streamed):
        if write:
            report.files_written = len(site.publish(produced, changed_files))
            fields["written"] = report.files_written
            published = published_fingerprint(config.public_dir, site_before or {}, produced, changed_files)
            if page_keys is not None:  # only now: they describe the site just published
                save_page_keys(keys_path, page_keys.current, published)
            answers.save(answers_path)
            if not report.deferred:  # what the next run may reuse (tilmash.units)
                # keyed with what the run read and wrote: an input changed meanwhile by someone
                # else (tilmash.toml, a glossary) means the next run redoes every article
                now_parts = units_run_parts(config, models)
                ended_key = run_key(now_parts)
                if changed_by_others(config, parts, now_parts, writer.written):
                    fields["units_kept"] = save_units(units_path, ended_key, (), units)
                else:
                    kept = kept_units(config, streamed, ctx, report, held, ended_key)
                    fields["units_kept"] = save_units(units_path, ended_key, kept, units)
                    if shared is not None:
                        shared.save(shared_path, ended_key, writer.written)
                    feed_bodies.save(bodies_path, ended_key, streamed.feed_digests)
        else:
            stale = site.stale(produced)
            report.files_written = len(changed_files)
            fields.update(would_write=len(changed_files), would_remove=len(stale))
            report.notes += [f"would publish public/{p}" for p in changed_files]
            report.notes += [f"would remove public/{p}" for p in stale]
    for line in report.locales:
        line.machine_filled = filled.get(line.locale, 0)
        line.model_failed = failed.get(line.locale, 0)
    return report, published
