"""SQL of the understand stage: entities, merge evidence, dates and quotes.

Every function takes a ``sqlite3.Connection``; the stage calls them inside the batch's
write transaction, readers (API, CLI, events, briefs) with any connection.

Public readers for later stages:

- ``article_entities(conn, article_ids)``: every entity mention of those articles, in
  one query, as ``{article_id: [EntityMention, ...]}`` in text order;
- ``article_event_date(conn, article_id)``: ``(date | None, evidence)``;
- ``publication_date_reliable(conn, article_id)``: False when the stored publication
  date is missing or contradicted by the text;
- ``article_quotes(conn, article_id)``: the article's quotes with their speakers.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from storyline.errors import NotFound, StorylineError
from storyline.model import ArticleDates, DateMention, Entity, EntityMention, Quote


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _chunks(values: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- entities: writing ------------------------------------------------------------------


def ensure_entity(
    conn: sqlite3.Connection, entity_id: str, name: str, label: str, origin: str
) -> bool:
    """Create an entity unless it exists; True when it was created."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO entities (id, name, label, origin, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (entity_id, name, label, origin, _now()),
    )
    return cursor.rowcount > 0


def live_links(
    conn: sqlite3.Connection, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """Live link ids for (entity id, name key) pairs that already have one."""
    found: dict[tuple[str, str], int] = {}
    wanted = set(pairs)
    # by entity (indexed): a name key alone would scan every link
    for chunk in _chunks(sorted({entity_id for entity_id, _key in pairs})):
        rows = conn.execute(
            "SELECT id, entity_id, alias_key FROM entity_links WHERE undone_at IS NULL"
            f" AND entity_id IN ({_marks(chunk)}) ORDER BY id",
            list(chunk),
        )
        for row in rows:
            if (row[1], row[2]) in wanted:
                found.setdefault((row[1], row[2]), row[0])
    return {pair: found[pair] for pair in pairs if pair in found}


def add_link(
    conn: sqlite3.Connection,
    entity_id: str,
    alias_key: str,
    surface: str,
    rule: str,
    score: float,
    evidence: dict[str, Any],
    article_id: str | None,
) -> int:
    """Record why a name form belongs to an entity; returns the link id."""
    cursor = conn.execute(
        "INSERT INTO entity_links (entity_id, alias_key, surface, rule, score, evidence,"
        " article_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entity_id,
            alias_key,
            surface,
            rule,
            round(score, 3),
            json.dumps(evidence, ensure_ascii=False, sort_keys=True),
            article_id,
            _now(),
        ),
    )
    return int(cursor.lastrowid or 0)


def add_keys(conn: sqlite3.Connection, entity_id: str, keys: Iterable[tuple[str, str]]) -> None:
    """Index an entity under lookup keys (kind, key)."""
    conn.executemany(
        "INSERT OR IGNORE INTO entity_keys (kind, key, entity_id) VALUES (?, ?, ?)",
        [(kind, key, entity_id) for kind, key in keys if key],
    )


def candidates_each(
    conn: sqlite3.Connection, wanted: Sequence[Sequence[tuple[str, str]]]
) -> list[dict[str, set[tuple[str, str]]]]:
    """For each list of (kind, key) pairs, the entities indexed under any of them, with
    the pairs they matched; one query for all the lists (an article's clusters)."""
    found: list[dict[str, set[tuple[str, str]]]] = [{} for _ in wanted]
    owners: dict[tuple[str, str], list[int]] = {}
    for i, pairs in enumerate(wanted):
        for pair in dict.fromkeys(pairs):
            owners.setdefault(pair, []).append(i)
    for chunk in _chunks(sorted({key for _kind, key in owners})):
        rows = conn.execute(
            "SELECT k.kind, k.key, k.entity_id FROM entity_keys k"
            " JOIN entities e ON e.id = k.entity_id"
            f" WHERE k.key IN ({_marks(chunk)})",
            list(chunk),
        )
        for kind, key, entity_id in rows:
            for i in owners.get((kind, key), ()):
                found[i].setdefault(entity_id, set()).add((kind, key))
    return found


