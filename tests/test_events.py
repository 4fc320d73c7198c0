"""Events: online clustering, time-aware identity, explanations, lineage, export, eval."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.api import Workspace, open_workspace
from storyline.cli import cli
from storyline.events.metrics import score
from storyline.settings import Settings

PLACES = [
    "Varnholm",
    "Quessant",
    "Doravik",
    "Ilmaret",
    "Tsurigo",
    "Belcastra",
    "Ondrevo",
    "Kaspelin",
]
PEOPLE = ["Aldous Merrow", "Nadia Vetrova", "Tomas Quillan", "Ines Aubrac", "Ravi Sunder",
          "Lotte Brandvik", "Hugo Castellane", "Mira Okonjo"]  # fmt: skip
KINDS = [
    ("flood", "river burst its banks and water filled the streets", "sandbags rescue boats"),
    ("election", "voters chose a new mayor after a tight count", "ballots turnout council"),
    ("strike", "rail workers walked out over pay and shifts", "trains union wages"),
    ("fire", "a warehouse fire sent smoke over the harbour", "firefighters blaze smoke"),
    ("trial", "a jury heard the case against a former minister", "court verdict prosecutors"),
    ("festival", "a music festival drew crowds to the old park", "stages bands tickets"),
    ("quake", "a strong earthquake shook buildings before dawn", "tremor epicentre aftershocks"),
    ("merger", "two shipping firms agreed to merge their fleets", "shareholders deal fleet"),
]


def _article(event: int, n: int, day: date, rng: random.Random) -> dict[str, object]:
    kind, story, words = KINDS[event % len(KINDS)]
    place, person = PLACES[event % len(PLACES)], PEOPLE[event % len(PEOPLE)]
    extra = " ".join(rng.sample(words.split(), 2))
    return {
        "id": f"ev{event}-{n}",
        "title": f"{place} {kind}: {person} speaks as {extra} dominate",
        "text": f"In {place}, {story}. {person} said the {kind} had changed the town.\n\n"
        f"Officials in {place} counted the cost of the {kind} on {day:%A}. {extra.capitalize()} "
        f"were on everyone's mind, {person} told reporters on {day:%d %B %Y} (report {n}).",
        "date": day.isoformat(),
        "source": f"Outlet {n % 4}",
        "event": f"E{event}",
    }


def synthetic(k: int = 8, per_event: int = 5, seed: int = 7) -> list[dict[str, object]]:
    """k events with known membership, a few days each, in date order."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    records = []
    for event in range(k):
        first = start + timedelta(days=event * 3)
        for n in range(per_event):
            records.append(_article(event, n, first + timedelta(days=n % 3), rng))
    records.sort(key=lambda r: (str(r["date"]), str(r["id"])))
    return records


