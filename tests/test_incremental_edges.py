"""Edits the random property test (test_incremental_property.py) does not make: after each, a
run that reuses what earlier runs kept (the no-op check, units, page keys, shared catalogs)
publishes exactly the site a cold run makes from the same files."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.newsroom import LOCALES, make_newsroom, story_name
from tests.conftest import run_cli
from tests.helpers import cold_copy, file_tree
from tilmash.atomic import AtomicWriter
from tilmash.config import load_config
from tilmash.i18n import read_catalog, render_catalog
from tilmash.runner import RunOptions, run
from tilmash.state import scan_inputs

REPO = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


def _run(root: Path) -> tuple[list[str], list[str]]:
    """The errors (the newsroom's path left out) and the run's stage lines."""
    log: list[str] = []
    report = run(load_config(root, {}), RunOptions(now=NOW, jobs=1), log.append)
    return sorted(e.replace(str(root), "ROOT") for e in report.errors), log


def _newsroom(
    root: Path, publish: str = "", articles: int = 4, page_size: int = 10, feed_items: int = 10
) -> Path:
    """`articles` reviewed in every locale, published by a first run."""
    make_newsroom(root, articles)
    settings = root / "tilmash.toml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("[engines]", f"page_size = {page_size}\nfeed_items = {feed_items}\n[engines]")
    settings.write_text(text + publish, encoding="utf-8")
    _run(root)
    return root


def test_a_glossary_edit_is_no_no_op_when_the_glossary_gates_publication(tmp_path: Path) -> None:
    """The glossary decides what publishes under `block_on = ["glossary"]`: a run after a glossary
    edit replayed the last one (glossary/ was not among the inputs the no-op check stats)."""
    live = _newsroom(tmp_path / "live", '[publish]\nblock_on = ["glossary"]\n')
    _run(live)
    (live / "glossary").mkdir()
    (live / "glossary" / "ru.csv").write_text("term,translation\nuniversity,вуз\n", encoding="utf-8")
    cold = cold_copy(live, tmp_path / "cold")
    errors, log = _run(live)
    assert "stage=noop reason=inputs-unchanged" not in log
    assert any("[glossary]" in e for e in errors)
    assert (errors, file_tree(live / "public")) == (_run(cold)[0], file_tree(cold / "public"))


def _checkout(target: Path) -> Path:
    """A copy of Tilmash laid out as installed (tilmash/render, …): a stand-in for an editable
    install whose templates can be edited without touching the repository's."""
    compiled = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "tilmash", target / "tilmash", ignore=compiled)
    for stage in ("sources", "i18n", "translate", "render"):
        shutil.copytree(REPO / stage, target / "tilmash" / stage, ignore=compiled)
    return target


def _run_with(code: Path, root: Path) -> None:
    """A run in a process that imports Tilmash from `code` (before the installed one)."""
    script = (
        "import datetime as dt, sys; from pathlib import Path; from tilmash.config import load_config; "
        "from tilmash.runner import RunOptions, run; "
        "import tilmash; assert tilmash.__file__.startswith(sys.argv[2]), tilmash.__file__; "
        "run(load_config(Path(sys.argv[1]), {}), RunOptions(now=dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)))"
    )
    environ = os.environ | {"PYTHONPATH": str(code)}
    subprocess.run([sys.executable, "-c", script, str(root), str(code)], cwd=code, env=environ, check=True)


@pytest.mark.parametrize(
    ("edited", "old", "shown", "pages"),
    [
        ("render/templates/article.html", "</article>", "<p>An edited theme</p>", "/story-"),
        # the parser: a `git pull` in the checkout of an editable install
        (
            "sources/loader.py",
            '_required_text(meta, "title", lines.get("title") or 1)',
            " (parsed anew)",
            "en/",
        ),
    ],
)
def test_code_edited_in_an_editable_install_shows_on_every_page(
    tmp_path: Path, edited: str, old: str, shown: str, pages: str
) -> None:
    """Reused articles' pages were hard-linked from the last run (units_run_key did not cover
    Tilmash's templates or code), and a run with no other change was a no-op (nor did the
    no-op check)."""
    code = _checkout(tmp_path / "code")
    live = tmp_path / "live"
    make_newsroom(live, 3)
    _run_with(code, live)
    path = code / "tilmash" / edited
    text = path.read_text(encoding="utf-8")
    assert old in text
    new = f"{shown}{old}" if edited.endswith(".html") else f"{old} + {shown!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    cold = cold_copy(live, tmp_path / "cold")
    _run_with(code, live)
    _run_with(code, cold)
    site = file_tree(live / "public")
    assert site == file_tree(cold / "public")
    changed = [data for path, data in site.items() if pages in path and "/story-" in path]
    assert len(changed) >= 3 and all(shown.encode() in data for data in changed)


