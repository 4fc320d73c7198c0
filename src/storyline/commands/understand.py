"""CLI commands of the understand stage: ``entities``, ``entity`` and the extra sections
``storyline show`` prints (entities, dates, quotes)."""

from __future__ import annotations

from typing import Any

import click

from storyline.cli import _echo_json, _workspace, cli, db_option, json_option
from storyline.understand.api import entity_dict


@cli.command()
@db_option
@json_option
@click.option("--event", "event", metavar="ID", help="Only entities of this event.")
@click.option("--label", help="Only this kind: PERSON, ORG, GPE, LOC, FAC, PRODUCT, EVENT.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
def entities(
    db: str | None, as_json: bool, event: str | None, label: str | None, limit: int
) -> None:
    """List canonical entities with mention counts and the name forms merged into them."""
    with _workspace(db) as ws:
        found = ws.entities(event, limit, label)
    if as_json:
        _echo_json([entity_dict(e) for e in found])
        return
    for e in found:
        variants = ", ".join(a for a in e.aliases if a != e.name)
        click.echo(f"{e.mentions:>6}  {e.articles:>4} art  {e.label:<8} {e.name}  [{e.id}]")
        if variants:
            click.echo(click.style(f"{'':>24}also: {variants}", dim=True))
    click.echo(f"{len(found)} entities", err=True)


@cli.command()
@click.argument("name")
@db_option
@json_option
@click.option(
    "--undo",
    "undo",
    type=int,
    metavar="LINK",
    help="Undo this merge (a link id shown by this command).",
)
def entity(name: str, db: str | None, as_json: bool, undo: int | None) -> None:
    """Show one entity: its name forms, why each was merged (evidence), its articles."""
    with _workspace(db) as ws:
        if undo is not None:
            new_id = ws.undo_entity_link(undo)
            click.echo(f"link {undo} undone: its mentions are now entity {new_id}", err=True)
        details = ws.entity(name)
    if as_json:
        _echo_json({**details, "entity": entity_dict(details["entity"])})
        return
    e = details["entity"]
    click.echo(click.style(f"{e.name}  ({e.label}, {e.origin})", bold=True))
    click.echo(f"        id  {e.id}")
    click.echo(f"  mentions  {e.mentions} in {e.articles} articles")
    click.echo("     links  (undo one with --undo LINK)")
    for link in details["links"]:
        state = (
            f"undone {link['undone_at']}" if link["undone_at"] else f"{link['mentions']} mentions"
        )
        click.echo(
            f"  {link['id']:>8}  {link['surface']!r}: {link['rule']} "
            f"score {link['score']} ({state})"
        )
        click.echo(click.style(f"{'':>12}{_evidence(link['evidence'])}", dim=True))
    click.echo("  articles  " + ", ".join(details["articles"]))


def _evidence(evidence: dict[str, Any]) -> str:
    parts = []
    for key, value in sorted(evidence.items()):
        if isinstance(value, dict):
            value = _evidence(value)
        parts.append(f"{key}={value}")
    return "; ".join(parts)


def understanding_of(ws: Any, article_id: str) -> dict[str, Any]:
    """The entities, dates and quotes ``storyline show`` adds (empty when not read)."""
    return ws.understanding(article_id)


def print_sections(view: dict[str, Any]) -> None:
    """Print an article's dates, entities and quotes (nothing if the stage did not run)."""
    _print_dates(view["dates"])
    if view["entities"]:
        click.echo(click.style("\nentities", bold=True))
        for e in view["entities"]:
            forms = sorted({m["text"] for m in e["mentions"]})
            click.echo(
                f"  {len(e['mentions']):>3}  {e['label']:<8} {e['name']}  [{', '.join(forms)}]"
            )
    if view["quotes"]:
        click.echo(click.style("\nquotes", bold=True))
        for q in view["quotes"]:
            who = q["speaker_name"] or ("anonymous: " if q["anonymous"] else "") + q["speaker"]
            seen = f", in {q['sources']} articles" if q["sources"] > 1 else ""
            click.echo(f"  {who} ({q['verb']}, {q['kind']}{seen}): {q['text']}")


def _print_dates(dates: dict[str, Any] | None) -> None:
    if dates is None:
        return
    click.echo(click.style("\ndates", bold=True))
    reliable = "reliable" if dates["published_reliable"] else "UNRELIABLE"
    click.echo(
        f"  published  {dates['published'] or 'unknown'} ({reliable}: "
        f"{dates['published_evidence']})"
    )
    click.echo(f"      event  {dates['event_date'] or 'unknown'} ({dates['event_evidence']})")
    for m in dates["mentions"]:
        value = m["value"] or "?"
        click.echo(f"  {m['text']!r:>28} -> {value} {m['granularity']}, {m['relation'] or '-'}")
