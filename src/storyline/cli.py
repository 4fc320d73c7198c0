"""The ``storyline`` command: parse arguments, call one API function, format the result."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from storyline.api import Workspace, open_workspace
from storyline.errors import StorylineError
from storyline.model import Location, Rejected
from storyline.pipeline import IngestSummary
from storyline.serialize import article_dict

EXIT_REJECTED = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
_MAX_SHOWN_REJECTIONS = 50

db_option = click.option(
    "--db",
    "db",
    metavar="PATH",
    envvar="STORYLINE_DB",
    default=None,
    help="Workspace file [env STORYLINE_DB; default ./storyline.db].",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@contextmanager
def _workspace(db: str | None, create: bool = False) -> Iterator[Workspace]:
    """The workspace a command works on; only commands that store articles create it."""
    ws = open_workspace(db, create=create)
    try:
        yield ws
    finally:
        ws.close()


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storyline")
def cli() -> None:
    """storyline: turn a pile or a stream of news articles into what happened."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH|- ...")
@db_option
@json_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary; errors only.")
def ingest(paths: tuple[str, ...], db: str | None, as_json: bool, quiet: bool) -> None:
    """Read, clean and store articles from files, folders or standard input (-).

    Reads .txt .md .html .htm .jsonl .json .xml .rss .atom .warc .warc.gz, recursively.
    Exit status: 0 when everything was stored or already there, 1 when anything was
    rejected (a path that cannot be read counts), 2 for a usage or workspace error, 130
    when interrupted (run the same command again to resume).
    """
    stdin = sys.stdin.buffer if "-" in paths else None
    with _workspace(db, create=True) as ws, _progress(quiet or as_json) as progress:
        try:
            summary = ws.ingest(paths, stdin=stdin, progress=progress)
        except KeyboardInterrupt:
            click.echo(
                "interrupted: what was stored before stays stored; "
                "run the same command again to resume",
                err=True,
            )
            sys.exit(EXIT_INTERRUPTED)
    _print_rejections(summary)
    if as_json:
        _echo_json(summary.as_dict())
    elif not quiet:
        click.echo(_summary_text(summary, ws.path, paths))
    if summary.rejected_total:
        sys.exit(EXIT_REJECTED)


@contextmanager
def _progress(off: bool) -> Iterator[Callable[[str, int], None] | None]:
    if off or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, transient=True) as bar:
        files = bar.add_task("files 0", total=None)
        docs = bar.add_task("documents 0", total=None)
        counts = {"file": 0, "document": 0}

        def advance(event: str, n: int) -> None:
            counts[event] = counts.get(event, 0) + n
            task = files if event == "file" else docs
            bar.update(task, description=f"{event}s {counts[event]:,}")

        yield advance


def _print_rejections(summary: IngestSummary) -> None:
    shown = summary.rejections[:_MAX_SHOWN_REJECTIONS]
    for rejected in shown:
        click.echo(f"rejected: {rejected}", err=True)
    hidden = len(summary.rejections) - len(shown)
    if hidden > 0:
        click.echo(f"... and {hidden} more: see `storyline rejections`", err=True)


def _summary_text(summary: IngestSummary, path: str, given: tuple[str, ...]) -> str:
    missing = _unreadable_paths(summary, given)
    lines = [
        f"{summary.read} read from {summary.files} files in {summary.seconds:.1f}s into {path}",
        f"  stored              {summary.stored}",
    ]
    if summary.versions:
        lines.append(f"  new versions        {summary.versions}")
    lines.append(f"  duplicates skipped  {summary.duplicates}")
    if summary.already:
        lines.append(f"  already ingested    {summary.already}")
    lines.append(f"  rejected            {summary.rejected_total}")
    lines += [f"    {reason:<18}{n}" for reason, n in sorted(summary.rejected.items())]
    lines += [f"  skipped {what}: {n}" for what, n in sorted(summary.skipped.items())]
    if summary.read and not summary.stored and not summary.versions and not summary.rejected:
        lines.append("nothing new: every article was already in the workspace")
    if missing:
        paths = "; ".join(f"{r.location}: {r.detail}" for r in missing[:3])
        more = f"; and {len(missing) - 3} more" if len(missing) > 3 else ""
        check = "check it" if len(missing) == 1 else "check them"
        lines.append(f"{_plural(len(missing), 'path')} could not be read ({check}): {paths}{more}")
    return "\n".join(lines)