def test_a_model_installed_where_argos_keeps_them_by_default_is_used_by_the_next_run(
    newsroom: Path, en_ru_package: Path, tmp_path: Path
) -> None:
    """With no ARGOS_PACKAGES_DIR, `tilmash models install` puts the package in argostranslate's
    own folder, which the no-op check did not look at: every later run replayed the last one
    and left the untranslated entries a cold run machine-translates."""
    drop = ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "TILMASH_HOME", "SNAP")
    environ = {k: v for k, v in os.environ.items() if k not in drop} | {"HOME": str(tmp_path / "home")}
    assert run_cli("run", newsroom, env=environ).code == 0
    assert "stage=noop" in run_cli("run", newsroom, env=environ).stderr
    assert run_cli("models", "install", en_ru_package, env=environ).code == 0
    assert (tmp_path / "home" / ".local" / "share" / "argos-translate" / "packages").is_dir()
    result = run_cli("run", "--json", newsroom, env=environ)
    assert result.code == 0 and "stage=noop" not in result.stderr
    filled = {line["locale"]: line["machine_filled"] for line in json.loads(result.stdout)["locales"]}
    assert filled["ru"] > 0


def test_a_library_upgraded_between_runs_redoes_every_article(newsroom: Path, tmp_path: Path) -> None:
    """Upgrading pysbd (or pyromark, nh3, …) may change every page, but a run after it was a
    no-op, and with an input edited it reused every other article."""
    import pysbd

    installed = Path(pysbd.__file__).parent
    libraries = tmp_path / "site-packages"
    shutil.copytree(installed, libraries / "pysbd", ignore=shutil.ignore_patterns("__pycache__"))
    environ = os.environ | {"PYTHONPATH": str(libraries)}
    assert run_cli("run", newsroom, env=environ).code == 0
    assert "stage=noop" in run_cli("run", newsroom, env=environ).stderr
    # installing another version writes the package's files anew
    shutil.rmtree(libraries / "pysbd")
    shutil.copytree(installed, libraries / "pysbd", ignore=shutil.ignore_patterns("__pycache__"))
    result = run_cli("run", newsroom, env=environ)
    assert result.code == 0 and "stage=noop" not in result.stderr
    assert "reused=0 " in result.stderr


def test_a_registered_multilingual_model_changes_the_inputs(tmp_path: Path) -> None:
    """`tilmash models add-ct2` writes the registry: a run after it is no no-op."""
    registry = tmp_path / "models.json"
    registry.write_text("{}", encoding="utf-8")
    before = scan_inputs(tmp_path, None, registry).fingerprint()
    registry.write_text('{"nllb": {}}', encoding="utf-8")
    assert scan_inputs(tmp_path, None, registry).fingerprint() != before


def test_page_keys_of_another_site_render_every_listing_again(tmp_path: Path) -> None:
    """A pages.json put back from a backup (or copied from another newsroom) names keys the
    published files were not rendered with: a title changed and changed back kept the index
    and tag pages showing the title in between."""
    live = _newsroom(tmp_path / "live")
    backup = (live / ".tilmash" / "pages.json").read_bytes()
    source = live / "sources" / "story-00001.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Story number 1", "A title in between"), encoding="utf-8")
    _run(live)
    source.write_text(text, encoding="utf-8")
    (live / ".tilmash" / "pages.json").write_bytes(backup)
    cold = cold_copy(live, tmp_path / "cold")
    _run(live)
    _run(cold)
    pages = file_tree(live / "public")
    assert not [path for path, data in pages.items() if b"A title in between" in data]
    assert pages == file_tree(cold / "public")


def _listed(root: Path, index: int, title: str) -> None:
    source = root / "sources" / f"story-{index:05d}.md"
    source.write_text(source.read_text(encoding="utf-8").replace(f"Story number {index}", title))


