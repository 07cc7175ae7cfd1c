"""Alignment: features, scoring, clusters, stories, the model, storage and the commands."""

import json

import numpy as np
import pytest

from newsalign.corpus.align.facts import extract, same_speaker
from tests.helpers import EXAMPLES, fetch


def test_numbers_and_dates_are_normalised_across_languages() -> None:
    de = extract("Der Kreml kündigte den Abzug für den 17. April 2024 an, 2.000 Mann, 3,5 %.", "de")
    en = extract("The Kremlin announced the withdrawal for April 17, 2024, 2,000 men, 3.5%.", "en")
    assert de.dates == en.dates == ("2024-04-17",)
    assert de.numbers == en.numbers == (3.5, 2000.0)
    assert extract("Es kostete 410 Millionen Manat.", "de").numbers == (410e6,)
    assert extract("noch in diesem Jahr", "de").relative == extract("this year", "en").relative


def test_speakers_from_attributions() -> None:
    assert extract('"Wir planen es", erklärte Karasin.', "de").speakers == ("Karasin",)
    assert extract("Grigory Karasin said the consulate will open.", "en").speakers == ("Karasin",)
    assert extract("“It is,” he said.", "en").speakers == ()
    assert same_speaker("kreml", "kremlin") and not same_speaker("lavrov", "karasin")


def test_clusters_do_not_chain() -> None:
    """a~b and b~c are strong but a and c say different things: union-find would make one
    claim of all three; average-link keeps c out because it disagrees with the claim as a whole."""
    from newsalign.corpus.align.clustering import Scored, average_link

    docs = np.array([1, 2, 3])
    i, j, p = np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([0.95, 0.9, 0.0])
    assert average_link(3, docs, Scored(i, j, p), 0.5) == [[0, 1]]
    # With a and c agreeing too, the three are one claim.
    assert average_link(3, docs, Scored(i, j, np.array([0.95, 0.9, 0.6])), 0.5) == [[0, 1, 2]]


def test_a_claim_takes_a_joiner_only_when_most_of_it_agrees() -> None:
    """Two tight groups ({0, 1} and {2, 3, 4}: near-copies) whose cross pairs average exactly
    the threshold, all of it from sentence 2: the mean alone merges them, but two of the three
    members of the larger group disagree with the joiner, so the claims stay apart; with two of
    three agreeing they merge."""
    from newsalign.corpus.align import clustering
    from newsalign.corpus.align.clustering import Scored, average_link, claims

    docs = np.array([1, 2, 3, 4, 5])
    inside = [(0, 1), (2, 3), (2, 4), (3, 4)]
    cross = [(0, 2), (1, 2), (0, 3), (1, 3), (0, 4), (1, 4)]
    i = np.array([a for a, _ in inside + cross])
    j = np.array([b for _, b in inside + cross])

    def grouped(cross_p, share=clustering.AGREEING):
        p = np.array([0.99] * len(inside) + cross_p)
        return average_link(5, docs, Scored(i, j, p), 0.5, agreeing=share)

    disagreeing = [0.95, 0.95, 0.4, 0.4, 0.15, 0.15]  # mean 0.5; only 2 agrees with {0, 1}
    assert grouped(disagreeing) == [[0, 1], [2, 3, 4]]
    assert grouped(disagreeing, share=None) == [[0, 1, 2, 3, 4]]  # the mean alone
    p = np.array([0.99] * len(inside) + disagreeing)
    found = claims(5, docs, Scored(i, j, p), 0.5, overlap=None)
    assert [[m.index for m in g] for g in found] == [[0, 1], [2, 3, 4]]
    agreeing = [0.95, 0.95, 0.6, 0.6, 0.0, 0.0]  # 2 and 3 agree with {0, 1}: most of the claim
    assert grouped(agreeing) == [[0, 1, 2, 3, 4]]


