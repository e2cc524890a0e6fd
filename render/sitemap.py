"""sitemap.xml with an `xhtml:link` alternate for every translation of every page.

Written line by line as lxml's pretty printer would (the same bytes), never as a tree: a
tree of 40,000 pages' URLs and alternates would take 200 MiB, the file a tenth of that,
and handed out in pieces, so that not even the file is held whole.

The protocol allows 50,000 URLs per file: a larger site gets `sitemap.xml` as a sitemap
index of `sitemaps/N.xml`, each at most that many URLs, an article's translations never
split across two files (crawlers read the index where they read the sitemap).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence

from tilmash.render.pages import index_path
from tilmash.render.settings import SiteSettings

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000  # per file, as sitemaps.org says (its 50 MB cap: ~0.5 KB per <url> with 4 alternates)
_HEAD = "<?xml version='1.0' encoding='UTF-8'?>\n"
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


def sitemap_files(
    settings: SiteSettings, published: Mapping[str, Mapping[str, str]], limit: int | None = None
) -> dict[str, Iterable[bytes]]:
    """Path → the file in pieces: `sitemap.xml` alone, or beyond `limit` (MAX_URLS) URLs an index
    of `sitemaps/N.xml`. `published` maps locale → slug → page path of every published article."""
    limit = limit or MAX_URLS
    indexes = {locale: index_path(locale, 1) for locale in settings.locales}
    slugs = sorted({slug for pages in published.values() for slug in pages})
    parts: list[list[str]] = [[]]
    count = len(indexes)
    for slug in slugs:
        urls = sum(slug in pages for pages in published.values())
        if count and count + urls > limit:  # a file holds at least one article
            parts.append([])
            count = 0
        parts[-1].append(slug)
        count += urls
    if len(parts) == 1:
        return {"sitemap.xml": _urlset(settings, published, indexes, slugs)}
    files: dict[str, Iterable[bytes]] = {"sitemap.xml": [_index(settings, len(parts))]}
    for number, part in enumerate(parts, start=1):
        files[f"sitemaps/{number}.xml"] = _urlset(settings, published, indexes if number == 1 else {}, part)
    return files


def _index(settings: SiteSettings, count: int) -> bytes:
    lines = [f'{_HEAD}<sitemapindex xmlns="{SITEMAP_NS}">']
    for number in range(1, count + 1):
        loc = settings.url(f"sitemaps/{number}.xml").translate(_TEXT)
        lines.append(f"  <sitemap>\n    <loc>{loc}</loc>\n  </sitemap>")
    lines.append("</sitemapindex>\n")
    return "\n".join(lines).encode("utf-8")


def _urlset(
    settings: SiteSettings,
    published: Mapping[str, Mapping[str, str]],
    indexes: Mapping[str, str],
    slugs: Sequence[str],
) -> Iterator[bytes]:
    """One urlset in pieces of a few hundred URLs, to be written as they come (never whole: 18 MiB
    at 10,000 articles × 4 locales): the locales' index pages (if given), then `slugs`' pages."""
    out = io.BytesIO()
    out.write(f'{_HEAD}<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n'.encode())
    for path in indexes.values():
        _url(out, settings, path, indexes)
    for count, slug in enumerate(slugs, start=1):
        translations = {locale: pages[slug] for locale, pages in published.items() if slug in pages}
        for path in translations.values():
            _url(out, settings, path, translations)
        if count % 256 == 0:
            yield out.getvalue()
            out = io.BytesIO()
    out.write(b"</urlset>\n")
    yield out.getvalue()
