"""The scans for Han and kana characters find what the regular expressions they replace found
(a character class of thousands of code points cost milliseconds to compile in every run)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tilmash.i18n.checks import _half_width_next_to_han, _han
from tilmash.i18n.terms import _unspaced

# Each range's edges and neighbours, half-width punctuation, digits of two scripts, letters.
_CHARS = st.sampled_from(
    list("\u303f\u3040\u30ff\u3100\u33ff\u3400\u4e2d\u6587\u9fff\ua000\uf8ff\uf900\ufaff\ufb00")
    + list(",:;?!().。，09٣aZ жү ")
)
_TEXT = st.text(_CHARS, max_size=12)


@given(_TEXT)
def test_half_width_punctuation_next_to_han_as_the_regex_found_it(text: str) -> None:
    pattern = r"[\u3400-\u9fff][,:;?!()]|[,:;?!()](?=[\u3400-\u9fff])|[\u3400-\u9fff]\.(?!\d)"
    assert _half_width_next_to_han(text) == bool(re.search(pattern, text))


@given(_TEXT)
def test_han_and_unspaced_characters_as_the_character_classes_found_them(text: str) -> None:
    assert any(map(_han, text)) == bool(re.search(r"[\u3400-\u9fff]", text))
    unspaced = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
    assert any(map(_unspaced, text)) == bool(unspaced.search(text))
    assert (bool(text) and _unspaced(text[0])) == bool(unspaced.match(text))
