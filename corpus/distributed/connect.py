"""Reaching a Dask cluster: a running scheduler (`tcp://host:8786`) or `local:N`, a cluster of N
worker processes (one thread each, bound to 127.0.0.1) that lives exactly as long as the `with`
block. Dask is the optional extra `newsalign[cluster]`; without it `--cluster` is one line.

The `Cluster` here only runs batches: each batch is a task whose result comes back to this
process, which alone writes the corpus. A worker that dies mid-batch has its task run again
elsewhere by the scheduler, and the batch's result is committed once, when it arrives.

A scheduler address is `tcp://host:port` (a name, IPv4 or [IPv6]): anything else (tls://, which
needs certificates newsalign does not take, ucx://, inproc://, a user and password, a path, a
port that is not one) is refused in one line before anything else happens. Before Dask's client
is started, the address is asked who it is, within $NEWSALIGN_CLUSTER_TIMEOUT seconds (10):
Dask's own timeout covers only the TCP connection, so a port that accepts and never speaks (an
HTTP server, a silent socket) held the command for minutes.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import logging
import os
import pickle
import re
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from newsalign.corpus.errors import CorpusError

INSTALL_HINT = "--cluster needs Dask: pip install 'newsalign[cluster]'"
_LOCAL = re.compile(r"^local:(\d+)$")
# Seconds to reach a scheduler and hear it answer before giving up with one line.
CONNECT_TIMEOUT = 10
ENV_TIMEOUT = "NEWSALIGN_CLUSTER_TIMEOUT"
_ADDRESS = re.compile(
    r"^(?:\[(?P<ip6>[^\]]*)\]|(?P<host>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?))"
    r"(?::(?P<port>[0-9]{1,5}))?$"
)
_UNSUPPORTED = {
    "tls": "tls:// needs certificates, which newsalign does not take; reach the scheduler over "
           "tcp:// through an SSH tunnel or a VPN",
    "ucx": "ucx:// needs UCX on every machine; give tcp://host:port",
    "inproc": "inproc:// names a scheduler inside this very process; give tcp://host:port or "
              "local:N",
}  # fmt: skip
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
        for index, result in self.completed(
            fn, args, batches, ahead=ahead, room=lambda: len(held) < ahead
        ):
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
                raise ClusterError(
                    f"a batch failed on the cluster: {type(exc).__name__}: {exc}"
                ) from None
            finally:
                future.release()
            index = index_of.pop(future.key)
            yield index, result
            while len(index_of) < ahead and room() and submit():
                pass


def _digest(value: Any) -> str:
    return hashlib.sha256(pickle.dumps(value)).hexdigest()[:20]


def parse(address: str) -> tuple[str, int | str]:
    """("local", N) or ("remote", "tcp://host:port"); anything else is refused in one line."""
    text = address.strip()
    local = _LOCAL.match(text)
    if local:
        n = int(local.group(1))
        if not 1 <= n <= 256:
            raise ClusterError(f"--cluster local:N needs 1 <= N <= 256, not {n}")
        return "local", n
    scheme, sep, rest = text.partition("://")
    usage = f"--cluster {address!r}: give a scheduler address (tcp://host:8786) or local:N"
    if not sep:
        raise ClusterError(usage)
    if scheme.lower() in _UNSUPPORTED:
        raise ClusterError(f"--cluster {address!r}: {_UNSUPPORTED[scheme.lower()]}")
    if scheme.lower() != "tcp":
        raise ClusterError(usage)
    if "@" in rest:
        raise ClusterError(
            f"--cluster {address!r}: a Dask address holds no user or password; give tcp://host:port"
        )
    found = _ADDRESS.match(rest)
    if not found:
        raise ClusterError(
            f"--cluster {address!r}: not host:port (tcp://host:8786, "
            "tcp://10.0.0.5:8786, tcp://[::1]:8786)"
        )
    if found.group("ip6") is not None:
        try:
            ipaddress.IPv6Address(found.group("ip6"))
        except ValueError:
            raise ClusterError(
                f"--cluster {address!r}: [{found.group('ip6')}] is not an IPv6 address"
            ) from None
    port = found.group("port")
    if port is None:
        raise ClusterError(
            f"--cluster {address!r}: give the scheduler's port too (tcp://host:8786)"
        )
    if not 1 <= int(port) <= 65535:
        raise ClusterError(f"--cluster {address!r}: {port} is not a port (1-65535)")
    return "remote", f"tcp://{rest}"


def connect_timeout() -> float:
    """Seconds to reach a scheduler and hear it answer: $NEWSALIGN_CLUSTER_TIMEOUT, else 10."""
    raw = os.environ.get(ENV_TIMEOUT)
    try:
        seconds = float(raw) if raw is not None else float(CONNECT_TIMEOUT)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < 3600:  # NaN too
        raise ClusterError(
            f"${ENV_TIMEOUT} must be a number of seconds, more than 0 and under 3600"
        )
    return seconds


def _refused(address: str, timeout: float) -> None:
    """Raise ClusterError at once when nothing listens at `address`: Dask's connect() retries a
    refused connection until its timeout, which a person would read as a silent scheduler."""
    host, _, port = address.partition("://")[2].rpartition(":")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except TimeoutError:
        return  # silent, not refused: the handshake's deadline says so
    except OSError as exc:
        raise ClusterError(f"cannot reach the scheduler at {address}: {exc}") from None


def _ask(address: str, timeout: float) -> None:
    """Ask `address` who it is, all within `timeout` seconds; raise ClusterError unless a Dask
    scheduler answers. Dask's connect() bounds only the TCP connection, not the handshake
    after it, so the whole exchange runs under one deadline here."""
    from distributed.comm import connect

    _refused(address, timeout)

    async def identity():
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    try:
        answer = asyncio.run(asyncio.wait_for(identity(), timeout))
    except TimeoutError:
        raise ClusterError(
            f"the scheduler at {address} did not answer within {timeout:g} s "
            f"(is it a Dask scheduler, and the port its own? ${ENV_TIMEOUT} "
            "waits longer)"
        ) from None
    except OSError as exc:
        raise ClusterError(f"cannot reach the scheduler at {address}: {exc}") from None
    except Exception as exc:  # it spoke, but not Dask's protocol
        why = " ".join(str(exc).split())[:120]
        raise ClusterError(
            f"{address} did not answer as a Dask scheduler ({type(exc).__name__}: {why})"
        ) from None
    kind = answer.get("type") if isinstance(answer, dict) else None
    if kind != "Scheduler":
        raise ClusterError(
            f"{address} is not a Dask scheduler (it says it is {kind!r}); give "
            "the scheduler's address"
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
                local = LocalCluster(
                    n_workers=int(where),
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
        except Exception as exc:
            raise ClusterError(f"cannot start a local cluster: {exc}") from None
        with local, Client(local) as client:
            yield Cluster(client, address)
        return
    timeout = connect_timeout()
    _ask(str(where), timeout)
    try:
        client = Client(str(where), timeout=timeout)
    except Exception as exc:  # OSError, TimeoutError, or the scheduler's own refusal
        raise ClusterError(f"cannot reach the scheduler at {where}: {exc}") from None
    with client:
        yield Cluster(client, address)
