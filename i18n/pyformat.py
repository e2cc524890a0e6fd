"""Python %-format fields (`%(name)s`, `%d`) in theme strings, which a translation must keep."""

from __future__ import annotations

import re

PYTHON_FORMAT_RE = re.compile(r"%(?:\((\w+)\))?[#0+\-]*(?:\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def python_format_placeholders(text: str) -> list[str]:
    """The fields of `text`, sorted, `%%` left out: a translation must have the same list.

    A field must be named (`%(tag)s`) or be a bare conversion directly after `%` (`%s`), so
    prose such as "50% discount" holds none.
    """
    return sorted(m.group() for m in PYTHON_FORMAT_RE.finditer(text) if m.group() != "%%")


_DIRECTIVE = re.compile(
    r"%(?:%|(?:\((?P<name>[^)]*)\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d*))?[hlL]?(?P<conv>.?))"
)
_TYPES = {**dict.fromkeys("diouxX", "integer"), **dict.fromkeys("eEfFgG", "float"), "c": "character"}
_TYPES.update(dict.fromkeys("sr", "any"))  # gettext 0.21 knows no %a
_LITERAL = "%"  # "%%", also with flags ("% 3%"): a literal percent sign, no argument


def _directives(text: str) -> list[tuple[str | None, str]] | None:
    """(name, type) of each directive, as gettext's python-format reads them; None when invalid."""
    found: list[tuple[str | None, str]] = []
    for match in _DIRECTIVE.finditer(text):
        conversion = _LITERAL if match.group() == "%%" else match.group("conv")
        if conversion == _LITERAL:
            continue
        if conversion not in _TYPES:
            return None
        found.append((match.group("name"), _TYPES[conversion]))
    return found


def python_format_errors(msgid: str, msgstr: str) -> str:
    """Why `msgstr` does not fit `msgid` as python-format strings (as `msgfmt --check` says), or ""."""
    expected = _directives(msgid)
    if expected is None:
        return ""
    found = _directives(msgstr)
    if found is None:
        return "the translation is not a valid Python format string"
    named = [name for name, _ in expected if name is not None]
    if expected and found and bool(named) != any(name is not None for name, _ in found):
        return "the English expects " + ("a mapping" if named else "a tuple") + ", the translation does not"
    if named or any(name is not None for name, _ in found):
        types = dict(expected)
        for name, kind in found:
            if name not in types:
                return f"argument '{name}' does not exist in the English"
            if types[name] != kind:
                return f"argument '{name}' has another type than in the English"
        missing = sorted({name for name in named} - {name for name, _ in found})
        return f"argument '{missing[0]}' is missing from the translation" if missing else ""
    if len(expected) != len(found):
        return "the number of format specifications differs from the English"
    for number, ((_, wanted), (_, kind)) in enumerate(zip(expected, found, strict=True), start=1):
        if wanted != kind:
            return f"argument {number} has another type than in the English"
    return ""


def directive_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each directive gettext's python-format parser accepts, `%%` included.

    Like gettext, reading stops at the first invalid directive, which includes one that
    mixes named (`%(tag)s`) and unnamed (`%s`) arguments.
    """
    spans = []
    named = unnamed = False
    for match in _DIRECTIVE.finditer(text):
        conversion = _LITERAL if match.group() == "%%" else match.group("conv")
        if conversion != _LITERAL and conversion not in _TYPES:
            break
        if match.group("name") is not None:
            if unnamed or "*" in match.group():
                break
            named = True
        elif conversion != _LITERAL or "*" in match.group():
            if named:
                break
            unnamed = True
        spans.append(match.span())
    return spans
