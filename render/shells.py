"""Pages of one shape rendered by Jinja once; every other page of that shape is its text with the
strings filled in.

A locale's article pages run the same template code for every article: the same
conditions hold, the same loops turn, only the strings differ. A page's *shape* is its
values with each non-empty string taken out (what remains: which strings are empty, the
length of each list, every flag and number). Jinja renders a shape once with a numbered
marker in place of each string; a page of that shape is then that text with each marker
replaced by its string, escaped as Jinja's autoescape does (a `Markup` string as it is).

That holds for templates that only print a string or test whether it is empty (no
filters, comparisons or lengths of strings). The first page of each shape is rendered
both ways: if they differ, pages of that shape are always rendered by Jinja.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from itertools import count
from typing import TYPE_CHECKING, Any

import jinja2

_MARKER = re.compile("\x00([0-9]+)\x00")  # never in a page: control characters are stripped on input
_SPECIAL = re.compile("[&<>'\"]")
Shell = tuple[str, list[int]]  # the page as a format string, the string each of its fields stands for


class Fields:
    """Named values a template reads by attribute (`page.lang`) at the speed of any object's.

    Jinja tries `getattr` before `[]`: on a dict that first try fails and costs ten times a
    hit, and an article page reads some forty of them. (A dict that is its own `__dict__` is
    as fast to read but a reference cycle: every page's dozen of them waited for the garbage
    collector.) A missing name is Jinja's undefined, as a dict's missing key is.
    """

    def __init__(self, values: dict[str, Any] | None = None, /, **more: Any) -> None:
        """`values` (a dict made for it: adopted, not copied, unless `more` is given) and `more`."""
        self.__dict__ = more if values is None else values | more if more else values

    def __getitem__(self, name: str) -> Any:
        return self.__dict__[name]

    if TYPE_CHECKING:  # its names are the values it was made with

        def __getattr__(self, name: str) -> Any: ...

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fields) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"Fields({vars(self)!r})"


class _Unshaped(Exception):
    """A value the shape does not model (a function, a date): the page is rendered by Jinja."""


def _escaped(text: str) -> str:
    """`text` as Jinja's autoescape prints it (markupsafe's escaping, without a Markup per string)."""
    if not _SPECIAL.search(text):
        return text
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _shape(value: Any, strings: list[str]) -> Hashable:
    """`value` without its non-empty strings, which are added, escaped, to `strings`."""
    if type(value) is str:
        if value:
            strings.append(_escaped(value))
            return "s"
        return ""
    kind = type(value)
    if kind is Fields or isinstance(value, (dict, list)):
        mapping = value.__dict__ if kind is Fields else value if isinstance(value, dict) else None
        shapes: list[Hashable] = []
        for item in value if mapping is None else mapping.values():
            item_kind = type(item)
            if item_kind is str:  # most items: no call for them
                if item:
                    strings.append(_escaped(item))
                    shapes.append("s")
                else:
                    shapes.append("")
            elif item_kind is bool or item is None:  # flags: no call either
                shapes.append((item_kind, item))
            else:
                shapes.append(_shape(item, strings))
        return kind, len(value) if mapping is None else tuple(mapping), tuple(shapes)
    if isinstance(value, str):
        html = getattr(value, "__html__", None)
        if html is None:
            raise _Unshaped(type(value).__name__)
        if value:
            strings.append(html())
            return "m"
        return ""
    if value is None or isinstance(value, (bool, int, float)):
        return type(value), value
    raise _Unshaped(type(value).__name__)


def _marked(value: Any, numbers: Iterator[int]) -> Any:
    """`value` with each non-empty string replaced by the next marker (a `Markup` one by a `Markup`)."""
    if isinstance(value, str):
        return type(value)(f"\x00{next(numbers)}\x00") if value else value
    if type(value) is Fields:
        return Fields(_marked(vars(value), numbers))
    if isinstance(value, dict):
        return type(value)({key: _marked(item, numbers) for key, item in value.items()})
    if isinstance(value, list):
        return [_marked(item, numbers) for item in value]
    return value


def _layout(marked: str) -> Shell:
    """The shell of a page rendered with markers: a format string, and the string of each field."""
    pieces = _MARKER.split(marked)
    texts = [text.replace("{", "{{").replace("}", "}}") for text in pieces[0::2]]
    return "{}".join(texts), [int(number) for number in pieces[1::2]]


class Shells:
    """The shells of pages, by template, context and shape."""

    def __init__(self) -> None:
        self._shells: dict[Hashable, Shell | None] = {}

    def render(
        self, template: jinja2.Template, context: dict[str, Any], same: Hashable, values: dict[str, Any]
    ) -> str:
        """What `template.render(context, **values)` returns; `same` is equal only for equal contexts
        (its functions — the locale's translations — and its strings)."""
        strings: list[str] = []
        try:
            shape = (template.name, same, _shape(values, strings))
        except _Unshaped:
            return template.render(context, **values)
        if shape not in self._shells:
            shell: Shell | None = _layout(template.render(context, **_marked(values, count())))
            direct = template.render(context, **values)
            if shell is not None and _filled(shell, strings) != direct:
                shell = None
            self._shells[shape] = shell
            return direct
        known = self._shells[shape]
        return template.render(context, **values) if known is None else _filled(known, strings)


def _filled(shell: Shell, strings: list[str]) -> str:
    layout, fields = shell
    return layout.format(*[strings[field] for field in fields])
