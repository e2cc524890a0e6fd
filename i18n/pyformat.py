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
