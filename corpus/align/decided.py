"""A person's decisions as the engine applies them: must and cannot pairs of claim candidates.

Decisions name sentences by identity (document key, text hash: store/decisions.py), so they
outlive re-ingests; here they meet the candidates of one alignment, newest first, so that a
later decision overrules what contradicts it (merging what an earlier split separated undoes
that part of the split)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

Identity = tuple[str, str]  # (doc_key, text hash)


def decided_pairs(
    constraints: Iterable[tuple[str, Identity, Identity]],
    index: Mapping[Identity, int],
    within: set[str] | None = None,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """The decided pairs (link, a, b; oldest first) as (must, cannot) pairs of candidate
    indexes (`index` maps an identity to its candidate), and how many pairs are not applied:
    they name a sentence that is not a candidate now (its article was removed or changed), or a
    later decision contradicts them. `within`: only the decisions both of whose sentences are in
    these documents (by doc_key; the stories a run aligns)."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    must, cannot, unapplied = [], [], 0
    detached: set[int] = set()  # a later accept re-attaches; an earlier one is overruled
    for link, a, b in reversed(list(constraints)):
        if within is not None and not (a[0] in within and b[0] in within):
            continue
        x, y = index.get(a), index.get(b)
        if link == "detach":
            if x is None:
                unapplied += 1
            else:
                detached.add(x)
            continue
        if x is None or y is None or x == y or (link == "must" and {x, y} & detached):
            unapplied += 1
            continue
        rx, ry = root(x), root(y)
        if link == "must":
            if any({root(u), root(v)} == {rx, ry} for u, v in cannot):
                unapplied += 1
                continue
            must.append((x, y))
            parent[max(rx, ry)] = min(rx, ry)
        elif rx == ry:
            unapplied += 1
        else:
            cannot.append((x, y))
    return must[::-1], cannot[::-1], unapplied
