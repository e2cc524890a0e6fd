"""HTML pages of one locale: articles, paginated index, tag pages. Each returns path → bytes."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations
from markupsafe import Markup

from tilmash.render.babel_answers import BabelAnswers
from tilmash.render.markup import fill_template, unit_html
from tilmash.render.policy import LocalizedArticle
from tilmash.render.settings import SiteSettings
from tilmash.render.shells import Fields, Shells

COMPILED_TEMPLATES = Path(__file__).parent / "templates" / "__pycache__"


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled once, kept beside them as Python keeps a module's .pyc: compiling the
    six templates cost each run 35-70 ms (5 % of a cold English run of 1,000 articles).

    Jinja reuses a compiled template only for the same source (checksum) and Python version.
    Like Python, nothing is written under PYTHONDONTWRITEBYTECODE, and a folder that cannot
    be written (a system-wide install) only means compiling each time.
    """

    def __init__(self, directory: Path = COMPILED_TEMPLATES) -> None:
        super().__init__(str(directory))
        self.folder = directory

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable or damaged (a truncated pickle, say): compiled anew
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if sys.dont_write_bytecode:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template_environment(cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """One Environment for all locales: translations are passed per render, not installed."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("tilmash.render", "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        auto_reload=False,  # a build is short-lived: no stat() of every template for every page
        bytecode_cache=CompiledTemplates() if cache is None else cache,
    )
    env.filters["space_after"] = space_after
    return env


FULL_WIDTH_END = tuple("。，、；：！？）」』】")


def space_after(text: str) -> str:
    """`text` and the space that separates it from what follows, none after full-width punctuation
    (Chinese: “订阅：Atom”, not “订阅： Atom”)."""
    return text if text.endswith(FULL_WIDTH_END) else text + " "


# Babel is asked through `answers` (render.babel_answers: kept between runs), each question
# once per process.


@lru_cache(maxsize=4096)
def _long_date(day: dt.date, locale: Locale, answers: BabelAnswers) -> str:
    """A story's date appears on its page, the index and its tag pages: format it once."""
    question = ("date", str(locale), day.isoformat())
    return answers.get(question, lambda: format_date(day, "long", locale=locale))


@lru_cache(maxsize=4096)
def _decimal(number: int, locale: Locale, answers: BabelAnswers) -> str:
    return answers.get(("decimal", str(locale), number), lambda: format_decimal(number, locale=locale))


@lru_cache(maxsize=64)
def _own_name(locale: Locale, code: str, answers: BabelAnswers) -> str:
    """A language's name in itself, as the language switcher shows it (on every page: made once)."""
    return answers.get(
        ("name", str(locale), code),
        lambda: (locale.get_display_name(locale) or code).split(" (")[0].capitalize(),
    )


@lru_cache(maxsize=64)
def _direction(locale: Locale, answers: BabelAnswers) -> str:
    """`ltr` or `rtl`: Babel reads it from the locale's data each time it is asked."""
    return answers.get(("direction", str(locale)), lambda: locale.text_direction)


@lru_cache(maxsize=64)
def _og_locale(identifier: str, answers: BabelAnswers) -> str:
    return answers.get(("og_locale", identifier), lambda: og_locale(identifier))


def og_locale(identifier: str) -> str:
    """Open Graph's `language_TERRITORY` (kk_KZ, ru_RU, zh_CN) from CLDR's likely subtags."""
    from babel.core import get_global

    likely = get_global("likely_subtags")
    parts = identifier.split("_")
    if not any(p.isupper() or p.isdigit() for p in parts[1:]):  # no territory given: the likely one
        parts = (likely.get(identifier) or likely.get(parts[0]) or identifier).split("_")
    territories = [p for p in parts[1:] if p.isupper() or p.isdigit()]
    return f"{parts[0]}_{territories[0]}" if territories else parts[0]


def article_path(locale: str, slug: str) -> str:
    return f"{locale}/{slug}.html"


def index_path(locale: str, number: int) -> str:
    return f"{locale}/index.html" if number == 1 else f"{locale}/page/{number}.html"


@lru_cache(maxsize=4096)
def tag_slug(tag: str) -> str:
    """File-safe, readable tag names: letters of any script are kept, the rest becomes '-'."""
    return re.sub(r"[^\w]+", "-", tag.lower(), flags=re.UNICODE).strip("-") or "tag"


def tag_path(locale: str, tag: str) -> str:
    return f"{locale}/tags/{tag_slug(tag)}.html"


def article_body(edition: LocalizedArticle, asset_root: str = "../") -> str:
    """The article's HTML in its locale; units still in English are marked `lang="en"`."""
    article = edition.article
    html_for = {}
    for block in article.blocks:
        html = unit_html(block, edition.text(block.id), edition.text, asset_root, edition.in_english)
        if edition.in_english(block.id):
            html = f'<span lang="en" class="untranslated">{html}</span>'
        html_for[block.id] = html
    return fill_template(article.body_template, html_for)


@dataclass(frozen=True, slots=True)
class LocalePages:
    """Everything needed to render one locale's pages."""

    settings: SiteSettings
    locale: str
    env: jinja2.Environment
    translations: NullTranslations
    published: Mapping[str, Mapping[str, str]]  # locale → slug → page path
    shells: Shells = field(default_factory=Shells, compare=False, repr=False)  # kept by `replace`
    answers: BabelAnswers = field(default_factory=BabelAnswers, compare=False, repr=False)  # likewise

    def _context(self) -> dict[str, Any]:
        t = self.translations
        return {
            "_": t.gettext,
            "gettext": t.gettext,
            "ngettext": t.ngettext,
            "site_title": self.settings.site_title(self.locale),
        }

    def _language_links(self, paths: Mapping[str, str], root: str) -> list[Fields]:
        settings = self.settings
        return [
            Fields(
                lang=settings.html_lang(code),
                name=_own_name(settings.babel(code), code, self.answers),
                href=root + paths[code],
                current=code == self.locale,
            )
            for code in settings.locales
            if code in paths
        ]

    def page(self, path: str, paths: Mapping[str, str], **extra: Any) -> Fields:
        """Head and navigation data; `paths` maps each locale that has this page to its path."""
        settings = self.settings
        root = "../" * path.count("/")
        alternates = [
            Fields(hreflang=settings.html_lang(code), url=settings.url(url)) for code, url in paths.items()
        ]
        if settings.source_locale in paths and len(paths) > 1:
            alternates.append(Fields(hreflang="x-default", url=settings.url(paths[settings.source_locale])))
        return Fields(
            {
                "lang": settings.html_lang(self.locale),
                "dir": _direction(settings.babel(self.locale), self.answers),
                "locale": self.locale,
                "root": root,
                "canonical": settings.url(path),
                "alternates": alternates if len(paths) > 1 else [],
                "languages": self._language_links(paths, root),
                "og_locale": _og_locale(settings.babel_locales.get(self.locale, self.locale), self.answers),
                "og_type": "website",
                "description": "",
                "noindex": False,
            }
            | extra
        )

    def english_lang(self, edition: LocalizedArticle, unit_id: str) -> str:
        """`lang` for a unit shown in English on this locale's page; "" when it is translated."""
        return self.settings.html_lang(self.settings.source_locale) if edition.in_english(unit_id) else ""

    def name(self, edition: LocalizedArticle, kind: str, english: str) -> Fields:
        """A tag or author as shown: its translation, or the English name marked `lang`."""
        if not english:
            return Fields(name="", lang="")
        lang = self.settings.html_lang(self.settings.source_locale)
        return Fields(
            name=edition.name(kind, english), lang=lang if edition.name_in_english(kind, english) else ""
        )

    def date(self, edition: LocalizedArticle) -> tuple[str, str]:
        """The story's day as the page shows it, and as ISO 8601 (`<time datetime>`)."""
        day = self.settings.day(edition.article.date)
        return _long_date(day, self.settings.babel(self.locale), self.answers), day.isoformat()

    def article(
        self, edition: LocalizedArticle, published: Mapping[str, Mapping[str, str]] | None = None
    ) -> dict[str, bytes]:
        """The article's page; `published` (default: the locales') says which languages have it."""
        article = edition.article
        path = article_path(self.locale, article.slug)
        published = self.published if published is None else published
        paths = {code: slugs[article.slug] for code, slugs in published.items() if article.slug in slugs}
        summary = edition.text("summary") if article.summary else ""
        page = self.page(
            path,
            paths,
            og_type="article",
            description=summary,
            noindex=edition.machine_translated,
            title_lang=self.english_lang(edition, "title"),
            description_lang=self.english_lang(edition, "summary"),
        )
        context = self._context()
        same = (self.translations, context["site_title"])
        date, iso_date = self.date(edition)
        values = dict(
            page=page,
            title=edition.text("title"),
            summary=summary,
            date=date,
            iso_date=iso_date,
            author=self.name(edition, "author", article.author),
            tags=[
                Fields(vars(self.name(edition, "tag", tag)), href=page.root + tag_path(self.locale, tag))
                for tag in article.tags
            ],
            body=Markup(article_body(edition)),
            machine_notice=edition.machine_translated,
            updating_notice=edition.updating,
            partial_notice=bool(edition.untranslated_units) and not edition.updating,
        )
        html = self.shells.render(self.env.get_template("article.html"), context, same, values)
        return {path: html.encode("utf-8")}

    def _entry(self, edition: LocalizedArticle, root: str) -> Fields:
        article = edition.article
        date, iso_date = self.date(edition)
        return Fields(
            {
                "href": root + article_path(self.locale, article.slug),
                "title": edition.text("title"),
                "title_lang": self.english_lang(edition, "title"),
                "summary": edition.text("summary") if article.summary else "",
                "summary_lang": self.english_lang(edition, "summary"),
                "date": date,
                "iso_date": iso_date,
                "author": self.name(edition, "author", article.author),
                "machine": edition.machine_translated,
            }
        )

    def index_pages(
        self, editions: Sequence[LocalizedArticle], page_size: int
    ) -> list[tuple[str, int, Sequence[LocalizedArticle]]]:
        """The index, newest first, split into pages of `page_size` articles: (path, number, entries)."""
        chunks = [editions[i : i + page_size] for i in range(0, len(editions), page_size)] or [[]]
        return [(index_path(self.locale, number), number, chunk) for number, chunk in enumerate(chunks, 1)]

    def index_page(self, number: int, count: int, chunk: Sequence[LocalizedArticle]) -> bytes:
        """Page `number` of the `count` pages of the index, listing `chunk`."""
        path = index_path(self.locale, number)
        babel_locale = self.settings.babel(self.locale)
        paths = {code: index_path(code, number) for code in self.settings.locales if number == 1} or {
            self.locale: path
        }
        page = self.page(path, paths)
        root = page.root
        pager = Fields(
            {
                "number": _decimal(number, babel_locale, self.answers),
                "count": _decimal(count, babel_locale, self.answers),
                "newer": root + index_path(self.locale, number - 1) if number > 1 else None,
                "older": root + index_path(self.locale, number + 1) if number < count else None,
            }
        )
        context = self._context()
        values = dict(
            page=page, entries=[self._entry(e, root) for e in chunk], pager=pager if count > 1 else None
        )
        # Index pages share a few shapes (ten entries, a pager): filled in, as article pages are.
        html = self.shells.render(
            self.env.get_template("index.html"), context, (self.translations, context["site_title"]), values
        )
        return html.encode("utf-8")

    def tag_pages(
        self, editions: Sequence[LocalizedArticle]
    ) -> list[tuple[str, str, list[LocalizedArticle]]]:
        """One page per tag listing its articles, newest first: (path, tag, entries), by tag."""
        # Grouped by page name: "AI" and "ai" (or "R&D" and "R-D") share one page, which
        # then lists the articles of both, under the name met first.
        by_page: dict[str, tuple[str, list[LocalizedArticle]]] = {}
        for edition in editions:
            for name in dict.fromkeys(tag_slug(tag) for tag in edition.article.tags):
                tag = next(t for t in edition.article.tags if tag_slug(t) == name)
                by_page.setdefault(name, (tag, []))[1].append(edition)
        return [
            (tag_path(self.locale, tag), tag, tagged)
            for tag, tagged in sorted(by_page.values(), key=lambda item: item[0])
        ]

    def tag_page(self, tag: str, tagged: Sequence[LocalizedArticle]) -> bytes:
        """The page of `tag` listing `tagged`."""
        path = tag_path(self.locale, tag)
        page = self.page(path, {self.locale: path})
        return (
            self.env.get_template("tag.html")
            .render(
                self._context(),
                page=page,
                tag=self.name(tagged[0], "tag", tag),
                entries=[self._entry(e, page.root) for e in tagged],
                count=len(tagged),
                count_shown=_decimal(len(tagged), self.settings.babel(self.locale), self.answers),
            )
            .encode("utf-8")
        )

    def home(self, locales: Sequence[str]) -> bytes:
        paths = {code: index_path(code, 1) for code in locales}
        return (
            self.env.get_template("home.html")
            .render(self._context(), page=self.page("index.html", paths))
            .encode("utf-8")
        )
