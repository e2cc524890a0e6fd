"""Build small, real, untrained translation models offline.

Tests and benchmarks need the true loading and inference path (SentencePiece, CTranslate2,
an `.argosmodel` installed through argostranslate) without downloading weights. The models
are random, so their output is nonsense, but every byte of it went through the engine.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_CORPUS = (
    "The university opened a new research centre for renewable energy.",
    "Scientists from three countries met in Almaty to discuss water resources.",
    "Students presented their projects at the annual science festival.",
    "The rector signed a memorandum of cooperation with a partner university.",
    "A satellite built by engineering students was launched into orbit.",
    "The laboratory received a grant to study medicinal plants of the steppe.",
    "More than 1,200 participants attended the international conference.",
    "Researchers published their results in an open access journal.",
    "The library extended its opening hours during the examination period.",
    "Professor Aigerim Bekova received the national prize for chemistry.",
    "Университет открыл новый исследовательский центр.",
    "Студенты представили свои проекты на фестивале науки.",
    "Университет жаңа зерттеу орталығын ашты.",
    "Студенттер ғылым фестивалінде өз жобаларын көрсетті.",
    "大学开设了一个新的研究中心。",
    "学生们在科学节上展示了他们的项目。",
)


@dataclass(frozen=True, slots=True)
class ModelShape:
    """Transformer dimensions; `transformer_base` is the size of real Argos models."""

    layers: int = 1
    heads: int = 2
    d_model: int = 32
    ffn: int = 64
    vocab_size: int = 200

    @classmethod
    def transformer_base(cls) -> ModelShape:
        return cls(layers=6, heads=8, d_model=512, ffn=2048, vocab_size=8000)


def synthetic_corpus(lines: int, seed: int = 1) -> list[str]:
    """Pseudo-words from random syllables: enough distinct text for a realistic vocabulary size."""
    import random

    rng = random.Random(seed)
    syllables = [a + b for a in "bdgklmnprstvz" for b in "aeiouy"] + ["qa", "sh", "zh", "ng", "ts"]
    words = ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(20000)]
    return [
        " ".join(rng.choice(words) for _ in range(rng.randint(6, 30))).capitalize() + "."
        for _ in range(lines)
    ]


def train_sentencepiece(corpus: Iterable[str], vocab_size: int, extra_symbols: Sequence[str] = ()) -> bytes:
    """A SentencePiece model trained on `corpus`; returns the model file's bytes."""
    import sentencepiece as spm

    lines = list(corpus)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines * max(1, 2000 // max(1, len(lines)))),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        user_defined_symbols=list(extra_symbols),
        minloglevel=2,
    )
    return model.getvalue()


