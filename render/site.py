"""Published articles → every file of the site, handed one job's files at a time to the caller's `emit`.

The site is never held whole: each job (one article's pages, a locale's index, its tag
pages, its feeds) renders a few files and passes them to `emit`, which writes them out.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from importlib import resources
from typing import Any

from babel.support import NullTranslations

from tilmash.render.feeds import atom_feed, json_feed, rss_feed
from tilmash.render.pages import LocalePages, article_body, article_path, template_environment
from tilmash.render.policy import LocalizedArticle
from tilmash.render.settings import SiteSettings
from tilmash.render.sitemap import sitemap_files


def stylesheet() -> bytes:
    return resources.files("tilmash.render").joinpath("templates/style.css").read_bytes()


def newest_first(editions: Sequence[LocalizedArticle]) -> list[LocalizedArticle]:
    return sorted(editions, key=lambda e: (e.article.date, e.article.slug), reverse=True)


Emit = Callable[[str, bytes | Iterable[bytes]], bool]  # (relative path, content) → whether it changed


def _run(job: Callable[[], Mapping[str, bytes | Iterable[bytes]]], emit: Emit) -> list[tuple[str, bool]]:
    return [(path, emit(path, data)) for path, data in job().items()]


def _feeds(settings: SiteSettings, locale: str, latest: Sequence[LocalizedArticle]) -> dict[str, bytes]:
    bodies = {e.article.slug: article_body(e, settings.base_url) for e in latest}  # absolute image URLs

    def body(edition: LocalizedArticle) -> str:  # one rendering shared by the three formats
        return bodies[edition.article.slug]

    return {
        f"{locale}/atom.xml": atom_feed(settings, locale, latest, body),
        f"{locale}/rss.xml": rss_feed(settings, locale, latest, body),
        f"{locale}/feed.json": json_feed(settings, locale, latest, body),
    }


def locale_pages(settings: SiteSettings, ui: Mapping[str, NullTranslations]) -> dict[str, LocalePages]:
    """Each locale's page renderer, its templates compiled once here (forked workers inherit them)."""
    env = template_environment()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    return {
        locale: LocalePages(settings, locale, env, ui.get(locale) or NullTranslations(), {})
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
            files |= replace(pages[locale], published=own).article(editions[locale])
    return files


def index_files(
    settings: SiteSettings,
    pages: Mapping[str, LocalePages],
    listed: Mapping[str, Sequence[LocalizedArticle]],
    latest: Mapping[str, Sequence[LocalizedArticle]],
    emit: Emit,
    assets: Mapping[str, bytes] | None = None,
    mapper: Callable[[Callable[[Any], Any], Sequence[Any]], Iterable[Any]] = map,
) -> list[tuple[str, bool]]:
    """Every file of the site but the article pages, passed to `emit`; (path, changed) for each.

    `listed[locale]` is what that locale publishes (listing editions suffice: title, summary,
    names), `latest[locale]` at least its newest `feed_items` editions in full (the feeds).
    """
    published = {
        locale: {e.article.slug: article_path(locale, e.article.slug) for e in listed.get(locale, ())}
        for locale in settings.locales
    }
    ordered = {locale: newest_first(listed.get(locale, ())) for locale in settings.locales}
    jobs: list[Callable[[], Mapping[str, bytes | Iterable[bytes]]]] = [
        lambda: {
            "index.html": pages[settings.source_locale].home(settings.locales),
            **sitemap_files(settings, published),
        }
    ]
    for locale in settings.locales:  # the long jobs first, so that no worker is left with all of them
        newest = newest_first(latest.get(locale, ()))[: settings.feed_items]
        jobs.append(partial(pages[locale].listing, ordered[locale], settings.page_size))
        jobs.append(partial(pages[locale].tags, ordered[locale]))
        jobs.append(partial(_feeds, settings, locale, newest))
    jobs.append(lambda: dict(assets or {}) | {"style.css": stylesheet()})
    return [produced for done in mapper(partial(_run, emit=emit), jobs) for produced in done]
