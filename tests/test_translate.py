"""Translation through the real engines (tiny random model), memory, names and protection."""

import json

import pytest

from newsalign.corpus import store
from newsalign.corpus.mt import run as translation
from newsalign.corpus.mt.names import Names
from newsalign.corpus.mt.run import Options, translate_corpus
from newsalign.translate import protect
from newsalign.translate.engine import Engine
from tests.helpers import fetch, seed

# Real engines, servers, processes or clusters: the slow tier (make test-fast leaves it out).
pytestmark = pytest.mark.slow

GERMAN = (
    "Bahnstrecke nach Chankendi eröffnet\n\n"
    "Am 3. März 2025 kam der erste Zug mit 1.200 Tonnen Zement in Chankendi an. "
    "„Das ist ein großer Tag“, sagte der Sprecher unter https://bahn.example.az/info. "
    "Die Strecke kostete 410 € pro Meter, schrieb presse@bahn.example.az.\n\n"
    "Die Friedenstruppen haben sich aus Bergkarabach zurückgezogen, meldete Baku am Montag.\n"
)


@pytest.fixture
def german_corpus(cli, db_path, tmp_path):
    article = tmp_path / "bahn.txt"
    article.write_text(GERMAN, encoding="utf-8")
    assert cli("ingest", str(article), str(seed("002")), str(seed("004"))).exit_code == 0
    return db_path


@pytest.fixture
def de_en(cli, argos_dir, tiny_packages):
    assert cli("models", "install", str(tiny_packages["de:en"])).exit_code == 0


def _german_segments(db_path) -> int:
    return fetch(
        db_path, "SELECT count(*) FROM segments WHERE lang = 'de' AND kind != 'boilerplate'"
    )[0][0]


def test_every_german_segment_gets_a_translation_with_provenance(german_corpus, de_en, cli) -> None:
    result = cli("translate")
    assert result.exit_code == 0, result.output
    total = _german_segments(german_corpus)
    rows = fetch(
        german_corpus,
        "SELECT backend, model, path, glossary_version, settings, names_mode, "
        "created_at FROM translations",
    )
    assert len(rows) == total and total > 10
    backend, model, path, gv, settings, names_mode, created = rows[0]
    assert (backend, model, path, names_mode) == ("argos", "argos:de-en@0.1", "de>en", "source")
    assert gv == fetch(german_corpus, "SELECT max(version) FROM glossary_versions")[0][0]
    assert json.loads(settings)["compute_type"] == "int8" and created
    titles = fetch(
        german_corpus,
        "SELECT count(*) FROM translations t JOIN segments s "
        "ON s.id = t.segment_id WHERE s.kind = 'title'",
    )
    assert titles[0][0] == 2
    again = cli("translate")
    assert again.exit_code == 0 and "Nothing to translate" in again.output
    assert fetch(german_corpus, "SELECT count(*) FROM translations")[0][0] == total


def test_limit_then_resume(german_corpus, de_en, cli) -> None:
    assert cli("translate", "--limit", "3").exit_code == 0
    assert fetch(german_corpus, "SELECT count(*) FROM translations")[0][0] == 3
    assert cli("translate").exit_code == 0
    assert fetch(german_corpus, "SELECT count(*) FROM translations")[0][0] == _german_segments(
        german_corpus
    )


def test_a_killed_run_keeps_its_committed_batches_and_resumes(
    german_corpus, de_en, monkeypatch
) -> None:
    monkeypatch.setattr(translation, "COMMIT_EVERY", 4)
    real = Engine.stream

    def dying(self, sentences, chunk=4096):
        for n, output in enumerate(real(self, sentences, chunk)):
            if n == 6:
                raise KeyboardInterrupt  # the user pressed Ctrl-C during the second batch
            yield output

    monkeypatch.setattr(Engine, "stream", dying)
    db = store.open_db(german_corpus)
    with pytest.raises(KeyboardInterrupt):
        translate_corpus(db, Options(protect=False))
    kept = fetch(german_corpus, "SELECT count(*) FROM translations")[0][0]
    assert kept == 4 < _german_segments(german_corpus)
    monkeypatch.setattr(Engine, "stream", real)
    report = translate_corpus(db, Options(protect=False))
    assert report.from_model == _german_segments(german_corpus) - kept


def test_protected_spans_survive(german_corpus, de_en, cli) -> None:
    assert cli("translate").exit_code == 0
    pairs = fetch(
        german_corpus,
        "SELECT s.text, t.text FROM translations t JOIN segments s ON s.id = t.segment_id",
    )
    checked = 0
    for source, output in pairs:
        for item in protect.protected_items(source):
            assert item in output, (item, output)
            checked += 1
    assert checked >= 8  # numbers, quotes, URL, e-mail, currency