def test_one_sentence_per_article_and_marked_repeats() -> None:
    from newsalign.corpus.align.clustering import Scored, average_link, with_repeats

    docs = np.array([1, 1, 2, 3])  # sentences 0 and 1 are from one article
    i, j = np.array([0, 1, 0, 1, 2, 0]), np.array([2, 2, 3, 3, 3, 1])
    p = np.array([0.9, 0.8, 0.9, 0.7, 0.9, 0.99])
    groups = average_link(4, docs, Scored(i, j, p), 0.5)
    assert groups == [[0, 2, 3]]  # never two sentences of article 1 as members
    (members,) = with_repeats(groups, docs, Scored(i, j, p), 0.5)
    assert [(m.index, m.repeat_of) for m in members] == [(0, None), (2, None), (3, None), (1, 0)]
    # A sentence that agrees with only part of the claim does not join as a repeat.
    low = np.array([0.9, 0.8, 0.9, 0.1, 0.9, 0.99])
    (members,) = with_repeats(
        average_link(4, docs, Scored(i, j, low), 0.5), docs, Scored(i, j, low), 0.5
    )
    assert [m.index for m in members] == [0, 2, 3]


def test_a_persons_decisions_override_the_scores() -> None:
    from newsalign.corpus.align.clustering import Scored, average_link, claims

    def members(groups):
        return [[(m.index, m.repeat_of, m.also) for m in g] for g in groups]

    docs = np.array([1, 2, 3, 1])
    i, j, p = np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([0.95, 0.9, 0.9])
    assert average_link(4, docs, Scored(i, j, p), 0.5) == [[0, 1, 2]]
    # cannot: 1 and 2 never share a claim, however strong their link.
    assert average_link(4, docs, Scored(i, j, p), 0.5, cannot=[(1, 2)]) == [[0, 1]]
    # must: 3 (never scored, same article as 0) joins, as 0's repeat.
    groups = claims(4, docs, Scored(i, j, p), 0.5, overlap=None, must=[(0, 3)])
    assert members(groups) == [
        [(0, None, False), (1, None, False), (2, None, False), (3, 0, False)]
    ]
    # Both kinds at once: 0 cannot be with 2, so {0, 1} stays and 1 and 2 are a claim of their
    # own; 1 asserts both.
    groups = claims(4, docs, Scored(i, j, p), 0.5, overlap=None, must=[(1, 2)], cannot=[(0, 2)])
    assert members(groups) == [
        [(0, None, False), (1, None, False)],
        [(1, None, True), (2, None, False)],
    ]
    # A must pair that contradicts a cannot pair is not applied.
    groups = claims(4, docs, Scored(i, j, p), 0.5, overlap=None, must=[(0, 2)], cannot=[(0, 2)])
    assert [[m.index for m in g] for g in groups] == [[0, 1]]


def test_a_must_across_two_claims_adds_a_membership_and_moves_nothing() -> None:
    """A sentence of claim A that the person says also asserts claim B joins B and stays in A;
    neither claim loses a member (before, the pair was merged first and pulled both apart)."""
    from newsalign.corpus.align.clustering import Scored, claims

    docs = np.arange(6)
    # Claims {0, 1, 2} and {3, 4, 5}; 0 and 3 barely related by the scores.
    scores = {
        (0, 1): 0.9,
        (0, 2): 0.9,
        (1, 2): 0.9,
        (3, 4): 0.9,
        (3, 5): 0.9,
        (4, 5): 0.9,
        (0, 3): 0.3,
        (0, 4): 0.2,
    }
    i, j = np.array([a for a, _ in scores]), np.array([b for _, b in scores])
    p = np.array(list(scores.values()))
    before = claims(6, docs, Scored(i, j, p), 0.5, overlap=0.5)
    assert [[m.index for m in g] for g in before] == [[0, 1, 2], [3, 4, 5]]
    after = claims(6, docs, Scored(i, j, p), 0.5, overlap=0.5, must=[(0, 3)])
    assert [[m.index for m in g] for g in after] == [[0, 1, 2], [3, 4, 5, 0]]
    assert after[1][-1].also
    # The other way round, 3 joins the first claim.
    after = claims(6, docs, Scored(i, j, p), 0.5, overlap=0.5, must=[(3, 0)])
    assert [[m.index for m in g] for g in after] == [[0, 1, 2, 3], [3, 4, 5]]


