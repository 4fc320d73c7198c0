"""A readable Markdown report of what a workspace holds (the output of ``make demo``)."""

from __future__ import annotations

from collections import Counter

from storyline.analysis.claims import source_tally
from storyline.analysis.markdown import coverage
from storyline.api import Workspace
from storyline.model import Article


def _date(article: Article) -> str:
    if article.published is None:
        return "no date"
    return f"{article.published.date().isoformat()} ({article.date_source})"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def workspace_report(ws: Workspace) -> str:
    """The report: counts, articles by outlet, attributions and boilerplate removed."""
    articles = ws.articles()
    lines = [f"# storyline report: {ws.path}", ""]
    named, unnamed = source_tally(articles)
    by_format = Counter(a.format for a in articles)
    by_language = Counter(a.language or "?" for a in articles)
    lines += [
        f"{coverage(len(articles), named, None, unnamed)}.",
        "",
        "- formats: " + ", ".join(f"{k} {v}" for k, v in sorted(by_format.items())),
        "- languages: " + ", ".join(f"{k} {v}" for k, v in sorted(by_language.items())),
        "",
        *_events_section(ws),
        "## Articles",
        "",
        "| id | date | source | title | attributions | boilerplate removed |",
        "|---|---|---|---|---|---|",
    ]
    for article in sorted(articles, key=lambda a: (a.published is None, a.published, a.id)):
        credits = ", ".join(sorted({f"{x.agency} ({x.position})" for x in article.attributions}))
        lines.append(
            f"| `{article.id}` | {_date(article)} | {_cell(article.source)} "
            f"| {_cell(article.title)} | {_cell(credits)} | {len(article.removed)} |"
        )
    lines += _rejections_section(ws)
    return "\n".join(lines) + "\n"


def _events_section(ws: Workspace) -> list[str]:
    """Each event with its dates and articles, most recent first (empty without events)."""
    from storyline.analysis.report import event_report
    from storyline.store import events as db

    rows = ws.events(limit=1000)
    if not rows:
        return []
    lines = ["## Events", "", f"{ws.count_events()} events.", ""]
    for row in rows:
        lines += [f"### Event {row['id']}: {row['label']}", ""]
        lines.append(f"{coverage(row['size'], row['sources'], None, row['unnamed'])}.")
        lines.append("")
        for article_id in db.event_article_ids(ws.store.conn, row["id"]):
            article = ws.article(article_id)
            source = _cell(article.source or "unknown source")
            lines.append(f"- {_date(article)}, {source}: {_cell(article.title)}")
        lines.append("")
        lines += event_report(ws, row["id"])  # brief, timeline, comparison, copies (issue 6)
    return lines


def _rejections_section(ws: Workspace) -> list[str]:
    runs = ws.runs()
    if not runs:
        return []
    last = runs[-1]
    rejected = ws.rejections(last["id"])
    lines = ["", "## Last ingest", "", f"`{last['command']}`: {last['status']}", ""]
    counts = last["counts"]
    for key in ("read", "stored", "duplicates_skipped", "already_ingested"):
        lines.append(f"- {key.replace('_', ' ')}: {counts.get(key, 0)}")
    for what, n in counts.get("skipped", {}).items():
        lines.append(f"- skipped {what}: {n}")
    for row in rejected:
        lines.append(f"- rejected `{row['location']}`: {row['reason']}: {row['detail']}")
    return lines
