"""The README stays short and points to the docs site; the site's command reference matches the
CLI's own --help; every page of docs/ is in the site's navigation."""

import importlib.util
import re
from types import ModuleType

import pytest
import typer.main

from newsalign.corpus.cli.app import app
from tests.helpers import ROOT

DOCS = ROOT / "docs"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_reference", DOCS / "gen_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sections() -> dict[str, str]:
    page = (DOCS / "reference" / "commands.md").read_text(encoding="utf-8")
    parts = re.split(r"^#{2,3} `newsalign ?([a-z -]*)`$", page, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.slow
def test_the_command_reference_is_what_help_prints() -> None:
    committed = (DOCS / "reference" / "commands.md").read_text(encoding="utf-8")
    assert _generator().render() == committed, "run python docs/gen_reference.py"


def test_every_command_and_option_is_in_the_reference() -> None:
    sections = _sections()
    group = typer.main.get_command(app)
    commands = [("", group)]
    for name, command in group.commands.items():
        commands.append((name, command))
        for sub, subcommand in (getattr(command, "commands", None) or {}).items():
            commands.append((f"{name} {sub}", subcommand))
    assert len(commands) > 40
    for name, command in commands:
        assert name in sections, f"the reference has no section for `newsalign {name}`"
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in sections[name], f"`{opt}` of `newsalign {name}` not in it"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("\n## ", readme.index("\n## ") + 1)]
    assert "make run" in head and "make test" in head
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "newsalign run examples/" in makefile and "-m pytest" in makefile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "make docs" in ci
    assert "mkdocs build --strict" in makefile


def test_readme_is_short_and_its_links_lead_somewhere() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    assert "make docs" in readme and "mkdocs serve" in readme
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    local = [t for t in targets if not t.startswith(("http://", "https://"))]
    assert "docs/report-seeds.png" in local
    for target in local:
        assert (ROOT / target).exists(), f"README links to {target}, which does not exist"


def test_every_docs_page_is_in_the_navigation_and_every_entry_exists() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = set(re.findall(r"^\s*- (?:[^:\n]+: )?([\w/.-]+\.md)\s*$", config, flags=re.M))
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert nav == pages
    assert "theme:" in config and re.search(r"^\s+font: false$", config, flags=re.M)
