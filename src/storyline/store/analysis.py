"""SQL for the what-happened analysis (issue 6): cached sentence vectors, event profiles.

Comparisons, briefs and timelines are computed on demand from the other stages' tables;
the only table of this stage keeps sentence embeddings so an event is embedded once.
Storylines read per-event aggregates (entities, terms, date mentions) from here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import numpy as np

_CHUNK = 500


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


# sentence vectors --------------------------------------------------------------------------


def cached_vectors(
    conn: sqlite3.Connection, model: str, keys: Sequence[str]
) -> dict[str, np.ndarray]:
    """Stored vectors of these sentence keys (float32), by key."""
    found: dict[str, np.ndarray] = {}
    for chunk in _chunks(list(dict.fromkeys(keys))):
        rows = conn.execute(
            "SELECT key, vector FROM analysis_vectors"
            f" WHERE model = ? AND key IN ({_marks(chunk)})",
            (model, *chunk),
        )
        for key, blob in rows:
            found[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    return found


def save_vectors(
    conn: sqlite3.Connection, model: str, items: Sequence[tuple[str, np.ndarray]]
) -> None:
    """Keep sentence vectors (as float16) for later comparisons, in one transaction."""
    rows = [(key, model, vector.astype(np.float16).tobytes()) for key, vector in items]
    sql = "INSERT OR IGNORE INTO analysis_vectors (key, model, vector) VALUES (?, ?, ?)"
    if conn.in_transaction:
        conn.executemany(sql, rows)
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany(sql, rows)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def count_vectors(conn: sqlite3.Connection) -> int:
    """How many sentence vectors are kept."""
    return int(conn.execute("SELECT count(*) FROM analysis_vectors").fetchone()[0])


# event profiles for storylines ----------------------------------------------------------------


def active_events(conn: sqlite3.Connection, min_size: int = 1) -> list[dict[str, Any]]:
    """Active events with their size, day range (days since 1970) and label, by id."""
    rows = conn.execute(
        "SELECT id, size, first_day, last_day, seen_day, label FROM events"
        " WHERE status = 'active' AND size >= ? ORDER BY id",
        (min_size,),
    )
    return [dict(r) for r in rows]


def event_entities(
    conn: sqlite3.Connection, event_ids: Sequence[int]
) -> list[tuple[int, str, str, str, int]]:
    """(event id, entity id, name, label, articles mentioning it) for these events."""
    out: list[tuple[int, str, str, str, int]] = []
    for chunk in _chunks(list(event_ids)):
        rows = conn.execute(
            "SELECT m.event_id, em.entity_id, e.name, e.label, count(DISTINCT em.article_id)"
            " FROM event_members m JOIN entity_mentions em ON em.article_id = m.article_id"
            " JOIN entities e ON e.id = em.entity_id"
            f" WHERE m.event_id IN ({_marks(chunk)}) GROUP BY m.event_id, em.entity_id",
            list(chunk),
        )
        out += [(r[0], r[1], r[2], r[3], r[4]) for r in rows]
    return out


def event_terms(
    conn: sqlite3.Connection, event_ids: Sequence[int]
) -> Iterator[tuple[int, dict[str, float], bytes | None]]:
    """(event id, an article's term weights, its embedding blob) for these events' articles."""
    for chunk in _chunks(list(event_ids)):
        rows = conn.execute(
            "SELECT m.event_id, f.terms, f.vector FROM event_members m"
            " JOIN event_features f ON f.article_id = m.article_id"
            f" WHERE m.event_id IN ({_marks(chunk)}) ORDER BY m.event_id, m.seq",
            list(chunk),
        )
        for event_id, terms, vector in rows:
            yield event_id, json.loads(terms), vector


def event_day_mentions(
    conn: sqlite3.Connection, event_ids: Sequence[int]
) -> list[tuple[int, str, date]]:
    """(event id, article id, day) of every day-granular date its articles mention."""
    out: list[tuple[int, str, date]] = []
    for chunk in _chunks(list(event_ids)):
        rows = conn.execute(
            "SELECT m.event_id, d.article_id, d.value FROM event_members m"
            " JOIN date_mentions d ON d.article_id = m.article_id"
            f" WHERE m.event_id IN ({_marks(chunk)}) AND d.value IS NOT NULL"
            " AND d.granularity = 'day'",
            list(chunk),
        )
        out += [(r[0], r[1], date.fromisoformat(r[2])) for r in rows]
    return out
