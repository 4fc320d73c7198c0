"""What happened on the demo corpus: briefs that cite every sentence, source comparisons
that count wire copies once and find the documented contradictions and single-source
facts, timelines, storylines, the CLI and the report (embedder "none": fast and
deterministic; one test runs the real sentence encoder)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from storyline.analysis import analyse_event, check_citations, storylines
from storyline.analysis.brief import make_brief, with_resolved_dates
from storyline.analysis.citations import sentences_of
from storyline.api import Workspace
from storyline.cli import cli
from storyline.events.embed import NoEmbedder, make_embedder
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from analysis_gold import (
    DemoAnalyses,
    analyse_all,
    demo_ids,
    score_contradictions,
    score_single_source,
)

# Floors measured with the "none" embedder (BENCHMARKS.md); they may only go up.
CONTRADICTIONS_FLOOR = 7  # of 15 documented
SINGLE_SOURCE_FLOOR = 20  # of 21 documented


@pytest.fixture(scope="module")
def found(demo_workspace: Workspace) -> DemoAnalyses:
    return analyse_all(demo_workspace, NoEmbedder())


@pytest.fixture(scope="module")
def ids(demo_workspace: Workspace) -> dict[str, str]:
    return demo_ids(demo_workspace)


def _event_of(ws: Workspace, article_id: str) -> int:
    row = ws.store.conn.execute(
        "SELECT event_id FROM event_members WHERE article_id = ?", (article_id,)
    ).fetchone()
    return int(row[0])


def test_every_brief_sentence_is_a_cited_sentence_of_its_article(
    demo_workspace: Workspace, found: DemoAnalyses
) -> None:
    checked = 0
    for event_id, analysis in found.by_event.items():
        brief = make_brief(analysis, f"Event {event_id}")
        articles = {a: i.article for a, i in analysis.inputs.items()}
        assert check_citations(brief, articles) == []
        for s in sentences_of(brief):
            assert s.citations and s.source_text in articles[s.article_id].text
            checked += 1
    assert checked >= 40


def test_wire_copies_count_once(
    demo_workspace: Workspace, found: DemoAnalyses, ids: dict[str, str]
) -> None:
    fire = found.by_event[_event_of(demo_workspace, ids["wire.jsonl#demo-004"])]
    fact = next(
        f
        for f in fire.comparison.facts
        if any("cause of the fire was not yet known" in c.text for c in f.claims)
    )
    assert len(fact.articles) == 4 and fact.origins == 1
    assert fact.lead.article_id == ids["wire.jsonl#demo-004"]  # the original states it
    assert fact in fire.comparison.single_source


def test_documented_single_source_facts_are_found(found: DemoAnalyses, ids: dict[str, str]) -> None:
    rows = score_single_source(found, ids)
    assert all(r["located"] for r in rows)
    assert sum(r["recovered"] for r in rows) >= SINGLE_SOURCE_FLOOR


def test_documented_contradictions_are_found(found: DemoAnalyses, ids: dict[str, str]) -> None:
    rows = {r["topic"]: r["recovered"] for r in score_contradictions(found, ids)}
    assert sum(rows.values()) >= CONTRADICTIONS_FLOOR
    assert rows["was the storage-hall fire alarm switched off"]
    assert rows["size of the rate rise"]


def test_the_brief_states_disputes_apart(
    demo_workspace: Workspace, found: DemoAnalyses, ids: dict[str, str]
) -> None:
    fire = found.by_event[_event_of(demo_workspace, ids["wire.jsonl#demo-004"])]
    brief = make_brief(fire, "fire")
    kinds = {d.kind for d in brief.disagreements}
    assert {"number", "denial"} <= kinds
    stated = " ".join(s.source_text for s in brief.sentences)
    assert "THREE workers died" not in stated  # the minority's figure is never a fact
    death = next(d for d in brief.disagreements if d.kind == "number")
    assert {value.lower() for value, _ in death.sides} == {"two workers", "three workers"}


def test_relative_dates_are_shown_resolved(
    demo_workspace: Workspace, found: DemoAnalyses, ids: dict[str, str]
) -> None:
    claim = next(
        c
        for c in found.claim_of.values()
        if c.article_id == ids["wire.jsonl#demo-017"] and "late on Sunday" in c.text
    )
    assert "late on Sunday [8 June 2025]" in with_resolved_dates(claim)


def test_timeline_starts_with_the_first_report(
    demo_workspace: Workspace, ids: dict[str, str]
) -> None:
    strike = _event_of(demo_workspace, ids["wire.jsonl#demo-015"])
    timeline = demo_workspace.timeline(strike, embedder=NoEmbedder())
    first = timeline.entries[[e.kind for e in timeline.entries].index("first report")]
    assert str(first.day) == "2025-06-02"
    assert first.sentence.article_id == ids["wire.jsonl#demo-015"]
    days = [e.day for e in timeline.entries]
    assert days == sorted(days)
    assert any(str(day) == "2025-06-02" for day, _ in timeline.event_dates)


def test_the_fire_opens_with_the_wire_report_and_a_denial_is_not_a_claims_source(
    demo_workspace: Workspace, ids: dict[str, str]
) -> None:
    wire, klaxon = ids["wire.jsonl#demo-004"], ids["pages/klaxon-inferno-three-killed.html"]
    denial = next(
        v for k, v in ids.items() if k.endswith("brennick-denies-alarm-switched-off-kellby")
    )
    # the Klaxon's page is stamped 14:20 (its time of day is kept), after the 09:40 wire
    assert demo_workspace.article(klaxon).published.isoformat() == "2024-11-19T14:20:00+00:00"
    timeline = demo_workspace.timeline(_event_of(demo_workspace, wire), embedder=NoEmbedder())
    first = timeline.entries[[e.kind for e in timeline.entries].index("first report")]
    assert first.sentence.article_id == wire
    for entry in timeline.entries:
        if entry.sentence.article_id == klaxon and "THREE workers" in entry.sentence.text:
            assert denial not in [c.article_id for c in entry.sentence.citations]


def test_storylines_link_the_drone_deal_and_keep_the_fire_apart(
    demo_workspace: Workspace, ids: dict[str, str]
) -> None:
    summit = _event_of(demo_workspace, ids["wire.jsonl#demo-011"])
    signing = _event_of(demo_workspace, ids["wire.jsonl#demo-013"])
    fire = _event_of(demo_workspace, ids["wire.jsonl#demo-004"])
    rate = _event_of(demo_workspace, ids["wire.jsonl#demo-007"])
    found = storylines(demo_workspace.store.conn)
    story_of = {e: s for s in found for e in s.events}
    assert summit == signing or story_of[summit] is story_of[signing]
    assert fire not in story_of and rate not in story_of
    for s in found:
        assert s.id == min(s.events) and all(k.reason for k in s.links)


@pytest.fixture(scope="module")
def runner() -> Iterator[CliRunner]:
    yield CliRunner()


def test_cli_brief_in_three_formats(
    demo_workspace: Workspace,
    ids: dict[str, str],
    runner: CliRunner,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STORYLINE_EMBEDDER", "none")
    event = str(_event_of(demo_workspace, ids["wire.jsonl#demo-004"]))
    db = ["--db", demo_workspace.path]
    md = runner.invoke(cli, ["brief", event, *db])
    assert md.exit_code == 0, md.output
    assert (
        md.output.startswith(f"# Event {event}") and "`" + ids["wire.jsonl#demo-004"] in md.output
    )
    out = tmp_path_factory.mktemp("brief") / "brief.html"
    html = runner.invoke(cli, ["brief", event, *db, "--format", "html", "--out", str(out)])
    assert html.exit_code == 0 and out.read_text().startswith("<!doctype html>")
    data = json.loads(runner.invoke(cli, ["brief", event, *db, "--format", "json"]).output)
    assert data["sentences"] and all(s["citations"] for s in data["sentences"])


def test_cli_timeline_compare_and_storylines(
    demo_workspace: Workspace,
    ids: dict[str, str],
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STORYLINE_EMBEDDER", "none")
    event = str(_event_of(demo_workspace, ids["wire.jsonl#demo-015"]))
    db = ["--db", demo_workspace.path]
    timeline = json.loads(runner.invoke(cli, ["timeline", event, *db, "--json"]).output)
    assert timeline["entries"][0]["citations"]
    compare = runner.invoke(cli, ["compare", event, *db])
    assert "| fact |" in compare.output and "## Contradictions" in compare.output
    data = json.loads(runner.invoke(cli, ["compare", event, *db, "--json"]).output)
    assert set(data["single_source"]) <= {f["id"] for f in data["facts"]}
    stories = json.loads(runner.invoke(cli, ["storylines", *db, "--json"]).output)
    assert stories and all(s["links"] for s in stories)
    one = runner.invoke(cli, ["storyline", str(stories[0]["events"][-1]), *db])
    assert one.exit_code == 0 and one.output.startswith(f"storyline {stories[0]['id']}")


def test_cli_says_what_to_do_for_an_unknown_event_or_storyline(
    demo_workspace: Workspace, runner: CliRunner
) -> None:
    brief = runner.invoke(cli, ["brief", "99999", "--db", demo_workspace.path])
    assert brief.exit_code == 1
    assert "list them with `storyline events`" in str(brief.exception)
    story = runner.invoke(cli, ["storyline", "99999", "--db", demo_workspace.path])
    assert "list storylines with `storyline storylines`" in str(story.exception)


def test_the_report_shows_brief_timeline_comparison_and_copies(
    demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.report import workspace_report

    monkeypatch.setenv("STORYLINE_EMBEDDER", "none")
    text = workspace_report(demo_workspace)
    for heading in (
        "#### Brief",
        "#### Timeline of event",
        "#### Source comparison of event",
        "#### Copies",
    ):
        assert text.count(heading) == demo_workspace.count_events()
    assert "is a verbatim copy of" in text and "is an edited copy of" in text


@pytest.mark.model
def test_the_sentence_encoder_groups_paraphrases(
    demo_workspace: Workspace, ids: dict[str, str]
) -> None:
    fire = analyse_event(
        demo_workspace.store.conn,
        _event_of(demo_workspace, ids["wire.jsonl#demo-004"]),
        make_embedder("use"),
    )
    assert fire.comparison.embedder == "use"
    fact = fire.fact_of()[f"{ids['wire.jsonl#demo-005']}:0"]  # the Herald's rewritten lede
    assert ids["wire.jsonl#demo-004"] in fact.articles  # grouped with the wire's own lede
    brief = make_brief(fire, "fire")
    assert check_citations(brief, {a: i.article for a, i in fire.inputs.items()}) == []


def test_an_events_independent_origins_are_the_copies_stages(
    demo_workspace: Workspace, ids: dict[str, str]
) -> None:
    from storyline.copies import independent_origins

    conn = demo_workspace.store.conn
    fire = analyse_event(conn, _event_of(demo_workspace, ids["wire.jsonl#demo-004"]), NoEmbedder())
    compared = fire.comparison
    assert len(compared.article_ids) == 6 and compared.origins == 3  # examples/demo/README.md
    assert compared.origins == independent_origins(conn, compared.article_ids)


class CountingEmbedder:
    """The real encoder, counting the sentences it is asked to embed."""

    def __init__(self) -> None:
        self.inner = make_embedder("use")
        self.name, self.dim, self.embedded = self.inner.name, self.inner.dim, 0

    def embed(self, texts: list[str]) -> Any:
        self.embedded += len(texts)
        return self.inner.embed(texts)


@pytest.mark.model
def test_only_claims_the_embedding_can_decide_are_embedded_and_prepare_keeps_them(
    demo_workspace: Workspace, ids: dict[str, str]
) -> None:
    from storyline.analysis import prepare
    from storyline.analysis.similarity import embedding_candidates, signals, text_key

    conn = demo_workspace.store.conn
    fire = analyse_event(conn, _event_of(demo_workspace, ids["wire.jsonl#demo-004"]), NoEmbedder())
    claims = list(fire.claims)
    chosen = set(embedding_candidates(claims, signals(claims, NoEmbedder(), None)).tolist())
    assert 0 < len(chosen) < len(claims)
    keys = [text_key(c.text) for c in claims]
    for fact in fire.comparison.facts:  # grouped without embeddings: lexically reachable
        for claim in fact.claims:
            i = claims.index(claim)
            if len(fact.articles) > 1 and keys.count(keys[i]) == 1:
                assert i in chosen, claim.text
    counting = CountingEmbedder()
    prepare(conn, None, counting)
    again = CountingEmbedder()
    assert prepare(conn, None, again)["embedded"] == 0 and again.embedded == 0
    for event in demo_workspace.events(limit=1000):
        analyse_event(conn, event["id"], again)
    assert again.embedded == 0  # every comparison builds from the kept vectors


def test_html_page_of_a_brief_is_self_contained(
    demo_workspace: Workspace, ids: dict[str, str]
) -> None:
    from storyline.analysis.html import brief_html

    views = demo_workspace.what_happened(
        _event_of(demo_workspace, ids["wire.jsonl#demo-007"]), embedder=NoEmbedder()
    )
    page = brief_html(views["brief"], views["timeline"], views["comparison"])
    assert "<script" not in page and "http" not in page.split("<body>")[0]
    assert page.count("<li>") >= len(views["brief"]["sentences"])
