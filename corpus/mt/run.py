"""`newsalign translate`: every non-English segment gets an English translation, with provenance.

Per source language: translation memory first (exact match after whitespace normalisation), then
the installed Argos model, sentence by sentence in batches across documents. Before MT each
glossary mention is replaced by the English spelling of the same name, so the outlet's naming
survives; after MT the output is checked for it. One commit per batch: a killed run resumes
where it stopped, and a re-run with nothing new does nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from newsalign.corpus.store.database import RunLog, now
from newsalign.corpus.store.glossary import version as glossary_version
from newsalign.corpus.store.mentions import insert_mentions, matcher
from newsalign.glossary.match import Matcher
from newsalign.glossary.textnorm import fold
from newsalign.translate import packages, protect
from newsalign.translate.engine import Engine, Settings
from newsalign.translate.errors import TranslateError
from newsalign.translate.memory_formats import normalize

BACKENDS = ("auto", "argos", "tm")
NAME_MODES = ("source", "canonical")
# Segments per transaction. The engine works ahead on everything pending (see Engine.stream),
# so this only sets how much a killed run can lose.
COMMIT_EVERY = 64


@dataclass(frozen=True)
class Options:
    """What to translate and how."""

    target: str = "en"
    source: str | None = None
    backend: str = "auto"
    names: str = "source"
    pivot: str | None = None
    limit: int | None = None
    protect: bool = True
    settings: Settings = field(default_factory=Settings)


@dataclass
class Report:
    """What a translate run did."""

    from_memory: int = 0
    from_model: int = 0
    terms_missing: int = 0
    fragment_retries: int = 0
    missing_models: dict[str, str] = field(default_factory=dict)
    routes: dict[str, str] = field(default_factory=dict)
    run_id: int | None = None
    seconds: float = 0.0

    @property
    def translated(self) -> int:
        return self.from_memory + self.from_model


@dataclass(frozen=True)
class Route:
    """The packages a language goes through to reach the target, in order."""

    packages: tuple[packages.Package, ...]

    @property
    def model(self) -> str:
        return ">".join(p.id for p in self.packages)

    @property
    def path(self) -> str:
        return ">".join([self.packages[0].from_code, *(p.to_code for p in self.packages)])


def install_hint(source: str, target: str) -> str:
    return (
        f"no model for {source}→{target}: install one with `newsalign models install "
        f"{source}:{target}` (or an .argosmodel file)"
    )


def find_route(source: str, target: str, pivot: str | None) -> Route | None:
    """The direct package, or (only when a pivot is allowed) two packages through `pivot`."""
    direct = packages.find(source, target)
    if direct:
        return Route((direct,))
    if pivot and pivot not in (source, target):
        first, second = packages.find(source, pivot), packages.find(pivot, target)
        if first and second:
            return Route((first, second))
    return None


def _pending(db, lang: str, opts: Options, gv: int, model: str | None) -> list[tuple[int, str]]:
    sql = """
        SELECT s.id, s.text FROM segments s JOIN documents d ON d.id = s.doc_id
        WHERE d.is_current = 1 AND s.kind != 'boilerplate' AND s.lang = :lang
          AND NOT EXISTS (
            SELECT 1 FROM translations t WHERE t.segment_id = s.id AND t.target_lang = :target
              AND t.glossary_version = :gv AND t.names_mode = :names
              AND (t.backend = 'tm' OR t.model = :model))
        ORDER BY s.id
    """
    params = {
        "lang": lang,
        "target": opts.target,
        "gv": gv,
        "names": opts.names,
        "model": model or "",
    }
    return [(r[0], r[1]) for r in db.execute(sql, params)]


def languages_to_translate(db: sqlite_utils.Database, opts: Options) -> list[str]:
    """Source languages present in current title and body segments, other than the target."""
    rows = db.execute(
        "SELECT DISTINCT s.lang FROM segments s JOIN documents d ON d.id = s.doc_id "
        "WHERE d.is_current = 1 AND s.kind != 'boilerplate' AND s.lang IS NOT NULL "
        "AND s.lang != ? ORDER BY 1",
        [opts.target],
    )
    langs = [r[0] for r in rows]
    return [lang for lang in langs if opts.source in (None, lang)]


class _Names:
    """Glossary-aware preparation: English spellings in, expected terms out."""

    def __init__(self, db: sqlite_utils.Database, target: str, mode: str) -> None:
        self.matcher: Matcher = matcher(db)
        spell: dict[int, str] = {}
        rows = db.execute(
            "SELECT n.id, n.name, s.text, s.lang, s.script FROM names n "
            "JOIN spellings s ON s.name_id = n.id ORDER BY n.id, s.id"
        )
        fallback: dict[int, str] = {}
        for name_id, name, text, lang, script in rows:
            if lang == target:
                spell.setdefault(name_id, text)
            elif not lang and script == "Latn":
                fallback.setdefault(name_id, text)
            fallback.setdefault(name_id, name)
        self.english = {nid: spell.get(nid, fallback[nid]) for nid in fallback}
        self.canonical = {
            eid: nid
            for eid, nid in db.execute("SELECT entity_id, id FROM names WHERE is_canonical = 1")
        }
        self.mode = mode

    def prepare(self, text: str) -> tuple[str, list[dict[str, Any]]]:
        terms = []
        out = text
        for m in reversed(self.matcher.find(text)):
            name_id = m.term.name_id
            if self.mode == "canonical":
                name_id = self.canonical.get(m.term.entity_id, name_id)
            english = self.english.get(name_id, m.surface)
            out = out[: m.start] + english + out[m.end :]
            terms.append({"surface": m.surface, "expected": english})
        return out, list(reversed(terms))


def _check_terms(terms: list[dict[str, Any]], output: str) -> tuple[list[dict[str, Any]], int]:
    folded = fold(output)
    checked = [{**t, "found": fold(t["expected"]) in folded} for t in terms]
    return checked, sum(not t["found"] for t in checked)


class _Translator:
    """A route's engines, with the protection fallback."""

    def __init__(self, route: Route, opts: Options) -> None:
        self.route = route
        self.opts = opts
        self.engines = [Engine(p, opts.settings) for p in route.packages]

    def _raw(self, texts: list[str]) -> list[str]:
        for engine in self.engines:
            texts = engine.translate(texts)
        return texts

    def stream(self, texts: list[str]) -> Iterator[str]:
        """Translations in order; one engine streams, a pivot route goes chunk by chunk."""
        if len(self.engines) == 1:
            yield from self.engines[0].stream(texts)
            return
        for i in range(0, len(texts), COMMIT_EVERY):
            yield from self._raw(texts[i : i + COMMIT_EVERY])

    def needs_repair(self, source: str, output: str) -> bool:
        return self.opts.protect and bool(protect.missing(source, output))

    def repair(self, texts: list[str]) -> list[str]:
        """Translate in fragments split at the protected spans, which are put back verbatim."""
        plans = [protect.split(text) for text in texts]
        jobs = [(i, k) for i, plan in enumerate(plans) for k, piece in enumerate(plan)
                if protect.needs_model(piece)]  # fmt: skip
        done = self._raw([plans[i][k].text.strip() for i, k in jobs])
        pieces: list[dict[int, str]] = [{} for _ in texts]
        for (i, k), text in zip(jobs, done, strict=True):
            pieces[i][k] = text
        return [protect.join(plan, pieces[i]) for i, plan in enumerate(plans)]


