"""A PO header's fields read as Babel reads them with the `email` package, without importing it."""

from __future__ import annotations

import datetime as dt
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


_VALUES = {
    "Content-Type": [
        "text/plain; charset=UTF-8",
        "text/plain; charset=utf-8",
        "text/plain;charset=CP1251",
        'text/plain; charset="UTF-8"',
        "text/html",
        "text/plain; charset=UTF-8; x=1",
        "",
    ],
    "Plural-Forms": [
        "nplurals=2; plural=(n != 1);",
        "nplurals=1; plural=0;",
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",  # noqa: E501
        "nplurals=2;plural=n>1",
        "nplurals=2; plural=(n != 1) ;",
        "NPLURALS=2; plural=n != 1;",
        'nplurals=2; plural="n != 1";',
        "nplurals=2; plural=<n>;",
        "nplurals=x; plural=0;",
        "plural=0; nplurals=1;",
        "nplurals=2; plural=;",
        "nplurals=2; plural=n>1; x=y",
    ],
    "POT-Creation-Date": [
        "2026-05-01 12:00+0000",
        "2026-11-25 09:30+0600",
        "2026-02-28 23:59-0330",
        "2026-05-01 12:00",
        "2026-5-1 12:00+0000",
        "2026-13-01 12:00+0000",
        "YEAR-MO-DA HO:MI+ZONE",
    ],
    "PO-Revision-Date": [
        "2026-11-25 09:30+0500",
        "2026-11-25 09:30",
        "YEAR-MO-DA HO:MI+ZONE",
        "2026-11-25T09:30",
    ],
}


def _state(catalog: Catalog) -> tuple[object, ...]:
    dates = [catalog.creation_date, catalog.revision_date]
    return (
        catalog.charset,
        catalog._num_plurals,
        catalog._plural_expr,
        [(d, d.tzname(), d.utcoffset()) if hasattr(d, "tzname") else d for d in dates],
    )


@settings(max_examples=600)
@given(st.lists(st.sampled_from([(name, v) for name, values in _VALUES.items() for v in values]), max_size=5))
def test_the_fields_read_without_email_or_strptime_are_what_babel_reads(
    fields: list[tuple[str, str]],
) -> None:
    """Content-Type, Plural-Forms and the two dates in their usual forms are read without Babel's
    `email` and strptime (~8 ms of imports in an edit run); any other form is left to Babel."""
    text = "".join(f"{name}: {value}\n" for name, value in fields)
    made = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # not the time each was made at
    babel_set, ours = Catalog(locale="ru", creation_date=made), Catalog(locale="ru", creation_date=made)
    babel_error = ours_error = None
    try:
        babel_set[""] = Message("", text)
    except ValueError as error:
        babel_error = type(error)
    try:
        _set_header(ours, Message("", text))
    except ValueError as error:
        ours_error = type(error)
    assert ours_error == babel_error
    if babel_error is None:
        assert _state(ours) == _state(babel_set)
        assert ours.mime_headers == babel_set.mime_headers
