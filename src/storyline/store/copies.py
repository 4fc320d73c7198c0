"""All SQL of the copies stage: fingerprints, copy links, copy groups and provenance.

Every function takes the ``sqlite3.Connection`` it works on; the stage calls them inside
the batch's write transaction, the API outside of one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from storyline.model import Article, CopyLink
from storyline.store.rows import ARTICLE_COLUMNS, row_article

_COLUMNS = ", ".join(ARTICLE_COLUMNS)
_CHUNK = 500  # values per IN (...) list, below SQLite's variable limit


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


# settings ----------------------------------------------------------------------------------


def meta(conn: sqlite3.Connection, key: str) -> str | None:
    """A stored setting of the copies stage."""
    row = conn.execute("SELECT value FROM copy_meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store a setting of the copies stage."""
    conn.execute(
        "INSERT INTO copy_meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def reset(conn: sqlite3.Connection) -> None:
    """Forget every fingerprint, link, group and count (before re-fingerprinting)."""
    for table in ("copy_fingerprints", "copy_links", "copy_members", "copy_groups",
                  "copy_sentences"):  # fmt: skip
        conn.execute(f"DELETE FROM {table}")


# fingerprints ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class StoredFingerprints:
    """Every stored fingerprint, as arrays ready for the index (``eq=False``: arrays)."""

    seqs: list[int]
    words: list[int]
    minhashes: np.ndarray  # uint32 [n, num_perm]
    anchors: list[np.ndarray]


def load_fingerprints(conn: sqlite3.Connection, num_perm: int) -> StoredFingerprints:
    """Read every stored fingerprint, oldest first."""
    seqs: list[int] = []
    words: list[int] = []
    minhashes: list[bytes] = []
    anchors: list[np.ndarray] = []
    for seq, count, minhash, anchor_blob in conn.execute(
        "SELECT seq, words, minhash, anchors FROM copy_fingerprints ORDER BY seq"
    ):
        seqs.append(int(seq))
        words.append(int(count))
        minhashes.append(minhash)
        anchors.append(np.frombuffer(anchor_blob, dtype="<u8").astype(np.uint64))
    matrix = np.frombuffer(b"".join(minhashes), dtype="<u4").astype(np.uint32)
    return StoredFingerprints(seqs, words, matrix.reshape(len(seqs), num_perm), anchors)


def next_seq(conn: sqlite3.Connection) -> int:
    """The next free index entry number."""
    return int(
        conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM copy_fingerprints").fetchone()[0]
    )


def save_fingerprint(
    conn: sqlite3.Connection,
    seq: int,
    article_id: str,
    version: int,
    words: int,
    minhash: np.ndarray,
    anchors: np.ndarray,
) -> None:
    """Store the fingerprint of one article version under its index entry number."""
    conn.execute(
        "INSERT INTO copy_fingerprints"
        " (seq, article_id, version, words, minhash, anchors) VALUES (?, ?, ?, ?, ?, ?)",
        (seq, article_id, version, words, minhash.astype("<u4").tobytes(),
         anchors.astype("<u8").tobytes()),
    )  # fmt: skip


def fingerprinted_version(conn: sqlite3.Connection, article_id: str) -> int | None:
    """The newest version of an article that has a fingerprint."""
    row = conn.execute(
        "SELECT max(version) FROM copy_fingerprints WHERE article_id = ?", (article_id,)
    ).fetchone()
    return None if row[0] is None else int(row[0])


def stored_version(conn: sqlite3.Connection, article_id: str) -> int:
    """The version number of an article's current text."""
    row = conn.execute("SELECT version FROM articles WHERE id = ?", (article_id,)).fetchone()
    return 1 if row is None else int(row[0])


def entries(
    conn: sqlite3.Connection, seqs: Sequence[int]
) -> dict[int, tuple[str, int, np.ndarray]]:
    """Index entry numbers -> (article id, version, MinHash values); unknown ones left out."""
    found: dict[int, tuple[str, int, np.ndarray]] = {}
    for chunk in _chunks(list(seqs)):
        rows = conn.execute(
            "SELECT seq, article_id, version, minhash FROM copy_fingerprints"
            f" WHERE seq IN ({_marks(chunk)})",
            chunk,
        )
        for seq, article_id, version, minhash in rows:
            values = np.frombuffer(minhash, dtype="<u4").astype(np.uint32)
            found[int(seq)] = (str(article_id), int(version), values)
    return found


def unfingerprinted(conn: sqlite3.Connection, exclude: Iterable[str]) -> list[Article]:
    """Stored articles that have no fingerprint yet (stored with the stage off), by date."""
    skip = set(exclude)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM articles WHERE id NOT IN"
        " (SELECT article_id FROM copy_fingerprints)"
        " ORDER BY published IS NULL, published, rowid"
    )
    return [row_article(r) for r in rows if r["id"] not in skip]


