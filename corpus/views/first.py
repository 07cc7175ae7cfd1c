"""Who reported a claim first, decided on what is known of the reports' dates.

- A date stands for the days it may mean: a day for itself, a month for its days, a year for
  its year. A report is a candidate when no other report certainly precedes it; among the
  candidates the most precise dates decide, so a month-only date is never first over a day of
  that month (it is first only when its whole month precedes every other report).
- An outlet a report cites (EADaily "передаёт ТАСС") counts as having reported the claim by
  that report's date, when it carries the claim itself (a report of its own in the claim, even
  undated); an outlet that cites another first reporter is not first itself, since it reports
  the other's report. An outlet known only from others' reports (cited, with no report of its
  own in the claim) is never a first reporter: the citing outlet stays, shown citing it.
  Undated reports take no part otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsalign.corpus.ingest.dates import precision, span
from newsalign.corpus.store.records import Report

_RANK = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True)
class First:
    """The first reporters of a claim, their date, and who carried it citing them."""

    outlets: tuple[str, ...]
    published: str | None
    cited_by: tuple[str, ...]


def first_reporters(reports: list[Report] | tuple[Report, ...]) -> First:
    """The first reporters among `reports` (see the module docstring)."""
    entries: list[tuple[str, str]] = []
    carried = {r.outlet for r in reports}
    for r in reports:
        if not r.published or precision(r.published) is None:
            continue
        entries.append((r.outlet, r.published))
        entries += [(cited, r.published) for cited in r.cites if cited in carried]
    if not entries:
        return First((), None, ())
    earliest_end = min(span(d)[1] for _, d in entries)
    candidates = [(o, d) for o, d in entries if span(d)[0] <= earliest_end]
    finest = max(_RANK[precision(d) or "year"] for _, d in candidates)
    candidates = [(o, d) for o, d in candidates if _RANK[precision(d) or "year"] == finest]
    first_date = min(d for _, d in candidates)
    firsts = {o for o, d in candidates if d == first_date}
    citing = {r.outlet for r in reports if set(r.cites) & firsts and r.outlet not in r.cites}
    if firsts - citing:
        firsts -= citing
    cited_by = tuple(sorted(o for o in citing if o not in firsts))
    return First(tuple(sorted(firsts)), first_date, cited_by)
