"""A run's engine work spread over Dask distributed workers; the run stays the only writer.

The run sends each locale's distinct sentences in the same chunks a local run translates
(so the catalogs come out byte-identical), one task per chunk. A worker plugin keeps every
engine it has loaded, so a model is loaded once per worker, not once per chunk. A worker
that dies mid-chunk has its chunks computed again elsewhere (Dask's scheduler does that);
only when no worker is left, or the scheduler goes away, does the locale fail.

Workers load models from the paths the run names (an Argos package directory, a registered
CTranslate2 model): a directory every worker can read. `[runtime] device = "cuda"` asks for
workers started with `--resources GPU=1`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from distributed import Client, WorkerPlugin, get_worker

from tilmash.translate.cluster_link import ClusterError
from tilmash.translate.engine import Engine, EngineError, Translation
from tilmash.translate.spec import EngineSpec

PLUGIN_NAME = "tilmash-models"
CONNECT_TIMEOUT = "10s"


class ModelCache(WorkerPlugin):
    """Dask worker plugin: the engines this worker has loaded, kept for the following chunks."""

    name = PLUGIN_NAME

    def __init__(self) -> None:
        self.engines: dict[EngineSpec, Engine] = {}

    def setup(self, worker: Any) -> None:
        self.engines = {}

    def teardown(self, worker: Any) -> None:
        self.engines.clear()

    def engine(self, spec: EngineSpec) -> Engine:
        if spec not in self.engines:
            self.engines[spec] = spec.load()
        return self.engines[spec]


def translate_on_worker(spec: EngineSpec, texts: list[str]) -> list[Translation]:
    """The task: one chunk through this worker's engine for `spec` (loaded on first use)."""
    return get_worker().plugins[PLUGIN_NAME].engine(spec).translate_batch(texts)  # type: ignore[attr-defined, no-any-return]


def connect(address: str) -> Any:
    """A client of the scheduler at `address` with the model cache on every worker."""
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"cluster {address}: cannot reach the Dask scheduler ({error})") from None
    try:
        client.register_plugin(ModelCache(), name=PLUGIN_NAME)
    except BaseException:
        client.close()
        raise
    return client


@contextmanager
def cluster_client(address: str) -> Iterator[Any]:
    """`connect`, closed at the end of the block."""
    client = connect(address)
    try:
        yield client
    finally:
        client.close()


class ClusterEngine:
    """An engine whose chunks are translated by cluster workers, results in order."""

    def __init__(self, client: Any, spec: EngineSpec) -> None:
        self._client = client
        self._spec = spec

    @property
    def provenance(self) -> str:
        return self._spec.provenance

    def translate_batch(self, texts: Sequence[str]) -> list[Translation]:
        return next(self.translate_chunks([texts]))

    def translate_chunks(self, chunks: Sequence[Sequence[str]]) -> Iterator[list[Translation]]:
        resources = {"GPU": 1} if self._spec.options.device == "cuda" else None
        futures = [
            self._client.submit(translate_on_worker, self._spec, list(chunk), resources=resources)
            for chunk in chunks
        ]
        try:
            for future in futures:
                yield future.result()
        except EngineError:
            raise
        except Exception as error:  # noqa: BLE001 - a lost scheduler or worker error, said for the locale
            raise EngineError(f"the cluster could not translate ({type(error).__name__}: {error})") from None
        finally:
            self._client.cancel(futures)
