"""The HTTP API and pages through FastAPI's test client: every endpoint, every bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed")

from fastapi.testclient import TestClient

from storyline.api import Workspace, open_workspace
from storyline.settings import Settings
from storyline.store import search as search_db
from storyline.store.schema import migrate
from storyline.web import create_app

TOKEN = "t0ken-for-tests"
ERROR_KEYS = {"ok", "status", "error", "message", "details"}


@pytest.fixture(scope="module")
def demo(demo_workspace: Workspace) -> Iterator[TestClient]:
    """The API over the demo corpus (read-only)."""
    app = create_app(demo_workspace.path, Settings(workers=1), api_token="")
    with TestClient(app) as client:
        yield client


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[TestClient]:
    """The API over an empty workspace (no later stages), ingest protected by a token."""
    app = create_app(tmp_path / "web.db", Settings(workers=1, stages=()), api_token=TOKEN)
    with TestClient(app) as client:
        yield client


def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def _biggest_event(client: TestClient) -> dict[str, Any]:
    items: list[dict[str, Any]] = client.get("/api/events?sort=size&limit=1").json()["items"]
    return items[0]


# the one error shape ---------------------------------------------------------------------

BAD_REQUESTS = [
    ("demo", "GET", "/api/events/999999", {}, None, 404),
    ("demo", "GET", "/api/events/abc", {}, None, 400),
    ("demo", "GET", "/api/events/0", {}, None, 400),
    ("demo", "GET", "/api/events/" + "9" * 40, {}, None, 400),
    ("demo", "GET", "/api/events?limit=0", {}, None, 400),
    ("demo", "GET", "/api/events?limit=100000", {}, None, 400),
    ("demo", "GET", "/api/events?limit=ten", {}, None, 400),
    ("demo", "GET", "/api/events?offset=-1", {}, None, 400),
    ("demo", "GET", "/api/events?offset=" + "9" * 30, {}, None, 400),
    ("demo", "GET", "/api/events?sort=random", {}, None, 400),
    ("demo", "GET", "/api/events?min_size=-3", {}, None, 400),
    ("demo", "GET", "/api/events?since=yesterday", {}, None, 400),
    ("demo", "GET", "/api/events?since=2025-02-30", {}, None, 400),
    ("demo", "GET", "/api/events?since=2025-03-01&until=2025-01-01", {}, None, 400),
    ("demo", "GET", "/api/events?entity=Nobody%20Atall", {}, None, 404),
    ("demo", "GET", "/api/events/999999/brief", {}, None, 404),
    ("demo", "GET", "/api/events/999999/comparison", {}, None, 404),
    ("demo", "GET", "/api/events/abc/comparison", {}, None, 400),
    ("demo", "GET", "/api/events/1/comparison?limit=100000", {}, None, 400),
    ("demo", "GET", "/api/articles?limit=201", {}, None, 400),
    ("demo", "GET", "/api/articles?until=2025-13-01", {}, None, 400),
    ("demo", "GET", "/api/articles/ffffffffffffffff", {}, None, 404),
    ("demo", "GET", "/api/articles/" + "x" * 600, {}, None, 400),
    ("demo", "GET", "/api/articles/ffffffffffffffff/why", {}, None, 404),
    ("demo", "GET", "/api/articles/ffffffffffffffff/copies", {}, None, 404),
    ("demo", "GET", "/api/search", {}, None, 400),
    ("demo", "GET", "/api/search?q=", {}, None, 400),
    ("demo", "GET", "/api/search?q=" + "a" * 600, {}, None, 400),
    ("demo", "GET", "/api/search?q=ferry&limit=1000", {}, None, 400),
    ("demo", "GET", "/api/entities?event=x", {}, None, 400),
    ("demo", "GET", "/api/entities/Nobody%20Atall", {}, None, 404),
    ("demo", "GET", "/api/quotes", {}, None, 400),
    ("demo", "GET", "/api/quotes?event=999999", {}, None, 404),
    ("demo", "GET", "/api/storylines/999999", {}, None, 404),
    ("demo", "GET", "/api/storylines?limit=0", {}, None, 400),
    ("demo", "GET", "/api/nothing-here", {}, None, 404),
    ("demo", "DELETE", "/api/events/1", {}, None, 405),
    ("demo", "POST", "/api/events", {}, None, 405),
    ("fresh", "POST", "/api/ingest", {"Content-Type": "application/json"}, b"{}", 401),
    (
        "fresh",
        "POST",
        "/api/ingest",
        {"Authorization": "Bearer wrong", "Content-Type": "application/json"},
        b"{}",
        401,
    ),
    ("fresh", "POST", "/api/ingest", {**_auth(), "Content-Type": "text/plain"}, b"hi", 415),
    ("fresh", "POST", "/api/ingest", {**_auth(), "Content-Type": "application/json"}, b"  ", 400),
    (
        "fresh",
        "POST",
        "/api/ingest/html",
        {**_auth(), "Content-Type": "application/json"},
        b"{}",
        415,
    ),
    ("fresh", "POST", "/api/ingest/html", {**_auth(), "Content-Type": "text/html"}, b"", 400),
    (
        "fresh",
        "POST",
        "/api/ingest/html",
        {**_auth(), "Content-Type": "text/html"},
        b"<p>" + b"x" * (11 * 1024 * 1024),
        413,
    ),
    ("demo", "GET", "/api/events?limt=5", {}, None, 400),
    ("demo", "GET", "/api/status?verbose=1", {}, None, 400),
    ("demo", "GET", "/api/entities?offset=-1", {}, None, 400),
    ("demo", "GET", "/api/quotes?event=1&limit=201", {}, None, 400),
    ("demo", "GET", "/api/quotes?event=1&article=ffff", {}, None, 400),
    ("fresh", "POST", "/api/ingest", {**_auth(), "Content-Type": "application/json"}, b"{", 400),
    ("fresh", "POST", "/api/ingest", {**_auth(), "Content-Type": "application/json"}, b"7", 400),
    ("fresh", "GET", "/api/quotes?article=ffff", {}, None, 404),
    ("fresh", "GET", "/api/articles/nothing/copies", {}, None, 404),
]


@pytest.mark.parametrize(("which", "method", "url", "headers", "body", "status"), BAD_REQUESTS)
def test_error_shape(
    request: pytest.FixtureRequest,
    which: str,
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | None,
    status: int,
) -> None:
    """Every failure of the API has one JSON shape, with its status, and is never a 500."""
    client: TestClient = request.getfixturevalue(which)
    response = client.request(method, url, headers=headers, content=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert set(data) == ERROR_KEYS
    assert data["ok"] is False and data["status"] == status
    assert isinstance(data["error"], str) and data["error"]
    assert isinstance(data["message"], str) and data["message"]
    assert all(set(d) == {"parameter", "in", "problem"} for d in data["details"])
    assert "/tmp" not in data["message"]  # the server's paths stay private


def test_error_messages_say_what_to_do(demo: TestClient) -> None:
    assert demo.get("/api/events/999999").json()["message"] == (
        "no event 999999: list them with `storyline events`"
    )
    bad = demo.get("/api/events?limit=100000").json()
    assert bad["error"] == "invalid-parameter"
    assert bad["details"] == [
        {
            "parameter": "limit",
            "in": "query",
            "problem": "Input should be less than or equal to 200",
        }
    ]
    assert (
        demo.get("/api/nothing").json()["message"]
        == "nothing at /api/nothing: see /api for the endpoints"
    )


def _api_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every API route of the schema as (method, a URL for it with its path filled in)."""
    event_id = _biggest_event(client)["id"]
    values = {"event_id": event_id, "ref": "ffff", "name": "Brisany", "storyline_id": 1}
    return [
        (method.upper(), path.format(**values))
        for path, item in client.get("/openapi.json").json()["paths"].items()
        for method in item
    ]


