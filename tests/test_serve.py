"""`newsalign serve` as a user meets it: it sees what other commands write, it stops with
everything it started, and a bad query is a message on the page, not a console traceback."""

from __future__ import annotations

import json
import os
import signal
import socket
import time

import pytest

from tests.helpers import EXAMPLES, SEEDS, Served, seed

# Real engines, servers, processes or clusters: the slow tier (make test-fast leaves it out).
pytestmark = pytest.mark.slow

pytest.importorskip("datasette")


def _count(server: Served) -> int:
    status, body = server.get(
        f"/{server.db}.json?sql=select+count(*)+as+n+from+documents&_shape=array"
    )
    assert status == 200, body[:300]
    return json.loads(body)[0]["n"]


def test_serve_shows_what_other_commands_write(cli, db_path) -> None:
    assert cli("ingest", str(seed("000"))).exit_code == 0
    with Served(db_path) as server:
        assert _count(server) == 1
        assert cli("ingest", str(SEEDS)).exit_code == 0  # while serving
        assert _count(server) == 5
        status, body = server.get(f"/{server.db}/documents.json?_shape=array&_size=10")
        assert status == 200 and len(json.loads(body)) == 5


def test_serve_stops_with_everything_it_started(cli, db_path) -> None:
    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    server = Served(db_path)
    server.wait_ready()
    os.kill(server.process.pid, signal.SIGTERM)
    server.process.wait(timeout=15)
    with pytest.raises(ProcessLookupError):  # no process of its group is left
        os.killpg(server.process.pid, 0)
    with socket.socket() as probe:  # and nothing answers on its port
        assert probe.connect_ex(("127.0.0.1", server.port)) != 0
    server.stop()


def test_a_rejected_query_is_a_page_not_a_console_traceback(cli, db_path) -> None:
    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    with Served(db_path) as server:
        status, body = server.get(f"/{server.db}?sql=DELETE+FROM+documents")
        assert status >= 400
        status, _ = server.get(f"/{server.db}?sql=select+*+from+nowhere")
        assert status >= 400
        time.sleep(0.5)
    assert "Traceback" not in server.stderr()
    assert _count_rows(db_path) > 0


def test_one_huge_value_is_refused_not_allocated(cli, db_path) -> None:
    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    with Served(db_path) as server:
        started = time.monotonic()
        status, body = server.get(f"/{server.db}.json?sql=select+randomblob(1000000000)")
        assert status >= 400 and "too big" in body, body[:300]
        assert time.monotonic() - started < 30  # refused at once, not after a gigabyte
        assert _count(server) > 0  # and the server goes on answering


def _count_rows(db_path) -> int:
    from tests.helpers import fetch

    return fetch(db_path, "SELECT count(*) FROM documents")[0][0]


def test_a_port_in_use_is_one_line(cli, db_path) -> None:
    assert cli("init").exit_code == 0
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert result.exit_code == 1 and "cannot serve on 127.0.0.1" in result.output
