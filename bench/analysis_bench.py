"""Benchmark of what happened (issue 6): source comparison, contradictions, briefs.

Sections:
- ``demo``: the documented contradictions, single-source facts and copies of
  examples/demo recovered, and citation correctness of every event's brief;
- ``basil``: BASIL's 100 stories (each told by Fox News, the New York Times and HuffPost)
  compared story by story: facts shared by outlets, single-source facts, contradictions,
  cross-outlet copies, citation correctness, and fact-grouping precision on the
  hand-labelled pairs of bench/gold/basil_fact_pairs.json;
- ``seeds``: the 2022 Sochi meeting in ../shared/data/seeds;
- ``speed``: time to build the comparison and brief of 50 articles, cold (sentences
  not yet embedded) and warm (vectors kept), and ``prepare`` of every event.

    .venv/bin/python bench/analysis_bench.py [--section all] [--json build/analysis_bench.json]

BASIL's label fields are dropped before ingest; only this scorer reads them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import analysis_gold as gold  # noqa: E402

from storyline import copies, open_workspace  # noqa: E402
from storyline.analysis import Analysis, analyse_articles, check_citations, prepare  # noqa: E402
from storyline.analysis.brief import make_brief  # noqa: E402
from storyline.analysis.citations import sentences_of  # noqa: E402
from storyline.analysis.similarity import embedding_candidates, signals, text_key  # noqa: E402
from storyline.api import Workspace  # noqa: E402
from storyline.events.embed import NoEmbedder, make_embedder  # noqa: E402
from storyline.settings import Settings  # noqa: E402

BASIL_PAIRS = ROOT / "bench" / "gold" / "basil_fact_pairs.json"
LABELS = ("event", "main_event")


def sentence_hash(text: str) -> str:
    """The 8-hex hash the gold files identify a sentence with (no text is stored)."""
    return hashlib.blake2b(" ".join(text.split()).encode(), digest_size=4).hexdigest()


def _citations(analysis: Analysis) -> tuple[int, list[str]]:
    brief = make_brief(analysis, "brief")
    articles = {a: i.article for a, i in analysis.inputs.items()}
    return sum(1 for _ in sentences_of(brief)), check_citations(brief, articles)


# --- demo -----------------------------------------------------------------------------------


def demo(db: str | None) -> dict[str, Any]:
    """Documented contradictions, single-source facts and copies recovered on the demo."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = open_workspace(db or Path(tmp) / "demo.db", Settings(workers=1))
        if db is None:
            ws.ingest([ROOT / "examples" / "demo" / "corpus"])
        started = time.perf_counter()
        found = gold.analyse_all(ws, make_embedder())
        seconds = time.perf_counter() - started
        ids = gold.demo_ids(ws)
        contradictions = gold.score_contradictions(found, ids)
        single = gold.score_single_source(found, ids)
        copied = gold.score_copies(ws, found, ids)
        checked, problems = gold.citation_problems(found, ws)
        reported = sum(len(a.comparison.contradictions) for a in found.by_event.values())
        ws.close()
    return {
        "events": len(found.by_event),
        "seconds": round(seconds, 2),
        "contradictions_recovered": gold.summary(contradictions),
        "contradictions_missed": [r["topic"] for r in contradictions if not r["recovered"]],
        "contradictions_reported": reported,
        "single_source_recovered": gold.summary(single),
        "copies_linked": gold.summary(copied, "linked"),
        "reused_sentences_counted_once": f"{sum(r['counted_once'] for r in copied)} of "
        f"{sum(r['reused_sentences'] for r in copied)}",
        "brief_sentences_checked": checked,
        "citation_problems": problems,
    }


# --- BASIL ----------------------------------------------------------------------------------


def basil_workspace(db: str | None, tmp: str) -> tuple[Workspace, dict[str, list[str]]]:
    """A workspace holding BASIL (labels dropped) and the gold stories: event -> input ids."""
    rows = [json.loads(line) for line in (DATA / "basil" / "basil.jsonl").open()]
    stories: dict[str, list[str]] = {}
    for row in rows:
        stories.setdefault(row["event"], []).append(str(row["id"]))
    ws = open_workspace(db or Path(tmp) / "basil.db", Settings(workers=1))
    if db is None:
        copy = Path(tmp) / "basil.jsonl"
        with copy.open("w") as out:
            for row in rows:
                out.write(json.dumps({k: v for k, v in row.items() if k not in LABELS}) + "\n")
        ws.ingest([copy])
    return ws, stories