def test_every_api_route_refuses_unknown_parameters(demo: TestClient) -> None:
    """A misspelt parameter is a 400 naming it, on every route, never silently ignored."""
    routes = _api_routes(demo)
    assert len(routes) >= 18
    for method, url in routes:
        response = demo.request(method, url + "?bogus=1")
        assert response.status_code == 400, (method, url, response.text)
        data = response.json()
        assert data["error"] == "unknown-parameter", (method, url)
        assert data["details"] == [
            {"parameter": "bogus", "in": "query", "problem": "unknown parameter"}
        ]


def test_unknown_parameter_messages_name_the_accepted_ones(demo: TestClient) -> None:
    typo = demo.get("/api/events?limt=5")
    assert typo.status_code == 400
    assert typo.json() == {
        "ok": False,
        "status": 400,
        "error": "unknown-parameter",
        "message": "unknown parameter: limt (did you mean limit?); this endpoint takes "
        "entity, limit, min_size, offset, since, sort, until",
        "details": [
            {
                "parameter": "limt",
                "in": "query",
                "problem": "unknown parameter: did you mean limit?",
            }
        ],
    }
    two = demo.get("/api/quotes?event=1&ofset=2&zz=1").json()
    assert two["message"] == (
        "unknown parameters: ofset (did you mean offset?), zz; "
        "this endpoint takes article, event, limit, offset"
    )
    assert demo.get("/api/status?x=1").json()["message"] == (
        "unknown parameter: x; this endpoint takes no query parameters"
    )
    # pages are forms as much as links: they keep ignoring what they do not read
    assert demo.get("/?limt=5").status_code == 200


