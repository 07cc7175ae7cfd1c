"""Titles: a read-aloud player's label is not a headline; a headline cut with "..." is one."""

from newsalign.corpus.ingest.clean import BOILERPLATE, TITLE, classify_lines

LEAD = "The council agreed to open a new office in the town, a move seen as significant for trade."


def kinds(lines: list[str]) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in classify_lines(list(enumerate(lines)))]


def test_a_players_label_is_boilerplate_not_the_title() -> None:
    for label in ("This audio is created with AI assistance", "Listen to this article"):
        found = kinds([label, LEAD, "A second paragraph of the article follows after the lead."])
        assert found[0] == (BOILERPLATE, label)
        assert TITLE not in {k for k, _ in found}


def test_a_first_line_headline_ending_in_an_ellipsis_is_the_title() -> None:
    head = "The new office in the town, the vote on the budget, calls for calm..."
    assert kinds([head, LEAD, "More text of the article follows in this paragraph."])[0] == (
        TITLE,
        head,
    )
    # further down, a line ending in an ellipsis is a teaser, not the title
    found = kinds(["Menu", "Another story teaser goes on and on here...", LEAD, "More text."])
    assert TITLE not in {k for k, _ in found}
