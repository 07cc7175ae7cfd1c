"""The database schema as an ordered list of migrations.

A migration that has landed is never edited: change the schema by appending a new one. Each runs
in its own transaction together with the row that records it, so a failed migration leaves the
database as it was."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from newsalign.corpus.store import migrations_0015, review_schema
from newsalign.corpus.store.migrations_0014 import m0014_dates_and_corrections

MIGRATIONS_TABLE = "_newsalign_migrations"
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
HEADLINE = "ALTER TABLE claims ADD COLUMN headline INTEGER NOT NULL DEFAULT 0"  # migration 0013


def m0001_foundation(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            args TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,
            counts TEXT,
            error TEXT
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            doc_key TEXT NOT NULL,
            version INTEGER NOT NULL,
            previous_id INTEGER REFERENCES documents(id),
            is_current INTEGER NOT NULL DEFAULT 1,
            path TEXT,
            source TEXT NOT NULL,
            title TEXT,
            published TEXT,
            lang TEXT,
            lang_prob REAL,
            format TEXT NOT NULL,
            encoding TEXT NOT NULL,
            encoding_warning TEXT,
            sha256 TEXT NOT NULL UNIQUE,
            raw_chars INTEGER NOT NULL,
            clean_chars INTEGER NOT NULL,
            boilerplate_chars INTEGER NOT NULL,
            text TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id),
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX idx_documents_key ON documents(doc_key);
        CREATE TABLE paragraphs (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id),
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            lang TEXT,
            lang_prob REAL,
            lang_method TEXT
        );
        CREATE INDEX idx_paragraphs_doc ON paragraphs(doc_id);
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id),
            paragraph_id INTEGER REFERENCES paragraphs(id),
            idx INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('title', 'body', 'boilerplate')),
            reason TEXT,
            sentence INTEGER,
            start INTEGER,
            "end" INTEGER,
            line INTEGER,
            text TEXT NOT NULL,
            search_text TEXT NOT NULL,
            lang TEXT,
            lang_prob REAL,
            lang_method TEXT
        );
        CREATE INDEX idx_segments_doc ON segments(doc_id);
        """
    )
    # The index holds a folded copy of the text (see glossary.textnorm) so that "Xankendi" finds
    # "Xankəndi"; SQLite's own diacritics folding does not cover ə or ı.
    db["segments"].enable_fts(
        ["search_text"], fts_version="FTS5", tokenize=FTS_TOKENIZE, create_triggers=True
    )


def m0002_glossary(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            label TEXT NOT NULL,
            geonames_id TEXT NOT NULL DEFAULT '',
            wikidata_id TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE names (
            id INTEGER PRIMARY KEY,
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            usage TEXT NOT NULL DEFAULT '',
            is_canonical INTEGER NOT NULL DEFAULT 0,
            valid_from TEXT NOT NULL DEFAULT '',
            valid_to TEXT NOT NULL DEFAULT '',
            UNIQUE (entity_id, name)
        );
        CREATE TABLE spellings (
            id INTEGER PRIMARY KEY,
            name_id INTEGER NOT NULL REFERENCES names(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            lang TEXT NOT NULL DEFAULT '',
            script TEXT NOT NULL,
            form TEXT NOT NULL,
            UNIQUE (name_id, text, lang)
        );
        CREATE INDEX idx_spellings_form ON spellings(form);
        CREATE TABLE glossary_versions (
            version INTEGER PRIMARY KEY,
            changed_at TEXT NOT NULL,
            change TEXT NOT NULL
        );
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id),
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            name_id INTEGER NOT NULL REFERENCES names(id) ON DELETE CASCADE,
            spelling_id INTEGER NOT NULL REFERENCES spellings(id) ON DELETE CASCADE,
            surface TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            inflected INTEGER NOT NULL DEFAULT 0,
            glossary_version INTEGER NOT NULL
        );
        CREATE INDEX idx_mentions_segment ON mentions(segment_id);
        CREATE INDEX idx_mentions_entity ON mentions(entity_id);
        """
    )


def m0003_translation(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE tm (
            id INTEGER PRIMARY KEY,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source TEXT NOT NULL,
            source_norm TEXT NOT NULL,
            target TEXT NOT NULL,
            origin TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            UNIQUE (source_lang, target_lang, source_norm)
        );
        CREATE TABLE translations (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id),
            target_lang TEXT NOT NULL,
            text TEXT NOT NULL,
            search_text TEXT NOT NULL,
            backend TEXT NOT NULL,
            model TEXT NOT NULL,
            path TEXT NOT NULL,
            glossary_version INTEGER NOT NULL,
            names_mode TEXT NOT NULL,
            settings TEXT NOT NULL,
            terms TEXT NOT NULL,
            terms_missing INTEGER NOT NULL DEFAULT 0,
            protection TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id),
            created_at TEXT NOT NULL,
            UNIQUE (segment_id, target_lang, model, glossary_version, names_mode)
        );
        CREATE INDEX idx_translations_segment ON translations(segment_id);
        ALTER TABLE mentions ADD COLUMN translation_id INTEGER REFERENCES translations(id);
        -- Partial: nearly every mention has no translation, and a full index would lure the
        -- planner into scanning it for "translation_id IS NULL".
        CREATE INDEX idx_mentions_translation ON mentions(translation_id)
            WHERE translation_id IS NOT NULL;
        """
    )
    db["translations"].enable_fts(
        ["search_text"], fts_version="FTS5", tokenize=FTS_TOKENIZE, create_triggers=True
    )