@pytest.mark.parametrize(
    ("kept", "found", "stray"),
    [
        ("units.pickle", "Story number 5", "Story numbeX 5"),  # a listing edition in the index
        ("units-*.data", "Story number 10", "Story numbeX 10"),  # a full edition the feeds show
        ("shared.pickle", "Последние", "Последнии"),  # the compiled UI strings of ru
    ],
)
def test_a_stray_write_that_leaves_a_kept_file_readable_is_not_published(
    tmp_path: Path, kept: str, found: str, stray: str
) -> None:
    """A letter changed inside .tilmash/ (a disk error, a stray write) kept the pickle readable:
    the next run that rendered the index page, feed or locale's listings showed it."""
    live = _newsroom(tmp_path / "live", articles=12, page_size=3, feed_items=3)
    path = next((live / ".tilmash").glob(kept))
    data = path.read_bytes()
    assert data.count(found.encode()) >= 1
    path.write_bytes(data.replace(found.encode(), stray.encode()))
    _listed(live, 4, "Story number four")  # on story 5's index page (three a page, newest first)
    _listed(live, 11, "Story number eleven")  # the newest: every feed, the first page of each locale
    cold = cold_copy(live, tmp_path / "cold")
    _run(live)
    _run(cold)
    pages = file_tree(live / "public")
    assert not [path for path, data in pages.items() if stray.encode() in data]
    assert pages == file_tree(cold / "public")


def _damaged_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(b ^ 0x5A for b in data[middle : middle + 8])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("kept", "damage"),
    [
        ("units.pickle", _damaged_middle),
        ("units.pickle", lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])),
        ("pages.json", lambda path: path.write_bytes(path.read_bytes()[:100])),
        ("pages.json", lambda path: path.write_text('{"version": 1, "keys": [1]}', encoding="utf-8")),
    ],
)
def test_a_damaged_kept_file_is_a_warning_and_the_run_publishes_what_a_cold_run_does(
    tmp_path: Path, kept: str, damage: Callable[[Path], None]
) -> None:
    """The run took no shortcut from a damaged units index or page keys file, but said nothing:
    a disk going bad went unnoticed."""
    live = _newsroom(tmp_path / "live", articles=6, page_size=2, feed_items=2)
    damage(live / ".tilmash" / kept)
    _listed(live, 3, "Story number three")
    cold = cold_copy(live, tmp_path / "cold")
    report = run(load_config(live, {}), RunOptions(now=NOW, jobs=1))
    assert [w for w in report.warnings if w.startswith(f"{live / '.tilmash' / kept}: damaged")]
    _run(cold)
    assert file_tree(live / "public") == file_tree(cold / "public")
    _listed(live, 2, "Story number two")
    report = run(load_config(live, {}), RunOptions(now=NOW, jobs=1))
    assert not report.warnings  # the file was saved anew


def test_a_public_folder_that_is_a_symlink_stays_one_and_shows_each_run(tmp_path: Path) -> None:
    """public/ → the web server's folder: the run swapped its new site in place of the link, so
    the web server kept the old site for ever, and the link was left as a `.public.new-*` leftover."""
    live = _newsroom(tmp_path / "live")
    served = tmp_path / "www" / "news"
    served.parent.mkdir()
    (live / "public").rename(served)
    (live / "public").symlink_to(served)
    _listed(live, 1, "Story number one")
    errors, _ = _run(live)
    assert not errors
    assert (live / "public").is_symlink() and (live / "public").resolve() == served
    assert b"Story number one" in (served / "en" / "story-00001.html").read_bytes()
    assert sorted(p.name for p in live.iterdir()) == [".tilmash", "i18n", "public", "sources", "tilmash.toml"]
    assert sorted(p.name for p in served.parent.iterdir()) == ["news"]
    assert "stage=noop reason=inputs-unchanged" in _run(live)[1]
    cold = tmp_path / "cold"
    cold.mkdir()
    for name in ("tilmash.toml", "sources", "i18n"):
        (shutil.copytree if (live / name).is_dir() else shutil.copy2)(live / name, cold / name)
    shutil.copytree(served, cold / "public")
    _run(cold)
    assert file_tree(served) == file_tree(cold / "public")


def _open_below(directory: Path) -> list[str]:
    """This process's open files below `directory`."""
    opened = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(f"{directory}/"):
            opened.append(target)
    return opened


def test_a_run_that_fails_midway_leaves_no_file_open(tmp_path: Path) -> None:
    """The units index and data file stayed open after a run that stopped with an `error:` (a
    full disk, say): a process running Tilmash again and again kept them, deleted, for ever."""
    live = _newsroom(tmp_path / "live")
    keys = live / ".tilmash" / "pages.json"
    keys.unlink()
    keys.mkdir()  # saving the page keys fails, after the units were read
    _listed(live, 1, "Story number one")
    errors, _ = _run(live)
    assert [e for e in errors if "pages.json" in e]
    assert not _open_below(live)


