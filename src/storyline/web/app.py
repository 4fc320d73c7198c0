"""The FastAPI application: JSON API, web pages, static files, security headers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.api import Workspace
from storyline.settings import Settings
from storyline.web import api, errors, pages, sections
from storyline.web.state import WebState, token_from_env

# Scripts and styles come only from /static; nothing inline, nothing from elsewhere.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

_DESCRIPTION = """Explore what happened in a storyline workspace: events, articles, copies,
entities, quotes, briefs, storylines and full-text search. Every error has one shape:
`{"ok": false, "status", "error", "message", "details"}`. Listings page with `limit`
(at most 200) and `offset` and return `items`, `total` and `next_offset` (null on the last
page). A query parameter an endpoint does not take is a 400 (`unknown-parameter`)."""


def create_app(
    db_path: str | Path | None = None,
    settings: Settings | None = None,
    api_token: str | None = None,
) -> FastAPI:
    """The web application over the workspace at ``db_path``.

    ``settings`` default to the environment's; ``api_token`` (default
    ``STORYLINE_API_TOKEN``) protects the ingest endpoints when set.
    """
    base = settings or Settings.from_env()
    if db_path is not None:
        base = replace(base, db_path=str(db_path))
    state = WebState(base, api_token if api_token is not None else token_from_env())
    Workspace(state.settings).close()  # create or migrate it now, so errors show at start

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()
        sections.stop_worker()

    from storyline import __version__

    app = FastAPI(
        title="storyline",
        version=__version__,
        description=_DESCRIPTION,
        docs_url=None,
        redoc_url=None,  # their viewers load scripts from a CDN
        lifespan=lifespan,
    )
    app.state.web = state
    app.state.db_path = state.settings.db_path
    errors.install(app, pages.error_page)
    app.add_middleware(SecurityHeaders)
    static = resources.files("storyline.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    return app


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response (a pure ASGI class:
    cheaper than ``BaseHTTPMiddleware`` on every request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if static:
                    headers["Cache-Control"] = "public, max-age=3600"
            await send(message)

        await self.app(scope, receive, send_with_headers)