def test_decided_pairs_newest_first_and_unapplied_counted() -> None:
    """A later merge overrules an earlier split of the same sentences; pairs naming sentences
    that are gone are counted, not applied."""
    from newsalign.corpus.align.decided import decided_pairs

    a, b = ("k1", "hash-a"), ("k2", "hash-b")
    index = {a: 0, b: 1}  # the candidates the decisions name, by identity
    # Oldest first: a split keeps a and b apart, then a merge joins them; a third pair names a
    # sentence that is gone.
    decided = [("cannot", a, b), ("must", a, b), ("must", a, ("gone", "x"))]
    must, cannot, unapplied = decided_pairs(decided, index)
    assert must == [(0, 1)] and cannot == [] and unapplied == 2
    # Only the decisions inside the documents a run aligns.
    assert decided_pairs(decided, index, within={"k1"}) == ([], [], 0)


def test_ids_are_kept_for_what_is_essentially_unchanged(tmp_path) -> None:
    from newsalign.corpus.store import open_db
    from newsalign.corpus.store.numbering import keep_ids

    db = open_db(tmp_path / "n.db", create=True)
    old = {4: frozenset("abc"), 7: frozenset("de"), 9: frozenset("fg")}
    new = [frozenset("de"), frozenset("abcx"), frozenset("f"), frozenset("yz")]
    # de unchanged; abc grew; f keeps only half of fg (not more): new; yz new.
    assert keep_ids(db, "clusters", old, new) == [7, 4, 10, 11]
    # 10 and 11 are never given again, even once they are gone.
    assert keep_ids(db, "clusters", {}, [frozenset("q")]) == [12]


def test_versions_disagree_on_numbers_and_dates_not_on_more_detail() -> None:
    from newsalign.corpus.align.differences import Mention, compare, marks

    def versions(*texts):
        return {f"v{k}": marks(t, "en", []) for k, t in enumerate(texts)}

    (numbers,) = compare(versions("The base held 2,000 troops.", "The base held 1,960 troops."))
    assert numbers.kind == "numbers" and numbers.disagree and numbers.odd == {"2000", "1960"}
    found = compare(versions("He spoke on 27 May 2024.", "He spoke on May 27.", "He spoke."))
    assert [(d.kind, d.disagree) for d in found] == [("dates", False)]  # the year is a detail
    assert found[0].odd == {"2024-05-27"}
    (years,) = compare(versions("It opens in 2024.", "It opens in 2025."))
    assert years.kind == "dates" and years.disagree
    (parts,) = compare(versions("It opens in 2024.", "He spoke on 27 May."))
    assert not parts.disagree  # a year and a day of a month do not contradict each other
    named = {
        "a": marks(
            "A consulate in Stepanakert.",
            "en",
            [Mention(13, 24, "Khankendi", "Stepanakert", "Armenian")],
        ),
        "b": marks(
            "A consulate in Khankendi.",
            "en",
            [Mention(13, 22, "Khankendi", "Khankendi", "official")],
        ),
    }
    naming = next(d for d in compare(named) if d.kind == "naming")
    assert naming.values == {"a": ("Khankendi: Stepanakert",), "b": ("Khankendi: Khankendi",)}


def _story(texts, docs, langs, vectors):
    from newsalign.corpus.align.pairs import StoryText

    return StoryText(
        np.array(docs),
        tuple(langs),
        tuple(texts),
        tuple([None] * len(texts)),
        np.zeros(len(texts), dtype=bool),
    )


