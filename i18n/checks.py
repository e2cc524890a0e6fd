"""Quality checks on translated entries: one small function each, every problem with its place.

A check takes the English text, the translation and a `CheckContext` and returns messages;
`CHECKS` lists them with a stable name and a severity. `check_catalog` yields every problem
of a catalog instead of stopping at the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from tilmash.sources.placeholders import PLACEHOLDER_RE, check_placeholders

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_NUMBER = re.compile(r"\d+(?:[.,:\u00a0\u202f ]\d+)*")
_URL = re.compile(r"https?://[^\s<>]+[^\s<>.,;:!?)»”]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HAN = re.compile(r"[\u3400-\u9fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_SENTENCE_END = tuple(".!?…。！？:：")
_CLOSERS = "\"'»”’)）」』]"


@dataclass(frozen=True, slots=True)
class CheckContext:
    locale: str  # the newsroom's code: kk, ru, zh
    terms: tuple[tuple[str, str], ...] = ()  # glossary (English term, required translation)


@dataclass(frozen=True, slots=True)
class Problem:
    check: str
    severity: str  # "error" or "warning"
    path: Path
    line: int
    message: str
    msgid: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} [{self.check}] {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "check": self.check,
            "severity": self.severity,
            "file": str(self.path),
            "line": self.line,
            "message": self.message,
            "msgid": self.msgid,
        }


_FORMAT = re.compile(r"%(?:\(\w+\))?[sdif%]")


def _words_only(text: str) -> str:
    """The text without placeholders and python-format fields."""
    return _FORMAT.sub(" ", PLACEHOLDER_RE.sub(" ", text))


def check_markup(source: str, translation: str, context: CheckContext) -> list[str]:
    """Placeholders must all be there, in their form, properly nested."""
    return check_placeholders(source, translation)


def check_numbers(source: str, translation: str, context: CheckContext) -> list[str]:
    """Every number of the source, in any locale's notation (1,200 = 1 200 = 1200; 1.3 = 1,3)."""

    def digits(text: str) -> list[str]:
        return sorted(re.sub(r"\D", "", n) for n in _NUMBER.findall(_words_only(text)))

    missing = [n for n in digits(source) if n not in digits(translation)]
    return [f"number {n} of the source is missing or changed" for n in missing]


def check_urls(source: str, translation: str, context: CheckContext) -> list[str]:
    """URLs and e-mail addresses are copied exactly."""
    return [f"{url} is missing or changed" for url in _URL.findall(source) if url not in translation]


def check_glossary(source: str, translation: str, context: CheckContext) -> list[str]:
    return [
        f"glossary: “{term}” should be “{required}”"
        for term, required in context.terms
        if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", source) and required not in translation
    ]


def check_untranslated(source: str, translation: str, context: CheckContext) -> list[str]:
    """A translation identical to the English is usually a copy, not a translation."""
    words = [w for w in _words_only(source).split() if any(c.isalpha() for c in w)]
    keep = {term for term, required in context.terms if term == required}
    if translation.strip() == source.strip() and len(words) > 1 and source.strip() not in keep:
        return ["the translation is identical to the English text"]
    return []


def check_script(source: str, translation: str, context: CheckContext) -> list[str]:
    """kk and ru are written in Cyrillic (kk with its own letters), zh in Han characters."""
    text = _words_only(translation)
    for term, required in context.terms:
        text = text.replace(required, " ")
    problems = []
    letters = sum(c.isalpha() for c in text)
    if context.locale in ("kk", "ru"):
        latin = len(_LATIN.findall(text))
        if letters and latin > letters / 2:
            problems.append("most letters are Latin: is this translated into the right language?")
        if context.locale == "kk" and len(text.split()) >= 6 and not KAZAKH_LETTERS & set(text):
            problems.append("no Kazakh letters (ә ғ қ ң ө ұ ү һ і): is this Russian rather than Kazakh?")
    if context.locale == "zh":
        if letters and not _HAN.search(text):
            problems.append("no Chinese characters")
        if _CYRILLIC.search(text):
            problems.append("Cyrillic letters in a Chinese translation")
    return problems


