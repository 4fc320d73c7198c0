"""Numbered, recorded schema migrations: ``migrations/NNNN_name.sql`` applied in order."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from storyline.errors import MigrationError

_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step."""

    version: int
    name: str
    sql: str


def available() -> list[Migration]:
    """Every migration shipped with this version of storyline, in order."""
    found = []
    for entry in resources.files("storyline.store.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


def applied(conn: sqlite3.Connection) -> list[int]:
    """Versions already applied to this workspace."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]


def migrate(conn: sqlite3.Connection) -> list[Migration]:
    """Apply the missing migrations, each in its own transaction; return those applied."""
    done = set(applied(conn))
    known = available()
    newest = max((m.version for m in known), default=0)
    if done and max(done) > newest:
        raise MigrationError(
            f"this workspace has schema version {max(done)} but this storyline knows only "
            f"up to {newest}: upgrade storyline (pip install -U storyline)"
        )
    ran = []
    for migration in known:
        if migration.version in done:
            continue
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat()),
            )
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            conn.execute("ROLLBACK")
            raise MigrationError(
                f"migration {migration.version:04d}_{migration.name} failed: {error}"
            ) from error
        ran.append(migration)
    return ran


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements; a trigger's BEGIN ... END stays whole."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    found, buffer = [], ""
    for piece in "\n".join(lines).split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):  # a ';' inside BEGIN ... END is not the end
            if buffer.strip(" \n;"):
                found.append(buffer.strip().removesuffix(";").strip())
            buffer = ""
    return found
