"""Stage 1: English articles in, `Article` objects out."""

from sources.loader import load_sources, parse_article
from sources.model import Article, Block, Placeholder, SourceError

__all__ = ["Article", "Block", "Placeholder", "SourceError", "load_sources", "parse_article"]
