"""The layers inside newsalign.corpus, read from every import: each package imports only what
is below it (cli → review, publish, distributed, pipeline → align job, ingest, mt, views →
align core, store → text), no two modules import each other however indirectly, no module
imports one of ours inside a function to dodge that, no private name crosses a module, and no
SQL runs outside corpus/store/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.helpers import ROOT

# Pure text, below everything: the glossary and translation packages, the errors, and the
# modules of ingest that read text (no database).
TEXT = ("newsalign.glossary", "newsalign.translate", "newsalign.corpus.errors",
        "newsalign.corpus.plural", "newsalign.corpus.ingest.cites", "newsalign.corpus.ingest.clean",
        "newsalign.corpus.ingest.copies",
        "newsalign.corpus.ingest.dates", "newsalign.corpus.ingest.dating",
        "newsalign.corpus.ingest.decode", "newsalign.corpus.ingest.manifest",
        "newsalign.corpus.ingest.markup", "newsalign.corpus.ingest.nesting",
        "newsalign.corpus.ingest.parse", "newsalign.corpus.ingest.segment")  # fmt: skip
# Each group, and the groups it may import (besides TEXT and itself).
LAYERS = {
    "newsalign.corpus.store": (),
    "newsalign.corpus.align.job": ("newsalign.corpus.align", "newsalign.corpus.store",
                                   "newsalign.corpus.ingest"),
    "newsalign.corpus.align": (),
    "newsalign.corpus.views": ("newsalign.corpus.align", "newsalign.corpus.store"),
    "newsalign.corpus.ingest": ("newsalign.corpus.store",),
    "newsalign.corpus.mt": ("newsalign.corpus.store",),
    "newsalign.corpus.review": ("newsalign.corpus.align", "newsalign.corpus.store",
                                "newsalign.corpus.views"),
    "newsalign.corpus.publish": ("newsalign.corpus.views", "newsalign.corpus.align",
                                 "newsalign.corpus.store"),
    "newsalign.corpus.distributed": ("newsalign.corpus.align", "newsalign.corpus.ingest",
                                     "newsalign.corpus.mt", "newsalign.corpus.store"),
    "newsalign.corpus.pipeline": ("newsalign.corpus.align", "newsalign.corpus.ingest",
                                  "newsalign.corpus.mt", "newsalign.corpus.store",
                                  "newsalign.corpus.views"),
    "newsalign.corpus.cli": ("newsalign.corpus",),
}  # fmt: skip
# Known exceptions, each with its reason.
EXCEPTIONS = {
    # `documents set` checks a date as a manifest does (issue 26.15 moves that check).
    ("newsalign.corpus.store.metadata", "newsalign.corpus.ingest.manifest"),
}
# Imports inside a function: the command line's (so `newsalign --help` stays quick), optional
# dependencies, and what a Dask worker loads only when it needs it.
LAZY = ("newsalign.corpus.cli.", "newsalign.corpus.pipeline", "newsalign.corpus.distributed.tasks",
        "newsalign.corpus.publish.serve")  # fmt: skip
SQL = re.compile(
    r"\b(db|conn|connection)\.(conn\.)?(execute|executemany|executescript|query)\(|\bdb\["
)
# SQL run elsewhere, each with its reason: the Datasette plugin runs the home page's queries
# (store/canned.py holds their SQL) through Datasette; ingest/run.py reads two things by hand
# (left to the round that reworks ingest, issue 26).
SQL_ELSEWHERE = ["newsalign.corpus.ingest.run", "newsalign.corpus.publish.datasette_plugin"]


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    parts = parts[:-1] if parts[-1] == "__init__" else parts
    return "newsalign." + ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _name(p): p
        for folder in ("corpus", "glossary", "translate")
        for p in (ROOT / folder).rglob("*.py")
    }


def _group(module: str) -> str | None:
    if module.startswith(TEXT):
        return "text"
    return next((g for g in LAYERS if module == g or module.startswith(g + ".")), None)


class _Imports(ast.NodeVisitor):
    """A module's imports of ours: (module, imported inside a function, under TYPE_CHECKING)."""

    def __init__(self, name: str) -> None:
        self.name, self.depth, self.typing, self.found = name, 0, False, []

    def visit_FunctionDef(self, node):  # noqa: N802
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_If(self, node):  # noqa: N802
        typing = isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
        self.typing, before = typing or self.typing, self.typing
        self.generic_visit(node)
        self.typing = before

    def visit_ImportFrom(self, node):  # noqa: N802
        if node.module and node.module.startswith("newsalign"):
            for alias in node.names:
                self.found.append(
                    (
                        f"{node.module}.{alias.name}",
                        self.depth > 0,
                        self.typing,
                        alias.name,
                        node.module,
                    )
                )

    def visit_Import(self, node):  # noqa: N802
        for alias in node.names:
            if alias.name.startswith("newsalign"):
                self.found.append((alias.name, self.depth > 0, self.typing, "", alias.name))


