"""Scoring of the what-happened analysis (issue 6) against the demo corpus's documented
contradictions, single-source facts and copies, and citation checks.

Used by bench/analysis_bench.py and tests/test_analysis_demo.py. The gold phrases are in
bench/gold/demo_analysis.json; the documented copies in examples/demo/expected.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline import copies
from storyline.analysis import Analysis, analyse_event, check_citations
from storyline.analysis.brief import make_brief
from storyline.api import Workspace
from storyline.events.embed import Embedder
from storyline.model import Claim

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "gold" / "demo_analysis.json"
EXPECTED = ROOT / "examples" / "demo" / "expected.json"


def demo_key(location: str, external_id: str | None, url: str | None) -> str:
    """The key examples/demo/expected.json uses for an article (tests use this one too)."""
    path = location.split("corpus/", 1)[1].split(":", 1)[0]
    if path.endswith(".jsonl") or "/feeds/" in f"/{path}":
        return f"{path}#{external_id}"
    if path.endswith(".warc.gz"):
        return f"{path}#{url}"
    return path


def demo_ids(ws: Workspace) -> dict[str, str]:
    """Demo key -> article id."""
    return {demo_key(a.location, a.external_id, a.url): a.id for a in ws.articles(limit=None)}


@dataclass(frozen=True, slots=True)
class DemoAnalyses:
    """Every event of a demo workspace analysed, with lookups for scoring."""

    by_event: dict[int, Analysis]
    claim_of: dict[str, Claim]  # claim id -> claim
    event_of: dict[str, int]  # article id -> event id


def analyse_all(ws: Workspace, embedder: Embedder | None) -> DemoAnalyses:
    """Analyse every event of the workspace."""
    by_event = {}
    for row in ws.events(limit=10_000):
        by_event[row["id"]] = analyse_event(ws.store.conn, row["id"], embedder)
    claim_of = {c.id: c for a in by_event.values() for c in a.claims}
    event_of = {c.article_id: e for e, a in by_event.items() for c in a.claims}
    return DemoAnalyses(by_event, claim_of, event_of)


def _claim_with(found: DemoAnalyses, article_id: str, phrase: str) -> Claim | None:
    for claim in found.claim_of.values():
        if claim.article_id == article_id and phrase in claim.text:
            return claim
    return None


def score_contradictions(found: DemoAnalyses, ids: dict[str, str]) -> list[dict[str, Any]]:
    """Per documented contradiction: whether a reported one puts two of its documented
    claims on different sides."""
    out = []
    for item in json.loads(GOLD.read_text())["contradictions"]:
        wanted = [_claim_with(found, ids[key], phrase) for key, phrase in item["claims"]]
        wanted_ids = {c.id for c in wanted if c is not None}
        hit = False
        for analysis in found.by_event.values():
            for k in analysis.comparison.contradictions:
                sides = [{c.id for c in claims} & wanted_ids for _, claims in k.sides]
                if sum(1 for s in sides if s) >= 2:
                    hit = True
        out.append(
            {
                "event": item["event"],
                "topic": item["topic"],
                "recovered": hit,
                "located": len(wanted_ids),
                "claims": len(item["claims"]),
            }
        )
    return out


def score_single_source(found: DemoAnalyses, ids: dict[str, str]) -> list[dict[str, Any]]:
    """Per documented single-source fact: whether its sentence is in a fact that one
    independent origin reports."""
    out = []
    for event, key, phrase in json.loads(GOLD.read_text())["single_source_facts"]:
        claim = _claim_with(found, ids[key], phrase)
        single = False
        if claim is not None:
            analysis = found.by_event[found.event_of[claim.article_id]]
            fact = analysis.fact_of()[claim.id]
            single = fact.origins == 1
        out.append(
            {
                "event": event,
                "article": key,
                "phrase": phrase,
                "located": claim is not None,
                "recovered": single,
            }
        )
    return out


def score_copies(ws: Workspace, found: DemoAnalyses, ids: dict[str, str]) -> list[dict[str, Any]]:
    """Per documented copy: whether the copies stage linked the two articles, and the
    share of the copy's reused sentences the comparison counts as the original's origin."""
    out = []
    for item in json.loads(EXPECTED.read_text())["copies"]:
        original, copy = ids[item["original"]], ids[item["copy"]]
        links = copies.copy_links(ws.store.conn, copy)
        linked = any({k.source_id, k.target_id} == {original, copy} for k in links)
        origin = {c.id: c.origin for c in found.claim_of.values()}
        originals = {c.text for c in found.claim_of.values() if c.article_id == original}
        reused = [
            c for c in found.claim_of.values() if c.article_id == copy and c.text in originals
        ]
        own_origin = {origin[c.id] for c in found.claim_of.values() if c.article_id == original}
        once = sum(1 for c in reused if c.origin in own_origin)
        out.append(
            {
                "original": item["original"],
                "copy": item["copy"],
                "relation": item["relation"],
                "linked": linked,
                "reused_sentences": len(reused),
                "counted_once": once,
            }
        )
    return out


def citation_problems(found: DemoAnalyses, ws: Workspace) -> tuple[int, list[str]]:
    """(sentences checked, problems) over the briefs of every event."""
    from storyline.analysis.citations import sentences_of

    checked, problems = 0, []
    for event_id, analysis in found.by_event.items():
        brief = make_brief(analysis, f"Event {event_id}")
        articles = {a: i.article for a, i in analysis.inputs.items()}
        checked += sum(1 for _ in sentences_of(brief))
        problems += check_citations(brief, articles)
    return checked, problems


def summary(rows: Iterable[dict[str, Any]], key: str = "recovered") -> str:
    """ "n of m"."""
    items = list(rows)
    return f"{sum(1 for r in items if r[key])} of {len(items)}"
