"""Prepare unit text for a model and put it back together afterwards.

Placeholders, numbers, URLs, e-mail addresses and do-not-translate glossary terms (names,
brands) are replaced by tokens the model should copy (`<x1/>`, …) and restored after. Terms
with a translation are left to the model, which declines them as Russian and Kazakh need
(a token would come back in the dictionary form), and checked afterwards; only a unit that
is nothing but the term takes the glossary's form directly. A number glued to letters
(`3D`, `COVID-19`, `5G`) is a word, not a protected number. units are split into sentences with pysbd
(never inside a paired placeholder) and joined again. When a model breaks the markup, the
unit is translated piece by piece between its placeholders instead, which keeps every tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tilmash.sources.placeholders import PLACEHOLDER_RE
from tilmash.translate.glossary import Glossary

_PROTECTED = re.compile(
    r"https?://[^\s<>]+[^\s<>.,;:!?)»”]"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<!\w)(?<![^\W\d_]-)(?<!\d[.,:])\d+(?:[.,:]\d+)*%?(?![^\W_]|[.,:]\d)"  # numbers, times, %
)
_TOKEN = re.compile(r"<x(\d+)/>")
_TAG = re.compile(r"(<[^<>]*>)")
NO_SPACE_LOCALES = ("zh", "ja")


@dataclass(slots=True)
class Masked:
    """Unit text with protected spans replaced by `<xN/>` tokens; `spans[N-1]` restores token N."""

    text: str
    spans: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # glossary terms found, for the QA comment


def mask(text: str, glossary: Glossary) -> Masked:
    masked = Masked(text)
    for term in glossary.found_in(text):
        masked.terms.append(term.source)
        if term.is_whole(masked.text):
            masked.text = _token(masked, term.target)
        elif term.keep:
            masked.text = term.pattern().sub(_tokenizer(masked), masked.text)
    parts = _TAG.split(masked.text)  # odd indexes are tags: never look inside them
    for index in range(0, len(parts), 2):
        parts[index] = _PROTECTED.sub(_tokenizer(masked), parts[index])
    masked.text = "".join(parts)
    return masked


def _tokenizer(masked: Masked) -> Callable[[re.Match[str]], str]:
    """A `re.sub` callback that puts a token in place of each match, restored as the match."""
    return lambda match: _token(masked, match.group())


def _token(masked: Masked, replacement: str) -> str:
    masked.spans.append(replacement)
    return f"<x{len(masked.spans)}/>"


def unmask(text: str, masked: Masked) -> tuple[str, list[str]]:
    """Restore protected spans; returns the text and the spans the model lost."""
    seen: set[int] = set()

    def restore(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if 1 <= number <= len(masked.spans):
            seen.add(number)
            return masked.spans[number - 1]
        return ""

    restored = _TOKEN.sub(restore, text)
    lost = [span for number, span in enumerate(masked.spans, start=1) if number not in seen]
    return restored, lost


_MAYBE_BOUNDARY = re.compile(r"[.!?…][\"'”’»)\]]*\s+\S")


def split_sentences(text: str, segment: Callable[[str], list[str]]) -> list[str]:
    """Sentences of `text`, never cutting a paired placeholder in two.

    Units without any "end mark + space + more text" are one sentence: the splitter, by far
    the slowest step outside the model, is only asked about the others.
    """
    if not _MAYBE_BOUNDARY.search(text):
        return [text.strip()] if text.strip() else []
    sentences: list[str] = []
    pending = ""
    for sentence in segment(text):
        pending += sentence
        if _balanced(pending):
            sentences.append(pending.strip())
            pending = ""
    if pending.strip():
        sentences.append(pending.strip())
    return [s for s in sentences if s]


def _balanced(text: str) -> bool:
    depth = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.group(3):
            continue
        depth += -1 if match.group(1) else 1
    return depth == 0


def join_sentences(sentences: Sequence[str], locale: str) -> str:
    return ("" if locale.split("_")[0] in NO_SPACE_LOCALES else " ").join(s.strip() for s in sentences)


def pieces_between_tags(text: str) -> list[tuple[bool, str]]:
    """(is_text, content) runs of `text` split at placeholders, for piecewise translation."""
    runs: list[tuple[bool, str]] = []
    position = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.start() > position:
            runs.append((True, text[position : match.start()]))
        runs.append((False, match.group()))
        position = match.end()
    if position < len(text):
        runs.append((True, text[position:]))
    return runs


def english_segmenter() -> Callable[[str], list[str]]:
    """pysbd's rule-based English splitter (knows "Dr.", "e.g.", "3.5"); no model download."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=False)
    return segmenter.segment
