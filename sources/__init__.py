"""Stage 1: English articles in, `Article` objects out.

The loader (Markdown, YAML, HTML parsers) is imported on first use (PEP 562).
"""

from importlib import import_module
from typing import Any

from tilmash.sources.model import Article, Block, Placeholder, SourceError

_LAZY = dict.fromkeys(
    (
        "load_sources",
        "parse_article",
        "source_files",
        "read_source",
        "read_source_and_digest",
        "collect_sources",
    ),
    "tilmash.sources.loader",
)
__all__ = ["Article", "Block", "Placeholder", "SourceError", *_LAZY]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'sources' has no attribute {name!r}")
    return getattr(import_module(_LAZY[name]), name)
