import pytest

from newsalign.corpus.ingest.clean import BODY, BOILERPLATE, TITLE, clean_text
from newsalign.corpus.ingest.markup import clean_html, clean_markdown
from tests.helpers import EXAMPLES, seed

# The article body of seed 001, paragraph by paragraph (first words): every one must survive.
SEED_001_BODY = [
    "In Khankendi and its surroundings, following the withdrawal",
    "The head of the Federation Council Committee on Foreign Affairs, Grigory Karasin",
    "This announcement by the Russian senator has greatly concerned",
    "I do not have insider information.",
    "Grigory Karasin is a very experienced diplomat",
    "Following established practice, this will be followed by meetings",
    "Indeed, there are two Azerbaijani consulates general in Russia",
    "If I were to speculate, I would suggest",
    "In general, negotiations on such delicate issues require confidentiality.",
]
SEED_001_JUNK = [
    "• Home", "• Karabakh", "Accept", "Search", "Follow US", "You Might Also Like",
    "Could Azerbaijan and Armenia weaken Russia’s influence in the South Caucasus?",
    "The July strike that shattered Yerevan’s plans and launched the great war",
    "Welcome Back!", "Sign in to your account", "Lost your password?", "Useful links",
    "Maxresdefault", "Aliyev Putin August 18 2024 1536x948.jpg", "Email: editor@aze.media",
    "By using this site, you agree to the Privacy Policy and Terms of Use.",
]  # fmt: skip


def _kept(cleaned) -> list[str]:
    return [b.text for b in cleaned.blocks if b.kind in (TITLE, BODY)]


def test_seed_001_keeps_every_body_paragraph_and_no_page_furniture() -> None:
    raw = seed("001").read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    kept = "\n".join(_kept(cleaned))
    for start in SEED_001_BODY:
        assert start in kept, start
    body_lines = [
        line.strip() for line in raw.splitlines() if line.strip().startswith(tuple(SEED_001_BODY))
    ]
    for line in body_lines:
        assert line in kept  # whole paragraphs, not just their first words
    kept_lines = set(_kept(cleaned))
    for junk in SEED_001_JUNK:
        assert junk not in kept_lines, junk
    assert cleaned.title == (
        "Musabayov: Opening a Russian consulate in Khankendi requires thorough deliberation"
    )
    assert cleaned.published == "2024-05-29"


def test_removed_lines_are_kept_with_reasons() -> None:
    cleaned = clean_text(seed("001").read_text(encoding="utf-8"))
    removed = {b.text: b.reason for b in cleaned.blocks if b.kind == BOILERPLATE}
    assert removed["• Home"] == "menu"
    assert removed["Sign in to your account"] in ("sign-in", "related-or-footer")
    assert removed["By AzeMedia Published May 29, 2024 5 Min Read 626 Views"] == "byline"
    raw_lines = [line.strip() for line in seed("001").read_text().splitlines() if line.strip()]
    assert len(cleaned.blocks) == len(raw_lines)  # nothing silently dropped


def test_seed_headlines_and_footers() -> None:
    c000 = clean_text(seed("000").read_text(encoding="utf-8"))
    assert c000.title == "Why Does Russia Want to Open a New Representation in Azerbaijan?"
    assert "Follow us on social networks" not in _kept(c000)
    c002 = clean_text(seed("002").read_text(encoding="utf-8"))
    assert c002.title.startswith("Russland bittet Aserbaidschan")
    assert not any("Cookies" in t or "Caucasus Watch" in t for t in _kept(c002))
    c004 = clean_text(seed("004").read_text(encoding="utf-8"))
    assert c004.title is None
    assert "Read in Armenian on CivilNet." not in _kept(c004)


def test_html_page_main_text_and_metadata() -> None:
    cleaned = clean_html((EXAMPLES / "caspian-courier-rail.html").read_text(encoding="utf-8"))
    kept = _kept(cleaned)
    assert cleaned.title == "First freight train reaches Khankendi as new rail link opens"
    assert cleaned.site == "Caspian Courier"
    assert cleaned.published == "2025-03-04"
    assert any(t.startswith("The first freight train on the rebuilt") for t in kept)
    assert any(t.startswith("Local residents who returned") for t in kept)
    for junk in (
        "Politics",
        "Sign in",
        "Airport in Fuzuli handles record number of flights",
        "© 2025 Caspian Courier. All rights reserved.",
    ):
        assert junk not in kept
    removed = [b.text for b in cleaned.blocks if b.kind == BOILERPLATE]
    assert "Airport in Fuzuli handles record number of flights" in removed


def test_markdown_title_front_matter_and_markup() -> None:
    cleaned = clean_markdown(
        "---\nsource: Test Wire\ndate: 2025-03-04\n---\n# A *railway* opens\n\n"
        "The [line](http://x) reopened after thirty years, officials said on Monday.\n\n"
        "![train](train.jpg)\n"
    )
    assert cleaned.title == "A railway opens"
    assert cleaned.site == "Test Wire" and cleaned.published == "2025-03-04"
    assert _kept(cleaned)[1] == "The line reopened after thirty years, officials said on Monday."
    assert [b.reason for b in cleaned.blocks if b.kind == BOILERPLATE] == ["image"]


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "A headline for the wrapped article\n\n"
        "This paragraph was wrapped by an editor at seventy\n"
        "characters, so its lines must be joined into one\n"
        "paragraph before sentences are split.\n"
    )
    kept = _kept(clean_text(text))
    assert kept[1].startswith("This paragraph was wrapped") and kept[1].endswith("split.")