# reading ------------------------------------------------------------------------------------

LISTINGS = [
    "/api/events",
    "/api/articles",
    "/api/search?q=Brisany",
    "/api/entities",
    "/api/entities?event={event}",
    "/api/quotes?event={event}",
    "/api/copies",
    "/api/storylines",
]


@pytest.mark.parametrize("url", LISTINGS)
def test_every_listing_pages_the_same_way(demo: TestClient, url: str) -> None:
    """`limit` and `offset` in, `items`, `total` and `next_offset` (null at the end) out."""
    url = url.format(event=_biggest_event(demo)["id"])
    join = "&" if "?" in url else "?"
    everything = demo.get(f"{url}{join}limit=200").json()
    total = everything["total"]
    assert total == len(everything["items"]) >= 1, url
    assert everything["next_offset"] is None
    for offset in sorted({0, 1, total - 1} & set(range(total))):
        one = demo.get(f"{url}{join}limit=1&offset={offset}").json()
        assert one["items"] == everything["items"][offset : offset + 1], (url, offset)
        following = offset + 1 if offset + 1 < total else None
        assert (one["total"], one["limit"], one["offset"], one["next_offset"]) == (
            total,
            1,
            offset,
            following,
        )
    assert demo.get(f"{url}{join}offset={total}").json()["items"] == []
    too_big = demo.get(f"{url}{join}limit=201")
    assert too_big.status_code == 400 and too_big.json()["message"] == "invalid parameter: limit"


def test_entities_and_quotes_page_as_the_walkthrough_asked(demo: TestClient) -> None:
    first = demo.get("/api/entities?limit=1").json()
    second = demo.get("/api/entities?limit=1&offset=1").json()
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert first["next_offset"] == 1 and second["next_offset"] == 2
    people = demo.get("/api/entities?label=PERSON&limit=200").json()
    assert people["total"] == len(people["items"]) < first["total"]
    event = _biggest_event(demo)["id"]
    quotes = demo.get(f"/api/quotes?event={event}&limit=200").json()
    page = demo.get(f"/api/quotes?event={event}&limit=1&offset=3").json()
    assert page["items"] == quotes["items"][3:4] and page["total"] == quotes["total"] > 4
    article = quotes["items"][0]["articles"][0]["id"]
    of_article = demo.get(f"/api/quotes?article={article}&limit=1").json()
    assert of_article["limit"] == 1 and len(of_article["items"]) == 1 <= of_article["total"]
    both = demo.get(f"/api/quotes?event={event}&article={article}")
    assert both.status_code == 400
    assert both.json()["message"] == "say whose quotes: pass event=ID or article=ID, not both"


def test_status_reports_what_the_workspace_holds(demo: TestClient) -> None:
    data = demo.get("/api/status").json()
    assert data["articles"] == 47 and data["events"] >= 5
    assert {"copies", "events", "understand", "entities"} <= set(data["stages"])
    assert data["schema_version"] >= 6
    sources = {f["value"]: f["articles"] for f in data["facets"]["source"]}
    assert sum(sources.values()) <= 47 and sources["Continental Press Agency"] >= 5


def test_events_page_sort_and_filter(demo: TestClient, demo_workspace: Workspace) -> None:
    everything = demo.get("/api/events?limit=200").json()
    assert everything["total"] == demo_workspace.count_events() == len(everything["items"])
    first = demo.get("/api/events?limit=2").json()
    assert first["next_offset"] == 2 and [e["id"] for e in first["items"]] == [
        e["id"] for e in everything["items"][:2]
    ]
    by_size = [e["size"] for e in demo.get("/api/events?sort=size").json()["items"]]
    assert by_size == sorted(by_size, reverse=True)
    for event in everything["items"]:
        assert event["independent_origins"] <= event["size"] and event["sources"] <= event["size"]
        assert event["page"] == f"/events/{event['id']}"
    recent = demo.get("/api/events?since=2025-01-01").json()["items"]
    assert recent and all(e["last"] >= "2025-01-01" for e in recent)
    assert len(recent) < len(everything["items"])
    big = demo.get("/api/events?min_size=5").json()["items"]
    assert big and all(e["size"] >= 5 for e in big)
    drevik = demo.get("/api/events?entity=Anselm%20Drevik").json()["items"]
    assert drevik and len(drevik) < len(everything["items"])


