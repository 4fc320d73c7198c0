"""CLI command of the web UI and HTTP API: ``storyline serve``."""

from __future__ import annotations

import ipaddress
import shlex
from pathlib import Path

import click

from storyline.cli import cli, db_option
from storyline.settings import Settings


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
def serve(db: str | None, host: str, port: int) -> None:
    """Serve the web UI and the HTTP API (docs at /api, schema at /openapi.json)."""
    from storyline.web import create_app
    from storyline.web.server import serve as run
    from storyline.web.state import token_from_env

    # serve creates a missing workspace (POST /api/ingest fills it) but says so, since a
    # mistyped --db would otherwise show an empty site without a word.
    path = Settings.from_env(db).db_path
    new = path != ":memory:" and not Path(path).exists()
    app = create_app(db)
    if new:
        click.echo(
            f"no workspace at {path}: serving a new, empty one; add articles with "
            f"`storyline ingest FILES --db {shlex.quote(path)}` or POST /api/ingest",
            err=True,
        )
    if not _loopback(host) and token_from_env() is None:
        click.echo(
            f"warning: listening on {host} without STORYLINE_API_TOKEN: anyone who can reach "
            "it can ingest articles; set the token to protect POST /api/ingest",
            err=True,
        )
    click.echo(f"storyline on http://{host}:{port}/ (workspace {app.state.db_path})", err=True)
    run(app, host, port)