def test_names_preparation(german_corpus) -> None:
    db = store.open_db(german_corpus)
    text, terms = Names(db, "en", "source").prepare("Der Zug kam in Chankendi und Stepanakert an.")
    assert text == "Der Zug kam in Khankendi und Stepanakert an."
    assert [t["expected"] for t in terms] == ["Khankendi", "Stepanakert"]
    text, _ = Names(db, "en", "canonical").prepare("Der Zug kam in Stepanakert an.")
    assert text == "Der Zug kam in Khankendi an."
    text, terms = Names(db, "en", "source").prepare("Die Kontrolle Bergkarabachs.")
    assert text == "Die Kontrolle Nagorno-Karabakh." and terms[0]["surface"] == "Bergkarabachs"


def test_expected_terms_are_recorded_and_reported(german_corpus, de_en, cli) -> None:
    assert cli("translate").exit_code == 0
    terms = [json.loads(t) for (t,) in fetch(german_corpus, "SELECT terms FROM translations")]
    flat = [t for ts in terms for t in ts]
    assert any(t["surface"] == "Chankendi" and t["expected"] == "Khankendi" for t in flat)
    assert all("found" in t for t in flat)
    report = json.loads(cli("translate", "--report", "--json").output)
    missing = sum(not t["found"] for t in flat)
    assert sum(len(r["missing"]) for r in report) == missing


def test_translation_mentions_are_stored(german_corpus, de_en, cli) -> None:
    assert cli("translate").exit_code == 0
    in_translations = fetch(
        german_corpus, "SELECT count(*) FROM mentions WHERE translation_id IS NOT NULL"
    )
    found = sum(
        t["found"]
        for (ts,) in fetch(german_corpus, "SELECT terms FROM translations")
        for t in json.loads(ts)
    )
    assert in_translations[0][0] >= found


def test_no_model_is_one_line_naming_the_install_command(german_corpus, argos_dir, cli) -> None:
    result = cli("translate")
    assert result.exit_code == 0  # said, not a failure (exit-codes.md): `run` does the same
    assert "Not translated (de): no model for de→en" in result.output
    assert "newsalign models install de:en" in result.output
    assert fetch(german_corpus, "SELECT count(*) FROM translations")[0][0] == 0
    argos_only = cli("translate", "--backend", "argos")
    assert argos_only.exit_code == 1 and "no model for de→en" in argos_only.output


def test_pivot_only_when_allowed_and_recorded(german_corpus, argos_dir, tiny_packages, cli) -> None:
    for pair in ("de:en", "en:fr"):
        assert cli("models", "install", str(tiny_packages[pair])).exit_code == 0
    direct = cli("translate", "--to", "fr", "--from", "de")
    assert direct.exit_code == 0 and "Not translated (de): no model for de→fr" in direct.output
    pivot = cli("translate", "--to", "fr", "--from", "de", "--pivot", "en", "--limit", "2")
    assert pivot.exit_code == 0, pivot.output
    assert "de>en>fr (pivot)" in pivot.output
    rows = fetch(german_corpus, "SELECT path, model FROM translations WHERE target_lang = 'fr'")
    assert rows and all(r == ("de>en>fr", "argos:de-en@0.1>argos:en-fr@0.1") for r in rows)


def test_translation_memory_tsv_and_tmx(german_corpus, argos_dir, cli, tmp_path) -> None:
    (first, second) = fetch(
        german_corpus,
        "SELECT text FROM segments WHERE lang = 'de' AND kind = 'body' ORDER BY id LIMIT 2",
    )
    tsv = tmp_path / "memory.tsv"
    tsv.write_text(f"  {first[0]}  \tHuman translation one.\n", encoding="utf-8")
    assert cli("tm", "import", str(tsv)).exit_code == 1  # languages needed for TSV
    assert cli("tm", "import", str(tsv), "--from", "de", "--to", "en").exit_code == 0
    tmx = tmp_path / "memory.tmx"
    tmx.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="de" datatype="plaintext" '
        'segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/>'
        f'<body><tu><tuv xml:lang="de"><seg>{second[0]}</seg></tuv>'
        '<tuv xml:lang="en"><seg>Human translation two.</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    assert cli("tm", "import", str(tmx)).exit_code == 0
    result = cli("translate", "--backend", "tm")
    assert result.exit_code == 0 and "not in the translation memory" in result.output  # said
    rows = fetch(german_corpus, "SELECT text, backend, model FROM translations ORDER BY segment_id")
    assert rows == [
        ("Human translation one.", "tm", "tm:memory.tsv"),
        ("Human translation two.", "tm", "tm:memory.tmx"),
    ]


