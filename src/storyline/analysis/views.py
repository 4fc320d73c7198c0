"""JSON-ready views of briefs, comparisons, timelines and storylines (the ``--json`` and
``--format json`` output, and the data the Markdown and HTML renderers agree on)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from storyline.analysis.matrix import Matrix
from storyline.model import (
    Brief,
    BriefSentence,
    Citation,
    Claim,
    Comparison,
    Contradiction,
    Fact,
    Quote,
    Storyline,
    Timeline,
)


def iso(value: date | datetime | None) -> str | None:
    """An ISO date or datetime, or None."""
    return value.isoformat() if value is not None else None


def citation_dict(c: Citation) -> dict[str, Any]:
    """A citation: outlet, publication date, article id."""
    return {
        "article_id": c.article_id,
        "source": c.source,
        "published": iso(c.published),
        "date_reliable": c.date_reliable,
    }


def sentence_dict(s: BriefSentence) -> dict[str, Any]:
    """A cited sentence: what is shown, the article's own words, the citations."""
    return {
        "text": s.text,
        "source_text": s.source_text,
        "article_id": s.article_id,
        "fact_id": s.fact_id,
        "origins": s.origins,
        "disputed": s.disputed,
        "citations": [citation_dict(c) for c in s.citations],
    }


def brief_dict(brief: Brief) -> dict[str, Any]:
    """A brief as JSON values."""
    return {
        "event_id": brief.event_id,
        "title": brief.title,
        "articles": brief.articles,
        "sources": brief.sources,
        "unnamed": brief.unnamed,
        "origins": brief.origins,
        "first": iso(brief.first),
        "last": iso(brief.last),
        "sentences": [sentence_dict(s) for s in brief.sentences],
        "disagreements": [
            {
                "kind": d.kind,
                "topic": d.topic,
                "sides": [
                    {"value": v, "sentences": [sentence_dict(s) for s in ss]} for v, ss in d.sides
                ],
            }
            for d in brief.disagreements
        ],
    }


def claim_dict(c: Claim) -> dict[str, Any]:
    """A claim: the sentence, where it is, what it mentions."""
    return {
        "id": c.id,
        "article_id": c.article_id,
        "index": c.index,
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "source": c.source,
        "published": iso(c.published),
        "origin": c.origin,
        "entities": list(c.entities),
        "quantities": [
            {
                "text": q.text,
                "value": q.value,
                "unit": q.unit,
                "kind": q.kind,
                "low": q.low,
                "high": q.high if q.high != float("inf") else None,
            }
            for q in c.quantities
        ],
        "dates": [
            {"text": d.text, "value": iso(d.value), "granularity": d.granularity} for d in c.dates
        ],
        "denial": c.denial,
        "quoted": c.quoted,
    }


def fact_dict(f: Fact) -> dict[str, Any]:
    """A fact with its claims and sources."""
    return {
        "id": f.id,
        "text": f.lead.text,
        "sources": list(f.sources),
        "origins": f.origins,
        "articles": list(f.articles),
        "importance": f.importance,
        "happened": iso(f.happened),
        "claims": [claim_dict(c) for c in f.claims],
    }


def contradiction_dict(k: Contradiction) -> dict[str, Any]:
    """A contradiction with its sides."""
    return {
        "kind": k.kind,
        "topic": k.topic,
        "reason": k.reason,
        "facts": list(k.facts),
        "sides": [
            {
                "value": v,
                "claims": [
                    {"id": c.id, "article_id": c.article_id, "source": c.source, "text": c.text}
                    for c in cs
                ],
            }
            for v, cs in k.sides
        ],
    }


def quote_dict(q: Quote) -> dict[str, Any]:
    """A quote as the comparison lists it."""
    return {
        "article_id": q.article_id,
        "speaker": q.speaker_name or q.speaker,
        "anonymous": q.anonymous,
        "kind": q.kind,
        "verb": q.verb,
        "text": q.text,
        "quote_id": q.quote_id,
        "repeats": q.repeats,
    }


def comparison_dict(c: Comparison, matrix: Matrix, outlets: dict[str, str]) -> dict[str, Any]:
    """A comparison with its matrix and quotes by outlet (``outlets``: article -> outlet)."""
    by_source: dict[str, list[dict[str, Any]]] = {}
    for q in c.quotes:
        by_source.setdefault(outlets.get(q.article_id, "?"), []).append(quote_dict(q))
    return {
        "event_id": c.event_id,
        "articles": list(c.article_ids),
        "sources": list(c.sources),
        "origins": c.origins,
        "embedder": c.embedder,
        "facts": [fact_dict(f) for f in c.facts],
        "single_source": [f.id for f in c.single_source],
        "contradictions": [contradiction_dict(k) for k in c.contradictions],
        "quotes": by_source,
        "matrix": {
            "sources": list(matrix.sources),
            "rows": [
                {"fact": f.id, "text": f.lead.text, "cells": list(cells)}
                for f, cells in zip(matrix.facts, matrix.cells, strict=True)
            ],
            "hidden": matrix.hidden,
        },
    }


def timeline_dict(t: Timeline) -> dict[str, Any]:
    """A timeline as JSON values."""
    return {
        "event_id": t.event_id,
        "entries": [
            {"day": iso(e.day), "kind": e.kind, **sentence_dict(e.sentence)} for e in t.entries
        ],
        "event_dates": [
            {"date": iso(d), "citations": [citation_dict(c) for c in cs]} for d, cs in t.event_dates
        ],
    }


def storyline_dict(s: Storyline) -> dict[str, Any]:
    """A storyline with its events and the reasons for its links."""
    return {
        "id": s.id,
        "title": s.title,
        "events": list(s.events),
        "first_day": iso(s.first_day),
        "last_day": iso(s.last_day),
        "links": [
            {
                "earlier": k.earlier,
                "later": k.later,
                "score": k.score,
                "reason": k.reason,
                "shared": list(k.shared),
            }
            for k in s.links
        ],
    }