def test_event_has_articles_timeline_copies_quotes_entities(demo: TestClient) -> None:
    summary = _biggest_event(demo)
    event = demo.get(summary["api"]).json()
    assert event["size"] == len(event["articles"]) == summary["size"]
    timeline = event["timeline"]
    assert sum(d["articles"] for d in timeline["days"]) + timeline["undated"] == event["size"]
    assert timeline["first_report"]["published"] <= event["articles"][-1]["published"]
    assert event["copies"]["links"] and event["copies"]["independent_origins"] <= event["size"]
    for link in event["copies"]["links"]:
        assert link["copy_id"] in event["copies"]["articles"]
        assert all(passage for passage in link["passages"])
    assert event["quotes"] and all(q["articles"] for q in event["quotes"])
    assert any(e["name"] == "Corvin Halask" for e in event["entities"])
    assert event["successors"] == [event["id"]]
    for key in ("brief", "comparison", "contradictions", "developments"):
        assert key in event  # null while the analysis is pending or absent
    assert event["analysis"] in ("ready", "pending", "unavailable")


def test_event_brief_cites_its_articles_and_comparison_has_a_matrix(demo: TestClient) -> None:
    summary = _biggest_event(demo)
    brief = demo.get(f"/api/events/{summary['id']}/brief").json()["brief"]  # waits for it
    event = demo.get(summary["api"]).json()
    assert event["analysis"] == "ready" and event["brief"] == brief
    members = {a["id"] for a in event["articles"]}
    assert brief["sentences"]
    for sentence in brief["sentences"]:
        assert sentence["citations"] and {c["article_id"] for c in sentence["citations"]} <= members
    summary_of = event["comparison"]
    assert summary_of["href"] == f"/api/events/{summary['id']}/comparison"
    comparison = demo.get(summary_of["href"]).json()["comparison"]
    facts = comparison["facts"]
    assert summary_of["facts"] == facts["total"] > 0 and facts["offset"] == 0
    assert len(facts["items"]) == min(facts["total"], facts["limit"])
    second = demo.get(summary_of["href"] + "?limit=2&offset=1").json()["comparison"]["facts"]
    assert [f["id"] for f in second["items"]] == [f["id"] for f in facts["items"][1:3]]
    assert all(f["claims"] and f["sources"] for f in facts["items"])
    assert summary_of["sources"] == comparison["sources"]
    matrix = comparison["matrix"]
    assert matrix["rows"] and all(len(r["cells"]) == len(matrix["sources"]) for r in matrix["rows"])
    assert event["developments"]["entries"]
    assert event["contradictions"] == comparison["contradictions"]
    assert summary_of["contradictions"] == len(comparison["contradictions"])


def test_storylines_link_events(demo: TestClient) -> None:
    found = demo.get("/api/storylines").json()
    assert found["total"] >= 1
    first = found["items"][0]
    assert len(first["events"]) >= 2 and first["links"][0]["reason"]
    one = demo.get(f"/api/storylines/{first['id']}").json()
    assert [e["id"] for e in one["events"]] == first["events"]
    assert demo.get("/storylines").status_code == 200
    assert demo.get(f"/storylines/{first['id']}").status_code == 200


