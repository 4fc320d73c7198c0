"""Name rarity: names found in many articles of the stream weigh less in the names signal,
and the counts behind it are kept in the workspace."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from storyline.api import Workspace, open_workspace
from storyline.events.features import Features
from storyline.events.index import EventState
from storyline.events.rarity import NameRarity
from storyline.events.scoring import signals
from storyline.settings import Settings
from storyline.store import events as db


def _features(article_id: str, names: dict[str, float]) -> Features:
    norm = math.sqrt(sum(w * w for w in names.values()))
    return Features(
        article_id=article_id,
        day=20000.0,
        dated=True,
        terms={"talks": 1.0},
        title={"talks": 1.0},
        names={k: w / norm for k, w in names.items()},
        vector=np.zeros(0, dtype=np.float32),
        source=None,
        headline="",
    )


def test_a_name_in_every_article_weighs_less_than_a_rare_one() -> None:
    rarity = NameRarity()
    for n in range(20):
        rarity.observe(_features(f"a{n}", {"e:merrow": 1.0, f"e:victim{n}": 1.0}))
    assert rarity.total == 20 and rarity.counts["e:merrow"] == 20
    assert rarity.weight("e:merrow") == pytest.approx(1.0 + math.log(21 / 21))
    assert rarity.weight("e:unseen") > rarity.weight("e:victim3") > rarity.weight("e:merrow")
    weighed = rarity.weigh(_features("b", {"e:merrow": 1.0, "e:unseen": 1.0}))
    assert weighed.names["e:unseen"] > weighed.names["e:merrow"]
    assert math.fsum(w * w for w in weighed.names.values()) == pytest.approx(1.0)


def test_sharing_only_a_common_name_says_less_than_sharing_a_rare_one() -> None:
    rarity = NameRarity()
    for n in range(50):
        rarity.observe(_features(f"a{n}", {"e:merrow": 1.0, f"e:other{n}": 1.0}))
    event = EventState(1)
    event.add(rarity.weigh(_features("e1", {"e:merrow": 1.0, "e:quillan": 1.0})))
    common = rarity.weigh(_features("x", {"e:merrow": 1.0, "e:vetrova": 1.0}))
    rare = rarity.weigh(_features("y", {"e:quillan": 1.0, "e:vetrova": 1.0}))
    plain = NameRarity()  # no history: every name weighs the same
    unweighed = signals(plain.weigh(_features("x", {"e:merrow": 1.0, "e:vetrova": 1.0})), event)
    assert signals(common, event)["names"] < signals(rare, event)["names"]
    assert signals(common, event)["names"] < unweighed["names"]


def _ingest(tmp_path: Path, records: list[dict[str, str]]) -> Workspace:
    """A workspace (events stage only, no encoder) holding the records."""
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    ws = open_workspace(tmp_path / "ws.db", Settings(workers=1, stages=("events",)))
    ws.ingest([path])
    return ws


def _records(n: int, day: str | None = None) -> list[dict[str, str]]:
    return [
        {"id": f"r{i}", "title": f"Varnholm flood: Aldous Merrow visits ({i})",
         "text": f"Aldous Merrow toured Varnholm after the flood, Ines Aubrac said. Report {i}.",
         "date": day or f"2024-01-0{i + 1}"}
        for i in range(n)
    ]  # fmt: skip


def test_the_counts_are_stored_and_a_reopened_workspace_goes_on_from_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORYLINE_EMBEDDER", "none")
    records = _records(4)
    with _ingest(tmp_path, records[:2]) as ws:
        first = db.name_rarity(ws.store.conn)
    assert first.total == 2 and first.counts and max(first.counts.values()) == 2
    with _ingest(tmp_path, records[2:]) as ws:
        conn = ws.store.conn
        after = db.name_rarity(conn)
        stored = conn.execute("SELECT names FROM event_features").fetchall()
    assert after.total == 4
    for key, n in after.counts.items():  # every count is the number of articles naming it
        assert n == sum(key in json.loads(row[0]) for row in stored)


def test_the_migration_fills_the_counts_from_the_features_already_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importlib import resources

    monkeypatch.setenv("STORYLINE_EMBEDDER", "none")
    with _ingest(tmp_path, _records(3, "2024-02-01")) as ws:
        conn = ws.store.conn
        online = db.name_rarity(conn)
        sql = (
            resources.files("storyline.store.migrations")
            .joinpath("0008_name_counts.sql")
            .read_text("utf-8")
        )
        with ws.store.transaction():
            conn.execute("DROP TABLE event_name_counts")
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
        rebuilt = db.name_rarity(conn)
    assert rebuilt.total == online.total == 3
    assert rebuilt.counts == online.counts


def test_the_trainer_prefers_a_plateau_to_a_lone_spike() -> None:
    from storyline.events.train import best_on_plateau

    # a spike at index 4 between poor neighbours loses to the broad plateau around 1-2
    assert best_on_plateau([0.90, 0.915, 0.916, 0.88, 0.92, 0.85]) in (1, 2)
    assert best_on_plateau([0.5, 0.7, 0.9, 0.7, 0.5]) == 2
    assert best_on_plateau([0.8]) == 0
