"""The JSON API under ``/api``: each handler parses, calls one view, and returns its dict."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from storyline.web import views
from storyline.web.errors import ERROR_RESPONSES, WebError
from storyline.web.ingest import Kind, ingest_body
from storyline.web.params import (
    MAX_ID,
    MAX_TEXT,
    ArticleFilterDep,
    EventFilterDep,
    KnownQueryRoute,
    Limit,
    Offset,
    WorkspaceDep,
)

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES, route_class=KnownQueryRoute)

EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="An event id.")]
ArticleRef = Annotated[
    str, Path(max_length=MAX_TEXT, description="Article id, input id, or a unique id prefix.")
]
Json = dict[str, Any]


def _json(data: Json, status: int = 200) -> JSONResponse:
    """The view's dict as the response: it holds JSON values already, so FastAPI's
    encoder and response validation (slow on big events) are skipped."""
    return JSONResponse(data, status)


@router.get("/status", tags=["workspace"])
def status(ws: WorkspaceDep) -> JSONResponse:
    """What the workspace holds: counts, stages that have run, sources and languages."""
    return _json(views.status(ws))


@router.get("/events", tags=["events"])
def events(
    ws: WorkspaceDep, flt: EventFilterDep, limit: Limit = 50, offset: Offset = 0
) -> JSONResponse:
    """Active events, newest day first then bigger, with distinct and independent sources."""
    return _json(views.events(ws, flt, limit, offset))


@router.get("/events/{event_id}", tags=["events"])
def event(ws: WorkspaceDep, event_id: EventId) -> JSONResponse:
    """One event: articles, timeline, and entities, quotes, copies, brief, contradictions
    and the size of the source comparison when those stages have run (else null); the
    comparison itself is at ``/api/events/ID/comparison``. An old id lists its successors."""
    return _json(views.event(ws, event_id, comparison=False))


@router.get("/events/{event_id}/brief", tags=["events"])
def brief(ws: WorkspaceDep, event_id: EventId) -> JSONResponse:
    """An event's brief: every sentence with the articles it cites."""
    return _json(views.brief(ws, event_id))


@router.get("/events/{event_id}/comparison", tags=["events"])
def comparison(
    ws: WorkspaceDep, event_id: EventId, limit: Limit = 50, offset: Offset = 0
) -> JSONResponse:
    """An event's source comparison: a page of facts (most important first) with the
    sources and independent origins that report them and each article's claim;
    single-source facts, contradictions, quotes by source, the source-by-fact matrix."""
    return _json(views.comparison(ws, event_id, limit, offset))


@router.get("/articles", tags=["articles"])
def articles(
    ws: WorkspaceDep, flt: ArticleFilterDep, limit: Limit = 50, offset: Offset = 0
) -> JSONResponse:
    """Stored articles in ingest order, without their text, filtered."""
    return _json(views.articles(ws, flt, limit, offset))


@router.get("/articles/{ref}", tags=["articles"])
def article(ws: WorkspaceDep, ref: ArticleRef) -> JSONResponse:
    """One article: clean text, inputs, versions, event and why, entities, dates, quotes,
    copies (null where a stage has not run)."""
    return _json(views.article(ws, ref))


@router.get("/articles/{ref}/why", tags=["articles"])
def why(ws: WorkspaceDep, ref: ArticleRef) -> JSONResponse:
    """Why an article is in its event: candidates, signal scores and weights, decision."""
    return _json(views.why(ws, ref))


@router.get("/articles/{ref}/copies", tags=["copies"])
def article_copies(ws: WorkspaceDep, ref: ArticleRef) -> JSONResponse:
    """An article's copy links with reused passages, likely original, independent origins."""
    return _json(views.copies(ws, ref))


@router.get("/copies", tags=["copies"])
def copy_groups(ws: WorkspaceDep, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    """Copy groups, largest first, with the likely original and independent origins."""
    return _json(views.copy_groups(ws, limit, offset))


@router.get("/search", tags=["articles"])
def search(
    ws: WorkspaceDep,
    flt: ArticleFilterDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_TEXT,
            description='Words, "a phrase" or a prefix*; every word must match.',
        ),
    ],
    limit: Limit = 20,
    offset: Offset = 0,
) -> JSONResponse:
    """Full-text search over titles and texts (SQLite FTS5), best match first."""
    return _json(views.search(ws, q, flt, limit, offset))


@router.get("/entities", tags=["entities"])
def entities(
    ws: WorkspaceDep,
    label: Annotated[str | None, Query(max_length=20, description="PERSON, ORG, GPE...")] = None,
    event: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Of one event.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    """Entities by mention count, with their merged name forms."""
    return _json(views.entities(ws, label or None, event, limit, offset))


@router.get("/entities/{name}", tags=["entities"])
def entity(ws: WorkspaceDep, name: Annotated[str, Path(max_length=MAX_TEXT)]) -> JSONResponse:
    """One entity by id, name or name form: its forms, merge evidence, latest articles."""
    return _json(views.entity(ws, name))


@router.get("/quotes", tags=["entities"])
def quotes(
    ws: WorkspaceDep,
    event: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Of one event.")] = None,
    article: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Of one article.")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    """Attributed quotes of one event (most repeated first) or one article, with speakers."""
    return _json(views.quotes(ws, event, article, limit, offset))


@router.get("/storylines", tags=["events"])
def storylines(ws: WorkspaceDep, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    """Storylines: events linked into larger stories."""
    return _json(views.storylines(ws, limit, offset))


@router.get("/storylines/{storyline_id}", tags=["events"])
def storyline(
    ws: WorkspaceDep, storyline_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> JSONResponse:
    """One storyline: its events and why they are linked."""
    return _json(views.storyline(ws, storyline_id))


# ingest ------------------------------------------------------------------------------------

_JSON_TYPES: dict[str, Kind] = {
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/jsonlines": "jsonl",
}
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _media_type(request: Request) -> tuple[str, str | None]:
    """The request's media type and charset."""
    value = request.headers.get("content-type", "")
    media, *params = (part.strip() for part in value.split(";"))
    charset = next(
        (p.split("=", 1)[1].strip('"') for p in params if p.lower().startswith("charset=")), None
    )
    return media.lower(), charset


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it grows past ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    too_large = WebError(413, f"the body is over {limit // (1024 * 1024)} MB: send less at once")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _ingest(
    request: Request,
    body: bytes,
    kind: Kind,
    charset: str | None = None,
    fields: dict[str, str] | None = None,
) -> Json:
    with request.app.state.web.writer() as ws:
        return ingest_body(ws, body, kind, charset, fields)


_INGEST_DOC: dict[int | str, dict[str, Any]] = {
    "401": {"description": "missing or wrong token"},
    "413": {"description": "body too large"},
    "415": {"description": "wrong Content-Type"},
}


@router.post("/ingest", tags=["ingest"], responses=_INGEST_DOC)
async def ingest(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Ingest articles: a JSON object, list or {"articles": [...]} (`application/json`),
    or JSON Lines (`application/x-ndjson`), with the fields `storyline ingest` reads.
    Needs `Authorization: Bearer <token>` when the server has STORYLINE_API_TOKEN."""
    state = request.app.state.web
    state.check_token(authorization)
    media, charset = _media_type(request)
    if media not in _JSON_TYPES:
        raise WebError(
            415,
            "send JSON (Content-Type: application/json) or JSON Lines "
            "(application/x-ndjson); pages go to /api/ingest/html",
        )
    body = await _body(request, state.settings.limits.max_file_bytes)
    return _json(await run_in_threadpool(_ingest, request, body, _JSON_TYPES[media], charset))


@router.post("/ingest/html", tags=["ingest"], responses=_INGEST_DOC)
async def ingest_html(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    url: Annotated[str | None, Query(max_length=2000, description="The page's URL.")] = None,
    source: Annotated[str | None, Query(max_length=MAX_TEXT, description="The outlet.")] = None,
    published: Annotated[str | None, Query(max_length=64, description="Its date.")] = None,
    id: Annotated[str | None, Query(max_length=MAX_TEXT, description="Your id for it.")] = None,
) -> JSONResponse:
    """Ingest one HTML page (`text/html`): main text, title, date and source are
    extracted; the query can give its URL, outlet, date and your id for it.
    Needs `Authorization: Bearer <token>` when the server has STORYLINE_API_TOKEN."""
    state = request.app.state.web
    state.check_token(authorization)
    media, charset = _media_type(request)
    if media not in _HTML_TYPES:
        raise WebError(
            415, "send the page as Content-Type: text/html; articles as JSON go to /api/ingest"
        )
    body = await _body(request, state.settings.limits.max_document_bytes)
    fields = {"url": url or "", "source": source or "", "date": published or "", "id": id or ""}
    return _json(await run_in_threadpool(_ingest, request, body, "html", charset, fields))
