"""Article pages filled into a shell Jinja rendered once per shape are the very pages Jinja renders."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st

import tilmash.render
from tilmash.i18n import parse_catalog
from tilmash.render.policy import LocalizedArticle
from tilmash.render.settings import SiteSettings
from tilmash.render.shells import Shells
from tilmash.render.site import locale_pages
from tilmash.render.ui import compiled_mo, translations
from tilmash.sources import parse_article

LOCALES = ("en", "kk", "ru", "zh")
SETTINGS = SiteSettings(
    "News & <Views>", "https://news.example/", "en", LOCALES, {"zh": "zh_Hans"}, titles={"zh": "新闻。"}
)


def _ui(locale: str):  # noqa: ANN202 - Babel's Translations
    path = Path(tilmash.render.__file__).parent / "locale" / locale / "ui.po"
    return translations(compiled_mo(parse_catalog(path.read_bytes(), path, locale)))


PAGES = locale_pages(SETTINGS, {code: _ui(code) for code in LOCALES[1:]})  # shells kept across examples
TEXT = st.text(alphabet="Ab cқжЖ中文。,.&<>\"'", max_size=12)
BODY = st.lists(st.sampled_from(["Solar **lab** opens.", "See [it](https://a.example/?x=1&y=2).", "- one"]))


@st.composite
def editions(draw: st.DrawFn) -> tuple[str, LocalizedArticle, dict[str, dict[str, str]]]:
    locale = draw(st.sampled_from(LOCALES))
    summary = "summary: A summary\n" if draw(st.booleans()) else ""
    raw = f"---\ntitle: A title\n{summary}date: 2026-03-01\n---\n" + ("\n\n".join(draw(BODY)) or "Text.")
    story = parse_article(Path("sources/story.md"), raw.encode(), "story")
    tags = tuple(draw(st.lists(st.sampled_from(["energy", "R&D", "science"]), max_size=3, unique=True)))
    story = replace(story, tags=tags, author=draw(st.sampled_from(["", "Press Office", "A & B"])))
    units = [block.id for block in story.blocks]
    texts = {unit: draw(TEXT) for unit in draw(st.lists(st.sampled_from(units), unique=True))}
    names = {("tag", tag): draw(TEXT) for tag in tags if draw(st.booleans())}
    edition = LocalizedArticle(
        story,
        locale,
        texts,
        untranslated_units=frozenset(draw(st.lists(st.sampled_from(units)))),
        machine_units=frozenset(draw(st.lists(st.sampled_from(units), max_size=1))),
        updating=draw(st.booleans()),
        names=names,
        source=locale == "en",
    )
    others = draw(st.lists(st.sampled_from(LOCALES), unique=True))
    published = {code: {story.slug: f"{code}/{story.slug}.html"} for code in {locale, *others}}
    return locale, edition, published


@settings(max_examples=300, deadline=None)
@given(editions())
def test_an_article_page_from_its_shell_is_the_page_jinja_renders(case):
    locale, edition, published = case
    pages = replace(PAGES[locale], published=published)
    direct = replace(pages, shells=Shells())  # a first page of its shape: rendered by Jinja itself
    assert pages.article(edition) == direct.article(edition)


def test_a_template_that_looks_into_a_string_of_the_first_page_of_a_shape_is_left_to_jinja():
    env = jinja2.Environment(autoescape=True)
    template = env.from_string('{% if x == "a" %}<b>A</b>{% endif %}{{ x }}|{{ y }}')
    shells = Shells()
    for x, y in [("a", "1"), ("b", "2"), ("a", "<3>")]:
        assert shells.render(template, {}, None, {"x": x, "y": y}) == template.render(x=x, y=y)


# What the article page's templates may do with a value: print it, test it, loop over it.
# Anything else (a comparison, a filter, `~`, a length) could depend on a string's content,
# which a page's shape does not hold: such a template must not be rendered through Shells.
ALLOWED = {"Template", "Extends", "Block", "Output", "TemplateData", "If", "For", "Not", "Name", "Getattr"}


def test_the_article_pages_templates_only_print_test_or_loop_over_their_values():
    env = PAGES["en"].env
    for name in ("article.html", "base.html"):
        tree = env.parse(env.loader.get_source(env, name)[0])
        for node in tree.find_all(jinja2.nodes.Node):
            if isinstance(node, jinja2.nodes.Call):  # `_("…")`, a constant per locale, or `self.title()`
                constant = isinstance(node.node, jinja2.nodes.Name) and node.node.name == "_"
                assert (constant and all(isinstance(a, jinja2.nodes.Const) for a in node.args)) or (
                    isinstance(node.node, jinja2.nodes.Getattr) and node.node.node.name == "self"
                ), node
            elif isinstance(node, jinja2.nodes.Filter):  # only on a constant
                assert isinstance(node.node, jinja2.nodes.Call) and node.node.node.name == "_", node
            elif not isinstance(node, jinja2.nodes.Const):
                assert type(node).__name__ in ALLOWED, (name, node)


def test_pages_of_one_shape_share_a_shell():
    env = jinja2.Environment(autoescape=True)
    template = env.from_string(
        "{% for t in tags %}<i>{{ t.name }}</i>{% endfor %}{% if s %}{{ s }}{% endif %}"
    )
    shells = Shells()
    marked = []
    template.render = lambda *a, **k: marked.append(k) or jinja2.Template.render(template, *a, **k)  # type: ignore
    for tags, s in [(["a&b", "c"], "x"), (["<d>", "e"], "y'z"), (["f"], ""), (["g"], "")]:
        values = {"tags": [{"name": name} for name in tags], "s": s}
        assert shells.render(template, {}, None, values) == jinja2.Template.render(template, **values)
    assert len(marked) == 2 * 2  # two shapes, each rendered with markers and once as it is
