"""Article → catalog template (the POT): one entry per translatable unit."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from tilmash.i18n.powriter import literal_lines
from tilmash.sources import Article, Block

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

PROJECT = "Tilmash newsroom"


@cache
def _release() -> str:
    from tilmash import __version__

    return __version__


def template_version(article: Article, source_ref: str) -> str:
    """A digest of everything the POT is made from, written as its Project-Id-Version.

    Units (text, ids, lines, placeholders), the `#:` file name and the Tilmash release
    that segmented them: a POT on disk carrying the same version is up to date, which a
    run can tell without rendering the POT again.
    """
    made_from = repr((source_ref, article.slug, article.blocks, _release()))
    return hashlib.sha256(made_from.encode("utf-8")).hexdigest()[:16]


def is_current_template(data: bytes, version: str) -> bool:
    """Does the POT `data` carry this `template_version`?"""
    return f'"Project-Id-Version: {PROJECT} {version}\\n"'.encode() in data[:1024]


def _comments(block: Block) -> list[str]:
    """The `#.` lines of a unit: its kind, then what each placeholder stands for."""
    if not block.placeholders:  # most units
        return [block.kind]
    return list(dict.fromkeys([block.kind] + [p.describe() for p in block.placeholders]))


def article_template(article: Article, source_ref: str) -> Catalog:
    """A POT for `article`; `source_ref` is the source file as written in `#:` lines."""
    from babel.messages.catalog import Catalog

    template = Catalog(
        domain=article.slug,
        project=PROJECT,
        version=template_version(article, source_ref),
        charset="utf-8",
        fuzzy=False,
    )
    for block in article.blocks:
        if not block.translatable:
            continue
        unit = template.add(
            block.text, locations=[(source_ref, block.line)], auto_comments=_comments(block), context=block.id
        )
        # Article text is prose, not a format string: Babel's guess ("25% of" looks like
        # python-format) would make msgfmt --check refuse an ordinary translation.
        unit.flags -= {"python-format", "python-brace-format"}
    return template


def _po_date(moment: dt.datetime) -> str:
    """A header date as Babel writes it (a naive moment is UTC)."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return f"{moment.year:04d}-{moment:%m-%d %H:%M%z}"  # Babel pads the year; strftime does not


_VERSION_SLOT = "0" * 16  # stands for a POT's version (16 hex digits) in the header made once per run


@lru_cache(maxsize=4)
def _dated_head(now: dt.datetime) -> str:
    """What every POT of a run dated `now` shares: its opening comments and header, with
    `_VERSION_SLOT` where each POT's version goes (it never changes how a line breaks: a
    header line of fixed length). Made once per run, not once per article."""
    year = now.strftime("%Y")
    comments = [
        f"# Translations template for {PROJECT}.",
        f"# Copyright (C) {year} ORGANIZATION",
        f"# This file is distributed under the same license as the {PROJECT} project.",
        f"# FIRST AUTHOR <EMAIL@ADDRESS>, {year}.",
        "#",
        'msgid ""',
    ]
    header = (
        f"Project-Id-Version: {PROJECT} {_VERSION_SLOT}\n"
        "Report-Msgid-Bugs-To: EMAIL@ADDRESS\n"
        f"POT-Creation-Date: {_po_date(now)}\n"  # the run's clock, as tilmash.pipeline.dated
        f"PO-Revision-Date: {_po_date(now)}\n"
        "Last-Translator: FULL NAME <EMAIL@ADDRESS>\n"
        "Language-Team: LANGUAGE <LL@li.org>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n"
    )
    return "\n".join(comments + literal_lines("", "msgstr", header))


def template_bytes(article: Article, source_ref: str, now: dt.datetime) -> bytes:
    """The POT file of `article` made and revised at `now`: the bytes `render_catalog` writes for
    `article_template` dated `now`, made without a Babel catalog (a cold run writes one per article, and
    building the catalog cost as much as writing it)."""
    head = _dated_head(now).replace(_VERSION_SLOT, template_version(article, source_ref), 1)
    entries = [head]
    for block in article.blocks:
        if block.translatable:
            # Most units: one comment (their kind), one `#:` line (however long), a msgctxt line.
            comments = "".join([f"#. {c}\n" for c in _comments(block)]) if block.placeholders else ""
            where = f"#: {source_ref}:{block.line}\n" if block.line else f"#: {source_ref}\n"
            entries.append(
                (comments or f"#. {block.kind}\n")  # `_comments` of a unit without placeholders
                + where
                + "\n".join(literal_lines("", "msgctxt", block.id))
                + "\n"
                + "\n".join(literal_lines("", "msgid", block.text))
                + '\nmsgstr ""'
            )
    return ("\n\n".join(entries) + "\n").encode("utf-8")
