"""tilmash.jsontext writes exactly what json.dumps writes, in bounded pieces."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tilmash.jsontext import json_pieces

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
KEYS = st.text() | st.integers() | st.booleans() | st.none()
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=30,
)


@given(DATA, st.sampled_from([None, 0, 1, 2]), st.sampled_from([(",", ":"), (",", ": "), (", ", ": ")]))
def test_same_text_as_json_dumps(data: object, indent: int | None, separators: tuple[str, str]) -> None:
    expected = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    assert "".join(json_pieces(data, indent, separators)) == expected


def test_a_large_report_comes_in_bounded_pieces() -> None:
    report = {
        "ok": True,
        "locales": [
            {
                "locale": locale,
                "by_article": {f"story-{n}": {"reviewed": n, "words": "слово"} for n in range(3000)},
            }
            for locale in ("kk", "ru", "zh")
        ],
    }
    pieces = list(json_pieces(report, 2, (",", ": "), size=4096))
    assert len(pieces) > 50
    assert max(map(len, pieces)) < 8192
    assert "".join(pieces) == json.dumps(report, ensure_ascii=False, indent=2)
