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
    """The three share wire passages (13-19% of each text): found, stored with their
    passages, but as shared passages, not copies: no copy group, five origins."""
    ids = _seed_ids(seeds)
    conn = seeds.store.conn
    pairs = {(k.source_id, k.target_id): k for k in copies.copy_links(conn, ids["dpa"])}
    found = {frozenset(p) for p in pairs}
    assert frozenset((ids["dpa"], ids["krone"])) in found
    assert frozenset((ids["dpa"], ids["merkur"])) in found
    assert {k.relation for k in pairs.values()} == {"shared"}
    assert all(max(k.overlap, k.target_overlap) < 0.25 for k in pairs.values())
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
    for name, article_id in ids.items():  # sharing passages makes no copy group
        assert copies.copy_group(conn, article_id) == [article_id], name
        assert copies.origins_behind(conn, article_id) == 1, name
    assert seeds.copy_groups() == []
    assert copies.independent_origins(conn, ids.values()) == 5  # reuse, not reprints
    report = copies.copy_report(conn, ids["dpa"])
    assert report.links == () and {v.other.id for v in report.shared} == {
        ids["krone"],
        ids["merkur"],
    }


@pytest.mark.slow
def test_the_seeds_dpa_credit_is_recognised(seeds: Workspace) -> None:
    ids = _seed_ids(seeds)
    assert "dpa" in credits(seeds.article(ids["dpa"]))  # "told the dpa", found at ingest
    assert "dpa" in credits(seeds.article(ids["merkur"]))  # the trailing "(bme/dpa)."
    assert "krone" in credits(seeds.article(ids["krone"]))
    # neither copies the other, so neither is the other's original ...
    original, reason = copies.original_of(seeds.store.conn, ids["dpa"])
    assert (original, reason) == (ids["dpa"], "copies no stored article and is copied by none")
    # ... but the passages they share are put down to the agency both credit
    [link] = [k for k in copies.copy_links(seeds.store.conn, ids["merkur"])
              if ids["dpa"] in (k.source_id, k.target_id)]  # fmt: skip
    assert link.reason.endswith("; both credit dpa, whose text both may reuse")
    [krone] = [k for k in copies.copy_links(seeds.store.conn, ids["krone"])]
    assert "both credit" not in krone.reason  # Krone and dpa: no common credit


NAACP_FOX = "93ba0f89-9a38-4100-bdbe-6f4d9c06b1ff"  # the BASIL ids of the NAACP story
NAACP_HPO = "8824d4fb-3b21-4f43-910a-b4399866db9f"


@pytest.mark.slow
def test_basil_outlets_are_no_copies_of_each_other(tmp_path: Path) -> None:
    """The same story told by Fox, the NYT and HuffPost: no pair of outlets is a copy
    (verbatim, edited or partial); the one pair that runs the same AP sentences (NAACP
    resolution) shares passages, found and stored, each keeping its own origin."""
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
        assert link.relation == "shared", link.reason  # no copy across outlets
        assert max(link.overlap, link.target_overlap) < 0.25
        assert original not in copies.copy_group(conn, copy)
        assert copies.independent_origins(conn, [copy, original]) == 2
        for (cs, ce), (ts, te) in link.passages:  # really the same words on both sides
            assert texts[copy][cs:ce].split()[:8] == texts[original][ts:te].split()[:8]
    for group in ws.copy_groups():
        assert len({sources[m] for m in group.members}) == 1, group
    fox, hpo = ws.article(NAACP_FOX).id, ws.article(NAACP_HPO).id
    assert set(cross) == {(fox, hpo)}  # Fox is a day later
    found = " ".join(texts[fox][cs:ce] for (cs, ce), _t in cross[fox, hpo].passages)
    assert "The final wording won't be released until the NAACP's national board" in found
    [shown] = copies.copy_report(conn, fox).shared
    assert shown.other.id == hpo and shown.role == "shared"
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
