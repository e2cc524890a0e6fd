"""The articles of a run, streamed: each is synced, written, gated, localized and rendered in turn,
and only what listings, feeds, reports and the units file need is kept of it.

Memory stays bounded by the articles in flight, not by the newsroom: a catalog, an
article's body and its pages are dropped once the article is done. An article whose
catalogs translation memory or machine translation may fill is set aside (`Outcome.wanted`)
and finished after the whole locale's memory is known; only those articles are held.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import pickle
import struct
from collections.abc import Callable, Iterable, Iterator, KeysView, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.catalog import Catalog

from tilmash.atomic import AtomicWriter, SiteStage, Staged
from tilmash.config import Config
from tilmash.i18n import (
    Progress,
    article_template,
    catalog_progress,
    memory_replaceable,
    memory_wanted,
    messages,
    reviewed_pairs,
    sync_catalog,
    template_bytes,
)
from tilmash.listings import Listed, Listings, unpickled_edition
from tilmash.parallel import Mapper
from tilmash.pipeline import (
    LocaleCatalogs,
    Online,
    Sources,
    catalog_changed,
    dated,
    gated,
    read_catalog,
    relative_ref,
    write_if_changed,
)
from tilmash.render.feed_bodies import FeedBodies
from tilmash.render.page_keys import digests
from tilmash.render.pages import LocalePages, article_path
from tilmash.render.policy import LocalizedArticle, listing_article, listing_edition, localize, source_edition
from tilmash.render.site import article_files
from tilmash.report import LocaleReport, RunReport
from tilmash.sources import Article
from tilmash.sources.model import content_digest, pickled_as_arguments, quick_init
from tilmash.spill import Spill
from tilmash.units import (
    ABSENT,
    Kept,
    Listing,
    Record,
    Unit,
    UnitsDamaged,
    UnitStore,
    holds_any,
    key_digests,
    memory_digest,
    memory_digests,
    read_or_absent,
    read_stamped,
    unit_key,
    unit_payload,
    unpacked,
)

if TYPE_CHECKING:
    from tilmash.i18n.checks import CheckContext

CHUNK = 512  # articles handed to the workers at a time: what is in flight between them and the run
Key = tuple[dt.datetime, str]  # (date, slug): the order of listings and feeds


@dataclass(slots=True)
class Context:
    """What every article's work needs, made once before the articles stream (workers inherit it)."""

    config: Config
    now: dt.datetime
    write: bool
    names: Mapping[str, Mapping[tuple[str, str], str]]  # locale → reviewed tag and byline names
    online: Online  # the article pages online now
    checks: Mapping[str, CheckContext]
    block_on: frozenset[str]
    units: UnitStore
    reused: dict[str, Kept]  # slug → its unit kept from the last run (`stream` drops one it redoes)
    changed_templates: frozenset[str]  # slugs whose POT this run writes
    full: Callable[[Article], Article] = lambda article: article  # the article with its body
    pages: Mapping[str, LocalePages] | None = None  # None: nothing is rendered (status)
    site: SiteStage | None = None
    feed_after: dict[str, Key] = field(default_factory=dict)  # locale → the newest feed's oldest so far
    # source → (size, mtime) before parsing, of each source parsed; `Streamed.take` moves it
    # into the article's details
    read_as: dict[Path, bytes] = field(default_factory=dict)
    new_templates: frozenset[str] = frozenset()  # slugs whose POT did not exist when the sources were listed
    kept_wants: frozenset[bytes] = frozenset()  # every reused unit's `Record.wants`
    spill: bool = True  # what the articles leave waits on disk (`Sources.spilled`), not in memory
    kept_open: frozenset[str] = frozenset()  # the locales of every reused unit's `Record.open_in`
    feed_bodies: FeedBodies = field(default_factory=FeedBodies)  # the feed entries' bodies the last run kept


