"""A tokenizer must belong to its model.

CTranslate2 turns every piece its vocabulary lacks into `<unk>`: a SentencePiece model from
another package, or a wrong `--sp`, gives it texts of `<unk>` and it answers with garbage or
NaN scores, without a word. Checked when an engine loads, so it is an error for the locale.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from tilmash.translate.engine import EngineError

SOURCE_FILES = (
    "shared_vocabulary.json",
    "shared_vocabulary.txt",
    "source_vocabulary.json",
    "source_vocabulary.txt",
)
TARGET_FILES = (
    "shared_vocabulary.json",
    "shared_vocabulary.txt",
    "target_vocabulary.json",
    "target_vocabulary.txt",
)
MOST = 0.5  # a model may lack a few rare pieces (M2M-100's does); lacking half is another tokenizer's


class VocabularyError(EngineError):
    """A model directory without a vocabulary, or a tokenizer that does not belong to it."""


def read_vocabulary(directory: Path, names: Sequence[str] = TARGET_FILES) -> set[str]:
    """The tokens of a CTranslate2 model directory (the first of `names` it has)."""
    for name in names:
        path = directory / name
        if path.is_file():
            if name.endswith(".json"):
                return set(json.loads(path.read_text(encoding="utf-8")))
            return set(path.read_text(encoding="utf-8").splitlines())
    raise VocabularyError(
        f"{directory}: no vocabulary file ({' or '.join(names)}): is this a CTranslate2 model directory?"
    )


def check_tokenizer(directory: Path, sentencepiece: Path) -> None:
    """Raise VocabularyError when most pieces of `sentencepiece` are unknown to the model in `directory`."""
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(sentencepiece))
    pieces = [
        processor.id_to_piece(i)
        for i in range(processor.get_piece_size())
        if not (processor.is_control(i) or processor.is_unknown(i) or processor.is_unused(i))
    ]
    vocabulary = read_vocabulary(directory, SOURCE_FILES)
    missing = [piece for piece in pieces if piece not in vocabulary]
    if pieces and len(missing) > MOST * len(pieces):
        examples = ", ".join(missing[:3])
        raise VocabularyError(
            f"{sentencepiece}: this SentencePiece model does not belong to the model in {directory}: "
            f"{len(missing)} of its {len(pieces)} pieces are not in the model's vocabulary (e.g. {examples})"
        )