def test_malformed_memory_is_refused_with_its_line(german_corpus, cli, tmp_path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("eins\tone\nzwei without a tab\n", encoding="utf-8")
    result = cli("tm", "import", str(bad), "--from", "de", "--to", "en")
    assert result.exit_code == 1 and "line 2" in result.output
    assert fetch(german_corpus, "SELECT count(*) FROM tm")[0][0] == 0


def test_a_model_corrupted_after_install_is_one_clear_error(
    german_corpus, de_en, argos_dir, cli
) -> None:
    (model_bin,) = argos_dir.glob("*/model/model.bin")
    model_bin.write_bytes(model_bin.read_bytes()[:1000])
    result = cli("translate")
    assert result.exit_code == 1
    assert "does not load" in result.output and "Traceback" not in result.output
    assert fetch(german_corpus, "SELECT count(*) FROM translations")[0][0] == 0


def test_real_mt_output_through_the_memory(cli, db_path, argos_dir, tmp_path) -> None:
    from tests.helpers import SHARED

    wmt = SHARED / "eval" / "wmt21-newstest-de-en"
    german = (wmt / "newstest2021.de-en.src.de").read_text(encoding="utf-8").splitlines()[:40]
    system = (
        (wmt / "newstest2021.de-en.hyp.Facebook-AI.en")
        .read_text(encoding="utf-8")
        .splitlines()[:40]
    )
    memory = tmp_path / "facebook.tsv"
    memory.write_text(
        "".join(f"{d}\t{e}\n" for d, e in zip(german, system, strict=True)), encoding="utf-8"
    )
    article = tmp_path / "wmt.txt"
    article.write_text("\n\n".join(german) + "\n", encoding="utf-8")
    assert cli("ingest", str(article), "--langs", "de,en").exit_code == 0
    assert cli("tm", "import", str(memory), "--from", "de", "--to", "en").exit_code == 0
    cli("translate", "--backend", "tm")
    rows = fetch(
        db_path, "SELECT s.text, t.text FROM translations t JOIN segments s ON s.id = t.segment_id"
    )
    expected = dict(zip(german, system, strict=True))
    assert len(rows) >= 30  # lines our splitter keeps whole find their system output
    assert all(expected[source] == target for source, target in rows)


def test_a_glossary_edit_retranslates_only_the_segments_whose_names_it_changes(
    german_corpus, de_en, cli
) -> None:
    assert cli("translate").exit_code == 0
    total = fetch(german_corpus, "SELECT count(*) FROM translations")[0][0]
    # A place nobody mentions: every translation stays valid.
    assert cli("glossary", "add", "atlantis", "Atlantis").exit_code == 0
    assert "Nothing to translate" in cli("translate").output
    # A name that one sentence uses, given an English spelling: that sentence only.
    assert cli("glossary", "add", "cement", "Zement", "--type", "organisation").exit_code == 0
    assert (
        cli("glossary", "add-spelling", "cement", "Zement", "cement", "--lang", "en").exit_code == 0
    )
    result = json.loads(cli("translate", "--json").output)
    assert result["from_model"] == 1
    (text,) = fetch(
        german_corpus,
        "SELECT s.text FROM translations t JOIN segments s "
        "ON s.id = t.segment_id ORDER BY t.id DESC LIMIT 1",
    )[0]
    assert "Zement" in text
    assert fetch(german_corpus, "SELECT count(*) FROM translations")[0][0] == total + 1


def test_a_translator_plugin_is_found_through_its_entry_point(
    german_corpus, argos_dir, tmp_path, monkeypatch, cli
) -> None:
    plugin = tmp_path / "plugin"
    dist = plugin / "upper_mt-0.1.dist-info"
    dist.mkdir(parents=True)
    (plugin / "upper_mt.py").write_text(
        "from newsalign.translate.translators import Output, cache_key\n"
        "class Upper:\n"
        "    def __init__(self, source, target):\n"
        "        self.source, self.target = source, target\n"
        "    def keys(self, item):\n"
        "        return (cache_key('upper', item.prepared),)\n"
        "    def translate(self, items):\n"
        "        for item in items:\n"
        "            yield Output(item.prepared.upper(), 'upper:1', f'{self.source}>{self.target}',\n"
        "                         'upper', self.keys(item)[0])\n"
        "def factory(request):\n"
        "    return Upper(request.source, request.target)\n",
        encoding="utf-8",
    )
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: upper-mt\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[newsalign.translators]\nupper = upper_mt:factory\n")
    assert cli("translate", "--backend", "upper").exit_code == 1  # not installed yet
    monkeypatch.syspath_prepend(str(plugin))
    result = cli("translate", "--backend", "upper", "--no-protect")
    assert result.exit_code == 0, result.output
    rows = fetch(german_corpus, "SELECT DISTINCT backend, model, path FROM translations")
    assert rows == [("upper", "upper:1", "de>en")]
    assert "Nothing to translate" in cli("translate", "--backend", "upper").output
