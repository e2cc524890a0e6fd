"""Published articles → the files of the site (relative path → bytes); writing is the caller's job."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date
from babel.support import NullTranslations

from render.feeds import atom_feed
from render.markup import fill_template, unit_html
from render.policy import LocalizedArticle
from render.settings import SiteSettings


def template_environment() -> jinja2.Environment:
    """One Environment for all locales: translations are passed per render, not installed."""
    loader = jinja2.PackageLoader("render", "templates")
    return jinja2.Environment(
        loader=loader, autoescape=True, extensions=["jinja2.ext.i18n"], trim_blocks=False, keep_trailing_newline=True
    )


def stylesheet() -> bytes:
    return resources.files("render").joinpath("templates/style.css").read_bytes()


def article_path(locale: str, slug: str) -> str:
    return f"{locale}/{slug}.html"


def _language_links(settings: SiteSettings, current: str, paths: Mapping[str, str], root: str) -> list[dict[str, Any]]:
    return [
        {
            "lang": settings.html_lang(code),
            "name": settings.babel(code).get_display_name(settings.babel(code)).split(" (")[0].capitalize(),
            "href": root + paths[code],
            "current": code == current,
        }
        for code in settings.locales
        if code in paths
    ]


def _page(settings: SiteSettings, locale: str, path: str, paths: Mapping[str, str], **extra: Any) -> dict[str, Any]:
    root = "../" * path.count("/")
    locale_obj = settings.babel(locale)
    alternates = [{"hreflang": settings.html_lang(code), "url": settings.url(p)} for code, p in paths.items()]
    if settings.source_locale in paths:
        alternates.append({"hreflang": "x-default", "url": settings.url(paths[settings.source_locale])})
    return {
        "lang": settings.html_lang(locale),
        "dir": locale_obj.text_direction,
        "locale": locale,
        "root": root,
        "canonical": settings.url(path),
        "alternates": alternates if len(paths) > 1 else [],
        "languages": _language_links(settings, locale, paths, root),
        "og_locale": str(locale_obj),
        "og_type": "website",
        "description": "",
        "noindex": False,
    } | extra


def _context(translations: NullTranslations) -> dict[str, Any]:
    return {"_": translations.gettext, "gettext": translations.gettext, "ngettext": translations.ngettext}


def article_body(edition: LocalizedArticle, asset_root: str = "../") -> str:
    """The article's HTML in its locale; `asset_root` leads from the page to the site root."""
    article = edition.article
    html_for = {b.id: unit_html(b, edition.text(b.id), edition.text, asset_root) for b in article.blocks}
    return fill_template(article.body_template, html_for)


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
    index_paths = {locale: f"{locale}/index.html" for locale in settings.locales}
    for locale in settings.locales:
        translations = ui.get(locale) or NullTranslations()
        title = settings.site_title(locale)
        babel_locale = settings.babel(locale)
        entries = []
        for edition in sorted(editions.get(locale, ()), key=lambda e: (e.article.date, e.article.slug), reverse=True):
            article = edition.article
            path = article_path(locale, article.slug)
            paths = {code: p[article.slug] for code, p in published.items() if article.slug in p}
            date = format_date(article.date, "long", locale=babel_locale)
            summary = edition.text("summary") if article.summary else ""
            page = _page(
                settings,
                locale,
                path,
                paths,
                og_type="article",
                description=summary,
                noindex=edition.machine_translated,
            )
            html = env.get_template("article.html").render(
                _context(translations),
                page=page,
                site_title=title,
                title=edition.text("title"),
                summary=summary,
                date=date,
                iso_date=article.date.date().isoformat(),
                author=article.author,
                tags=article.tags,
                body=jinja2.utils.markupsafe.Markup(article_body(edition)),
                machine_notice=edition.machine_translated,
                partial_notice=bool(edition.untranslated_units),
            )
            files[path] = html.encode("utf-8")
            entries.append(
                {
                    "href": f"{article.slug}.html",
                    "title": edition.text("title"),
                    "summary": summary,
                    "date": date,
                    "iso_date": article.date.date().isoformat(),
                    "author": article.author,
                }
            )
        index_path = index_paths[locale]
        page = _page(settings, locale, index_path, index_paths)
        files[index_path] = env.get_template("index.html").render(
            _context(translations), page=page, site_title=title, entries=entries
        ).encode("utf-8")
        files[f"{locale}/atom.xml"] = atom_feed(
            settings, locale, editions.get(locale, ()), lambda e: article_body(e, settings.base_url)
        )
    home = _page(settings, settings.source_locale, "index.html", index_paths)
    files["index.html"] = env.get_template("home.html").render(
        _context(ui.get(settings.source_locale) or NullTranslations()), page=home, site_title=settings.title
    ).encode("utf-8")
    return files
