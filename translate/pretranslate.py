"""Fill the untranslated entries of one locale: translation memory first, then one batched MT pass.

Every suggestion is fuzzy and says where it came from; reviewed entries are never touched.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog, Message

from tilmash.i18n.entries import (
    CHECK_PREFIX,
    MACHINE_PREFIX,
    MEMORY_PREFIX,
    message_id,
    pending_messages,
    without_provenance,
)
from tilmash.sources.placeholders import check_placeholders
from tilmash.translate.engine import Engine, Translation, translate_chunks
from tilmash.translate.glossary import Glossary, glossary_problems
from tilmash.translate.memory import DEFAULT_CUTOFF, TranslationMemory
from tilmash.translate.segments import (
    Masked,
    join_sentences,
    mask,
    pieces_between_tags,
    split_sentences,
    unmask,
)

CHUNK = 256  # sentences per engine call: the progress bar moves, memory stays flat
_TAGS = re.compile(r"<[^<>]*>")


@dataclass(frozen=True, slots=True)
class PretranslateSettings:
    locale: str
    today: dt.date
    glossary: Glossary = Glossary()
    memory: TranslationMemory | None = None
    memory_cutoff: float = DEFAULT_CUTOFF
    progress: bool = False  # a progress bar on stderr (terminals only)


@dataclass(slots=True)
class PretranslateResult:
    from_memory: int = 0
    from_engine: int = 0
    flagged: int = 0  # units whose markup, numbers, URLs or terms needed attention
    sentences: int = 0  # sent to the engine
    engine_used: bool = False  # an engine was there for what memory left
    model_failed: int = 0  # units left untranslated because the model's output failed its checks
    failures: dict[str, int] = field(default_factory=dict)  # why: reason → units


@dataclass(slots=True)
class _Job:
    message: Message
    masked: Masked
    sentences: list[str] = field(default_factory=list)


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in _TAGS.sub("", text))


def _translate_all(engine: Engine, texts: Sequence[str], progress: bool) -> dict[str, Translation]:
    """Each distinct text translated once, longest first, in chunks of one batch call each.

    Texts with no words outside tags (a lone number, a protected term) are kept as they are.
    """
    translated = {text: Translation(text) for text in texts if not _has_words(text)}
    # A total order (longest first, then by text): batches, and so the model's outputs, are the
    # same in every process, whatever its hash seed, and on a cluster as locally.
    unique = sorted({text for text in texts if text not in translated}, key=lambda text: (-len(text), text))
    bar = None
    if progress and unique:
        from tqdm import tqdm

        bar = tqdm(total=len(unique), unit="sentence", file=sys.stderr, leave=False)
    chunks = [unique[start : start + CHUNK] for start in range(0, len(unique), CHUNK)]
    for chunk, outputs in zip(chunks, translate_chunks(engine, chunks), strict=True):
        translated.update(zip(chunk, outputs, strict=True))
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    return translated


def _failed(job_texts: Iterable[str], translated: dict[str, Translation], result: PretranslateResult) -> bool:
    """Whether a unit has a rejected sentence; if so it stays untranslated and is counted."""
    reasons = sorted({translated[t].failure for t in job_texts if translated[t].failure})
    if reasons:
        result.model_failed += 1
        result.failures[reasons[0]] = result.failures.get(reasons[0], 0) + 1
    return bool(reasons)


def _stamp(message: Message, text: str, comments: Sequence[str]) -> None:
    message.string = text
    message.flags.add("fuzzy")
    message.auto_comments = without_provenance(message.auto_comments) + list(comments)


def _from_memory(
    pending: list[Message], settings: PretranslateSettings, result: PretranslateResult
) -> list[Message]:
    if settings.memory is None or not len(settings.memory):
        return pending
    left = []
    for message in pending:
        suggestion = settings.memory.closest(message_id(message), settings.memory_cutoff)
        if suggestion is None or check_placeholders(message_id(message), suggestion.translation):
            left.append(message)
            continue
        note = f"{MEMORY_PREFIX} {round(100 * suggestion.similarity)}% match of “{suggestion.source}”"
        _stamp(message, suggestion.translation, [note])
        result.from_memory += 1
    return left


def pretranslate(
    catalogs: Iterable[Catalog],
    engine: Engine | None,
    settings: PretranslateSettings,
    segment: Callable[[str], list[str]],
) -> PretranslateResult:
    """Fill every pending entry of `catalogs` (one locale) from memory, then from `engine`."""
    result = PretranslateResult()
    pending = _from_memory(pending_messages(catalogs), settings, result)
    if engine is None or not pending:
        return result
    result.engine_used = True
    jobs = [_Job(m, mask(message_id(m), settings.glossary)) for m in pending]
    for job in jobs:
        job.sentences = split_sentences(job.masked.text, segment)
    sentences = [s for job in jobs for s in job.sentences]
    translated = _translate_all(engine, sentences, settings.progress)
    result.sentences = sum(_has_words(s) for s in translated)

    broken = []
    for job in jobs:
        if _failed(job.sentences, translated, result):
            continue
        draft = join_sentences([translated[s].text for s in job.sentences], settings.locale)
        if check_placeholders(job.masked.text, draft):
            broken.append(job)
            continue
        _finish(job, draft, engine, settings, result, [])
    if broken:
        runs = [
            text.strip()
            for job in broken
            for is_text, text in pieces_between_tags(job.masked.text)
            if is_text and text.strip()
        ]
        pieces = _translate_all(engine, runs, settings.progress)
        result.sentences += sum(_has_words(s) for s in pieces)
        for job in broken:
            runs = [text.strip() for is_text, text in pieces_between_tags(job.masked.text) if is_text]
            if _failed([run for run in runs if run], pieces, result):
                continue
            draft = "".join(
                text.replace(text.strip(), pieces[text.strip()].text) if is_text and text.strip() else text
                for is_text, text in pieces_between_tags(job.masked.text)
            )
            _finish(
                job,
                draft,
                engine,
                settings,
                result,
                ["the model broke the markup; translated piece by piece between tags"],
            )
    return result


def _finish(
    job: _Job,
    draft: str,
    engine: Engine,
    settings: PretranslateSettings,
    result: PretranslateResult,
    notes: list[str],
) -> None:
    text, lost = unmask(draft, job.masked)
    if not text.strip():
        result.model_failed += 1
        result.failures["empty output"] = result.failures.get("empty output", 0) + 1
        return
    if lost:
        notes = notes + [f"the model lost {', '.join(lost)}"]
    notes += glossary_problems(settings.glossary, message_id(job.message), text)
    comments = [f"{MACHINE_PREFIX} {engine.provenance}, {settings.today.isoformat()}"]
    comments += [f"{CHECK_PREFIX} {note}" for note in notes]
    _stamp(job.message, text, comments)
    result.from_engine += 1
    result.flagged += bool(notes)
