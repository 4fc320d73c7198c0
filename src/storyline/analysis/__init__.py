"""What happened (see DESIGN.md): per-event source comparison, timelines, briefs in which
every sentence is cited, and storylines linking events.

Public functions, each taking the workspace's ``sqlite3.Connection``:

- ``analyse_event(conn, event_id)``: the shared ``Analysis`` (claims, facts, scores);
- ``compare_event``, ``brief_event``, ``timeline_event``: the comparison, the brief and
  the timeline of one event;
- ``event_views(conn, event_id)``: all three as JSON-ready dicts from one analysis;
- ``storylines(conn)`` and ``storyline(conn, ref)``: events linked into stories;
- ``check_citations(brief, articles)``: every sentence a sentence of a cited article;
- ``prepare(conn, event_ids)``: embed and keep the events' sentences ahead of time.

Nothing here runs at ingest: an event is analysed when asked for, and the sentence
embeddings it needs are kept in the workspace for the next time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from storyline.analysis.brief import make_brief
from storyline.analysis.citations import check_citations
from storyline.analysis.compare import Analysis, analyse, claim_signals
from storyline.analysis.inputs import event_article_ids, event_dates
from storyline.analysis.matrix import Matrix, make_matrix
from storyline.analysis.storylines import storylines
from storyline.analysis.timeline import make_timeline
from storyline.analysis.views import brief_dict, comparison_dict, timeline_dict
from storyline.errors import NotFound
from storyline.events.embed import Embedder
from storyline.model import Brief, Comparison, Storyline, Timeline
from storyline.store import events as events_db

__all__ = [
    "Analysis",
    "Matrix",
    "analyse_event",
    "brief_event",
    "check_citations",
    "compare_event",
    "event_views",
    "make_matrix",
    "prepare",
    "storyline",
    "storylines",
    "timeline_event",
]


def analyse_event(
    conn: sqlite3.Connection, event_id: int, embedder: Embedder | None = None
) -> Analysis:
    """Compare what the articles of one event report."""
    return analyse(conn, event_article_ids(conn, event_id), event_id, embedder)


def analyse_articles(
    conn: sqlite3.Connection, article_ids: Sequence[str], embedder: Embedder | None = None
) -> Analysis:
    """Compare what any set of articles reports (not necessarily one event)."""
    return analyse(conn, list(article_ids), None, embedder)


def compare_event(
    conn: sqlite3.Connection, event_id: int, embedder: Embedder | None = None
) -> Comparison:
    """The source comparison of one event."""
    return analyse_event(conn, event_id, embedder).comparison


def brief_event(
    conn: sqlite3.Connection,
    event_id: int,
    embedder: Embedder | None = None,
    max_sentences: int = 8,
) -> Brief:
    """The cited brief of one event."""
    return make_brief(
        analyse_event(conn, event_id, embedder), event_title(conn, event_id), max_sentences
    )


def timeline_event(
    conn: sqlite3.Connection, event_id: int, embedder: Embedder | None = None
) -> Timeline:
    """The timeline of one event."""
    analysis = analyse_event(conn, event_id, embedder)
    return make_timeline(analysis, _event_dates(conn, analysis))


def event_views(
    conn: sqlite3.Connection,
    event_id: int,
    embedder: Embedder | None = None,
    max_sentences: int = 8,
) -> dict[str, Any]:
    """Brief, timeline and comparison (with its matrix) of one event, as JSON values."""
    analysis = analyse_event(conn, event_id, embedder)
    return views_of(
        analysis, event_title(conn, event_id), _event_dates(conn, analysis), max_sentences
    )


def views_of(
    analysis: Analysis, title: str, dates: dict[str, Any], max_sentences: int = 8
) -> dict[str, Any]:
    """Brief, timeline and comparison of an analysis, as JSON values."""
    from storyline.analysis.claims import outlet

    comparison = analysis.comparison
    outlets = {a: outlet(i.article) for a, i in analysis.inputs.items()}
    return {
        "brief": brief_dict(make_brief(analysis, title, max_sentences)),
        "timeline": timeline_dict(make_timeline(analysis, dates)),
        "comparison": comparison_dict(comparison, make_matrix(comparison), outlets),
    }


def event_title(conn: sqlite3.Connection, event_id: int) -> str:
    """ "Event 4: halask · valdoria · brisany" (the events stage's label)."""
    row = events_db.event_row(conn, event_id)
    label = row.get("label") or ""
    return f"Event {event_id}: {label}" if label else f"Event {event_id}"


def _event_dates(conn: sqlite3.Connection, analysis: Analysis) -> dict[str, Any]:
    return event_dates(conn, [i.article for i in analysis.inputs.values()])


def prepare(
    conn: sqlite3.Connection,
    event_ids: Sequence[int] | None = None,
    embedder: Embedder | None = None,
) -> dict[str, int]:
    """Embed and keep the sentences the comparisons of these events (default: every
    active event) need, so that their comparisons and briefs later build without
    waiting for the encoder.

    Returns how many events were prepared, how many claims they hold, and how many
    sentences were newly embedded.
    """
    from storyline.events.embed import make_embedder
    from storyline.store import analysis as db

    chosen = embedder or make_embedder()
    ids = list(event_ids) if event_ids is not None else [r["id"] for r in db.active_events(conn)]
    before = db.count_vectors(conn)
    claims = 0
    for event_id in ids:  # the signals embed what the comparison will need, nothing more
        claims += len(claim_signals(conn, event_article_ids(conn, event_id), chosen)[1])
    fresh = db.count_vectors(conn) - before
    return {"events": len(ids), "sentences": claims, "embedded": fresh if chosen.dim else 0}


def storyline(conn: sqlite3.Connection, ref: int) -> Storyline:
    """One storyline by its id, or the storyline an event belongs to."""
    found = storylines(conn)
    for item in found:
        if item.id == ref:
            return item
    for item in found:
        if ref in item.events:
            return item
    raise NotFound(
        f"no storyline {ref}: event {ref} is linked to no other event; "
        "list storylines with `storyline storylines`"
    )
