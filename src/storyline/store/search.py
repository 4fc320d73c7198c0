"""SQL for the HTTP API and web pages: full-text search and filtered listings.

Search runs on the FTS5 index ``article_search`` (migration 0006), kept in step with the
articles table by triggers. A user's query is never passed to FTS5 as syntax: it is
turned into quoted terms and phrases (``fts_query``), so no input can raise a syntax
error or reach a column filter.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from storyline.model import Article
from storyline.store.rows import ARTICLE_COLUMNS, row_article

MARK_START = "\x02"
MARK_END = "\x03"
_COLUMNS = ", ".join(f"a.{c}" for c in ARTICLE_COLUMNS)
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
_TITLE_WEIGHT, _TEXT_WEIGHT = 5.0, 1.0


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a listing or a search may return (None: any)."""

    source: str | None = None
    language: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive: the whole day
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the article, its score, and its title and snippet with marks.

    ``title`` and ``snippet`` carry ``MARK_START``/``MARK_END`` around matched words.
    """

    article: Article
    score: float
    title: str
    snippet: str


def fts_query(text: str) -> str | None:
    """A safe FTS5 query for what a user typed: quoted words, "phrases" and prefix*.

    Every word must match (AND); None when the text holds no word at all.
    """
    terms: list[str] = []
    for phrase, bare in _TOKEN.findall(text):
        if phrase:
            words = _WORD.findall(phrase)
            if words:
                terms.append('"' + " ".join(words) + '"')
            continue
        words = _WORD.findall(bare)
        terms += [f'"{w}"' for w in words]
        if words and bare.endswith("*"):
            terms[-1] += "*"
    return " ".join(terms) or None


def _where(flt: ArticleFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if flt.source:
        clauses.append("a.source = ?")
        params.append(flt.source)
    if flt.language:
        clauses.append("a.language = ?")
        params.append(flt.language)
    # julianday() reads the stored UTC offset, so the range is compared in UTC.
    if flt.since:
        clauses.append("julianday(a.published) >= julianday(?)")
        params.append(flt.since.isoformat())
    if flt.until:
        clauses.append("julianday(a.published) < julianday(?, '+1 day')")
        params.append(flt.until.isoformat())
    if flt.entity_id:
        clauses.append("a.id IN (SELECT article_id FROM entity_mentions WHERE entity_id = ?)")
        params.append(flt.entity_id)
    return clauses, params


def search(
    conn: sqlite3.Connection, query: str, flt: ArticleFilter, limit: int, offset: int
) -> tuple[list[Hit], int]:
    """Articles matching ``query`` (best first) and how many match in all."""
    match = fts_query(query)
    if match is None:
        return [], 0
    clauses, params = _where(flt)
    if clauses:  # filters need the articles; without them the index alone answers
        base = (
            " FROM article_search f JOIN search_rows s ON s.id = f.rowid"
            " JOIN articles a ON a.id = s.article_id WHERE article_search MATCH ?"
            + "".join(f" AND {c}" for c in clauses)
        )
    else:
        base = " FROM article_search f WHERE article_search MATCH ?"
    total = int(conn.execute("SELECT count(*)" + base, (match, *params)).fetchone()[0])
    rank = f"bm25(article_search, {_TITLE_WEIGHT}, {_TEXT_WEIGHT})"
    page = conn.execute(
        f"SELECT f.rowid, {rank} AS score{base} ORDER BY score, f.rowid LIMIT ? OFFSET ?",
        (match, *params, limit, offset),
    ).fetchall()
    sids = [int(r[0]) for r in page]
    found = _articles_of(conn, sids)
    marks = _marked(conn, match, sids)
    hits = [
        Hit(found[sid], -float(score), *marks.get(sid, (found[sid].title, "")))
        for sid, score in page
        if sid in found
    ]
    return hits, total


def _articles_of(conn: sqlite3.Connection, sids: list[int]) -> dict[int, Article]:
    """The articles behind index rows."""
    if not sids:
        return {}
    marks = ", ".join("?" for _ in sids)
    rows = conn.execute(
        f"SELECT s.id AS sid, {_COLUMNS} FROM search_rows s JOIN articles a"
        f" ON a.id = s.article_id WHERE s.id IN ({marks})",
        sids,
    )
    return {int(r["sid"]): row_article(r) for r in rows}


def _marked(conn: sqlite3.Connection, match: str, sids: list[int]) -> dict[int, tuple[str, str]]:
    """Highlighted titles and snippets, computed for one page of results only."""
    if not sids:
        return {}
    marks = ", ".join("?" for _ in sids)
    rows = conn.execute(
        f"SELECT rowid, highlight(article_search, 0, '{MARK_START}', '{MARK_END}'),"
        f" snippet(article_search, 1, '{MARK_START}', '{MARK_END}', '…', 28)"
        f" FROM article_search WHERE article_search MATCH ? AND rowid IN ({marks})",
        (match, *sids),
    )
    return {int(r[0]): (str(r[1]), str(r[2])) for r in rows}


def articles(
    conn: sqlite3.Connection, flt: ArticleFilter, limit: int, offset: int
) -> tuple[list[Article], int]:
    """Articles matching the filter in ingest order, and how many match in all."""
    clauses, params = _where(flt)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    total = int(conn.execute(f"SELECT count(*) FROM articles a{where}", params).fetchone()[0])
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM articles a{where} ORDER BY a.rowid LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [row_article(r) for r in rows], total


def _day_number(value: date) -> float:
    """Days since 1970-01-01, the unit of the events table's day columns."""
    return datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp() / 86400


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events a listing returns."""

    since: date | None = None
    until: date | None = None
    min_size: int = 1
    entity_id: str | None = None
    sort: str = "recent"  # "recent": newest day first, bigger first; "size": bigger first


_EVENT_ORDER = {
    "recent": "CAST(coalesce(e.last_day, e.seen_day) AS INTEGER) DESC, e.size DESC, e.id DESC",
    "size": "e.size DESC, coalesce(e.last_day, e.seen_day) DESC, e.id DESC",
}


def events(
    conn: sqlite3.Connection, flt: EventFilter, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Active events matching the filter with their distinct source count, and the total."""
    clauses = ["e.status = 'active'", "e.size >= ?"]
    params: list[Any] = [flt.min_size]
    if flt.since:  # a date range keeps dated events only
        clauses.append("e.last_day >= ?")
        params.append(_day_number(flt.since))
    if flt.until:
        clauses.append("e.first_day < ?")
        params.append(_day_number(flt.until) + 1)
    if flt.entity_id:
        clauses.append(
            "e.id IN (SELECT m.event_id FROM event_members m JOIN entity_mentions em"
            " ON em.article_id = m.article_id WHERE em.entity_id = ?)"
        )
        params.append(flt.entity_id)
    where = " WHERE " + " AND ".join(clauses)
    total = int(conn.execute(f"SELECT count(*) FROM events e{where}", params).fetchone()[0])
    order = _EVENT_ORDER[flt.sort]
    # Choose the page first, then count sources for its events only.
    rows = conn.execute(
        "SELECT e.id, e.size, e.first_day, e.last_day, e.seen_day, e.label,"
        " (SELECT count(DISTINCT coalesce(a.source, a.id)) FROM event_members m"
        "  JOIN articles a ON a.id = m.article_id WHERE m.event_id = e.id) AS sources"
        f" FROM (SELECT * FROM events e{where} ORDER BY {order} LIMIT ? OFFSET ?) e"
        f" ORDER BY {order}",
        (*params, limit, offset),
    )
    return [dict(r) for r in rows], total


