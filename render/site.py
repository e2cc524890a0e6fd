"""Published articles → every file of the site, handed one job's files at a time to the caller's `emit`.

The site is never held whole: each job (one article page, a locale's index, its tag pages,
its feeds) renders a few files and passes them to `emit`, which writes them out.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import partial
from importlib import resources
from typing import Any

from babel.support import NullTranslations

from tilmash.render.feeds import atom_feed, json_feed, rss_feed
from tilmash.render.pages import LocalePages, article_body, article_path, template_environment
from tilmash.render.policy import LocalizedArticle
from tilmash.render.settings import SiteSettings
from tilmash.render.sitemap import sitemap


def stylesheet() -> bytes:
    return resources.files("tilmash.render").joinpath("templates/style.css").read_bytes()


def newest_first(editions: Sequence[LocalizedArticle]) -> list[LocalizedArticle]:
    return sorted(editions, key=lambda e: (e.article.date, e.article.slug), reverse=True)


Emit = Callable[[str, bytes], bool]  # (relative path, content) → whether it changed


def _run(job: Callable[[], dict[str, bytes]], emit: Emit) -> list[tuple[str, bool]]:
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


def build_site(
    settings: SiteSettings,
    editions: Mapping[str, Sequence[LocalizedArticle]],
    ui: Mapping[str, NullTranslations],
    emit: Emit,
    assets: Mapping[str, bytes] | None = None,
    mapper: Callable[[Callable[[Any], Any], Sequence[Any]], Iterable[Any]] = map,
    unchanged: Collection[str] = (),
    keep: Callable[[str], bool] = lambda _: False,
) -> list[tuple[str, bool]]:
    """Every file of the site passed to `emit`; returns (path, changed) for each, in no set order.

    `editions[locale]` lists what that locale publishes. The pages are independent jobs
    run through `mapper`: the runner passes one that spreads them over the cores (forked
    workers call `emit` themselves, so pages never travel between processes). An article
    page in `unchanged` (made from the same inputs by an earlier run) is not rendered when
    `keep` can take its published copy as it is.
    """
    env = template_environment()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)  # compiled once, here, rather than in every worker
    published = {
        locale: {e.article.slug: article_path(locale, e.article.slug) for e in editions.get(locale, ())}
        for locale in settings.locales
    }
    pages = {
        locale: LocalePages(settings, locale, env, ui.get(locale) or NullTranslations(), published)
        for locale in settings.locales
    }
    ordered = {locale: newest_first(editions.get(locale, ())) for locale in settings.locales}
    jobs: list[Callable[[], dict[str, bytes]]] = [
        lambda: {
            "index.html": pages[settings.source_locale].home(settings.locales),
            "sitemap.xml": sitemap(settings, published),
        }
    ]
    for locale in settings.locales:  # the long jobs first, so that no worker is left with all of them
        jobs.append(partial(pages[locale].listing, ordered[locale], settings.page_size))
        jobs.append(partial(pages[locale].tags, ordered[locale]))
        jobs.append(partial(_feeds, settings, locale, ordered[locale][: settings.feed_items]))
    kept: list[tuple[str, bool]] = []
    for locale in settings.locales:
        for edition in ordered[locale]:
            path = article_path(locale, edition.article.slug)
            if path in unchanged and keep(path):
                kept.append((path, False))
            else:
                jobs.append(partial(pages[locale].article, edition))
    jobs.append(lambda: dict(assets or {}) | {"style.css": stylesheet()})
    return kept + [produced for done in mapper(partial(_run, emit=emit), jobs) for produced in done]
