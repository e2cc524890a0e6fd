"""HTML in: articles given as HTML files and entries of imported feeds.

HTML is sanitised with nh3 (Ammonia: no scripts, no event handlers, no `javascript:`
links), converted to CommonMark with markdownify, and then segmented like any Markdown
article — one segmenter, one set of rules.
"""

from __future__ import annotations

from typing import Any

from lxml import etree, html

SAFE_TAGS = {
    "p",
    "a",
    "em",
    "strong",
    "b",
    "i",
    "code",
    "pre",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "hr",
}
SAFE_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
SAFE_SCHEMES = {"http", "https", "mailto"}


# Elements whose content an HTML parser reads as text, not markup: kept, a lazy-loading
# page's `<noscript><img …></noscript>` showed its tags to the reader as text. Their content is
# a fallback for browsers without scripts or frames, so it is dropped with them.
RAW_TEXT_TAGS = {"noscript", "iframe", "noembed", "noframes", "xmp", "textarea", "title"}


def clean_html(fragment: str) -> str:
    """Only harmless markup survives; script and style contents are dropped entirely, and so
    are those of the elements whose content would come out as markup shown as text."""
    import nh3  # imported on use: most newsrooms never read HTML

    return nh3.clean(
        fragment,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes=SAFE_SCHEMES,
        link_rel=None,
        clean_content_tags={"script", "style", *RAW_TEXT_TAGS},
    )


def html_to_markdown(fragment: str) -> str:
    """Sanitised HTML as CommonMark; text stays text (`![x](…)` or `[x](…)` written in it is escaped)."""
    import markdownify  # imported on use: it pulls in BeautifulSoup

    return (
        markdownify.markdownify(
            clean_html(fragment), heading_style="ATX", bullets="-", escape_misc=True
        ).strip()
        + "\n"
    )


def _meta(tree: Any, *names: str) -> str | None:
    for name in names:
        for attribute in ("name", "property", "itemprop"):
            found = tree.xpath(f"//meta[@{attribute}=$n]/@content", n=name)
            if found and found[0].strip():
                return str(found[0]).strip()
    return None


def read_html_article(text: str) -> tuple[dict[str, Any], str, int]:
    """(front-matter-like metadata, Markdown body, source line of the body) of an HTML page."""
    try:
        tree = html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ValueError(f"not parseable as HTML ({error})") from None
    body = next(iter(tree.xpath("//article") or tree.xpath("//main")), None)
    if body is None:
        raise ValueError("no <article> or <main> element holding the article body")
    heading = next(iter(body.xpath(".//h1")), None)
    title = _meta(tree, "og:title", "title") or (
        heading.text_content().strip() if heading is not None else None
    )
    if title is None:
        titles = tree.xpath("//title/text()")
        title = str(titles[0]).strip() if titles else None
    times = body.xpath(".//time/@datetime") or tree.xpath("//time/@datetime")
    date = _meta(tree, "article:published_time", "date", "dc.date", "datePublished") or (
        str(times[0]) if times else None
    )
    if not title:
        raise ValueError("no title: give the page an og:title, an <h1> in the article or a <title>")
    if not date:
        raise ValueError(
            'no date: give the page <meta property="article:published_time" content="2026-05-01">, '
            '<meta name="date" content="…"> or a <time datetime="…"> in the article'
        )
    keywords = _meta(tree, "keywords", "article:tag")
    meta = {
        "title": title,
        "date": date,
        "summary": _meta(tree, "description", "og:description"),
        "author": _meta(tree, "author", "article:author"),
        "tags": [k.strip() for k in keywords.split(",")] if keywords else [],
    }
    for element in body.xpath(".//h1 | .//time | .//header | .//footer | .//nav"):
        element.drop_tree()
    inner = "".join(html.tostring(child, encoding="unicode") for child in body)
    return meta, html_to_markdown((body.text or "") + inner), body.sourceline or 1