def check_punctuation(source: str, translation: str, context: CheckContext) -> list[str]:
    """Full-width punctuation in Chinese; «» quotation marks in Russian and Kazakh."""
    text = _words_only(translation)
    problems = []
    if context.locale == "zh":
        if re.search(r"[\u3400-\u9fff][,:;?!]|[,:;?!](?=[\u3400-\u9fff])|[\u3400-\u9fff]\.(?!\d)", text):
            problems.append("half-width punctuation next to Chinese text: use ，。：；？！")
        if '"' in text:
            problems.append('straight quotes "…" in Chinese text: use “…”')
    elif context.locale in ("kk", "ru"):
        if re.search(r'"[^"]+"|“[^”]+”', text):
            problems.append("quotation marks: use «…» in Russian and Kazakh")
    return problems


def check_spacing(source: str, translation: str, context: CheckContext) -> list[str]:
    problems = []
    if "  " in translation.strip():
        problems.append("doubled space")
    if translation != translation.strip() and source == source.strip():
        problems.append("leading or trailing space")
    return problems


def check_final_punctuation(source: str, translation: str, context: CheckContext) -> list[str]:
    """A sentence that ends with a full stop in English ends with one in translation too."""

    def ending(text: str) -> str:
        return PLACEHOLDER_RE.sub("", text).rstrip().rstrip(_CLOSERS)

    if (
        ending(source).endswith(_SENTENCE_END)
        and translation.strip()
        and not ending(translation).endswith(_SENTENCE_END)
    ):
        return ["the sentence-final punctuation of the source is missing"]
    return []


def check_length(source: str, translation: str, context: CheckContext) -> list[str]:
    """Far shorter or longer than the source: often a truncated or run-away machine translation."""
    english, translated = len(_words_only(source).strip()), len(_words_only(translation).strip())
    low, high = (0.1, 1.5) if context.locale == "zh" else (0.4, 3.0)
    if english >= 20 and translated and not low <= translated / english <= high:
        return [f"length is {translated / english:.1f}× the source's (expected {low}–{high}×)"]
    return []


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    severity: str
    run: Callable[[str, str, CheckContext], list[str]]
    description: str


CHECKS: tuple[Check, ...] = (
    Check(
        "markup", "error", check_markup, "placeholders <1>…</1> / <2/> missing, added, broken or misnested"
    ),
    Check("numbers", "warning", check_numbers, "numbers changed or dropped"),
    Check("urls", "error", check_urls, "URLs or e-mail addresses changed"),
    Check("glossary", "warning", check_glossary, "glossary term not respected"),
    Check("untranslated", "warning", check_untranslated, "translation identical to the English text"),
    Check(
        "script",
        "error",
        check_script,
        "wrong script for the locale (kk/ru Cyrillic with Kazakh letters in kk; zh Han)",
    ),
    Check(
        "punctuation",
        "warning",
        check_punctuation,
        "punctuation that does not fit the locale (full-width in zh, «» in ru/kk)",
    ),
    Check("spacing", "warning", check_spacing, "doubled, leading or trailing spaces"),
    Check("final-punctuation", "warning", check_final_punctuation, "sentence-final punctuation lost"),
    Check("length", "warning", check_length, "suspicious length ratio"),
    Check(
        "fuzzy",
        "warning",
        lambda s, t, c: [],
        "fuzzy entries (machine output or changed source) still present",
    ),
)


def check_message(message: Message, context: CheckContext) -> Iterator[tuple[Check, str]]:
    """(check, message) for every problem of one translated entry."""
    if not message.id or not isinstance(message.id, str) or not message.string:
        return
    for check in CHECKS:
        for text in check.run(message.id, str(message.string), context):
            yield check, text
    if message.fuzzy:
        yield (
            CHECKS[-1],
            "fuzzy: not reviewed yet"
            + (
                " (machine translation)"
                if any(c.startswith("machine translation:") for c in message.auto_comments)
                else ""
            ),
        )


def check_catalog(catalog: Catalog, path: Path, context: CheckContext) -> Iterator[Problem]:
    for message in catalog:
        for check, text in check_message(message, context):
            yield Problem(check.name, check.severity, path, message.lineno or 0, text, str(message.id))
