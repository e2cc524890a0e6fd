"""YAML front matter: split it from the body and report problems with their line."""

from __future__ import annotations

from typing import Any

import yaml

FENCE = "---"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10× faster


class FrontMatterError(ValueError):
    """Broken front matter; `line` is 1-based in the source file."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Return (metadata, body, line number where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise FrontMatterError("no front matter: the file must start with a '---' line", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in (FENCE, "..."))
    except StopIteration:
        raise FrontMatterError("front matter is not closed by a '---' line", 1) from None
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=_SAFE_LOADER)
    except yaml.YAMLError as error:
        # The context mark points at the construct left open (a "[" or a quote), which is
        # where the author has to look; the problem mark is where the parser gave up.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise FrontMatterError(f"front matter is not valid YAML: {problem}", line) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping of 'key: value' lines", 2)
    return meta, "\n".join(lines[end + 1 :]), end + 2