def test_pairs_are_standardised_within_the_story_and_never_inside_an_article() -> None:
    from newsalign.corpus.align.model import LogisticModel
    from newsalign.corpus.align.pairs import Vectors, score_pairs

    rng = np.random.default_rng(0)
    base = rng.normal(size=(12, 16)).astype(np.float32)
    vectors = np.vstack([base, base + 0.1 * rng.normal(size=(12, 16))]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    docs = [1] * 12 + [2] * 12
    story = _story([f"s{k}" for k in range(24)], docs, ["en"] * 12 + ["de"] * 12, vectors)
    model = LogisticModel(("z_e5", "gap", "same_lang"), (2.0, 0.0, 0.0), -4.0)
    edges = score_pairs(story, Vectors({"e5": vectors}), model, floor=0.5)
    pairs = set(zip(edges.i.tolist(), edges.j.tolist(), strict=True))
    assert pairs == {(k, k + 12) for k in range(12)}  # each sentence and its paraphrase only
    assert all(docs[a] != docs[b] for a, b in pairs)
    assert (edges.X[:, 0] > 2.5).all()  # far above the story's typical cross-article pair
    capped = score_pairs(story, Vectors({"e5": vectors}), model, floor=0.0, per_sentence=2)
    counts = np.bincount(np.concatenate([capped.i, capped.j]), minlength=24)
    assert counts.max() <= 2 * 2 and len(capped) < 144


def test_a_fitted_model_is_calibrated_and_explains_itself(tmp_path) -> None:
    from newsalign.corpus.align.model import LogisticModel, fit, from_json, load_file, shipped
    from newsalign.corpus.errors import CorpusError

    rng = np.random.default_rng(1)
    X = rng.normal(size=(4000, 2))
    y = rng.random(4000) < 1 / (1 + np.exp(-(2 * X[:, 0] - X[:, 1] - 1)))
    model = fit(X, y, ("a", "b"))
    assert np.allclose(model.weights, (2, -1), atol=0.2) and abs(model.bias + 1) < 0.2
    row = np.array([0.5, 2.0])
    parts = model.contributions(row)
    assert abs(sum(parts.values()) - model.logits(row[None])[0]) < 1e-3
    assert from_json(model.as_json()).weights == tuple(round(w, 6) for w in model.weights)
    claims = shipped("claims")
    assert claims.features[0] == "z_e5" and claims.priors["views"]["e5"]["embedder"]
    assert isinstance(shipped("stories"), LogisticModel)
    bad = tmp_path / "weights.json"
    bad.write_text('{"claims": {"features": ["a"]}}')
    with pytest.raises(CorpusError, match="not a newsalign weights file|malformed"):
        load_file(bad)


def test_stories_group_documents_of_one_event() -> None:
    from newsalign.corpus.align.grouping import Doc, group

    rng = np.random.default_rng(2)
    topics = rng.normal(size=(2, 32))
    rows, docs, vectors = 0, [], []
    for d in range(6):
        topic = topics[d % 2]
        shared = topic + 0.3 * rng.normal(size=(5, 32))  # the event's statements, reworded
        own = rng.normal(size=(3, 32))
        block = np.vstack([shared, own])
        vectors.append(block)
        docs.append(
            Doc(
                d,
                tuple(range(rows, rows + len(block))),
                "en",
                None,
                tuple(f"Sentence {k} about Karasin{d % 2}." for k in range(8)),
            )
        )
        rows += len(block)
    matrix = np.vstack(vectors).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    from newsalign.corpus.align.model import shipped

    stories = sorted(sorted(g) for g in group(docs, matrix, shipped("stories")))
    assert stories == [[0, 2, 4], [1, 3, 5]]


def test_the_gold_scorer_counts_pairs_as_the_stories_readme_defines() -> None:
    from newsalign.corpus.align.gold import GoldRow, Sentence, evaluate

    gold = [
        GoldRow("C1", "must", "a.txt", "troops left"),
        GoldRow("C1", "must", "b.txt", "Truppen"),
        GoldRow("C1", "ok", "c.txt", "soldiers"),
        GoldRow("C2", "must", "a.txt", "deal signed"),
        GoldRow("C2", "must", "c.txt", "accord"),
    ]
    s = {
        0: Sentence(0, "a.txt", "en", "The troops left today."),
        1: Sentence(1, "b.txt", "de", "Die Truppen zogen ab."),
        2: Sentence(2, "c.txt", "en", "The soldiers went, after the accord."),
        3: Sentence(3, "a.txt", "en", "A deal signed in 2020."),
        4: Sentence(4, "b.txt", "de", "Unrelated sentence here."),
    }
    ev = evaluate(gold, s, [[0, 1, 2], [3, 4]])
    # Produced pairs: 0-1 (C1), 0-2 (C1 via ok), 1-2 (C1), 3-4 (none): 3 of 4 right.
    assert (ev.all.correct, ev.all.pairs) == (3, 4)
    # Must pairs: C1 0-1; C2 3-2 (c.txt's sentence is must for C2): 1 of 2 found.
    assert (ev.all.found, ev.all.must_pairs) == (1, 2)
    assert ev.wrong == ((3, 4),) and ev.missed == ((2, 3),)
    assert ev.recall_by_pair == {"de-en": (1, 1), "en-en": (0, 1)}
    assert ev.de_en.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)