def _vocabulary(sp_model: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _fill_weights(spec: object, shape: ModelShape, vocab: int, seed: int) -> None:
    """Random weights of the right shapes for every required variable of a Transformer spec."""
    rng = np.random.default_rng(seed)
    d, f = shape.d_model, shape.ffn

    def weight_shape(name: str) -> tuple[int, ...]:
        parts = name.split("/")
        leaf, owner = parts[-1], parts[-2]
        if leaf in ("gamma", "beta"):
            return (d,)
        if owner.startswith("embeddings") or owner == "projection":
            return (vocab, d) if leaf == "weight" else (vocab,)
        if "self_attention" in parts:
            return (3 * d, d) if owner == "linear_0" else (d, d)
        if "attention" in parts:
            return {"linear_0": (d, d), "linear_1": (2 * d, d), "linear_2": (d, d)}[owner]
        if "ffn" in parts:
            return (f, d) if owner == "linear_0" else (d, f)
        raise ValueError(f"no shape rule for {name}")

    def fill(layer: object, name: str, value: object) -> None:
        if value is None:
            full = name.split("/")
            values = rng.normal(0.0, 0.2, weight_shape(name)).astype(np.float32)
            if full[-1] == "gamma":
                values = np.ones(d, dtype=np.float32)
            setattr(layer, full[-1], values)

    spec._visit(fill)  # type: ignore[attr-defined]  # ctranslate2's specs have no public variable walk


# Dimensions 0-3 of the residual stream carry the positions that make a model end (`_end_after`).
LENGTH_DIMS = 4
POSITIONS = 2048  # longest source, and longest output, a model built here can take
RAMP = 0.001  # position p is ±RAMP·p in dimensions 0 and 2: small beside the unit-variance rest
EOS_STEEPNESS = 8.0  # logits per token by which </s> rises past its position
LOOP_STRENGTH = 0.3  # a partner's logit ≈ 0.3·(d − 4): far above the random ones (≈ 3)


def _end_after(spec: Any, vocab: list[str], d: int, length_ratio: float) -> None:
    """Make `spec` emit </s> once it has output `length_ratio` × the source's tokens.

    A random model never ends by itself, so every output would run to the decoding limit,
    far longer than any translation. Here the position is written into the residual stream
    (±RAMP·p in dimensions 0 and 2, so the layer norm's mean stays 0), every sublayer but
    the last cross-attention is silenced, and that cross-attention attends uniformly (zero
    queries) to the source, bringing the source's mean position, (n−1)/2, into dimensions 1
    and 3. The </s> logit reads `t − length_ratio·(n−1)`; the other tokens still follow the
    random weights from the previous token, so the text is nonsense of a translation's length.
    """
    encoder, decoder = spec.encoder, spec.decoder
    encoder.scale_embeddings = decoder.scale_embeddings = False
    for table in (encoder.embeddings[0], decoder.embeddings):
        rows = table.weight
        rows[:, :LENGTH_DIMS] = 0
        rest = rows[:, LENGTH_DIMS:]  # zero mean, unit variance: every token has the same norm
        rest -= rest.mean(axis=1, keepdims=True)
        rest /= rest.std(axis=1, keepdims=True)
    for norm in (encoder.layer_norm, decoder.layer_norm):
        norm.beta[:LENGTH_DIMS] = 0
    for layer in [*encoder.layer, *decoder.layer]:
        layer.self_attention.linear[1].weight[:] = 0
        layer.ffn.linear_1.weight[:] = 0
    for layer in decoder.layer:
        layer.attention.linear[0].weight[:] = 0  # zero queries: uniform attention over the source
        layer.attention.linear[2].weight[:] = 0
    values = np.zeros((2 * d, d), dtype=np.float32)  # keys zero; value 1 = (norm[0] − norm[2]) / 2
    values[d + 1, 0], values[d + 1, 2] = 0.5, -0.5
    last = decoder.layer[-1].attention
    last.linear[1].weight = values
    last.linear[2].weight[1, 1], last.linear[2].weight[3, 1] = 1.0, -1.0
    ramp = np.zeros((POSITIONS, d), dtype=np.float32)
    ramp[:, 0] = RAMP * np.arange(POSITIONS)
    ramp[:, 2] = -ramp[:, 0]
    encoder.position_encodings.encodings = ramp
    decoder.position_encodings.encodings = ramp.copy()
    sigma = math.sqrt((d - LENGTH_DIMS) / d)  # the layer norm's divisor, the same for every token
    rise = EOS_STEEPNESS * sigma / (2 * RAMP)
    source = 2 * sigma * length_ratio  # per (norm[1] − norm[3]) = RAMP·(n−1) / (2·sigma)
    eos = decoder.projection.weight[vocab.index("</s>")]
    eos[:] = 0
    eos[0], eos[2], eos[1], eos[3] = rise, -rise, -rise * source, rise * source


def _loop_in_pairs(spec: Any, sp_model: bytes, strength: float = LOOP_STRENGTH) -> None:
    """Make every learned piece follow its partner and the partner it (A B A B …).

    Unpenalised, the model then loops as real ones sometimes do; `no_repeat_ngram_size`
    breaks the loop (A B A B C D C D …). Control, unknown and user-defined tokens (language
    tokens, a target prefix), whose SentencePiece score is 0, keep their random weights.
    """
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    learned = [i for i in range(processor.get_piece_size()) if processor.get_score(i) < 0]
    embeddings, projection = spec.decoder.embeddings.weight, spec.decoder.projection.weight
    for a, b in zip(learned[0::2], learned[1::2], strict=False):
        projection[b] += strength * embeddings[a]
        projection[a] += strength * embeddings[b]


def build_ct2_model(
    output_dir: Path,
    sp_model: bytes,
    shape: ModelShape = ModelShape(),
    seed: int = 7,
    eos_bias: float = -4.0,
    token_bias: Mapping[str, float] | None = None,
    length_ratio: float | None = 1.0,
    broken_tokens: Sequence[str] = (),
) -> Path:
    """Save a random CTranslate2 Transformer sharing `sp_model`'s vocabulary.

    Its outputs end after `length_ratio` × the source's tokens; with None they never end
    (`eos_bias` then keeps </s> unlikely), running to whatever limit the decoding sets.
    `token_bias` sets the output bias of some tokens; `{"*": math.nan}` sets every one, which
    makes a broken model (NaN scores everywhere, like weights damaged in conversion).
    `broken_tokens` get NaN source embeddings: NaN scores for just the sentences holding one.
    """
    from ctranslate2.specs import transformer_spec

    vocab = _vocabulary(sp_model)
    spec = transformer_spec.TransformerSpec.from_config(shape.layers, shape.heads)
    _fill_weights(spec, shape, len(vocab), seed)
    bias = np.zeros(len(vocab), dtype=np.float32)
    if length_ratio is None:
        bias[vocab.index("</s>")] = eos_bias  # negative: keep small random models from stopping at once
    else:
        _end_after(spec, vocab, shape.d_model, length_ratio)
        _loop_in_pairs(spec, sp_model)
    for token in broken_tokens:
        spec.encoder.embeddings[0].weight[vocab.index(token)] = np.nan
    for token, value in (token_bias or {}).items():
        if token == "*":
            bias[:] = value
        else:
            bias[vocab.index(token)] = value
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    output_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(output_dir))
    return output_dir