# article texts -----------------------------------------------------------------------------


def articles(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Article]:
    """Stored articles by id (their current version)."""
    found: dict[str, Article] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        rows = conn.execute(f"SELECT {_COLUMNS} FROM articles WHERE id IN ({_marks(chunk)})", chunk)
        found.update({r["id"]: row_article(r) for r in rows})
    return found


def version_text(conn: sqlite3.Connection, article_id: str, version: int) -> str | None:
    """The text of one version of an article (current or earlier)."""
    row = conn.execute(
        "SELECT text FROM articles WHERE id = ? AND version = ?"
        " UNION ALL SELECT text FROM article_versions WHERE article_id = ? AND version = ?",
        (article_id, version, article_id, version),
    ).fetchone()
    return None if row is None else str(row[0])


def same_text(conn: sqlite3.Connection, text_hash: str, article_id: str) -> list[str]:
    """Other articles with the same normalised text that the stage has already seen."""
    rows = conn.execute(
        "SELECT id FROM articles a WHERE text_hash = ? AND id != ? AND EXISTS"
        " (SELECT 1 FROM copy_fingerprints f WHERE f.article_id = a.id) ORDER BY rowid LIMIT 8",
        (text_hash, article_id),
    )
    return [str(r[0]) for r in rows]


# sentence counts (boilerplate) -------------------------------------------------------------


def sentence_counts(conn: sqlite3.Connection, keys: Sequence[int]) -> dict[int, int]:
    """In how many earlier articles each sentence key appeared (absent: none)."""
    found: dict[int, int] = {}
    for chunk in _chunks(list(set(keys))):
        rows = conn.execute(
            f"SELECT key, articles FROM copy_sentences WHERE key IN ({_marks(chunk)})", chunk
        )
        found.update({int(r[0]): int(r[1]) for r in rows})
    return found


def count_sentences(conn: sqlite3.Connection, keys: Iterable[int]) -> None:
    """Count one more article for each of these sentence keys."""
    conn.executemany(
        "INSERT INTO copy_sentences (key, articles) VALUES (?, 1)"
        " ON CONFLICT (key) DO UPDATE SET articles = articles + 1",
        [(k,) for k in set(keys)],
    )


# links -------------------------------------------------------------------------------------


def save_link(conn: sqlite3.Connection, link: CopyLink) -> None:
    """Store (or replace) one copy link."""
    passages = [[c[0], c[1], t[0], t[1]] for c, t in link.passages]
    conn.execute(
        "INSERT OR REPLACE INTO copy_links (source_id, source_version, target_id,"
        " target_version, relation, overlap, target_overlap, similarity, passages, reason,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (link.source_id, link.source_version, link.target_id, link.target_version,
         link.relation, round(link.overlap, 4), round(link.target_overlap, 4),
         round(link.similarity, 4), json.dumps(passages), link.reason, _now()),
    )  # fmt: skip


def _row_link(row: sqlite3.Row) -> CopyLink:
    spans = json.loads(row["passages"])
    return CopyLink(
        source_id=row["source_id"],
        target_id=row["target_id"],
        relation=row["relation"],
        overlap=float(row["overlap"]),
        passages=tuple(((s[0], s[1]), (s[2], s[3])) for s in spans),
        target_overlap=float(row["target_overlap"]),
        similarity=float(row["similarity"]),
        source_version=int(row["source_version"]),
        target_version=int(row["target_version"]),
        reason=row["reason"],
    )


def links_of(conn: sqlite3.Connection, article_id: str) -> list[CopyLink]:
    """Every link in which an article is the copy or the target, oldest first."""
    rows = conn.execute(
        "SELECT * FROM copy_links WHERE source_id = ? OR target_id = ? ORDER BY rowid",
        (article_id, article_id),
    )
    return [_row_link(r) for r in rows]


def links_among(conn: sqlite3.Connection, ids: Sequence[str]) -> list[CopyLink]:
    """Every link whose copy is one of these articles."""
    found: list[CopyLink] = []
    for chunk in _chunks(list(ids)):
        rows = conn.execute(
            f"SELECT * FROM copy_links WHERE source_id IN ({_marks(chunk)}) ORDER BY rowid", chunk
        )
        found += [_row_link(r) for r in rows]
    return found


def count_links(conn: sqlite3.Connection) -> dict[str, int]:
    """How many links of each relation the workspace holds."""
    rows = conn.execute("SELECT relation, count(*) FROM copy_links GROUP BY relation")
    return {str(r[0]): int(r[1]) for r in rows}


# groups ------------------------------------------------------------------------------------


