"""Published articles → every file of the site (relative path → bytes); writing is the caller's job."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources

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


def build_site(
    settings: SiteSettings,
    editions: Mapping[str, Sequence[LocalizedArticle]],
    ui: Mapping[str, NullTranslations],
    assets: Mapping[str, bytes] | None = None,
) -> dict[str, bytes]:
    """Every file of the site. `editions[locale]` lists what that locale publishes."""
    env = template_environment()
    files: dict[str, bytes] = dict(assets or {}) | {"style.css": stylesheet()}
    published = {
        locale: {e.article.slug: article_path(locale, e.article.slug) for e in editions.get(locale, ())}
        for locale in settings.locales
    }
    for locale in settings.locales:
        pages = LocalePages(settings, locale, env, ui.get(locale) or NullTranslations(), published)
        ordered = newest_first(editions.get(locale, ()))
        for edition in ordered:
            path, html = pages.article(edition)
            files[path] = html
        files |= pages.listing(ordered, settings.page_size)
        files |= pages.tags(ordered)
        body = lambda e: article_body(e, settings.base_url)  # noqa: E731 - feeds need absolute image URLs
        files[f"{locale}/atom.xml"] = atom_feed(settings, locale, ordered, body)
        files[f"{locale}/rss.xml"] = rss_feed(settings, locale, ordered, body)
        files[f"{locale}/feed.json"] = json_feed(settings, locale, ordered, body)
    home = LocalePages(settings, settings.source_locale, env, ui.get(settings.source_locale) or NullTranslations(), published)
    files["index.html"] = home.home(settings.locales)
    files["sitemap.xml"] = sitemap(settings, published)
    return files
