import pytest

from newsalign.corpus.ingest.segment import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Am 27. Mai kündigte Grigorij Karasin an, dass Russland zählt.",
        "Der Kreml kündigte den Abzug für den 17. April 2024 an.",
        "Das gilt z. B. für Bauprojekte und u. a. für Straßen.",
        "Dr. Müller traf Prof. Schmidt in St. Petersburg.",
        "H. Babaoğlu also recalled that officials have not commented.",
        "M. Hacıbəyli believes that there is no necessity.",
        "Russland schloss seine 2.000 Mann starke Basis, 3.5 Prozent weniger, 1,000 men.",
        '"Was unsere Angelegenheiten betrifft, so möchte ich das erwähnen. Wir planen es", '
        "erklärte Karasin.",
        "„Das ist gut. Sehr gut.“",
        "He said: “The plan is ready. We start now.”",
    ],
)
def test_never_splits_inside(text: str) -> None:
    assert sentences(text) == [text]


def test_splits_ordinary_sentences_with_offsets() -> None:
    text = "Baku regained control in 2020. A contingent was stationed.  Then it left!"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Baku regained control in 2020.",
        "A contingent was stationed.",
        "Then it left!",
    ]
    assert spans[1][0] == text.index("A contingent")


def test_sentence_ending_with_closing_quote_splits_after_it() -> None:
    text = "“This will allow us to address the disparity,” he added. The senator left."
    assert sentences(text) == [
        "“This will allow us to address the disparity,” he added.",
        "The senator left.",
    ]


def test_english_day_after_month_ends_a_sentence() -> None:
    assert sentences("They met on Jan. 5. Then they left.") == [
        "They met on Jan. 5.",
        "Then they left.",
    ]


def test_unmatched_quote_does_not_swallow_the_paragraph() -> None:
    text = "He said “yes. Then he left. Nobody followed."
    assert len(sentences(text)) >= 2
