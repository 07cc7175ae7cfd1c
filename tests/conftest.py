"""Shared fixtures: the seed articles, a temporary database per test, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus.cli import app
from tests.helpers import SEEDS


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "corpus.db"


@pytest.fixture
def cli(db_path: Path):
    """Run `newsalign ARGS --db <temporary database>`; returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None):
        return runner.invoke(app, [*args, "--db", str(db_path)], input=input)

    return invoke


@pytest.fixture
def seeded(cli, db_path: Path) -> Path:
    """A database holding the five seed articles."""
    result = cli("ingest", str(SEEDS))
    assert result.exit_code == 0, result.output
    return db_path
