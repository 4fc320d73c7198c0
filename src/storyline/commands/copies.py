"""CLI commands of the copies stage: ``storyline copies [ARTICLE]``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from storyline.cli import _echo_json, _workspace, cli, db_option, json_option

if TYPE_CHECKING:
    from rich.text import Text

    from storyline.copies.report import LinkView

_KIND_STYLE = {
    "same": ("=", "dim"),
    "moved": ("↕", "cyan"),
    "edited": ("~", "yellow"),
    "reworded": ("≈", "yellow"),
    "added": ("+", "green"),
    "removed": ("-", "red"),
}


@cli.command("copies")
@click.argument("article", required=False)
@db_option
@json_option
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
def copies_command(
    article: str | None, db: str | None, as_json: bool, limit: int, offset: int
) -> None:
    """List copy groups, or show one ARTICLE's copies with a side-by-side diff.

    A group is a set of articles linked by copying, with its likely original and how
    many independent origins it has. For one article: each relation (verbatim, edited,
    partial, version) with the share of text reused, the reused passages, and what the
    copy added, removed or reworded; then the articles it only shares passages with (a
    small part of both texts, often wire copy both reuse: no copies).
    """
    if article is None:
        _list_groups(db, as_json, limit, offset)
    else:
        _show_article(article, db, as_json)


def _list_groups(db: str | None, as_json: bool, limit: int, offset: int) -> None:
    with _workspace(db) as ws:
        groups = ws.copy_groups(limit, offset)
        total = ws.count_copy_groups()
        originals = {g.original_id: ws.article(g.original_id) for g in groups}
    if as_json:
        _echo_json(
            [
                {
                    "group_id": g.group_id,
                    "size": g.size,
                    "origins": g.origins,
                    "first_published": g.first_published,
                    "original_id": g.original_id,
                    "original_source": originals[g.original_id].source,
                    "original_title": originals[g.original_id].title,
                    "reason": g.reason,
                    "members": list(g.members),
                }
                for g in groups
            ]
        )
        return
    for g in groups:
        first = originals[g.original_id]
        day = g.first_published.date().isoformat() if g.first_published else "undated"
        click.echo(
            f"{g.group_id}  {g.size:>3} articles  {g.origins:>2} origins  {day}  "
            f"original {first.id} ({first.source or '-'}): {first.title}"
        )
        click.echo(click.style(f"{'':18}why: {g.reason}", dim=True))
    click.echo(f"{len(groups)} of {total} copy groups", err=True)


def _show_article(ref: str, db: str | None, as_json: bool) -> None:
    from storyline.copies.report import report_dict

    with _workspace(db) as ws:
        report = ws.copies(ref)
    if as_json:
        _echo_json(report_dict(report))
        return
    found = report.article
    click.echo(click.style(f"{found.id}  {found.title}", bold=True))
    click.echo(f"source {found.source or '-'}, published "
               f"{found.published.isoformat() if found.published else 'unknown'}")  # fmt: skip
    if not report.links:
        click.echo("no copies: this article copies no stored article and none copies it")
    else:
        click.echo(
            f"copy group of {len(report.group)} articles with {report.group_origins} "
            f"independent origin(s); this article draws on {report.origins_behind}"
        )
        click.echo(f"likely original: {report.original_id} ({report.reason})")
    for view in report.links:
        _show_link(view)
    if report.shared:
        click.echo()
        click.echo(
            click.style(f"shares passages with {len(report.shared)} article(s)", bold=True)
            + " (no copies: a small part of both texts, often wire copy both reuse)"
        )
    for view in report.shared:
        _show_shared(view, found.id)


def _show_link(view: LinkView) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    link, other = view.link, view.other
    click.echo()
    if view.role == "version":
        head = f"version {link.source_version} replaces version {link.target_version}"
    elif view.role == "copy":
        head = f"{link.relation} copy of {other.id} ({other.source or '-'}: {other.title})"
    else:
        head = f"copied by {other.id} ({other.source or '-'}: {other.title}) as {link.relation}"
    click.echo(click.style(head, bold=True))
    click.echo(
        f"  {link.overlap:.0%} of the copy's words reused; {link.target_overlap:.0%} of the "
        f"original's; {len(view.passages)} passage(s)"
    )
    click.echo(click.style(f"  why: {link.reason}", dim=True))
    _show_passages(view, ("copy", "original"), mine_is_copy=True)
    table = Table("", f"original {link.target_id}", f"copy {link.source_id}", box=None)
    for row in view.diff:
        mark, style = _KIND_STYLE[row.kind]
        left, right = Text(row.original), Text(row.copy)
        if row.words:
            left, right = _word_marks(row.words)
        elif row.kind != "same":
            left.stylize(style)
            right.stylize(style)
        table.add_row(Text(mark, style=style), left, right)
    Console(soft_wrap=False).print(table)


def _show_shared(view: LinkView, article_id: str) -> None:
    """One article this one shares passages with: overlap both ways and the passages."""
    link, other = view.link, view.other
    mine_is_copy = link.source_id == article_id
    mine, theirs = link.overlap, link.target_overlap
    if not mine_is_copy:
        mine, theirs = theirs, mine
    click.echo(f"  {other.id} ({other.source or '-'}: {other.title})")
    click.echo(
        f"    {mine:.0%} of this article's words, {theirs:.0%} of the other's; "
        f"{len(view.passages)} passage(s)"
    )
    click.echo(click.style(f"    why: {link.reason}", dim=True))
    _show_passages(view, ("here", "there"), mine_is_copy, indent="    ")


def _show_passages(
    view: LinkView, labels: tuple[str, str], mine_is_copy: bool, indent: str = "  "
) -> None:
    """Each passage with its spans in the article shown and in the other."""
    for passage in view.passages:
        spans = [passage.copy_span, passage.original_span]
        text = passage.copy_text if mine_is_copy else passage.original_text
        (a, b), (c, d) = spans if mine_is_copy else spans[::-1]
        snippet = " ".join(text.split())
        click.echo(f"{indent}¶ {labels[0]} {a}-{b} = {labels[1]} {c}-{d}: {snippet[:160]}")


def _word_marks(words: tuple[tuple[str, str], ...]) -> tuple[Text, Text]:
    from rich.text import Text

    left, right = Text(), Text()
    for op, chunk in words:
        if op in ("=", "-"):
            left.append(chunk + " ", style="red strike" if op == "-" else "")
        if op in ("=", "+"):
            right.append(chunk + " ", style="green" if op == "+" else "")
    return left, right
