import pytest

from newsalign.glossary import edit
from newsalign.glossary.check import conflicts
from newsalign.glossary.errors import GlossaryError
from newsalign.glossary.io import COLUMNS, dumps, loads
from newsalign.glossary.model import Entity, Name, Spelling, script_of

HEADER = "\t".join(COLUMNS)


def row(*cells: str) -> str:
    return "\t".join(cells)


def city() -> list[Entity]:
    return loads(
        "\n".join(
            [
                HEADER,
                row(
                    "khankendi",
                    "place",
                    "Khankendi / Stepanakert",
                    "146970",
                    "",
                    "",
                    "Khankendi",
                    "Azerbaijani official",
                    "yes",
                    "",
                    "",
                    "Xankəndi",
                    "az",
                    "",
                ),
                row(
                    "khankendi",
                    "place",
                    "Khankendi / Stepanakert",
                    "146970",
                    "",
                    "",
                    "Stepanakert",
                    "Armenian",
                    "",
                    "",
                    "",
                    "Степанакерт",
                    "ru",
                    "",
                ),
            ]
        ),
        "tsv",
    )


def test_rows_assemble_into_entities_names_and_spellings() -> None:
    (entity,) = city()
    assert entity.canonical.name == "Khankendi"
    assert [n.name for n in entity.names] == ["Khankendi", "Stepanakert"]
    assert entity.names[1].spellings == (Spelling("Степанакерт", "ru", "Cyrl"),)


@pytest.mark.parametrize("fmt", ["tsv", "csv", "json"])
def test_export_import_export_is_byte_identical(fmt: str) -> None:
    first = dumps(city(), fmt)
    assert dumps(loads(first, fmt), fmt) == first


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            row("Bad Key", "place", "L", "", "", "", "N", "", "yes", "", "", "S", "", ""),
            "entity key",
        ),
        (row("k", "planet", "L", "", "", "", "N", "", "yes", "", "", "S", "", ""), "type"),
        (row("k", "place", "L", "", "", "", "N", "", "maybe", "", "", "S", "", ""), "canonical"),
        (row("k", "place", "L", "", "", "", "N", "", "", "1990s", "", "S", "", ""), "valid_from"),
        (row("k", "place", "L", "", "", "", "N", "", "", "", "", "", "", ""), "spelling is empty"),
        (row("k", "place", "L", "x1", "", "", "N", "", "", "", "", "S", "", ""), "geonames_id"),
        (row("k", "place", "L", "", "", "", "N", "", "", "", "", "S", "english", ""), "lang"),
        ("k\tplace\tonly three", "expected 14 columns"),
    ],
)
def test_a_malformed_row_refuses_the_file_with_its_line(bad_row: str, message: str) -> None:
    good = row("a", "place", "A", "", "", "", "A", "", "yes", "", "", "A", "", "")
    with pytest.raises(GlossaryError, match=rf"^line 4: .*{message}"):
        loads(f"# comment\n{HEADER}\n{good}\n{bad_row}\n", "tsv")


def test_inconsistent_entity_fields_are_refused() -> None:
    text = "\n".join(
        [
            HEADER,
            row("a", "place", "A", "", "", "", "A", "", "yes", "", "", "A", "", ""),
            row("a", "region", "A", "", "", "", "A", "", "yes", "", "", "Ä", "", ""),
        ]
    )
    with pytest.raises(GlossaryError, match="line 3: entity 'a' has different"):
        loads(text, "tsv")


def test_json_errors_name_the_line_or_place() -> None:
    with pytest.raises(GlossaryError, match="line 2"):
        loads('{"entities": [\n oops]}', "json")
    with pytest.raises(GlossaryError, match=r"entities\[0\]"):
        loads('{"entities": [{"key": "a", "names": []}]}', "json")


def test_a_spelling_for_two_entities_is_a_conflict_never_merged() -> None:
    entities = city()
    with pytest.raises(GlossaryError, match="conflict: spelling 'xankendi' maps to 2 entities"):
        edit.add_entity(entities, "other", "Xankendi")
    with pytest.raises(GlossaryError, match="conflict"):
        edit.merge(
            entities,
            [
                Entity(
                    "x",
                    "place",
                    "X",
                    names=(Name("X", canonical=True, spellings=(Spelling("Степанакерт"),)),),
                )
            ],
        )
    assert conflicts(entities) == []


def test_edits() -> None:
    entities = edit.add_name(city(), "Xankəndi", "Vararakn", usage="Armenian historical")
    entities = edit.add_spelling(entities, "khankendi", "Khankendi", "Chankendi", lang="de")
    entities = edit.set_canonical(entities, "stepanakert", "Stepanakert")
    (e,) = entities
    assert e.canonical.name == "Stepanakert"
    assert (
        Spelling("Chankendi", "de") in next(n for n in e.names if n.name == "Khankendi").spellings
    )
    with pytest.raises(GlossaryError, match="canonical name"):
        edit.remove(entities, "khankendi", "Stepanakert")
    (e,) = edit.remove(entities, "khankendi", "Vararakn")
    assert [n.name for n in e.names] == ["Stepanakert", "Khankendi"]
    assert edit.remove(entities, "khankendi") == []
    with pytest.raises(GlossaryError, match="no entity"):
        edit.find_entity(entities, "Baku")


def test_import_merge_adds_names_and_keeps_the_canonical_unless_told() -> None:
    incoming = loads(
        "\n".join(
            [
                HEADER,
                row(
                    "khankendi",
                    "place",
                    "Khankendi / Stepanakert",
                    "146970",
                    "",
                    "",
                    "Vararakn",
                    "Armenian historical",
                    "",
                    "",
                    "",
                    "Vararakn",
                    "",
                    "",
                ),
            ]
        ),
        "tsv",
    )
    (e,) = edit.merge(city(), incoming)
    assert e.canonical.name == "Khankendi"
    assert {n.name for n in e.names} == {"Khankendi", "Stepanakert", "Vararakn"}


def test_script_detection() -> None:
    assert [script_of(t) for t in ("Xankəndi", "Ханкенди", "Ստեփանակերտ", "თბილისი")] == [
        "Latn",
        "Cyrl",
        "Armn",
        "Geor",
    ]
