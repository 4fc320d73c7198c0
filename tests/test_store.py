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