@dataclass(slots=True)
class Outcome:
    """What the run keeps of one article once it is done (or set aside: `wanted`)."""

    slug: str
    report: RunReport = field(default_factory=RunReport)
    staged: list[Staged] = field(default_factory=list)
    listing: dict[str, LocalizedArticle] = field(default_factory=dict)  # locale → listing edition
    listing_digests: dict[str, bytes] = field(default_factory=dict)  # locale → its digest, when rendering
    feed: dict[str, LocalizedArticle] = field(default_factory=dict)  # full editions the feeds may show
    progress: dict[str, Progress] = field(default_factory=dict)
    pages: list[tuple[str, bool]] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # pages of its unreadable catalogs
    wanted: dict[str, set[tuple[str, Any]]] | None = None  # set aside: memory keys its sync may use
    unit: bytes | None = None  # pickled Unit when nothing is left that machine translation could fill
    memory: bytes = b""  # with it, `memory_digests` of its reviewed pairs
    on_disk: dict[str, bytes] = field(default_factory=dict)  # locale → digest of the catalog read or written
    wants: bytes = b""  # with it, `key_digests` of the machine or memory output its catalogs keep
    reviewed_wanted: set[bytes] = field(default_factory=set)  # of `Context.kept_wants`, those it reviews
    open_in: tuple[str, ...] = ()  # with its unit: the locales it leaves untranslated entries in
    settled: frozenset[str] = frozenset()  # locales where those may stay (`LocaleCatalogs.settled`)
    # of `Context.kept_open`, those where its catalogs review English its last unit did not
    reviews_anew: set[str] = field(default_factory=set)
    restored: set[str] = field(default_factory=set)  # locales whose sync approved a translation again


def _digest(data: bytes | None) -> bytes:
    return b"" if data is None else content_digest(data)


def _source_ref(config: Config, article: Article) -> str:
    return relative_ref(config.root, article.source_path)


def _open(catalog: Catalog) -> bool:
    """Something for machine translation (or memory's near matches) to fill."""
    return any(m.id and not m.string for m in messages(catalog))


def _write_template(ctx: Context, article: Article, out: Outcome, writer: AtomicWriter | None) -> None:
    out.report.catalogs_written += 1
    if writer is not None:
        path = ctx.config.template_file(article.slug)
        data = template_bytes(article, _source_ref(ctx.config, article), ctx.now)
        # A POT missing when the sources were listed is not looked for again: one made since
        # then is not the one `expected`, and the writer leaves it alone at commit.
        old = ABSENT if article.slug in ctx.new_templates else read_or_absent(path)
        writer.write(path, data, None if old == ABSENT else old)


def work(ctx: Context, article: Article) -> Outcome:
    """One article through sync → write → gate → localize → pages, in a worker or the run itself."""
    out = Outcome(article.slug)
    writer = AtomicWriter() if ctx.write else None
    kept = ctx.reused.get(article.slug)
    if kept is None:
        article = ctx.full(article)
    if article.slug in ctx.changed_templates:
        _write_template(ctx, article, out, writer)
    if kept is not None:
        _reuse(ctx, kept, out)
    else:
        config = ctx.config
        template: Catalog | None = None  # made for the first target locale: an English-only run needs none
        synced: dict[str, tuple[Catalog, bytes | None]] = {}
        wanted: dict[str, set[tuple[str, Any]]] = {}
        set_aside = False
        for locale in config.target_locales:
            read = _read(ctx, article.slug, locale, out)
            if read is None:
                continue
            existing, data = read
            if existing is not None and (ctx.kept_wants or locale in ctx.kept_open):
                reviewed = reviewed_pairs([existing]).keys()  # what waiting units may take from it
                if ctx.kept_wants:
                    digested = map(memory_digest, reviewed)
                    out.reviewed_wanted.update(d for d in digested if d in ctx.kept_wants)
                if locale in ctx.kept_open and _reviews_anew(ctx, article, locale, reviewed):
                    out.reviews_anew.add(locale)
            if template is None:
                template = dated(article_template(article, _source_ref(config, article)), ctx.now)
            restored: list[tuple[str | None, Any]] = []
            catalog = sync_catalog(template, existing, config.babel_locale(locale), restored=restored)
            if restored:
                out.restored.add(locale)
            if config.memory_exact_as_reviewed:
                wanted[locale] = memory_wanted(template, existing)
            set_aside = set_aside or bool(wanted.get(locale)) or _open(catalog)
            synced[locale] = (catalog, data)
        if set_aside:  # read again, with its report lines, once the locale's memory is known
            out = Outcome(
                article.slug,
                wanted=wanted,
                report=RunReport(catalogs_written=out.report.catalogs_written),
                reviewed_wanted=out.reviewed_wanted,
                reviews_anew=out.reviews_anew,
            )
        else:
            finish(ctx, article, synced, out, writer)
    if writer is not None:
        out.staged = writer.hand_over()
    return out