def test_a_symlinked_catalog_stays_a_link_and_gets_what_a_run_writes(newsroom: Path, tmp_path: Path) -> None:
    """A catalog kept in a shared translations folder and linked into i18n/ was replaced by a
    plain file on the run's first write: the shared copy never saw it, and translators kept
    editing a file the newsroom no longer read."""
    shared = tmp_path / "translations" / "kk-library-night.po"
    shared.parent.mkdir()
    linked = newsroom / "i18n" / "kk" / "library-night.po"
    shutil.move(linked, shared)
    linked.symlink_to(shared)
    source = newsroom / "sources" / "library-night.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\nThe library stays open until midnight on Fridays.\n",
        encoding="utf-8",
    )
    assert run_cli("run", newsroom).code == 0
    assert linked.is_symlink() and linked.resolve() == shared
    assert "The library stays open until midnight on Fridays." in shared.read_text(encoding="utf-8")
    assert "stage=noop" in run_cli("run", newsroom).stderr  # what it wrote counts as read


def test_a_catalog_link_pointed_elsewhere_before_the_commit_defers_the_write(tmp_path: Path) -> None:
    """The temp file is made beside the link's target: renaming it onto another target (another
    filesystem: EXDEV midway through the commit) would write what was compared with the first."""
    first, second = tmp_path / "shared-a", tmp_path / "shared-b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "x.po").write_bytes(b"old")
    link = tmp_path / "i18n" / "kk" / "x.po"
    link.parent.mkdir(parents=True)
    link.symlink_to(first / "x.po")
    writer = AtomicWriter()
    writer.write(link, b"new", b"old")
    link.unlink()
    link.symlink_to(second / "x.po")
    assert writer.commit() == 0 and writer.skipped == [link]
    assert (first / "x.po").read_bytes() == (second / "x.po").read_bytes() == b"old"
    assert sorted(p.name for p in first.iterdir()) == ["x.po"]  # no temp file left


def test_temp_files_left_beside_a_linked_catalogs_target_are_removed(newsroom: Path, tmp_path: Path) -> None:
    """A run interrupted while writing a linked catalog leaves its temp file beside the target,
    outside the newsroom; the next run removes it, and nothing else of the shared folder."""
    shared = tmp_path / "translations"
    shared.mkdir()
    linked = newsroom / "i18n" / "kk" / "library-night.po"
    shutil.move(linked, shared / "kk-library-night.po")
    linked.symlink_to(shared / "kk-library-night.po")
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = int(gone.stdout)  # a PID no process has any more
    ours = shared / f".kk-library-night.po.{dead}.x1y2.tmp"
    others = [shared / f".notes.txt.{dead}.x1y2.tmp", shared / f".kk-library-night.po.{os.getpid()}.abc.tmp"]
    for path in (ours, *others):
        path.write_bytes(b"half a catalog")
    assert run_cli("run", newsroom).code == 0
    assert not ours.exists()
    assert all(path.exists() for path in others)  # another tool's, and a live process's


SHARED = "The library stays open late while exams last."


def _translate_shared(root: Path, index: int, locale: str, text: str, machine: bool = False) -> None:
    """Story `index`'s entry for SHARED: machine output (fuzzy, its provenance said) or reviewed."""
    path = root / "i18n" / locale / story_name(index).replace(".md", ".po")
    catalog = read_catalog(path, LOCALES[locale])
    (message,) = [m for m in catalog if m.id == SHARED]
    message.string = text
    if machine:
        message.flags.add("fuzzy")
        message.auto_comments.append(f"machine translation: argos en→{locale} 1.0, 2026-05-01")
    else:
        message.flags.discard("fuzzy")
    path.write_bytes(render_catalog(catalog))


def _reused(log: list[str]) -> int:
    (line,) = [line for line in log if line.startswith("stage=sources")]
    return int(line.split(" reused=")[1].split()[0])


def test_machine_output_in_a_kept_unit_gives_way_to_a_twin_reviewed_elsewhere(tmp_path: Path) -> None:
    """A kept unit whose catalog holds machine output is redone once another article's catalog
    reviews the same English: a cold run takes the reviewed twin (translation memory) in its
    place. The unit was reused as it was, publishing the machine output no one approved."""
    live = _newsroom(tmp_path / "live", articles=3)
    for index in (0, 1):
        path = live / "sources" / story_name(index)
        path.write_text(path.read_text(encoding="utf-8") + f"\n{SHARED}\n", encoding="utf-8")
    _run(live)  # the shared paragraph is open in both catalogs
    _translate_shared(live, 0, "kk", "Кітапхана емтихан уақытында кеш ашық тұрады.", machine=True)
    for locale, text in REVIEWED_ELSEWHERE:
        _translate_shared(live, 0, locale, text)
    assert _run(live)[0] == []  # story 0 is complete (machine output is no gap); story 1 is open
    source = live / "sources" / story_name(2)
    source.write_text(source.read_text(encoding="utf-8").replace(".", ", they said.", 1), encoding="utf-8")
    errors, log = _run(live)
    assert errors == [] and _reused(log) == 1  # an edit elsewhere reuses story 0's unit
    _translate_shared(live, 1, "kk", "Емтихан кезінде кітапхана кешке дейін ашық болады.")
    cold = cold_copy(live, tmp_path / "cold")
    assert _run(live)[0] == _run(cold)[0] == []
    assert "кешке дейін" in (live / "i18n" / "kk" / story_name(0).replace(".md", ".po")).read_text("utf-8")
    assert file_tree(live / "i18n") == file_tree(cold / "i18n")
    assert file_tree(live / "public") == file_tree(cold / "public")


