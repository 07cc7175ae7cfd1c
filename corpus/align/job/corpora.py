"""A corpus database of evaluation folders, for the fitting and benchmark scripts: ingested once
(each folder with its `index.tsv` as its manifest, as a user would pass it), then reused while
the ingest code and the glossary are unchanged, with everything alignment reads from it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import newsalign.corpus.ingest as ingest_package
import newsalign.glossary as glossary_package
from newsalign.corpus.align.job.reading import Prepared, prepare
from newsalign.corpus.align.job.vectors import Embedding
from newsalign.corpus.ingest.run import ingest
from newsalign.corpus.store import documents, open_db
from newsalign.corpus.store.glossary import ensure_default


def load_corpus(
    db_path: Path, folders: Sequence[Path], embedders: dict
) -> tuple[Prepared, dict[int, str]]:
    """A corpus database of `folders` (ingested once, then reused while the ingest code and
    the glossary are unchanged) and everything alignment reads from it: (prepared input, path
    of each document by id). A folder's `index.tsv` is its manifest, as a user would pass it."""
    stamp = db_path.with_suffix(".ingested-by")
    if db_path.exists() and (not stamp.exists() or stamp.read_text() != _ingest_fingerprint()):
        for stale in db_path.parent.glob(db_path.name + "*"):
            stale.unlink()
    fresh = not db_path.exists()
    db = open_db(db_path, create=True)
    if fresh:
        ensure_default(db)
        for folder in folders:
            index = Path(folder) / "index.tsv"
            ingest(db, [str(folder)], manifest=index if index.exists() else None)
        stamp.write_text(_ingest_fingerprint())
    prepared = prepare(db, embedders, Embedding())
    paths = documents.paths(db)
    db.close()
    return prepared, paths


def _ingest_fingerprint() -> str:
    """A hash of the code and data that decide what ingest stores: a cached corpus made by other
    code is made again."""
    digest = hashlib.sha256()
    for package in (ingest_package, glossary_package):
        for path in sorted(Path(package.__file__).parent.rglob("*")):
            if path.suffix in (".py", ".json", ".tsv", ".csv") and path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()
