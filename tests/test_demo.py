"""The bundled demo corpus ingests whole and its documented traps survive cleaning."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from storyline.api import Workspace, open_workspace
from storyline.settings import Settings
from tests.conftest import DEMO, demo_key

EXPECTED = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))


def _by_key(ws: Workspace) -> dict[str, object]:
    return {demo_key(a.location, a.external_id, a.url): a for a in ws.articles()}


def test_every_documented_article_is_stored_once(demo_workspace: Workspace) -> None:
    documented = {key for event in EXPECTED["events"].values() for key in event["articles"]}
    assert set(_by_key(demo_workspace)) == documented
    [run] = demo_workspace.runs()
    assert run["counts"]["rejected"] == {}
    assert run["counts"]["skipped"] == {
        "request record": 2,
        "response 200 application/json": 1,
        "response 200 image/png": 1,
        "warcinfo record": 1,
    }


def test_wire_credits_and_the_stamped_date_are_kept(demo_workspace: Workspace) -> None:
    articles = _by_key(demo_workspace)
    credits = {
        key: sorted((x.agency, x.position) for x in a.attributions)  # type: ignore[attr-defined]
        for key, a in articles.items()
    }
    assert credits["wire.jsonl#demo-005"] == [("CPA", "end")]
    assert credits["wire.jsonl#demo-006"] == [("CPA", "line")]
    assert credits["notes/courier-kellby-factory-blaze.txt"] == []
    [wrong] = EXPECTED["wrong_date"]
    stamped = articles[wrong].published  # type: ignore[attr-defined]
    assert stamped is not None and stamped.date().isoformat() == "2025-03-13"


def test_boilerplate_never_reaches_the_text(demo_workspace: Workspace) -> None:
    for article in demo_workspace.articles():
        for marker in ("Leave a Reply", "© ", "Read more:", "See also", "Share this"):
            assert marker not in article.text, (article.location, marker)
        assert "a professional journalist" not in article.text


def _event_of(ws: Workspace) -> dict[str, int]:
    rows = {r["article_id"]: r["event_id"] for r in ws.assignments()}
    return {demo_key(a.location, a.external_id, a.url): rows[a.id] for a in ws.articles()}


GOLD = {key: e for e, v in EXPECTED["events"].items() for key in v["articles"]}


def _events_of(event_of: dict[str, int], name: str) -> set[int]:
    return {event_of[k] for k, e in GOLD.items() if e == name}


def test_events_keep_the_look_alike_summits_apart(demo_workspace: Workspace) -> None:
    """Real embeddings, entities, event dates and the shipped model."""
    event_of = _event_of(demo_workspace)
    first, second = _events_of(event_of, "E1"), _events_of(event_of, "E2")
    assert len(first) == 1 and len(second) == 1 and not first & second
    # The page stamped 2025 is about the 2024 visit: its event date puts it there.
    [wrong] = EXPECTED["wrong_date"]
    assert {event_of[wrong]} == first
    for name in ("E4", "E6"):
        mine = _events_of(event_of, name)
        others = {event_of[k] for k, e in GOLD.items() if e != name}
        assert len(mine) == 1 and not mine & others, name


def test_recluster_repairs_the_demo_and_records_lineage(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(copy) as target:
        demo_workspace.store.conn.backup(target)
    with open_workspace(copy, Settings(workers=1)) as ws:
        before = _event_of(ws)
        result = ws.recluster()
        after = _event_of(ws)
        for name in ("E1", "E4", "E5", "E6"):
            mine = _events_of(after, name)
            others = {after[k] for k, e in GOLD.items() if e != name}
            assert len(mine) == 1 and not mine & others, name
        retired = set(before.values()) - set(after.values())
        assert result["retired_events"] == len(retired)
        for old in retired:
            assert set(ws.event(old)["successors"]) <= set(after.values())
