"""tilmash.toml: every bad value or unknown name is one sentence and exit 2; defaults in one place."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli
from tilmash.atomic import write_atomic
from tilmash.cli import is_loopback
from tilmash.config import load_config
from tilmash.lock import LockBusy, newsroom_lock
from tilmash.translate.argos import RuntimeOptions
from tilmash.translate.ct2_multilingual import MultilingualModel, register_model
from tilmash.translate.registry import registry_path


def _edit(newsroom: Path, old: str, new: str) -> Path:
    config = newsroom / "tilmash.toml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    return config


BAD = [
    # (old text, new text, words the message must hold)
    ("threads = 2", 'threads = "four"', ['[runtime] threads = "four"', "expected a whole number"]),
    ("threads = 2", "threads = true", ["[runtime] threads = true", "expected a whole number"]),
    ('locales = ["kk", "ru", "zh"]', 'locales = "kk"', ['[site] locales = "kk"', "expected a list"]),
    ('locales = ["kk", "ru", "zh"]', 'locales = ["kk", "Russian"]', ["[site] locales", "language codes"]),
    ("[publish]", "[publsh]", ["unknown table [publsh]", "did you mean 'publish'"]),
    ("page_size = 10", "pagesize = 10", ["unknown key [site] pagesize", "did you mean 'page_size'"]),
    ("[site.titles]", "[site.tiles]", ["unknown key [site] tiles", "did you mean 'titles'"]),
    ('policy = "reviewed"', 'policy = "all"', ['[publish] policy = "all"', "'reviewed', 'threshold'"]),
    ('policy = "reviewed"', "threshold = 150", ["[publish] threshold = 150", "from 0 to 100"]),
    ('default = "auto"', 'default = "google"', ['[engines] default = "google"', "ct2:NAME"]),
    (
        'default = "auto"',
        'default = "auto"\nrus = "none"',
        ["unknown key [engines] rus", "did you mean 'ru'"],
    ),
    ("cutoff = 75", "cutoff = 0.8", ["[translation_memory] cutoff = 0.8", "from 50 to 100"]),
    ("exact_as_reviewed = true", 'exact_as_reviewed = "yes"', ["exact_as_reviewed", "true or false"]),
    ('device = "cpu"', 'device = "gpu"', ['[runtime] device = "gpu"', "'cpu', 'cuda'"]),
    ("page_size = 10", "page_size = 0", ["[site] page_size = 0", "at least 1"]),
]


@pytest.mark.parametrize(("old", "new", "words"), BAD, ids=[case[1] for case in BAD])
def test_each_bad_setting_is_one_sentence_naming_file_key_and_type(newsroom, old, new, words):
    config = _edit(newsroom, old, new)
    result = run_cli("status", newsroom)
    assert result.code == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {config}: ")
    for word in words:
        assert word in lines[0]


def test_locales_given_as_a_string_does_not_blame_its_first_letter(newsroom):
    _edit(newsroom, 'locales = ["kk", "ru", "zh"]', 'locales = "kk"')
    result = run_cli("run", newsroom)
    assert result.code == 2 and "'k'" not in result.stderr


def test_the_example_config_reads_as_written(newsroom):
    config = load_config(newsroom, environ={"HOME": str(newsroom)})
    assert config.target_locales == ("kk", "ru", "zh")
    assert config.site.locales == ("en", "kk", "ru", "zh") and config.site.page_size == 10
    assert config.site.titles is not None and config.site.titles["zh"] == "阿拉套科学大学新闻中心"
    assert config.engines == {"kk": "auto", "ru": "auto", "zh": "auto"}
    assert config.policy.mode == "reviewed" and config.runtime.threads == 2
    assert config.memory_cutoff == 0.75 and config.memory_exact_as_reviewed is True


def test_threads_default_is_defined_once(newsroom, monkeypatch):
    _edit(newsroom, "threads = 2", "")
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert RuntimeOptions().threads == 4  # min(cpu, 4), also where RuntimeOptions is built without config
    assert load_config(newsroom, environ={}).runtime.threads == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert RuntimeOptions().threads == 1


def test_models_registry_honours_xdg_data_home(tmp_path):
    home = str(tmp_path / "home")
    assert registry_path({"HOME": home}) == Path(home, ".local/share/tilmash/models.json")
    assert registry_path({"HOME": home, "XDG_DATA_HOME": "/srv/data"}) == Path(
        "/srv/data/tilmash/models.json"
    )
    assert registry_path({"HOME": home, "XDG_DATA_HOME": "relative"}) == Path(
        home, ".local/share/tilmash/models.json"
    )  # the XDG spec says to ignore relative paths
    assert registry_path({"XDG_DATA_HOME": "/srv/data", "TILMASH_HOME": "/opt/t"}) == Path(
        "/opt/t/models.json"
    )


def test_registering_a_model_writes_atomically_beside_nothing_it_does_not_own(tmp_path):
    registry = tmp_path / "models.json"
    neighbour = tmp_path / "models.tmp"  # the old code wrote its temporary file under this fixed name
    write_atomic(neighbour, b"someone else's file")
    register_model(registry, MultilingualModel("nllb", "/m", "/m/sp.model", {"kk": "kaz_Cyrl"}))
    register_model(registry, MultilingualModel("m2m", "/n", "/n/sp.model", {"ru": "__ru__"}))
    assert neighbour.read_bytes() == b"someone else's file"
    assert '"nllb"' in registry.read_text(encoding="utf-8") and '"m2m"' in registry.read_text(
        encoding="utf-8"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models.json", "models.tmp"]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False), ("news-box.lan", False)],
)
def test_review_host_may_be_a_name(host, loopback):
    assert is_loopback(host) is loopback


def test_review_with_an_unresolvable_host_name_is_a_clear_error(newsroom):
    result = run_cli("review", newsroom, "--host", "news-box.invalid", timeout=60)  # .invalid never resolves
    assert result.code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: --host news-box.invalid: ")


def test_lock_message_names_the_pid_holding_the_lock_even_before_it_wrote_it(tmp_path):
    """The holder's own line may be missing (just locked) or stale (left by a killed run)."""
    (tmp_path / "lock").write_text("pid 999999 since 2026-01-01 00:00:00 UTC\n")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\nfd = os.open(sys.argv[1], os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(60)",
            str(tmp_path / "lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockBusy) as busy, newsroom_lock(tmp_path):
            pass
        assert f"(pid {holder.pid})" in str(busy.value) and "999999" not in str(busy.value)
    finally:
        holder.kill()
        holder.wait()