def basil(db: str | None, sample: str | None) -> dict[str, Any]:
    """Story-by-story comparison of BASIL's three outlets."""
    with tempfile.TemporaryDirectory() as tmp:
        ws, stories = basil_workspace(db, tmp)
        by_input = {a.external_id: a for a in ws.articles(limit=None)}
        embedder = make_embedder()
        totals: Counter[str] = Counter()
        analyses = []
        started = time.perf_counter()
        for _story, inputs in sorted(stories.items()):
            ids = [by_input[i].id for i in inputs if i in by_input]
            analysis = analyse_articles(ws.store.conn, ids, embedder)
            analyses.append(analysis)
            _count(analysis, totals)
        seconds = time.perf_counter() - started
        cross = _cross_outlet_copies(ws)
        precision = _pair_precision(analyses, by_input)
        if sample:
            _write_sample(analyses, sample)
        ws.close()
    return {
        "stories": len(stories),
        "seconds": round(seconds, 1),
        **dict(totals),
        "cross_outlet_copy_links": cross,
        "grouping_precision": precision,
    }


def _count(analysis: Analysis, totals: Counter[str]) -> None:
    c = analysis.comparison
    totals["claims"] += len(analysis.claims)
    totals["facts"] += len(c.facts)
    totals["facts_2_outlets"] += sum(1 for f in c.facts if f.origins == 2)
    totals["facts_3_outlets"] += sum(1 for f in c.facts if f.origins >= 3)
    totals["single_source_facts"] += len(c.single_source)
    totals["contradictions"] += len(c.contradictions)
    for k in c.contradictions:
        totals[f"contradictions_{k.kind}"] += 1
    checked, problems = _citations(analysis)
    totals["brief_sentences_checked"] += checked
    totals["citation_problems"] += len(problems)


def _cross_outlet_copies(ws: Workspace) -> int:
    seen = set()
    for a in ws.articles(limit=None):
        for link in copies.copy_links(ws.store.conn, a.id):
            seen.add((link.source_id, link.target_id))
    return len(seen)


def _predicted_pairs(analyses: list[Analysis]) -> list[tuple[Any, Any]]:
    """Every pair of claims of different origins that one fact holds."""
    pairs = []
    for analysis in analyses:
        for fact in analysis.comparison.facts:
            claims = fact.claims
            pairs += [
                (a, b)
                for n, a in enumerate(claims)
                for b in claims[n + 1 :]
                if a.origin != b.origin
            ]
    return pairs


def _pair_precision(analyses: list[Analysis], by_input: dict[str | None, Any]) -> dict[str, Any]:
    if not BASIL_PAIRS.exists():
        return {"labelled": 0}
    labelled = json.loads(BASIL_PAIRS.read_text())["pairs"]
    article_id = {i: a.id for i, a in by_input.items()}
    predicted = {}
    for a, b in _predicted_pairs(analyses):
        predicted[(a.article_id, a.index, b.article_id, b.index)] = (a, b)
        predicted[(b.article_id, b.index, a.article_id, a.index)] = (b, a)
    still, right, drift = 0, 0, 0
    for p in labelled:
        key = (article_id[p["a"]], p["ai"], article_id[p["b"]], p["bi"])
        if key not in predicted:
            continue
        a, b = predicted[key]
        if sentence_hash(a.text) != p["ah"] or sentence_hash(b.text) != p["bh"]:
            drift += 1
            continue
        still += 1
        right += int(p["same"])
    return {
        "labelled": len(labelled),
        "still_predicted": still,
        "same_fact": right,
        "precision": round(right / still, 3) if still else None,
        "changed_sentences": drift,
        "predicted_pairs": len(_predicted_pairs(analyses)),
    }


def _write_sample(analyses: list[Analysis], path: str, n: int = 100) -> None:
    """A random sample of predicted same-fact pairs, with text, for labelling by hand."""
    pairs = _predicted_pairs(analyses)
    random.Random(6).shuffle(pairs)
    rows = []
    for a, b in pairs[:n]:
        rows.append(
            {
                "a": a.article_id,
                "ai": a.index,
                "ah": sentence_hash(a.text),
                "b": b.article_id,
                "bi": b.index,
                "bh": sentence_hash(b.text),
                "ta": a.text,
                "tb": b.text,
            }
        )
    Path(path).write_text(json.dumps(rows, indent=1))


# --- seeds ----------------------------------------------------------------------------------


MEETING_2022 = ("000_", "001_", "003_", "004_")