def _reviews_anew(ctx: Context, article: Article, locale: str, reviewed: KeysView[Any]) -> bool:
    """Whether `reviewed` (the memory keys a catalog reviews) holds English that the article's
    last unit did not (or it has none): new to the locale's memory, it may be a near match for
    an entry a kept unit left open."""
    if not reviewed:
        return False
    last = ctx.units.get(_source_ref(ctx.config, article))
    if last is None or not last.memory:
        return True
    try:
        return not reviewed <= {key for key, _ in ctx.units.pairs(last).get(locale, [])}
    except UnitsDamaged:
        return True


def _read(ctx: Context, slug: str, locale: str, out: Outcome) -> tuple[Catalog | None, bytes | None] | None:
    """The catalog on disk and its bytes ((None, None): none yet); None when it cannot be read."""
    path = ctx.config.catalog_path(locale, slug)
    if not os.path.lexists(path):
        return None, None
    read = read_catalog(path, locale, ctx.config, out.report)
    if read is None:
        out.held.append(article_path(locale, slug))
        return None
    return read


def finish(
    ctx: Context,
    article: Article,
    synced: Mapping[str, tuple[Catalog, bytes | None]],
    out: Outcome,
    writer: AtomicWriter | None,
) -> None:
    """Write the article's synced catalogs, gate and localize them, render its pages."""
    config = ctx.config
    editions = {config.site.source_locale: source_edition(article, config.site.source_locale)}
    pairs = {}
    replaceable: set[tuple[str, Any]] = set()
    complete = len(synced) == len(config.target_locales)
    for locale, (catalog, old) in synced.items():
        path = config.catalog_path(locale, article.slug)
        final = old  # the catalog's bytes once the run is done: what the unit is made from
        if writer is not None:
            if (staged := write_if_changed(path, catalog, old, ctx.now, writer)) is not None:
                out.report.catalogs_written += 1
                final = staged
        elif catalog_changed(catalog, old):
            out.report.catalogs_written += 1
            out.report.notes.append(f"would write {path.relative_to(config.root)}")
        blocked = gated(config, locale, article.slug, catalog, ctx.checks[locale], ctx.block_on, out.report)
        edition = localize(
            article,
            locale,
            catalog,
            config.policy,
            frozenset(context for context, _ in blocked if context),
            was_published=ctx.online.has(locale, article.slug),
            names=_own_names(article, ctx.names.get(locale) or {}),
        )
        if edition is not None:
            editions[locale] = edition
        out.progress[locale] = catalog_progress(catalog)
        out.on_disk[locale] = _digest(final)
        if locale in out.restored:  # new to the next run, which gives the approval to the others
            out.report.restored.append(os.fspath(path))
            complete = False
        pairs[locale] = list(reviewed_pairs([catalog]).items())
        if _open(catalog):
            out.open_in += (locale,)
            complete = complete and locale in out.settled
        if complete and config.memory_exact_as_reviewed:
            replaceable |= memory_replaceable(catalog)
    if complete:
        targets = config.target_locales
        unit = Unit(article, {code: editions.get(code) for code in targets}, dict(out.progress))
        out.unit = unit_payload(unit, pairs)
        out.memory = memory_digests(pairs)
        out.wants = key_digests(replaceable)
    _publish(ctx, article, editions, out)


