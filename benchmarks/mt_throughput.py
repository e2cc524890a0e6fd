"""Machine-translation throughput: Tilmash's batched engine vs argostranslate per paragraph vs raw CTranslate2.

One Argos package of transformer-base shape (6 layers, d=512, ffn 2048, 8,000 SentencePiece
pieces; random weights, built here) serves all three, with the same decoding settings:
greedy, and every sentence decoded to exactly DECODE tokens (a random model never emits a
sensible end of sentence, and random output lengths would measure luck, not batching;
argostranslate's Translator is given the same limit). The example newsroom's units are
scaled to PARAGRAPHS.

* tilmash: `translate.pretranslate` over catalogs holding the paragraphs (sentence split,
  masking, one batched pass, restoring), as `tilmash run` does.
* argostranslate: `argostranslate.translate.translate()` called once per paragraph. Its
  MiniSBD sentence splitter downloads a model on first use, impossible offline, so it is
  given the same pysbd splitter Tilmash uses.
* ctranslate2: the sentences Tilmash sent, tokenized and passed to one `translate_batch`.

    python benchmarks/mt_throughput.py [--paragraphs 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
from pathlib import Path

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
    # Each copy gets its own words in front, so no two paragraphs (or sentences) are the same
    # and deduplication cannot flatter the batched path.
    openers = [
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
    ]
    return [openers[i // len(units) % len(openers)] + units[i % len(units)] for i in range(count)]


def build_package(directory: Path) -> Path:
    from tests.model_factory import DEFAULT_CORPUS, ModelShape, build_argos_package, synthetic_corpus

    corpus = list(DEFAULT_CORPUS) + paragraphs(60) + synthetic_corpus(20000)
    return build_argos_package(
        directory / "translate-en_ru-base.argosmodel",
        shape=ModelShape.transformer_base(),
        corpus=corpus,
        eos_bias=-30.0,
    )


class _FixedLength:
    """argostranslate's CTranslate2 Translator with the benchmark's decoding limit added."""

    def __init__(self, translator, limit: int) -> None:  # noqa: ANN001
        self._translator, self._limit = translator, limit

    def translate_batch(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return self._translator.translate_batch(*args, max_decoding_length=self._limit, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--decode", type=int, default=48, help="tokens decoded per sentence")
    args = parser.parse_args()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=SCRATCH) as scratch:
        packages = Path(scratch) / "packages"
        packages.mkdir()
        os.environ |= {
            "ARGOS_PACKAGES_DIR": str(packages),
            "ARGOS_BEAM_SIZE": "1",
            "ARGOS_DEVICE_TYPE": "cpu",
        }
        from argostranslate import package as argos_package
        from argostranslate import sbd
        from argostranslate import translate as argos_translate

        argos_package.install_from_path(build_package(Path(scratch)))

        from babel.messages.catalog import Catalog
        from tilmash.translate.argos import ArgosEngine, RuntimeOptions, find_package
        from tilmash.translate.pretranslate import PretranslateSettings, pretranslate
        from tilmash.translate.segments import english_segmenter

        segment = english_segmenter()
        sbd.MiniSBDSentencizer.__init__ = lambda self, pkg: setattr(self, "pkg", pkg)  # type: ignore[method-assign]
        sbd.MiniSBDSentencizer.split_sentences = lambda self, text: segment(text)  # type: ignore[method-assign]
        texts = paragraphs(args.paragraphs)
        options = RuntimeOptions(
            beam_size=1, max_batch_size=32, threads=os.cpu_count() or 2, max_decoding_length=args.decode
        )
        engine = ArgosEngine(find_package("en", "ru", packages), options)
        sent: list[str] = []

        class Recording:
            provenance = engine.provenance

            def translate_batch(self, batch):  # noqa: ANN001 - mirrors Engine
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
            pretranslate(catalogs, Recording(), PretranslateSettings("ru", dt.date.today()), segment)

        translation = argos_translate.get_translation_from_codes("en", "ru")
        translation = getattr(translation, "underlying", translation)  # past its one-paragraph cache
        translation.translate("warm up")  # loads its Translator, which is then limited like the others
        translation.translator = _FixedLength(translation.translator, args.decode)

        def argos() -> None:
            for text in texts:
                argos_translate.translate(text, "en", "ru")

        def direct() -> None:
            tokens = [engine._package.tokenizer.encode(s) for s in sent]  # noqa: SLF001 - same tokenizer
            engine._translator.translate_batch(
                tokens, beam_size=1, max_batch_size=32, max_decoding_length=args.decode
            )  # noqa: SLF001

        results: dict[str, list[float]] = {
            "tilmash (batched)": [],
            "argostranslate per paragraph": [],
            "ctranslate2 direct": [],
        }
        for _ in range(args.repeat):
            for name, action in zip(results, (tilmash, argos, direct)):
                results[name].append(timed(action))
    medians = {name: statistics.median(times) for name, times in results.items()}
    print(
        f"{args.paragraphs} paragraphs ({len(sent)} sentences), transformer-base model, greedy, {args.decode} tokens each; median of {args.repeat} runs"
    )
    for name, median in medians.items():
        print(f"{name:30s} {median:7.2f} s  {args.paragraphs / median:7.1f} paragraphs/s")
    tilmash_time = medians["tilmash (batched)"]
    print(
        f"tilmash vs argostranslate: {medians['argostranslate per paragraph'] / tilmash_time:.1f}× the throughput"
    )
    print(
        f"tilmash vs ctranslate2 direct: {100 * (tilmash_time / medians['ctranslate2 direct'] - 1):+.1f} % time"
    )


if __name__ == "__main__":
    main()
