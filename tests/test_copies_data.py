"""Copies on real and documented data: the seeds, BASIL and the demo corpus.

The seeds and BASIL tests skip when ``../shared/data`` is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline import copies
from storyline.api import Workspace, open_workspace
from storyline.copies.relation import credits
from storyline.settings import Settings
from tests.conftest import DEMO, demo_key, shared

SEEDS = {"krone": "000_", "dpa": "001_", "merkur": "003_", "reuters": "002_", "romanian": "004_"}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The five seed texts, ingested with the copies stage only."""
    folder = shared("seeds")
    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    ws = open_workspace(path, Settings(workers=1, stages=("copies",)))
    ws.ingest([folder])
    return ws


def _seed_ids(ws: Workspace) -> dict[str, str]:
    by_file = {Path(a.location.split(":")[0]).name: a.id for a in ws.articles()}
    return {
        name: next(i for f, i in by_file.items() if f.startswith(p)) for name, p in SEEDS.items()
    }


@pytest.mark.slow
def test_the_seeds_wire_passages_are_found_between_krone_dpa_and_merkur(seeds: Workspace) -> None:
    ids = _seed_ids(seeds)
    conn = seeds.store.conn
    pairs = {(k.source_id, k.target_id): k for k in copies.copy_links(conn, ids["dpa"])}
    found = {frozenset(p) for p in pairs}
    assert frozenset((ids["dpa"], ids["krone"])) in found
    assert frozenset((ids["dpa"], ids["merkur"])) in found
    texts = {name: seeds.article(i).text for name, i in ids.items()}
    reused = []
    for link in pairs.values():
        source = next(n for n, i in ids.items() if i == link.source_id)
        reused += [texts[source][a:b] for (a, b), _t in link.passages]
    joined = " ".join(reused)
    for passage in ("considered an export hit", "United Arab Emirates",
                    "sees itself as a mediator between the two",
                    "would not rule out arms deals with Russia"):  # fmt: skip
        assert passage in joined
    group = set(copies.copy_group(conn, ids["krone"]))
    assert group == {ids["krone"], ids["dpa"], ids["merkur"]}
    for other in ("reuters", "romanian"):
        assert copies.copy_group(conn, ids[other]) == [ids[other]]
    assert copies.independent_origins(conn, ids.values()) == 5  # reuse, not reprints


@pytest.mark.slow
def test_the_seeds_dpa_credit_is_recognised(seeds: Workspace) -> None:
    ids = _seed_ids(seeds)
    assert "dpa" in credits(seeds.article(ids["dpa"]))  # "told the dpa", found at ingest
    assert "dpa" in credits(seeds.article(ids["merkur"]))  # the trailing "(bme/dpa)."
    assert "krone" in credits(seeds.article(ids["krone"]))
    original, reason = copies.original_of(seeds.store.conn, ids["dpa"])
    assert original == ids["merkur"]
    assert reason.startswith("2 of the 3 credit dpa, whose own text is not in the workspace")
    assert "the only one with a publication date (2022-07-28)" in reason


@pytest.mark.slow
def test_basil_outlets_are_no_copies_of_each_other(tmp_path: Path) -> None:
    """The same story told by Fox, the NYT and HuffPost: no duplicates across outlets, and
    shared passages (one pair runs the same AP sentences) leave each its own origin."""
    data = shared("basil", "basil.jsonl")
    # the language is given, so that the test spends its time on copies, not on py3langid
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    keep = ("id", "title", "text", "date", "url", "source")
    path = tmp_path / "basil.jsonl"
    path.write_text("".join(json.dumps({**{k: r[k] for k in keep if r.get(k)}, "language": "en"})
                            + "\n" for r in rows), encoding="utf-8")  # fmt: skip
    ws = open_workspace(tmp_path / "basil.db", Settings(workers=1, stages=("copies",)))
    ws.ingest([path])
    sources = {a.id: (a.source or "").lower() for a in ws.articles()}
    conn = ws.store.conn
    cross = {
        (link.source_id, link.target_id): link
        for article_id in sources
        for link in copies.copy_links(conn, article_id)
        if sources[link.source_id] != sources[link.target_id]
    }
    texts = {a.id: a.text for a in ws.articles()}
    for (copy, original), link in cross.items():
        assert link.relation == "partial" and link.overlap < 0.5
        assert copies.independent_origins(conn, [copy, original]) == 2
        for (cs, ce), (ts, te) in link.passages:  # really the same words on both sides
            assert texts[copy][cs:ce].split()[:8] == texts[original][ts:te].split()[:8]
    assert len(cross) <= 1
    ws.close()


def test_the_demo_corpus_copies_are_found(tmp_path: Path) -> None:
    demo = open_workspace(tmp_path / "demo.db", Settings(workers=1, stages=("copies",)))
    demo.ingest([DEMO / "corpus"])
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
    articles = {demo_key(a.location, a.external_id, a.url): a for a in demo.articles()}
    conn = demo.store.conn
    relation_of = {"verbatim": {"verbatim"}, "edited": {"edited", "verbatim"},
                   "rewrite": {"edited"}, "partial": {"partial"}}  # fmt: skip
    for documented in expected["copies"]:
        copy, original = articles[documented["copy"]], articles[documented["original"]]
        found = [k for k in copies.copy_links(conn, copy.id) if original.id == k.target_id]
        assert found, f"{documented['copy']} not linked to {documented['original']}"
        assert found[0].source_id == copy.id
        assert found[0].relation in relation_of[documented["relation"]], documented
        assert copies.original_of(conn, copy.id)[0] == original.id, documented
    linked = {k.source_id for a in articles.values() for k in copies.copy_links(conn, a.id)}
    documented_copies = {articles[d["copy"]].id for d in expected["copies"]}
    assert linked == documented_copies  # and nothing else is called a copy
    fire = [articles[key].id for key in expected["events"]["E4"]["articles"]]
    assert copies.independent_origins(conn, fire) == 3  # CPA, Klaxon, Herald follow-up
