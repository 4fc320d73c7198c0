"""The HTTP API and web UI (``storyline serve``): FastAPI, Jinja2 pages, no CDN.

The web extra is imported lazily: without it, ``create_app`` raises ``NotInstalled``
naming the pip command.

    app.py       create_app: routers, static files, security headers, error handlers
    api.py       the JSON API under /api          pages.py   the HTML pages
    views.py     what each endpoint shows (dicts)  sections.py  what later stages add
    params.py    bounded query parameters, filters errors.py  the one error shape
    render.py    Jinja2, SVG chart geometry       ingest.py  POSTed bodies -> ingest
    server.py    uvicorn: serve, or run in a background thread (tests, benchmarks)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from storyline.errors import NotInstalled

if TYPE_CHECKING:
    from fastapi import FastAPI

    from storyline.settings import Settings


def require() -> None:
    """Raise ``NotInstalled`` unless the web extra's packages can be imported."""
    for module in ("fastapi", "uvicorn", "jinja2"):
        try:
            __import__(module)
        except ImportError:
            raise NotInstalled(module, "web") from None


def create_app(
    db_path: str | Path | None = None,
    settings: Settings | None = None,
    api_token: str | None = None,
) -> FastAPI:
    """The web application over a workspace (see ``storyline.web.app.create_app``)."""
    require()
    from storyline.web.app import create_app as build

    return build(db_path, settings, api_token)
