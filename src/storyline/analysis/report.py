"""The what-happened part of ``storyline report`` (and so of ``make demo``): for each
event, its brief, timeline, source comparison and copies, in Markdown."""

from __future__ import annotations

from typing import Any

from storyline import copies
from storyline.analysis import event_views
from storyline.analysis.markdown import brief_md, cell, comparison_md, timeline_md
from storyline.api import Workspace
from storyline.store import events as events_db


def event_report(ws: Workspace, event_id: int, level: int = 4) -> list[str]:
    """Brief, timeline, comparison and copies of one event, as Markdown lines."""
    views = event_views(ws.store.conn, event_id)
    brief = {**views["brief"], "title": "Brief"}
    text = "\n".join(
        [
            brief_md(brief, level),
            timeline_md(views["timeline"], level),
            comparison_md(views["comparison"], level, max_single=8),
            *_copies_md(ws, event_id, level),
        ]
    )
    return [*text.splitlines(), ""]


def _copies_md(ws: Workspace, event_id: int, level: int) -> list[str]:
    """The copy links among an event's articles and its count of independent origins."""
    conn = ws.store.conn
    ids = events_db.event_article_ids(conn, event_id)
    inside = set(ids)
    lines = ["#" * level + " Copies", ""]
    seen: set[tuple[str, str]] = set()
    copied: list[str] = []
    shared: list[str] = []  # passages shared, no copy: listed after the copies
    for article_id in ids:
        for link in copies.copy_links(conn, article_id):
            pair = (link.source_id, link.target_id)
            if pair in seen or link.source_id not in inside:
                continue
            seen.add(pair)
            (shared if link.relation == "shared" else copied).append(_link_line(ws, link))
    lines += copied or ["No article of this event copies another."]
    lines += shared
    origins = copies.independent_origins(conn, ids)
    lines += ["", f"{len(ids)} articles, {origins} independent origins.", ""]
    return lines


def _link_line(ws: Workspace, link: Any) -> str:
    copy, original = ws.article(link.source_id), ws.article(link.target_id)
    if link.relation == "shared":
        return (
            f"- `{copy.id}` ({cell(copy.source or 'unknown source')}) shares passages with "
            f"`{original.id}` ({cell(original.source or 'unknown source')}), no copy: "
            f"{link.overlap:.0%} of its words, {link.target_overlap:.0%} of the other's"
        )
    return (
        f"- `{copy.id}` ({cell(copy.source or 'unknown source')}) is "
        f"{'an' if link.relation[0] in 'aeiou' else 'a'} {link.relation} copy "
        f"of `{original.id}` ({cell(original.source or 'unknown source')}): "
        f"{link.overlap:.0%} of its words reused"
    )
