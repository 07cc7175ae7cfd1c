"""Small promises of the CLI: plurals, --db everywhere, exit codes as the docs say,
one summary sentence per claim, stories labelled by a headline."""

from types import SimpleNamespace

from typer.testing import CliRunner

from newsalign.corpus.align.labels import central_headline
from newsalign.corpus.cli.app import app
from newsalign.corpus.plural import plural
from newsalign.corpus.store.claims import summary_sentence
from tests.helpers import ROOT


def test_plurals() -> None:
    assert plural(1, "story") == "1 story" and plural(2, "story") == "2 stories"
    assert plural(1, "boilerplate line") == "1 boilerplate line"
    assert plural(0, "boilerplate line") == "0 boilerplate lines"


def test_ingest_says_one_segment_and_one_line(cli, tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Share on Facebook\n\nA single sentence of news that is long enough to count as prose.\n",
        encoding="utf-8",
    )
    out = cli("ingest", str(path)).output
    assert "1 segment," in out and "1 boilerplate line removed" in out
    assert "Ingested 1 input:" in out


def test_models_accept_db_like_every_command(tmp_path) -> None:
    runner = CliRunner()
    for args in (["models", "list"], ["models", "remove", "xx:yy"]):
        result = runner.invoke(app, [*args, "--db", str(tmp_path / "x.db")])
        assert "No such option" not in result.output, result.output
    assert runner.invoke(app, ["models", "list", "--db", str(tmp_path / "x.db")]).exit_code == 0


def test_usage_errors_exit_2_and_failures_1_as_the_docs_say(tmp_path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["search"]).exit_code == 2
    assert runner.invoke(app, ["stats", "--no-such-option"]).exit_code == 2
    failed = runner.invoke(app, ["stats", "--db", str(tmp_path / "missing" / "x.db")])
    assert failed.exit_code == 1
    rule = (ROOT / "docs" / "reference" / "exit-codes.md").read_text(encoding="utf-8")
    assert "Usage errors" in rule and "exit 2" in rule and "exit code 1" in rule


def test_one_sentence_stands_for_a_claim_whatever_the_order() -> None:
    members = [
        (7, "Troops left (translated).", "Die Truppen zogen ab."),
        (9, "Troops left the region.", "Troops left the region."),
        (3, None, "Войска ушли."),
    ]
    assert summary_sentence(members) == "Troops left the region."
    assert summary_sentence(reversed(members)) == "Troops left the region."
    assert summary_sentence([(3, None, "Войска ушли.")]) == "Войска ушли."


def test_a_story_is_labelled_by_the_headline_its_outlets_share() -> None:
    def doc(i: int, lang: str, title: str) -> SimpleNamespace:
        return SimpleNamespace(id=i, lang=lang, published=f"2024-05-0{i}", titles=[title])

    members = [
        doc(1, "en", "'We will begin soon', said the envoy"),
        doc(2, "en", "Country plans consulate in the northern city"),
        doc(3, "en", "Consulate planned in northern city, envoy says"),
        doc(4, "de", "Konsulat in der Stadt geplant"),
    ]
    assert central_headline(members) == "Country plans consulate in the northern city"
    assert central_headline(members[:1]) is None
