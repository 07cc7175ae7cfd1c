"""Story facts on the two shared stories: date coverage, dates against the manifests, first
reports, who cites whom, and a corrected manifest re-ingested.

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
    ingest(bare, [], manifest=write_manifest(folder, work / f"{name}-bare.tsv", dates=False))
    print(f"  without the index's dates: {coverage_line(bare)}")
    agreement = compare_dates(bare, manifest_dates(folder))
    print(f"  against the index's dates: {dict(agreement)}")
    db = open_db(work / f"{name}.db")
    ingest(db, [], manifest=folder / "index.tsv")
    print(f"  with the index:            {coverage_line(db)}")
    run_alignment(db)
    truth = manifest_dates(folder)
    by_doc = {i: truth[p] for i, p in db.execute("SELECT id, path FROM current_documents")
              if p in truth}  # fmt: skip
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
                print(f"    C{claim.id}: first {', '.join(claim.first) or '-'} "
                      f"({claim.first_published}) where the manifest's dates alone say "
                      f"{', '.join(before) or '-'}"
                      + (f"; cited by {', '.join(claim.cited_by)}" if claim.cited_by else ""))  # fmt: skip
            if claim.first_published and precision(claim.first_published) != "day":
                start, end = span(claim.first_published)
                days = [r for r in claim.reports if r.published and precision(r.published) == "day"
                        and start <= span(r.published)[0] <= end]  # fmt: skip
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
    rows = {src: (i, p, f, inf) for i, src, p, f, inf in db.execute(
        "SELECT id, source, published, published_from, published_inferred FROM current_documents")}  # fmt: skip
    tass = rows.get("TASS")
    checks.append(("TASS dated 2024-05-27 from its dateline, year inferred",
                   bool(tass) and tass[1:] == ("2024-05-27", "dateline", "year")))  # fmt: skip
    cites = cites_of(db, [v[0] for v in rows.values()])
    citing = sorted(src for src, v in rows.items() if "TASS" in cites.get(v[0], ()))
    print(f"  documents citing TASS: {', '.join(citing)}")
    checks.append(("EADaily, OC Media and ExBulletin cite TASS",
                   {"EADaily", "ExBulletin"} <= set(citing)
                   and any(c.startswith("OC Media") for c in citing)))  # fmt: skip
    tass_segments = {r[0] for r in db.execute(
        "SELECT s.id FROM text_segments s JOIN current_documents d ON d.id = s.doc_id "
        "WHERE d.source = 'TASS' AND s.text LIKE '%ТАСС%'")}  # fmt: skip
    announcement = [c for d in result["details"] for c in d.claims
                    if any(r.segment_id in tass_segments for r in c.reports)]  # fmt: skip
    for c in announcement:
        print(
            f"  Karasin's announcement, C{c.id} ({c.sources} outlets): first "
            f"{', '.join(c.first)} ({c.first_published})"
        )
    checks.append(("the first report of Karasin's announcement is TASS",
                   bool(announcement) and all(c.first == ("TASS",) for c in announcement)))  # fmt: skip
    # A corrected manifest: TASS renamed, ExBulletin given a date.
    count = ("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM segments), "
             "(SELECT count(*) FROM claims)")  # fmt: skip
    before = db.execute(count).fetchone()

    def edit(cells: dict) -> dict:
        if cells["outlet"] == "TASS":
            cells["outlet"] = "TASS (Russian News Agency)"
        if cells["outlet"] == "ExBulletin":
            cells["date"] = "2024-05-28"
        return cells

    folder = STORIES / "consulate"
    report = ingest(db, [], manifest=write_manifest(folder, work / "corrected.tsv", edit=edit))
    updated = [r for r in report.results if r.status == "updated"]
    for r in updated:
        print(f"  re-ingest: {Path(r.name).name}: {r.message}")
    after = db.execute(count).fetchone()
    fixed = db.execute("SELECT count(*) FROM current_documents WHERE "
                       "source = 'TASS (Russian News Agency)' OR "
                       "(source = 'ExBulletin' AND published = '2024-05-28')").fetchone()[0]  # fmt: skip
    checks.append(("a corrected manifest corrects outlet and date and adds nothing",
                   len(updated) == 2 and fixed == 2 and before == after))  # fmt: skip
    return checks


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        consulate = story("consulate", work)
        checks = consulate_checks(consulate, work)
        withdrawal = story("withdrawal", work)
        checks.append(("withdrawal: no month-only date is first over a day of its month",
                       withdrawal["month_first_over_day"] == 0))  # fmt: skip
        checks.append(("consulate: no month-only date is first over a day of its month",
                       consulate["month_first_over_day"] == 0))  # fmt: skip
        for db in (consulate["db"], withdrawal["db"]):
            db.conn.close()
    print("\nChecks:")
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'FAIL'}] {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
