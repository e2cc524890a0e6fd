"""sitemap.xml with an `xhtml:link` alternate for every translation of every page.

Written line by line as lxml's pretty printer would (the same bytes), never as a tree: a
tree of 40,000 pages' URLs and alternates would take 200 MiB, the file a tenth of that,
and handed out in pieces, so that not even the file is held whole.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping

from tilmash.render.pages import index_path
from tilmash.render.settings import SiteSettings

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
)


def _url(out: io.BytesIO, settings: SiteSettings, path: str, alternates: Mapping[str, str]) -> None:
    lines = ["  <url>", f"    <loc>{settings.url(path).translate(_TEXT)}</loc>"]
    if len(alternates) > 1:
        lines += [
            f'    <xhtml:link rel="alternate" hreflang="{settings.html_lang(locale).translate(_ATTRIBUTE)}" '
            f'href="{settings.url(other).translate(_ATTRIBUTE)}"/>'
            for locale, other in alternates.items()
        ]
    lines.append("  </url>\n")
    out.write("\n".join(lines).encode("utf-8"))


def sitemap(settings: SiteSettings, published: Mapping[str, Mapping[str, str]]) -> Iterator[bytes]:
    """The file in pieces of a few hundred URLs, to be written as they come (never whole: 18 MiB
    at 10,000 articles × 4 locales). `published` maps locale → slug → page path of every
    published article."""
    out = io.BytesIO()
    out.write(
        f"<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n'.encode()
    )
    indexes = {locale: index_path(locale, 1) for locale in settings.locales}
    for locale in settings.locales:
        _url(out, settings, indexes[locale], indexes)
    slugs = sorted({slug for pages in published.values() for slug in pages})
    for count, slug in enumerate(slugs, start=1):
        translations = {locale: pages[slug] for locale, pages in published.items() if slug in pages}
        for path in translations.values():
            _url(out, settings, path, translations)
        if count % 256 == 0:
            yield out.getvalue()
            out = io.BytesIO()
    out.write(b"</urlset>\n")
    yield out.getvalue()
