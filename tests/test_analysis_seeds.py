"""The 2022 Sochi meeting in ../shared/data/seeds/: a brief whose sentences cite their
articles, wire passages counted once, the drone's three spellings as one entity, and the
facts only one source reports (skipped when the data is absent)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.analysis import Analysis, analyse_articles, check_citations
from storyline.analysis.brief import make_brief
from storyline.api import Workspace, open_workspace
from storyline.events.embed import make_embedder
from storyline.settings import Settings
from tests.conftest import shared

# The four reports of the 5 August 2022 meeting (002 is the 2021 visit; a scorer's view).
MEETING_2022 = ("000_", "001_", "003_", "004_")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Analysis]]:
    folder = shared("seeds")
    ws = open_workspace(tmp_path_factory.mktemp("seeds") / "ws.db", Settings(workers=1))
    ws.ingest([folder])
    ids = [
        a.id for a in ws.articles() if Path(a.location.split(":")[0]).name.startswith(MEETING_2022)
    ]
    assert len(ids) == 4
    yield ws, analyse_articles(ws.store.conn, ids, make_embedder("use"))
    ws.close()


def _fact_with(analysis: Analysis, words: str) -> object:
    claim = next(c for c in analysis.claims if words in c.text)
    return analysis.fact_of()[claim.id]


@pytest.mark.slow
@pytest.mark.model
def test_the_brief_cites_the_articles_its_sentences_come_from(
    seeds: tuple[Workspace, Analysis],
) -> None:
    _ws, analysis = seeds
    brief = make_brief(analysis, "Putin and Erdogan in Sochi, 5 August 2022")
    articles = {a: i.article for a, i in analysis.inputs.items()}
    assert len(brief.sentences) >= 6
    assert check_citations(brief, articles) == []
    assert len({s.article_id for s in brief.sentences}) >= 2


@pytest.mark.slow
@pytest.mark.model
def test_wire_passages_count_once(seeds: tuple[Workspace, Analysis]) -> None:
    _ws, analysis = seeds
    fact = _fact_with(analysis, "The Emirates would have offered that")
    assert len(fact.articles) == 2 and fact.origins == 1  # type: ignore[attr-defined]
    # the dpa-based article reprints passages of the others: it adds no origin to them
    dpa = next(
        a
        for a, i in analysis.inputs.items()
        if any(x.agency == "dpa" for x in i.article.attributions)
    )
    reprinted = [
        f
        for f in analysis.comparison.facts
        if any(c.article_id == dpa and c.origin != dpa for c in f.claims)
    ]
    assert len(reprinted) >= 3
    for f in reprinted:
        others = {c.origin for c in f.claims if c.article_id != dpa}
        assert f.origins == len(others)


@pytest.mark.slow
@pytest.mark.model
def test_the_drone_spellings_are_one_entity(seeds: tuple[Workspace, Analysis]) -> None:
    _ws, analysis = seeds
    spellings = ("Pyrektor", "Piracter", "Bayraktar TB2")  # "Pyrector" is in a title only
    shared_ids = None
    for spelling in spellings:
        found = [set(c.entities) for c in analysis.claims if spelling in c.text]
        assert found, spelling
        ids = set.union(*found)
        shared_ids = ids if shared_ids is None else shared_ids & ids
    drone = [analysis.names[e] for e in shared_ids or ()]
    assert "Bayraktar TB2" in drone


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.parametrize(
    "words", ["5.1 billion US dollars", "up to 27 hours", "having to wait in a room alone"]
)
def test_facts_only_one_source_reports(seeds: tuple[Workspace, Analysis], words: str) -> None:
    _ws, analysis = seeds
    fact = _fact_with(analysis, words)
    assert fact.origins == 1 and len(fact.articles) == 1  # type: ignore[attr-defined]
    assert fact in analysis.comparison.single_source
