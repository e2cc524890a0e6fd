"""tilmash.jsontext writes exactly what json.dumps writes, in bounded pieces."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilmash.jsontext import SLICE, json_pieces

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


@pytest.mark.parametrize("indent", [2, None])
def test_a_large_report_comes_in_bounded_pieces(indent: int | None) -> None:
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
    pieces = list(json_pieces(report, indent, (",", ": "), size=4096))
    assert len(pieces) > 50
    assert max(map(len, pieces)) < 8192
    assert "".join(pieces) == json.dumps(report, ensure_ascii=False, indent=indent, separators=(",", ": "))


LEAVES = SCALARS | st.lists(SCALARS, max_size=3) | st.dictionaries(st.text(), SCALARS, max_size=3)


@given(st.lists(LEAVES, min_size=SLICE - 2, max_size=2 * SLICE + 3))
def test_compact_slices_join_as_json_dumps(values: list[object]) -> None:
    """Containers longer than a slice, compact: the slices' seams are json.dumps' separators."""
    data = {(n if n % 2 else f"{n}-ключ"): value for n, value in enumerate(values)}
    for container in (data, list(data.values()), {"outer": data}, [list(data.items())]):
        expected = json.dumps(container, ensure_ascii=False, separators=(",", ":"))
        assert "".join(json_pieces(container, None, (",", ":"), size=64)) == expected
