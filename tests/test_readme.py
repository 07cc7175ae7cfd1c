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


def test_readme_names_the_three_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e '.[test]'" in readme
    assert "newsalign run examples/" in readme
    assert "python -m pytest" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in ci and "python -m pytest" in ci
