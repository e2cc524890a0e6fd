"""Published articles → every file of the site (relative path → bytes); writing is the caller's job."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

from babel.support import NullTranslations

from render.feeds import atom_feed, json_feed, rss_feed
from render.pages import LocalePages, article_body, article_path, template_environment
from render.policy import LocalizedArticle
from render.settings import SiteSettings
from render.sitemap import sitemap


def stylesheet() -> bytes:
    return resources.files("render").joinpath("templates/style.css").read_bytes()


def newest_first(editions: Sequence[LocalizedArticle]) -> list[LocalizedArticle]:
    return sorted(editions, key=lambda e: (e.article.date, e.article.slug), reverse=True)


def _render_article(job: tuple[LocalePages, LocalizedArticle]) -> tuple[str, bytes]:
    pages, edition = job
    return pages.article(edition)


def build_site(
    settings: SiteSettings,
    editions: Mapping[str, Sequence[LocalizedArticle]],
    ui: Mapping[str, NullTranslations],
    assets: Mapping[str, bytes] | None = None,
    mapper: Callable[[Callable[[Any], Any], Sequence[Any]], Iterable[Any]] = map,
) -> dict[str, bytes]:
    """Every file of the site. `editions[locale]` lists what that locale publishes.

    `mapper` renders the article pages, the bulk of the work; the runner passes one that
    spreads them over the cores.
    """
    env = template_environment()
    files: dict[str, bytes] = dict(assets or {}) | {"style.css": stylesheet()}
    published = {
        locale: {e.article.slug: article_path(locale, e.article.slug) for e in editions.get(locale, ())}
        for locale in settings.locales
    }
    pages = {
        locale: LocalePages(settings, locale, env, ui.get(locale) or NullTranslations(), published) for locale in settings.locales
    }
    ordered = {locale: newest_first(editions.get(locale, ())) for locale in settings.locales}
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)  # compiled once, here, rather than in every worker
    jobs = [(pages[locale], edition) for locale in settings.locales for edition in ordered[locale]]
    files |= dict(mapper(_render_article, jobs))
    for locale in settings.locales:
        files |= pages[locale].listing(ordered[locale], settings.page_size)
        files |= pages[locale].tags(ordered[locale])
        latest = ordered[locale][: settings.feed_items]
        feed_bodies = {e.article.slug: article_body(e, settings.base_url) for e in latest}  # absolute image URLs
        body = lambda e: feed_bodies[e.article.slug]  # noqa: E731 - shared by the three formats
        files[f"{locale}/atom.xml"] = atom_feed(settings, locale, latest, body)
        files[f"{locale}/rss.xml"] = rss_feed(settings, locale, latest, body)
        files[f"{locale}/feed.json"] = json_feed(settings, locale, latest, body)
    home = LocalePages(settings, settings.source_locale, env, ui.get(settings.source_locale) or NullTranslations(), published)
    files["index.html"] = home.home(settings.locales)
    files["sitemap.xml"] = sitemap(settings, published)
    return files
