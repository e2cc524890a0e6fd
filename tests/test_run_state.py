"""The state a no-op run replays: fingerprints in state.json, the summary pickled beside it."""

from __future__ import annotations

import json
import pickle
import struct
import zlib
from pathlib import Path

from tests.conftest import run_cli


def test_a_no_op_run_prints_the_summary_the_last_run_printed(newsroom: Path) -> None:
    first = run_cli("run", "--json", newsroom)
    again = run_cli("run", "--json", newsroom)
    assert "stage=noop" in again.stderr
    replayed, printed = json.loads(again.stdout), json.loads(first.stdout)
    nothing_written = {"catalogs_written": 0, "files_written": 0}
    assert replayed == printed | {"notes": ["nothing changed since the last run"]} | nothing_written


def test_a_summary_that_is_damaged_or_another_runs_is_not_replayed(newsroom: Path) -> None:
    """A stray write that leaves it readable, or a run stopped between writing the summary and
    the state (which leaves the summary of another run)."""
    first = json.loads(run_cli("run", "--json", newsroom).stdout)
    summary = newsroom / ".tilmash" / "summary.pickle"
    saved = summary.read_bytes()
    fingerprint, counts = pickle.loads(saved[4:])  # after its CRC-32
    another = pickle.dumps(("0" * len(fingerprint), counts))
    another = struct.pack("<I", zlib.crc32(another)) + another  # sound, but for another run's inputs
    for damaged in (b"not a pickle", saved.replace(b"ru", b"kk"), another):
        summary.write_bytes(damaged)
        again = run_cli("run", "--json", newsroom)
        assert again.code == 0 and "stage=noop" not in again.stderr
        assert json.loads(again.stdout)["locales"] == first["locales"]
