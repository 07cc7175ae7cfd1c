"""Corpus commands: init, ingest, stats, show, search, names, query, and run (the main job)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from newsalign.corpus import store
from newsalign.corpus.cli import render
from newsalign.corpus.cli.common import (
    DbOption,
    JsonOption,
    cli_errors,
    cluster_address,
    new_database_kept_if,
    open_for_writing,
)
from newsalign.corpus.plural import plural
from newsalign.corpus.store import documents
from newsalign.corpus.store import glossary as glossary_db
from newsalign.corpus.views import documents as views_documents


def init(db: DbOption = None) -> None:
    """Create the corpus database (or bring an existing one up to date)."""
    with cli_errors():
        path = store.resolve_db_path(db)
        existed = path.exists()
        database = store.open_db(path, create=True)
        loaded = glossary_db.ensure_default(database)
        entities = glossary_db.entity_count(database)
        version = glossary_db.version(database)
    typer.echo(f"{'Up to date' if existed else 'Created'}: {path}")
    if loaded:
        typer.echo(
            f"Loaded the default glossary: {plural(entities, 'entity')} "
            f"(glossary version {version})"
        )


def _print_result(result) -> None:
    detail = result.message or ""
    if result.status in ("added", "new-version"):
        detail = (
            f"document {result.doc_id}, {result.lang or 'unknown language'}, "
            f"{plural(result.sentences, 'segment')}, "
            f"{plural(result.boilerplate, 'boilerplate line')} removed"
            + (f"; {result.message}" if result.message else "")
        )
    stream_err = result.status in ("failed", "skipped")
    name = render.inline(result.name)  # one line per input, whatever the file is called
    render.echo(f"{result.status:<11} {name}: {detail}", err=stream_err)
    if result.warning:
        render.echo(f"warning     {name}: {result.warning}", err=True)


def _langs(value: str | None) -> list[str] | None:
    from newsalign.translate.langid import parse_langs

    return parse_langs(value)


PathsArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files (.txt, .md, .html/.htm), directories (searched recursively), or - for stdin "
        "[default: the files a --manifest lists].",
        show_default=False,
    ),
]
ManifestOption = Annotated[
    Path | None,
    typer.Option(
        "--manifest",
        help="TSV or CSV with file, url, outlet, language, date per file "
        "(shared/stories/*/index.tsv works as is).",
    ),
]


def _inputs(paths: list[str] | None, manifest: Path | None) -> list[str]:
    if not paths and manifest is None:
        typer.echo("Error: give files or folders to ingest, or a --manifest", err=True)
        raise typer.Exit(2)
    return paths or []


SourceOption = Annotated[
    str | None,
    typer.Option("--source", help="Outlet name [default: the page's site name, or the file name]"),
]
LangsOption = Annotated[
    str | None,
    typer.Option("--langs", help="Restrict language detection to these codes, e.g. de,en."),
]
FollowOption = Annotated[
    bool,
    typer.Option(
        "--follow-symlinks",
        help="Follow links that point out of an ingested folder (skipped otherwise), "
        "and read manifest rows naming files outside the manifest's folder "
        "(refused otherwise).",
    ),
]
MaxMbOption = Annotated[
    float | None,
    typer.Option(
        "--max-mb",
        min=0.001,
        max=1024,
        help="Refuse inputs larger than this many megabytes [default: 10, or "
        "$NEWSALIGN_MAX_INPUT_MB]",
    ),
]


def _max_bytes(max_mb: float | None) -> int | None:
    if max_mb is not None and max_mb != max_mb:  # NaN passes the range check
        typer.echo("Error: --max-mb must be a number of megabytes", err=True)
        raise typer.Exit(1)
    return int(max_mb * 1024 * 1024) if max_mb else None


IngestClusterOption = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        callback=cluster_address,
        help="Parse (decode, clean, split, detect languages) on a Dask cluster: a scheduler "
        "(tcp://host:8786) or local:N (N worker processes started and stopped here); this "
        "process stores. Needs newsalign[cluster].",
    ),
]


def ingest(
    paths: PathsArgument = None,
    manifest: ManifestOption = None,
    source: SourceOption = None,
    langs: LangsOption = None,
    max_mb: MaxMbOption = None,
    follow_symlinks: FollowOption = False,
    cluster: IngestClusterOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest articles: strip boilerplate, split paragraphs and sentences, detect languages.

    Re-ingesting unchanged files adds nothing; a changed file becomes a new version. A file
    that fails is reported and skipped; the exit code is 1 if any failed. In a folder, pipes,
    devices and links that point out of the folder are skipped (one line each), never read.
    """
    from newsalign.corpus.cli.progress import progress
    from newsalign.corpus.ingest.run import STATUSES
    from newsalign.corpus.ingest.run import ingest as run_ingest

    paths = _inputs(paths, manifest)
    with cli_errors(), new_database_kept_if(db) as keep:
        candidates = _langs(langs)
        database = open_for_writing(db)
        try:
            with progress("Ingesting", "inputs", quiet=as_json) as on_progress:
                # Printed as they come (and not kept), so memory stays flat on large folders;
                # JSON is one document, printed at the end.
                options = dict(
                    source=source,
                    langs=candidates,
                    max_bytes=_max_bytes(max_mb),
                    manifest=manifest,
                    follow_symlinks=follow_symlinks,
                    on_progress=on_progress,
                    on_result=None if as_json else _print_result,
                    keep_results=as_json,
                )
                if cluster:
                    from newsalign.corpus.distributed.ingest import ingest_corpus

                    report = ingest_corpus(database, paths, cluster, **options)
                else:
                    report = run_ingest(database, paths, **options)
        finally:
            # A new database is kept when something was stored, even if the run was then
            # interrupted (a run row is written with the first change).
            keep[0] = documents.has_runs(database)
            database.conn.close()
    if as_json:
        typer.echo(render.to_json(report.results))
    else:
        counts = ", ".join(f"{report.count(s)} {s}" for s in STATUSES if report.count(s))
        typer.echo(f"Ingested {plural(report.inputs, 'input')}: {counts or 'nothing'}")
    if report.failed:
        raise typer.Exit(1)


