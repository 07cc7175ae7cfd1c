"""The README's command reference must match the CLI's own --help."""

import re

import typer.main

from newsalign.corpus.cli.app import app
from tests.helpers import ROOT


def _sections() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parts = re.split(r"^### `newsalign ([a-z-]+(?: [a-z-]+)?)[^`]*`$", readme, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_command_and_option_is_documented() -> None:
    sections = _sections()
    group = typer.main.get_command(app)
    commands = []
    for name, command in group.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            commands += [(f"{name} {sub}", c) for sub, c in subcommands.items()]
        else:
            commands.append((name, command))
    for name, command in commands:
        assert name in sections, f"README has no section for `newsalign {name}`"
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in sections[name], f"`{opt}` of `newsalign {name}` not in README"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("\n## ", readme.index("\n## ") + 1)]
    assert "make run" in head and "make test" in head
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "newsalign run examples/" in makefile and "-m pytest" in makefile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