def entity_info(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Name, label, origin and name forms of entities, by id."""
    info: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(ids)):
        for row in conn.execute(
            f"SELECT id, name, label, origin FROM entities WHERE id IN ({_marks(chunk)})",
            list(chunk),
        ):
            info[row[0]] = {"name": row[1], "label": row[2], "origin": row[3], "surfaces": []}
        for entity_id, surface in conn.execute(
            "SELECT entity_id, surface FROM entity_links WHERE undone_at IS NULL"
            f" AND entity_id IN ({_marks(chunk)})",
            list(chunk),
        ):
            info[entity_id]["surfaces"].append(surface)
    return info


def entity_context(
    conn: sqlite3.Connection,
    entity_id: str,
    articles: int = 30,
    among: Sequence[str] | None = None,
) -> Counter[str]:
    """Entities mentioned alongside this one in its latest articles, with counts
    (``among``: only those entities)."""
    only = f" AND other.entity_id IN ({_marks(among)})" if among is not None else ""
    rows = conn.execute(
        "SELECT other.entity_id, count(DISTINCT other.article_id) FROM entity_mentions other"
        " WHERE other.article_id IN (SELECT DISTINCT article_id FROM entity_mentions"
        "   WHERE entity_id = ? ORDER BY rowid DESC LIMIT ?)"
        f" AND other.entity_id != ?{only} GROUP BY other.entity_id",
        (entity_id, articles, entity_id, *(among or ())),
    )
    return Counter({row[0]: row[1] for row in rows})


def blocked(conn: sqlite3.Connection, keys: Sequence[str]) -> set[tuple[str, str]]:
    """(name key, entity id) pairs a user has undone and that must stay apart."""
    out: set[tuple[str, str]] = set()
    for chunk in _chunks(sorted(set(keys))):
        rows = conn.execute(
            f"SELECT alias_key, entity_id FROM entity_blocks WHERE alias_key IN ({_marks(chunk)})",
            list(chunk),
        )
        out.update((row[0], row[1]) for row in rows)
    return out


def insert_mentions(conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Store mentions: (article_id, entity_id, link_id, surface, label, field, start, end)."""
    conn.executemany(
        "INSERT OR REPLACE INTO entity_mentions (article_id, entity_id, link_id, surface,"
        " label, field, start, end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def refresh_names(conn: sqlite3.Connection, entity_ids: Iterable[str]) -> None:
    """Give text entities their fullest, most used name form as canonical name."""
    for entity_id in sorted(set(entity_ids)):
        row = conn.execute("SELECT origin FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None or row[0] == "gazetteer":
            continue
        forms = conn.execute(
            "SELECT surface, count(*) FROM entity_mentions WHERE entity_id = ? GROUP BY surface",
            (entity_id,),
        ).fetchall()
        if forms:
            best = max(forms, key=_name_rank)
            label = conn.execute(
                "SELECT label FROM entity_mentions WHERE entity_id = ? GROUP BY label"
                " ORDER BY count(*) DESC, label LIMIT 1",
                (entity_id,),
            ).fetchone()[0]
            conn.execute(
                "UPDATE entities SET name = ?, label = ? WHERE id = ?", (best[0], label, entity_id)
            )


def _name_rank(form: Sequence[Any]) -> tuple[bool, bool, int, int]:
    """How good a name form is as the canonical name: clean, a full name, used often."""
    words = str(form[0]).split()
    clean = (
        len(words) <= 4
        and len(set(words)) == len(words)
        and not any(ch in str(form[0]) for ch in ':;|/()"“”')
    )
    return clean, len(words) >= 2, int(form[1]), len(words)


def forget_article(conn: sqlite3.Connection, article_id: str) -> None:
    """Remove what the stage derived from an article (before a new version is read)."""
    conn.execute("DELETE FROM entity_mentions WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM date_mentions WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM article_dates WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM quote_mentions WHERE article_id = ?", (article_id,))
    conn.execute(
        "DELETE FROM quotes WHERE first_article_id = ? AND id NOT IN"
        " (SELECT quote_id FROM quote_mentions)",
        (article_id,),
    )


# --- entities: reading ------------------------------------------------------------------


def article_entities(
    conn: sqlite3.Connection, article_ids: Sequence[str]
) -> dict[str, list[EntityMention]]:
    """Every entity mention of these articles (title first, then text order).

    One query per 500 ids, so the events stage can call it once per batch.
    """
    out: dict[str, list[EntityMention]] = {a: [] for a in article_ids}
    for chunk in _chunks(list(dict.fromkeys(article_ids))):
        rows = conn.execute(
            "SELECT m.article_id, m.entity_id, e.name, e.label, m.surface, m.start, m.end,"
            " m.field FROM entity_mentions m JOIN entities e ON e.id = m.entity_id"
            f" WHERE m.article_id IN ({_marks(chunk)})"
            " ORDER BY m.article_id, m.field = 'text', m.start",
            list(chunk),
        )
        for row in rows:
            out[row[0]].append(
                EntityMention(row[1], row[2], row[3], row[4], row[5], row[6], row[7])
            )
    return out


def list_entities(
    conn: sqlite3.Connection,
    article_ids: Sequence[str] | None = None,
    limit: int | None = None,
    label: str | None = None,
    entity_ids: Sequence[str] | None = None,
    offset: int = 0,
) -> list[Entity]:
    """Entities by mention count (of the given articles, or with the given ids, only),
    skipping the first ``offset``; ``count_entities`` counts what this lists."""
    where = _entity_filter(article_ids, label, entity_ids)
    if where is None:
        return []
    clauses, params = where
    sql = (
        "SELECT e.id, e.name, e.label, e.origin, count(*) AS n,"
        " count(DISTINCT m.article_id), group_concat(DISTINCT m.surface)"
        " FROM entity_mentions m JOIN entities e ON e.id = m.entity_id"
        + clauses
        + " GROUP BY e.id ORDER BY n DESC, e.name LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, (*params, -1 if limit is None else limit, offset))
    return [_entity(row) for row in rows]


def count_entities(
    conn: sqlite3.Connection, article_ids: Sequence[str] | None = None, label: str | None = None
) -> int:
    """How many entities ``list_entities`` lists for the same articles and label."""
    where = _entity_filter(article_ids, label, None)
    if where is None:
        return 0
    clauses, params = where
    sql = (
        "SELECT count(DISTINCT m.entity_id) FROM entity_mentions m"
        " JOIN entities e ON e.id = m.entity_id" + clauses
    )
    return int(conn.execute(sql, params).fetchone()[0])


def _entity_filter(
    article_ids: Sequence[str] | None, label: str | None, entity_ids: Sequence[str] | None
) -> tuple[str, list[Any]] | None:
    """The WHERE clause and its parameters of an entity listing; None when it is empty."""
    where: list[str] = []
    params: list[Any] = []
    if entity_ids is not None:
        if not entity_ids:
            return None
        where.append(f"e.id IN ({_marks(entity_ids)})")
        params += list(entity_ids)
    if article_ids is not None:
        if not article_ids:
            return None
        where.append(f"m.article_id IN ({_marks(article_ids)})")
        params += list(article_ids)
    if label:
        where.append("e.label = ?")
        params.append(label.upper())
    return (" WHERE " + " AND ".join(where) if where else ""), params


def _entity(row: Sequence[Any]) -> Entity:
    aliases = tuple(sorted(set((row[6] or "").split(","))))
    return Entity(row[0], row[1], row[2], row[4], row[5], aliases, row[3])


def find_entities(conn: sqlite3.Connection, name: str) -> list[Entity]:
    """Entities by id, canonical name or any name form (case-insensitive)."""
    from storyline.understand.names import name_key

    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM entities WHERE id = ? OR name = ? COLLATE NOCASE UNION"
            " SELECT entity_id FROM entity_links WHERE undone_at IS NULL AND alias_key = ?",
            (name, name, name_key(name)),
        )
    ]
    return list_entities(conn, entity_ids=sorted(set(ids)))


def entity_links(conn: sqlite3.Connection, entity_id: str) -> list[dict[str, Any]]:
    """Every link of an entity (live and undone) with its evidence and mention count."""
    rows = conn.execute(
        "SELECT l.id, l.alias_key, l.surface, l.rule, l.score, l.evidence, l.article_id,"
        " l.created_at, l.undone_at, (SELECT count(*) FROM entity_mentions m"
        " WHERE m.link_id = l.id) FROM entity_links l WHERE l.entity_id = ? ORDER BY l.id",
        (entity_id,),
    )
    keys = (
        "id",
        "alias_key",
        "surface",
        "rule",
        "score",
        "evidence",
        "article_id",
        "created_at",
        "undone_at",
        "mentions",
    )
    out = [dict(zip(keys, row, strict=True)) for row in rows]
    for link in out:
        link["evidence"] = json.loads(link["evidence"])
    return out


def entity_articles(conn: sqlite3.Connection, entity_id: str, limit: int = 20) -> list[str]:
    """Ids of the latest articles that mention an entity."""
    rows = conn.execute(
        "SELECT article_id FROM entity_mentions WHERE entity_id = ?"
        " GROUP BY article_id ORDER BY max(rowid) DESC LIMIT ?",
        (entity_id, limit),
    )
    return [r[0] for r in rows]


def undo_link(conn: sqlite3.Connection, link_id: int) -> str:
    """Undo a merge: the link's mentions become an entity of their own, kept apart.

    Returns the new entity's id. The link stays recorded, marked undone, and the name
    key is blocked from joining that entity again.
    """
    row = conn.execute(
        "SELECT entity_id, alias_key, surface, undone_at FROM entity_links WHERE id = ?",
        (link_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no entity link {link_id}: see the link ids with `storyline entity NAME`")
    entity_id, alias_key, surface, undone = row
    if undone:
        raise StorylineError(f"link {link_id} was already undone on {undone}")
    label = conn.execute(
        "SELECT label FROM entity_mentions WHERE link_id = ? GROUP BY label"
        " ORDER BY count(*) DESC LIMIT 1",
        (link_id,),
    ).fetchone()
    new_id = f"split:{link_id}"
    ensure_entity(conn, new_id, surface, label[0] if label else "MISC", "split")
    evidence = {"undid_link": link_id, "from_entity": entity_id}
    new_link = add_link(conn, new_id, alias_key, surface, "split", 1.0, evidence, None)
    conn.execute(
        "UPDATE entity_mentions SET entity_id = ?, link_id = ? WHERE link_id = ?",
        (new_id, new_link, link_id),
    )
    conn.execute("UPDATE entity_links SET undone_at = ? WHERE id = ?", (_now(), link_id))
    conn.execute(
        "INSERT OR IGNORE INTO entity_blocks (alias_key, entity_id) VALUES (?, ?)",
        (alias_key, entity_id),
    )
    conn.execute(
        "DELETE FROM entity_keys WHERE entity_id = ? AND kind = 'name' AND key = ?",
        (entity_id, alias_key),
    )
    add_keys(conn, new_id, [("name", alias_key)])
    return new_id


# --- dates ------------------------------------------------------------------------------


def save_dates(conn: sqlite3.Connection, article_id: str, dates: ArticleDates) -> None:
    """Store an article's date conclusions and its date mentions."""
    conn.execute(
        "INSERT OR REPLACE INTO article_dates (article_id, published, published_source,"
        " published_reliable, published_evidence, event_date, event_evidence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            article_id,
            dates.published.isoformat() if dates.published else None,
            dates.published_source,
            int(dates.published_reliable),
            dates.published_evidence,
            dates.event_date.isoformat() if dates.event_date else None,
            dates.event_evidence,
        ),
    )
    conn.executemany(
        "INSERT OR REPLACE INTO date_mentions (article_id, start, end, text, value,"
        " granularity, relation, method) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                article_id,
                m.start,
                m.end,
                m.text,
                m.value.isoformat() if m.value else None,
                m.granularity,
                m.relation,
                m.method,
            )
            for m in dates.mentions
        ],
    )


def article_dates(conn: sqlite3.Connection, article_id: str) -> ArticleDates | None:
    """What the stage concluded about an article's dates, None if it was not read."""
    row = conn.execute(
        "SELECT published, published_source, published_reliable, published_evidence,"
        " event_date, event_evidence FROM article_dates WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    mentions = tuple(
        DateMention(r[0], r[1], r[2], date.fromisoformat(r[3]) if r[3] else None, r[4], r[5], r[6])
        for r in conn.execute(
            "SELECT text, start, end, value, granularity, relation, method FROM date_mentions"
            " WHERE article_id = ? ORDER BY start",
            (article_id,),
        )
    )
    return ArticleDates(
        published=datetime.fromisoformat(row[0]) if row[0] else None,
        published_source=row[1],
        published_reliable=bool(row[2]),
        published_evidence=row[3],
        event_date=date.fromisoformat(row[4]) if row[4] else None,
        event_evidence=row[5],
        mentions=mentions,
    )


def article_event_date(conn: sqlite3.Connection, article_id: str) -> tuple[date | None, str]:
    """When what the article reports happened (or will happen), and the evidence."""
    row = conn.execute(
        "SELECT event_date, event_evidence FROM article_dates WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None, "not read by the understand stage"
    return (date.fromisoformat(row[0]) if row[0] else None), row[1]


def publication_date_reliable(conn: sqlite3.Connection, article_id: str) -> bool:
    """Whether the stored publication date can be trusted (False if missing or doubted)."""
    row = conn.execute(
        "SELECT published_reliable FROM article_dates WHERE article_id = ?", (article_id,)
    ).fetchone()
    return bool(row and row[0])


def related_event_dates(
    conn: sqlite3.Connection, entity_ids: Sequence[str], exclude: str, min_shared: int
) -> list[tuple[str, date, int]]:
    """Event dates of articles sharing at least ``min_shared`` of these entities.

    Only articles with a reliable publication date count. Returns (article id, event
    date, entities shared), most shared first.
    """
    if not entity_ids:
        return []
    rows = conn.execute(
        "SELECT m.article_id, d.event_date, count(DISTINCT m.entity_id) AS shared"
        " FROM entity_mentions m JOIN article_dates d ON d.article_id = m.article_id"
        f" WHERE m.entity_id IN ({_marks(entity_ids)}) AND m.article_id != ?"
        " AND d.event_date IS NOT NULL AND d.published_reliable = 1"
        " GROUP BY m.article_id HAVING shared >= ? ORDER BY shared DESC, m.article_id LIMIT 50",
        (*entity_ids, exclude, min_shared),
    )
    return [(r[0], date.fromisoformat(r[1]), r[2]) for r in rows]


# --- quotes -----------------------------------------------------------------------------


def quotes_of_speaker(
    conn: sqlite3.Connection, speaker_entity_id: str | None, quote_id: str
) -> list[tuple[str, str]]:
    """(id, text) of the quote with this id, and of the speaker's latest quotes."""
    rows = conn.execute("SELECT id, text FROM quotes WHERE id = ?", (quote_id,)).fetchall()
    if speaker_entity_id:
        rows += conn.execute(
            "SELECT id, text FROM quotes WHERE speaker_entity_id = ? ORDER BY rowid DESC LIMIT 200",
            (speaker_entity_id,),
        ).fetchall()
    return [(r[0], r[1]) for r in rows]


def add_quote(
    conn: sqlite3.Connection,
    quote_id: str,
    text: str,
    speaker_entity_id: str | None,
    speaker: str,
    article_id: str,
    published: str | None,
) -> None:
    """Create a quote (first seen in ``article_id``) unless it exists."""
    conn.execute(
        "INSERT OR IGNORE INTO quotes (id, text, speaker_entity_id, speaker, first_article_id,"
        " first_published) VALUES (?, ?, ?, ?, ?, ?)",
        (quote_id, text, speaker_entity_id, speaker, article_id, published),
    )


def add_quote_mention(
    conn: sqlite3.Connection, quote_id: str, article_id: str, quote: Quote
) -> None:
    """Store one quote in one article."""
    conn.execute(
        "INSERT OR REPLACE INTO quote_mentions (quote_id, article_id, start, end, text, kind,"
        " speaker, speaker_entity_id, anonymous, verb) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            quote_id,
            article_id,
            quote.start,
            quote.end,
            quote.text,
            quote.kind,
            quote.speaker,
            quote.speaker_entity_id,
            int(quote.anonymous),
            quote.verb,
        ),
    )


def article_quotes(conn: sqlite3.Connection, article_id: str) -> list[Quote]:
    """The quotes of an article in text order, with speaker, first source and repeats."""
    rows = conn.execute(
        "SELECT qm.quote_id, qm.text, qm.kind, qm.speaker, qm.speaker_entity_id, e.name,"
        " qm.anonymous, qm.verb, qm.start, qm.end, q.first_article_id,"
        " (SELECT count(DISTINCT article_id) FROM quote_mentions o WHERE o.quote_id = qm.quote_id"
        "  AND o.article_id != qm.article_id)"
        " FROM quote_mentions qm JOIN quotes q ON q.id = qm.quote_id"
        " LEFT JOIN entities e ON e.id = qm.speaker_entity_id"
        " WHERE qm.article_id = ? ORDER BY qm.start",
        (article_id,),
    )
    return [
        Quote(
            r[0],
            article_id,
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            bool(r[6]),
            r[7],
            r[8],
            r[9],
            r[10],
            r[11],
        )
        for r in rows
    ]


def quote_sources(conn: sqlite3.Connection, quote_id: str) -> list[str]:
    """Ids of every article carrying a quote, first source first."""
    rows = conn.execute(
        "SELECT qm.article_id FROM quote_mentions qm JOIN articles a ON a.id = qm.article_id"
        " WHERE qm.quote_id = ? GROUP BY qm.article_id ORDER BY a.published IS NULL,"
        " a.published, a.rowid",
        (quote_id,),
    )
    return [r[0] for r in rows]