@pytest.mark.slow
def test_align_stores_embeddings_once_and_a_pluggable_embedder(cli, db_path) -> None:
    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    fake = ("--embedder", "tests.fakes:HashEmbedder", "--second-embedder", "none")
    first = json.loads(cli("align", *fake, "--json").output)
    assert first["embedded"] >= first["claims"] > 0  # claims, and titles for the stories
    again = json.loads(cli("align", *fake, "--json").output)
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
    result = cli("align", "--embedder", "tests.fakes:HashEmbedder", "--second-embedder", "none")
    assert result.exit_code == 1 and "at least two sources" in result.output


@pytest.fixture
def aligned_examples(corpus_copy):
    """The examples aligned with the real embedders, multilingual e5 and USE."""
    return corpus_copy("examples", lambda _: [["ingest", str(EXAMPLES)], ["align"]])


@pytest.mark.slow
def test_claims_list_show_diff_on_the_bundled_example(aligned_examples, cli) -> None:
    import math

    claims = json.loads(cli("claims", "list", "--json").output)
    assert len(claims) == 6 and all(c["sources"] == 2 for c in claims)
    arrival = next(c for c in claims if "first freight train" in c["claim"])
    shown = json.loads(cli("claims", "show", str(arrival["id"]), "--json").output)
    langs = {m["lang"] for m in shown["members"]}
    assert langs == {"de", "en"}
    (link,) = shown["alignments"]
    assert link["score"] >= 0.5 and {"z_e5", "z_use", "bias"} <= set(link["contributions"])
    log_odds = sum(link["contributions"].values())
    assert abs(1 / (1 + math.exp(-log_odds)) - link["score"]) < 0.01
    assert link["evidence"]["z_e5"] > 1
    names = {n["name"] for m in shown["members"] for n in m["names"]}
    assert {"Khankendi", "Stepanakert"} <= names
    diff = json.loads(cli("claims", "diff", str(arrival["id"]), "--json").output)
    assert sorted(diff["differences"]["names"].values()) == [
        ["Khankendi (Khankendi)"],
        ["Stepanakert (Stepanakert)"],
    ]
    text = cli("claims", "show", str(arrival["id"])).output
    assert "erste Güterzug" in text and "first freight train" in text and "z_e5" not in text
    assert "z_e5 +" in cli("claims", "show", str(arrival["id"]), "--explain").output
    stories = json.loads(cli("stories", "--json").output)
    assert [(s["documents"], s["sources"], s["languages"], s["claims"]) for s in stories] == [
        (2, 2, "de,en", 6)
    ]
    assert cli("claims", "show", "9999").exit_code == 1


@pytest.mark.slow
def test_the_seeds_through_the_real_engines(cli, db_path) -> None:
    """Stories first: the consulate reports (seeds 001 German/English and 002) are one story,
    the Lavrov (003) and Zakharova (004) articles are not in it; Karasin's announcement and his
    disparity remark align across German and English with no translation model; the stationed
    sentence of 000 is never a claim with 001's withdrawal sentence."""
    from tests.helpers import SEEDS

    assert cli("ingest", str(SEEDS)).exit_code == 0
    assert cli("align").exit_code == 0
    story_of = dict(
        fetch(
            db_path,
            "SELECT substr(d.path, -24, 3), sd.story_id FROM story_documents sd "
            "JOIN documents d ON d.id = sd.doc_id",
        )
    )
    assert story_of["001"] == story_of["002"]
    assert story_of["003"] != story_of["001"] and story_of["004"] != story_of["001"]
    members = fetch(
        db_path,
        "SELECT m.cluster_id, s.text FROM cluster_members m JOIN segments s ON s.id = m.segment_id",
    )

    def cluster_of(start: str) -> set[int]:
        return {cid for cid, text in members if text.startswith(start)}

    assert cluster_of("The head of the Federation Council") & cluster_of("Am 27. Mai kündigte")
    assert cluster_of("“This will allow us to address") & cluster_of("Er betonte, dass dieser")
    assert not cluster_of("A Russian peacekeeping contingent was stationed") & cluster_of(
        "In Khankendi and its surroundings, following the withdrawal"
    )


