"""The SQLite workspace: recorded migrations, WAL, clear errors, transactional batches."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.errors import MigrationError, NotFound, StoreError
from storyline.model import Article, Location, Rejected
from storyline.store import SqliteStore
from storyline.store.schema import available


def _article(n: int, text: str = "Some text of an article.") -> Article:
    return Article(
        id=f"id{n:04d}",
        title=f"Title {n}",
        text=text,
        text_hash=f"h{n}",
        published=datetime(2025, 1, n % 28 + 1, tzinfo=UTC),
        external_id=f"ext-{n}",
        location=f"input.jsonl: line {n}",
    )


def test_migrations_are_numbered_recorded_and_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    store = SqliteStore(path)
    versions = [m.version for m in available()]
    assert versions == sorted(versions) and versions[0] == 1
    rows = store.conn.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert [r[0] for r in rows] == versions
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    again = SqliteStore(path)
    assert again.schema_version() == versions[-1]
    again.close()


def test_a_workspace_from_a_newer_storyline_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    SqliteStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    with pytest.raises(MigrationError, match="schema version 999 but this storyline knows only"):
        SqliteStore(path)


def test_a_file_that_is_not_a_workspace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not a database " * 100)
    with pytest.raises(
        StoreError, match=r"cannot open workspace .*notes.db: file is not a database"
    ):
        SqliteStore(path)


def test_a_failed_batch_leaves_nothing_behind(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "ws.db")
    run = store.begin_run("test")
    store.write_batch(run, [("k1", _article(1))])

    class Boom(Exception):
        pass

    with pytest.raises(Boom), store.transaction() as conn:
        conn.execute("UPDATE articles SET title = 'changed'")
        raise Boom
    assert store.article("id0001").title == "Title 1"
    bad = [("k2", _article(2)), ("k3", None)]
    with pytest.raises(AttributeError):
        store.write_batch(run, bad)  # type: ignore[arg-type]
    assert store.count_articles() == 1
    assert store.known_keys(["k1", "k2"]) == {"k1"}


def test_rejections_and_lookups(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "ws.db")
    run = store.begin_run("test")
    rejected = Rejected(Location("a.jsonl", line=3), "malformed", "invalid JSON")
    outcomes = store.write_batch(run, [("k1", _article(1)), ("", rejected), ("k1b", _article(1))])
    assert outcomes == ["stored", None, "duplicate"]
    assert store.rejections(run)[0]["location"] == "a.jsonl: line 3"
    assert store.article("ext-1").id == "id0001"
    assert store.article("id00").id == "id0001"
    with pytest.raises(NotFound, match="no article 'nope' in"):
        store.article("nope")
    assert store.article("id0001") == _article(1)


def _workspace_before(path: Path, newest: int) -> sqlite3.Connection:
    """A workspace made by a storyline whose newest migration was ``newest``."""
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for migration in available():
        if migration.version <= newest:
            conn.executescript(migration.sql)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, 'then')",
                (migration.version, migration.name),
            )
    conn.commit()
    return conn


def test_migration_7_lets_copy_links_be_shared_and_relinks_old_partial_ones(
    tmp_path: Path,
) -> None:
    from storyline.api import open_workspace
    from storyline.copies import copy_group, copy_links
    from storyline.copies.fingerprint import PARAMS
    from storyline.extract.normalize import text_hash
    from storyline.settings import Settings
    from tests.test_copies_stage import ingest, record, reuse

    path = tmp_path / "ws.db"
    old = _workspace_before(path, 6)
    original, later = reuse(3, 63)
    texts = {"a": original, "b": later, "c": original}
    for n, (key, text) in enumerate(texts.items(), start=1):
        old.execute(
            "INSERT INTO articles (id, title, text, text_hash, published, source, format,"
            " location, ingested_at) VALUES (?, ?, ?, ?, ?, ?, 'jsonl', ?, 'then')",
            (key, f"Title {key}", text, text_hash(text), f"2024-06-0{n}T00:00:00+00:00",
             f"Outlet {key}", f"in.jsonl: line {n}"),
        )  # fmt: skip
    # what storyline made of them before: b a partial copy of a (16% of each), c verbatim
    old.executemany(
        "INSERT INTO copy_links VALUES (?, 1, 'a', 1, ?, ?, ?, 0.1, '[]', ?, 'then')",
        [("b", "partial", 0.16, 0.16, "1 reused passage(s)"),
         ("c", "verbatim", 1.0, 1.0, "the same text")],
    )  # fmt: skip
    old.executemany("INSERT INTO copy_members VALUES (?, 'a', ?)",
                    [("a", "a"), ("b", "b"), ("c", "a")])  # fmt: skip
    old.execute("INSERT INTO copy_meta VALUES ('fingerprint', ?)", (PARAMS,))
    old.commit()
    old.close()

    store = SqliteStore(path)
    conn = store.conn
    assert store.schema_version() == available()[-1].version
    rows = conn.execute(
        "SELECT source_id, relation, overlap, reason FROM copy_links ORDER BY rowid"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("b", "shared", 0.16, "shared passages, under 25% of both texts (was partial): "
         "1 reused passage(s)"),
        ("c", "verbatim", 1.0, "the same text"),
    ]  # fmt: skip
    indexes = conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'copy_links'")
    assert "copy_links_target" in {r[0] for r in indexes}
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        conn.execute("UPDATE copy_links SET relation = 'copied' WHERE source_id = 'c'")
    assert conn.execute("SELECT value FROM copy_meta").fetchone()[0] != PARAMS
    store.close()

    # the next ingest with the copies stage links the workspace again: b leaves a's group
    with open_workspace(path, Settings(workers=1, stages=("copies",))) as ws:
        ingest(ws, tmp_path, [record("d", "A short note.", "2024-06-05")])
        relations = {k.source_id: k.relation for k in copy_links(ws.store.conn, "a")}
        assert relations == {"b": "shared", "c": "verbatim"}
        assert copy_group(ws.store.conn, "b") == ["b"]
        assert sorted(copy_group(ws.store.conn, "c")) == ["a", "c"]