def build_argos_package(
    destination: Path,
    from_code: str = "en",
    to_code: str = "ru",
    *,
    shape: ModelShape = ModelShape(),
    corpus: Iterable[str] = DEFAULT_CORPUS,
    package_version: str = "0.0.1-test",
    target_prefix: str = "",
    eos_bias: float = -4.0,
    token_bias: Mapping[str, float] | None = None,
    length_ratio: float | None = 1.0,
    broken_tokens: Sequence[str] = (),
) -> Path:
    """Write `destination` (an `.argosmodel` zip) holding a real, tiny translate package.

    `broken_tokens` become whole pieces of the vocabulary (see `build_ct2_model`).
    """
    import tempfile

    extra = [target_prefix] if target_prefix else []
    sp_model = train_sentencepiece(corpus, shape.vocab_size, [*extra, *broken_tokens])
    code = f"translate-{from_code}_{to_code}"
    metadata = {
        "package_version": package_version,
        "argos_version": "1.9",
        "from_code": from_code,
        "from_name": from_code,
        "to_code": to_code,
        "to_name": to_code,
        "type": "translate",
        "target_prefix": target_prefix,
        "links": [],
    }
    with tempfile.TemporaryDirectory() as work:
        model_dir = build_ct2_model(
            Path(work) / "model",
            sp_model,
            shape,
            eos_bias=eos_bias,
            token_bias=token_bias,
            length_ratio=length_ratio,
            broken_tokens=broken_tokens,
        )
        destination.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{code}/metadata.json", json.dumps(metadata, indent=2))
            archive.writestr(f"{code}/sentencepiece.model", sp_model)
            archive.writestr(f"{code}/README.md", "Untrained test package built by Tilmash.\n")
            for file in sorted(model_dir.iterdir()):
                archive.write(file, f"{code}/model/{file.name}")
    return destination


def build_multilingual_model(
    directory: Path,
    languages: Sequence[str] = ("kaz_Cyrl", "rus_Cyrl", "zho_Hans"),
    source_token: str = "eng_Latn",
    *,
    shape: ModelShape = ModelShape(),
    corpus: Iterable[str] = DEFAULT_CORPUS,
    length_ratio: float | None = 1.0,
) -> Path:
    """An NLLB-style model directory: CTranslate2 weights + `sentencepiece.bpe.model`.

    The language tokens are in the vocabulary.
    """
    sp_model = train_sentencepiece(corpus, shape.vocab_size, [source_token, *languages])
    build_ct2_model(directory, sp_model, shape, length_ratio=length_ratio)
    (directory / "sentencepiece.bpe.model").write_bytes(sp_model)
    return directory
