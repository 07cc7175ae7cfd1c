"""Scoring claim clusters against a hand-made gold, in the format of `shared/stories/`.

A gold file has rows `cluster, strength, file, substring`: a sentence of `file` belongs to the
cluster when it contains the substring; `must` rows clearly assert the claim, `ok` rows overlap
partly. Scoring is over pairs of sentences from different articles:

- precision: the share of produced pairs whose two sentences share a gold cluster (must or ok);
- recall: the share of the gold's must pairs that fall in one produced cluster;
- both for all languages and for pairs of German and English articles only, and recall per
  language pair. Misses and wrong pairs are listed so they can be read, not only counted;
- claim purity: the share of produced claims with members from two or more articles whose
  members all lie in one gold cluster (must or ok): what a reader sees is a claim, and one
  stray member makes it wrong however many pairs are right. The impure claims are listed.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsalign.corpus.errors import CorpusError

STRENGTHS = ("must", "ok")


@dataclass(frozen=True)
class GoldRow:
    cluster: str
    strength: str
    file: str
    substring: str


@dataclass(frozen=True)
class Sentence:
    """A sentence as the scorer sees it: its article (file name), language and text."""

    id: int
    file: str
    lang: str
    text: str


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    pairs: int  # produced cross-article pairs
    correct: int
    must_pairs: int
    found: int


@dataclass(frozen=True)
class Evaluation:
    """Scores for all languages and German/English only, recall per language pair, and the
    pairs behind them."""

    all: Score
    de_en: Score
    recall_by_pair: dict[str, tuple[int, int]]  # "de-en": (found, must pairs)
    wrong: tuple[tuple[int, int], ...]
    missed: tuple[tuple[int, int], ...]
    unmatched_rows: tuple[GoldRow, ...] = field(default=())  # gold rows no sentence contains


@dataclass(frozen=True)
class Purity:
    """Of the produced claims with members from two or more articles (`claims`), how many have
    every member in one gold cluster (`pure`); the others' members (`impure`)."""

    share: float
    pure: int
    claims: int
    impure: tuple[tuple[int, ...], ...]


def read_gold(path: Path) -> list[GoldRow]:
    """Rows of a gold TSV; comment lines (#) are skipped; a malformed row names its line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 4 or cells[1] not in STRENGTHS or not cells[3].strip():
            raise CorpusError(f"{path.name} line {number}: expected cluster, must|ok, file, text")
        rows.append(GoldRow(cells[0], cells[1], cells[2], cells[3].strip()))
    return rows


def memberships(
    rows: Iterable[GoldRow], sentences: Iterable[Sentence]
) -> tuple[dict[int, dict[str, str]], list[GoldRow]]:
    """Per sentence id: its gold clusters and strength (must wins over ok); and the rows that
    no sentence contains (a segmentation that split the gold's substring)."""
    by_file: dict[str, list[Sentence]] = defaultdict(list)
    for s in sentences:
        by_file[s.file].append(s)
    out: dict[int, dict[str, str]] = defaultdict(dict)
    unmatched = []
    for row in rows:
        hits = [s for s in by_file.get(row.file, ()) if row.substring in s.text]
        if not hits:
            unmatched.append(row)
        for s in hits:
            if out[s.id].get(row.cluster) != "must":
                out[s.id][row.cluster] = row.strength
    return out, unmatched


def _pair_key(a: Sentence, b: Sentence) -> str:
    return "-".join(sorted((a.lang or "?", b.lang or "?")))


def _cross_pairs(
    groups: Iterable[Iterable[int]], sentences: Mapping[int, Sentence]
) -> set[tuple[int, int]]:
    """The pairs of sentences of different articles within each group."""
    out: set[tuple[int, int]] = set()
    for group in groups:
        for a, b in itertools.combinations(sorted(set(group)), 2):
            if sentences[a].file != sentences[b].file:
                out.add((a, b))
    return out


def evaluate(
    gold: list[GoldRow],
    sentences: Mapping[int, Sentence],
    clusters: Iterable[Iterable[int]],
    de_en: tuple[str, ...] = ("de", "en"),
) -> Evaluation:
    """Score produced `clusters` (sentence ids) against `gold` over `sentences`."""
    member, unmatched = memberships(gold, sentences.values())
    produced = _cross_pairs(clusters, sentences)
    musts_by_cluster: dict[str, list[int]] = defaultdict(list)
    for sid, clusters_of in member.items():
        for c, strength in clusters_of.items():
            if strength == "must":
                musts_by_cluster[c].append(sid)
    must = _cross_pairs(musts_by_cluster.values(), sentences)

    def shares(a: int, b: int) -> bool:
        return bool(set(member.get(a, {})) & set(member.get(b, {})))

    def score(keep) -> Score:
        pairs = [p for p in produced if keep(p)]
        wanted = [p for p in must if keep(p)]
        correct = sum(shares(*p) for p in pairs)
        found = sum(p in produced for p in wanted)
        precision = correct / len(pairs) if pairs else 0.0
        recall = found / len(wanted) if wanted else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return Score(precision, recall, f1, len(pairs), correct, len(wanted), found)

    def both_de_en(p: tuple[int, int]) -> bool:
        return all(sentences[x].lang in de_en for x in p)

    by_pair: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in must:
        key = _pair_key(sentences[p[0]], sentences[p[1]])
        by_pair[key][1] += 1
        by_pair[key][0] += p in produced
    return Evaluation(
        all=score(lambda p: True),
        de_en=score(both_de_en),
        recall_by_pair={k: (v[0], v[1]) for k, v in sorted(by_pair.items())},
        wrong=tuple(sorted(p for p in produced if not shares(*p))),
        missed=tuple(sorted(p for p in must if p not in produced)),
        unmatched_rows=tuple(unmatched),
    )


def purity(
    gold: list[GoldRow],
    sentences: Mapping[int, Sentence],
    clusters: Iterable[Iterable[int]],
    langs: tuple[str, ...] | None = None,
) -> Purity:
    """Claim purity of `clusters` (sentence ids). A member in no gold cluster makes its claim
    impure (the gold is exhaustive: it reports no claim another article shares). `langs`: each
    claim restricted to its members in these languages first (German/English: ("de", "en"))."""
    member, _ = memberships(gold, sentences.values())
    pure, counted, impure = 0, 0, []
    for cluster in clusters:
        ids = sorted({x for x in cluster if langs is None or sentences[x].lang in langs})
        if len({sentences[x].file for x in ids}) < 2:
            continue
        counted += 1
        if set.intersection(*(set(member.get(x, {})) for x in ids)):
            pure += 1
        else:
            impure.append(tuple(ids))
    return Purity(pure / counted if counted else 0.0, pure, counted, tuple(impure))
