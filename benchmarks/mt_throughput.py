"""Machine-translation throughput: Tilmash's batched engine, argostranslate per paragraph, raw CTranslate2.

One Argos package of transformer-base shape (6 layers, d=512, ffn 2048, 8,000 SentencePiece
pieces; random weights, built here) serves all three, with the same decoding settings:
beam width BEAM (1, greedy, by default), and every sentence decoded to exactly DECODE tokens
(a random model never emits a sensible end of sentence, and random output lengths would
measure luck, not batching; argostranslate's Translator is given the same limit). The example
newsroom's units are scaled to PARAGRAPHS.

* tilmash: `translate.pretranslate` over catalogs holding the paragraphs (sentence split,
  masking, one batched pass, restoring), as `tilmash run` does.
* argostranslate: `argostranslate.translate.translate()` called once per paragraph. Its
  MiniSBD sentence splitter downloads a model on first use, impossible offline, so it is
  given the same pysbd splitter Tilmash uses. Timed twice: with its default thread setting
  (ARGOS_INTRA_THREADS=0: CTranslate2 picks) and with ARGOS_INTRA_THREADS=1, its best on a
  small machine.
* ctranslate2: every `translate_batch` call Tilmash's engine made in its last timed run (the
  same tokens, caps and options, its retries with repetition penalties included) replayed on
  the bare Translator: the decoding work alone, so the difference is Tilmash's own cost.

Tilmash checks every output: this never-ending model's sentences are all decoded to DECODE
tokens, far longer than most sources, so Tilmash decodes those once more with repetition
penalties (and then leaves them untranslated); the printout says how many. argostranslate
decodes each sentence once and keeps whatever comes out.

    python -m benchmarks.mt_throughput [--paragraphs 500] [--repeat 3] [--beam 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, SCRATCH, timed


def paragraphs(count: int) -> list[str]:
    from tilmash.sources import load_sources

    articles, _ = load_sources(REPO / "examples" / "newsroom" / "sources")
    units = [
        b.text
        for a in articles
        for b in a.blocks
        if b.translatable and b.kind in ("paragraph", "list item", "quote")
    ]
    # Every sentence of copy c gets its own words in front (opener (7c + k) mod 17 for its k-th
    # sentence; 7 and 17 are coprime, so copies of a sentence never share an opener), so no two
    # paragraphs and no two sentences are the same (main() counts and prints both) and
    # deduplication cannot flatter the batched path.
    from tilmash.translate.segments import english_segmenter

    segment = english_segmenter()
    split = [segment(unit) for unit in units]
    result = []
    for i in range(count):
        copy, sentences = i // len(units), split[i % len(units)]
        result.append(" ".join(OPENERS[(7 * copy + k) % len(OPENERS)] + s for k, s in enumerate(sentences)))
    return result


OPENERS = (
    "",
    "Meanwhile, ",
    "In Almaty, ",
    "Last week, ",
    "According to the press office, ",
    "This autumn, ",
    "For the first time, ",
    "In a statement, ",
    "At the faculty, ",
    "Once again, ",
    "By contrast, ",
    "In the capital, ",
    "After the meeting, ",
    "Unexpectedly, ",
    "In the spring, ",
    "On Monday, ",
    "As expected, ",
)


def build_package(directory: Path) -> Path:
    from tests.model_factory import DEFAULT_CORPUS, ModelShape, build_argos_package, synthetic_corpus

    corpus = list(DEFAULT_CORPUS) + paragraphs(60) + synthetic_corpus(20000)
    return build_argos_package(
        directory / "translate-en_ru-base.argosmodel",
        shape=ModelShape.transformer_base(),
        corpus=corpus,
        eos_bias=-30.0,
        length_ratio=None,  # never ends: every sentence decodes the benchmark's fixed length
    )


class _FixedLength:
    """argostranslate's CTranslate2 Translator with the benchmark's decoding limit added."""

    def __init__(self, translator: Any, limit: int) -> None:
        self._translator, self._limit = translator, limit

    def translate_batch(self, *args: Any, **kwargs: Any) -> Any:
        return self._translator.translate_batch(*args, max_decoding_length=self._limit, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--decode", type=int, default=48, help="tokens decoded per sentence")
    parser.add_argument("--beam", type=int, default=1, help="beam width of every path (1: greedy)")
    args = parser.parse_args()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=SCRATCH) as scratch:
        packages = Path(scratch) / "packages"
        packages.mkdir()
        os.environ |= {
            "ARGOS_PACKAGES_DIR": str(packages),
            "ARGOS_BEAM_SIZE": str(args.beam),
            "ARGOS_DEVICE_TYPE": "cpu",
        }
        from argostranslate import package as argos_package
        from argostranslate import sbd
        from argostranslate import settings as argos_settings
        from argostranslate import translate as argos_translate

        argos_package.install_from_path(build_package(Path(scratch)))

        from babel.messages.catalog import Catalog

        from tilmash.translate.argos import ArgosEngine, RuntimeOptions, find_package
        from tilmash.translate.engine import Translation
        from tilmash.translate.pretranslate import PretranslateSettings, pretranslate
        from tilmash.translate.segments import english_segmenter

        segment = english_segmenter()
        # argostranslate's MiniSBD splitter downloads a model on first use: it gets Tilmash's pysbd
        # splitter instead (patching the class is the point, hence the ignores).
        sbd.MiniSBDSentencizer.__init__ = lambda self, pkg: setattr(self, "pkg", pkg)  # type: ignore[method-assign]
        sbd.MiniSBDSentencizer.split_sentences = lambda self, text: segment(text)  # type: ignore[method-assign]
        texts = paragraphs(args.paragraphs)
        options = RuntimeOptions(
            beam_size=args.beam,
            max_batch_size=32,
            threads=os.cpu_count() or 2,
            max_decoding_length=args.decode,
        )
        engine = ArgosEngine(find_package("en", "ru", packages), options)
        sent: list[str] = []
        calls: list[tuple[list[list[str]], dict[str, Any]]] = []
        bare = engine._translator

        class RecordingTranslator:
            def translate_batch(self, batch: list[list[str]], **decoding: Any) -> Any:
                calls.append((batch, decoding))
                return bare.translate_batch(batch, **decoding)

        engine._translator = RecordingTranslator()

        class Recording:
            provenance = engine.provenance

            def translate_batch(self, batch: Sequence[str]) -> list[Translation]:
                sent.extend(batch)
                return engine.translate_batch(batch)

        def tilmash() -> None:
            catalogs = []
            for start in range(0, len(texts), 50):
                catalog = Catalog(locale="ru")
                for index, text in enumerate(texts[start : start + 50]):
                    catalog.add(text, context=f"paragraph-{start + index}")
                catalogs.append(catalog)
            sent.clear()
            calls.clear()
            pretranslate(catalogs, Recording(), PretranslateSettings("ru", dt.date.today()), segment)

        translation = argos_translate.get_translation_from_codes("en", "ru")
        translation = getattr(translation, "underlying", translation)  # past its one-paragraph cache
        translators = {}
        default_intra = argos_settings.intra_threads
        for intra in (default_intra, 1):  # its default, then one thread per translation
            argos_settings.intra_threads = intra
            translation.translator = None
            translation.translate("warm up")  # loads a Translator, which is then limited like the others
            translators[intra] = _FixedLength(translation.translator, args.decode)

        def argos(intra: int) -> None:
            translation.translator = translators[intra]
            for text in texts:
                argos_translate.translate(text, "en", "ru")

        def direct() -> None:
            for batch, decoding in calls:
                bare.translate_batch(batch, **decoding)

        results: dict[str, list[float]] = {
            "tilmash (batched)": [],
            "argostranslate per paragraph": [],
            "argostranslate, INTRA_THREADS=1": [],
            "ctranslate2 direct": [],
        }
        actions: tuple[Callable[[], object], ...] = (
            tilmash,
            partial(argos, default_intra),
            partial(argos, 1),
            direct,
        )
        for _ in range(args.repeat):
            for name, action in zip(results, actions, strict=True):
                results[name].append(timed(action))
        sentences = [sentence for text in texts for sentence in segment(text)]
    medians = {name: statistics.median(times) for name, times in results.items()}
    decoding = "greedy" if args.beam == 1 else f"beam search (width {args.beam})"
    print(
        f"{args.paragraphs} paragraphs ({len(set(texts))} distinct), "
        f"{len(sentences)} sentences by the splitter "
        f"({len(set(sentences))} distinct); Tilmash sent {len(sent)} sentences and fallback pieces"
    )
    retried = sum(len(batch) for batch, decoding in calls if "repetition_penalty" in decoding)
    decoded = sum(len(batch) for batch, _ in calls)
    print(
        f"Tilmash decoded {decoded} inputs in {len(calls)} calls, {retried} of them a second time "
        "(bad output: retried with repetition penalties)"
    )
    print(
        f"transformer-base model, {decoding}, {args.decode} tokens per sentence; median of {args.repeat} runs"
    )
    for name, median in medians.items():
        print(f"{name:30s} {median:7.2f} s  {args.paragraphs / median:7.1f} paragraphs/s")
    tilmash_time = medians["tilmash (batched)"]
    print(
        "tilmash vs argostranslate: "
        f"{medians['argostranslate per paragraph'] / tilmash_time:.1f}× the throughput "
        f"at its default threads (ARGOS_INTRA_THREADS={default_intra}), "
        f"{medians['argostranslate, INTRA_THREADS=1'] / tilmash_time:.1f}× with ARGOS_INTRA_THREADS=1"
    )
    print(
        "tilmash vs ctranslate2 direct: "
        f"{100 * (tilmash_time / medians['ctranslate2 direct'] - 1):+.1f} % time"
    )


if __name__ == "__main__":
    main()
