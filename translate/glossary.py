"""Per-locale glossaries: terms never to translate and terms with one fixed translation.

Files live in the newsroom's `glossary/` folder: `<locale>.csv` (columns `term` and
`translation`, separated by commas, semicolons or tabs; an empty translation means "keep as
is"; an optional `forms` column lists other accepted forms separated by `|`) or one
`glossary.tbx` (TBX-Basic: one `termEntry` per concept, a `langSet` per language; a
langSet's first term is the translation, further terms are accepted variants). Terms are
found in any case and inflected form (`tilmash.i18n.terms`): Russian and Kazakh decline them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from tilmash.i18n.terms import term_found

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class GlossaryError(Exception):
    """A glossary file that cannot be used; names the file and line."""


@dataclass(frozen=True, slots=True)
class Term:
    source: str
    target: str  # equal to `source` for terms that must not be translated
    forms: tuple[str, ...] = ()  # other accepted forms of the translation

    @property
    def keep(self) -> bool:
        return self.source == self.target

    def pattern(self) -> re.Pattern[str]:
        """The term exactly as written (names are masked only in their own spelling)."""
        return re.compile(rf"(?<![\w-]){re.escape(self.source)}(?![\w-])")

    def is_whole(self, text: str) -> bool:
        """Is `text` this term and nothing else (a heading, a name): no grammar to respect."""
        return text.strip().casefold() == self.source.casefold()


@dataclass(frozen=True, slots=True)
class Glossary:
    terms: tuple[Term, ...] = ()

    def found_in(self, text: str) -> list[Term]:
        """Terms in `text` in any case or form, longest first so "Alatau University" beats "Alatau"."""
        return [t for t in sorted(self.terms, key=lambda t: -len(t.source)) if term_found(text, (t.source,))]


def _read_csv(path: Path) -> list[Term]:
    """Comma-separated, or as a spreadsheet saves "CSV" where the decimal separator is a comma
    (Russian and Kazakh Excel: `term;translation`), or tab-separated."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GlossaryError(
            f"{path}:{line}: not valid UTF-8 (byte {error.start}): save the glossary as UTF-8"
        ) from None
    header = text.partition("\n")[0]
    delimiter = next((d for d in (",", ";", "\t") if d in header), ",")
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames or "term" not in reader.fieldnames:
        raise GlossaryError(f"{path}:1: the first line must name the columns: term,translation")
    terms = []
    for row in reader:
        source = (row.get("term") or "").strip()
        if not source:
            raise GlossaryError(f"{path}:{reader.line_num}: empty term")
        forms = tuple(f.strip() for f in (row.get("forms") or "").split("|") if f.strip())
        terms.append(Term(source, (row.get("translation") or "").strip() or source, forms))
    return terms


def _read_tbx(path: Path, source_language: str, locale: str) -> list[Term]:
    from lxml import etree  # here: a newsroom without a TBX glossary never loads it (~4 ms a run)

    try:
        tree = etree.parse(str(path))
    except etree.XMLSyntaxError as error:
        raise GlossaryError(f"{path}:{error.lineno}: not well-formed TBX ({error.msg})") from None
    terms = []
    for entry in tree.iter("termEntry", "{*}termEntry", "conceptEntry", "{*}conceptEntry"):
        by_language: dict[str, list[str]] = {}
        for lang_set in entry.iter("langSet", "{*}langSet", "langSec", "{*}langSec"):
            language = (lang_set.get(XML_LANG) or "").lower().split("-")[0]
            written = [t.text.strip() for t in lang_set.iter("term", "{*}term") if t.text and t.text.strip()]
            if language and written:
                by_language.setdefault(language, []).extend(written)
        if source_language not in by_language:
            continue
        source = by_language[source_language][0]
        if locale in by_language:
            target, *forms = by_language[locale]
            terms.append(Term(source, target, tuple(forms)))
        elif len(by_language) == 1:  # only the English term: a name never to translate
            terms.append(Term(source, source))
    return terms


def load_glossary(directory: Path, source_language: str, locale: str) -> Glossary:
    """The glossary for `locale` from `directory` (empty when there is none)."""
    terms: list[Term] = []
    csv_path = directory / f"{locale}.csv"
    if csv_path.is_file():
        terms += _read_csv(csv_path)
    tbx_path = directory / "glossary.tbx"
    if tbx_path.is_file():
        terms += _read_tbx(tbx_path, source_language, locale)
    return Glossary(tuple(terms))


def glossary_problems(glossary: Glossary, source: str, translation: str) -> list[str]:
    """Terms of `source` whose translation is missing from `translation` in every form."""
    return [
        f"glossary term “{term.source}” should be “{term.target}”"
        for term in glossary.found_in(source)
        if not term_found(translation, (term.target, *term.forms))
    ]