def m0004_alignment(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE embeddings (
            segment_id INTEGER PRIMARY KEY REFERENCES segments(id),
            model TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE claims (
            segment_id INTEGER PRIMARY KEY REFERENCES segments(id),
            doc_id INTEGER NOT NULL REFERENCES documents(id),
            source TEXT NOT NULL,
            lang TEXT,
            english TEXT,
            english_from TEXT NOT NULL,
            entities TEXT NOT NULL,
            facts TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE TABLE clusters (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            size INTEGER NOT NULL,
            sources INTEGER NOT NULL,
            languages TEXT NOT NULL,
            score REAL NOT NULL
        );
        CREATE TABLE cluster_members (
            cluster_id INTEGER NOT NULL REFERENCES clusters(id),
            segment_id INTEGER NOT NULL REFERENCES segments(id),
            is_repeat INTEGER NOT NULL DEFAULT 0,
            repeat_of INTEGER REFERENCES segments(id),
            PRIMARY KEY (cluster_id, segment_id)
        );
        CREATE TABLE alignments (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            a_segment_id INTEGER NOT NULL REFERENCES segments(id),
            b_segment_id INTEGER NOT NULL REFERENCES segments(id),
            score REAL NOT NULL,
            cosine REAL NOT NULL,
            margin REAL NOT NULL,
            contributions TEXT NOT NULL,
            method TEXT NOT NULL,
            threshold REAL NOT NULL,
            accepted INTEGER NOT NULL,
            cluster_id INTEGER REFERENCES clusters(id),
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_alignments_a ON alignments(a_segment_id);
        CREATE INDEX idx_alignments_b ON alignments(b_segment_id);
        CREATE INDEX idx_cluster_members_segment ON cluster_members(segment_id);
        """
    )


def m0005_views_and_cache_keys(db: sqlite_utils.Database) -> None:
    # What nearly every query repeats, said once: current documents, their title and body
    # segments with the outlet, and mentions in original text (not in translations).
    db.executescript(
        """
        CREATE VIEW current_documents AS SELECT * FROM documents WHERE is_current = 1;
        CREATE VIEW text_segments AS
            SELECT s.*, d.source, d.title AS doc_title, d.published
            FROM segments s JOIN documents d ON d.id = s.doc_id
            WHERE d.is_current = 1 AND s.kind != 'boilerplate';
        CREATE VIEW original_mentions AS
            SELECT m.*, s.doc_id, s.kind, d.source, e.key AS entity_key, e.label AS entity_label,
                   n.name, n.usage, n.is_canonical
            FROM mentions m
            JOIN segments s ON s.id = m.segment_id
            JOIN documents d ON d.id = s.doc_id
            JOIN names n ON n.id = m.name_id
            JOIN entities e ON e.id = m.entity_id
            WHERE m.translation_id IS NULL AND d.is_current = 1 AND s.kind != 'boilerplate';
        -- A translation is reused while the text the translator saw is unchanged: the segment
        -- after glossary names were put in (see corpus/mt). Older rows have no hash and are
        -- kept as history; the next run translates their segments again.
        ALTER TABLE translations ADD COLUMN input_hash TEXT;
        CREATE INDEX idx_translations_input ON translations(segment_id, target_lang, input_hash);
        -- Sentence vectors keyed by what was embedded and by whom, so switching embedders back
        -- and forth, or re-ingesting the same sentence, never embeds it twice.
        CREATE TABLE sentence_vectors (
            text_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (text_hash, model)
        );
        """
    )
    rows = db.execute(
        "SELECT s.text, e.model, e.dim, e.vector, e.created_at FROM embeddings e "
        "JOIN segments s ON s.id = e.segment_id"
    ).fetchall()
    db.conn.executemany(
        "INSERT OR IGNORE INTO sentence_vectors VALUES (?, ?, ?, ?, ?)",
        [
            (text_hash(text), model, dim, vector, created)
            for text, model, dim, vector, created in rows
        ],
    )
    db.execute("DROP TABLE embeddings")


def m0006_stories(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            label TEXT NOT NULL,
            documents INTEGER NOT NULL,
            sources INTEGER NOT NULL,
            languages TEXT NOT NULL,
            first_published TEXT,
            last_published TEXT
        );
        CREATE TABLE story_documents (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id),
            story_id INTEGER NOT NULL REFERENCES stories(id)
        );
        CREATE INDEX idx_story_documents_story ON story_documents(story_id);
        ALTER TABLE clusters ADD COLUMN story_id INTEGER REFERENCES stories(id);
        -- The raw value of every feature behind a link's probability (contributions holds each
        -- feature's share of the log-odds).
        ALTER TABLE alignments ADD COLUMN evidence TEXT;
        """
    )


def m0007_run_processes(db: sqlite_utils.Database) -> None:
    # Which process ran a command: a run left 'running' by a process that is gone was killed,
    # and the next command marks it interrupted.
    db.executescript(
        """
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN host TEXT;
        """
    )


def m0008_metadata_and_decisions(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        -- Where a document came from and how its outlet and date were learned: manifest, html
        -- (page metadata), page (a scrape's header, byline or footer), option, file.
        ALTER TABLE documents ADD COLUMN url TEXT;
        ALTER TABLE documents ADD COLUMN outlet_from TEXT;
        ALTER TABLE documents ADD COLUMN published_from TEXT;
        -- A person's corrections of the alignment. Each decision is kept as sentence pairs
        -- that must or cannot be one claim, the sentences named by their document (doc_key,
        -- stable across versions) and the hash of their text, so later runs apply them.
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL CHECK (action IN ('reject', 'accept', 'split', 'merge')),
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE TABLE decision_pairs (
            decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
            link TEXT NOT NULL CHECK (link IN ('must', 'cannot')),
            a_doc_key TEXT NOT NULL,
            a_hash TEXT NOT NULL,
            b_doc_key TEXT NOT NULL,
            b_hash TEXT NOT NULL
        );
        CREATE INDEX idx_decision_pairs ON decision_pairs(decision_id);
        -- The highest id ever given to a story or claim, so a new one never reuses the id of
        -- one that an earlier run had and a later run dissolved.
        CREATE TABLE id_marks (name TEXT PRIMARY KEY, last INTEGER NOT NULL);
        """
    )


def m0009_encoding_confidence(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        -- How sure ingest was of the encoding of text that was not UTF-8 (1.0 for UTF-8 and
        -- UTF-16, which are read, not guessed).
        ALTER TABLE documents ADD COLUMN encoding_confidence REAL;
        """
    )


def text_hash(text: str) -> str:
    """The key of a text in caches: SHA-256 of its UTF-8 bytes, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("0001_foundation", m0001_foundation),
    ("0002_glossary", m0002_glossary),
    ("0003_translation", m0003_translation),
    ("0004_alignment", m0004_alignment),
    ("0005_views_and_cache_keys", m0005_views_and_cache_keys),
    ("0006_stories", m0006_stories),
    ("0007_run_processes", m0007_run_processes),
    ("0008_metadata_and_decisions", m0008_metadata_and_decisions),
    ("0009_encoding_confidence", m0009_encoding_confidence),
    ("0012_review", review_schema.migrate),
    # Titles are aligned as claims too; a reader sees which member is a headline.
    ("0013_headline_claims", lambda db: db.execute(HEADLINE)),
    ("0014_dates_and_corrections", m0014_dates_and_corrections),
    ("0015_story_inputs", migrations_0015.m0015_story_inputs),
]


def applied(db: sqlite_utils.Database) -> list[str]:
    """Names of the migrations already applied, in order."""
    if MIGRATIONS_TABLE not in db.table_names():
        return []
    return [row[0] for row in db.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY rowid")]


def pending(db: sqlite_utils.Database) -> list[str]:
    """Names of the migrations not yet applied."""
    done = set(applied(db))
    return [name for name, _ in MIGRATIONS if name not in done]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every pending migration, each in its own transaction; return their names.

    Each takes the write lock first (BEGIN IMMEDIATE) and checks again that it is still
    pending, so two processes opening a new database at once do not both apply it."""
    ran = []
    for name, func in MIGRATIONS:
        if name in set(applied(db)):
            continue
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            if name not in set(applied(db)):
                db.execute(
                    f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} "
                    "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                func(db)
                db.execute(
                    f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?)",
                    [name, datetime.now(UTC).isoformat(timespec="seconds")],
                )
                ran.append(name)
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
    return ran
