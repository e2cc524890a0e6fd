"""The run's link to a Dask scheduler, made when the first chunk is sent.

A run with nothing to translate (every entry filled or reviewed, no model installed) never
connects, and does not need Dask installed: only connecting imports it.
"""

from __future__ import annotations

from typing import Any


class ClusterError(Exception):
    """The scheduler cannot be reached (or Dask is missing): nothing was sent, nothing is written."""


class ClusterLink:
    """Stands for a `distributed.Client` (`submit`, `cancel`) and connects on the first `submit`."""

    def __init__(self, address: str) -> None:
        self.address = address
        self._client: Any = None

    @property
    def connected(self) -> bool:
        return self._client is not None

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        if self._client is None:
            try:
                from tilmash.translate.cluster import connect
            except ImportError:
                raise self.dask_missing() from None
            self._client = connect(self.address)
        return self._client.submit(*args, **kwargs)

    def dask_missing(self) -> ClusterError:
        return ClusterError(
            f"cluster {self.address}: cluster mode needs Dask: pip install 'tilmash[cluster]'"
        )

    def cancel(self, futures: Any) -> None:
        if self._client is not None:
            self._client.cancel(futures)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
