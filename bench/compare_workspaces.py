"""Compare two storyline workspaces row by row: did a change keep the stored results?

Every table both workspaces hold is read whole (timestamps and the run log left out,
and the full-text index's internal tables, which follow from ``articles``) and compared
as a multiset of rows. A speed change should show every table identical when the same
input was ingested with the code before and after it:

    PYTHONPATH=<old checkout>/src .venv/bin/storyline ingest FILE --db /tmp/before.db -q
    .venv/bin/storyline ingest FILE --db /tmp/after.db -q
    .venv/bin/python bench/compare_workspaces.py /tmp/before.db /tmp/after.db

Exits 0 when every table is identical, 1 otherwise (with a few differing rows each way).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

TIMESTAMPS = frozenset(
    {"created_at", "updated_at", "ingested_at", "applied_at", "started_at", "finished_at"}
)
SKIPPED = frozenset({"runs", "schema_migrations"})


def tables(conn: sqlite3.Connection) -> set[str]:
    """The compared tables of a workspace."""
    names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {n for (n,) in names if n not in SKIPPED and not n.startswith("article_search")}


def rows(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    """Every row of a table without its timestamps, in a stable order."""
    columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    kept = ", ".join(f'"{c}"' for c in columns if c not in TIMESTAMPS)
    return sorted(conn.execute(f'SELECT {kept} FROM "{table}"').fetchall(), key=repr)


def compare(a: Path, b: Path, shown: int = 2) -> list[str]:
    """One line per table (identical or how it differs); differing rows indented."""
    first, second = sqlite3.connect(a), sqlite3.connect(b)
    lines = []
    for only, where in ((tables(first) - tables(second), a), (tables(second) - tables(first), b)):
        lines += [f"{t}: only in {where}" for t in sorted(only)]
    for table in sorted(tables(first) & tables(second)):
        left, right = rows(first, table), rows(second, table)
        if left == right:
            lines.append(f"{table}: {len(left)} rows identical")
            continue
        lo, ro = set(map(repr, left)), set(map(repr, right))
        lines.append(
            f"{table}: DIFFERS, {len(left)} against {len(right)} rows,"
            f" {len(lo - ro)} only in the first, {len(ro - lo)} only in the second"
        )
        lines += [f"  first:  {r[:300]}" for r in sorted(lo - ro)[:shown]]
        lines += [f"  second: {r[:300]}" for r in sorted(ro - lo)[:shown]]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--quiet", action="store_true", help="print only what differs")
    args = parser.parse_args()
    lines = compare(args.first, args.second)
    differing = [line for line in lines if "identical" not in line]
    for line in differing if args.quiet else lines:
        print(line)
    print("IDENTICAL" if not differing else "DIFFERENT")
    return 0 if not differing else 1


if __name__ == "__main__":
    sys.exit(main())
