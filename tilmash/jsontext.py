"""JSON text exactly as `json.dumps(data, ensure_ascii=False, indent=…, separators=…)` writes it,
in pieces, at the speed of the C encoder.

The C encoder builds one string and knows no `indent` (Python 3.11); the pure-Python one is
~5× slower: a 1,000-article report (every article's progress per locale) took 25–40 ms each
time it was printed or saved. Here only the containers holding containers are walked in
Python; each innermost dict or list (an article's progress, say) goes to the C encoder whole,
with the indentation folded into its item separator. Without indentation, a container of
innermost ones (every article's progress in a locale) goes to it a slice of items at a time.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring  # the C function under ensure_ascii=False
from typing import Any

_CONTAINERS = (dict, list, tuple)
SLICE = 64  # items of a compact container encoded at a time: its pieces stay small


def _container_encoder(item_sep: str, key_sep: str) -> Callable[[object], str]:
    """`json.dumps` of a dict or list with these separators, by a C encoder made once here
    (JSONEncoder.encode makes one per call: a 1,000-article report encodes 4,000 progresses).
    No check for circular references: JSON data has none."""
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)  # not in the type stubs
    if c_make_encoder is None:  # an interpreter without the C accelerator
        return json.JSONEncoder(ensure_ascii=False, separators=(item_sep, key_sep)).encode
    default = json.JSONEncoder().default  # raises TypeError, as json.dumps does
    encoder = c_make_encoder(None, default, encode_basestring, None, key_sep, item_sep, False, False, True)
    return lambda value: "".join(encoder(value, 0))


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _leaf(value: dict[object, object] | list[object] | tuple[object, ...]) -> bool:
    items = value.values() if isinstance(value, dict) else value
    if _SCALARS.issuperset(map(type, items)):  # the common case, in C: 4,000 progresses a report
        return True
    return not any(isinstance(item, _CONTAINERS) for item in items)


def json_pieces(
    data: object,
    indent: int | None = None,
    separators: tuple[str, str] = (",", ":"),
    size: int = 1 << 16,
) -> Iterator[str]:
    """`data` as JSON text in pieces of about `size` characters (a large newsroom's report is
    never one string). `separators` as json.dumps takes them; with `indent`, pass (",", ": ")
    for json.dumps' own default."""
    item_sep, key_sep = separators
    compact = json.JSONEncoder(ensure_ascii=False, separators=separators).encode
    encoders: dict[int, Callable[[object], str]] = {}

    def flat(value: object, level: int) -> str:
        """One scalar or innermost container, by the C encoder, indented for `level`."""
        if indent is None or not isinstance(value, _CONTAINERS) or not value:
            return compact(value)
        encode = encoders.get(level)
        if encode is None:
            inner = "\n" + " " * (indent * (level + 1))
            encode = encoders[level] = _container_encoder(item_sep + inner, key_sep)
        text = encode(value)
        return f"{text[0]}\n{' ' * (indent * (level + 1))}{text[1:-1]}\n{' ' * (indent * level)}{text[-1]}"

    def key_text(key: object) -> str:
        return encode_basestring(key if isinstance(key, str) else flat(key, 0))

    def nested(value: object) -> bool:
        return isinstance(value, _CONTAINERS) and bool(value) and not _leaf(value)  # type: ignore[arg-type]

    def slices(value: dict[object, object] | list[object] | tuple[object, ...]) -> Iterator[str]:
        """A container of innermost containers and scalars, compact: `SLICE` items at a time by
        the C encoder, which has no indentation to add."""
        items: list[Any] = list(value.items()) if isinstance(value, dict) else list(value)
        for start in range(0, len(items), SLICE):
            part = items[start : start + SLICE]
            text = compact(dict(part) if isinstance(value, dict) else part)
            yield f"{item_sep if start else ''}{text[1:-1]}"

    def walk(value: dict[object, object] | list[object] | tuple[object, ...], level: int) -> Iterator[str]:
        if indent is None and not any(map(nested, value.values() if isinstance(value, dict) else value)):
            yield "{" if isinstance(value, dict) else "["
            yield from slices(value)
            yield "}" if isinstance(value, dict) else "]"
            return
        inner = "" if indent is None else "\n" + " " * (indent * (level + 1))
        outer = "" if indent is None else "\n" + " " * (indent * level)
        is_dict = isinstance(value, dict)
        entries = (
            ((f"{key_text(key)}{key_sep}", item) for key, item in value.items())  # type: ignore[union-attr]
            if is_dict
            else (("", item) for item in value)
        )
        yield "{" if is_dict else "["
        for number, (key, item) in enumerate(entries):
            head = f"{item_sep if number else ''}{inner}{key}"
            if nested(item):
                yield head
                yield from walk(item, level + 1)  # type: ignore[arg-type]
            else:
                yield head + flat(item, level + 1)
        yield outer + ("}" if is_dict else "]")

    pieces: list[str] = []
    length = 0
    for piece in walk(data, 0) if nested(data) else [flat(data, 0)]:  # type: ignore[arg-type]
        pieces.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(pieces)
            pieces, length = [], 0
    if pieces:
        yield "".join(pieces)
