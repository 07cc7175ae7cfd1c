"""A story's claims under review: what the clustering proposes, corrected by a person's answers.

Review works claim by claim (screens.py): a screen names a claim by its label, and a person
says of each sentence shown whether it asserts that claim. Those answers are the only state;
the claims are a pure function of them and of the story's scored pairs (`realign`), so applying
an answer and undoing it are exact (undo = realign without it).

- **Proposals**: the clustering's claims (clustering.claims: average link at the threshold, no
  overlap pass, as `align` makes them before anyone answers).
- **Reviewed claims** (a label with answers): the label and every sentence said yes (its
  *confirmed* members), never a sentence said no. Once a person confirmed a sentence of another
  article, the claim also keeps the unjudged rest of its label's proposal, unconfirmed (the
  claim's next screen shows them to keep or remove); nothing else joins it but by a yes (the
  judgement adding sentences that agree with the confirmed members on average put wrong
  members in claims a person had made pure, measured on withdrawal). A screen answered all no
  leaves the label alone (the best the tool had to offer did not assert it). A sentence may be
  in several claims.
- **Proposed claims**: the proposals a reviewed claim did not take over. A proposal holding a
  reviewed label gives up that claim's members, and what is left stays a claim if it still
  agrees as one (two articles, mean probability at the threshold); a proposal all inside a
  reviewed claim is that claim. With `prune` (the membership judgement as the answers taught
  it), a proposed claim loses the members the judgement is confident (at 95 %, by its
  posterior) a person would not count in it, the least likely first: a sentence is left out
  rather than kept in a claim the person's own answers say it does not belong to. Confident,
  not merely more likely than not: after one screen answered mostly no, the plain rule
  dissolved 31 of withdrawal's 44 claims on a dozen answers about other sentences.
- **Answers split proposals**: a proposal holding a sentence confirmed in a reviewed claim and
  one said not to assert that claim is two proposals, the side of its label and the other
  (each stays a claim if it agrees as one). The person's answers speak about those sentences;
  a claim holding both sides is one a reader would see mixed.
- **Merging** happens only by answers: a reviewed claim whose every confirmed member, label
  included, was confirmed in another claim is shown as that one (both pure, by the person's
  word).
- **Labels** (the sentence that states a claim, and its key while it lives): a reviewed claim
  keeps the label it was reviewed under; a proposed claim keeps the oldest label it holds (by
  the age the caller gives each past label, e.g. the id of the stored claim it named), else
  takes its most central member (highest mean probability with the others; a headline on a
  tie). Oldest rather than latest makes undo exact: when an answer is undone, the claims get
  their members back, and with them the labels they had.

Pure: arrays and sentence ids in, frozen claims out; no database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from newsalign.corpus.align import clustering
from newsalign.corpus.align.learner import Membership, evidence_names, logit


@dataclass(frozen=True, eq=False)
class ReviewStory:
    """What reviewing one story reads: its sentences (`ids`, their articles `docs` and headline
    marks) and its scored cross-article pairs (local indexes `i` < `j`, features `X`, and the
    shipped judgement's log-odds `prior`). `threshold`: the clustering's (engine.THRESHOLD).
    Every pair of sentences from different articles should be given (pairs.score_pairs with
    floor 0 and no per-sentence limit): a missing pair counts as probability 0.

    Derived once: the pair probabilities `p`, the clustering's `proposals` (local indexes;
    `given`, where the caller has them) and the pairs by sentence (`near`)."""

    ids: tuple[int, ...]
    docs: np.ndarray
    headline: np.ndarray
    i: np.ndarray
    j: np.ndarray
    X: np.ndarray
    prior: np.ndarray
    features: tuple[str, ...]
    threshold: float = 0.5
    story: int | None = None
    # The proposals, where the caller has them (local indexes): the engine's claims of the same
    # pairs, with a person's must/cannot decisions honoured (align/job/reviewed.py).
    given: tuple[tuple[int, ...], ...] | None = field(default=None, repr=False)
    index: dict[int, int] = field(init=False, repr=False)
    p: np.ndarray = field(init=False, repr=False)
    proposals: tuple[tuple[int, ...], ...] = field(init=False, repr=False)
    near: Neighbours = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {sid: k for k, sid in enumerate(self.ids)})
        p = 1.0 / (1.0 + np.exp(-np.clip(np.asarray(self.prior, dtype=float), -30, 30)))
        object.__setattr__(self, "p", p)
        if self.given is not None:
            proposals = tuple(tuple(sorted(set(g))) for g in self.given)
        else:
            scored = clustering.Scored(np.asarray(self.i), np.asarray(self.j), p)
            groups = clustering.claims(
                len(self.ids), np.asarray(self.docs), scored, self.threshold, overlap=None
            )
            proposals = tuple(tuple(sorted({m.index for m in g})) for g in groups)
        object.__setattr__(self, "proposals", proposals)
        object.__setattr__(self, "near", Neighbours(self))

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def evidence(self) -> tuple[str, ...]:
        """The names of the evidence its membership judgement reads (learner.evidence_names)."""
        return evidence_names(self.features)

    def proposal_of(self, x: int) -> tuple[int, ...]:
        """The proposal holding sentence `x` (local index); empty if none."""
        for members in self.proposals:
            if x in members:
                return members
        return ()


@dataclass(frozen=True)
class Answer:
    """One screen answered: the claim, named by its label's sentence id, and the sentences a
    person said assert it (`yes`) and do not (`no`). Each is one decision of the person."""

    label: int
    yes: frozenset[int] = frozenset()
    no: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Claim:
    """A claim by sentence ids: its label (also its key while it lives), its members (label
    first), those a person confirmed (the label included, once reviewed), those a person said
    do not assert it, and the clustering's proposal the claim grew from."""

    label: int
    members: tuple[int, ...]
    confirmed: frozenset[int] = frozenset()
    rejected: frozenset[int] = frozenset()
    proposal: frozenset[int] = frozenset()

    @property
    def reviewed(self) -> bool:
        return bool(self.confirmed)


