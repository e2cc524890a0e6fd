"""The placeholder syntax of translation units: `<n>…</n>` for paired markup, `<n/>` for the rest.

Every stage that touches unit text (MT, QA checks, rendering) checks it with the same rules,
using the English text itself as the reference: it holds every placeholder in its form.
"""

from __future__ import annotations

import re
from collections import Counter

PLACEHOLDER_RE = re.compile(r"<(/?)(\d+)(/?)>")


def placeholder_forms(source: str) -> dict[int, bool]:
    """Placeholder number → True when paired (`<n>…</n>`), False when self-closing (`<n/>`)."""
    return {int(m.group(2)): not m.group(3) for m in PLACEHOLDER_RE.finditer(source) if not m.group(1)}


def _shown(number: int, paired: bool) -> str:
    return f"<{number}>…</{number}>" if paired else f"<{number}/>"


def check_placeholders(source: str, text: str) -> list[str]:
    """Problems of `text` against the placeholders of `source` (empty when it fits).

    One pass over each text with sets and counters: linear in their length, whatever the
    number of placeholders (a paragraph can hold thousands of links).
    """
    known = placeholder_forms(source)
    problems: list[str] = []
    seen: Counter[int] = Counter()
    stack: list[int] = []
    for match in PLACEHOLDER_RE.finditer(text):
        closing, number, selfclosing = match.group(1), int(match.group(2)), match.group(3)
        if number not in known:
            problems.append(f"unknown placeholder {match.group(0)}")
        elif bool(selfclosing) == known[number]:
            problems.append(
                f"{match.group(0)} has the wrong form (the source has {_shown(number, known[number])})"
            )
        elif closing:
            if not stack or stack[-1] != number:
                problems.append(f"{match.group(0)} closes a tag that is not open")
            else:
                stack.pop()
        else:
            seen[number] += 1
            if known[number]:
                stack.append(number)
    problems += [f"<{n}> is never closed" for n in stack]
    problems += [
        f"placeholder {_shown(n, paired)} is missing" for n, paired in known.items() if n not in seen
    ]
    problems += [f"placeholder <{n}> appears twice" for n in sorted(seen) if seen[n] > 1]
    return problems
