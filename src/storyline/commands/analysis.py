"""CLI commands of what happened (issue 6): brief, timeline, compare, storylines, storyline,
prepare."""

from __future__ import annotations

from pathlib import Path

import click

from storyline.cli import _echo_json, _workspace, cli, db_option, json_option


def _views(db: str | None, event_id: int, sentences: int = 8) -> dict[str, object]:
    with _workspace(db) as ws:
        return ws.what_happened(event_id, sentences)


def _write(text: str, out: str | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")
    click.echo(f"wrote {out}", err=True)


@cli.command("brief")
@click.argument("event_id", type=int, metavar="EVENT")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default="md",
    show_default=True,
    help="Markdown, a standalone HTML page, or JSON.",
)
@click.option("--out", metavar="FILE", help="Write to FILE instead of standard output.")
@click.option(
    "--sentences",
    type=click.IntRange(1, 50),
    default=8,
    show_default=True,
    help="At most this many fact sentences.",
)
def brief_command(event_id: int, db: str | None, fmt: str, out: str | None, sentences: int) -> None:
    """A brief of an event: its most important facts, every sentence cited.

    Sentences are the articles' own; relative dates get their resolved date in brackets;
    disagreements between sources are listed apart. Each citation gives the outlet, the
    publication date ("?" when doubted) and the article id.
    """
    import json

    from storyline.analysis.html import brief_html
    from storyline.analysis.markdown import brief_md

    views = _views(db, event_id, sentences)
    brief = views["brief"]
    if fmt == "json":
        text = json.dumps(brief, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        text = brief_html(brief, views["timeline"], views["comparison"])  # type: ignore[arg-type]
    else:
        text = brief_md(brief)  # type: ignore[arg-type]
    _write(text, out)


@cli.command("timeline")
@click.argument("event_id", type=int, metavar="EVENT")
@db_option
@json_option
def timeline_command(event_id: int, db: str | None, as_json: bool) -> None:
    """The timeline of an event: first report, developments, event dates as reported."""
    from storyline.analysis.markdown import timeline_md

    timeline = _views(db, event_id)["timeline"]
    if as_json:
        _echo_json(timeline)
        return
    click.echo(timeline_md(timeline), nl=False)  # type: ignore[arg-type]


@cli.command("compare")
@click.argument("event_id", type=int, metavar="EVENT")
@db_option
@json_option
def compare_command(event_id: int, db: str | None, as_json: bool) -> None:
    """Compare an event's sources: who reports which fact, what only one source reports,
    where sources contradict each other, and the quotes each uses."""
    from storyline.analysis.markdown import comparison_md

    comparison = _views(db, event_id)["comparison"]
    if as_json:
        _echo_json(comparison)
        return
    click.echo(comparison_md(comparison), nl=False)  # type: ignore[arg-type]


@cli.command("storylines")
@db_option
@json_option
@click.option("--min-size", type=click.IntRange(1), default=1, help="Only events this big.")
def storylines_command(db: str | None, as_json: bool, min_size: int) -> None:
    """Storylines: events linked by their actors and subject, with each link's reason."""
    from storyline.analysis.markdown import storylines_md
    from storyline.analysis.views import storyline_dict

    with _workspace(db) as ws:
        found = [storyline_dict(s) for s in ws.storylines(min_size)]
    if as_json:
        _echo_json(found)
        return
    click.echo(storylines_md(found), nl=False)


@cli.command("storyline")
@click.argument("ref", type=int, metavar="ID")
@db_option
@json_option
def storyline_command(ref: int, db: str | None, as_json: bool) -> None:
    """One storyline (by its id, or by any of its events) with its events and links."""
    from storyline.analysis.views import storyline_dict

    with _workspace(db) as ws:
        found = storyline_dict(ws.storyline(ref))
        events = {e["id"]: e for e in ws.events(limit=100_000)}
    if as_json:
        _echo_json(found)
        return
    click.echo(click.style(f"storyline {found['id']}: {found['title']}", bold=True))
    for event_id in found["events"]:
        row = events.get(event_id, {})
        click.echo(
            f"  event {event_id:>6}  {row.get('size', '?'):>4} articles  {row.get('label', '')}"
        )
    for link in found["links"]:
        click.echo(f"  {link['earlier']} -> {link['later']}: {link['reason']}")


@cli.command("prepare")
@click.argument("event_ids", nargs=-1, type=int, metavar="[EVENT ...]")
@db_option
@json_option
def prepare_command(event_ids: tuple[int, ...], db: str | None, as_json: bool) -> None:
    """Embed the sentences these events' comparisons need (default: all events) ahead of
    time, so that their briefs, timelines and comparisons build at once (vectors are kept)."""
    import time

    started = time.perf_counter()
    with _workspace(db) as ws:
        done = ws.prepare_analysis(event_ids or None)
    seconds = round(time.perf_counter() - started, 2)
    if as_json:
        _echo_json({**done, "seconds": seconds})
        return
    click.echo(
        f"{done['events']} events, {done['sentences']} sentences, "
        f"{done['embedded']} newly embedded in {seconds}s"
    )