def _unreadable_paths(summary: IngestSummary, given: tuple[str, ...]) -> list[Rejected]:
    """The paths named on the command line that could not be read at all (missing, not a
    file, no permission), to name them under the summary."""
    named = {Location(p) for p in given}
    return [r for r in summary.rejections if r.reason == "unreadable" and r.location in named]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@cli.command()
@db_option
@json_option
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--source", help="Only articles from this source.")
@click.option("--language", help="Only articles in this language (ISO 639-1).")
def articles(
    db: str | None,
    as_json: bool,
    limit: int,
    offset: int,
    source: str | None,
    language: str | None,
) -> None:
    """List stored articles."""
    with _workspace(db) as ws:
        found = ws.articles(limit, offset, source, language)
        total = ws.count_articles(source, language)
    if as_json:
        _echo_json([article_dict(a, with_text=False) for a in found])
        return
    for a in found:
        day = a.published.date().isoformat() if a.published else "-" * 10
        ext = f" [{a.external_id}]" if a.external_id else ""
        source = (a.source or "-")[:24]
        click.echo(f"{a.id}  {day}  {source:<24}  {a.language or '--'}  {a.title}{ext}")
    click.echo(f"{len(found)} of {total} articles", err=True)


@cli.command()
@click.argument("article")
@db_option
@json_option
def show(article: str, db: str | None, as_json: bool) -> None:
    """Show one article: by id, its input record's own id, or an id prefix.

    ARTICLE is tried as a whole id, then as an input id, then as the start of an id: any
    prefix that starts only one id will do (an ambiguous one lists a few of its matches).
    """
    from storyline.commands.understand import print_sections, understanding_of

    with _workspace(db) as ws:
        details = ws.article_details(article)
        understood = understanding_of(ws, details["article"].id)
    found = details["article"]
    if as_json:
        _echo_json({**article_dict(found), "records": details["records"],
                    "versions": details["versions"], **understood})  # fmt: skip
        return
    click.echo(click.style(found.title, bold=True))
    ext = f"  (input id {found.external_id})" if found.external_id else ""
    rows = [
        ("id", found.id + ext),
        ("source", found.source or "-"),
        (
            "published",
            f"{found.published.isoformat()} from {found.date_source}"
            if found.published
            else "unknown",
        ),
        ("language", found.language or "-"),
        ("author", found.author or "-"),
        ("url", found.url or "-"),
        ("from", found.location),
        ("credits", ", ".join(f"{a.agency} [{a.form}]" for a in found.attributions) or "-"),
        ("inputs", str(len(details["records"]))),
        ("versions", str(len(details["versions"]) + 1)),
    ]
    for key, value in rows:
        click.echo(f"{key:>10}  {value}")
    for line in found.removed:
        click.echo(click.style(f"   removed  {line}", dim=True))
    print_sections(understood)
    click.echo()
    click.echo(found.text)


@cli.command()
@db_option
@json_option
@click.option("--run", "run_id", type=int, help="Only this ingest run (default: all).")
def rejections(db: str | None, as_json: bool, run_id: int | None) -> None:
    """List what ingest rejected, with location and reason."""
    with _workspace(db) as ws:
        rows = ws.rejections(run_id)
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        click.echo(f"run {row['run_id']}  {row['location']}: {row['reason']}: {row['detail']}")
    click.echo(f"{len(rows)} rejected", err=True)


@cli.command()
@db_option
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file.")
def report(db: str | None, out: str | None) -> None:
    """Write a readable Markdown report of the workspace."""
    from storyline.report import workspace_report

    with _workspace(db) as ws:
        text = workspace_report(ws)
    if out:
        from pathlib import Path

        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"report written to {out}")
    else:
        click.echo(text, nl=False)


def main(args: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning storyline errors into one-line messages."""
    try:
        cli(args, standalone_mode=True)
    except StorylineError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)


# The later stages' commands register themselves on `cli` (kept out of this module).
import storyline.commands  # noqa: E402, F401