def verdicts(answers: Iterable[Answer]) -> dict[int, tuple[frozenset[int], frozenset[int]]]:
    """Per label: the sentences said to assert its claim (the label among them) and those said
    not to, the later answer winning where one sentence was judged twice."""
    said: dict[int, dict[int, bool]] = defaultdict(dict)
    for answer in answers:
        for sid in answer.yes:
            said[answer.label][sid] = True
        for sid in answer.no:
            said[answer.label][sid] = False
    out = {}
    for label, judged in said.items():
        judged[label] = True  # the label states the claim
        out[label] = (
            frozenset(s for s, v in judged.items() if v),
            frozenset(s for s, v in judged.items() if not v),
        )
    return out


class Neighbours:
    """A story's scored pairs by sentence, for means over sets of sentences (local indexes)."""

    def __init__(self, story: ReviewStory) -> None:
        self.n = len(story)
        self.docs = np.asarray(story.docs)
        self.a = np.concatenate([story.i, story.j]).astype(int)
        b = np.concatenate([story.j, story.i]).astype(int)
        self.p = np.concatenate([story.p, story.p])
        self.X = np.vstack([story.X, story.X]).astype(float)
        self.features = story.features
        self.names = story.evidence
        # The pairs of each sentence y, as positions into a/p/X: by_b[start[y]:start[y + 1]].
        self.by_b = np.argsort(b, kind="stable")
        self.start = np.searchsorted(b[self.by_b], np.arange(self.n + 1))
        self.pair = {
            (int(x), int(y)): float(q) for x, y, q in zip(story.i, story.j, story.p, strict=True)
        }

    def get(self, x: int, y: int) -> float:
        """The pair's probability (0 when it was not scored)."""
        return self.pair.get((x, y) if x < y else (y, x), 0.0)

    def _to(self, core: Sequence[int]) -> np.ndarray:
        """Positions of every pair between a sentence of `core` and another sentence."""
        if not len(core):
            return np.zeros(0, dtype=int)
        return np.concatenate([self.by_b[self.start[y] : self.start[y + 1]] for y in core])

    def mean_to(self, core: Iterable[int]) -> np.ndarray:
        """Per sentence: its mean probability with the sentences of `core` from other articles
        (unscored pairs count 0; NaN where every core sentence is of its own article)."""
        core = sorted(set(core))
        return self._mean(core, self._to(core))

    def _mean(self, core: list[int], edges: np.ndarray) -> np.ndarray:
        sums = np.bincount(self.a[edges], weights=self.p[edges], minlength=self.n)
        doc_ids, counts = np.unique(self.docs[core], return_counts=True)
        same = dict(zip(doc_ids.tolist(), counts.tolist(), strict=True))
        others = len(core) - np.array([same.get(d, 0) for d in self.docs.tolist()])
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(others > 0, sums / np.maximum(others, 1), np.nan)

    def evidence(
        self, core: Iterable[int], label: int, proposal: Iterable[int] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per sentence, what says it asserts the claim of `core` (its confirmed members, or
        all its members while none is), in learner.evidence_names order: the log-odds of its
        mean and best probability with the core's sentences of other articles and of its
        probability with the label, whether the clustering proposed it with the label, and
        the mean of each pair feature over its scored pairs with the core; and a mask of the
        sentences that have such evidence (one of the only article in the core has none)."""
        core = sorted(set(core))
        edges = self._to(core)
        mean = self._mean(core, edges)
        to = self.a[edges]
        best = np.zeros(self.n)
        np.maximum.at(best, to, self.p[edges])
        with_label = np.zeros(self.n)
        from_label = self._to([label])
        with_label[self.a[from_label]] = self.p[from_label]
        proposed = np.zeros(self.n)
        proposed[sorted(set(proposal))] = 1.0
        columns = {
            "mean": logit(np.nan_to_num(mean)),
            "label": logit(with_label),
            "best": logit(best),
            "proposed": proposed,
        }
        scored = np.maximum(np.bincount(to, minlength=self.n), 1)
        X = self.X[edges]
        for k, feature in enumerate(self.features):
            columns[f"mean_{feature}"] = np.bincount(to, weights=X[:, k], minlength=self.n) / scored
        return np.column_stack([columns[name] for name in self.names]), ~np.isnan(mean)

    def centrality(self, members: Sequence[int]) -> dict[int, float]:
        """Each member's mean probability with the members of other articles."""
        out = {}
        for x in members:
            others = [y for y in members if self.docs[y] != self.docs[x]]
            out[x] = sum(self.get(x, y) for y in others) / len(others) if others else 0.0
        return out


@dataclass
class _Draft:
    members: set[int]
    proposal: set[int]
    core: set[int] = field(default_factory=set)
    no: set[int] = field(default_factory=set)


def realign(
    story: ReviewStory,
    answers: Sequence[Answer] = (),
    ages: Mapping[int, int] | None = None,
    prune: Membership | None = None,
) -> tuple[Claim, ...]:
    """The story's claims after `answers`. `ages`: sentence id -> age of each past label
    (lower is older). `prune`: the membership judgement proposed claims are pruned by (None:
    they stand as proposed). Claims of one article are left out. Ordered by label id."""
    index, ids = story.index, story.ids
    claims: dict[int, _Draft] = {}
    for label, (yes, no) in verdicts(answers).items():
        if label not in index:
            continue  # the sentence is no longer in the story
        at = index[label]
        core = {index[s] for s in yes if s in index}
        rejected = {index[s] for s in no if s in index}
        proposal = set(story.proposal_of(at)) or {at}
        members = set(core)
        if len({int(story.docs[x]) for x in core}) >= 2:
            members |= proposal - rejected
        claims[at] = _Draft(members, proposal, core, rejected)
    reviewed = set(claims)
    # A claim whose confirmed members were all confirmed in another is shown as that one,
    # which takes its unconfirmed members too (not those either claim was told no about).
    into = {
        k: min(
            h
            for h, b in claims.items()
            if h != k and a.core <= b.core and (a.core < b.core or h < k)
        )
        for k, a in claims.items()
        if any(
            h != k and a.core <= b.core and (a.core < b.core or h < k) for h, b in claims.items()
        )
    }
    shown_as = {k: k for k in claims}
    for k, h in sorted(into.items()):
        while h in into:  # merged into a claim that is itself merged
            h = into[h]
        shown_as[k] = h
        claims[h].members |= claims[k].members - claims[k].no - claims[h].no
    for k in into:
        del claims[k]
    ages = {index[sid]: age for sid, age in (ages or {}).items() if sid in index}
    queue = [(list(proposal), True) for proposal in story.proposals]
    while queue:
        members, whole = queue.pop(0)
        if whole and reviewed & set(members):
            held = [claims[shown_as[k]].members for k in reviewed & set(members)]
            members = [x for x in members if x not in reviewed and not any(x in m for m in held)]
            if not _agrees(story, members):
                continue
        if not whole and not _agrees(story, members):
            continue
        if any(set(members) <= d.members for d in claims.values()):
            continue
        label = _label(story, members, ages, used=claims.keys())
        kept, parts = _apart(members, label, claims.values())
        if parts:  # the answers split the proposal: each side set apart is a proposal too
            queue += [(part, False) for part in parts]
            members = kept
            if len({int(story.docs[x]) for x in members}) < 2 or not _agrees(story, members):
                continue
            label = label if label in members else _label(story, members, ages, claims.keys())
        if label in claims:
            continue  # every member already labels a claim: nothing new to show
        if prune is not None:
            members = _doubtless(story, members, label, prune)
        claims[label] = _Draft(set(members), set(members))
    out = []
    for label, d in sorted(claims.items()):
        if len({int(story.docs[x]) for x in d.members}) < 2:
            continue
        ordered = [label] + sorted(x for x in d.members if x != label)
        out.append(
            Claim(
                ids[label],
                tuple(ids[x] for x in ordered),
                frozenset(ids[x] for x in d.core),
                frozenset(ids[x] for x in d.no),
                frozenset(ids[x] for x in d.proposal),
            )
        )
    return tuple(sorted(out, key=lambda c: c.label))


def _apart(
    members: list[int], label: int, reviewed: Iterable[_Draft]
) -> tuple[list[int], list[list[int]]]:
    """A proposal split where a person's answers set its sentences apart: where it holds
    sentences confirmed in a reviewed claim and sentences said not to assert that claim, the
    side its label is on stays (without the label on either, the larger side, the confirmed one
    on a tie). Returns what stays and each part set apart (one per reviewed claim)."""
    members, parts = list(members), []
    for d in reviewed:
        yes = [x for x in members if x in d.core]
        no = [x for x in members if x in d.no]
        if not yes or not no:
            continue
        leave = yes if label in d.no or (label not in d.core and len(no) > len(yes)) else no
        parts.append(leave)
        members = [x for x in members if x not in leave]
    return members, parts


def _doubtless(story: ReviewStory, members: list[int], label: int, judge: Membership) -> list[int]:
    """A proposed claim without the members the judgement is confident a person would not
    count in it (Membership.surely_no), the least likely first, one at a time."""
    members = list(members)
    while len(members) > 1:
        evidence, usable = story.near.evidence(members, label, members)
        chance = judge.predict(evidence)
        sure = judge.surely_no(evidence)
        doubtful = [x for x in members if x != label and usable[x] and sure[x]]
        if not doubtful:
            break
        members.remove(min(doubtful, key=lambda x: (chance[x], x)))
    return members


def _agrees(story: ReviewStory, members: list[int]) -> bool:
    """Two articles or more, and the mean probability over the cross-article pairs at the
    threshold (the clustering's rule for a group as a whole; unscored pairs count 0)."""
    pairs = [
        (x, y)
        for a, x in enumerate(members)
        for y in members[a + 1 :]
        if story.docs[x] != story.docs[y]
    ]
    mean = sum(story.near.get(x, y) for x, y in pairs) / len(pairs) if pairs else 0.0
    return bool(pairs) and mean >= story.threshold


def _label(
    story: ReviewStory, members: list[int], ages: Mapping[int, int], used: Iterable[int]
) -> int:
    """A proposed claim's label: the oldest past label among its members, else its most
    central member (a headline first on a tie)."""
    used = set(used)
    kept = [x for x in members if x in ages and x not in used]
    if kept:
        return min(kept, key=lambda x: (ages[x], x))
    central = story.near.centrality(members)
    free = [x for x in members if x not in used] or members
    return max(free, key=lambda x: (round(central[x], 6), bool(story.headline[x]), -x))


def judged_evidence(story: ReviewStory, answers: Sequence[Answer]) -> tuple[np.ndarray, np.ndarray]:
    """Every sentence a person judged (the label aside), its evidence about the claim (against
    the claim's confirmed members as they are now) and the answer (1 yes, 0 no): what the
    membership judgement is refitted on (learner.membership)."""
    rows, y = [], []
    for label, (yes, no) in sorted(verdicts(answers).items()):
        if label not in story.index:
            continue
        at = story.index[label]
        core = {story.index[s] for s in yes if s in story.index}
        # A sentence's evidence leaves out its own article, itself included.
        E, usable = story.near.evidence(core, at, story.proposal_of(at))
        for sid, said in [(s, 1) for s in sorted(yes) if s != label] + [(s, 0) for s in sorted(no)]:
            x = story.index.get(sid)
            if x is not None and usable[x]:
                rows.append(E[x])
                y.append(said)
    return np.array(rows).reshape(len(rows), len(story.evidence)), np.array(y, dtype=float)