def membership(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Article id -> (group id, origin id), for the articles that belong to a group."""
    found: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(list(ids)):
        rows = conn.execute(
            "SELECT article_id, group_id, origin_id FROM copy_members"
            f" WHERE article_id IN ({_marks(chunk)})",
            chunk,
        )
        found.update({str(r[0]): (str(r[1]), str(r[2])) for r in rows})
    return found


def members(conn: sqlite3.Connection, group_id: str, limit: int | None = None) -> list[str]:
    """The articles of a copy group (the first ``limit``), in the order they were stored."""
    rows = conn.execute(
        "SELECT m.article_id FROM copy_members m JOIN articles a ON a.id = m.article_id"
        " WHERE m.group_id = ? ORDER BY a.rowid LIMIT ?",
        (group_id, -1 if limit is None else limit),
    )
    return [str(r[0]) for r in rows]


def group_summary(conn: sqlite3.Connection, group_id: str) -> tuple[int, int, datetime | None]:
    """A copy group's size, independent origins and earliest publication date."""
    row = conn.execute(
        "SELECT count(*), count(DISTINCT m.origin_id), min(a.published) FROM copy_members m"
        " JOIN articles a ON a.id = m.article_id WHERE m.group_id = ?",
        (group_id,),
    ).fetchone()
    first = datetime.fromisoformat(row[2]) if row[2] else None
    return int(row[0]), int(row[1]), first


def group_size(conn: sqlite3.Connection, group_id: str) -> int:
    """How many articles a copy group holds."""
    row = conn.execute("SELECT count(*) FROM copy_members WHERE group_id = ?", (group_id,))
    return int(row.fetchone()[0])


def join(conn: sqlite3.Connection, a: str, b: str, same_origin: bool) -> str:
    """Put two linked articles into one copy group (and one origin when ``same_origin``).

    The larger group keeps its id; returns the id of the group both now belong to.
    """
    known = membership(conn, [a, b])
    for article in (a, b):
        if article not in known:
            conn.execute(
                "INSERT INTO copy_members (article_id, group_id, origin_id) VALUES (?, ?, ?)",
                (article, article, article),
            )
            known[article] = (article, article)
    group = _union(conn, "group_id", known[a][0], known[b][0])
    if same_origin:
        _union(conn, "origin_id", known[a][1], known[b][1])
    return group


def _union(conn: sqlite3.Connection, column: str, x: str, y: str) -> str:
    if x == y:
        return x
    sizes = {
        g: int(conn.execute(f"SELECT count(*) FROM copy_members WHERE {column} = ?", (g,))
               .fetchone()[0])
        for g in (x, y)
    }  # fmt: skip
    keep, drop = sorted((x, y), key=lambda g: (-sizes[g], g))
    conn.execute(f"UPDATE copy_members SET {column} = ? WHERE {column} = ?", (keep, drop))
    if column == "group_id":
        conn.execute("DELETE FROM copy_groups WHERE group_id = ?", (drop,))
    return keep


def origins(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
    """Article id -> origin id (an article in no group is its own origin)."""
    found = {article: article for article in ids}
    found.update({a: origin for a, (_group, origin) in membership(conn, ids).items()})
    return found


# provenance --------------------------------------------------------------------------------


def save_provenance(
    conn: sqlite3.Connection,
    group_id: str,
    original_id: str,
    reason: str,
    size: int,
    origin_count: int,
    first_published: datetime | None,
) -> None:
    """Store the likely original of a copy group and the reason for the choice."""
    conn.execute(
        "INSERT INTO copy_groups (group_id, original_id, reason, size, origins,"
        " first_published, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (group_id) DO UPDATE SET original_id = excluded.original_id,"
        " reason = excluded.reason, size = excluded.size, origins = excluded.origins,"
        " first_published = excluded.first_published, updated_at = excluded.updated_at",
        (group_id, original_id, reason, size, origin_count,
         first_published.isoformat() if first_published else None, _now()),
    )  # fmt: skip


def provenance(conn: sqlite3.Connection, group_id: str) -> dict[str, Any] | None:
    """The stored provenance of one copy group."""
    row = conn.execute("SELECT * FROM copy_groups WHERE group_id = ?", (group_id,)).fetchone()
    return None if row is None else dict(row)


def groups(
    conn: sqlite3.Connection, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    """Copy groups, largest first, then the most recent first."""
    rows = conn.execute(
        "SELECT * FROM copy_groups ORDER BY size DESC, first_published DESC, group_id"
        " LIMIT ? OFFSET ?",
        (-1 if limit is None else limit, offset),
    )
    return [dict(r) for r in rows]


def count_groups(conn: sqlite3.Connection) -> int:
    """How many copy groups the workspace holds."""
    return int(conn.execute("SELECT count(*) FROM copy_groups").fetchone()[0])
