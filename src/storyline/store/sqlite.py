"""The SQLite workspace: the only module that writes SQL for articles and runs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from storyline.errors import NotFound, StoreError
from storyline.model import Article, Rejected
from storyline.store.rows import ARTICLE_COLUMNS, article_row, row_article
from storyline.store.schema import migrate

Outcome = Literal["stored", "duplicate", "version"]
_COLUMNS = ", ".join(ARTICLE_COLUMNS)
_MARKS = ", ".join("?" for _ in ARTICLE_COLUMNS)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SqliteStore:
    """A workspace in one SQLite file (WAL mode, one writer, one transaction per batch)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=10000")
            migrate(self.conn)
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"cannot open workspace {self.path}: {error} "
                "(is it a storyline workspace? pass another file with --db)"
            ) from error

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # runs -------------------------------------------------------------------------------

    def begin_run(self, command: str) -> int:
        """Record the start of an ingest run."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO runs (command, started_at) VALUES (?, ?)", (command, _now())
            )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, counts: dict[str, Any]) -> None:
        """Record how a run ended and what it counted."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
                (_now(), status, json.dumps(counts), run_id),
            )

    # writing ----------------------------------------------------------------------------

    def known_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these record keys were already ingested."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self.conn.execute(f"SELECT key FROM records WHERE key IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return found

    def write_batch(
        self,
        run_id: int,
        batch: Sequence[tuple[str, Article | Rejected]],
        after: Callable[[sqlite3.Connection, list[tuple[Article, Outcome]]], None] | None = None,
    ) -> list[Outcome | None]:
        """Store a batch of articles and rejections in one transaction.

        ``after`` runs inside the same transaction with the articles that were stored or
        became new versions, so later stages commit together with the articles.
        Returns, per item, how an article was stored (None for a rejection).
        """
        outcomes: list[Outcome | None] = []
        fresh: list[tuple[Article, Outcome]] = []
        with self.transaction() as conn:
            for key, item in batch:
                if isinstance(item, Rejected):
                    conn.execute(
                        "INSERT INTO rejections (run_id, location, reason, detail, created_at)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (run_id, str(item.location), item.reason, item.detail, _now()),
                    )
                    outcomes.append(None)
                    continue
                outcome = self._put_article(conn, item)
                conn.execute(
                    "INSERT OR IGNORE INTO records (key, article_id, external_id, location,"
                    " status, run_id) VALUES (?, ?, ?, ?, ?, ?)",
                    (key, item.id, item.external_id, item.location, outcome, run_id),
                )
                outcomes.append(outcome)
                if outcome != "duplicate":
                    fresh.append((item, outcome))
            if after is not None and fresh:
                after(conn, fresh)
        return outcomes

    def _put_article(self, conn: sqlite3.Connection, article: Article) -> Outcome:
        row = conn.execute(
            "SELECT text_hash, version FROM articles WHERE id = ?", (article.id,)
        ).fetchone()
        if row is None:
            conn.execute(
                f"INSERT INTO articles ({_COLUMNS}, version, ingested_at) VALUES ({_MARKS}, 1, ?)",
                (*article_row(article), _now()),
            )
            return "stored"
        if row["text_hash"] == article.text_hash:
            return "duplicate"
        # Same canonical URL, new text: keep the old text as a version, store the new one.
        version = int(row["version"])
        conn.execute(
            "INSERT OR IGNORE INTO article_versions (article_id, version, title, text,"
            " text_hash, published, location, ingested_at)"
            " SELECT id, version, title, text, text_hash, published, location, ingested_at"
            " FROM articles WHERE id = ?",
            (article.id,),
        )
        assignments = ", ".join(f"{c} = ?" for c in ARTICLE_COLUMNS[1:])
        conn.execute(
            f"UPDATE articles SET {assignments}, version = ?, ingested_at = ? WHERE id = ?",
            (*article_row(article)[1:], version + 1, _now(), article.id),
        )
        return "version"

    # reading ----------------------------------------------------------------------------

    def article(self, ref: str) -> Article:
        """An article by id, else by its input record's own id, else by a unique id prefix.

        Input ids come before prefixes because they are often short numbers ("45") that
        are also the start of some article id. A prefix may be any length; one that
        starts several ids is an error that says how many and names a few.
        """
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (ref,)).fetchone()
        if row is not None:
            return row_article(row)
        lookups = (
            ("input id", "have it", "give one of their ids", ref,
             "external_id = ?1 OR id IN (SELECT article_id FROM records WHERE external_id = ?1)"),
            ("id prefix", "start with it", "give more of the id", _like_prefix(ref),
             "id LIKE ?1 ESCAPE '\\'"),
        )  # fmt: skip
        for kind, what, fix, arg, where in lookups:
            sql = f"SELECT id FROM articles WHERE {where} ORDER BY id LIMIT 4"
            ids = [r[0] for r in self.conn.execute(sql, (arg,))]
            if len(ids) == 1:
                return self.article(ids[0])
            if ids:
                sql = f"SELECT count(*) FROM articles WHERE {where}"
                total = self.conn.execute(sql, (arg,)).fetchone()[0]
                more = f" and {total - 3} more" if total > 3 else ""
                raise NotFound(
                    f"ambiguous {kind} {ref!r}: {total} articles {what} "
                    f"({', '.join(ids[:3])}{more}): {fix}"
                )
        raise NotFound(f"no article {ref!r} in {self.path}: list them with `storyline articles`")

    def articles(
        self,
        limit: int | None = None,
        offset: int = 0,
        source: str | None = None,
        language: str | None = None,
    ) -> list[Article]:
        """Articles in ingest order, optionally filtered."""
        where, params = _filters(source, language)
        sql = f"SELECT {_COLUMNS} FROM articles{where} ORDER BY rowid LIMIT ? OFFSET ?"
        rows = self.conn.execute(sql, (*params, -1 if limit is None else limit, offset))
        return [row_article(row) for row in rows]

    def count_articles(self, source: str | None = None, language: str | None = None) -> int:
        """How many articles match the filters."""
        where, params = _filters(source, language)
        return int(self.conn.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0])

    def versions(self, article_id: str) -> list[dict[str, Any]]:
        """Earlier versions of an article, oldest first."""
        rows = self.conn.execute(
            "SELECT version, title, text_hash, published, location, ingested_at"
            " FROM article_versions WHERE article_id = ? ORDER BY version",
            (article_id,),
        )
        return [dict(row) for row in rows]

    def records_of(self, article_id: str) -> list[dict[str, Any]]:
        """The input records that map to an article."""
        rows = self.conn.execute(
            "SELECT external_id, location, status FROM records WHERE article_id = ? ORDER BY rowid",
            (article_id,),
        )
        return [dict(row) for row in rows]

    def rejections(self, run_id: int | None = None) -> list[dict[str, Any]]:
        """Rejections of one run, or of all runs."""
        sql = "SELECT run_id, location, reason, detail, created_at FROM rejections"
        params: tuple[Any, ...] = ()
        if run_id is not None:
            sql += " WHERE run_id = ?"
            params = (run_id,)
        return [dict(row) for row in self.conn.execute(sql + " ORDER BY id", params)]

    def runs(self) -> list[dict[str, Any]]:
        """Every ingest run, newest last."""
        rows = self.conn.execute("SELECT * FROM runs ORDER BY id").fetchall()
        return [{**dict(row), "counts": json.loads(row["counts"])} for row in rows]

    def schema_version(self) -> int:
        """The newest migration applied."""
        row = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)


def _like_prefix(ref: str) -> str:
    escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%" if ref else "\0"


def _filters(source: str | None, language: str | None) -> tuple[str, tuple[Any, ...]]:
    clauses, params = [], []
    if source:
        clauses.append("source = ?")
        params.append(source)
    if language:
        clauses.append("language = ?")
        params.append(language)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)
