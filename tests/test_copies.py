"""Copies and rewrites (issue 29): an article that follows another's sentences in order, in the
same words or translated, is "derived from" it, with the share of its sentences that do; a copy
is never first over its original. The articles are invented."""

from __future__ import annotations

import json

import numpy as np
import pytest

from newsalign.corpus.ingest.copies import Article, derived_from

ORIGINAL = [
    "The council approved the tram line on Monday.", "The line will link the station and the port.",
    "Construction starts in June, the mayor said.", "The project costs 40 million manat.",
    "Critics say the route skips the old town.", "The first trams run next spring.",
]  # fmt: skip
OTHER = [
    "Ganja opened a new bridge over the river.", "Traffic on the old bridge fell by half.",
    "The council debated the tram line as well.", "A new bus depot opens in May.",
    "Residents asked for more parking.", "The mayor thanked the builders.",
]  # fmt: skip


def _vectors(n: int, seed: int, base: np.ndarray | None = None) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, 32)) if base is None else base + 0.03 * rng.normal(size=base.shape)
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def _article(id_, outlet, sentences, vectors=None, published=None, names=()):
    return Article(id_, outlet, published, tuple(sentences), vectors, frozenset(names))


def test_a_translation_that_follows_the_original_in_order_is_derived_from_it() -> None:
    base = _vectors(6, 1)
    original = _article(1, "City Wire", ORIGINAL, base, "2024-06-03")
    german = [
        "Der Rat billigte am Montag die Straßenbahnlinie.",
        "Sie verbindet Bahnhof und Hafen.",
        "Der Bau beginnt im Juni, sagte der Bürgermeister.",
        "Das Projekt kostet 40 Mio. Manat.",
        "Kritiker sagen, die Strecke meide die Altstadt.",
    ]
    copy = _article(2, "Tram Post", german, _vectors(5, 2, base[:5]), "2024-06-04")
    (edge,) = derived_from([original, copy])
    assert (edge.doc, edge.original, edge.outlet, edge.share, edge.how) == (
        2,
        1,
        "City Wire",
        1.0,
        "translated",
    )


def test_the_same_facts_in_another_order_or_other_words_are_no_copy() -> None:
    base = _vectors(6, 1)
    shuffled = base[[5, 2, 0, 4, 1, 3]]
    original = _article(1, "City Wire", ORIGINAL, base, "2024-06-03")
    reordered = _article(2, "Tram Post", ORIGINAL[::-1], _vectors(6, 3, shuffled), "2024-06-04")
    unrelated = _article(3, "Ganja Daily", OTHER, _vectors(6, 4), "2024-06-04")
    assert derived_from([original, reordered, unrelated]) == []


def test_which_is_the_original_the_one_named_then_the_earlier() -> None:
    named = _article(1, "OC Wire (mirror)", ORIGINAL, None)
    copy = _article(
        2, "Bulletin", ORIGINAL[:5] + ["OC Wire contacted the ministry."], None, names={"ocwire"}
    )
    (edge,) = derived_from([copy, named])  # verbatim: compared by their words, no vectors
    assert (edge.doc, edge.original, edge.how) == (2, 1, "verbatim")
    early = _article(3, "Early", ORIGINAL, None, "2024-06-02")
    late = _article(4, "Late", ORIGINAL, None, "2024-06-05")
    assert [(e.doc, e.original) for e in derived_from([late, early])] == [(4, 3)]
    undated = [_article(5, "A", ORIGINAL, None), _article(6, "B", ORIGINAL, None)]
    assert derived_from(undated) == []  # nothing tells which came first


@pytest.mark.slow
def test_show_stories_and_first_say_derived_from(cli, db_path, tmp_path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "wire.txt").write_text("Tram line approved\n\n" + " ".join(ORIGINAL) + "\n", "utf-8")
    (folder / "copy.txt").write_text(
        "Council backs tram\n\n" + " ".join(ORIGINAL[:5]) + " City Wire first reported it.\n",
        "utf-8",
    )
    (folder / "index.tsv").write_text(
        "file\toutlet\tlanguage\tdate\nwire.txt\tCity Wire\ten\t\ncopy.txt\tTram Post\ten\t"
        "2024-06-03\n",
        "utf-8",
    )
    assert cli("ingest", "--manifest", str(folder / "index.tsv")).exit_code == 0
    assert cli("align").exit_code == 0
    shown = json.loads(cli("show", "2", "--json").output)
    assert shown["derived_from"] == [{"doc": 1, "outlet": "City Wire", "share": 0.71}]
    assert json.loads(cli("show", "1", "--json").output)["derived_from"] == []
    text = cli("stories", "show", "1").output
    assert "Tram Post, derived from City Wire, 71 %" in text
    data = json.loads(cli("stories", "show", "1", "--json").output)
    claims = [c for c in data["claims"] if c["sources"] >= 2]
    assert claims and all(c["first"] != ["Tram Post"] for c in claims)


RUSSIAN = [
    "Совет одобрил линию трамвая в понедельник.", "Линия соединит вокзал и порт.",
    "Строительство начнется в июне, сообщил мэр.", "Проект стоит 40 миллионов манатов.",
    "Критики говорят, что маршрут обходит старый город.", "Первые трамваи пойдут весной.",
]  # fmt: skip


