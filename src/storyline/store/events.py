"""SQL for events: members, decisions, features, lineage (the events stage's store)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import numpy as np

from storyline.errors import NotFound
from storyline.events.cluster import Decision
from storyline.events.features import Features, Understood
from storyline.events.rarity import NameRarity


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def understanding(conn: sqlite3.Connection, article_ids: Sequence[str]) -> dict[str, Understood]:
    """What the understand stage found about each article's time. Empty when that stage
    did not run."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'article_dates'"
    ).fetchone()
    if not exists or not article_ids:
        return {}
    found: dict[str, Understood] = {}
    for start in range(0, len(article_ids), 500):
        chunk = list(article_ids[start : start + 500])
        marks = ", ".join("?" for _ in chunk)
        rows = conn.execute(
            "SELECT d.article_id, d.event_date, d.published_reliable,"
            " (SELECT max(m.value) FROM date_mentions m WHERE m.article_id = d.article_id"
            "  AND m.method LIKE '%+year%' AND m.granularity IN ('day', 'month'))"
            f" FROM article_dates d WHERE d.article_id IN ({marks})",
            chunk,
        )
        found.update({r[0]: Understood(r[1], bool(r[2]), r[3]) for r in rows})
    return found


def name_rarity(conn: sqlite3.Connection) -> NameRarity:
    """The stored name counts (articles per name, and in all)."""
    counts = dict(conn.execute("SELECT name, articles FROM event_name_counts").fetchall())
    total = counts.pop("", 0)
    return NameRarity(counts, total)


def add_name_counts(conn: sqlite3.Connection, counts: Mapping[str, int], total: int) -> None:
    """Add newly clustered articles' names to the stored counts."""
    if not total:
        return
    conn.executemany(
        "INSERT INTO event_name_counts (name, articles) VALUES (?, ?) ON CONFLICT (name)"
        " DO UPDATE SET articles = articles + excluded.articles",
        [*counts.items(), ("", total)],
    )


def new_event(conn: sqlite3.Connection) -> int:
    """Create an empty event and return its id (ids are never reused)."""
    now = _now()
    cursor = conn.execute("INSERT INTO events (created_at, updated_at) VALUES (?, ?)", (now, now))
    return int(cursor.lastrowid or 0)


def feature_row(f: Features) -> tuple[Any, ...]:
    """The ``event_features`` values of an article."""
    vector = f.vector.astype(np.float16).tobytes() if f.vector.size else None
    return (
        f.article_id, f.day, int(f.dated), json.dumps(f.terms), json.dumps(f.title),
        json.dumps(f.names), vector, f.source, f.headline,
    )  # fmt: skip


def row_features(row: sqlite3.Row) -> Features:
    """Features from an ``event_features`` row."""
    blob = row["vector"]
    vector = (
        np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        if blob
        else np.zeros(0, dtype=np.float32)
    )
    return Features(
        article_id=row["article_id"],
        day=row["day"],
        dated=bool(row["dated"]),
        terms=json.loads(row["terms"]),
        title=json.loads(row["title"]),
        names=json.loads(row["names"]),
        vector=vector,
        source=row["source"],
        headline=row["headline"],
    )


def save_assignment(
    conn: sqlite3.Connection,
    f: Features,
    decision: Decision,
    weights: dict[str, float],
    event_stats: tuple[int, float | None, float | None, float, str],
) -> None:
    """Store an article's features, its decision and membership, and the event's stats."""
    conn.execute(
        "INSERT OR REPLACE INTO event_features (article_id, day, dated, terms, title, names,"
        " vector, source, headline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        feature_row(f),
    )
    conn.execute(
        "INSERT OR REPLACE INTO event_decisions (article_id, event_id, action, reason,"
        " threshold, candidates, weights, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            decision.article_id, decision.event_id, decision.action, decision.reason,
            decision.threshold, json.dumps([asdict(c) for c in decision.candidates]),
            json.dumps(weights), _now(),
        ),
    )  # fmt: skip
    set_member(conn, f.article_id, decision.event_id)
    update_event(conn, decision.event_id, *event_stats)


