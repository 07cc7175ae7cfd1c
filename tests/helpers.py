"""Paths and small helpers shared by the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Chromium in a test fetches nothing on its own: no updates, sync or background requests.
QUIET_CHROMIUM = (
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def headless(profile: Path, *extra: str) -> list[str]:
    """Debian's Chromium headless and quiet, with its own profile folder, then `extra`."""
    return [str(CHROMIUM), "--headless", *QUIET_CHROMIUM, f"--user-data-dir={profile}", *extra]


def seed(prefix: str) -> Path:
    """The seed article whose file name starts with `prefix` ("000" ... "004")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def fetch(db_path: Path, sql: str, params=()) -> list[tuple]:
    """Rows of `sql` on a fresh connection (so a test sees only what was committed)."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def dump(db: Path) -> list[str]:
    """Every row and schema statement of a database, read-only (to compare before and after)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def children() -> list[str]:
    """Our child processes, but multiprocessing's resource tracker, which Python keeps for the
    life of the process that first spawned anything."""
    import psutil

    out = []
    for p in psutil.Process().children(recursive=True):
        try:
            line = " ".join(p.cmdline())
        except psutil.NoSuchProcess:
            continue
        if "resource_tracker" not in line:
            out.append(line[:120])
    return out


def no_children_left(seconds: float = 10) -> None:
    """Fail unless every child process (a cluster's workers, a scheduler) is gone within
    `seconds`."""
    import time

    deadline = time.monotonic() + seconds
    while children() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not children(), f"processes left running: {children()}"


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a corpus database (its write-ahead log included), for a test to change."""
    import sqlite3

    for side in ("", "-wal", "-shm"):
        Path(f"{target}{side}").unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """`newsalign serve` in its own process group; stopped with everything it started.
    `options`: more of serve's options (e.g. "--review")."""

    def __init__(self, db_path: Path, *options: str) -> None:
        import subprocess
        import sys
        import tempfile

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.db = db_path.stem
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (read after the process ends)
        self._stdout = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsalign.corpus.cli.app",
                "serve",
                "--port",
                str(self.port),
                "--db",
                str(db_path),
                *options,
            ],
            stdout=self._stdout,
            stderr=self._stderr,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        import time
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("serve exited: " + self.stderr())
            try:
                urllib.request.urlopen(f"{self.base}/-/versions.json", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("serve did not start: " + self.stderr())

    def get(self, path: str) -> tuple[int, str]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def stop(self) -> None:
        import os
        import signal

        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except Exception:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        import contextlib

        with contextlib.suppress(ProcessLookupError):  # what it started is in its group: gone too
            os.killpg(self.process.pid, signal.SIGKILL)

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def stdout(self) -> str:
        self._stdout.seek(0)
        return self._stdout.read().decode("utf-8", "replace")

    def __enter__(self) -> Served:
        self.wait_ready()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
