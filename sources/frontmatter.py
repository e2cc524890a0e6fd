"""YAML front matter: split it from the body and report problems with their line."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

FENCE = "---"
MAX_FRONT_MATTER = 64 * 1024  # characters: a title, a summary and a few tags need a few hundred


class FrontMatterError(ValueError):
    """Broken front matter; `line` is 1-based in the source file."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@cache
def _loader() -> Any:
    """YAML's safe loader (libyaml's when available: 10× faster) where an impossible date is a
    YAML error with its position, not a crash, and a plain value is text unless it is a date or
    empty: YAML 1.1 read `title: Yes` as True, `title: 0x1F` as 31, `summary: 12:30` as 750
    (base 60), and pages showed that. Made for the first front matter that is not simple
    (`_simple`): a run whose front matter all is never imports yaml (~8 ms)."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml or not
        pass

    as_text = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
    Loader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag not in as_text]
        for first, resolvers in Loader.yaml_implicit_resolvers.items()
    }

    def timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError):
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid date", node.start_mark
            ) from None

    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return Loader


def _refuse_aliases(text: str) -> None:
    """Aliases (`*name`) can make 300 bytes expand to gigabytes; front matter never needs them."""
    if "*" not in text:  # no alias without an asterisk: skip the extra parse
        return
    import yaml

    for event in yaml.parse(text, Loader=_loader()):  # the parser only: events, nothing constructed
        if isinstance(event, yaml.AliasEvent):
            raise FrontMatterError(
                "front matter must not use YAML aliases (*name)", event.start_mark.line + 2
            )


# Front matter as newsrooms mostly write it: `key: value` lines whose value is plain words, a
# date, or plain words in brackets. `_simple` reads it as YAML does, without the YAML parser
# (whose Python half costs as much as segmenting the story); anything else (quotes, colons,
# numbers, comments, blank or continued lines, yes/no/null) is left to the parser.
_WORDS = r"[A-Za-z][A-Za-z0-9]*(?: [A-Za-z0-9]+)*"
_DATE = "([0-9]{4})-([0-9]{2})-([0-9]{2})"
_SIMPLE_LINE = re.compile(rf"([A-Za-z_][A-Za-z0-9_]*): (?:({_WORDS})|{_DATE}|\[({_WORDS}(?:, {_WORDS})*)?\])")
# Plain words YAML 1.1 reads as booleans or null, not as text.
_KEYWORDS = frozenset("yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF".split())
_KEYWORDS |= {"null", "Null", "NULL"}


def _simple(source: str) -> dict[str, Any] | None:
    """What YAML reads from `source` when it is simple front matter; None when it is not."""
    meta: dict[str, Any] = {}
    for line in source.split("\n"):
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None or match.group(1) in _KEYWORDS:
            return None
        key, words, year, month, day, items = match.groups()
        if words is not None:
            if words in _KEYWORDS:
                return None
            meta[key] = words
        elif year is not None:
            try:
                meta[key] = dt.date(int(year), int(month), int(day))
            except ValueError:  # not a date: YAML says so, with its line
                return None
        else:
            listed = items.split(", ") if items else []
            if any(item in _KEYWORDS for item in listed):
                return None
            meta[key] = listed
    return meta


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Return (metadata, body, line number where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise FrontMatterError("no front matter: the file must start with a '---' line", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in (FENCE, "..."))
    except StopIteration:
        raise FrontMatterError("front matter is not closed by a '---' line", 1) from None
    source = "\n".join(lines[1:end])
    if len(source) > MAX_FRONT_MATTER:
        raise FrontMatterError(f"front matter is longer than {MAX_FRONT_MATTER // 1024} KB", 2)
    simple = _simple(source)
    if simple is not None:
        return simple, "\n".join(lines[end + 1 :]), end + 2
    import yaml

    try:
        _refuse_aliases(source)
        meta = yaml.load(source, Loader=_loader())
    except FrontMatterError:
        raise
    except yaml.YAMLError as error:
        # The context mark points at the construct left open (a "[" or a quote), which is
        # where the author has to look; the problem mark is where the parser gave up.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise FrontMatterError(f"front matter is not valid YAML: {problem}", line) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as error:  # e.g. nesting too deep
        raise FrontMatterError(f"front matter cannot be read: {error}", 2) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping of 'key: value' lines", 2)
    return meta, "\n".join(lines[end + 1 :]), end + 2
