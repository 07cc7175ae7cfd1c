"""Story facts on the two shared stories: date coverage, dates against the manifests, first
reports, who cites whom, and a corrected manifest re-ingested; and, against my reading of the
pages (bench/facts_reading.tsv), headlines and last lines kept, credits, copies, body dates read
and place names found per outlet and language.

For each of ../shared/stories/{consulate,withdrawal}:

- ingested with its index.tsv into a temporary database: documents dated, by where the date
  came from (manifest, dateline, url, page..., an inferred year marked);
- ingested again with the index's dates left out (outlets and URLs kept): the dates newsalign
  reads itself, compared with the manifest's on the documents the manifest dates (same day,
  agrees at a coarser precision, conflicts, or none found);
- aligned (shipped models): for every shared claim, the first reporter by newsalign's rule
  against the first by the manifest's dates alone (the earliest date string, as before), how
  often they agree, and each difference with its reason;
- the issue's checks: TASS dated 27 May 2024 from its dateline (year inferred), EADaily, OC Media
  and ExBulletin cite TASS, the first report of Karasin's announcement (the claims carrying
  TASS's dateline sentence) is TASS; no month-only date first over a day of its month; a
  corrected manifest (an outlet renamed, a date added) re-ingested corrects both and adds
  nothing.

    python bench/facts.py
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT.parent / "shared" / "stories"


def open_db(path: Path):
    from newsalign.corpus import store
    from newsalign.corpus.store import glossary

    db = store.open_db(path, create=True)
    glossary.ensure_default(db)
    return db


def write_manifest(folder: Path, target: Path, *, dates: bool = True, edit=None) -> Path:
    """The story's index with absolute file paths; without its dates, or edited by `edit`."""
    lines = (folder / "index.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    out = ["\t".join(header)]
    for line in lines[1:]:
        cells = dict(zip(header, line.split("\t"), strict=False))
        cells["file"] = str(folder / cells["file"])
        if not dates:
            cells["date"] = ""
        if edit:
            cells = edit(cells)
        out.append("\t".join(cells.get(h, "") for h in header))
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    return target


def manifest_dates(folder: Path) -> dict[str, str]:
    lines = (folder / "index.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]
    return {str(folder / r["file"]): r["date"] for r in rows if r.get("date")}


def coverage_line(db) -> str:
    from newsalign.corpus.store.dating import coverage

    counts = coverage(db)
    total = sum(counts.values())
    dated = total - counts.get("undated", 0)
    parts = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    return f"{dated}/{total} dated ({parts})"


def compare_dates(db, truth: dict[str, str]) -> Counter:
    out: Counter = Counter()
    for path, published, source in db.execute(
        "SELECT path, published, published_from FROM current_documents"
    ):
        want = truth.get(path)
        if not want:
            continue
        if not published:
            out["none found"] += 1
        elif published == want:
            out[f"same ({source})"] += 1
        elif want.startswith(published) or published.startswith(want):
            out[f"agrees, coarser ({source})"] += 1
        else:
            out[f"conflicts ({source})"] += 1
            print(f"    conflict: {Path(path).name}: {published} ({source}) vs manifest {want}")
    return out


def manifest_first(reports, dates: dict[int, str]) -> tuple[str, ...]:
    """The first reporters by the manifest's dates alone (`dates`: document id -> its date in
    the index), the earliest date winning, no citations."""
    dated = [dates[r.doc_id] for r in reports if r.doc_id in dates]
    if not dated:
        return ()
    return tuple(sorted({r.outlet for r in reports if dates.get(r.doc_id) == min(dated)}))


def story(name: str, work: Path) -> dict:
    from newsalign.corpus.align.job.run import run_alignment
    from newsalign.corpus.ingest.dates import precision, span
    from newsalign.corpus.ingest.run import ingest
    from newsalign.corpus.store.stories import list_stories
    from newsalign.corpus.views.stories import story_detail

    folder = STORIES / name
    print(f"\n== {name} ({len(manifest_dates(folder))} of the index's files dated by it)")
    bare = open_db(work / f"{name}-bare.db")
    # The written manifests name the story's files by absolute path, outside their own folder:
    # allowed as `ingest --follow-symlinks` allows it.
    bare_manifest = write_manifest(folder, work / f"{name}-bare.tsv", dates=False)
    ingest(bare, [], manifest=bare_manifest, follow_symlinks=True)
    print(f"  without the index's dates: {coverage_line(bare)}")
    agreement = compare_dates(bare, manifest_dates(folder))
    print(f"  against the index's dates: {dict(agreement)}")
    db = open_db(work / f"{name}.db")
    ingest(db, [], manifest=folder / "index.tsv")
    print(f"  with the index:            {coverage_line(db)}")
    run_alignment(db)
    truth = manifest_dates(folder)
    by_doc = {
        i: truth[p] for i, p in db.execute("SELECT id, path FROM current_documents") if p in truth
    }
    result = {"db": db, "checks": []}
    agree = differ = 0
    month_first_over_day = 0
    for summary in list_stories(db):
        if summary.documents < 2:
            continue
        detail = story_detail(db, summary.id)
        for claim in detail.claims:
            before = manifest_first(claim.reports, by_doc)
            same = set(claim.first) == set(before)
            agree += same
            differ += not same
            if not same:
                print(
                    f"    C{claim.id}: first {', '.join(claim.first) or '-'} "
                    f"({claim.first_published}) where the manifest's dates alone say "
                    f"{', '.join(before) or '-'}"
                    + (f"; cited by {', '.join(claim.cited_by)}" if claim.cited_by else "")
                )
            if claim.first_published and precision(claim.first_published) != "day":
                start, end = span(claim.first_published)
                days = [
                    r
                    for r in claim.reports
                    if r.published
                    and precision(r.published) == "day"
                    and start <= span(r.published)[0] <= end
                ]
                month_first_over_day += bool(days)
        result.setdefault("details", []).append(detail)
    total = agree + differ
    print(
        f"  first reports: {agree}/{total} claims name the same first outlets as the "
        f"manifest's dates alone, {differ} differ (listed above: a date the manifest lacks, "
        "read from a dateline or page, or an outlet cited by the earliest report)"
    )
    result["month_first_over_day"] = month_first_over_day
    return result


def consulate_checks(result: dict, work: Path) -> list[tuple[str, bool]]:
    from newsalign.corpus.ingest.run import ingest
    from newsalign.corpus.views.citations import cites_of

    db = result["db"]
    checks = []
    rows = {
        src: (i, p, f, inf)
        for i, src, p, f, inf in db.execute(
            "SELECT id, source, published, published_from, published_inferred FROM current_documents"
        )
    }
    tass = rows.get("TASS")
    checks.append(
        (
            "TASS dated 2024-05-27 from its dateline, year inferred",
            bool(tass) and tass[1:] == ("2024-05-27", "dateline", "year"),
        )
    )
    cites = cites_of(db, [v[0] for v in rows.values()])
    citing = sorted(src for src, v in rows.items() if "TASS" in cites.get(v[0], ()))
    print(f"  documents citing TASS: {', '.join(citing)}")
    checks.append(
        (
            "EADaily, OC Media and ExBulletin cite TASS",
            {"EADaily", "ExBulletin"} <= set(citing)
            and any(c.startswith("OC Media") for c in citing),
        )
    )
    tass_segments = {
        r[0]
        for r in db.execute(
            "SELECT s.id FROM text_segments s JOIN current_documents d ON d.id = s.doc_id "
            "WHERE d.source = 'TASS' AND s.text LIKE '%ТАСС%'"
        )
    }
    announcement = [
        c
        for d in result["details"]
        for c in d.claims
        if any(r.segment_id in tass_segments for r in c.reports)
    ]
    for c in announcement:
        print(
            f"  Karasin's announcement, C{c.id} ({c.sources} outlets): first "
            f"{', '.join(c.first)} ({c.first_published})"
        )
    checks.append(
        (
            "the first report of Karasin's announcement is TASS",
            bool(announcement) and all(c.first == ("TASS",) for c in announcement),
        )
    )
    # A corrected manifest: TASS renamed, ExBulletin given a date.
    count = (
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM segments), "
        "(SELECT count(*) FROM claims)"
    )
    before = db.execute(count).fetchone()

    def edit(cells: dict) -> dict:
        if cells["outlet"] == "TASS":
            cells["outlet"] = "TASS (Russian News Agency)"
        if cells["outlet"] == "ExBulletin":
            cells["date"] = "2024-05-28"
        return cells

    folder = STORIES / "consulate"
    corrected = write_manifest(folder, work / "corrected.tsv", edit=edit)
    report = ingest(db, [], manifest=corrected, follow_symlinks=True)
    updated = [r for r in report.results if r.status == "updated"]
    for r in updated:
        print(f"  re-ingest: {Path(r.name).name}: {r.message}")
    after = db.execute(count).fetchone()
    fixed = db.execute(
        "SELECT count(*) FROM current_documents WHERE "
        "source = 'TASS (Russian News Agency)' OR "
        "(source = 'ExBulletin' AND published = '2024-05-28')"
    ).fetchone()[0]
    checks.append(
        (
            "a corrected manifest corrects outlet and date and adds nothing",
            len(updated) == 2 and fixed == 2 and before == after,
        )
    )
    return checks


READING = Path(__file__).resolve().parent / "facts_reading.tsv"


def reading(story_name: str) -> dict[str, dict[str, list[str]]]:
    """My reading of one story's pages (bench/facts_reading.tsv): file -> kind -> keys."""
    out: dict[str, dict[str, list[str]]] = {}
    for line in READING.read_text(encoding="utf-8").splitlines()[1:]:
        if line.startswith("#") or line.startswith("story\t"):
            continue
        story_, file, kind, key = line.split("\t")
        if story_ == story_name:
            out.setdefault(file, {}).setdefault(kind, []).append(key)
    return out


def _words(text: str | None) -> str:
    import re

    return " ".join(re.findall(r"\w+", (text or "").lower()))


def against_reading(name: str, db) -> list[str]:
    """Headlines and last lines kept, credits, copies, body dates and place names found, each
    against my reading of the pages; returns the lines printed (for the summary)."""
    from newsalign.corpus.ingest.cites import key as outlet_key
    from newsalign.corpus.ingest.dates import lead_date
    from newsalign.corpus.ingest.dating import LEAD_PARAGRAPHS, lead_dateline
    from newsalign.corpus.views.citations import cites_of
    from newsalign.corpus.views.copies import copies_of

    read = reading(name)
    docs = {
        Path(p).name: (i, src, lang, title, text, published, source_from)
        for i, p, src, lang, title, text, published, source_from in db.execute(
            "SELECT id, path, source, lang, title, text, published, published_from "
            "FROM current_documents"
        )
    }
    by_id = {v[0]: f for f, v in docs.items()}
    cites = cites_of(db, [v[0] for v in docs.values()])
    copies = copies_of(db, [v[0] for v in docs.values()])
    lines: list[str] = []

    def say(text: str) -> None:
        print("  " + text)
        lines.append(text)

    # Headlines and last lines.
    titled = [f for f, r in read.items() if r["headline"] != ["none"]]
    right = [f for f in titled if _words(docs[f][3]).startswith(_words(read[f]["headline"][0]))]
    wrong = [f for f, r in read.items() if r["headline"] == ["none"] and docs[f][3]]
    say(
        f"headlines: {len(right)}/{len(titled)} kept as the title; "
        f"{len(wrong)} of {len(read) - len(titled)} pages without one got a title"
    )
    for f in sorted(set(titled) - set(right)):
        say(f"    missed headline: {f}: title {docs[f][3]!r}")
    for f in wrong:
        say(f"    title on a page without a headline: {f}: {docs[f][3]!r}")
    kept = [f for f, r in read.items() if _words(r["lastline"][0]) in _words(docs[f][4])]
    say(f"last lines kept: {len(kept)}/{len(read)}")
    for f in sorted(set(read) - set(kept)):
        say(f"    last line dropped: {f}: {read[f]['lastline'][0]!r}")
    # Credits.
    want = {(f, outlet_key(c)) for f, r in read.items() for c in r.get("credit", [])}
    got = {(f, outlet_key(c)) for f, v in docs.items() for c in cites.get(v[0], ())}
    # A cited outlet of the corpus is named as the corpus names it: compare by either name.
    aliases = {outlet_key(c): outlet_key(c) for _, c in got}
    for _, src, *_ in docs.values():
        for part in src.replace("(", ",").replace(")", ",").split(","):
            if part.strip():
                aliases[outlet_key(part.strip())] = outlet_key(src)
    found = {(f, k) for f, k in want if (f, aliases.get(k, k)) in got or (f, k) in got}
    say(
        f"credits found: {len(found)}/{len(want)}; named but not in my reading: "
        f"{len(got) - len(found)}"
    )
    for f, k in sorted(want - found):
        say(f"    credit missed: {f}: {k}")
    for f, k in sorted(got):
        if not any(f == g and (aliases.get(w, w) == k or w == k) for g, w in want):
            say(f"    credit not in my reading: {f}: {k}")
    # Copies.
    edges = {(by_id[e.doc], by_id[e.original]): e.share for d, es in copies.items() for e in es}
    expected = [
        (f, c.split()[0], c.endswith("either")) for f, r in read.items() for c in r.get("copy", [])
    ]
    hit = [(f, o) for f, o, either in expected if (f, o) in edges or (either and (o, f) in edges)]
    say(
        f"copies found: {len(hit)}/{len(expected)}; edges not in my reading: "
        f"{sum(1 for a, b in edges if (a, b) not in hit and (b, a) not in hit)}"
    )
    for (a, b), share in sorted(edges.items()):
        mark = "" if (a, b) in hit or (b, a) in hit else "  (not in my reading)"
        say(f"    {a} derived from {b}, {round(share * 100)} %{mark}")
    for f, o, _ in expected:
        if (f, o) not in hit:
            say(f"    copy missed: {f} from {o}")
    # Body dates.
    # Read from the stored text alone (the manifest's date, where there is one, wins in the
    # database; here only what the body says counts).
    dated = [(f, r["date"][0]) for f, r in read.items() if "date" in r]
    read_ok = []
    for f, d in dated:
        paragraphs = docs[f][4].split("\n\n")[1 if docs[f][3] else 0 :]
        line = lead_dateline(paragraphs)
        value = (line.day if line and line.day else None) or next(
            filter(None, map(lead_date, paragraphs[:LEAD_PARAGRAPHS])), None
        )
        if value and (value == d or value[-5:] == d[-5:]):
            read_ok.append(f)
        else:
            say(f"    body date missed: {f}: {d} (read {value})")
    found_in = [f for f, v in docs.items() if f not in dict(dated) and v[6] in ("dateline", "body")]
    say(
        f"body dates read: {len(read_ok)}/{len(dated)}; dated from the body beyond my reading: "
        f"{len(found_in)}"
    )
    # Place names per outlet and language.
    counts: dict[tuple[str, str], int] = {}
    for doc_id, key, n in db.execute(
        "SELECT doc_id, entity_key, count(*) FROM original_mentions "
        "WHERE kind != 'boilerplate' GROUP BY doc_id, entity_key"
    ):
        if doc_id in by_id:
            counts[by_id[doc_id], key] = n
    per: dict[tuple[str, str], list[int]] = {}
    for f, r in read.items():
        outlet, lang = docs[f][1], docs[f][2] or "?"
        for item in r.get("place", []):
            entity, n = item.split()
            got_n = counts.get((f, entity), 0)
            cell = per.setdefault((outlet, lang), [0, 0, 0])
            cell[0] += int(n)
            cell[1] += min(int(n), got_n)
            cell[2] += got_n
        for (g, entity), got_n in counts.items():
            if (
                g == f
                and not any(i.split()[0] == entity for i in r.get("place", []))
                and entity in {i.split()[0] for rr in read.values() for i in rr.get("place", [])}
            ):
                per.setdefault((outlet, lang), [0, 0, 0])[2] += got_n
    for f, r in sorted(read.items()):
        for item in r.get("place", []):
            entity, n = item.split()
            if counts.get((f, entity), 0) < int(n):
                say(f"    place missed: {f}: {entity} {counts.get((f, entity), 0)} of {n}")
    total = [sum(c[k] for c in per.values()) for k in range(3)]
    say(
        f"place names (12 entities): {total[1]}/{total[0]} of my reading found, "
        f"{total[2] - total[1]} found beyond it"
    )
    for (outlet, lang), (n, ok, got_n) in sorted(per.items()):
        say(f"    {outlet} ({lang}): {ok}/{n}" + (f", {got_n - ok} beyond" if got_n > ok else ""))
    return lines


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        consulate = story("consulate", work)
        print("\n== consulate against my reading (bench/facts_reading.tsv)")
        against_reading("consulate", consulate["db"])
        checks = consulate_checks(consulate, work)
        withdrawal = story("withdrawal", work)
        print("\n== withdrawal against my reading (bench/facts_reading.tsv)")
        against_reading("withdrawal", withdrawal["db"])
        checks.append(
            (
                "withdrawal: no month-only date is first over a day of its month",
                withdrawal["month_first_over_day"] == 0,
            )
        )
        checks.append(
            (
                "consulate: no month-only date is first over a day of its month",
                consulate["month_first_over_day"] == 0,
            )
        )
        for db in (consulate["db"], withdrawal["db"]):
            db.conn.close()
    print("\nChecks:")
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'FAIL'}] {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
