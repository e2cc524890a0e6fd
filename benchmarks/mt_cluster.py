"""Machine translation on one process vs a 2-worker Dask LocalCluster, on the same backlog.

One Argos package (random weights, built here; SentencePiece vocabulary as in the tests)
translates a backlog of distinct sentences in the chunks `tilmash run` uses (greedy, at most
`--decode` tokens each: the model is built never to stop by itself):

* one process: the engine loaded here with `threads` = the machine's cores, chunks one
  after another (what `tilmash run` does without a cluster);
* cluster: `tilmash.translate.cluster` with a LocalCluster of 2 worker processes, 1 thread
  each, on loopback; every worker loads the model once (the worker plugin) and keeps it.

Both timings include loading the model. On one machine the cluster can only show its
overhead (the cores are the same); across machines the workers add their cores.

    python -m benchmarks.mt_cluster [--sentences 1024] [--layers 2] [--decode 32]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import zipfile
from pathlib import Path

from benchmarks.common import SCRATCH, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1024)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--decode", type=int, default=32, help="most tokens decoded per sentence")
    args = parser.parse_args()
    from distributed import LocalCluster

    from tests.model_factory import DEFAULT_CORPUS, ModelShape, build_argos_package, synthetic_corpus
    from tilmash.translate.argos import find_package
    from tilmash.translate.cluster import ClusterEngine, cluster_client
    from tilmash.translate.engine import RuntimeOptions
    from tilmash.translate.pretranslate import CHUNK
    from tilmash.translate.spec import argos_spec

    SCRATCH.mkdir(parents=True, exist_ok=True)
    backlog = sorted(set(synthetic_corpus(args.sentences, seed=11)), key=lambda s: (-len(s), s))
    chunks = [backlog[i : i + CHUNK] for i in range(0, len(backlog), CHUNK)]
    shape = ModelShape(layers=args.layers, heads=4, d_model=128, ffn=512, vocab_size=1000)
    with tempfile.TemporaryDirectory(dir=SCRATCH) as scratch:
        package = build_argos_package(
            Path(scratch) / "en_ru.argosmodel",
            shape=shape,
            corpus=list(DEFAULT_CORPUS) + backlog[:500],
            length_ratio=None,  # never ends: every sentence decodes --decode tokens
        )
        with zipfile.ZipFile(package) as archive:
            archive.extractall(Path(scratch) / "packages")
        found = find_package("en", "ru", Path(scratch) / "packages")
        cores = len(os.sched_getaffinity(0))
        decoding = {"beam_size": 1, "max_decoding_length": args.decode}
        local = argos_spec(found, "ru", RuntimeOptions(threads=cores, **decoding))
        remote = argos_spec(found, "ru", RuntimeOptions(threads=1, **decoding))
        one = timed(lambda: list(map(local.load().translate_batch, chunks)))
        with (
            LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
                silence_logs=50,
            ) as cluster,
            cluster_client(cluster.scheduler_address) as client,
        ):
            two = timed(lambda: list(ClusterEngine(client, remote).translate_chunks(chunks)))
    print(
        f"{len(backlog)} sentences in {len(chunks)} chunks, {args.layers}-layer d=128 model, greedy, "
        f"at most {args.decode} tokens each, {cores} cores on this machine"
    )
    print(f"one process ({cores} threads)      {one:7.2f} s  {len(backlog) / one:7.1f} sentences/s")
    print(f"LocalCluster (2 workers × 1 thread) {two:7.2f} s  {len(backlog) / two:7.1f} sentences/s")


if __name__ == "__main__":
    main()