def test_a_long_analysis_shows_as_pending(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from storyline.web import sections, views

    monkeypatch.setenv("STORYLINE_EMBEDDER", "none")
    app = create_app(tmp_path / "p.db", Settings(workers=1, stages=("events",)), api_token="")
    release = threading.Event()

    def slow(path: str, event_id: int) -> dict[str, Any]:
        release.wait(10)
        return {"brief": {"sentences": []}, "timeline": None, "comparison": None}

    monkeypatch.setattr(sections, "run_views", slow)
    monkeypatch.setattr(sections, "ANALYSIS_WAIT", 0.05)
    monkeypatch.setattr(views, "BRIEF_WAIT", 0.05)
    with TestClient(app) as client:
        client.post("/api/ingest", json=ARTICLE)
        event_id = client.get("/api/events").json()["items"][0]["id"]
        assert client.get(f"/api/events/{event_id}").json()["analysis"] == "pending"
        assert "being prepared" in client.get(f"/events/{event_id}").text
        busy = client.get(f"/api/events/{event_id}/brief")
        assert busy.status_code == 503 and busy.json()["error"] == "pending"
        assert busy.headers["retry-after"] == "30"
        release.set()
        monkeypatch.setattr(views, "BRIEF_WAIT", 5.0)
        assert client.get(f"/api/events/{event_id}/brief").json()["brief"] == {"sentences": []}


def test_a_failed_analysis_leaves_the_rest_of_the_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.errors import StorylineError
    from storyline.web import sections

    def broken(path: str, event_id: int) -> dict[str, Any]:
        raise StorylineError("analysing event 1 failed: ValueError: boom")

    monkeypatch.setenv("STORYLINE_EMBEDDER", "none")
    monkeypatch.setattr(sections, "run_views", broken)
    app = create_app(tmp_path / "f.db", Settings(workers=1, stages=("events",)), api_token="")
    with TestClient(app) as client:
        client.post("/api/ingest", json=ARTICLE)
        event_id = client.get("/api/events").json()["items"][0]["id"]
        event = client.get(f"/api/events/{event_id}").json()
        assert event["analysis"] == "failed" and event["articles"]
        assert "could not be made" in client.get(f"/events/{event_id}").text
        brief = client.get(f"/api/events/{event_id}/brief")
        assert brief.status_code == 500 and brief.json()["error"] == "analysis-failed"
        compared = client.get(f"/api/events/{event_id}/comparison")
        assert compared.status_code == 500 and compared.json()["error"] == "analysis-failed"


def test_articles_filters_and_pages(demo: TestClient) -> None:
    everything = demo.get("/api/articles?limit=200").json()
    assert everything["total"] == 47 and "text" not in everything["items"][0]
    cpa = demo.get("/api/articles?source=Continental%20Press%20Agency&limit=200").json()
    assert cpa["total"] and {a["source"] for a in cpa["items"]} == {"Continental Press Agency"}
    english = demo.get("/api/articles?language=en").json()
    assert english["total"] == 47
    window = demo.get("/api/articles?since=2025-03-14&until=2025-03-14&limit=200").json()
    assert window["total"] and all(a["published"][:10] == "2025-03-14" for a in window["items"])
    halask = demo.get("/api/articles?entity=Corvin%20Halask&limit=200").json()
    assert 0 < halask["total"] < 47
    second = demo.get("/api/articles?limit=10&offset=10").json()
    assert [a["id"] for a in second["items"]] == [a["id"] for a in everything["items"][10:20]]


def test_article_by_prefix_with_event_why_understanding(demo: TestClient) -> None:
    listed = demo.get("/api/articles?limit=1").json()["items"][0]
    article = demo.get(f"/api/articles/{listed['id'][:8]}").json()
    assert article["id"] == listed["id"] and article["text"]
    assert article["event"]["page"] == f"/events/{article['event']['id']}"
    assert article["why"]["event_id"] == article["event"]["id"]
    assert article["understanding"]["entities"]
    why = demo.get(f"/api/articles/{listed['id']}/why").json()
    assert why["article"]["id"] == listed["id"] and why["reason"]
    assert why["time"]["basis"] and why["time"] == article["why"]["time"]
    page = demo.get(f"/articles/{listed['id']}").text
    assert "Placed in time on" in page and why["time"]["basis"] in page
    by_input_id = demo.get("/api/articles/demo-004").json()
    assert by_input_id["external_id"] == "demo-004"


def test_copies_of_an_article_and_copy_groups(demo: TestClient) -> None:
    groups = demo.get("/api/copies").json()
    assert groups["total"] >= 3
    original = groups["items"][0]["original_id"]
    copies = demo.get(f"/api/articles/{original}/copies").json()
    assert copies["original_id"] == original and copies["links"]
    assert {link["role"] for link in copies["links"]} >= {"original"}
    article = demo.get(f"/api/articles/{original}").json()
    for span in article["copies"]["spans"]:
        assert article["text"][span["start"] : span["end"]]


def test_search_finds_ranks_marks_and_filters(demo: TestClient) -> None:
    found = demo.get("/api/search?q=Skylark").json()
    assert found["total"] >= 10 and found["query"] == "Skylark"
    top = found["items"][0]
    assert any(s["match"] and s["text"].lower() == "skylark" for s in top["title_marked"])
    assert any(s["match"] for s in top["snippet"])
    assert [i["score"] for i in found["items"]] == sorted(
        (i["score"] for i in found["items"]), reverse=True
    )
    phrase = demo.get('/api/search?q="Meridian Strait"').json()
    assert 0 < phrase["total"] < demo.get("/api/search?q=Meridian").json()["total"] + 1
    prefix = demo.get("/api/search?q=kessm*").json()
    assert prefix["total"] >= demo.get("/api/search?q=Kessmark").json()["total"]
    narrowed = demo.get("/api/search?q=Skylark&source=Continental%20Press%20Agency").json()
    assert 0 < narrowed["total"] < found["total"]
    assert demo.get("/api/search?q=Brizany").json()["total"] >= 1  # a variant spelling
    for nonsense in ("***", '"', "AND OR NOT", "title:x", "NEAR(a b)"):
        assert demo.get("/api/search", params={"q": nonsense}).status_code == 200


def test_entities_entity_and_quotes(demo: TestClient) -> None:
    entities = demo.get("/api/entities?limit=10").json()["items"]
    assert len(entities) == 10 and entities[0]["mentions"] >= entities[-1]["mentions"]
    people = demo.get("/api/entities?label=PERSON").json()["items"]
    assert people and {e["label"] for e in people} == {"PERSON"}
    halask = demo.get("/api/entities/Korvin%20Halasch").json()
    assert halask["entity"]["name"] == "Corvin Halask" and halask["articles"]
    event = _biggest_event(demo)
    of_event = demo.get(f"/api/entities?event={event['id']}").json()["items"]
    assert of_event
    quotes = demo.get(f"/api/quotes?event={event['id']}").json()["items"]
    assert quotes and all(q["text"] for q in quotes)
    article_id = quotes[0]["articles"][0]["id"]
    assert demo.get(f"/api/quotes?article={article_id}").json()["items"]


def test_openapi_schema_documents_every_endpoint(demo: TestClient) -> None:
    schema = demo.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/events",
        "/api/events/{event_id}",
        "/api/articles",
        "/api/search",
        "/api/ingest",
        "/api/ingest/html",
        "/api/entities",
        "/api/quotes",
        "/api/copies",
        "/api/storylines",
        "/api/events/{event_id}/brief",
        "/api/events/{event_id}/comparison",
    } <= paths
    assert "/" not in paths  # pages are not part of the API schema
    assert demo.get("/docs").status_code == 404  # the CDN-based viewer is off


