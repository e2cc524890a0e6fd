"""Simple front matter read without the YAML parser reads exactly as YAML reads it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tilmash.sources import parse_article
from tilmash.sources.frontmatter import FrontMatterError, _loader, _simple, split_front_matter
from tilmash.sources.loader import SourceProblem

# Values a newsroom writes, and look-alikes YAML reads otherwise (booleans, null, numbers,
# impossible dates, quotes, comments, sexagesimal numbers, colons): each in lists too.
PLAIN = ["Story number 1", "Press Office", "energy", "R2D2", "x", "Almaty", "yes", "No", "on", "OFF", "null"]
PLAIN += ["Null", "true", "False", "y", "n", "2026-02-02", "2026-13-01", "2026-02-30", "0000-01-01", "[]"]
ODD = [
    "Ақпарат",
    "1e3",
    "0x1F",
    "12",
    "1:20",
    "a: b",
    "'quoted'",
    "#tag",
    "a  b",
    "trailing ",
    "",
    "~",
    ".inf",
]
ODD += [
    "-",
    "a, b",
    "[x]",
    "é",
    "2026-2-2",
    "2026-02-02t",
    "|",
    "> folded",
    "&anchor x",
    "!!str 12",
    "[a, [b]]",
]
KEYS = ["title", "date", "tags", "author", "summary", "_x", "Title2"]
ODD_KEYS = ["yes", "on", "a-b", "1", "No"]


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """Mostly simple lines, now and then one that is not."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        odd = draw(st.integers(0, 9)) == 0
        key = draw(st.sampled_from(KEYS + ODD_KEYS if odd else KEYS))
        words = st.sampled_from(PLAIN + ODD if odd else PLAIN)
        if draw(st.booleans()):
            separator = draw(st.sampled_from([", ", ",", " ,"]) if odd else st.just(", "))
            value = "[" + separator.join(draw(st.lists(words, max_size=4))) + "]"
        else:
            value = draw(words)
        lines.append(f"{key}:{draw(st.sampled_from([' ', '  ', '']) if odd else st.just(' '))}{value}")
    if lines and draw(st.integers(0, 9)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["", "# note", "  continued"])))
    return "\n".join(lines)


def _yaml(source: str) -> object:
    try:
        return yaml.load(source, Loader=_loader())
    except yaml.YAMLError as error:
        return type(error)


@settings(max_examples=1500, deadline=None)
@given(front_matter())
def test_simple_front_matter_reads_as_yaml_reads_it(source):
    simple = _simple(source)
    if simple is not None:
        assert simple == _yaml(source)
        assert [type(v) for v in simple.values()] == [type(v) for v in _yaml(source).values()]


def test_a_newsrooms_usual_front_matter_is_simple():
    source = "title: Story number 7\ndate: 2026-02-02\nauthor: Press Office\ntags: [energy, water]"
    assert _simple(source) == _yaml(source)
    for other in ["title: 'quoted'", "published: yes", "tags: [on, off]", "date: 2026-02-30", "n: 12"]:
        assert _simple(f"title: A\n{other}") is None, other


def test_an_impossible_date_in_simple_front_matter_is_still_reported_with_its_line():
    with pytest.raises(FrontMatterError) as raised:
        split_front_matter("---\ntitle: A story\ndate: 2026-02-30\n---\nBody.\n")
    assert raised.value.line == 3 and "not a valid date" in str(raised.value)


LINES = ["---", "...", "title: A", "date: 2026-01-02", "tags: [a]", " date: x", "dates: x", "slug:s", "", "x"]


@given(st.lists(st.sampled_from(LINES), max_size=12))
def test_each_key_line_is_the_first_line_starting_with_it_before_a_closing_fence(lines):
    from tilmash.sources.loader import _key_lines

    text = "\n".join(lines)
    found = _key_lines(text)
    for key in ("title", "date", "tags", "slug", "dates", " date", "x"):
        expected = None  # the first `key:` line after the opening one, unless a `---` line comes first
        for number, line in enumerate(text.split("\n")[1:], start=2):
            if line.strip() == "---":
                break
            if line.startswith(f"{key}:"):
                expected = number
                break
        assert found.get(key) == expected, key


def test_values_yaml_11_would_retype_are_shown_as_written():
    """`title: Yes` was published as "True", `0x1F` as "31", `summary: 12:30` as "750" (base 60),
    `author: No` as no author; a date stays a date."""
    meta, _, _ = split_front_matter(
        "---\ntitle: Yes\nauthor: No\nsummary: 12:30\nslug: 0x1f\ntags: [on, 1.10, 2026]\n"
        "date: 2026-02-02\n---\nBody.\n"
    )
    assert meta == {
        "title": "Yes",
        "author": "No",
        "summary": "12:30",
        "slug": "0x1f",
        "tags": ["on", "1.10", "2026"],
        "date": dt.date(2026, 2, 2),
    }


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [("author", "[Ann Lee, Bob Kim]", "not a list (several authors"), ("title", "{en: A}", "not a mapping")],
)
def test_a_list_or_mapping_where_text_belongs_is_an_error_with_its_line(field, value, says):
    """`author: [Ann Lee, Bob Kim]` was published as the byline "['Ann Lee', 'Bob Kim']"."""
    source = f"---\ntitle: A story\ndate: 2026-02-02\n{field}: {value}\n---\nBody.\n".replace(
        "title: A story\n", "" if field == "title" else "title: A story\n"
    )
    with pytest.raises(SourceProblem) as raised:
        parse_article(Path("sources/story.md"), source.encode(), "story")
    assert raised.value.line == source.splitlines().index(f"{field}: {value}") + 1
    assert f"'{field}' must be text, {says}" in str(raised.value)


@pytest.mark.parametrize("mark", ["draft: true", "published: false", "status: draft"])
def test_a_draft_mark_from_hugo_jekyll_or_pelican_is_a_warning_with_its_line(mark):
    """Tilmash publishes every article of sources/: a newsroom moving from Hugo, Jekyll or
    Pelican put its drafts online without a word."""
    source = f"---\ntitle: Not yet\ndate: 2026-02-02\n{mark}\n---\nBody.\n"
    article = parse_article(Path("sources/not-yet.md"), source.encode(), "not-yet")
    assert [w for w in article.warnings if "marks a draft" in w] == [
        f"sources/not-yet.md:4: '{mark}' marks a draft, but every article in sources/ is published: "
        "keep drafts elsewhere"
    ]
    assert (
        parse_article(Path("sources/x.md"), source.replace(mark, "draft: false").encode(), "x").warnings == ()
    )