def set_member(conn: sqlite3.Connection, article_id: str, event_id: int) -> None:
    """Put an article in an event (moving it if it was elsewhere)."""
    conn.execute(
        "INSERT INTO event_members (article_id, event_id, seq)"
        " VALUES (?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM event_members))"
        " ON CONFLICT (article_id) DO UPDATE SET event_id = excluded.event_id",
        (article_id, event_id),
    )


def update_event(
    conn: sqlite3.Connection,
    event_id: int,
    size: int,
    first: float | None,
    last: float | None,
    seen: float,
    label: str,
) -> None:
    """Refresh an event's size, day range, last-seen day and label."""
    conn.execute(
        "UPDATE events SET size = ?, first_day = ?, last_day = ?, seen_day = ?, label = ?,"
        " updated_at = ? WHERE id = ?",
        (size, first, last, seen, label, _now(), event_id),
    )


def active_event_members(
    conn: sqlite3.Connection, since_day: float, until_day: float | None = None
) -> Iterator[tuple[int, list[Features]]]:
    """Active events seen on or after ``since_day``, with their members' features."""
    sql = "SELECT id FROM events WHERE status = 'active' AND seen_day >= ?"
    params: list[Any] = [since_day]
    if until_day is not None:
        sql += " AND (first_day IS NULL OR first_day <= ?)"
        params.append(until_day)
    for (event_id,) in conn.execute(sql + " ORDER BY id", params).fetchall():
        yield event_id, members_features(conn, event_id)


def members_features(conn: sqlite3.Connection, event_id: int) -> list[Features]:
    """The stored features of an event's articles, in the order they joined."""
    rows = conn.execute(
        "SELECT f.* FROM event_features f JOIN event_members m USING (article_id)"
        " WHERE m.event_id = ? ORDER BY m.seq",
        (event_id,),
    )
    return [row_features(row) for row in rows]


def features_since(conn: sqlite3.Connection, since_day: float | None) -> list[Features]:
    """Features of every clustered article from ``since_day`` on, in date order."""
    sql = "SELECT f.* FROM event_features f JOIN event_members m USING (article_id)"
    params: tuple[Any, ...] = ()
    if since_day is not None:
        sql += " WHERE f.day >= ?"
        params = (since_day,)
    return [row_features(r) for r in conn.execute(sql + " ORDER BY f.day, m.seq", params)]


def max_day(conn: sqlite3.Connection) -> float | None:
    """The latest day of any active event."""
    row = conn.execute("SELECT max(seen_day) FROM events WHERE status = 'active'").fetchone()
    return None if row[0] is None else float(row[0])


def membership(conn: sqlite3.Connection, article_ids: Sequence[str]) -> dict[str, int]:
    """The current event of each article."""
    return _member_column(conn, article_ids, "event_id")


def clustering_order(conn: sqlite3.Connection, article_ids: Sequence[str]) -> dict[str, int]:
    """The position in which each article was clustered (its membership's sequence)."""
    return _member_column(conn, article_ids, "seq")


def _member_column(
    conn: sqlite3.Connection, article_ids: Sequence[str], column: str
) -> dict[str, int]:
    marks = ", ".join("?" for _ in article_ids)
    rows = conn.execute(
        f"SELECT article_id, {column} FROM event_members WHERE article_id IN ({marks})",
        list(article_ids),
    )
    return {r[0]: r[1] for r in rows}


def record_lineage(
    conn: sqlite3.Connection, old: int, new: int, kind: str, articles: int, reason: str
) -> None:
    """Record that (part of) event ``old`` continues as ``new``."""
    conn.execute(
        "INSERT INTO event_lineage (old_event, new_event, kind, articles, reason, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (old, new, kind, articles, reason, _now()),
    )


def note_recluster(conn: sqlite3.Connection, article_id: str, event_id: int, reason: str) -> None:
    """Update an article's stored decision after a recluster moved it."""
    conn.execute(
        "UPDATE event_decisions SET event_id = ?, action = 'reclustered',"
        " reason = reason || '; then ' || ? WHERE article_id = ?",
        (event_id, reason, article_id),
    )


