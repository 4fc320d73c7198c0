"""What the web application shares between requests: settings, token, workspaces."""

from __future__ import annotations

import hmac
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from storyline.api import Workspace
from storyline.settings import Settings
from storyline.web.errors import WebError


class WebState:
    """One workspace per server thread for reads, and one ingest at a time for writes.

    A SQLite connection must not be used by two threads at once, so every thread of the
    server's pool opens its own (WAL mode lets them all read while one writes).
    """

    def __init__(self, settings: Settings, api_token: str | None) -> None:
        # Ingest from a request runs in this process: never fork extraction workers from a
        # threaded server.
        self.settings = replace(settings, workers=1)
        self.api_token = api_token or None
        self._local = threading.local()
        self._opened: list[Workspace] = []
        self._guard = threading.Lock()
        self._write = threading.Lock()

    def workspace(self) -> Workspace:
        """This thread's workspace, opened on first use."""
        ws: Workspace | None = getattr(self._local, "workspace", None)
        if ws is None:
            ws = Workspace(self.settings)
            self._local.workspace = ws
            with self._guard:
                self._opened.append(ws)
        return ws

    @contextmanager
    def writer(self) -> Iterator[Workspace]:
        """This thread's workspace, holding the lock that lets one ingest run at a time."""
        with self._write:
            yield self.workspace()

    def check_token(self, authorization: str | None) -> None:
        """Accept the request when no token is set, or when it sends the right one."""
        if self.api_token is None:
            return
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), self.api_token.encode()
        ):
            raise WebError(
                401,
                "missing or wrong API token: send the header "
                "`Authorization: Bearer <token>` with the server's STORYLINE_API_TOKEN",
                headers={"WWW-Authenticate": "Bearer"},
            )

    def close(self) -> None:
        """Close every workspace the threads opened."""
        with self._guard:
            for ws in self._opened:
                ws.close()
            self._opened.clear()


def token_from_env() -> str | None:
    """The API token from ``STORYLINE_API_TOKEN`` (unset or empty: no token)."""
    return os.environ.get("STORYLINE_API_TOKEN") or None