def seeds() -> dict[str, Any]:
    """The 2022 Sochi meeting: cited brief, wire once, drone entity, single-source facts."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = open_workspace(Path(tmp) / "seeds.db", Settings(workers=1))
        ws.ingest([DATA / "seeds"])
        ids = [
            a.id
            for a in ws.articles()
            if Path(a.location.split(":")[0]).name.startswith(MEETING_2022)
        ]
        analysis = analyse_articles(ws.store.conn, ids, make_embedder())
        checked, problems = _citations(analysis)
        fact_of = analysis.fact_of()

        def fact(words: str) -> Any:
            return fact_of[next(c.id for c in analysis.claims if words in c.text)]

        drone = set.intersection(
            *[
                set().union(*[set(c.entities) for c in analysis.claims if v in c.text])
                for v in ("Pyrektor", "Piracter", "Bayraktar TB2")
            ]
        )
        emirates = fact("The Emirates would have offered that")
        single = {
            w: fact(w).origins == 1 and len(fact(w).articles) == 1
            for w in ("5.1 billion US dollars", "up to 27 hours", "having to wait in a room alone")
        }
        ws.close()
    return {
        "articles": len(ids),
        "facts": len(analysis.comparison.facts),
        "brief_sentences_checked": checked,
        "citation_problems": problems,
        "reprinted_sentence_origins": f"{emirates.origins} origin for {len(emirates.articles)} "
        "articles",
        "drone_entity": sorted(analysis.names.get(e, e) for e in drone),
        "single_source": single,
    }


# --- speed ----------------------------------------------------------------------------------


def speed(db: str | None) -> dict[str, Any]:
    """Comparison and brief of 50 BASIL articles (17 stories) as one event: cold, warm."""
    with tempfile.TemporaryDirectory() as tmp:
        ws, _stories = basil_workspace(db, tmp)
        conn = ws.store.conn
        ids = [a.id for a in ws.articles(limit=50)]
        embedder = make_embedder()
        started = time.perf_counter()
        embedder.embed(["The encoder loads its weights on first use."])
        model_load = round(time.perf_counter() - started, 2)
        claims = analyse_articles(conn, ids, NoEmbedder()).claims
        texts = {c.text for c in claims}
        gated = len(embedding_candidates(claims, signals(claims, NoEmbedder(), None)))
        keys = [text_key(t) for t in texts]
        conn.executemany("DELETE FROM analysis_vectors WHERE key = ?", [(k,) for k in keys])
        runs = {
            "cold": _timed(conn, ids, embedder),
            "warm": _timed(conn, ids, embedder),
            "warm_again": _timed(conn, ids, embedder),
            "no_embedder": _timed(conn, ids, NoEmbedder()),
        }
        conn.executemany("DELETE FROM analysis_vectors WHERE key = ?", [(k,) for k in keys])
        started = time.perf_counter()
        done = prepare(conn, None, embedder)
        done["seconds"] = round(time.perf_counter() - started, 2)
        ws.close()
    return {
        "articles": len(ids),
        "claims": len(texts),
        "claims_embedded": gated,
        "model_load": model_load,
        **runs,
        "prepare_every_event": done,
    }


def _timed(conn: Any, ids: list[str], embedder: Any) -> float:
    started = time.perf_counter()
    analysis = analyse_articles(conn, ids, embedder)
    make_brief(analysis, "speed")
    return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--section", choices=["demo", "basil", "seeds", "speed", "all"], default="all"
    )
    parser.add_argument("--demo-db", help="a workspace holding the demo corpus")
    parser.add_argument("--basil-db", help="a workspace holding BASIL without its labels")
    parser.add_argument(
        "--sample-pairs",
        metavar="FILE",
        help="write 100 predicted same-fact BASIL pairs, with text, to label",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    figures: dict[str, Any] = {
        "machine": f"{platform.machine()}, {_cores()} cores",
        "date": date.today().isoformat(),
    }
    wanted = ["demo", "basil", "seeds", "speed"] if args.section == "all" else [args.section]
    have_data = DATA.exists()
    for section in wanted:
        if section != "demo" and not have_data:
            figures[section] = f"skipped: {DATA} not present"
            continue
        started = time.perf_counter()
        if section == "demo":
            figures["demo"] = demo(args.demo_db)
        elif section == "basil":
            figures["basil"] = basil(args.basil_db, args.sample_pairs)
        elif section == "seeds":
            figures["seeds"] = seeds()
        else:
            figures["speed"] = speed(args.basil_db)
        print(f"{section} ({time.perf_counter() - started:.0f}s):", file=sys.stderr)
        print(json.dumps(figures[section], indent=1, default=str), file=sys.stderr)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=1, default=str))


def _cores() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
