"""`newsalign translate`: every non-English segment gets an English translation, with provenance.

Per source language a translator is built from the registered factories: with `--backend auto`
the translation memory first, then the installed Argos model; a pivot only when allowed. Before
MT each glossary mention becomes the target-language spelling of the same name (see names.py).

A translation is reused while its cache key holds: the model and the exact text it read, which
includes the glossary names put in. So a glossary edit re-translates only the segments whose
names it changed. One commit per batch: a killed run resumes where it stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import sqlite_utils

from newsalign.corpus.mt.names import NAME_MODES, Names, check_terms
from newsalign.corpus.plural import plural
from newsalign.corpus.store import memory as memory_db
from newsalign.corpus.store import translations as translations_db
from newsalign.corpus.store.database import RunLog, now
from newsalign.corpus.store.glossary import version as glossary_version
from newsalign.glossary.textnorm import fold
from newsalign.translate import protect, translators
from newsalign.translate.engine import Settings
from newsalign.translate.errors import TranslateError
from newsalign.translate.translators import Fallback, Output, Pivot, Request, Source, Translator

# Segments per transaction. The engine works ahead on everything pending (see Engine.stream),
# so this only sets how much a killed run can lose.
COMMIT_EVERY = 64


@dataclass(frozen=True)
class Options:
    """What to translate and how. `backend`: auto (memory, then model) or a translator name."""

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


def install_hint(source: str, target: str) -> str:
    return (
        f"no model for {source}→{target}: install one with `newsalign models install "
        f"{source}:{target}` (or an .argosmodel file)"
    )


def _model(name: str, source: str, target: str, opts: Options) -> Translator | None:
    """A translator for the pair from factory `name`, or through `opts.pivot` when allowed."""
    make = translators.factory(name)
    direct = make(Request(source, target, opts.settings))
    if direct is not None or not opts.pivot or opts.pivot in (source, target):
        return direct
    first = make(Request(source, opts.pivot, opts.settings))
    second = make(Request(opts.pivot, target, opts.settings))
    return Pivot(first, second, COMMIT_EVERY) if first and second else None


def build_translator(
    db: sqlite_utils.Database, lang: str, opts: Options
) -> tuple[Translator | None, str | None]:
    """The translator for `lang`, and the route its model takes (None: memory only)."""
    memory = translators.factory("tm")(
        Request(lang, opts.target, opts.settings, partial(memory_db.lookup, db, lang, opts.target))
    )
    if opts.backend == "tm":
        return memory, None
    name = "argos" if opts.backend == "auto" else opts.backend
    model = _model(name, lang, opts.target, opts)
    if model is None and opts.backend != "auto":
        raise TranslateError(install_hint(lang, opts.target))
    route = _route(model) if model else None
    if opts.backend != "auto":
        return model, route
    parts = [t for t in (memory, model) if t is not None]
    return (Fallback(*parts) if len(parts) > 1 else parts[0] if parts else None), route


def _route(model: Translator) -> str:
    if isinstance(model, Pivot):
        return f"{model.source}>{model.first.target}>{model.target}"
    return f"{model.source}>{model.target}"


def translate_corpus(
    db: sqlite_utils.Database,
    opts: Options,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    wrap: Callable[[Translator], Translator] | None = None,
) -> Report:
    """Translate every segment without a valid translation; see the module docstring. Raises
    TranslateError when a named backend has no route; with `auto`, languages without a model
    are listed in the report. `wrap` may replace each translator by one with the same keys
    (the cluster's, see corpus/distributed)."""
    backends = ("auto", *translators.factories())
    if opts.backend not in backends:
        raise TranslateError(f"unknown backend {opts.backend!r} (use {', '.join(backends)})")
    if opts.names not in NAME_MODES:
        raise TranslateError(f"--names must be one of {', '.join(NAME_MODES)}")
    start = time.perf_counter()
    gv = glossary_version(db)
    names = Names(db, opts.target, opts.names)
    report = Report()
    run = RunLog(
        db,
        "translate",
        {
            **opts.settings.as_dict(),
            "target": opts.target,
            "source": opts.source,
            "backend": opts.backend,
            "names": opts.names,
            "pivot": opts.pivot,
            "limit": opts.limit,
            "protect": opts.protect,
        },
    )
    plans = []
    budget = opts.limit
    for lang in translations_db.languages(db, opts.target, opts.source):
        translator, route = build_translator(db, lang, opts)
        if wrap is not None and translator is not None:
            translator = wrap(translator)
        pending = _pending(db, lang, opts.target, names, translator)
        if budget is not None:
            pending, budget = pending[:budget], max(budget - len(pending), 0)
        if pending:
            plans.append((lang, translator, route, pending))
    # Progress counts what goes to a model: memory lookups are instant, and a language that
    # no model covers would otherwise show "8/8 done" before "translated nothing".
    total = sum(len(p[3]) for p in plans if p[2] is not None)
    done = 0
    with run.closing():  # ok, failed or interrupted, with the counts so far
        try:
            for lang, translator, route, pending in plans:
                if route:
                    report.routes[lang] = route
                if translator is None:
                    report.missing_models[lang] = install_hint(lang, opts.target)
                    continue
                # Similar lengths together waste less padding; resuming does not depend on order.
                pending.sort(key=lambda item: len(item[1].prepared))
                missed = 0
                for batch in _batches(translator, pending, opts.protect):
                    missed += _store(db, opts, gv, batch, names, run, report)
                    if route is not None:
                        done += len(batch)
                        if on_progress:
                            on_progress(done, total)
                if missed:
                    report.missing_models[lang] = (
                        install_hint(lang, opts.target)
                        if route is None and opts.backend == "auto"
                        else f"{plural(missed, lang + ' segment')} not in the translation memory"
                    )
        finally:
            run.counts.update(
                from_memory=report.from_memory,
                from_model=report.from_model,
                terms_missing=report.terms_missing,
            )
    report.run_id = run.id
    report.seconds = time.perf_counter() - start
    return report


def _pending(db, lang: str, target: str, names: Names, translator: Translator | None):
    """Segments in `lang` with no stored translation under a key the translator would give:
    (segment id, source, expected glossary terms)."""
    stored = translations_db.stored_keys(db, target, lang)
    out = []
    for segment_id, text in translations_db.segments_in(db, lang):
        prepared, terms = names.prepare(text)
        item = Source(text, prepared)
        keys = translator.keys(item) if translator else ()
        if not stored.get(segment_id) or not stored[segment_id] & set(keys):
            out.append((segment_id, item, terms))
    return out


def _batches(translator: Translator, pending: list, protect_spans: bool) -> Iterator[list]:
    """Batches of (pending item, output or None, repaired) to store: streamed outputs first,
    then the model outputs whose numbers, quotes or URLs did not survive, repaired."""
    outputs = translator.translate([item for _, item, _ in pending])
    deferred: list[tuple[Any, Output]] = []
    for i in range(0, len(pending), COMMIT_EVERY):
        ready = []
        for entry in pending[i : i + COMMIT_EVERY]:
            output = next(outputs)
            model_made = output is not None and output.backend != "tm"
            if protect_spans and model_made and protect.missing(entry[1].prepared, output.text):
                deferred.append((entry, output))
            else:
                ready.append((entry, output, False))
        yield ready
    for i in range(0, len(deferred), COMMIT_EVERY):
        chunk = deferred[i : i + COMMIT_EVERY]
        yield [(entry, _repair(translator, entry[1], output), True) for entry, output in chunk]


def _repair(translator: Translator, item: Source, output: Output) -> Output:
    """Translate again in fragments split at the protected spans, which are put back verbatim."""
    plan = protect.split(item.prepared)
    jobs = [k for k, piece in enumerate(plan) if protect.needs_model(piece)]
    pieces = [Source(plan[k].text.strip(), plan[k].text.strip()) for k in jobs]
    done = {}
    for k, out in zip(jobs, translator.translate(pieces), strict=True):
        if out is not None:
            done[k] = out.text
    return Output(protect.join(plan, done), output.model, output.path, output.backend, output.key)


def _store(
    db, opts: Options, gv: int, batch: list, names: Names, run: RunLog, report: Report
) -> int:
    """Store a batch's translations in one transaction; returns how many had none."""
    settings = {**opts.settings.as_dict(), "names": opts.names, "protect": opts.protect}
    rows, missed = [], 0
    for (segment_id, item, terms), output, repaired in batch:
        if output is None:
            missed += 1
            continue
        checked, missing = check_terms(terms, output.text)
        from_memory = output.backend == "tm"
        protection = (
            {"checked": False}
            if from_memory
            else {
                "checked": opts.protect,
                "fragments": repaired,
                "items": len(protect.protected_items(item.prepared)),
            }
        )
        rows.append(
            {
                "segment_id": segment_id,
                "target_lang": opts.target,
                "text": output.text,
                "search_text": fold(output.text),
                "backend": output.backend,
                "model": output.model,
                "path": output.path,
                "glossary_version": gv,
                "names_mode": opts.names,
                "settings": translations_db.encode(
                    {"names": opts.names} if from_memory else settings
                ),
                "terms": translations_db.encode(checked),
                "terms_missing": missing,
                "protection": translations_db.encode(protection),
                "run_id": None,
                "created_at": now(),
                "input_hash": output.key,
            }
        )
        report.terms_missing += missing
        report.fragment_retries += repaired
        if from_memory:
            report.from_memory += 1
        else:
            report.from_model += 1
    if rows:
        with run.transaction() as record:
            run_id = record()
            for row in rows:
                row["run_id"] = run_id
            translations_db.insert(db, rows, names.matcher, gv)
    return missed
