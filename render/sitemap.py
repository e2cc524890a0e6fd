"""sitemap.xml with an `xhtml:link` alternate for every translation of every page, built with lxml."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from tilmash.render.pages import index_path
from tilmash.render.settings import SiteSettings

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def _url(urlset: etree._Element, settings: SiteSettings, path: str, alternates: Mapping[str, str]) -> None:
    url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
    etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = settings.url(path)
    if len(alternates) > 1:
        for locale, other in alternates.items():
            link = etree.SubElement(url, f"{{{XHTML_NS}}}link")
            link.set("rel", "alternate")
            link.set("hreflang", settings.html_lang(locale))
            link.set("href", settings.url(other))


def sitemap(settings: SiteSettings, published: Mapping[str, Mapping[str, str]]) -> bytes:
    """`published` maps locale → slug → page path of every published article."""
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    indexes = {locale: index_path(locale, 1) for locale in settings.locales}
    for locale in settings.locales:
        _url(urlset, settings, indexes[locale], indexes)
    slugs = sorted({slug for pages in published.values() for slug in pages})
    for slug in slugs:
        translations = {locale: pages[slug] for locale, pages in published.items() if slug in pages}
        for path in translations.values():
            _url(urlset, settings, path, translations)
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)