@pytest.mark.slow
def test_a_credit_in_another_script_tells_the_original(cli, db_path, tmp_path) -> None:
    # The copy adds the agency's dateline, so the original is the one more fully covered: only
    # the credit ("/ТАСС/" is TASS) tells which is which.
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "wire.txt").write_text("Трамвай одобрен\n\n" + " ".join(RUSSIAN) + "\n", "utf-8")
    (folder / "copy.txt").write_text(
        "Трамвайная линия\n\nМОСКВА, 3 июня. /ТАСС/. " + " ".join(RUSSIAN) + "\n", "utf-8"
    )
    (folder / "index.tsv").write_text(
        "file\toutlet\tlanguage\tdate\nwire.txt\tTASS\tru\t2024-06-03\ncopy.txt\tNovosti Daily\t"
        "ru\t2024-06-03\n",
        "utf-8",
    )
    assert cli("ingest", "--manifest", str(folder / "index.tsv")).exit_code == 0
    assert cli("align").exit_code == 0
    assert json.loads(cli("show", "1", "--json").output)["derived_from"] == []
    (edge,) = json.loads(cli("show", "2", "--json").output)["derived_from"]
    assert (edge["doc"], edge["outlet"]) == (1, "TASS")


LONG = ORIGINAL + ["The port authority welcomed the plan.", "Tickets will cost one manat."]


def test_a_reworded_copy_with_a_sentence_of_its_own_inserted_is_derived() -> None:
    base = _vectors(8, 5)
    original = _article(1, "City Wire", LONG, base, "2024-06-03")
    reworded = [s.replace("The ", "Local ").replace(" said", " told reporters") for s in LONG]
    own = "Our reporter visited the depot on Tuesday."
    copy_vectors = np.vstack([_vectors(8, 6, base)[:4], _vectors(1, 7), _vectors(8, 6, base)[4:]])
    copy = _article(2, "Tram Post", reworded[:4] + [own] + reworded[4:], copy_vectors, "2024-06-04")
    (edge,) = derived_from([original, copy])
    assert (edge.doc, edge.original, edge.share, edge.how) == (2, 1, 0.89, "reworded")


def test_a_report_of_the_same_event_sharing_a_quote_is_no_copy() -> None:
    # Same facts in the same order, other words (cosine about 0.75), and the mayor's quote and
    # one fact in the same words: two sentences in order are not a copy.
    base = _vectors(8, 8)
    near = base + 0.15 * np.random.default_rng(9).normal(size=base.shape)
    near = near / np.linalg.norm(near, axis=1, keepdims=True)
    near[[2, 5]] = base[[2, 5]]
    other = [
        f"Report {k}: {s}" if k in (2, 5) else f"Another view {k}." for k, s in enumerate(LONG)
    ]
    other[2], other[5] = LONG[2], LONG[5]
    original = _article(1, "City Wire", LONG, base, "2024-06-03")
    same_event = _article(2, "Ganja Daily", other, near.astype(np.float32), "2024-06-04")
    assert float((base * near).sum(axis=1).min()) < 0.85  # the other sentences stay apart
    assert derived_from([original, same_event]) == []


def test_a_credited_copy_needs_one_sentence_in_order_fewer() -> None:
    # Four of the original's sentences in order and two of its own: by the order alone too
    # few to tell a copy from a report of the same facts; with a credit of the original, a copy.
    base = _vectors(6, 10)
    original = _article(1, "City Wire", ORIGINAL, base, "2024-06-03")
    own = ["Our reporter asked the council.", "No one answered by the evening."]
    vectors = np.vstack([_vectors(4, 11, base[:4]), _vectors(2, 12)])
    sentences = ORIGINAL[:4] + own
    plain = _article(2, "Tram Post", sentences, vectors, "2024-06-04")
    assert derived_from([original, plain]) == []
    credited = _article(2, "Tram Post", sentences, vectors, "2024-06-04", names={"citywire"})
    (edge,) = derived_from([original, credited])
    assert (edge.doc, edge.original, edge.share) == (2, 1, 0.67)


def test_an_outlet_copying_another_in_the_story_tells_an_undated_pair() -> None:
    # The translator credits the agency once; its other translation is dated, the agency's
    # piece is not, and each covers the other nearly alike: the story's habit tells.
    base, second = _vectors(6, 13), _vectors(11, 14)
    agency_1 = _article(1, "Agency", ORIGINAL, base)
    copy_1 = _article(2, "Translator", ORIGINAL, _vectors(6, 15, base), names={"agency"})
    agency_2 = _article(3, "Agency", [f"Second piece, line {k}." for k in range(11)], second)
    copy_2 = _article(
        4,
        "Translator",
        [f"Zweiter Text, Zeile {k}." for k in range(10)],
        _vectors(10, 16, second[:10]),
        "2024-06-04",
    )
    assert [(e.doc, e.original) for e in derived_from([agency_2, copy_2])] == []
    edges = derived_from([agency_1, copy_1, agency_2, copy_2])
    assert [(e.doc, e.original) for e in edges] == [(2, 1), (4, 3)]
    assert [
        (e.doc, e.original) for e in derived_from([agency_1, copy_1, agency_2, copy_2], only=4)
    ] == [(4, 3)]
    # An outlet copied both ways in the story tells nothing: the pair stays undecided.
    back = _article(
        5,
        "Agency",
        [f"Back again, line {k}." for k in range(10)],
        _vectors(10, 17, second[:10]),
        "2024-06-05",
        names={"translator"},
    )
    edges = derived_from([agency_1, copy_1, agency_2, copy_2, back])
    assert (4, 3) not in [(e.doc, e.original) for e in edges]


def test_an_outlet_copied_is_named_once() -> None:
    from newsalign.corpus.store.records import DerivedFrom
    from newsalign.corpus.views.citations import citing

    tass = DerivedFrom(1, "TASS", 0.67)
    assert citing("EADaily", ("TASS",), (tass,)) == "EADaily, derived from TASS, 67 %"
    assert citing("EADaily", ("TASS", "RIA"), (tass,)) == (
        "EADaily, citing RIA, derived from TASS, 67 %"
    )
    assert citing("EADaily", ("TASS",)) == "EADaily, citing TASS"