# ingest -------------------------------------------------------------------------------------

ARTICLE = {
    "id": "w-1",
    "title": "Harbour cranes return to work in Ostel",
    "text": "The cranes at the port of Ostel moved again on Monday after a week of "
    "repairs, the harbour office said.\n\nShips waiting outside the port began "
    "to unload by noon.",
    "source": "Test Wire",
    "date": "2025-06-10",
}
PAGE = b"""<!doctype html><html><head><title>Ferry timetable changes | Test Post</title></head>
<body><article><h1>Ferry timetable changes</h1><p>The ferry between Brisany and Ostel will run
twice a day from July, the operator announced on Tuesday, citing demand from commuters.</p>
<p>Tickets go on sale next week at the harbour office and online.</p></article></body></html>"""


def test_ingest_json_then_find_it(fresh: TestClient) -> None:
    posted = fresh.post("/api/ingest", json=ARTICLE, headers=_auth())
    assert posted.status_code == 200, posted.text
    summary = posted.json()
    assert summary["stored"] == 1 and summary["rejected"] == {} and len(summary["articles"]) == 1
    article = fresh.get(f"/api/articles/{summary['articles'][0]}").json()
    assert article["title"] == ARTICLE["title"] and article["source"] == "Test Wire"
    assert fresh.get("/api/search?q=cranes").json()["total"] == 1
    again = fresh.post("/api/ingest", json=ARTICLE, headers=_auth()).json()
    assert again["stored"] == 0 and again["already_ingested"] == 1


SEND = (
    'send one article object, a list of them or {"articles": [...]} '
    "(JSON Lines go as Content-Type: application/x-ndjson)"
)