@pytest.mark.slow
def test_switching_embedders_and_repeated_sentences_embed_nothing_twice(cli, db_path, tmp_path):
    import shutil

    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    runs = [
        json.loads(
            cli(
                "align", "--embedder", f"tests.fakes:{name}", "--second-embedder", "none", "--json"
            ).output
        )
        for name in ("HashEmbedder", "OtherHashEmbedder", "HashEmbedder")
    ]
    assert runs[0]["embedded"] == runs[1]["embedded"] > 0 and runs[2]["embedded"] == 0
    # The same article under another name (an agency copy) has no new sentence to embed.
    copy = tmp_path / "copy.txt"
    shutil.copy(EXAMPLES / "kaukasus-rundschau-bahn.txt", copy)
    copy.write_text(copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cli("ingest", str(copy)).exit_code == 0
    again = json.loads(
        cli(
            "align", "--embedder", "tests.fakes:HashEmbedder", "--second-embedder", "none", "--json"
        ).output
    )
    assert again["claims"] > runs[0]["claims"] and again["embedded"] == 0


@pytest.mark.slow
def test_an_object_that_is_not_an_embedder_is_refused(cli, db_path) -> None:
    assert cli("ingest", str(EXAMPLES)).exit_code == 0
    for spec in ("os:getcwd", "collections:OrderedDict", "nope"):
        result = cli("align", "--embedder", spec, "--second-embedder", "none")
        assert result.exit_code == 1 and "embedder" in result.output
        assert "Traceback" not in result.output


@pytest.mark.slow
def test_the_shipped_weights_are_what_the_fit_script_makes(tmp_path) -> None:
    """bench/fit_models.py reproduces corpus/align/weights.json from the data it names."""
    import subprocess
    import sys

    from tests.helpers import ROOT

    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "fit_models.py"),
            "--check",
            "--cache",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "weights.json matches a fresh fit" in result.stdout


def test_a_persons_yes_only_ever_adds_links() -> None:
    """Whatever the scores and whichever sentences a person links, every pair that shared a
    claim before still does, every must pair does now (unless a cannot forbids it), and no
    claim is a copy or a part of another."""
    from itertools import combinations

    from newsalign.corpus.align.clustering import Scored, claims

    rng = np.random.default_rng(7)
    for _ in range(40):
        n = 14
        docs = rng.integers(0, 8, n)
        pairs = [(a, b) for a, b in combinations(range(n), 2) if docs[a] != docs[b]]
        keep = rng.random(len(pairs)) < 0.6
        i = np.array([a for (a, _), k in zip(pairs, keep, strict=True) if k])
        j = np.array([b for (_, b), k in zip(pairs, keep, strict=True) if k])
        p = rng.random(len(i))
        must = [pairs[k] for k in rng.choice(len(pairs), 3, replace=False)]

        def together(groups):
            return {frozenset(xy) for g in groups for xy in combinations({m.index for m in g}, 2)}

        before = claims(n, docs, Scored(i, j, p), 0.5, overlap=0.5)
        after = claims(n, docs, Scored(i, j, p), 0.5, overlap=0.5, must=must)
        assert together(before) <= together(after)
        assert {frozenset(m) for m in must} <= together(after)
        sets = [frozenset(m.index for m in g) for g in after]
        assert not any(a <= b for a, b in combinations(sets, 2)) and not any(
            b <= a for a, b in combinations(sets, 2)
        )
