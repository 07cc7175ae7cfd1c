"""Reaching a Dask cluster: a running scheduler (`tcp://host:8786`) or `local:N`, a cluster of N
worker processes (one thread each, bound to 127.0.0.1) that lives exactly as long as the `with`
block. Dask is the optional extra `newsalign[cluster]`; without it `--cluster` is one line.

The `Cluster` here only runs batches: each batch is a task whose result comes back to this
process, which alone writes the corpus. A worker that dies mid-batch has its task run again
elsewhere by the scheduler, and the batch's result is committed once, when it arrives.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from newsalign.corpus.errors import CorpusError

INSTALL_HINT = "--cluster needs Dask: pip install 'newsalign[cluster]'"
_LOCAL = re.compile(r"^local:(\d+)$")
# Seconds to reach a scheduler before giving up with one line.
CONNECT_TIMEOUT = 10
# Batches in flight per worker: one running, the next ones already there when it ends.
AHEAD = 3


class ClusterError(CorpusError):
    """The cluster cannot be reached, or its workers cannot do the work."""


class Cluster:
    """A connected Dask client, seen as a pool that runs batches in order."""

    def __init__(self, client: Any, address: str) -> None:
        self.client = client
        self.address = address

    @property
    def workers(self) -> int:
        return max(len(self.client.scheduler_info(n_workers=-1).get("workers", {})), 1)

    def run_batches(
        self, fn: Callable[..., Any], args: tuple, batches: Iterable[list], *, ahead: int = 0
    ) -> Iterator[Any]:
        """`fn(*args, batch)` for every batch, results in batch order (see `completed`). A
        batch that finishes before the ones ahead of it waits here, at most `ahead` of them,
        while the workers go on with the next ones."""
        ahead = ahead or AHEAD * self.workers
        held: dict[int, Any] = {}
        following = 0
        for index, result in self.completed(fn, args, batches, ahead=ahead,
                                            room=lambda: len(held) < ahead):  # fmt: skip
            held[index] = result
            while following in held:
                yield held.pop(following)
                following += 1

    def completed(
        self,
        fn: Callable[..., Any],
        args: tuple,
        batches: Iterable[list],
        *,
        ahead: int = 0,
        room: Callable[[], bool] = lambda: True,
    ) -> Iterator[tuple[int, Any]]:
        """(index, `fn(*args, batch)`) for every batch, as the batches finish. At most `ahead`
        batches are in flight (default: three per worker), and a new one goes out only while
        `room()`, so memory stays bounded on long runs. A batch's task key is a hash of its
        function, arguments and contents (and its place in the run): the same batch is the
        same task, computed once however often it is retried."""
        from distributed import as_completed

        ahead = ahead or AHEAD * self.workers
        prefix = f"newsalign-{fn.__name__}-{_digest(args)}"
        todo = enumerate(batches)
        index_of: dict[str, int] = {}
        running = as_completed()

        def submit() -> bool:
            index, batch = next(todo, (None, None))
            if index is None:
                return False
            key = f"{prefix}-{index}-{_digest(batch)}"
            index_of[key] = index
            running.add(self.client.submit(fn, *args, batch, key=key, pure=False))
            return True

        while len(index_of) < ahead and submit():
            pass
        for future in running:
            try:
                result = future.result()
            except CorpusError:
                raise
            except Exception as exc:  # KilledWorker, CommClosedError, a worker's own error
                raise ClusterError(f"a batch failed on the cluster: {type(exc).__name__}: "
                                   f"{exc}") from None  # fmt: skip
            finally:
                future.release()
            index = index_of.pop(future.key)
            yield index, result
            while len(index_of) < ahead and room() and submit():
                pass


def _digest(value: Any) -> str:
    return hashlib.sha256(pickle.dumps(value)).hexdigest()[:20]


def parse(address: str) -> tuple[str, int | str]:
    """("local", N) or ("remote", address); anything else is refused in one line."""
    local = _LOCAL.match(address.strip())
    if local:
        n = int(local.group(1))
        if not 1 <= n <= 256:
            raise ClusterError(f"--cluster local:N needs 1 <= N <= 256, not {n}")
        return "local", n
    if re.match(r"^(tcp|tls|ucx|inproc)://\S+$", address.strip()):
        return "remote", address.strip()
    raise ClusterError(
        f"--cluster {address!r}: give a scheduler address (tcp://host:8786) or local:N"
    )


@contextmanager
def open_cluster(address: str) -> Iterator[Cluster]:
    """Connect to `address` (see the module docstring); a local cluster is stopped on exit,
    its worker processes included."""
    kind, where = parse(address)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(INSTALL_HINT) from None
    if kind == "local":
        import dask

        # Dask starts workers with MALLOC_TRIM_THRESHOLD_ set, which turns off glibc's
        # adaptive mmap threshold, so CTranslate2's large decoding buffers are mapped and
        # unmapped on every allocation: two one-thread workers translated 15.0 sentences/s
        # with it and 17.3 without (two plain one-thread processes: 20.6; base-size dev model).
        unset = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
        try:
            with dask.config.set(unset):
                local = LocalCluster(n_workers=int(where), threads_per_worker=1, processes=True,
                                     host="127.0.0.1", dashboard_address=None,
                                     silence_logs=logging.ERROR)  # fmt: skip
        except Exception as exc:
            raise ClusterError(f"cannot start a local cluster: {exc}") from None
        with local, Client(local) as client:
            yield Cluster(client, address)
        return
    try:
        client = Client(str(where), timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the scheduler at {where}: {exc}") from None
    with client:
        yield Cluster(client, address)
