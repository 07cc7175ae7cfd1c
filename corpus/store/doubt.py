"""How firmly each member sits in its claim: its average probability to the claim's members
from other articles (pairs scored below the review floor count as 0, as in clustering). A
member below the threshold is weak: the claim holds it because the others agree on average,
and it is the first place a person should look."""

from __future__ import annotations

from collections import defaultdict

import sqlite_utils


def member_support(db: sqlite_utils.Database, claim_ids: list[int]) -> dict[int, dict[int, float]]:
    """{claim id: {sentence id: average probability to the members of other articles}}."""
    out: dict[int, dict[int, float]] = {}
    for claim_id in claim_ids:
        doc_of = dict(
            db.execute(
                "SELECT m.segment_id, s.doc_id FROM cluster_members m JOIN segments s "
                "ON s.id = m.segment_id WHERE m.cluster_id = ?",
                [claim_id],
            ).fetchall()
        )
        total: dict[int, float] = defaultdict(float)
        for a, b, p in db.execute(
            "SELECT a_segment_id, b_segment_id, score FROM alignments WHERE cluster_id = ?",
            [claim_id],
        ):
            if doc_of.get(a) != doc_of.get(b):
                total[a] += p
                total[b] += p
        out[claim_id] = {
            s: round(total[s] / others, 4)
            for s, d in doc_of.items()
            if (others := sum(doc != d for doc in doc_of.values()))
        }
    return out