def test_ingest_refuses_malformed_json_saying_where(fresh: TestClient) -> None:
    """A JSON body that does not parse is a 400 with the line and column; nothing is run."""
    headers = {**_auth(), "Content-Type": "application/json"}
    broken = fresh.post("/api/ingest", content=b'{"title": "broken', headers=headers)
    assert broken.status_code == 400
    problem = "Unterminated string starting at line 1, column 11"
    assert broken.json() == {
        "ok": False,
        "status": 400,
        "error": "invalid-json",
        "message": f"the body is not valid JSON: {problem}; {SEND}",
        "details": [{"parameter": "body", "in": "body", "problem": problem}],
    }
    two_lines = fresh.post(
        "/api/ingest", content=b'[{"title": "a"},\n {"title" "b"}]', headers=headers
    )
    assert two_lines.json()["details"][0]["problem"] == (
        "Expecting ':' delimiter at line 2, column 11"
    )
    scalar = fresh.post("/api/ingest", content=b'"just text"', headers=headers)
    assert scalar.status_code == 400 and scalar.json()["message"] == (
        f"the body holds no article: expected a JSON object or list, found str; {SEND}"
    )
    # well-formed JSON whose record is not an article: a 200 listing the rejection, and
    # the first run (the refused bodies recorded none)
    empty = fresh.post("/api/ingest", json={"text": ""}, headers=_auth())
    assert empty.status_code == 200 and empty.json()["rejected"] == {"empty": 1}
    assert empty.json()["run_id"] == 1
    latin = fresh.post(
        "/api/ingest",
        content=json.dumps({**ARTICLE, "title": "Café reopens"}, ensure_ascii=False).encode(
            "latin-1"
        ),
        headers={**_auth(), "Content-Type": "application/json; charset=iso-8859-1"},
    )
    assert latin.status_code == 200 and latin.json()["stored"] == 1
    stored = fresh.get(f"/api/articles/{latin.json()['articles'][0]}").json()
    assert stored["title"] == "Café reopens"


def test_ingest_json_lines_list_and_bad_records(fresh: TestClient) -> None:
    lines = "\n".join(
        json.dumps(
            {
                "title": f"Report {n}",
                "text": f"Body number {n} of the test feed, long enough to keep.",
            }
        )
        for n in (1, 2)
    )
    jsonl = fresh.post(
        "/api/ingest",
        content=lines + "\n{broken\n",
        headers={**_auth(), "Content-Type": "application/x-ndjson"},
    ).json()
    assert jsonl["stored"] == 2 and jsonl["rejected"] == {"malformed": 1}
    assert jsonl["rejections"][0]["location"].startswith("request body: line 3")
    listed = fresh.post(
        "/api/ingest", json={"articles": [{"title": "Solo", "text": "Only one."}]}, headers=_auth()
    ).json()
    assert listed["stored"] == 1
    assert fresh.get("/api/articles").json()["total"] == 3


def test_ingest_html_pages_one_after_another(fresh: TestClient) -> None:
    headers = {**_auth(), "Content-Type": "text/html; charset=utf-8"}
    first = fresh.post(
        "/api/ingest/html?url=https://post.example/ferry&source=Test%20Post",
        content=PAGE,
        headers=headers,
    ).json()
    assert first["stored"] == 1
    article = fresh.get(f"/api/articles/{first['articles'][0]}").json()
    assert article["title"].startswith("Ferry timetable changes")
    assert article["url"] == "https://post.example/ferry" and article["source"] == "Test Post"
    other = PAGE.replace(b"twice a day", b"three times a day").replace(b"July", b"August")
    second = fresh.post("/api/ingest/html", content=other, headers=headers).json()
    assert second["stored"] == 1 and second["articles"] != first["articles"]


# pages ---------------------------------------------------------------------------------------


def test_pages_render_with_a_strict_policy(demo: TestClient) -> None:
    event = _biggest_event(demo)
    article_id = demo.get(event["api"]).json()["articles"][0]["id"]
    entity_id = demo.get("/api/entities?limit=1").json()["items"][0]["id"]
    for url in (
        "/",
        "/?sort=size&min_size=3&since=&until=",
        f"/events/{event['id']}",
        f"/articles/{article_id}",
        "/search?q=ferry",
        "/search",
        "/entities",
        "/entities?label=PERSON",
        f"/entities/{entity_id}",
        "/api",
    ):
        response = demo.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert '<script src="/static/app.js" defer></script>' in response.text
    assert demo.get("/static/style.css").status_code == 200
    assert (
        demo.get("/static/app.js")
        .headers["content-type"]
        .startswith(("text/javascript", "application/javascript"))
    )


def test_pages_of_an_empty_workspace(fresh: TestClient) -> None:
    assert "No events yet" in fresh.get("/").text
    assert "0 articles match" in fresh.get("/search?q=anything").text
    assert "No entities yet" in fresh.get("/entities").text
    assert fresh.get("/api").status_code == 200
    assert fresh.get("/api/events").json() == {
        "items": [],
        "total": 0,
        "limit": 50,
        "offset": 0,
        "next_offset": None,
    }