def test_a_one_sentence_brief_is_kept() -> None:
    assert _kept(clean_text("Eine kurze Meldung über Stepanakert.\n")) == [
        "Eine kurze Meldung über Stepanakert."
    ]
    assert _kept(clean_text("12345 67890\n")) == []


# --- Headlines and last lines (issue 29): invented pages, in the shapes scrapes take -----------

_PROSE = (
    "The city council approved the new tram line on Monday after a long debate, the mayor "
    "said in a statement."
)


def _blocks(text: str) -> dict[str, str]:
    """Each line's fate: "title", "body" or the boilerplate reason."""
    return {b.text: b.reason or b.kind for b in clean_text(text).blocks}


def test_the_headline_is_kept_when_a_deck_or_caption_follows_it() -> None:
    deck = (
        "Whose tram is it? Ganja decides\nExpert: the council will either refuse or ask for a "
        "second line elsewhere\n\n" + _PROSE + "\n"
    )
    assert clean_text(deck).title == "Whose tram is it? Ganja decides"
    assert (
        _blocks(deck)["Expert: the council will either refuse or ask for a second line elsewhere"]
        == "body"
    )
    caption = "Why does Ganja need a tram? Comment from Baku\nTram line in Ganja\n" + _PROSE
    assert clean_text(caption).title == "Why does Ganja need a tram? Comment from Baku"
    menu = (
        "Logo\nCategories\n\nAnalysis\n\nЧей трамвай строит Гянджа?\nЭксперт: город либо "
        "откажется, либо попросит вторую линию\n\n" + _PROSE
    )
    assert clean_text(menu).title == "Чей трамвай строит Гянджа?"


def test_a_repeated_headline_and_dated_bylines_are_not_titles() -> None:
    page = (
        "All Sections\nDe Ru En Support Us\nDe Ru En\nSupport Us\n\nGanja council backs "
        '"new" tram line\n\nAnna Protz, Monday, 3 June 2024, 13:14\nGanja council backs new '
        "tram line\nThe mayor, Ilham Mammadov. Photo: City Press\n\n" + _PROSE
    )
    blocks = _blocks(page)
    assert clean_text(page).title == 'Ganja council backs "new" tram line'
    assert blocks["Ganja council backs new tram line"] == "repeated-title"
    assert blocks["Anna Protz, Monday, 3 June 2024, 13:14"] == "byline"
    assert clean_text(page).published == "2024-06-03"
    twice = "Tram line opens in Ganja\n\nTram line opens in Ganja\n\n" + _PROSE
    assert _blocks(twice)["Tram line opens in Ganja"] in ("title", "repeated-title")
    assert clean_text(twice).title == "Tram line opens in Ganja"


def test_a_lead_of_two_sentences_is_not_a_headline() -> None:
    page = (
        "Начался запуск трамвая в Гяндже. Это подтвердил мэр города.\n"
        "«Да, это так», — сказал мэр на брифинге для журналистов в понедельник.\n"
    )
    assert clean_text(page).title is None


@pytest.mark.parametrize(
    "last",
    [
        "By his account, it would be ideal to open the line in 202",
        "In diesem Zu",
        "Political co",
        "По его словам, было бы идеально открыть линию в",
    ],
)
def test_a_cut_off_last_line_is_kept(last) -> None:
    page = "Tram line opens\n\n" + _PROSE + "\n" + last
    assert _blocks(page)[last] == "body"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Подписывайтесь на Вестник в Дзен", "newsletter"),
        ("Suscríbete a nuestro boletín", "newsletter"),
        ("Support CP or become our patron!", "appeal"),
        ("Bitte warten Sie, während wir den Zugang überprüfen.", "access-check"),
        ("Um dieses Video anzusehen, aktivieren Sie bitte JavaScript.", "video-player"),
        ("Подробнее в видео", "related"),
        ("Lee también: El alcalde inaugura el tranvía", "related"),
        ("Source link", "source-link"),
        ("Kommentar (0)", "source-link"),
        ("Advertisement:", "advert"),
        ("Трамвай у депо. Архивное фото.", "image-credit"),
    ],
)
def test_site_furniture_in_the_languages_read(line, reason) -> None:
    page = "Tram line opens\n\n" + _PROSE + "\n" + line + "\n" + _PROSE.replace("Monday", "Friday")
    assert _blocks(page)[line] == reason


def test_a_footer_line_after_the_text_is_not_a_cut_off_sentence() -> None:
    page = "Tram line opens\n\n" + _PROSE + "\nGanja.Az"
    assert _blocks(page)["Ganja.Az"] == "page-footer"
    for footer in ("Tags: Ganja, Baku, Trams", "Photo Gallery Tram"):
        assert _blocks("Tram line opens\n\n" + _PROSE + "\n" + footer)[footer] == "page-footer"
    links = "\nAdvertisement:\nUS announces new aid package\nMayor signs bill"
    assert _blocks("Tram line opens\n\n" + _PROSE + links)["Mayor signs bill"] == "page-footer"


def test_a_list_of_headlines_in_the_body_and_a_repeated_caption_are_boilerplate() -> None:
    page = (
        "Tram line opens\n\n" + _PROSE + "\n- What is the tram charter and who signs it\n"
        "- 39 stops declared ready\n- Trams: fashion or pragmatism? Analysis from Baku\n"
        "Traces of work: rails in the square. Photo: A. Aliyev/XNA\n"
        "Traces of work: rails in the square.\n" + _PROSE.replace("Monday", "Friday")
    )
    blocks = _blocks(page)
    assert blocks["- What is the tram charter and who signs it"] == "link-list"
    assert blocks["- 39 stops declared ready"] in ("menu", "link-list")
    assert blocks["Traces of work: rails in the square."] == "image-caption"
