"""SIGKILL `tilmash run` at many points: every file is old or new, and the next run heals all."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO, run_cli
from tests.helpers import msgfmt_check
from tilmash.i18n import is_reviewed, read_catalog, same_content

KILLS = int(os.environ.get("TILMASH_KILL_RUNS", "50"))


# When a translation last changed (its catalog's PO-Revision-Date) is a feed's `updated`: a
# run killed and repeated writes its catalogs a little later than the clean run did, so those
# times alone may differ. Everything else must be byte-identical.
_REVISION_TIMES = re.compile(rb"(<updated>|<lastBuildDate>|\"date_modified\": \")[^<\"]+")


def _site(root: Path) -> dict[str, bytes]:
    public = root / "public"
    return {
        str(p.relative_to(public)): _REVISION_TIMES.sub(rb"\1TIME", p.read_bytes())
        for p in public.rglob("*")
        if p.is_file()
    }


def _catalogs(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "i18n").rglob("*.po*"))}


def _reviewed(root: Path) -> set[tuple[str, str, str]]:
    found = set()
    for path in (root / "i18n").glob("*/*.po"):
        locale = "zh_Hans" if path.parent.name == "zh" else path.parent.name
        for message in read_catalog(path, locale):
            if message.id and is_reviewed(message):
                found.add((str(path.relative_to(root)), message.id, message.string))
    return found


def _same_catalogs(left: dict[str, bytes], right: dict[str, bytes]) -> bool:
    return left.keys() == right.keys() and all(same_content(left[k], right[k]) for k in left)


def test_sigkill_at_many_points_never_corrupts_anything(newsroom, en_ru_package, packages_env, tmp_path):
    config = newsroom / "tilmash.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('policy = "reviewed"', 'policy = "machine"'),
        encoding="utf-8",
    )
    assert run_cli("run", newsroom).code == 0  # the "old" site: no model installed yet
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    initial = tmp_path / "initial"
    shutil.copytree(newsroom, initial)
    old_site, reviewed_before = _site(initial), _reviewed(initial)

    clean = tmp_path / "clean"
    shutil.copytree(initial, clean)
    started = time.monotonic()
    assert run_cli("run", clean, env=packages_env).code == 0
    duration = time.monotonic() - started
    new_site, new_catalogs = _site(clean), _catalogs(clean)
    assert new_site != old_site, "the run under test must change the site"

    outcomes = {"old": 0, "new": 0}
    command = [sys.executable, "-m", "tilmash", "run", "--quiet", str(newsroom)]
    for attempt in range(KILLS):
        shutil.rmtree(newsroom)
        shutil.copytree(initial, newsroom)
        process = subprocess.Popen(
            command, cwd=REPO, env=packages_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(0.15 + 1.1 * duration * attempt / KILLS)  # the last few land after the swap
        process.send_signal(signal.SIGKILL)
        process.wait()

        for path in sorted((newsroom / "i18n").rglob("*.po")):
            check = msgfmt_check(path)
            assert check.returncode == 0, f"kill {attempt}: {path}: {check.stderr}"
        assert reviewed_before <= _reviewed(newsroom), f"kill {attempt}: a reviewed translation was lost"
        site = _site(newsroom)
        assert site in (old_site, new_site), f"kill {attempt}: the site is neither the old nor the new one"
        outcomes["old" if site == old_site else "new"] += 1

        assert run_cli("run", newsroom, env=packages_env).code == 0, f"kill {attempt}: recovery run failed"
        assert _site(newsroom) == new_site, f"kill {attempt}: recovered site differs from a clean run"
        assert _same_catalogs(_catalogs(newsroom), new_catalogs), f"kill {attempt}: recovered catalogs differ"
        assert not list(newsroom.glob(".public.*")), f"kill {attempt}: leftovers remain"
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes
