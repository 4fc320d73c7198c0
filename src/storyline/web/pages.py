"""The web pages: each handler parses, calls one view, and renders its dict with Jinja2."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from storyline.web import render, sections, views
from storyline.web.params import (
    MAX_ID,
    MAX_TEXT,
    ArticleFilterDep,
    EventFilterDep,
    PageNumber,
    WorkspaceDep,
)

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

PAGE_SIZE = 30


def _chrome(ws: Any, request: Request, **context: Any) -> dict[str, Any]:
    """What every page's frame needs: the query string, whether storylines exist."""
    return {
        "storylines_available": sections.analysis_module() is not None,
        "query": dict(request.query_params),
        **context,
    }


@router.get("/")
def front(
    request: Request, ws: WorkspaceDep, flt: EventFilterDep, page: PageNumber = 1
) -> HTMLResponse:
    """Events, newest first and bigger first, with their independent sources."""
    found = views.events(ws, flt, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return render.render(
        "front.html", **_chrome(ws, request, events=found, flt=flt, page=page, q="")
    )


@router.get("/events/{event_id}")
def event(
    request: Request, ws: WorkspaceDep, event_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> HTMLResponse:
    """One event: brief, timeline, comparison, quotes, copy graph, articles."""
    found = views.event(ws, event_id)
    return render.render(
        "event.html",
        **_chrome(
            ws,
            request,
            event=found,
            q="",
            chart=render.timeline_chart(found["timeline"]["days"]),
            graph=render.copy_graph(found["copies"]),
        ),
    )


@router.get("/articles/{ref}")
def article(
    request: Request, ws: WorkspaceDep, ref: Annotated[str, Path(max_length=MAX_TEXT)]
) -> HTMLResponse:
    """One article: clean text with reused passages, quotes and entities marked."""
    found = views.article(ws, ref)
    paragraphs = render.paragraphs(found["text"], render.article_marks(found))
    return render.render(
        "article.html", **_chrome(ws, request, article=found, q="", paragraphs=paragraphs)
    )


@router.get("/search")
def search(
    request: Request,
    ws: WorkspaceDep,
    flt: ArticleFilterDep,
    q: Annotated[str, Query(max_length=MAX_TEXT)] = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    """Full-text search with filters."""
    found = views.search(ws, q, flt, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return render.render(
        "search.html", **_chrome(ws, request, results=found, q=q, flt=flt, page=page)
    )


@router.get("/entities")
def entities(
    request: Request,
    ws: WorkspaceDep,
    label: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    """The most mentioned entities."""
    stages = views.stages_of(ws)
    found = views.entities(ws, label or None, None, 200) if "entities" in stages else None
    return render.render(
        "entities.html", **_chrome(ws, request, entities=found, q="", label=label or "")
    )


@router.get("/entities/{name}")
def entity(
    request: Request, ws: WorkspaceDep, name: Annotated[str, Path(max_length=MAX_TEXT)]
) -> HTMLResponse:
    """One entity: its name forms, why they were merged, its articles."""
    found = views.entity(ws, name)
    return render.render("entity.html", **_chrome(ws, request, found=found, q=""))


@router.get("/storylines")
def storylines(request: Request, ws: WorkspaceDep, page: PageNumber = 1) -> HTMLResponse:
    """Events linked into larger stories."""
    found = views.storylines(ws, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return render.render("storylines.html", **_chrome(ws, request, storylines=found, q=""))


@router.get("/storylines/{storyline_id}")
def storyline(
    request: Request, ws: WorkspaceDep, storyline_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> HTMLResponse:
    """One storyline and its events."""
    found = views.storyline(ws, storyline_id)
    return render.render("storyline.html", **_chrome(ws, request, found=found, q=""))


@router.get("/api")
def api_docs(request: Request, ws: WorkspaceDep) -> HTMLResponse:
    """The HTTP API's endpoints, from its OpenAPI schema (no CDN-hosted viewer)."""
    schema = request.app.openapi()
    endpoints = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "description": op.get("description", ""),
            "parameters": op.get("parameters", []),
        }
        for path, item in schema["paths"].items()
        for method, op in item.items()
    ]
    token = request.app.state.web.api_token is not None
    return render.render("api.html", **_chrome(ws, request, endpoints=endpoints, q="", token=token))


def error_page(request: Request, status: int, code: str, message: str) -> HTMLResponse:
    """The page shown for an error outside the API."""
    return render.render(
        "error.html",
        status=status,
        storylines_available=False,
        query={},
        q="",
        status_code=status,
        code=code,
        message=message,
    )
