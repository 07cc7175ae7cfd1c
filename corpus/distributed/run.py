"""`translate --cluster` and `align --cluster`: the commands as they are, with the neural stages
sent to a Dask cluster in length-sorted batches. This process reads the corpus, hands out the
batches and commits each result the way the local path does (same cache keys, one transaction
per batch), so a killed run resumes and a retried batch is stored once. Only the Argos models
and the embedders move; the translation memory and translator plug-ins run here."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Sequence

import sqlite_utils

from newsalign.corpus.align.embedders import Embedder
from newsalign.corpus.align.job import setup as align_setup
from newsalign.corpus.align.job.run import AlignReport, run_alignment, unchanged
from newsalign.corpus.align.job.vectors import Embedding, missing, store_batch
from newsalign.corpus.distributed.connect import Cluster, open_cluster, parse
from newsalign.corpus.distributed.tasks import embed_batch, translate_batch
from newsalign.corpus.mt import run as mt_run
from newsalign.translate.engine import Engine, Settings
from newsalign.translate.translators import ArgosTranslator, Fallback, Output, Pivot, Source

# Sentences per translation task. Decoded alone (batch size 1, the default), a sentence's
# translation does not depend on the other sentences of its call (300 of 300 alike in one call
# and in calls of 128, base-size dev model), so tasks are small enough that every worker gets
# many: TASKS_PER_WORKER of them, between TASK_MIN and TASK_MAX sentences, so that at the end
# of a run no worker idles long while another finishes a large task. With a larger
# batch size the output depends on the batch, so a task is then exactly one local engine call
# (Engine.stream's chunk, 4,096 sentences; calls of 128 gave 298 of 300 other translations).
ENGINE_CHUNK: int = inspect.signature(Engine.stream).parameters["chunk"].default
TASK_MIN, TASK_MAX, TASKS_PER_WORKER = 8, 256, 16
# Texts per embedding task (and per transaction).
EMBED_TASK = 128


class RemoteArgos:
    """An Argos translator whose model runs on the cluster; keys and outputs are the local
    translator's, so stored translations are interchangeable."""

    def __init__(self, local: ArgosTranslator, cluster: Cluster) -> None:
        self.local, self.cluster = local, cluster
        self.source, self.target = local.source, local.target

    @property
    def model(self) -> str:
        return self.local.model

    def keys(self, item: Source) -> tuple[str, ...]:
        return self.local.keys(item)

    def translate(self, items: Sequence[Source]) -> Iterator[Output | None]:
        settings: Settings = self.local._settings
        texts = [i.prepared for i in items]
        # Alone, a text always gives the same translation: a repeated one is translated once.
        unique = list(dict.fromkeys(texts)) if settings.batch_size == 1 else texts
        place = {t: k for k, t in enumerate(unique)}
        batches = tasks_of(unique, settings, self.cluster.workers)
        args = ((self.source, self.target), self.model, settings)
        results = self.cluster.run_batches(translate_batch, args, batches)
        done: list[str] = []
        path = f"{self.source}>{self.target}"
        for k, item in enumerate(items):
            wanted = place[texts[k]] if settings.batch_size == 1 else k
            while len(done) <= wanted:
                done += next(results)
            yield Output(done[wanted], self.model, path, "argos", self.keys(item)[0])


def tasks_of(texts: list[str], settings: Settings, workers: int) -> list[list[str]]:
    """The translation tasks for `texts`, in order (see TASK_MIN): with batch size 1 several
    per worker, otherwise the slices one local engine call makes."""
    if settings.batch_size == 1:
        size = min(TASK_MAX, max(TASK_MIN, -(-len(texts) // (TASKS_PER_WORKER * workers))))
    else:
        size = ENGINE_CHUNK
    return [texts[i : i + size] for i in range(0, len(texts), size)]


def distribute(translator, cluster: Cluster):
    """`translator` with every Argos model in it (inside memories' fallbacks and pivots)
    replaced by the same model on the cluster."""
    if isinstance(translator, ArgosTranslator):
        return RemoteArgos(translator, cluster)
    if isinstance(translator, Fallback):
        return Fallback(*(distribute(p, cluster) for p in translator.parts))
    if isinstance(translator, Pivot):
        return Pivot(
            distribute(translator.first, cluster),
            distribute(translator.second, cluster),
            translator.chunk,
        )
    return translator


def translate_corpus(
    db: sqlite_utils.Database,
    opts: mt_run.Options,
    address: str,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> mt_run.Report:
    """`newsalign translate` with the models on the cluster at `address`."""
    with open_cluster(address) as cluster:
        return mt_run.translate_corpus(
            db, opts, on_progress=on_progress, wrap=lambda t: distribute(t, cluster)
        )


def embedding_on(cluster: Cluster):
    """An `ensure_embeddings` (align/job/vectors.py) that embeds on the cluster: the texts
    without a stored vector, sorted by length, in batches; each batch's vectors stored as they
    arrive (`store_batch`)."""

    def ensure(
        db: sqlite_utils.Database,
        embedder: Embedder,
        texts: list[str],
        on_progress: Callable[[int, int], None] | None = None,
    ) -> int:
        by_hash = missing(db, embedder, texts)
        todo = sorted(by_hash, key=lambda h: len(by_hash[h]))
        hashes = [todo[i : i + EMBED_TASK] for i in range(0, len(todo), EMBED_TASK)]
        batches = [[by_hash[h] for h in chunk] for chunk in hashes]
        done = 0
        results = cluster.completed(embed_batch, (type(embedder), embedder.name), batches)
        for index, vectors in results:
            chunk = hashes[index]
            store_batch(db, embedder, chunk, vectors)
            done += len(chunk)
            if on_progress:
                on_progress(done, len(todo))
        return done

    return ensure


def align_corpus(
    db: sqlite_utils.Database,
    settings: align_setup.Settings,
    address: str,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    full: bool = False,
) -> AlignReport:
    """`newsalign align` with the embedding stage on the cluster at `address`. Nothing to do
    (the inputs are those of the last run) starts no cluster."""
    parse(address)  # a malformed address is refused even when there is nothing to do
    if not full and (same := unchanged(db, settings)) is not None:
        return same
    with open_cluster(address) as cluster:
        embedding = Embedding(embedding_on(cluster), on_progress)
        return run_alignment(db, settings, embedding=embedding, full=full)
