"""CTranslate2 decoding whose every output is checked, retried once, and rejected with a reason.

Models fail quietly: an empty or `<s>`-only output, NaN scores, a loop like
`(掌声) (掌声) (掌声) …`, a sentence cut to a word, one that runs on and on. Such an output is
decoded once more with `repetition_penalty` / `no_repeat_ngram_size`; if it is still bad it is
returned with a `failure` reason and the unit stays untranslated (and counted), instead of
being filled. The length ratio is judged both ways: an output far *shorter* than the usual
ratio for the target language, or one of more than 2× its source's tokens + 8 (no translation
is; decoding stops a little further, at about 3× + 16, so a model that never ends is caught
instead of running on to the global limit).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tilmash.translate.engine import RuntimeOptions, Translation

SPECIAL_TOKENS = frozenset({"<s>", "</s>", "<unk>", "<pad>"})
# Characters of output per character of English: CJK scripts are about a third as long.
EXPECTED_RATIO = {"zh": 0.35, "ja": 0.4, "ko": 0.45}
RATIO_FACTOR = 5  # "far outside": more than 5× shorter than expected
MIN_RATIO_SOURCE = 24  # shorter sources (names, headings) vary too much to judge
LONG_FACTOR = 2  # "far outside" the other way: more than 2× the source's tokens…
LONG_SLACK = 8  # …+ 8 (a name or a heading may grow a little)
LOOP_REPEATS = 4  # a block of tokens repeated 4 times in a row is a loop
LOOP_PERIOD = 8  # …for blocks of up to 8 tokens

EMPTY = "empty output"
SPECIAL_ONLY = "only special tokens"
NAN = "NaN scores"
LOOP = "a repetition loop"
LENGTH = "far shorter than the source (length ratio)"
LONG = "far longer than the source (length ratio)"


@dataclass(frozen=True, slots=True)
class Decoder:
    """What an engine hands to the checked decoding: its translator and how to read its tokens."""

    translator: Any  # ctranslate2.Translator
    options: RuntimeOptions
    decode: Callable[[list[str]], str]
    language: str  # target language code, for the length ratio
    target_prefix: str = ""
    special: frozenset[str] = SPECIAL_TOKENS


def decoding_cap(source_tokens: int, limit: int) -> int:
    """Most tokens decoded for a source of `source_tokens`: 3× + 16, up to a power of two so batches group.

    Always above `too_long`'s bound (unless `limit` is lower), so an output that never ends is
    caught, not cut to a plausible length.
    """
    return min(limit, 1 << (3 * source_tokens + 15).bit_length())


def too_long(output_tokens: int, source_tokens: int) -> bool:
    return output_tokens > LONG_FACTOR * source_tokens + LONG_SLACK


def repetition_loop(tokens: Sequence[str]) -> bool:
    for period in range(1, LOOP_PERIOD + 1):
        run = 0
        for i in range(period, len(tokens)):
            run = run + 1 if tokens[i] == tokens[i - period] else 0
            if run >= period * (LOOP_REPEATS - 1):
                return True
    return False


def failure_of(
    source: str, source_tokens: int, tokens: Sequence[str], score: float, text: str, decoder: Decoder
) -> str:
    """Why this output (`tokens`, decoded as `text`) of `source` (`source_tokens` long) is
    unusable, or "" when it is fine."""
    if math.isnan(score):
        return NAN
    if not tokens:
        return EMPTY
    words = [t for t in tokens if t not in decoder.special]
    if not words:
        return SPECIAL_ONLY
    if not text.strip():
        return EMPTY
    if repetition_loop(words):
        return LOOP
    if too_long(len(tokens), source_tokens):
        return LONG
    if len(source) >= MIN_RATIO_SOURCE:
        expected = EXPECTED_RATIO.get(decoder.language, 1.0) * len(source)
        if len(text) < expected / RATIO_FACTOR:
            return LENGTH
    return ""


def _decode(decoder: Decoder, encoded: Sequence[list[str]], retry: bool) -> list[tuple[list[str], float]]:
    """Tokens and score of each input; inputs with the same decoding cap share one call."""
    options = decoder.options
    extra: dict[str, Any] = {}
    if retry:
        extra = {
            "repetition_penalty": options.repetition_penalty,
            "no_repeat_ngram_size": options.no_repeat_ngram_size,
        }
    groups: dict[int, list[int]] = {}
    for index, tokens in enumerate(encoded):
        groups.setdefault(decoding_cap(len(tokens), options.max_decoding_length), []).append(index)
    outputs: list[tuple[list[str], float]] = [([], math.nan)] * len(encoded)
    for cap, indices in groups.items():
        batch = [encoded[i] for i in indices]
        results = decoder.translator.translate_batch(
            batch,
            target_prefix=[[decoder.target_prefix]] * len(batch) if decoder.target_prefix else None,
            beam_size=options.beam_size,
            max_batch_size=options.max_batch_size,
            max_decoding_length=cap,
            return_scores=True,
            **extra,
        )
        for index, result in zip(indices, results, strict=True):
            tokens = list(result.hypotheses[0]) if result.hypotheses else []
            if decoder.target_prefix and tokens[:1] == [decoder.target_prefix]:
                tokens = tokens[1:]
            outputs[index] = (tokens, result.scores[0] if result.scores else math.nan)
    return outputs


def translate_checked(
    decoder: Decoder, sources: Sequence[str], encoded: Sequence[list[str]]
) -> list[Translation]:
    """Decode, check, decode the failures once more with repetition penalties, check again."""
    if not encoded:
        return []

    def judged(index: int, output: tuple[list[str], float]) -> Translation:
        tokens, score = output
        text = decoder.decode(tokens).strip() if tokens else ""
        failure = failure_of(sources[index], len(encoded[index]), tokens, score, text, decoder)
        return Translation("" if failure else text, failure)

    translations = [judged(i, output) for i, output in enumerate(_decode(decoder, encoded, retry=False))]
    again = [i for i, t in enumerate(translations) if t.failure]
    if again:
        for index, output in zip(
            again, _decode(decoder, [encoded[i] for i in again], retry=True), strict=True
        ):
            translations[index] = judged(index, output)
    return translations
