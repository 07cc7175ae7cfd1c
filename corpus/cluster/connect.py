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
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from newsalign.corpus.errors import CorpusError

INSTALL_HINT = "--cluster needs Dask: pip install 'newsalign[cluster]'"
_LOCAL = re.compile(r"^local:(\d+)$")
# Seconds to reach a scheduler before giving up with one line.
CONNECT_TIMEOUT = 10


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
        self, fn: Callable[..., Any], args: tuple, batches: Sequence[list], *, ahead: int = 0
    ) -> Iterator[Any]:
        """`fn(*args, batch)` for every batch, results in batch order. At most `ahead` batches
        are in flight (default: three per worker), so memory stays bounded on long runs. A
        batch's task key is a hash of its function, arguments and contents: the same batch is
        the same task, computed once however often it is retried."""
        ahead = ahead or 3 * self.workers
        prefix = f"newsalign-{fn.__name__}-{_digest(args)}"
        pending: deque = deque()
        todo = iter(batches)

        def submit_next() -> None:
            batch = next(todo, None)
            if batch is not None:
                key = f"{prefix}-{_digest(batch)}"
                pending.append(self.client.submit(fn, *args, batch, key=key, pure=False))

        for _ in range(ahead):
            submit_next()
        while pending:
            future = pending.popleft()
            try:
                result = future.result()
            except CorpusError:
                raise
            except Exception as exc:  # KilledWorker, CommClosedError, a worker's own error
                raise ClusterError(f"a batch failed on the cluster: {type(exc).__name__}: "
                                   f"{exc}") from None  # fmt: skip
            finally:
                future.release()
            submit_next()
            yield result


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
        try:
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