def test_page_errors_are_pages(demo: TestClient) -> None:
    missing = demo.get("/events/999999")
    assert missing.status_code == 404 and "no event 999999" in missing.text
    assert missing.headers["content-type"].startswith("text/html")
    assert demo.get("/events/x").status_code == 400
    assert demo.get("/?page=0").status_code == 400
    assert demo.get("/storylines/999999").status_code == 404


def test_untrusted_text_is_escaped_in_pages(fresh: TestClient) -> None:
    hostile = {
        "title": "<script>alert(1)</script> Zebra {{7*7}}",
        "text": "<img src=x onerror=alert(2)> zebra crossing text.\n\n"
        '<a href="javascript:alert(3)">click</a> more words here.',
        "url": "javascript:alert(4)",
        "source": "<b>Evil</b>",
    }
    stored = fresh.post("/api/ingest", json=hostile, headers=_auth()).json()["articles"][0]
    for url in (f"/articles/{stored}", "/search?q=zebra"):
        html = fresh.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert 'href="javascript:' not in html and "<b>Evil</b>" not in html
        assert "{{7*7}}" in html  # rendered as text, never as a template


# the search index -----------------------------------------------------------------------------


def test_search_index_follows_inserts_new_versions_and_deletes(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "s.db", Settings(workers=1, stages=()))
    conn = ws.store.conn
    ws.ingest(["examples/demo/corpus/notes"])
    flt = search_db.ArticleFilter()
    assert search_db.search(conn, "Brennick", flt, 5, 0)[1] >= 1
    with ws.store.transaction():
        conn.execute("UPDATE articles SET title = 'Quokka', text = 'quokka only' WHERE rowid = 1")
    assert search_db.search(conn, "quokka", flt, 5, 0)[1] == 1
    assert search_db.search(conn, "Brennick", flt, 5, 0)[1] == 0  # its old text is gone
    conn.execute("PRAGMA foreign_keys = OFF")
    with ws.store.transaction():
        conn.execute("DELETE FROM articles WHERE rowid = 1")
    assert search_db.search(conn, "quokka", flt, 5, 0)[1] == 0
    conn.execute("INSERT INTO article_search (article_search) VALUES ('integrity-check')")
    ws.close()


def test_search_migration_backfills_an_older_workspace(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    ws = open_workspace(path, Settings(workers=1, stages=()))
    ws.ingest(["examples/demo/corpus/notes"])
    conn = ws.store.conn
    for statement in (
        "DROP TRIGGER article_search_insert",
        "DROP TRIGGER article_search_update",
        "DROP TRIGGER article_search_delete",
        "DROP TABLE article_search",
        "DROP VIEW search_content",
        "DROP TABLE search_rows",
        "DROP INDEX articles_source",
        "DROP INDEX articles_id_source",
        "DELETE FROM schema_migrations WHERE version = 6",
    ):
        conn.execute(statement)
    assert [m.version for m in migrate(conn)] == [6]
    assert search_db.search(conn, "Brennick", search_db.ArticleFilter(), 5, 0)[1] >= 1
    ws.close()


def test_fts_query_never_passes_syntax_through() -> None:
    assert search_db.fts_query('drone "Meridian Strait" kess* OR') == (
        '"drone" "Meridian Strait" "kess"* "OR"'
    )
    assert search_db.fts_query("title:x -y ^z") == '"title" "x" "y" "z"'
    assert search_db.fts_query('*** "" ()') is None


def test_without_the_web_extra_the_error_names_the_pip_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from storyline.errors import NotInstalled
    from storyline.web import require

    monkeypatch.setitem(sys.modules, "uvicorn", None)
    with pytest.raises(NotInstalled, match=r"pip install 'storyline\[web\]'"):
        require()


def test_serve_command_starts_the_app_and_warns_when_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from storyline.cli import cli
    from storyline.web import server

    served: list[tuple[str, int]] = []
    monkeypatch.setattr(server, "serve", lambda app, host, port: served.append((host, port)))
    monkeypatch.delenv("STORYLINE_API_TOKEN", raising=False)
    db = str(tmp_path / "serve.db")
    local = CliRunner().invoke(cli, ["serve", "--db", db, "--port", "8123"])
    assert local.exit_code == 0 and "http://127.0.0.1:8123/" in local.output
    assert "warning" not in local.output
    wide = CliRunner().invoke(cli, ["serve", "--db", db, "--host", "0.0.0.0"])
    assert "warning: listening on 0.0.0.0 without STORYLINE_API_TOKEN" in wide.output
    assert served == [("127.0.0.1", 8123), ("0.0.0.0", 8000)]