def _imports() -> dict[str, list[tuple]]:
    out = {}
    for name, path in _modules().items():
        visitor = _Imports(name)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        out[name] = visitor.found
    return out


def _target(imported: str, modules: dict[str, Path]) -> str:
    """The module an import names (`from a.b import c`: a.b.c if that is a module, else a.b)."""
    while imported not in modules and "." in imported:
        imported = imported.rsplit(".", 1)[0]
    return imported


def test_every_package_imports_only_what_is_below_it() -> None:
    modules = _modules()
    wrong = []
    for name, found in _imports().items():
        group = _group(name)
        if group is None or not name.startswith("newsalign.corpus"):
            continue
        for imported, _, typing, _, _ in found:
            target = _target(imported, modules)
            other = _group(target)
            ok = (
                other in ("text", group)
                or typing
                or (name, target) in EXCEPTIONS
                or any(other == g or (other or "").startswith(g + ".") for g in LAYERS[group])
            )
            if group == "newsalign.corpus.align" and other == "newsalign.corpus.align.job":
                ok = False  # the pure core never reaches into the job above it
            if not ok:
                wrong.append(f"{name} ({group}) imports {target} ({other})")
    assert not wrong, "\n".join(wrong)


def test_the_core_and_the_views_run_no_sql_and_the_core_opens_no_database() -> None:
    outside = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if name.startswith("newsalign.corpus.store") or not name.startswith("newsalign.corpus"):
            continue
        if SQL.search(text) and not name.startswith("newsalign.corpus.cli"):
            outside.append(name)
        core = _group(name) == "newsalign.corpus.align"
        if core and re.search(r"^import sqlite|^from sqlite|^import sqlite_utils", text, re.M):
            outside.append(f"{name} imports SQLite")
    assert sorted(outside) == SQL_ELSEWHERE, outside


def test_no_import_cycle_between_modules() -> None:
    modules = _modules()
    graph = {
        name: {_target(i, modules) for i, *_ in found} - {name}
        for name, found in _imports().items()
    }
    # Tarjan's strongly connected components: any of more than one module is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    assert not cycles, cycles


def test_no_import_inside_a_function_but_where_it_is_about_start_up() -> None:
    lazy = [
        f"{name} imports {imported} in a function"
        for name, found in _imports().items()
        for imported, inside, typing, *_ in found
        if inside and not typing and not name.startswith(LAZY)
    ]
    assert not lazy, "\n".join(lazy)


def test_no_private_name_crosses_a_module() -> None:
    crossing = []
    for folder in ("corpus", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            ours = {
                alias.asname or alias.name.split(".")[-1]
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom | ast.Import)
                for alias in node.names
                if (getattr(node, "module", None) or alias.name).startswith("newsalign")
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newsalign"):
                    crossing += [f"{path}: {a.name}" for a in node.names if a.name.startswith("_")]
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr.startswith("_")
                    and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name)
                    and node.value.id in ours
                ):
                    crossing.append(f"{path}: {node.value.id}.{node.attr}")
    assert not crossing, crossing
