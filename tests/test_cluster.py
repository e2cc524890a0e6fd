"""Cluster mode: the engine work on Dask workers (a LocalCluster on loopback), catalogs as a local run's."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import threading
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, run_cli
from tests.model_factory import ModelShape, build_argos_package, build_multilingual_model, synthetic_corpus
from tilmash.config import load_config
from tilmash.runner import RunOptions, run

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
SHAPE = ModelShape(vocab_size=300)


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, str]:
    """An environment with an Argos en→ru package and a multilingual model for kk and zh."""
    base = tmp_path_factory.mktemp("cluster-models")
    packages = base / "argos"
    with zipfile.ZipFile(build_argos_package(base / "ru.argosmodel", "en", "ru", shape=SHAPE)) as archive:
        archive.extractall(packages)
    model = build_multilingual_model(base / "tiny-nllb", shape=SHAPE)
    from tilmash.translate.ct2_multilingual import inspect_model, register_model

    env = os.environ | {"ARGOS_PACKAGES_DIR": str(packages), "TILMASH_HOME": str(base / "home")}
    register_model(
        base / "home" / "models.json",
        inspect_model(model, {"kk": "kaz_Cyrl", "ru": "rus_Cyrl", "zh": "zho_Hans"}, "eng_Latn"),
    )
    return env


def _newsroom(target: Path) -> Path:
    """The example newsroom plus a backlog article long enough for several chunks per locale."""
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("public", ".tilmash", ".public*"))
    paragraphs = "\n\n".join(synthetic_corpus(300, seed=5))
    (target / "sources" / "archive-backlog.md").write_text(
        f"---\ntitle: From the archive\ndate: 2020-01-15\n---\n{paragraphs}\n", encoding="utf-8"
    )
    return target


def _catalogs(newsroom: Path) -> dict[str, bytes]:
    return {
        p.relative_to(newsroom).as_posix(): p.read_bytes() for p in sorted((newsroom / "i18n").rglob("*.po"))
    }


@pytest.fixture(scope="module")
def synced(tmp_path_factory) -> Path:
    """The newsroom with its backlog synced but not translated (no model installed yet).

    Every run below starts from a copy, so the new catalogs' creation dates are the same.
    """
    newsroom = _newsroom(tmp_path_factory.mktemp("synced") / "newsroom")
    empty = tmp_path_factory.mktemp("no-models")
    environ = os.environ | {"ARGOS_PACKAGES_DIR": str(empty), "TILMASH_HOME": str(empty)}
    assert run(load_config(newsroom, environ), RunOptions(now=NOW)).ok
    shutil.rmtree(newsroom / ".tilmash")
    return newsroom


def _copy(synced: Path, target: Path, cluster: str | None = None) -> Path:
    shutil.copytree(synced, target)
    if cluster:
        config = target / "tilmash.toml"
        text = config.read_text(encoding="utf-8").replace(
            "[runtime]\n", f'[runtime]\ncluster = "{cluster}"\n'
        )
        config.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def local_run(tmp_path_factory, synced, models) -> dict[str, bytes]:
    newsroom = _copy(synced, tmp_path_factory.mktemp("local") / "newsroom")
    report = run(load_config(newsroom, models), RunOptions(now=NOW))
    assert report.ok, report.errors
    assert all(line.machine_filled for line in report.locales if line.engine != "source")
    return _catalogs(newsroom)


def _local_cluster():
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=50,
    )


def test_cluster_run_writes_the_same_catalogs_as_a_local_run(tmp_path, synced, models, local_run):
    with _local_cluster() as cluster:
        newsroom = _copy(synced, tmp_path / "newsroom", cluster.scheduler_address)  # [runtime] cluster
        report = run(load_config(newsroom, models), RunOptions(now=NOW))
        from distributed import Client

        with Client(cluster) as client:
            loaded = client.run(lambda dask_worker: len(dask_worker.plugins["tilmash-models"].engines))
    assert report.ok, report.errors
    assert _catalogs(newsroom) == local_run
    # each worker loaded each model it served once and kept it: at most one per locale
    assert sum(loaded.values()) >= 3 and all(count <= 3 for count in loaded.values())


def test_a_worker_killed_mid_run_changes_nothing_in_the_result(tmp_path, synced, models, local_run):
    from distributed import Client

    newsroom = _copy(synced, tmp_path / "newsroom")
    with _local_cluster() as cluster, Client(cluster) as monitor:
        pids = monitor.run(os.getpid)
        killed: list[int] = []
        done = threading.Event()

        def kill_a_busy_worker() -> None:
            while not done.is_set() and not killed:
                for address, keys in monitor.processing().items():
                    if any("translate_on_worker" in str(key) for key in keys) and address in pids:
                        os.kill(pids[address], signal.SIGKILL)
                        killed.append(pids[address])
                        return
                time.sleep(0.005)

        killer = threading.Thread(target=kill_a_busy_worker)
        killer.start()
        try:
            report = run(
                load_config(newsroom, models), RunOptions(now=NOW, cluster=cluster.scheduler_address)
            )
        finally:
            done.set()
            killer.join()
    assert killed, "no worker was busy long enough to be killed"
    assert report.ok, report.errors
    assert _catalogs(newsroom) == local_run


def test_a_run_with_nothing_to_translate_never_connects_to_the_cluster(newsroom, models):
    assert run(load_config(newsroom, models), RunOptions(now=NOW)).ok  # every entry filled here
    shutil.rmtree(newsroom / "public")  # so the next run is no no-op: it builds the site again
    unreachable = "tcp://127.0.0.1:9"
    report = run(load_config(newsroom, models), RunOptions(now=NOW, cluster=unreachable))
    assert report.ok, report.errors
    assert (newsroom / "public" / "ru" / "index.html").is_file()


def test_an_unreachable_cluster_is_an_error_and_nothing_is_written(newsroom, models):
    before = _catalogs(newsroom)
    result = run_cli("run", "--cluster", "tcp://127.0.0.1:9", newsroom, env=models)
    assert result.code == 1
    assert "error: cluster tcp://127.0.0.1:9: cannot reach the Dask scheduler" in result.stderr
    assert "nothing was written" in result.stderr
    assert _catalogs(newsroom) == before
    assert not (newsroom / "public").exists()
    assert not (newsroom / ".tilmash" / "state.json").exists()


def test_cluster_mode_without_dask_installed_is_an_error_line_not_a_traceback(newsroom, models, tmp_path):
    """Dask is the `cluster` extra: a newsroom configured for a cluster on a machine without it."""
    hidden = tmp_path / "no-dask"
    (hidden / "distributed").mkdir(parents=True)
    (hidden / "distributed" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'distributed'\", name='distributed')\n", encoding="utf-8"
    )
    env = dict(models, PYTHONPATH=os.pathsep.join(filter(None, [str(hidden), models.get("PYTHONPATH")])))
    before = _catalogs(newsroom)
    result = run_cli("run", "--cluster", "tcp://127.0.0.1:9", newsroom, env=env)
    assert result.code == 1
    assert "error: cluster tcp://127.0.0.1:9: cluster mode needs Dask: pip install" in result.stderr
    assert "Traceback" not in result.stderr
    assert _catalogs(newsroom) == before
