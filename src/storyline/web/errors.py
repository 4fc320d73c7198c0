"""The one JSON error shape of the HTTP API, and the handlers that turn every failure into it.

Every error the API returns, whatever raised it (a bad parameter, an unknown id, a wrong
token, a route that does not exist, a bug), has this body and no other::

    {"ok": false, "status": 404, "error": "not-found",
     "message": "no event 999: list them with `storyline events`", "details": []}

``details`` lists one entry per bad parameter: ``{"parameter", "in", "problem"}`` (an
unknown query parameter, or ``{"parameter": "body", "in": "body"}`` for a body that is
not JSON).
Web pages (paths outside ``/api``) show the same status and message as an HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.errors import NotFound, NotInstalled, StorylineError

log = logging.getLogger("storyline.web")

CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "too-large",
    415: "unsupported-media-type",
    500: "internal-error",
    501: "not-available",
    503: "unavailable",
}


class WebError(StorylineError):
    """An HTTP failure with its status, code and a message that says what to do next."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        details: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.headers = headers or {}
        self.details = details or []


class ErrorBody(BaseModel):
    """The error shape, for the OpenAPI schema; ``error_body`` builds the real one."""

    ok: bool = False
    status: int
    error: str
    message: str
    details: list[dict[str, str]] = []


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": code}
    for status, code in CODES.items()
    if status in (400, 404)
}


def error_body(
    status: int, code: str, message: str, details: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The one JSON error shape of the API."""
    return {
        "ok": False,
        "status": status,
        "error": code,
        "message": message,
        "details": details or [],
    }


def _problems(error: RequestValidationError) -> list[dict[str, str]]:
    """One entry per bad parameter; never echoes the value that was sent."""
    found = []
    for item in error.errors():
        loc = [str(part) for part in item.get("loc", ())]
        where = loc[0] if loc else "request"
        name = ".".join(loc[1:]) or where
        found.append({"parameter": name, "in": where, "problem": str(item.get("msg", ""))})
    return found


def _classify(
    request: Request, exc: Exception
) -> tuple[int, str, str, list[dict[str, str]], dict[str, str]]:
    """Status, code, message, details and headers for any exception."""
    if isinstance(exc, RequestValidationError):
        details = _problems(exc)
        names = ", ".join(d["parameter"] for d in details)
        return 400, "invalid-parameter", f"invalid parameter: {names}", details, {}
    if isinstance(exc, WebError):
        return exc.status, exc.code, str(exc), exc.details, exc.headers
    if isinstance(exc, StarletteHTTPException):
        status = exc.status_code
        message = str(exc.detail)
        if status == 404:
            message = f"nothing at {request.url.path}: see /api for the endpoints"
        elif status == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return status, CODES.get(status, "error"), message, [], dict(exc.headers or {})
    if isinstance(exc, NotFound):
        return 404, "not-found", _private(request, str(exc)), [], {}
    if isinstance(exc, NotInstalled):
        return 501, "not-available", str(exc), [], {}
    if isinstance(exc, StorylineError):
        return 400, "bad-request", _private(request, str(exc)), [], {}
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return 500, "internal-error", "internal error: the server log has the details", [], {}


def _private(request: Request, message: str) -> str:
    """A message without the workspace's file path (no need to show it to clients)."""
    path = getattr(request.app.state, "db_path", None)
    return (
        message.replace(f" in {path}", "").replace(str(path), "the workspace") if path else message
    )


def is_api(request: Request) -> bool:
    """Whether a request is for the JSON API (else a web page)."""
    path = request.url.path
    return path.startswith("/api/") or path == "/openapi.json"


PageRenderer = Callable[[Request, int, str, str], Response]


def install(app: FastAPI, render_page: PageRenderer) -> None:
    """Route every exception to the error shape (API) or an error page (pages)."""

    async def handle(request: Request, exc: Exception) -> Response:
        status, code, message, details, headers = _classify(request, exc)
        if is_api(request):
            return JSONResponse(error_body(status, code, message, details), status, headers)
        return render_page(request, status, code, message)

    app.add_exception_handler(RequestValidationError, handle)
    app.add_exception_handler(StarletteHTTPException, handle)
    app.add_exception_handler(StorylineError, handle)
    app.add_exception_handler(Exception, handle)
