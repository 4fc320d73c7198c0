"""Query parameters shared by the API and the pages, with their bounds and filters.

Every number has an upper bound, so no value a client sends can overflow SQLite or ask
for an unbounded page: out of range is a 400 with the error shape, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from datetime import date
from difflib import get_close_matches
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from storyline.api import Workspace
from storyline.store.search import ArticleFilter, EventFilter
from storyline.web import views
from storyline.web.errors import WebError

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000
MAX_ID = 2**62
MAX_TEXT = 500


def workspace(request: Request) -> Workspace:
    """The workspace of the thread serving this request."""
    ws: Workspace = request.app.state.web.workspace()
    return ws


WorkspaceDep = Annotated[Workspace, Depends(workspace)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many to skip.")]
PageNumber = Annotated[int, Query(ge=1, le=MAX_OFFSET // 10, description="Page, from 1.")]
Text = Annotated[str | None, Query(max_length=MAX_TEXT)]
_DAY = r"^(\d{4}-\d{2}-\d{2})?$"  # empty (a blank form field) means no bound
Since = Annotated[
    str | None, Query(pattern=_DAY, description="From this day on (YYYY-MM-DD, UTC).")
]
Until = Annotated[str | None, Query(pattern=_DAY, description="Up to and including this day.")]
Entity = Annotated[
    str | None,
    Query(
        max_length=MAX_TEXT,
        description="Only those that mention this entity (id, name or any of its name forms).",
    ),
]
Sort = Annotated[
    Literal["recent", "size"],
    Query(description="`recent`: newest day first, then bigger; `size`: bigger first."),
]
MinSize = Annotated[int, Query(ge=1, le=MAX_OFFSET, description="Only events this big.")]


def _day(name: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise WebError(
            400, f"{name}: {value} is not a day of the calendar", code="invalid-parameter"
        ) from None


def _range(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    first, last = _day("since", since), _day("until", until)
    if first and last and first > last:
        raise WebError(400, "since is after until: swap them", code="invalid-parameter")
    return first, last


def article_filter(
    ws: WorkspaceDep,
    source: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Only this outlet.")
    ] = None,
    language: Annotated[str | None, Query(max_length=20, description="ISO 639-1 code.")] = None,
    since: Since = None,
    until: Until = None,
    entity: Entity = None,
) -> ArticleFilter:
    """Filters for article listings and search."""
    first, last = _range(since, until)
    return ArticleFilter(source or None, language or None, first, last, views.entity_id(ws, entity))


def event_filter(
    ws: WorkspaceDep,
    since: Since = None,
    until: Until = None,
    min_size: MinSize = 1,
    entity: Entity = None,
    sort: Sort = "recent",
) -> EventFilter:
    """Filters and order for event listings."""
    first, last = _range(since, until)
    return EventFilter(first, last, min_size, views.entity_id(ws, entity), sort)


ArticleFilterDep = Annotated[ArticleFilter, Depends(article_filter)]
EventFilterDep = Annotated[EventFilter, Depends(event_filter)]


# unknown parameters --------------------------------------------------------------------------


def query_names(dependant: Dependant) -> set[str]:
    """The query parameters a route takes, its dependencies' included."""
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= query_names(sub)
    return names


def refuse_unknown(given: Iterable[str], accepted: Iterable[str]) -> None:
    """A 400 naming every query parameter the route does not take, and those it does."""
    known = sorted(accepted)
    # a name is echoed back, so a long one is cut (it cannot be a parameter anyway)
    unknown = [name[:40] for name in dict.fromkeys(given) if name not in known]
    if not unknown:
        return
    details, named = [], []
    for name in unknown:
        close = get_close_matches(name, known, n=1)
        problem = f"unknown parameter: did you mean {close[0]}?" if close else "unknown parameter"
        details.append({"parameter": name, "in": "query", "problem": problem})
        named.append(f"{name} (did you mean {close[0]}?)" if close else name)
    plural = "s" if len(unknown) > 1 else ""
    takes = ", ".join(known) if known else "no query parameters"
    raise WebError(
        400,
        f"unknown parameter{plural}: {', '.join(named)}; this endpoint takes {takes}",
        code="unknown-parameter",
        details=details,
    )


class KnownQueryRoute(APIRoute):
    """An API route that refuses query parameters it does not take: a typo such as
    ``limt=5`` is a 400 that names it, not a default silently used."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        accepted = query_names(self.dependant)

        async def checked(request: Request) -> Response:
            refuse_unknown(request.query_params.keys(), accepted)
            return await handler(request)

        return checked
