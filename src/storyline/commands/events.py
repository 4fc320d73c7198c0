"""CLI commands of the events stage: events, event, why, recluster, eval, export."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from storyline.cli import _echo_json, _workspace, cli, db_option, json_option
from storyline.serialize import article_dict


def _iso_day(value: float | None) -> str | None:
    """A stored day (days since 1970, a float) as YYYY-MM-DD; None when undated."""
    if value is None:
        return None
    return datetime.fromtimestamp(value * 86400, UTC).date().isoformat()


def _day(value: float | None) -> str:
    return _iso_day(value) or "undated"


def _dated(row: dict[str, Any]) -> dict[str, Any]:
    """An event row for JSON: each stored day (``first_day``, a float of days since 1970,
    internal) becomes an ISO date under the key without ``_day`` (``first``)."""
    out = {k: v for k, v in row.items() if not k.endswith("_day")}
    return out | {k.removesuffix("_day"): _iso_day(v) for k, v in row.items() if k.endswith("_day")}


@cli.command("events")
@db_option
@json_option
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--min-size", type=click.IntRange(1), default=1, help="Only events this big.")
def events_command(db: str | None, as_json: bool, limit: int, offset: int, min_size: int) -> None:
    """List events, most recent first: size, sources, first and last day, label."""
    with _workspace(db) as ws:
        rows = ws.events(limit, offset, min_size)
        total = ws.count_events()
    if as_json:
        _echo_json([_dated(r) for r in rows])
        return
    for r in rows:
        span = f"{_day(r['first_day'])} .. {_day(r['last_day'])}"
        click.echo(
            f"{r['id']:>6}  {r['size']:>4} articles  {r['sources']:>3} sources  {span:<24}"
            f"  {r['label']}"
        )
    click.echo(f"{len(rows)} of {total} events", err=True)


@cli.command("event")
@click.argument("event_id", type=int)
@db_option
@json_option
def event_command(event_id: int, db: str | None, as_json: bool) -> None:
    """Show one event and its articles (an old id shows what it became)."""
    with _workspace(db) as ws:
        found = ws.event(event_id)
    if as_json:
        _echo_json(
            {
                **_dated(found),
                "articles": [article_dict(a, with_text=False) for a in found["articles"]],
            }
        )
        return
    click.echo(click.style(f"event {found['id']}: {found['label']}", bold=True))
    click.echo(
        f"  {found['status']}, {found['size']} articles, "
        f"{_day(found['first_day'])} .. {_day(found['last_day'])}"
    )
    if found["successors"] != [found["id"]]:
        click.echo(f"  now part of event(s) {', '.join(map(str, found['successors']))}")
    for row in found["lineage"]:
        click.echo(
            f"  lineage: {row['old_event']} -> {row['new_event']} "
            f"({row['kind']}, {row['articles']} articles)"
        )
    for a in found["articles"]:
        day = a.published.date().isoformat() if a.published else "-" * 10
        click.echo(f"  {a.id}  {day}  {(a.source or '-')[:24]:<24}  {a.title}")


@cli.command()
@click.argument("article")
@db_option
@json_option
def why(article: str, db: str | None, as_json: bool) -> None:
    """Explain an article's event: candidates, each signal's score and weight, the decision."""
    with _workspace(db) as ws:
        found = ws.why(article)
    if as_json:
        _echo_json({**found, "article": article_dict(found["article"], with_text=False)})
        return
    click.echo(click.style(found["article"].title, bold=True))
    click.echo(f"  {found['reason']}")
    time = found["time"]
    click.echo(f"  time: {time['day'] or 'unknown'}, from {time['basis']}")
    if found["current_event"] != found["event_id"]:
        click.echo(f"  now in event {found['current_event']}")
    weights = found["weights"]
    if not found["candidates"]:
        return
    names = list(found["candidates"][0]["signals"])
    click.echo("  candidate   p     " + "  ".join(f"{n[:9]:>9}" for n in names))
    click.echo("  weight            " + "  ".join(f"{weights.get(n, 0.0):>9.2f}" for n in names))
    for c in found["candidates"]:
        values = "  ".join(f"{c['signals'][n]:>9.3f}" for n in names)
        click.echo(f"  {c['event_id']:>9}  {c['probability']:.2f}  {values}")


def _parse_day(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2025-03-01") from None


@cli.command()
@db_option
@json_option
@click.option("--since", metavar="DATE", help="Only events touching this date or later.")
def recluster(db: str | None, as_json: bool, since: str | None) -> None:
    """Re-cluster events in one batch to repair online mistakes; records lineage."""
    with _workspace(db) as ws:
        result = ws.recluster(_parse_day(since))
    if as_json:
        _echo_json(result)
        return
    click.echo(
        f"{result['articles']} articles: {result['events_before']} events before, "
        f"{result['events_after']} after ({result['unchanged']} unchanged, "
        f"{result['new_events']} new, {result['retired_events']} retired with lineage)"
    )


@cli.command("eval")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.option("--label", default="event", show_default=True, help="The gold label field.")
@click.option("--split", "splits", multiple=True, help="Score only records of this split.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the assignment here [default: FILE's name + .assignments.jsonl, "
                   "in the current directory].")  # fmt: skip
@click.option("--keep-db", type=click.Path(dir_okay=False, path_type=Path),
              help="Keep the evaluation workspace in this (new) file.")  # fmt: skip
def eval_command(
    file: Path, as_json: bool, label: str, splits: tuple[str, ...], out: Path | None,
    keep_db: Path | None,
) -> None:  # fmt: skip
    """Cluster a labelled JSON Lines file in a fresh workspace and score it.

    The assignment, one line per record with its id, article id and event id, goes to
    --out; the summary ends with that file's full path.
    """
    from storyline.events.evaluate import evaluate

    result = evaluate(file, label=label, splits=splits or None, db_path=keep_db)
    target = (out or Path(file.name + ".assignments.jsonl")).absolute()
    with target.open("w", encoding="utf-8") as handle:
        for row in result.assignment:
            handle.write(json.dumps(row) + "\n")
    figures = result.as_dict()
    if as_json:
        _echo_json({**figures, "file": str(file), "assignment": str(target)})
        return
    click.echo(f"{file}: {figures['articles']} articles, {figures['gold_events']} gold events")
    for kind in ("pairwise", "bcubed"):
        p, r, f = (figures[f"{kind}_{x}"] for x in ("p", "r", "f1"))
        click.echo(f"  {kind:<9} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    click.echo(f"  ARI       {figures['ari']:.3f}")
    click.echo(f"  events    {figures['events']}")
    click.echo(f"  speed     {figures['articles_per_second']} articles/s")
    click.echo(f"  assignment written to {target}")


@cli.group()
def export() -> None:
    """Export data from a workspace."""


@export.command("assignments")
@db_option
def export_assignments(db: str | None) -> None:
    """JSON Lines, one line per input record: {"id", "article_id", "event_id"}."""
    with _workspace(db) as ws:
        for row in ws.assignments():
            sys.stdout.write(
                json.dumps({k: row[k] for k in ("id", "article_id", "event_id")}) + "\n"
            )
