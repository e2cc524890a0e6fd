"""Published articles → every file of the site, handed one job's files at a time to the caller's `emit`.

The site is never held whole: each job (one article's pages, a locale's index, its tag
pages, its feeds) renders a few files and passes them to `emit`, which writes them out.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import partial
from importlib import resources
from typing import Any

from babel.support import NullTranslations

from tilmash.render.babel_answers import BabelAnswers
from tilmash.render.feed_bodies import FeedBodies
from tilmash.render.feeds import atom_feed, json_feed, rss_feed
from tilmash.render.page_keys import PageKeys, code_digest, digest, digests, translations_plain
from tilmash.render.pages import LocalePages, article_path, template_environment
from tilmash.render.policy import LocalizedArticle
from tilmash.render.settings import SiteSettings
from tilmash.render.sitemap import sitemap_files


def stylesheet() -> bytes:
    return resources.files("tilmash.render").joinpath("templates/style.css").read_bytes()


def newest_first(editions: Sequence[LocalizedArticle]) -> list[LocalizedArticle]:
    return sorted(editions, key=lambda e: (e.article.date, e.article.slug), reverse=True)


IndexPages = Sequence[tuple[str, int, Sequence[LocalizedArticle]]]  # (path, number, entries)
TagPages = Sequence[tuple[str, str, Sequence[LocalizedArticle]]]  # (path, tag, entries)
Emit = Callable[[str, bytes | Iterable[bytes]], bool]  # (relative path, content) → whether it changed
Load = Callable[[str, Any], LocalizedArticle]  # (locale, listed entry) → its listing edition in that locale
Job = Callable[[], Iterable[tuple[str, bytes | Iterable[bytes]]]]  # its files, each made as it is emitted


def _run(job: Job, emit: Emit) -> list[tuple[str, bool]]:
    return [(path, emit(path, data)) for path, data in job()]


def _feeds(
    settings: SiteSettings,
    locale: str,
    latest: Sequence[LocalizedArticle],
    wanted: Collection[str] | None = None,
    kept: FeedBodies | None = None,
    digests: Mapping[str, bytes] | None = None,
) -> Iterator[tuple[str, bytes]]:
    """The locale's feeds in `wanted` (default: all three); the bodies of their entries from
    `kept` where `digests` (slug → the edition's) say they are unchanged."""
    kept, digests = kept or FeedBodies(), digests or {}
    bodies = {e.article.slug: kept.body(e, digests.get(e.article.slug), settings.base_url) for e in latest}

    def body(edition: LocalizedArticle) -> str:  # one rendering shared by the three formats
        return bodies[edition.article.slug]

    for path, feed in zip(_feed_paths(locale), (atom_feed, rss_feed, json_feed), strict=True):
        if wanted is None or path in wanted:
            yield path, feed(settings, locale, latest, body)


def locale_pages(
    settings: SiteSettings, ui: Mapping[str, NullTranslations], answers: BabelAnswers | None = None
) -> dict[str, LocalePages]:
    """Each locale's page renderer, its templates compiled once here (forked workers inherit them).
    `answers`: what Babel answered the last run (render.babel_answers)."""
    env = template_environment()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    answers = answers or BabelAnswers()
    return {
        locale: LocalePages(settings, locale, env, ui.get(locale) or NullTranslations(), {}, answers=answers)
        for locale in settings.locales
    }


def article_files(
    settings: SiteSettings,
    pages: Mapping[str, LocalePages],
    editions: Mapping[str, LocalizedArticle],
    locales: Collection[str] | None = None,
) -> dict[str, bytes]:
    """The pages of one article in `locales` (default: every locale in `editions`, which maps
    each locale publishing it to its edition); each links to the article's other languages."""
    slug = next(iter(editions.values())).article.slug
    own = {locale: {slug: article_path(locale, slug)} for locale in settings.locales if locale in editions}
    files: dict[str, bytes] = {}
    for locale in own:
        if locales is None or locale in locales:
            files |= pages[locale].article(editions[locale], own)
    return files


def _wanted(
    settings: SiteSettings,
    pages: Mapping[str, LocalePages],
    listings: Mapping[str, tuple[Sequence[LocalizedArticle], IndexPages, TagPages]],
    newest: Mapping[str, Sequence[LocalizedArticle]],
    published: Mapping[str, Mapping[str, str]],
    sitemaps: Collection[str],
    keys: PageKeys,
    listed_digests: Mapping[str, Mapping[str, bytes]],
    feed_digests: Mapping[str, Mapping[str, bytes]],
    load: Load,
) -> set[str]:
    """The files whose key changed (or that are not published): the others are kept as they are."""
    code = code_digest()
    source = settings.source_locale
    environment = {
        locale: digest(code, settings, locale, translations_plain(pages[locale].translations))
        for locale in settings.locales
    }
    sitemap = digest(code, settings, "sitemap", published)  # sitemap.xml, and its parts past 50,000 URLs
    candidates = [("index.html", digest(environment[source], "home"))]
    candidates += [(path, digest(sitemap, path)) for path in sitemaps]
    for locale in settings.locales:
        environment_key = environment[locale]
        ordered, index, tags = listings[locale]
        entries = _digested(locale, ordered, listed_digests.get(locale, {}), load)
        candidates += [
            (
                path,
                digest(
                    environment_key, "index", number, len(index), [entries[e.article.slug] for e in chunk]
                ),
            )
            for path, number, chunk in index
        ]
        candidates += [
            (path, digest(environment_key, "tag", tag, [entries[e.article.slug] for e in tagged]))
            for path, tag, tagged in tags
        ]
        full = _digested(locale, newest[locale], feed_digests.get(locale, {}), _as_is)
        feed = digest(
            environment_key, "feed", [full[e.article.slug] for e in newest[locale]]
        )  # full editions
        candidates += [(path, digest(feed, path)) for path in _feed_paths(locale)]
    return {path for path, key in candidates if keys.wanted(path, key)}


def _digested(
    locale: str, entries: Sequence[Any], given: Mapping[str, bytes], load: Load
) -> dict[str, bytes]:
    """slug of each of a locale's entries → `page_keys.digests` of its edition: the one given,
    else made here of the edition `load` gives."""
    made: dict[str, bytes] = {}
    undigested = []
    for entry in entries:
        if (known := given.get(entry.article.slug)) is not None:
            made[entry.article.slug] = known
        else:
            undigested.append(load(locale, entry))
    made |= zip((e.article.slug for e in undigested), digests(undigested), strict=True)
    return made


def _as_is(locale: str, edition: LocalizedArticle) -> LocalizedArticle:
    """The `Load` of entries that are their listing editions."""
    return edition


def _feed_paths(locale: str) -> tuple[str, ...]:
    return f"{locale}/atom.xml", f"{locale}/rss.xml", f"{locale}/feed.json"


def _index(
    pages: LocalePages, index: IndexPages, wanted: Collection[str] | None, load: Load
) -> Iterator[tuple[str, bytes]]:
    """A locale's index pages one by one: written as they come, never held together."""
    for path, number, chunk in index:
        if wanted is None or path in wanted:
            yield path, pages.index_page(number, len(index), [load(pages.locale, e) for e in chunk])


def _tags(
    pages: LocalePages, tags: TagPages, wanted: Collection[str] | None, load: Load
) -> Iterator[tuple[str, bytes]]:
    for path, tag, tagged in tags:
        if wanted is None or path in wanted:
            yield path, pages.tag_page(tag, [load(pages.locale, e) for e in tagged])


def index_files(
    settings: SiteSettings,
    pages: Mapping[str, LocalePages],
    listed: Mapping[str, Sequence[Any]],  # editions, or entries `load` turns into them
    latest: Mapping[str, Sequence[LocalizedArticle]],
    emit: Emit,
    mapper: Callable[[Callable[[Any], Any], Sequence[Any]], Iterable[Any]] = map,
    keys: PageKeys | None = None,
    listed_digests: Mapping[str, Mapping[str, bytes]] | None = None,
    feed_digests: Mapping[str, Mapping[str, bytes]] | None = None,
    load: Load = _as_is,
    feed_bodies: FeedBodies | None = None,
) -> list[tuple[str, bool]]:
    """Every file of the site but the article pages, passed to `emit`; (path, changed) for each.

    `listed[locale]` is what that locale publishes (listing editions suffice: title, summary,
    names), `latest[locale]` at least its newest `feed_items` editions in full (the feeds).
    With `keys`, an index, tag, feed or sitemap file whose key (render.page_keys) is the one
    it was published with is kept as it is, not rendered; (path, False) for each kept.
    `listed_digests[locale][slug]`, where given, is `page_keys.digests` of that listing
    edition, made with its unit: a run digests only the editions of the articles it processed.
    `feed_digests[locale][slug]` likewise of the full editions in `latest`. With `load`,
    `listed[locale]` holds entries standing for the editions (tilmash.listings.Listed: ordered
    and grouped by `entry.article`'s date, slug and tags) and `load(locale, entry)` reads
    each edition when a page shows it: a run does not hold every listing edition. The feeds
    are made in this process, their entries' bodies taken from and kept in `feed_bodies`
    (those `latest` holds as listing editions must be there).
    """
    published = {
        locale: {e.article.slug: article_path(locale, e.article.slug) for e in listed.get(locale, ())}
        for locale in settings.locales
    }
    listings = {}
    for locale in settings.locales:
        ordered = newest_first(listed.get(locale, ()))
        listings[locale] = (
            ordered,
            pages[locale].index_pages(ordered, settings.page_size),
            pages[locale].tag_pages(ordered),
        )
    newest = {
        locale: newest_first(latest.get(locale, ()))[: settings.feed_items] for locale in settings.locales
    }
    sitemaps = sitemap_files(settings, published)  # the files' contents are made as they are read
    wanted = (
        None
        if keys is None
        else _wanted(
            settings,
            pages,
            listings,
            newest,
            published,
            sitemaps,
            keys,
            listed_digests or {},
            feed_digests or {},
            load,
        )
    )

    def home() -> Iterator[tuple[str, bytes | Iterable[bytes]]]:
        if wanted is None or "index.html" in wanted:
            yield "index.html", pages[settings.source_locale].home(settings.locales)
        yield from ((path, data) for path, data in sitemaps.items() if wanted is None or path in wanted)

    jobs: list[Job] = [home]
    feeds: list[Job] = []
    for locale in settings.locales:  # the long jobs first, so that no worker is left with all of them
        _, index, tags = listings[locale]
        jobs.append(partial(_index, pages[locale], index, wanted, load))
        jobs.append(partial(_tags, pages[locale], tags, wanted, load))
        if wanted is None or not wanted.isdisjoint(_feed_paths(locale)):
            digested = (feed_digests or {}).get(locale)
            feeds.append(partial(_feeds, settings, locale, newest[locale], wanted, feed_bodies, digested))
    jobs.append(lambda: [("style.css", stylesheet())])
    kept = [(path, False) for path in keys.kept] if keys is not None else []
    made = [produced for done in mapper(partial(_run, emit=emit), jobs) for produced in done]
    return kept + made + [produced for job in feeds for produced in _run(job, emit)]
