"""An extractive brief of an event: its most important facts, each sentence cited.

Sentences are chosen by maximal marginal relevance (MMR): each step takes the fact with
the best trade-off between importance (confirmation by independent origins first, then
centrality and position) and dissimilarity to the facts already chosen, so the brief does
not repeat itself. Each chosen fact is stated by one of its claims, verbatim, followed by
the citations of every article reporting it. Disputed figures are not stated as facts:
the brief's disagreements section gives each side in its sources' own words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import numpy as np

from storyline.analysis.claims import source_tally
from storyline.analysis.compare import Analysis
from storyline.model import (
    Brief,
    BriefSentence,
    Citation,
    Claim,
    Contradiction,
    DateMention,
    Disagreement,
    Fact,
)

MAX_SENTENCES = 8
MAX_DISAGREEMENTS = 6
MMR_LAMBDA = 0.7
MIN_WORDS = 8
QUOTED_PENALTY = 0.8
SIDE_SENTENCES = 2  # sentences shown for each side of a disagreement


def make_brief(
    analysis: Analysis, title: str, max_sentences: int = MAX_SENTENCES, lam: float = MMR_LAMBDA
) -> Brief:
    """The brief of the analysed articles."""
    comparison = analysis.comparison
    disputed = {c.id for k in comparison.contradictions for _, side in k.sides for c in side}
    minority = disputed - majority_claims(comparison.contradictions)
    chosen = select(analysis, disputed, minority, max_sentences, lam)
    sentences = tuple(
        replace(cite_fact(analysis, fact, claim), disputed=claim.id in disputed)
        for fact, claim in chosen
    )
    disagreements = tuple(
        disagreement(analysis, k) for k in comparison.contradictions[:MAX_DISAGREEMENTS]
    )
    dated = sorted(i.article.published for i in analysis.inputs.values() if i.article.published)
    named, unnamed = source_tally(i.article for i in analysis.inputs.values())
    return Brief(
        event_id=comparison.event_id,
        title=title,
        sentences=sentences,
        disagreements=disagreements,
        articles=len(comparison.article_ids),
        sources=named,
        origins=comparison.origins,
        first=dated[0] if dated else None,
        last=dated[-1] if dated else None,
        unnamed=unnamed,
    )


def majority_claims(contradictions: Sequence[Contradiction]) -> set[str]:
    """Claims on the side more independent origins take in every contradiction they are
    part of (a brief may state them, marked disputed; never the minority's)."""
    verdict: dict[str, bool] = {}
    for k in contradictions:
        counts = [len({c.origin for c in claims}) for _, claims in k.sides]
        for n, (_, claims) in enumerate(k.sides):
            ahead = all(counts[n] > other for m, other in enumerate(counts) if m != n)
            for c in claims:
                verdict[c.id] = verdict.get(c.id, True) and ahead
    return {claim_id for claim_id, ahead in verdict.items() if ahead}


def select(
    analysis: Analysis, disputed: set[str], minority: set[str], limit: int, lam: float
) -> list[tuple[Fact, Claim]]:
    """Facts by MMR over importance, each with the claim that states it best: one no
    contradiction disputes if any, else one on a majority side."""
    facts, claims, weights = [], [], []
    for fact in analysis.comparison.facts:
        claim = _stating_claim(fact, disputed, minority)
        if claim is not None:
            facts.append(fact)
            claims.append(claim)
            weights.append(fact.importance * (QUOTED_PENALTY if claim.quoted else 1.0))
    if not facts:
        return []
    position = {c.id: n for n, c in enumerate(analysis.claims)}
    rows = np.array([position[c.id] for c in claims])
    similar = analysis.scores[np.ix_(rows, rows)]
    relevance = lam * np.asarray(weights) / (max(weights) or 1.0)
    redundancy = np.zeros(len(facts))
    open_ = np.ones(len(facts), dtype=bool)
    chosen: list[int] = []
    while open_.any() and len(chosen) < limit:
        gain = np.where(open_, relevance - (1.0 - lam) * redundancy, -np.inf)
        best = int(np.argmax(gain))  # the first of equals: facts come ranked
        chosen.append(best)
        open_[best] = False
        redundancy = np.maximum(redundancy, similar[:, best])
    return [(facts[k], claims[k]) for k in chosen]


def _stating_claim(fact: Fact, disputed: set[str], minority: set[str]) -> Claim | None:
    """The fact's best claim that says enough: undisputed if any, else not a minority's."""
    long_enough = [c for c in fact.claims if len(c.text.split()) >= MIN_WORDS]
    undisputed = [c for c in long_enough if c.id not in disputed]
    allowed = [c for c in long_enough if c.id not in minority]
    return (undisputed or allowed)[0] if undisputed or allowed else None


def cite_fact(analysis: Analysis, fact: Fact, claim: Claim) -> BriefSentence:
    """A fact stated by ``claim``, cited with every article that reports the fact, except
    those that contradict ``claim`` (a denial grouped with what it denies is not its source)."""
    against = _contradicting(analysis, claim)
    return sentence_of(
        analysis,
        claim,
        [c.article_id for c in fact.claims if c.id not in against] or fact.articles,
        fact.id,
        fact.origins,
    )


def _contradicting(analysis: Analysis, claim: Claim) -> set[str]:
    """Ids of the claims on another side of a contradiction that ``claim`` is part of."""
    found: set[str] = set()
    for k in analysis.comparison.contradictions:
        sides = [{c.id for c in claims} for _, claims in k.sides]
        if any(claim.id in side for side in sides):
            found |= {c for side in sides if claim.id not in side for c in side}
    return found


def sentence_of(
    analysis: Analysis, claim: Claim, article_ids: Sequence[str], fact_id: str, origins: int
) -> BriefSentence:
    """A claim as a brief sentence: dates resolved in brackets; cited first the article
    the words come from, then the others that report the fact, by date."""
    others = sorted(
        (citation(analysis, a) for a in dict.fromkeys(article_ids) if a != claim.article_id),
        key=_citation_order,
    )
    citations = [citation(analysis, claim.article_id), *others]
    return BriefSentence(
        text=with_resolved_dates(claim),
        source_text=claim.text,
        article_id=claim.article_id,
        citations=tuple(citations),
        fact_id=fact_id,
        origins=origins,
    )


def citation(analysis: Analysis, article_id: str) -> Citation:
    """The citation of one article: outlet, publication date, id."""
    from storyline.analysis.claims import outlet

    article = analysis.inputs[article_id].article
    return Citation(
        article.id, outlet(article), article.published, analysis.reliable.get(article.id, True)
    )


def _citation_order(c: Citation) -> tuple[bool, str, str]:
    return (c.published is None, c.published.isoformat() if c.published else "", c.article_id)


def with_resolved_dates(claim: Claim) -> str:
    """The claim's words, each relative or yearless date followed by its resolved date."""
    text = claim.text
    for mention in sorted(claim.dates, key=lambda d: d.start, reverse=True):
        label = resolved_label(mention)
        if not label:
            continue
        at = mention.end - claim.start
        if 0 < at <= len(text):
            text = f"{text[:at]} [{label}]{text[at:]}"
    return text


def resolved_label(mention: DateMention) -> str:
    """ "14 March 2025" for a relative or yearless mention; "" when it needs none."""
    value = mention.value
    if value is None or _has_year(mention.text):
        return ""
    if mention.granularity == "day":
        return f"{value.day} {value:%B %Y}"
    if mention.granularity == "week":
        return f"week of {value.day} {value:%B %Y}"
    if mention.granularity == "month":
        return f"{value:%B %Y}"
    return f"{value.year}"


def _has_year(text: str) -> bool:
    return any(part.isdigit() and len(part) == 4 for part in text.replace(",", " ").split())


def disagreement(analysis: Analysis, contradiction: Contradiction) -> Disagreement:
    """A contradiction with each side's claims as cited sentences."""
    fact_of = analysis.fact_of()
    sides = []
    for value, claims in contradiction.sides:
        shown = []
        for claim in _one_per_origin(claims):
            fact = fact_of[claim.id]
            same = [c.article_id for c in fact.claims if _same_words(c, claim)]
            shown.append(sentence_of(analysis, claim, same, fact.id, 1))
        sides.append((value, tuple(shown[:SIDE_SENTENCES])))
    return Disagreement(contradiction.kind, contradiction.topic, tuple(sides))


def _one_per_origin(claims: Sequence[Claim]) -> list[Claim]:
    seen: dict[str, Claim] = {}
    for claim in claims:
        seen.setdefault(claim.origin, claim)
    return list(seen.values())


def _same_words(a: Claim, b: Claim) -> bool:
    return a.origin == b.origin


def day_of(claim: Claim) -> date | None:
    """The day the claim's article was published."""
    return claim.published.date() if claim.published else None
