"""`ingest --cluster`: decoding, cleaning, sentence splitting and language detection on a Dask
cluster's workers; storing here. This process walks the inputs, reads each file, sends the
bytes in batches and stores every parsed document in its own transaction, in input order, as
a local ingest does, so the corpus is the same, ids included. Workers see neither the files
nor the database; each keeps one language detector (its models and its memory of texts)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from newsalign.corpus.distributed.connect import Cluster, open_cluster
from newsalign.corpus.distributed.tasks import LOADED
from newsalign.corpus.errors import InputError
from newsalign.corpus.ingest.parse import ParsedDocument, parse_many
from newsalign.corpus.ingest.run import IngestReport, Raw, ingest
from newsalign.translate.langid import LanguageDetector

# Inputs per task: a news page parses in a few milliseconds, so a task of one would cost more
# in scheduling than in work; with three tasks ahead per worker, 8 keeps 24 pages in flight
# per worker (and at most that many files' bytes in memory).
BATCH = 8


def parse_batch(
    langs: tuple[str, ...] | None, batch: list[Raw]
) -> list[ParsedDocument | InputError]:
    """What a worker runs: the batch's inputs parsed with the worker's detector for `langs`."""
    key = ("langid", langs)
    detector = LOADED.get(key)
    if detector is None:
        detector = LOADED[key] = LanguageDetector(list(langs) if langs else None)
    return parse_many(batch, detector)


@dataclass(frozen=True)
class ClusterParser:
    """Parsing on `cluster`, in batches of `batch_size` inputs, results in input order."""

    cluster: Cluster
    langs: tuple[str, ...] | None
    batch_size: int = BATCH

    def parse(self, batches: Iterator[list[Raw]]) -> Iterator[list[ParsedDocument | InputError]]:
        return self.cluster.run_batches(parse_batch, (self.langs,), batches)


def ingest_corpus(
    db: sqlite_utils.Database, paths: Iterable[str], address: str, **options: Any
) -> IngestReport:
    """`ingest` (same options) with parsing on the cluster at `address`. A cluster that cannot
    be reached is a ClusterError before anything is read or written."""
    langs = options.get("langs")
    with open_cluster(address) as cluster:
        parser = ClusterParser(cluster, tuple(langs) if langs else None)
        return ingest(db, paths, parser=parser, **options)