def _store(db, rows: list[dict[str, Any]], found: Matcher, gv: int) -> None:
    for row in rows:
        cursor = db.execute(
            "INSERT INTO translations (segment_id, target_lang, text, search_text, backend, model, "
            "path, glossary_version, names_mode, settings, terms, terms_missing, protection, run_id, "
            "created_at) VALUES (:segment_id, :target_lang, :text, :search_text, :backend, :model, "
            ":path, :glossary_version, :names_mode, :settings, :terms, :terms_missing, :protection, "
            ":run_id, :created_at)",
            row,
        )
        insert_mentions(db, found, [(row["segment_id"], row["text"], cursor.lastrowid)], gv)


def translate_corpus(
    db: sqlite_utils.Database,
    opts: Options,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Translate every pending segment; see the module docstring. Raises TranslateError when
    `--backend argos` finds no model; otherwise missing models are listed in the report."""
    if opts.backend not in BACKENDS:
        raise TranslateError(f"unknown backend {opts.backend!r} (use {', '.join(BACKENDS)})")
    if opts.names not in NAME_MODES:
        raise TranslateError(f"--names must be one of {', '.join(NAME_MODES)}")
    start = time.perf_counter()
    gv = glossary_version(db)
    names = _Names(db, opts.target, opts.names)
    report = Report()
    run = RunLog(db, "translate", {**opts.settings.as_dict(), "target": opts.target,
                                   "source": opts.source, "backend": opts.backend,
                                   "names": opts.names, "pivot": opts.pivot, "limit": opts.limit,
                                   "protect": opts.protect})  # fmt: skip
    plans = []
    for lang in languages_to_translate(db, opts):
        route = None if opts.backend == "tm" else find_route(lang, opts.target, opts.pivot)
        if route is None and opts.backend == "argos":
            raise TranslateError(install_hint(lang, opts.target))
        pending = _pending(db, lang, opts, gv, route.model if route else None)
        if opts.limit is not None:
            pending = pending[: max(opts.limit - sum(len(p[2]) for p in plans), 0)]
        if pending:
            plans.append((lang, route, pending))
    total = sum(len(p[2]) for p in plans)
    done = 0
    try:
        for lang, route, pending in plans:
            if route:
                report.routes[lang] = route.path
            left = pending
            if opts.backend in ("auto", "tm"):
                left = _from_memory(db, lang, opts, names, gv, pending, run, report)
                done += len(pending) - len(left)
                if on_progress:
                    on_progress(done, total)
            if not left:
                continue
            if route is None:
                report.missing_models[lang] = (
                    install_hint(lang, opts.target) if opts.backend == "auto"
                    else f"{len(left)} {lang} segment(s) not in the translation memory"
                )  # fmt: skip
                continue
            translator = _Translator(route, opts)
            # Similar lengths together waste less padding; resuming does not depend on order.
            left = sorted(left, key=lambda item: len(item[1]))
            prepared = [names.prepare(text) for _, text in left]
            for ready in _model_batches(translator, [p[0] for p in prepared]):
                _from_model(db, opts, gv, left, prepared, ready, translator, names, run, report)
                done += len(ready)
                if on_progress:
                    on_progress(done, total)
    finally:
        run.counts.update(from_memory=report.from_memory, from_model=report.from_model,
                          terms_missing=report.terms_missing)  # fmt: skip
        run.finish()
    report.run_id = run.id
    report.seconds = time.perf_counter() - start
    return report


def _model_batches(
    translator: _Translator, texts: list[str]
) -> Iterator[list[tuple[int, str, bool]]]:
    """Batches of (index, translation, repaired) to store: streamed outputs first, then, after
    the stream, the sentences whose numbers, quotes or URLs did not survive, repaired."""
    outputs = translator.stream(texts)
    deferred: list[int] = []
    for i in range(0, len(texts), COMMIT_EVERY):
        ready = []
        for k in range(i, min(i + COMMIT_EVERY, len(texts))):
            output = next(outputs)
            if translator.needs_repair(texts[k], output):
                deferred.append(k)
            else:
                ready.append((k, output, False))
        yield ready
    for i in range(0, len(deferred), COMMIT_EVERY):
        chunk = deferred[i : i + COMMIT_EVERY]
        repaired = translator.repair([texts[k] for k in chunk])
        yield [(k, text, True) for k, text in zip(chunk, repaired, strict=True)]


def _row(
    opts, segment_id, text, backend, model, path, gv, settings, terms, missing, protection, run_id
):
    return {
        "segment_id": segment_id, "target_lang": opts.target, "text": text,
        "search_text": fold(text), "backend": backend, "model": model, "path": path,
        "glossary_version": gv, "names_mode": opts.names, "settings": json.dumps(settings, sort_keys=True),
        "terms": json.dumps(terms, ensure_ascii=False), "terms_missing": missing,
        "protection": json.dumps(protection), "run_id": run_id, "created_at": now(),
    }  # fmt: skip


def _from_memory(db, lang, opts, names, gv, pending, run, report) -> list[tuple[int, str]]:
    left, rows = [], []
    for segment_id, text in pending:
        hit = db.execute(
            "SELECT target, origin FROM tm WHERE source_lang = ? AND target_lang = ? AND source_norm = ?",
            [lang, opts.target, normalize(text)],
        ).fetchone()
        if hit is None:
            left.append((segment_id, text))
            continue
        _, terms = names.prepare(text)
        checked, missing = _check_terms(terms, hit[0])
        rows.append((segment_id, hit[0], f"tm:{hit[1]}", checked, missing))
    for i in range(0, len(rows), COMMIT_EVERY):
        with db.atomic():
            run_id = run.ensure()
            _store(db, [
                _row(opts, sid, target, "tm", model, f"{lang}>{opts.target}", gv,
                     {"names": opts.names}, checked, missing, {"checked": False}, run_id)
                for sid, target, model, checked, missing in rows[i : i + COMMIT_EVERY]
            ], names.matcher, gv)  # fmt: skip
    report.from_memory += len(rows)
    report.terms_missing += sum(r[4] for r in rows)
    return left


def _from_model(db, opts, gv, left, prepared, ready, translator, names, run, report) -> None:
    """Store model translations: `ready` holds (index into left, output, repaired)."""
    settings = {**opts.settings.as_dict(), "names": opts.names, "protect": opts.protect}
    rows = []
    for k, output, repaired in ready:
        source_text, terms = prepared[k]
        checked, missing = _check_terms(terms, output)
        report.terms_missing += missing
        report.fragment_retries += repaired
        protection = {"checked": opts.protect, "fragments": repaired,
                      "items": len(protect.protected_items(source_text))}  # fmt: skip
        rows.append(_row(opts, left[k][0], output, "argos", translator.route.model,
                         translator.route.path, gv, settings, checked, missing, protection, None))  # fmt: skip
    if not rows:
        return
    with db.atomic():
        run_id = run.ensure()
        for row in rows:
            row["run_id"] = run_id
        _store(db, rows, names.matcher, gv)
    report.from_model += len(rows)


def term_misses(db: sqlite_utils.Database, target: str = "en") -> list[dict[str, Any]]:
    """Translations whose output lacks an expected glossary term, newest first."""
    rows = db.query(
        """
        SELECT t.id AS translation, t.segment_id AS segment, d.source, s.text AS original,
               t.text AS translation_text, t.terms, t.model
        FROM translations t JOIN segments s ON s.id = t.segment_id JOIN documents d ON d.id = s.doc_id
        WHERE t.terms_missing > 0 AND t.target_lang = ? ORDER BY t.id DESC
        """,
        [target],
    )
    out = []
    for row in rows:
        terms = json.loads(row.pop("terms"))
        row["missing"] = [t["expected"] for t in terms if not t["found"]]
        out.append(row)
    return out