@pytest.fixture(autouse=True)
def _no_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests run without the embedding model (fast); tests/test_demo covers it."""
    monkeypatch.setenv("STORYLINE_EMBEDDER", "none")
    monkeypatch.setenv("STORYLINE_STAGES", "events")


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _open(path: Path) -> Workspace:
    return open_workspace(path, Settings(workers=1, batch_size=16, stages=("events",)))


def _predicted(ws: Workspace) -> dict[str, int]:
    return {row["id"]: row["event_id"] for row in ws.assignments()}


def test_k_synthetic_events_come_back(tmp_path: Path) -> None:
    records = synthetic()
    with _open(tmp_path / "ws.db") as ws:
        ws.ingest([_write(tmp_path / "in.jsonl", records)])
        predicted = _predicted(ws)
        assert ws.count_events() == 8
    gold = {str(r["id"]): str(r["event"]) for r in records}
    scores = score(gold, {k: str(v) for k, v in predicted.items()})
    assert scores.pairwise_f1 == 1.0


def test_the_same_actors_a_year_apart_are_two_events_and_daily_coverage_is_one(
    tmp_path: Path,
) -> None:
    rng = random.Random(1)
    first = [_article(0, n, date(2024, 3, 10) + timedelta(days=n % 2), rng) for n in range(4)]
    again = [_article(0, n + 10, date(2025, 3, 10) + timedelta(days=n % 2), rng) for n in range(4)]
    daily = [_article(2, n, date(2024, 6, 1) + timedelta(days=n), rng) for n in range(30)]
    records = sorted(first + again + daily, key=lambda r: str(r["date"]))
    with _open(tmp_path / "ws.db") as ws:
        ws.ingest([_write(tmp_path / "in.jsonl", records)])
        predicted = _predicted(ws)
    assert len({predicted[str(r["id"])] for r in first}) == 1
    assert len({predicted[str(r["id"])] for r in again}) == 1
    assert predicted[str(first[0]["id"])] != predicted[str(again[0]["id"])]
    assert len({predicted[str(r["id"])] for r in daily}) == 1


def test_same_input_same_order_gives_identical_output(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", synthetic(seed=3))
    runs = []
    for name in ("a.db", "b.db"):
        with _open(tmp_path / name) as ws:
            ws.ingest([source])
            runs.append(list(ws.assignments()))
            runs.append([ws.why(row["article_id"])["candidates"] for row in runs[-1]])
    assert [{k: r[k] for k in ("id", "event_id")} for r in runs[0]] == [
        {k: r[k] for k in ("id", "event_id")} for r in runs[2]
    ]
    assert runs[1] == runs[3]


def test_a_reopened_workspace_continues_its_events(tmp_path: Path) -> None:
    records = synthetic(k=3, per_event=4)
    with _open(tmp_path / "ws.db") as ws:
        ws.ingest([_write(tmp_path / "one.jsonl", records[:6])])
    with _open(tmp_path / "ws.db") as ws:
        ws.ingest([_write(tmp_path / "two.jsonl", records[6:])])
        predicted = _predicted(ws)
        assert ws.count_events() == 3
    by_gold = defaultdict(set)
    for r in records:
        by_gold[r["event"]].add(predicted[str(r["id"])])
    assert all(len(events) == 1 for events in by_gold.values())


def test_a_late_arrival_joins_its_old_event(tmp_path: Path) -> None:
    rng = random.Random(5)
    old = [_article(1, n, date(2023, 5, 2), rng) for n in range(3)]
    later = [_article(k, 0, date(2024, 1, 1) + timedelta(days=k * 30), rng) for k in range(2, 7)]
    late = _article(1, 9, date(2023, 5, 3), rng)
    with _open(tmp_path / "ws.db") as ws:
        ws.ingest([_write(tmp_path / "a.jsonl", old + later)])
        ws.ingest([_write(tmp_path / "b.jsonl", [late])])
        predicted = _predicted(ws)
    assert predicted[str(late["id"])] == predicted[str(old[0]["id"])]


def test_why_explains_candidates_signals_and_weights(tmp_path: Path) -> None:
    records = synthetic(k=2, per_event=3)
    with _open(tmp_path / "ws.db") as ws:
        ws.ingest([_write(tmp_path / "in.jsonl", records)])
        first, second = ws.why(str(records[0]["id"])), ws.why(str(records[1]["id"]))
    assert first["action"] == "founded"
    assert first["reason"].startswith(f"founded event {first['event_id']}")
    joined = second if second["action"] == "joined" else ws_why_any_joined(tmp_path)
    assert joined["reason"].startswith(f"joined event {joined['event_id']}: p=")
    candidate = joined["candidates"][0]
    assert set(candidate["signals"]) == set(joined["weights"])
    assert 0.0 <= candidate["probability"] <= 1.0


def ws_why_any_joined(tmp_path: Path) -> dict[str, object]:
    with _open(tmp_path / "ws.db") as ws:
        for row in ws.assignments():
            found = ws.why(row["article_id"])
            if found["action"] == "joined":
                return found
    raise AssertionError("no article joined an event")


def test_recluster_records_lineage_and_old_ids_resolve(tmp_path: Path) -> None:
    records = synthetic(k=2, per_event=4)
    with _open(tmp_path / "ws.db") as ws:
        ws.ingest([_write(tmp_path / "in.jsonl", records)])
        conn = ws.store.conn
        # Damage: split event 1's last two articles into a new event, as a mistake would.
        ids = [r["article_id"] for r in ws.assignments()]
        from storyline.store import events as db

        with ws.store.transaction():
            wrong = db.new_event(conn)
            first_event = db.membership(conn, ids)[ids[0]]
            moved = [a for a in ids if db.membership(conn, [a])[a] == first_event][-2:]
            for article in moved:
                db.set_member(conn, article, wrong)
            db.update_event(conn, wrong, 2, None, None, 0.0, "wrong")
        before = {row["id"]: row["event_id"] for row in ws.assignments()}
        result = ws.recluster()
        after = {row["id"]: row["event_id"] for row in ws.assignments()}
        assert result["events_before"] == 3 and result["events_after"] == 2
        assert ws.event(wrong)["successors"] == [
            after[next(i for i in before if before[i] == wrong)]
        ]
        assert ws.event(wrong)["status"] in ("merged", "split")
        assert max(after.values()) > wrong  # new ids, never reused
        moved_reason = ws.why(moved[0])["reason"]
        assert "by recluster" in moved_reason


def test_export_has_one_line_per_input_record_with_duplicates(tmp_path: Path) -> None:
    records = synthetic(k=2, per_event=2)
    copy = dict(records[0], id="copy-of-first")  # same text, no URL: the same article
    records.append(copy)
    db = tmp_path / "ws.db"
    with _open(db) as ws:
        ws.ingest([_write(tmp_path / "in.jsonl", records)])
    result = CliRunner().invoke(cli, ["export", "assignments", "--db", str(db)])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == [str(r["id"]) for r in records]
    by_id = {line["id"]: line for line in lines}
    assert by_id["copy-of-first"]["article_id"] == by_id[str(records[0]["id"])]["article_id"]
    assert by_id["copy-of-first"]["event_id"] == by_id[str(records[0]["id"])]["event_id"]
    assert set(lines[0]) == {"id", "article_id", "event_id"}


def test_eval_hides_labels_and_scores(tmp_path: Path) -> None:
    path = _write(tmp_path / "labelled.jsonl", synthetic(k=4, per_event=3))
    out = tmp_path / "assign.jsonl"
    keep = tmp_path / "kept.db"
    result = CliRunner().invoke(
        cli, ["eval", str(path), "--json", "--out", str(out), "--keep-db", str(keep)]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert (figures["articles"], figures["gold_events"], figures["events"]) == (12, 4, 4)
    assert figures["pairwise_f1"] == 1.0 and figures["bcubed_f1"] == 1.0
    assert len(out.read_text().splitlines()) == 12
    with _open(keep) as ws:
        assert all("event" not in a.metadata for a in ws.articles())


def test_undated_untitled_future_and_repeated_ids(tmp_path: Path) -> None:
    rng = random.Random(2)
    records = [_article(3, n, date(2024, 2, 1), rng) for n in range(3)]
    del records[0]["date"]
    del records[1]["title"]
    records[2]["date"] = "2031-01-01"
    records.append(dict(_article(4, 0, date(2024, 2, 1), rng), id=records[0]["id"]))
    with _open(tmp_path / "ws.db") as ws:
        summary = ws.ingest([_write(tmp_path / "in.jsonl", records)])
        assert (summary.stored, summary.rejected_total) == (4, 0)
        rows = list(ws.assignments())
        assert len(rows) == 4 and all(r["event_id"] is not None for r in rows)
        undated = ws.why(rows[0]["article_id"])
        assert undated["candidates"] == [] or undated["candidates"][0]["signals"]["undated"] == 1.0
        future = ws.why(rows[2]["article_id"])
        assert all(c["signals"]["undated"] == 1.0 for c in future["candidates"])


def test_a_future_date_is_no_date_and_ages_nothing_out(tmp_path: Path) -> None:
    rng = random.Random(4)
    early = [_article(5, n, date(2024, 4, 1), rng) for n in range(3)]
    future = dict(_article(6, 0, date(2024, 4, 2), rng), date="2099-01-01")
    late = _article(5, 7, date(2024, 4, 3), rng)
    with _open(tmp_path / "ws.db") as ws:
        ws.ingest([_write(tmp_path / "a.jsonl", [*early, future])])
        ws.ingest([_write(tmp_path / "b.jsonl", [late])])
        predicted = _predicted(ws)
        assert ws.event(predicted[str(future["id"])])["first_day"] is None
    assert predicted[str(late["id"])] == predicted[str(early[0]["id"])]


def test_the_index_keeps_no_empty_postings() -> None:
    """Re-indexing an event whose heaviest terms change must not leave empty keys behind."""
    import numpy as np

    from storyline.events.features import Features
    from storyline.events.index import EventIndex, EventState

    index = EventIndex(30.0)
    event = EventState(1)
    for n in range(40):
        terms = {f"word{n}-{k}": 1.0 / (k + 1) for k in range(40)}
        f = Features(f"a{n}", 100.0 + n, True, terms, {}, {}, np.zeros(0, np.float32), None, "")
        event.add(f)
        index.put(event)
    assert all(index._postings.values())
    assert set(index._postings) == index._keys[1]
    index.drop(1)
    assert not index._postings


def test_recluster_keeps_look_alike_events_apart(tmp_path: Path) -> None:
    """Four floods in four towns in one week, told in the same words: re-clustering a
    clean stream must not merge them (their centroids look alike; their articles do not
    belong to each other's events)."""
    records = []
    for town, (place, person) in enumerate(zip(PLACES[:4], PEOPLE[:4], strict=True)):
        for n in range(4):
            day = date(2024, 3, 4 + town)
            records.append({
                "id": f"f{town}-{n}", "event": f"F{town}", "date": day.isoformat(),
                "source": f"Outlet {n}",
                "title": f"Flood in {place}: river bursts its banks, {person} says",
                "text": f"The river burst its banks in {place} and water filled the streets. "
                f"{person}, the mayor of {place}, said sandbags and rescue boats were sent "
                f"to {place} on {day:%A} (report {n}).",
            })  # fmt: skip
    with _open(tmp_path / "ws.db") as ws:
        ws.ingest([_write(tmp_path / "in.jsonl", records)])
        before = _predicted(ws)
        ws.recluster()
        after = _predicted(ws)
    gold = {str(r["id"]): str(r["event"]) for r in records}
    online = score(gold, {k: str(v) for k, v in before.items()})
    repaired = score(gold, {k: str(v) for k, v in after.items()})
    assert repaired.pairwise_p >= online.pairwise_p
    assert len(set(after.values())) >= 4
