"""A PO header's fields read as Babel reads them with the `email` package, without importing it."""

from __future__ import annotations

import email

from babel.messages.catalog import Catalog, Message
from hypothesis import given, settings
from hypothesis import strategies as st

from tilmash.i18n.pofile import _set_header, mime_fields

_PIECES = [
    "From ",
    "From",
    ":",
    ": ",
    " ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "Language",
    "Plural-Forms",
    "X-Ä",
    "né",
    "\x7f",
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


@settings(max_examples=1000)
@given(_TEXT)
def test_fields_as_email_reads_them(text: str) -> None:
    assert mime_fields(text) == email.message_from_string(text).items()


_LINES = [
    "Language-Team: Kazakh",
    "X-Generator: Poedit 3.4",
    "Plural-Forms: nplurals=2; plural=(n != 1);",
    "Bad",
]


@given(
    st.lists(st.sampled_from(_LINES)),
    st.booleans(),
    st.lists(st.sampled_from(["A catalog", "", "Жаңалықтар"])),
)
def test_a_catalog_header_as_babel_sets_it(lines: list[str], fuzzy: bool, comments: list[str]) -> None:
    text = "\n".join([*lines, "Content-Type: text/plain; charset=UTF-8", ""])
    flags = ["fuzzy"] if fuzzy else []
    babel_set, ours = Catalog(locale="kk"), Catalog(locale="kk")
    babel_set[""] = Message("", text, flags=flags, user_comments=comments)
    _set_header(ours, Message("", text, flags=flags, user_comments=comments))
    assert ours.mime_headers == babel_set.mime_headers
    assert (ours.fuzzy, ours.header_comment, ours.num_plurals) == (
        babel_set.fuzzy,
        babel_set.header_comment,
        babel_set.num_plurals,
    )