def event_members(conn: sqlite3.Connection, event_ids: list[int]) -> dict[int, list[str]]:
    """The article ids of several events at once (in the order they joined)."""
    found: dict[int, list[str]] = {e: [] for e in event_ids}
    if not event_ids:
        return found
    marks = ", ".join("?" for _ in event_ids)
    rows = conn.execute(
        f"SELECT event_id, article_id FROM event_members WHERE event_id IN ({marks}) ORDER BY seq",
        event_ids,
    )
    for event_id, article_id in rows:
        found[int(event_id)].append(str(article_id))
    return found


def event_of(conn: sqlite3.Connection, article_id: str) -> int | None:
    """The event an article is in now, if the events stage placed it."""
    row = conn.execute(
        "SELECT event_id FROM event_members WHERE article_id = ?", (article_id,)
    ).fetchone()
    return None if row is None else int(row[0])


def articles_of_run(conn: sqlite3.Connection, run_id: int) -> list[str]:
    """The articles an ingest run stored, made new versions of, or found duplicated."""
    rows = conn.execute(
        "SELECT DISTINCT article_id FROM records WHERE run_id = ? ORDER BY rowid", (run_id,)
    )
    return [str(r[0]) for r in rows]


def last_run(conn: sqlite3.Connection) -> int:
    """The id of the latest ingest run (0 before the first): changes with every ingest."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM runs").fetchone()[0])


def facets(conn: sqlite3.Connection) -> dict[str, list[tuple[str, int]]]:
    """Sources and languages with their article counts, for filter menus."""
    out: dict[str, list[tuple[str, int]]] = {}
    for column in ("source", "language"):
        rows = conn.execute(
            f"SELECT {column}, count(*) FROM articles WHERE {column} IS NOT NULL"
            f" GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT 200"
        )
        out[column] = [(str(r[0]), int(r[1])) for r in rows]
    return out


# The table whose rows show that a stage has run on this workspace.
_STAGE_TABLES = {
    "copies": "copy_fingerprints",
    "understand": "article_dates",
    "entities": "entity_mentions",
    "events": "event_members",
}


def stages_with_data(conn: sqlite3.Connection) -> set[str]:
    """The later stages whose results this workspace holds."""
    tables = {
        str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    found = set()
    for stage, table in _STAGE_TABLES.items():
        if table in tables and conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            found.add(stage)
    return found


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many articles and active events the workspace holds."""
    return {
        "articles": int(conn.execute("SELECT count(*) FROM articles").fetchone()[0]),
        "events": int(
            conn.execute("SELECT count(*) FROM events WHERE status = 'active'").fetchone()[0]
        ),
    }