def set_status(conn: sqlite3.Connection, event_id: int, status: str) -> None:
    """Mark an event merged, split or retired (it keeps its id and history)."""
    conn.execute(
        "UPDATE events SET status = ?, updated_at = ? WHERE id = ?", (status, _now(), event_id)
    )


def successors(conn: sqlite3.Connection, event_id: int) -> list[int]:
    """The active events an old event id now lives on as (itself when still active)."""
    seen, frontier, found = {event_id}, [event_id], []
    while frontier:
        current = frontier.pop()
        row = conn.execute("SELECT status FROM events WHERE id = ?", (current,)).fetchone()
        if row is None:
            raise NotFound(f"no event {event_id}: list them with `storyline events`")
        if row["status"] == "active":
            found.append(current)
            continue
        for (new,) in conn.execute(
            "SELECT new_event FROM event_lineage WHERE old_event = ? ORDER BY id", (current,)
        ):
            if new not in seen:
                seen.add(new)
                frontier.append(new)
    return sorted(found)


def list_events(
    conn: sqlite3.Connection, limit: int, offset: int, min_size: int = 1
) -> list[dict[str, Any]]:
    """Active events, most recent first, with how many outlets their articles name (case
    aside) and how many articles name none."""
    rows = conn.execute(
        "SELECT e.id, e.size, e.first_day, e.last_day, e.label,"
        " (SELECT count(DISTINCT lower(nullif(trim(a.source), ''))) FROM event_members m"
        "  JOIN articles a ON a.id = m.article_id WHERE m.event_id = e.id) AS sources,"
        " (SELECT count(*) FROM event_members m JOIN articles a ON a.id = m.article_id"
        "  WHERE m.event_id = e.id AND nullif(trim(a.source), '') IS NULL) AS unnamed"
        " FROM events e WHERE e.status = 'active' AND e.size >= ?"
        " ORDER BY coalesce(e.last_day, e.seen_day) DESC, e.size DESC, e.id LIMIT ? OFFSET ?",
        (min_size, limit, offset),
    )
    return [dict(r) for r in rows]


def count_events(conn: sqlite3.Connection) -> int:
    """How many active events there are."""
    return int(conn.execute("SELECT count(*) FROM events WHERE status = 'active'").fetchone()[0])


def event_row(conn: sqlite3.Connection, event_id: int) -> dict[str, Any]:
    """One event's row (any status)."""
    row = conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        raise NotFound(f"no event {event_id}: list them with `storyline events`")
    return dict(row)


def event_article_ids(conn: sqlite3.Connection, event_id: int) -> list[str]:
    """An event's articles in the order they joined."""
    rows = conn.execute(
        "SELECT article_id FROM event_members WHERE event_id = ? ORDER BY seq", (event_id,)
    )
    return [r[0] for r in rows]


def lineage_of(conn: sqlite3.Connection, event_id: int) -> list[dict[str, Any]]:
    """Lineage rows that start or end at an event."""
    rows = conn.execute(
        "SELECT old_event, new_event, kind, articles, reason, created_at FROM event_lineage"
        " WHERE old_event = ? OR new_event = ? ORDER BY id",
        (event_id, event_id),
    )
    return [dict(r) for r in rows]


def decision_of(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """The stored decision for an article, JSON fields decoded."""
    row = conn.execute(
        "SELECT * FROM event_decisions WHERE article_id = ?", (article_id,)
    ).fetchone()
    if row is None:
        return None
    data = dict(row)
    data["candidates"] = json.loads(data["candidates"])
    data["weights"] = json.loads(data["weights"])
    return data


def assignments(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """One row per input record: its own id (or the article id), article and event."""
    rows = conn.execute(
        "SELECT r.external_id, r.article_id, r.location, m.event_id FROM records r"
        " LEFT JOIN event_members m ON m.article_id = r.article_id ORDER BY r.rowid"
    )
    for row in rows:
        yield {
            "id": row["external_id"] if row["external_id"] is not None else row["article_id"],
            "article_id": row["article_id"],
            "event_id": row["event_id"],
            "location": row["location"],
        }
