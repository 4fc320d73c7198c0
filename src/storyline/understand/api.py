"""Read side of the understand stage for the Python API and CLI: JSON-ready views."""

from __future__ import annotations

import importlib
import sqlite3
from dataclasses import asdict
from typing import Any

from storyline.errors import NotFound, StorylineError
from storyline.model import Entity
from storyline.store import understand as db


def event_articles(conn: sqlite3.Connection, event: int | str) -> list[str]:
    """Article ids of an event, from the events stage's store module."""
    try:
        events = importlib.import_module("storyline.store.events")
    except ImportError:
        events = None
    lookup = getattr(events, "articles_of_event", None) or getattr(
        events, "event_article_ids", None
    )
    if lookup is None:
        raise StorylineError(
            "--event needs the events stage, which this storyline does not have yet: "
            "list entities without --event"
        )
    try:
        ids = list(lookup(conn, int(event)))
    except (sqlite3.OperationalError, ValueError) as error:
        raise StorylineError(
            f"no events in this workspace ({error}): ingest with the events stage first"
        ) from error
    if not ids:
        raise NotFound(f"no event {event}: list events with `storyline events`")
    return ids


def entities(
    conn: sqlite3.Connection,
    event: int | str | None,
    limit: int | None,
    label: str | None,
    offset: int = 0,
) -> list[Entity]:
    """Entities by mention count, of one event's articles when given."""
    ids = event_articles(conn, event) if event is not None else None
    return db.list_entities(conn, ids, limit, label, offset=offset)


def count_entities(conn: sqlite3.Connection, event: int | str | None, label: str | None) -> int:
    """How many entities ``entities`` lists (of one event's articles when given)."""
    ids = event_articles(conn, event) if event is not None else None
    return db.count_entities(conn, ids, label)


def entity(conn: sqlite3.Connection, name: str) -> dict[str, Any]:
    """One entity with its name forms, links (merge evidence) and latest articles."""
    found = db.find_entities(conn, name)
    if not found:
        raise NotFound(f"no entity named {name!r}: list them with `storyline entities`")
    if len(found) > 1:
        choices = ", ".join(f"{e.id} ({e.name}, {e.label})" for e in found[:8])
        raise NotFound(f"{name!r} names several entities: {choices}; give the id instead")
    chosen = found[0]
    return {
        "entity": chosen,
        "links": db.entity_links(conn, chosen.id),
        "articles": db.entity_articles(conn, chosen.id),
    }


def entity_dict(e: Entity) -> dict[str, Any]:
    """An entity as plain JSON values."""
    return {**asdict(e), "aliases": list(e.aliases)}


def article_view(conn: sqlite3.Connection, article_id: str) -> dict[str, Any]:
    """An article's entities (grouped by entity), dates and quotes as JSON values."""
    mentions = db.article_entities(conn, [article_id])[article_id]
    grouped: dict[str, dict[str, Any]] = {}
    for m in mentions:
        item = grouped.setdefault(
            m.entity_id, {"id": m.entity_id, "name": m.name, "label": m.label, "mentions": []}
        )
        item["mentions"].append({"text": m.text, "start": m.start, "end": m.end})
    dates = db.article_dates(conn, article_id)
    return {
        "entities": sorted(grouped.values(), key=lambda e: -len(e["mentions"])),
        "dates": _dates_dict(dates) if dates else None,
        "quotes": [
            {**asdict(q), "sources": len(db.quote_sources(conn, q.quote_id))}
            for q in db.article_quotes(conn, article_id)
        ],
    }


def _dates_dict(dates: Any) -> dict[str, Any]:
    return {
        "published": dates.published.isoformat() if dates.published else None,
        "published_source": dates.published_source,
        "published_reliable": dates.published_reliable,
        "published_evidence": dates.published_evidence,
        "event_date": dates.event_date.isoformat() if dates.event_date else None,
        "event_evidence": dates.event_evidence,
        "mentions": [
            {**asdict(m), "value": m.value.isoformat() if m.value else None} for m in dates.mentions
        ],
    }
