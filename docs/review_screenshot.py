"""The review page's screenshot in the docs (docs/img/review-page.png): a folder of articles
ingested and aligned in a temporary corpus, `newsalign serve --review` on a free port, and
Debian's headless chromium photographing the first screen's claim page; the server and the
browser stop with everything they started.

    python docs/review_screenshot.py ../shared/stories/withdrawal docs/img/review-page.png
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

NEWSALIGN = [sys.executable, "-m", "newsalign.corpus.cli.app"]
CHROMIUM = "/usr/bin/chromium"


def _newsalign(*args: str) -> str:
    return subprocess.run([*NEWSALIGN, *args], check=True, capture_output=True, text=True).stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("serve exited before it answered")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=2)
            return
        time.sleep(0.3)
    raise SystemExit(f"serve did not answer at {url}")


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def main(folder: Path, output: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "corpus.db"
        _newsalign("ingest", str(folder), "--db", str(db))
        _newsalign("align", "--db", str(db))
        (first,) = json.loads(_newsalign("review", "--json", "--limit", "1", "--db", str(db)))
        port = _free_port()
        server = subprocess.Popen(
            [*NEWSALIGN, "serve", "--review", "--port", str(port), "--db", str(db)],
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}/-/review/claim/{first['claim']}"
            _wait(url, server)
            browser = subprocess.Popen(
                [
                    CHROMIUM,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--hide-scrollbars",
                    f"--user-data-dir={scratch}/profile",
                    "--window-size=1280,1500",
                    f"--screenshot={output.resolve()}",
                    url,
                ],
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                browser.wait(timeout=120)
            finally:
                _stop(browser)
        finally:
            _stop(server)
    print(f"Wrote {output}: claim {first['claim']}'s review page")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