def stats(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Documents by language and source, segments by kind, boilerplate removed."""
    with cli_errors():
        data = documents.stats(store.open_readonly(db))
    if as_json:
        typer.echo(render.to_json(data))
        return
    typer.echo(
        f"{plural(data.documents, 'document')} ({plural(data.older_versions, 'older version')} "
        "kept); "
        f"{data.characters.raw} characters before cleaning, {data.characters.clean} after"
    )
    for rows, title in (
        (data.by_language, "Documents by language"),
        (data.by_source, "Documents by source"),
        (data.segments, "Segments by kind"),
        (data.segment_languages, "Segments by language (title and body)"),
        (data.boilerplate_removed, "Boilerplate removed, by reason"),
    ):
        typer.echo(f"\n{title}:")
        typer.echo(render.records_table(rows) if rows else "(none)")


def show(
    doc: Annotated[str, typer.Argument(help="Document id, path, or file name.")],
    boilerplate: Annotated[
        bool, typer.Option("--boilerplate", help="Also list the removed boilerplate lines.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a document: metadata, cleaned text, and its segments with their languages."""
    with cli_errors():
        detail = views_documents.show(store.open_readonly(db), doc)
    if as_json:
        typer.echo(render.to_json(detail.as_json()))
        return
    d = detail.document
    for key in (
        "id",
        "source",
        "title",
        "published",
        "lang",
        "path",
        "url",
        "version",
        "sha256",
        "encoding",
        "encoding_confidence",
        "raw_chars",
        "clean_chars",
    ):
        value = getattr(d, key)
        if key == "published" and value:
            value += f" ({d.published_from or '?'}" + (
                f", {d.published_inferred} inferred)" if d.published_inferred else ")"
            )
        render.echo(f"{key + ':':<13}{value if value is not None else '-'}")
    if detail.cites:
        render.echo(f"{'cites:':<13}{', '.join(detail.cites)}")
    for d in detail.derived_from:
        render.echo(
            f"{'derived from:':<13} {d.outlet} (document {d.doc}), {round(d.share * 100)} %"
        )
    if d.encoding_warning:
        render.echo(f"{'warning:':<13}{d.encoding_warning}")
    render.echo("\n" + d.text + "\n")
    rows = [
        (s.id, s.kind, s.reason or "", s.lang or "", s.lang_method or "", s.text)
        for s in detail.segments
        if boilerplate or s.kind != "boilerplate"
    ]
    typer.echo(render.to_table(["id", "kind", "reason", "lang", "lang from", "text"], rows))


def search(
    query: Annotated[str, typer.Argument(help="Words to search for (diacritics are ignored).")],
    lang: Annotated[
        str | None, typer.Option("--lang", help="Only segments in this language.")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source", help="Only this outlet (any case; or every outlet whose name contains it)."
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=100_000, help="At most this many hits shown.")
    ] = 20,
    fts: Annotated[
        bool,
        typer.Option("--fts", help="Pass QUERY to SQLite FTS5 as is (AND, OR, NEAR, prefix*)."),
    ] = False,
    literal: Annotated[
        bool,
        typer.Option(
            "--literal", help="Only the string itself, not other names of the same place."
        ),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over the segments of current documents.

    A place's other names are found too, also inside a longer query ("consulate Stepanakert"
    finds "consulate in Khankendi"); says how many hits there are when --limit cuts them.
    """
    from newsalign.corpus.store.search import search as run_search

    with cli_errors():
        found = run_search(
            store.open_readonly(db),
            query,
            lang=lang,
            source=source,
            limit=limit,
            raw=fts,
            literal=literal,
        )
    hits = found.hits
    if as_json:
        typer.echo(render.to_json(list(hits)))
        return
    if not hits:
        typer.echo("No matches.")
        return
    for hit in hits:
        render.echo(f"[{hit.doc_id}:{hit.segment_id}] {hit.source} ({hit.lang}) {hit.title or ''}")
        if hit.match == "entity":
            render.echo(f"    same entity ({hit.entity}), named here: {hit.names_used}")
        render.echo(f"    {hit.snippet}")
    if found.total > len(hits):
        typer.echo(f"{len(hits)} of {found.total} shown; --limit {found.total} shows all.")


def names(
    entity: Annotated[
        str | None, typer.Argument(help="Entity key or any of its names [default: all].")
    ] = None,
    suggest: Annotated[
        bool,
        typer.Option(
            "--suggest",
            help="List spellings in the corpus that look like a known "
            "name but are not in the glossary, with the command that adds each.",
        ),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Naming stance: per outlet, which name it used for each entity, and how often."""
    from newsalign.corpus.store.glossary import suggestions
    from newsalign.corpus.store.mentions import names_used
    from newsalign.glossary.edit import find_entity

    if suggest:
        with cli_errors():
            found = suggestions(store.open_readonly(db))
        if as_json:
            typer.echo(render.to_json(found))
        elif not found:
            typer.echo("No spelling in the corpus looks like a known name without being one.")
        else:
            typer.echo(
                render.to_table(
                    ["spelling", "count", "lang", "entity", "like", "why", "command"],
                    [
                        [s.spelling, s.count, s.lang, s.entity, s.near, s.why, s.command]
                        for s in found
                    ],
                    max_width=90,
                )
            )
        return
    with cli_errors():
        database = store.open_readonly(db)
        key = find_entity(glossary_db.load(database), entity).key if entity else None
        rows = names_used(database, key)
    if as_json:
        typer.echo(render.to_json(rows))
        return
    if not rows:
        typer.echo("No mentions.")
        return
    columns = ["entity", "source", "name", "usage", "mentions", "surfaces"]
    typer.echo(
        render.to_table(columns, [[getattr(r, c) for c in columns] for r in rows], max_width=50)
    )


def query(
    sql: Annotated[str, typer.Argument(help="One reading SQL statement.")],
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", min=0.01, max=3600, help="Stop after this many seconds."),
    ] = 5.0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run a reading SQL query against the corpus and print a table, JSON or CSV.

    The connection is read-only and only reading is allowed: no ATTACH, VACUUM, writes or
    pragmas that change state; a query running past the time limit is stopped."""
    from newsalign.corpus.store.sql import run_sql

    if time_limit != time_limit:  # NaN passes the range check
        typer.echo("Error: --time-limit must be a number of seconds", err=True)
        raise typer.Exit(1)
    with cli_errors():
        columns, rows = run_sql(store.open_readonly(db), sql, time_limit)
    if as_json:
        typer.echo(render.to_json([dict(zip(columns, row, strict=True)) for row in rows]))
    elif as_csv:
        sys.stdout.write(render.to_csv(columns, rows))
    else:
        typer.echo(render.to_table(columns, rows))


def run(
    paths: PathsArgument = None,
    manifest: ManifestOption = None,
    source: SourceOption = None,
    langs: LangsOption = None,
    max_mb: MaxMbOption = None,
    follow_symlinks: FollowOption = False,
    db: DbOption = None,
) -> None:
    """The main job: ingest PATHs, translate what a model or the memory covers, align claims
    across sources, and print the claims shared by two or more sources."""
    from newsalign.corpus.pipeline import run_pipeline

    paths = _inputs(paths, manifest)
    with cli_errors():
        candidates = _langs(langs)
        summary = run_pipeline(
            open_for_writing(db),
            paths,
            source=source,
            langs=candidates,
            max_bytes=_max_bytes(max_mb),
            manifest=manifest,
            follow_symlinks=follow_symlinks,
        )
    for result in summary.ingest.results:
        _print_result(result)
    if summary.ingest.failed:  # each failed input had its line on stderr; this is the summary
        typer.echo(summary.notes[0])
        raise typer.Exit(1)
    typer.echo("")
    typer.echo(
        render.to_table(
            ["doc", "source", "lang", "segments", "boilerplate", "title"],
            [
                (d.id, d.source, d.lang, d.segments, d.boilerplate, d.title)
                for d in summary.documents
            ],
            max_width=60,
        )
    )
    for line in summary.notes:
        typer.echo(line)
    if summary.shared:
        typer.echo("\nClaims shared by two or more sources (`newsalign claims show ID`):")
        typer.echo(
            render.to_table(
                ["id", "sources", "languages", "outlets", "claim"],
                [
                    [c.id, c.sources, c.languages, ", ".join(c.outlets), c.claim]
                    for c in summary.shared
                ],
                max_width=70,
            )
        )
    if summary.locked:
        typer.echo(f"Error: alignment did not run: {summary.locked}", err=True)
    if summary.ingest.failed or summary.locked:
        raise typer.Exit(1)
