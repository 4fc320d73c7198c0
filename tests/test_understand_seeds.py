"""The issue's checks on ../shared/data/seeds (skipped when the data is absent).

No gazetteer entry or rule names anything in these texts: the drone spellings, Kiev and
the quotes are found by the general rules, sound keys and shared context.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from storyline.api import Workspace, open_workspace
from storyline.settings import Settings
from storyline.store import understand as db
from tests.conftest import shared

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, dict[str, str]]]:
    """The five seed texts ingested through the understand stage; ids by file prefix."""
    folder = shared("seeds")
    path = Path(tmp_path_factory.mktemp("seeds")) / "ws.db"
    ws = open_workspace(path, Settings(workers=1, batch_size=50, stages=("understand",)))
    ws.ingest([folder])
    ids = {Path(a.location).name[:3]: a.id for a in ws.articles()}
    yield ws, ids
    ws.close()


def _entity_of(ws: Workspace, surface: str) -> str:
    mentions = db.article_entities(ws.store.conn, [a.id for a in ws.articles()])
    found = {m.entity_id for ms in mentions.values() for m in ms if m.text == surface}
    assert len(found) == 1, (surface, found)
    return found.pop()


def test_drone_variants_resolve_to_bayraktar_tb2(seeds: tuple[Workspace, dict[str, str]]) -> None:
    ws, _ids = seeds
    target = _entity_of(ws, "Bayraktar TB2")
    assert ws.entity(target)["entity"].name == "Bayraktar TB2"
    for variant in ("Pyrector", "Pyrektor", "Piracter"):
        assert _entity_of(ws, variant) == target, variant


def test_kiev_and_kyiv_are_one_place(seeds: tuple[Workspace, dict[str, str]]) -> None:
    ws, _ids = seeds
    assert _entity_of(ws, "Kiev") == _entity_of(ws, "Kyiv")


def test_the_2024_header_of_the_reuters_report_is_unreliable(
    seeds: tuple[Workspace, dict[str, str]],
) -> None:
    ws, ids = seeds
    assert not db.publication_date_reliable(ws.store.conn, ids["002"])
    assert db.publication_date_reliable(ws.store.conn, ids["003"])


def test_the_2022_articles_event_date_is_5_august_2022(
    seeds: tuple[Workspace, dict[str, str]],
) -> None:
    ws, ids = seeds
    for prefix in ("000", "001", "003", "004"):
        day, evidence = db.article_event_date(ws.store.conn, ids[prefix])
        assert day == date(2022, 8, 5), (prefix, evidence)
    assert db.article_event_date(ws.store.conn, ids["002"])[0] != date(2022, 8, 5)


def test_the_quotes_are_attributed(seeds: tuple[Workspace, dict[str, str]]) -> None:
    ws, ids = seeds
    conn = ws.store.conn

    def speakers(prefix: str) -> list[tuple[str | None, bool]]:
        return [(q.speaker_name, q.anonymous) for q in db.article_quotes(conn, ids[prefix])]

    assert ("Dmitry Peskov", False) in speakers("000")
    assert ("Dmitry Peskov", False) in speakers("003")
    peskov_004 = [
        q for q in db.article_quotes(conn, ids["004"]) if q.speaker_name == "Dmitry Peskov"
    ]
    assert {q.speaker for q in peskov_004} == {"Putin’s spokesman", "the press secretary"}
    assert ("Haluk Bayraktar", False) in speakers("001")
    assert ("Hüseyin Bagci", False) in speakers("001")
    anonymous = [q for q in db.article_quotes(conn, ids["002"]) if q.anonymous]
    assert any(q.speaker.startswith("a senior Turkish official") for q in anonymous)