def _own_names(article: Article, names: Mapping[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """The reviewed names of the article's own tags and byline: all its pages look up. (The
    locale's whole table in every edition would be copied into every unit and listing.)"""
    own = [("tag", tag) for tag in article.tags] + [("author", article.author)]
    return {key: names[key] for key in own if key in names}


def _reuse(ctx: Context, kept: Kept, out: Outcome) -> None:
    """An article unchanged since the last run: its listing editions and progress as the units
    file's index keeps them (`Streamed.take` takes them from `kept`), its pages as published.
    The whole unit is read only for an edition the feeds may show whose body the last run did
    not keep (render.feed_bodies: else its listing edition will do), or a page not online."""
    key = (kept.article.date, kept.article.slug)
    feed = [locale for locale in kept.locales if (after := ctx.feed_after.get(locale)) is None or key > after]
    slug = kept.article.slug
    listed = [locale for locale in feed if ctx.feed_bodies.has(locale, slug, kept.feed_digests.get(locale))]
    if listed:
        pickled = ctx.units.listing(kept)
        out.feed = {locale: unpickled_edition(kept.article, pickled[locale]) for locale in listed}
        feed = [locale for locale in feed if locale not in listed]
    missing = []
    if ctx.site is not None and ctx.pages is not None:
        for locale in kept.locales:
            path = article_path(locale, kept.article.slug)
            if ctx.site.keep(path):  # the unit's pages are the published ones
                out.pages.append((path, False))
            else:
                missing.append(locale)
    if not feed and not missing:
        return
    unit = ctx.units.load(kept)
    source = ctx.config.site.source_locale
    editions = {source: source_edition(unit.article, source)}
    editions |= {locale: e for locale, e in unit.editions.items() if e is not None}
    out.feed |= {locale: editions[locale] for locale in feed}
    if missing and ctx.site is not None and ctx.pages is not None:
        files = article_files(ctx.config.site, ctx.pages, editions, missing)
        out.pages += [(path, ctx.site.put(path, data)) for path, data in files.items()]


def _publish(ctx: Context, article: Article, editions: Mapping[str, LocalizedArticle], out: Outcome) -> None:
    key = (article.date, article.slug)
    listed = listing_article(article)
    for locale, edition in editions.items():
        out.listing[locale] = listing_edition(edition, listed)
        after = ctx.feed_after.get(locale)
        if after is None or key > after:
            out.feed[locale] = edition
    if ctx.site is None or ctx.pages is None:
        return
    # the page keys of the listings (render.site) take them from here and from kept units' records
    out.listing_digests = dict(zip(out.listing, digests(out.listing.values()), strict=True))
    files = article_files(ctx.config.site, ctx.pages, editions, list(editions))
    out.pages += [(path, ctx.site.put(path, data)) for path, data in files.items()]


_SPILLED = struct.Struct("<II")  # a fresh candidate in the spill file: its unit's length, its details'


@pickled_as_arguments  # pickled and unpickled once per article processed
@quick_init
@dataclass(frozen=True, slots=True)
class Details:
    """What the next run's units index needs of an article the run processed, besides its unit:
    pickled into the spill file with the unit (`Streamed.take`) when the run parsed many editions
    (pipeline.HELD_EDITIONS), not held until the run ends."""

    listed: Listed  # its listing editions (in `Streamed.listings`)
    article: Article  # its listing article: source path and slug
    on_disk: dict[str, bytes]
    memory: bytes  # `memory_digests` of its reviewed pairs
    listing_digests: dict[str, bytes]
    progress: dict[str, Progress]
    read_as: bytes | None  # `content_digest` of its source's bytes as parsed
    wants: bytes  # `Record.wants`
    open_in: tuple[str, ...]  # `Record.open_in`


@dataclass(slots=True)
class Streamed:
    """Everything the run keeps of its articles: listings, the newest editions, progress, units."""

    listings: Listings  # locale → slug → listing edition, on disk
    latest: dict[str, list[tuple[Key, int, LocalizedArticle]]]  # locale → heap of the newest
    listed_digests: dict[str, dict[str, bytes]] = field(default_factory=dict)  # locale → slug → its digest
    feed_digests: dict[str, dict[str, bytes]] = field(default_factory=dict)  # locale → slug → full edition's
    progress: dict[str, dict[str, Progress]] = field(default_factory=dict)  # locale → slug → progress
    pages: list[str] = field(default_factory=list)  # every article page staged
    changed: list[str] = field(default_factory=list)  # those written anew (the others linked)
    held: list[str] = field(default_factory=list)
    # each article whose unit the next run may reuse, if the run ends as it should: its Kept unit
    # when reused, else where its pickled unit and `Details` are in `spill` (both held instead,
    # unless `spilling`)
    candidates: list[Kept | int | tuple[bytes, Details]] = field(default_factory=list)
    spill: Spill = field(default_factory=Spill)
    order: list[str] = field(default_factory=list)  # every article's slug, in the newsroom's order
    count: int = 0
    spilling: bool = True  # units and `Details` go to `spill`; else they are held (`Context.spill`)

    def take(self, ctx: Context, out: Outcome, report: RunReport, writer: Any) -> None:
        """Merge one article's outcome into the run; its unit and `Details` wait in the spill file,
        or are held when the run parsed few editions (`spilling`)."""
        kept = ctx.reused.get(out.slug)
        if kept is not None:
            digested, progress = kept.listing_digests, kept.progress
            self.listings.add_kept(kept)
        else:
            digested, progress = out.listing_digests, out.progress
            listed = self.listings.add(out.listing)
        report.absorb(out.report)
        if writer is not None:
            writer.adopt(out.staged)
        for path, changed in out.pages:  # no tuple held per page
            self.pages.append(path)
            if changed:
                self.changed.append(path)
        self.held += out.held
        alike: dict[tuple[int, ...], Progress] = {}  # one object for the locales counting the same
        for locale, counted in progress.items():
            if kept is None:  # a kept article's are held by its record anyway
                counted = alike.setdefault(counted.__reduce__()[1], counted)
            self.progress.setdefault(locale, {})[out.slug] = counted
        for locale, listing_digest in digested.items():
            self.listed_digests.setdefault(locale, {})[out.slug] = listing_digest
        for locale, edition in out.feed.items():
            if kept is not None and locale in kept.feed_digests:
                self.feed_digests.setdefault(locale, {})[out.slug] = kept.feed_digests[locale]
            heap = self.latest.setdefault(locale, [])
            self.count += 1
            heapq.heappush(heap, ((edition.article.date, edition.article.slug), self.count, edition))
            if len(heap) > ctx.config.site.feed_items:
                heapq.heappop(heap)
            floor = ctx.feed_after.get(locale)
            if len(heap) >= ctx.config.site.feed_items and (floor is None or heap[0][0] > floor):
                ctx.feed_after[locale] = heap[0][0]
        if kept is not None:
            self.candidates.append(kept)
        elif out.unit is not None:
            article = out.listing[ctx.config.site.source_locale].article
            details = Details(
                listed,
                article,
                out.on_disk,
                out.memory,
                digested,
                progress,
                ctx.read_as.pop(article.source_path, None),
                out.wants,
                out.open_in,
            )
            if self.spilling:
                pickled = pickle.dumps(details, protocol=pickle.HIGHEST_PROTOCOL)
                offset, _ = self.spill.append(_SPILLED.pack(len(out.unit), len(pickled)) + out.unit + pickled)
                self.candidates.append(offset)
            else:
                self.candidates.append((out.unit, details))
            out.unit = None

    def candidate(self, entry: int | tuple[bytes, Details]) -> tuple[bytes, Details]:
        """The pickled unit and the details of a fresh candidate: at `entry` in the spill file, or
        `entry` itself when they are held."""
        if isinstance(entry, tuple):
            return entry
        unit_length, details_length = _SPILLED.unpack(self.spill.read(entry, _SPILLED.size))
        data = self.spill.read(entry + _SPILLED.size, unit_length + details_length)
        details: Details = pickle.loads(data[unit_length:])
        return data[:unit_length], details

    def close(self) -> None:
        """The files its listing editions and units wait in."""
        self.listings.close()
        self.spill.close()

    def digest_feeds(self) -> dict[str, dict[str, bytes]]:
        """`feed_digests`, made for every edition the feeds show whose unit did not bring its
        own (the feeds' page keys are made of them; the next run reuses them with the unit)."""
        missing = [
            (locale, edition)
            for locale, heap in self.latest.items()
            for _, _, edition in heap
            if edition.article.slug not in self.feed_digests.get(locale, {})
        ]
        made = digests(edition for _, edition in missing)
        for (locale, edition), made_digest in zip(missing, made, strict=True):
            self.feed_digests.setdefault(locale, {})[edition.article.slug] = made_digest
        return self.feed_digests


def stream(
    ctx: Context,
    articles: list[Article],
    report: RunReport,
    writer: AtomicWriter | None,
    mapper: Mapper = map,
) -> tuple[Streamed, list[tuple[Article, Outcome]]]:
    """Every article through `work`, CHUNK at a time; returns what is kept and the articles set aside.

    `articles` is emptied as they are done (`Streamed.order` keeps their slugs): the run holds
    no article past its turn. Articles reused from the last run are done here, not by the
    workers: linking their pages costs less than sending their outcomes back (an edit run
    forks no worker at all)."""
    streamed = Streamed(Listings(ctx.units, held=not ctx.spill), {}, spilling=ctx.spill)
    aside: list[tuple[Article, Outcome]] = []

    def done(article: Article, out: Outcome) -> None:
        if out.wanted is not None:
            if writer is not None:
                writer.adopt(out.staged)
            report.catalogs_written += out.report.catalogs_written
            aside.append((ctx.full(article), out))
        else:
            streamed.take(ctx, out, report, writer)

    # Units keeping machine output, or untranslated entries, wait for every article read: one
    # is done again when a catalog now reviews the same English (a twin the memory gives it),
    # or English new to a locale it left entries open in (a near match), the others reused.
    waiting: list[Article] = []
    reviewed: set[bytes] = set()  # of the memory keys they want, those found reviewed
    anew: set[str] = set()  # the locales with English reviewed anew
    while articles:
        chunk = articles[:CHUNK]
        del articles[:CHUNK]
        fresh = iter(mapper(partial(work, ctx), [a for a in chunk if a.slug not in ctx.reused]))
        for article in chunk:
            streamed.order.append(article.slug)
            kept = ctx.reused.get(article.slug)
            if kept is not None and (kept.record.wants or kept.record.open_in):
                waiting.append(article)
                continue
            out = work(ctx, article) if kept is not None else next(fresh)
            reviewed |= out.reviewed_wanted
            anew |= out.reviews_anew
            done(article, out)
    for article in waiting:
        kept = ctx.reused[article.slug]
        if holds_any(kept.record.wants, reviewed) or anew.intersection(kept.record.open_in):
            del ctx.reused[article.slug]
            article = ctx.units.load(kept).article
        done(article, work(ctx, article))
    return streamed, aside


def locale_memories(
    ctx: Context,
    order: Sequence[str],
    read: Mapping[str, Mapping[str, Catalog | None]],
    keys: Mapping[str, set[tuple[str, Any]] | None],
) -> dict[str, dict[tuple[str, Any], str]]:
    """Per locale, its reviewed translations (of `keys[locale]` only, unless None) in article
    order, the first one winning: catalogs in `read[locale]` as they are, the others read again,
    kept units' pairs. One pass over the newsroom for every locale asked for."""
    memories: dict[str, dict[tuple[str, Any], str]] = {locale: {} for locale in keys}
    # Only a kept unit holding one of the keys asked for is read (all of them for a whole memory).
    digests = None if None in keys.values() else {memory_digest(k) for w in keys.values() if w for k in w}
    for slug in order:
        kept = ctx.reused.get(slug)
        # (a unit reviewing nothing, as most do in a newsroom whose translators are behind, has none)
        held = kept.memory if kept is not None else b""
        holds = bool(held) and (digests is None or holds_any(held, digests))
        kept_pairs = ctx.units.pairs(kept) if kept is not None and holds and keys else {}
        for locale, wanted in keys.items():
            if kept is not None:
                pairs = kept_pairs.get(locale, [])
            else:
                catalog = read[locale][slug] if slug in read[locale] else _again(ctx, slug, locale)
                pairs = list(reviewed_pairs([catalog]).items()) if catalog is not None else []
            memory = memories[locale]
            for english, translation in pairs:
                if wanted is None or english in wanted:
                    memory.setdefault(english, translation)
    return memories


def _again(ctx: Context, slug: str, locale: str) -> Catalog | None:
    """A catalog the run finished with, read again for the memory (its report lines were said)."""
    path = ctx.config.catalog_path(locale, slug)
    again = read_catalog(path, locale, ctx.config, RunReport()) if os.path.lexists(path) else None
    return again[0] if again else None


def _whole_memory(
    ctx: Context, locale: str, order: Sequence[str], read: Mapping[str, Catalog | None]
) -> dict[tuple[str, Any], str]:
    return locale_memories(ctx, order, {locale: read}, {locale: None})[locale]


def translate_aside(
    ctx: Context,
    aside: list[tuple[Article, Outcome]],
    order: Sequence[str],
    translate: Callable[[LocaleCatalogs], None],
    log_stage: Callable[..., Any],
) -> Iterator[tuple[Article, Outcome, dict[str, tuple[Catalog, bytes | None]]]]:
    """The articles set aside, synced with their locale's memory and machine-translated (each
    locale's `translate`), ready for `finish`. Only here does a run hold catalogs together."""
    config = ctx.config
    templates = {a.slug: dated(article_template(a, _source_ref(config, a)), ctx.now) for a, _ in aside}
    outcomes = {a.slug: Outcome(a.slug) for a, _ in aside}
    existing: dict[str, dict[str, Catalog | None]] = {locale: {} for locale in config.target_locales}
    on_disk: dict[tuple[str, str], bytes | None] = {}
    for article, _ in aside:
        for locale in config.target_locales:
            read = _read(ctx, article.slug, locale, outcomes[article.slug])
            if read is not None:
                existing[locale][article.slug], on_disk[locale, article.slug] = read
    keys = {
        locale: wanted
        for locale in config.target_locales
        if (wanted := set().union(*(out.wanted.get(locale, set()) for _, out in aside if out.wanted)))
    }
    memories = locale_memories(ctx, order, existing, keys) if keys else {}
    synced: dict[str, dict[str, tuple[Catalog, bytes | None]]] = {a.slug: {} for a, _ in aside}
    settled = set()
    for locale in config.target_locales:
        with log_stage(locale=locale):
            state = LocaleCatalogs(locale, pairs=partial(_whole_memory, ctx, locale, order, existing[locale]))
            for slug, old in existing[locale].items():
                memory = memories.get(locale, {})
                restored: list[tuple[str | None, Any]] = []
                babel = config.babel_locale(locale)
                state.catalogs[slug] = sync_catalog(templates[slug], old, babel, memory, restored)
                if restored:
                    outcomes[slug].restored.add(locale)
                synced[slug][locale] = (state.catalogs[slug], on_disk[locale, slug])
            translate(state)
            if state.settled:
                settled.add(locale)
    for out in outcomes.values():
        out.settled = frozenset(settled)
    for article, _ in aside:
        yield article, outcomes[article.slug], synced[article.slug]


def locale_reports(config: Config, streamed: Streamed) -> list[LocaleReport]:
    """A line per locale; each locale's progress is moved out of `streamed` into its line."""
    order = streamed.order
    source = config.site.source_locale
    reports = [LocaleReport(source, published=len(order), articles=len(order), engine="source")]
    for locale in config.target_locales:
        listed = streamed.listings.by_locale.get(locale, {})
        progress = streamed.progress.pop(locale, {})  # moved into the report, in the newsroom's order
        line = LocaleReport(
            locale,
            published=len(listed),
            articles=len(progress),
            engine=config.engines[locale],
            published_slugs=set(listed),
        )
        for slug in order:
            if slug in progress:
                line.by_article[slug] = progress[slug]
                line.progress.add(progress[slug])
        reports.append(line)
    return reports


def kept_units(
    config: Config,
    streamed: Streamed,
    ctx: Context,
    report: RunReport,
    held: list[str],
    run_key: str,
) -> Iterator[tuple[Record, Listing | None, bytes | Kept]]:
    """(index record, listing editions, pickled Unit) or (record, None, the Kept one) of each
    unit this run leaves complete, for the next run (`units.save_units`).

    Kept: reused units, and articles whose catalogs hold nothing for machine translation to
    fill (or only what no engine could: `LocaleCatalogs.settled`), whose files are exactly
    what the run read or wrote, and about whose files the run said nothing (an error or
    warning is said again by every run that reads them).
    """
    said = "\n".join(report.errors + report.warnings)
    held_pages = set(held)
    root = os.fspath(config.root)
    for candidate in streamed.candidates:
        if isinstance(candidate, Kept):
            kept = candidate
            fed = kept.feed_digests | _feed_digests(streamed, kept.article.slug, kept.locales)
            if fed != kept.feed_digests:  # its record is written anew, with them
                kept = replace(kept, record=replace(kept.record, feed_digests=fed))
            # its listing is read back from the index by `save_units` if the record is written anew
            yield kept.record, None, kept
            continue
        payload, details = streamed.candidate(candidate)
        article = details.article
        files = config.article_files(os.fspath(article.source_path), article.slug)
        if said and any(os.path.relpath(path, root) in said for path in files):
            continue
        if held_pages and any(article_path(code, article.slug) in held_pages for code in config.site.locales):
            continue
        stamp, (source_bytes, template, *catalog_bytes) = read_stamped(files)
        if _digest(source_bytes) != details.read_as:
            continue  # edited while the run worked
        if all(  # as the run read or wrote them (not saved since)
            _digest(data) == details.on_disk.get(locale)
            for locale, data in zip(config.target_locales, catalog_bytes, strict=True)
        ):
            key = unit_key(run_key, source_bytes, template, catalog_bytes)
            listing = streamed.listings.pickled_editions(details.listed)
            fed = _feed_digests(streamed, article.slug, listing)
            record = Record(
                _source_ref(config, article),
                key,
                article,
                details.listing_digests,
                details.progress,
                stamp,
                details.memory,
                fed,
                details.wants,
                details.open_in,
            )
            yield record, listing, payload


def _feed_digests(streamed: Streamed, slug: str, locales: Iterable[str]) -> dict[str, bytes]:
    return {
        locale: streamed.feed_digests[locale][slug]
        for locale in locales
        if slug in streamed.feed_digests.get(locale, {})
    }


def context(
    config: Config,
    now: dt.datetime,
    write: bool,
    names: Mapping[str, Mapping[tuple[str, str], str]],
    units: UnitStore,
    sources: Sources,
    pages: Mapping[str, LocalePages] | None = None,
    site: SiteStage | None = None,
    feed_bodies: FeedBodies | None = None,
) -> Context:
    checks: dict[str, CheckContext] = {}
    block_on: frozenset[str] = frozenset()
    if config.target_locales:  # a run in English only loads no QA checks (~15 ms of imports)
        from tilmash.i18n.gate import blocking_checks
        from tilmash.quality import check_context

        checks = {locale: check_context(config, locale) for locale in config.target_locales}
        block_on = blocking_checks(config.policy.block_on)
    return Context(
        config,
        now,
        write,
        names,
        Online(os.fspath(config.public_dir) if config.public_dir.is_dir() else None),
        checks,
        block_on,
        units,
        sources.reused,
        sources.changed_templates,
        sources.full,
        pages,
        site,
        _feed_floor(sources.reused, config.site.feed_items),
        sources.read_as,
        sources.new_templates,
        frozenset(digest for kept in sources.reused.values() for digest in unpacked(kept.record.wants)),
        sources.spilled,
        frozenset(locale for kept in sources.reused.values() for locale in kept.record.open_in),
        feed_bodies or FeedBodies(),
    )


def _feed_floor(reused: Mapping[str, Kept], items: int) -> dict[str, Key]:
    """Per locale, the (`items`+1)-th newest of the kept articles published in it: no article
    as old is in a feed (`items` kept ones are newer and stay), so its unit is not read for it."""
    by_locale: dict[str, list[Key]] = {}
    for kept in reused.values():
        for locale in kept.locales:
            by_locale.setdefault(locale, []).append((kept.article.date, kept.article.slug))
    return {
        locale: heapq.nlargest(items + 1, keys)[-1] for locale, keys in by_locale.items() if len(keys) > items
    }


def run_articles(
    ctx: Context,
    articles: list[Article],
    report: RunReport,
    writer: AtomicWriter | None,
    mapper: Mapper,
    translate: Callable[[LocaleCatalogs], None],
    log_stage: Callable[..., AbstractContextManager[Any]] = lambda **_: nullcontext(),
) -> Streamed:
    """Every article done: streamed, then those set aside synced with memory, translated, finished."""
    streamed, aside = stream(ctx, articles, report, writer, mapper)  # empties `articles` as it goes
    for article, out, synced in translate_aside(ctx, aside, streamed.order, translate, log_stage):
        finish(ctx, article, synced, out, writer)
        if writer is not None:
            writer.adopt(out.staged)
        streamed.take(ctx, out, report, None)
    return streamed
