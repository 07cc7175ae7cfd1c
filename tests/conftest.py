"""Shared fixtures: the seed articles, a temporary database per test, a CLI runner, and corpora
built once a session (aligned with the real engines) that tests receive copies of."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsalign.corpus.cli.app import app
from tests.helpers import SEEDS, SHARED, copy_db


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "corpus.db"


@pytest.fixture
def cli(db_path: Path):
    """Run `newsalign ARGS --db <temporary database>`; returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None):
        db_args = [] if args[0] == "models" else ["--db", str(db_path)]
        return runner.invoke(app, [*args, *db_args], input=input)

    return invoke


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """`built(name, steps)`: the database `steps(folder)` (a list of `newsalign` argument lists,
    run in order) makes, built once a session under `name`. Read-only: a test that writes takes
    a copy (`corpus_copy`)."""
    made: dict[str, Path] = {}
    runner = CliRunner()

    def build(name: str, steps) -> Path:
        if name not in made:
            folder = tmp_path_factory.mktemp(name)
            db = folder / "corpus.db"
            for args in steps(folder):
                result = runner.invoke(app, [*args, "--db", str(db)])
                assert result.exit_code == 0, (args, result.output)
            made[name] = db
        return made[name]

    return build


@pytest.fixture
def corpus_copy(built, db_path: Path):
    """`corpus_copy(name, steps)`: this test's database, a copy of `built(name, steps)`."""

    def copy(name: str, steps) -> Path:
        return copy_db(built(name, steps), db_path)

    return copy


@pytest.fixture
def seeded(corpus_copy) -> Path:
    """A database holding the five seed articles (ingested once a session)."""
    return corpus_copy("seeds", lambda _: [["ingest", str(SEEDS)]])


def _training_lines() -> list[str]:
    wmt = SHARED / "eval" / "wmt21-newstest-de-en"
    lines = (wmt / "newstest2021.de-en.src.de").read_text(encoding="utf-8").splitlines()[:150]
    lines += (wmt / "newstest2021.de-en.ref.A.en").read_text(encoding="utf-8").splitlines()[:150]
    return lines


@pytest.fixture(scope="session")
def tiny_packages(tmp_path_factory) -> dict[str, Path]:
    """Random-weights .argosmodel files for de→en and en→fr, built once per test session."""
    from newsalign.translate.devmodel import build_package

    root = tmp_path_factory.mktemp("argosmodels")
    return {
        pair: build_package(
            root / f"{pair.replace(':', '_')}.argosmodel",
            from_code=pair[:2],
            to_code=pair[3:],
            training_lines=_training_lines(),
            vocab_size=250,
        )
        for pair in ("de:en", "en:fr")
    }


@pytest.fixture
def argos_dir(tmp_path, monkeypatch) -> Path:
    """An empty Argos package folder for this test."""
    folder = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder
