"""Source comparison of a set of articles (an event): facts, contradictions, quotes.

``analyse`` is the one entry point the brief, the timeline and the comparison share: it
reads the articles and what the earlier stages found in them, cuts them into claims,
scores every pair of claims, groups them into facts and finds contradictions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline.analysis import contradictions, grouping, inputs
from storyline.analysis.claims import ArticleInputs, article_claims, outlet, unify_reprints
from storyline.analysis.similarity import Signals, signals
from storyline.copies import independent_origins
from storyline.events.embed import Embedder, make_embedder
from storyline.model import Claim, Comparison, Fact

MAX_CLAIMS = 4000  # beyond this many sentences an event is compared on its lead sentences


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything computed for one set of articles, for the brief, timeline and matrix."""

    comparison: Comparison
    claims: tuple[Claim, ...]
    scores: np.ndarray
    inputs: dict[str, ArticleInputs]
    reliable: dict[str, bool]
    names: dict[str, str]

    def fact_of(self) -> dict[str, Fact]:
        """Claim id -> the fact it belongs to."""
        return {c.id: f for f in self.comparison.facts for c in f.claims}


def claim_signals(
    conn: sqlite3.Connection, article_ids: Sequence[str], embedder: Embedder
) -> tuple[dict[str, ArticleInputs], list[Claim], Signals]:
    """The articles' inputs, their claims and the pairwise signals between the claims (the
    sentence vectors this needs are embedded once and kept in the workspace)."""
    by_id = inputs.load(conn, article_ids)
    claims = _claims(by_id)
    cache = inputs.vector_cache(conn, embedder.name) if embedder.dim else None
    return by_id, claims, signals(claims, embedder, cache)


def analyse(
    conn: sqlite3.Connection,
    article_ids: Sequence[str],
    event_id: int | None = None,
    embedder: Embedder | None = None,
) -> Analysis:
    """Compare what these articles report."""
    chosen = embedder or make_embedder()
    by_id, claims, pairs = claim_signals(conn, article_ids, chosen)
    scores = pairs.combined()
    groups = grouping.cluster(scores)
    facts = grouping.build_facts(claims, scores, groups)
    fact_of_claim = {c.id: f.id for f in facts for c in f.claims}
    fact_ids = sorted({f.id for f in facts}, key=lambda f: int(f[1:]))
    position = {f: n for n, f in enumerate(fact_ids)}
    labels, names = _entity_labels(by_id)
    ctx = contradictions.Context(
        group_of=[position[fact_of_claim[c.id]] for c in claims],
        fact_ids=fact_ids,
        labels=labels,
        names=names,
        article_entities={a: frozenset(m.entity_id for m in i.mentions) for a, i in by_id.items()},
    )
    found = contradictions.find(claims, scores, ctx)
    articles = [i.article for i in by_id.values()]
    comparison = Comparison(
        event_id=event_id,
        article_ids=tuple(by_id),
        sources=tuple(dict.fromkeys(outlet(a) for a in articles)),
        # as the copies stage counts them (a rewrite with a line of its own added is
        # still a copy), not one per article with any sentence of its own
        origins=independent_origins(conn, list(by_id)),
        facts=tuple(facts),
        contradictions=tuple(found),
        quotes=tuple(inputs.quotes(conn, list(by_id))),
        embedder=chosen.name,
    )
    reliable = inputs.reliable_dates(conn, list(by_id))
    return Analysis(comparison, tuple(claims), scores, by_id, reliable, names)


def _claims(by_id: dict[str, ArticleInputs]) -> list[Claim]:
    claims = unify_reprints([c for i in by_id.values() for c in article_claims(i, by_id)])
    if len(claims) > MAX_CLAIMS:
        per_article = max(3, MAX_CLAIMS // max(1, len(by_id)))
        seen: dict[str, int] = {}
        kept = []
        for claim in claims:
            seen[claim.article_id] = seen.get(claim.article_id, 0) + 1
            if seen[claim.article_id] <= per_article:
                kept.append(claim)
        claims = kept
    return claims


def _entity_labels(by_id: dict[str, ArticleInputs]) -> tuple[dict[str, str], dict[str, str]]:
    labels: dict[str, str] = {}
    names: dict[str, str] = {}
    for item in by_id.values():
        for m in item.mentions:
            labels.setdefault(m.entity_id, m.label)
            names.setdefault(m.entity_id, m.name)
    return labels, names