NEAR = "The library stays open late while the exams last."
REVIEWED_ELSEWHERE = (
    ("ru", "Библиотека открыта допоздна, пока идут экзамены."),
    ("zh", "考试期间图书馆开放到很晚。"),
)


def test_a_unit_left_untranslated_is_kept_until_a_review_elsewhere_offers_a_near_match(
    tmp_path: Path,
) -> None:
    """With no engine for a locale, what no one has translated yet stays so from run to run:
    such a unit is kept (an edit elsewhere redid every untranslated article), and redone once
    another catalog reviews English new to the locale, which translation memory may offer."""
    live = _newsroom(tmp_path / "live", articles=3)
    for index, paragraph in ((0, SHARED), (1, NEAR)):
        path = live / "sources" / story_name(index)
        path.write_text(path.read_text(encoding="utf-8") + f"\n{paragraph}\n", encoding="utf-8")
    assert _run(live)[0] == []  # both left open in every locale: no engine
    source = live / "sources" / story_name(2)
    source.write_text(source.read_text(encoding="utf-8").replace(".", ", they said.", 1), encoding="utf-8")
    errors, log = _run(live)
    assert errors == [] and _reused(log) == 2
    catalog = live / "i18n" / "kk" / story_name(1).replace(".md", ".po")
    text = catalog.read_text(encoding="utf-8")
    at = text.index(f'msgid "{NEAR}"\nmsgstr ""') + len(f'msgid "{NEAR}"\nmsgstr ')
    catalog.write_text(text[:at] + '"Емтихан кезінде кітапхана кешке дейін ашық."' + text[at + 2 :], "utf-8")
    cold = cold_copy(live, tmp_path / "cold")
    assert _run(live)[0] == _run(cold)[0] == []
    offered = (live / "i18n" / "kk" / story_name(0).replace(".md", ".po")).read_text("utf-8")
    assert "translation memory:" in offered
    assert file_tree(live / "i18n") == file_tree(cold / "i18n")
    assert file_tree(live / "public") == file_tree(cold / "public")


def test_an_approval_restored_by_a_reverted_edit_reaches_the_other_articles_next_run(tmp_path: Path) -> None:
    """An English edit reverted restores the translation approved for it. The locale's memory
    gains it only once that catalog is written, so the next run must run in full, as a cold
    run does, and give it to the twin left with machine output; it replayed the last run."""
    live = _newsroom(tmp_path / "live", articles=3)
    story = {index: live / "sources" / story_name(index) for index in (0, 1)}
    original = story[1].read_text(encoding="utf-8")
    story[1].write_text(original + f"\n{SHARED}\n", encoding="utf-8")
    _run(live)
    for locale, text in (("kk", "Емтихан кезінде кітапхана кешке дейін ашық."), *REVIEWED_ELSEWHERE):
        _translate_shared(live, 1, locale, text)
    _run(live)
    story[1].write_text(original + f"\n{SHARED.replace('while', 'as long as')}\n", encoding="utf-8")
    _run(live)  # story 1's approval waits beside its changed English
    story[0].write_text(story[0].read_text(encoding="utf-8") + f"\n{SHARED}\n", encoding="utf-8")
    _run(live)
    _translate_shared(live, 0, "kk", "Кітапхана емтихан уақытында кеш ашық тұрады.", machine=True)
    for locale, text in REVIEWED_ELSEWHERE:
        _translate_shared(live, 0, locale, text)
    _run(live)
    story[1].write_text(original + f"\n{SHARED}\n", encoding="utf-8")  # the edit reverted
    assert _run(live)[0] == []
    cold = cold_copy(live, tmp_path / "cold")
    assert _run(live)[0] == _run(cold)[0] == []
    assert "кешке дейін" in (live / "i18n" / "kk" / story_name(0).replace(".md", ".po")).read_text("utf-8")
    assert file_tree(live / "i18n") == file_tree(cold / "i18n")
    assert file_tree(live / "public") == file_tree(cold / "public")
