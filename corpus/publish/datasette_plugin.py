"""What `newsalign serve` adds to Datasette: SQL functions for the entity-aware search and for
naming corrected sentences, the stories for the home page, and pages with bidi overrides marked
and terminal escapes left out. Registered by serve.app() for its own server only, not through
an entry point, so other Datasette instances in the environment are left as they are."""

from __future__ import annotations

import os
import sqlite3
import sys

from datasette import Response, hookimpl

from newsalign.corpus.store.canned import HOME_COUNTS, HOME_STORIES
from newsalign.corpus.store.records import text_hash
from newsalign.corpus.store.search import fts_query
from newsalign.corpus.store.sql import MAX_VALUE_BYTES
from newsalign.glossary.match import words
from newsalign.glossary.safetext import neutral


def _fts(query: str | None) -> str:
    try:
        return fts_query(query or "")
    except Exception:  # an empty query matches nothing rather than failing the page
        return '""'


@hookimpl
def prepare_connection(conn) -> None:
    # One value of a query at most as large as `newsalign query` allows: Datasette's time limit
    # cannot stop a single call such as randomblob(1e9), which took 3.3 GB and the server with it.
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    # A spelling's stored form: its folded words, as the glossary matcher compares them.
    conn.create_function(
        "newsalign_form", 1, lambda text: " ".join(words(text or "")), deterministic=True
    )
    conn.create_function("newsalign_fts", 1, _fts, deterministic=True)
    # How corrections name a sentence (store/decisions.py): the hash of its text.
    conn.create_function(
        "newsalign_hash", 1, lambda text: text_hash(text or ""), deterministic=True
    )


@hookimpl
def extra_template_vars(template, datasette):
    if template != "index.html":
        return {}

    async def stories():
        # The corpus: serve opens one file; Datasette adds its own in-memory `_internal`.
        name = next(n for n, d in datasette.databases.items() if not d.is_memory)
        db = datasette.get_database(name)
        try:
            rows = await db.execute(HOME_STORIES)
            counts = await db.execute(HOME_COUNTS)
        except Exception:  # an old or empty database: the page still opens
            return {"newsalign": {"database": name, "stories": [], "counts": (0, 0, 0)}}
        return {
            "newsalign": {
                "database": name,
                "stories": [dict(r) for r in rows.rows],
                "counts": tuple(counts.first()),
            }
        }

    return stories  # Datasette awaits it when it renders the page


def _marked(html: bytes) -> bytes:
    return neutral(html.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")


@hookimpl
def asgi_wrapper(datasette):
    """Every HTML page as the CLI and the report show text: bidi overrides shown as
    `[U+202E]`, terminal escapes left out (a page fetched with curl reaches a terminal), in
    cells, facets, titles, labels and the SQL box alike. JSON and CSV are left exact."""

    def wrap(app):
        async def marked(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            held: dict = {}
            parts: list[bytes] = []

            async def relay(message):
                if message["type"] == "http.response.start":
                    kind = dict(message.get("headers", [])).get(b"content-type", b"")
                    if kind.startswith(b"text/html"):
                        held["start"] = message  # sent with the whole page, its length known
                        return
                elif message["type"] == "http.response.body" and "start" in held:
                    parts.append(message.get("body", b""))
                    if message.get("more_body"):
                        return
                    page = _marked(b"".join(parts))
                    start = held.pop("start")
                    headers = [
                        (k, v)
                        for k, v in start.get("headers", [])
                        if k.lower() != b"content-length"
                    ]
                    headers.append((b"content-length", str(len(page)).encode()))
                    await send({**start, "headers": headers})
                    message = {"type": "http.response.body", "body": page}
                await send(message)

            await app(scope, receive, relay)

        return marked

    return wrap


def _status(exception) -> tuple[int, dict, object, str | None]:
    """(status, error fields, message, title) of an exception, as Datasette shows it."""
    from datasette.utils.asgi import Base400
    from datasette.views.base import DatasetteError
    from markupsafe import Markup

    if isinstance(exception, Base400):
        return exception.status, {}, exception.args[0] if exception.args else "", None
    if isinstance(exception, DatasetteError):
        message = Markup(exception.message) if exception.message_is_html else exception.message
        return exception.status, dict(exception.error_dict), message, exception.title
    return 500, {}, str(exception), None


def log_line(request, status: int, exception) -> str:
    """The console's one line about a failed request (its query and message cut short)."""
    where = request.path + (f"?{request.query_string}" if request.query_string else "")
    why = " ".join(str(exception).split()) or type(exception).__name__
    return neutral(f"serve: {status} {request.method} {where[:160]}: {why[:200]}")


@hookimpl
def handle_exception(datasette, request, exception):
    """Datasette's error page, with one line on the console instead of a traceback
    (NEWSALIGN_DEBUG=1 adds the traceback of an unexpected error); a page not found says
    nothing."""

    async def inner():
        from datasette.utils import add_cors_headers

        status, info, message, title = _status(exception)
        if status != 404:
            print(log_line(request, status, exception), file=sys.stderr, flush=True)
        if status >= 500 and os.environ.get("NEWSALIGN_DEBUG"):
            import traceback

            traceback.print_exception(exception)
        info.update({"ok": False, "error": message, "status": status, "title": title})
        headers: dict = {}
        if datasette.cors:
            add_cors_headers(headers)
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status, headers=headers)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        page = await template.render_async(
            dict(
                info,
                urls=datasette.urls,
                menu_links=lambda: [],
                app_css_hash=datasette.app_css_hash(),
            )
        )
        return Response.html(page, status=status, headers=headers)

    return inner
