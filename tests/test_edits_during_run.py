"""An edit saved while a run works is never taken as processed: the next run publishes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

# Stage lines are logged when a stage ends; stopping the run right after one of them puts the
# edit inside the next stage: machine translation, writing catalogs, rendering, publishing.
MOMENTS = ("stage=sources", "stage=translate locale=ru", "stage=commit", "stage=render")
RU_TITLE = "В кампусе открылась новая лаборатория солнечной энергетики"


def _edit(newsroom: Path, word: str) -> None:
    source = newsroom / "sources" / "library-night.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("until midnight", f"until {word}"), encoding="utf-8")
    catalog = newsroom / "i18n" / "ru" / "solar-lab-opens.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace(RU_TITLE, f"{RU_TITLE} ({word})"), encoding="utf-8")


@pytest.mark.parametrize("moment", MOMENTS)
def test_edit_saved_during_a_run_is_published_by_the_next_run(newsroom, en_ru_package, packages_env, moment):
    assert run_cli("models", "install", en_ru_package, env=packages_env).code == 0
    word = "dawn" + str(MOMENTS.index(moment))
    run = subprocess.Popen(
        [sys.executable, "-m", "tilmash", "run", str(newsroom)],
        cwd=REPO,
        env=packages_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stderr is not None
    for line in run.stderr:
        if line.startswith(moment):
            os.kill(run.pid, signal.SIGSTOP)
            break
    else:
        pytest.fail(f"the run never logged {moment}")
    try:
        assert run.poll() is None, "the run ended before the edit"
        _edit(newsroom, word)
    finally:
        os.kill(run.pid, signal.SIGCONT)
    run.stderr.read()
    assert run.wait(timeout=300) == 0

    again = run_cli("run", newsroom, env=packages_env)
    assert again.code == 0, again.stderr
    assert "stage=noop" not in again.stderr
    english = (newsroom / "public" / "en" / "library-night.html").read_text(encoding="utf-8")
    russian = (newsroom / "public" / "ru" / "solar-lab-opens.html").read_text(encoding="utf-8")
    assert f"until {word}" in english
    assert f"({word})" in russian
    # and the run after that has nothing left to do
    assert "stage=noop" in run_cli("run", newsroom, env=packages_env).stderr
