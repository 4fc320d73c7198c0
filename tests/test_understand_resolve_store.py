"""The SQL entity resolution reads: batched candidate lookup, context, live links."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from storyline.store import understand as db
from storyline.store.schema import migrate
from storyline.understand import gazetteer, resolve
from storyline.understand.entities import Cluster, RawMention
from storyline.understand.names import name_key


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    # foreign keys stay off: mentions here need no stored articles
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn)
    for entity_id in ("ent:a", "ent:b", "ent:c"):
        db.ensure_entity(conn, entity_id, entity_id, "PERSON", "text")
    yield conn
    conn.close()


def test_candidates_each_gives_every_list_only_its_own_pairs(conn: sqlite3.Connection) -> None:
    db.add_keys(conn, "ent:a", [("name", "john smith"), ("last", "smith"), ("stem", "smith")])
    db.add_keys(conn, "ent:b", [("name", "smith"), ("sound", "SMT")])
    db.add_keys(conn, "ent:c", [("acronym", "un")])
    db.add_keys(conn, "ent:gone", [("name", "smith")])  # no such entity: never a candidate
    wanted = [
        [("last", "smith"), ("sound", "SMT")],
        [("name", "smith"), ("name", "smith")],
        [("acronym", "nato")],
        [],
    ]
    assert db.candidates_each(conn, wanted) == [
        {"ent:a": {("last", "smith")}, "ent:b": {("sound", "SMT")}},
        {"ent:b": {("name", "smith")}},
        {},
        {},
    ]


def test_entity_context_among_counts_only_those_entities(conn: sqlite3.Connection) -> None:
    rows = [
        ("art:1", "ent:a", 1, "A", "PERSON", "text", 0, 1),
        ("art:1", "ent:b", 1, "B", "PERSON", "text", 5, 6),
        ("art:1", "ent:c", 1, "C", "PERSON", "text", 9, 10),
        ("art:2", "ent:a", 1, "A", "PERSON", "text", 0, 1),
        ("art:2", "ent:b", 1, "B", "PERSON", "text", 5, 6),
    ]
    db.insert_mentions(conn, rows)
    assert db.entity_context(conn, "ent:a") == {"ent:b": 2, "ent:c": 1}
    assert db.entity_context(conn, "ent:a", among=["ent:b", "ent:a"]) == {"ent:b": 2}
    assert db.entity_context(conn, "ent:a", among=[]) == {}


def test_live_links_finds_the_first_live_link_of_each_pair(conn: sqlite3.Connection) -> None:
    first = db.add_link(conn, "ent:a", "smith", "Smith", "new", 1.0, {}, None)
    db.add_link(conn, "ent:a", "smith", "Smith", "new", 1.0, {}, None)
    other = db.add_link(conn, "ent:b", "smith", "Smith", "new", 1.0, {}, None)
    undone = db.add_link(conn, "ent:c", "smith", "Smith", "new", 1.0, {}, None)
    conn.execute("UPDATE entity_links SET undone_at = 'x' WHERE id = ?", (undone,))
    pairs = [("ent:a", "smith"), ("ent:b", "smith"), ("ent:c", "smith"), ("ent:a", "jones")]
    assert db.live_links(conn, pairs) == {("ent:a", "smith"): first, ("ent:b", "smith"): other}


def _cluster(text: str) -> Cluster:
    key = name_key(text)
    return Cluster(
        [RawMention(text, "PERSON", 0, len(text), key, None, "ner")], "PERSON", None, {key}
    )


def test_a_block_keeps_a_spelling_apart_only_from_its_entity(conn: sqlite3.Connection) -> None:
    """Blocks are read once per article: one cluster's block leaves the others alone."""
    db.ensure_entity(conn, "ent:ivo", "Ivo Kastelic", "PERSON", "text")
    db.add_link(conn, "ent:ivo", "ivo kastelic", "Ivo Kastelic", "new", 1.0, {}, None)
    db.add_keys(conn, "ent:ivo", resolve.index_keys("Ivo Kastelic", "person"))
    resolver = resolve.Resolver(conn, gazetteer.load())
    spelled = [_cluster("Ivo Kastelitch"), _cluster("Ivo Kastelik")]
    assert [d.entity_id for d in resolver.resolve("art:1", spelled)] == ["ent:ivo"] * 2
    conn.execute("INSERT INTO entity_blocks VALUES ('ivo kastelitch', 'ent:ivo')")
    first, second = resolver.resolve("art:2", spelled)
    assert (first.rule, second.entity_id) == ("new", "ent:ivo")
