"""Group claims that say the same thing into facts, and rank the facts by importance.

Grouping is average-linkage agglomerative clustering of the pairwise scores of
``similarity``: two groups join while the mean score between their claims stays above
``GROUP_THRESHOLD``, so one loose pair cannot chain unrelated sentences together.
A fact's importance favours confirmation by several independent origins, then how
central the fact is to the event and how early in their articles its claims come.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from storyline.model import Claim, Fact

GROUP_THRESHOLD = 0.6


def cluster(scores: np.ndarray, threshold: float = GROUP_THRESHOLD) -> list[list[int]]:
    """Indices of the claims grouped together, each group in index order."""
    n = scores.shape[0]
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    distance = 1.0 - np.clip((scores + scores.T) / 2.0, 0.0, 1.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=lambda g: g[0])


def build_facts(claims: Sequence[Claim], scores: np.ndarray, groups: list[list[int]]) -> list[Fact]:
    """Facts from groups of claims, most important first, ids F1, F2, ..."""
    centrality = _centrality(claims, scores)
    spread = float(centrality.max() - centrality.min()) if len(claims) > 1 else 0.0
    drafts = []
    for group in groups:
        ordered = _lead_first(claims, scores, group)
        members = [claims[i] for i in ordered]
        origins = len({c.origin for c in members})
        central = float(centrality[group].mean() - centrality.min()) / spread if spread else 0.0
        early = 1.0 / (1.0 + min(c.index for c in members) / 3.0)
        importance = math.log2(1 + origins) + 0.5 * central + 0.5 * early
        drafts.append((importance, members, origins))
    drafts.sort(key=lambda d: (-d[0], _first_seen(d[1]), d[1][0].id))
    return [
        Fact(
            id=f"F{number}",
            claims=tuple(members),
            articles=tuple(dict.fromkeys(c.article_id for c in members)),
            sources=tuple(dict.fromkeys(c.source for c in members)),
            origins=origins,
            importance=round(importance, 4),
            happened=_happened(members),
        )
        for number, (importance, members, origins) in enumerate(drafts, start=1)
    ]


def _centrality(claims: Sequence[Claim], scores: np.ndarray) -> np.ndarray:
    """How much of what the other independent origins say each claim echoes: the mean,
    over the other origins, of its best score with one of their claims (reprints of a
    wire text count once, so they do not make it central)."""
    n = len(claims)
    origins = sorted({c.origin for c in claims})
    if n == 0 or len(origins) < 2:
        return np.zeros(n)
    column = {o: k for k, o in enumerate(origins)}
    best = np.zeros((n, len(origins)))
    for k, origin in enumerate(origins):
        members = [i for i, c in enumerate(claims) if c.origin == origin]
        best[:, k] = scores[:, members].max(axis=1)
    own = np.array([column[c.origin] for c in claims])
    best[np.arange(n), own] = 0.0
    return best.sum(axis=1) / (len(origins) - 1)


def _lead_first(claims: Sequence[Claim], scores: np.ndarray, group: list[int]) -> list[int]:
    """The group's claims, the one that states the fact best first, then by date."""
    if len(group) == 1:
        return list(group)
    inner = scores[np.ix_(group, group)].mean(axis=1)

    def fitness(position: int) -> float:
        claim = claims[group[position]]
        words = len(claim.text.split())
        length = 1.0 if 12 <= words <= 40 else 0.8
        return float(inner[position]) * length * (0.85 if claim.quoted else 1.0)

    def own(position: int) -> bool:
        claim = claims[group[position]]
        return claim.article_id == claim.origin  # the original, not a reprint

    best = max(range(len(group)), key=lambda p: (round(fitness(p), 6), own(p), -p))
    rest = sorted((i for p, i in enumerate(group) if p != best), key=lambda i: _when(claims[i]))
    return [group[best], *rest]


def _when(claim: Claim) -> tuple[bool, str, str]:
    published = claim.published.isoformat() if claim.published else ""
    return (claim.published is None, published, claim.id)


def _first_seen(members: Sequence[Claim]) -> str:
    dated = [c.published.isoformat() for c in members if c.published]
    return min(dated) if dated else "~"


def _happened(members: Sequence[Claim]) -> date | None:
    """The day most of the claims name (day-granular resolved dates), if any."""
    days: dict[date, int] = {}
    for claim in members:
        for value in {d.value for d in claim.dates if d.value and d.granularity == "day"}:
            days[value] = days.get(value, 0) + 1
    if not days:
        return None
    return max(days.items(), key=lambda kv: (kv[1], str(kv[0])))[0]
