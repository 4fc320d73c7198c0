"""The copies stage: duplicates, reused passages, likely originals, independent origins.

Public functions for the later stages (events, briefs) and the API, each taking the
workspace's ``sqlite3.Connection``:

- ``copy_links(conn, article_id)``: every ``CopyLink`` the article is part of, shared
  passages (relation ``shared``: no copy) included, for callers that follow passages;
- ``copy_group(conn, article_id)``: the articles linked to it by copying (itself first;
  shared passages link no group);
- ``original_of(conn, article_id)``: the likely original of its group, with the reason;
- ``independent_origins(conn, article_ids)``: how many independent origins a set of
  articles has (copies of one text, verbatim or edited, count once wherever the original
  is; an article that reuses passages inside mostly its own text, or shares a few with
  another, is an origin itself);
- ``origins_behind(conn, article_id)``: the origins an article's text draws on.

Importing this package registers the stage as ``"copies"`` in ``storyline.stages``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from storyline.copies.diff import DiffRow, diff_texts
from storyline.copies.relation import CopyPolicy
from storyline.copies.report import CopyReport, link_view
from storyline.copies.stage import CopiesStage
from storyline.errors import NotFound
from storyline.model import CopyLink
from storyline.stages import FACTORIES
from storyline.store import copies as db

__all__ = [
    "CopiesStage",
    "CopyGroup",
    "CopyPolicy",
    "CopyReport",
    "copy_diff",
    "copy_group",
    "copy_groups",
    "copy_links",
    "copy_report",
    "independent_origins",
    "original_of",
    "origins_behind",
]

FACTORIES["copies"] = CopiesStage


@dataclass(frozen=True, slots=True)
class CopyGroup:
    """Articles linked by copying, with their likely original and independent origins."""

    group_id: str
    original_id: str
    reason: str
    size: int
    origins: int
    first_published: datetime | None
    members: tuple[str, ...]


def copy_links(conn: sqlite3.Connection, article_id: str) -> list[CopyLink]:
    """Every link in which the article is the copy or the copied, oldest first: copies,
    versions, and shared passages (``relation == "shared"``, no copy: skip them where
    only copies count)."""
    return db.links_of(conn, article_id)


def copy_group(conn: sqlite3.Connection, article_id: str) -> list[str]:
    """The articles linked to this one by copying, itself first; ``[article_id]`` if none."""
    found = db.membership(conn, [article_id]).get(article_id)
    if found is None:
        return [article_id]
    others = [a for a in db.members(conn, found[0]) if a != article_id]
    return [article_id, *others]


def original_of(conn: sqlite3.Connection, article_id: str) -> tuple[str, str]:
    """The likely original of the article's copy group and the reason for the choice."""
    found = db.membership(conn, [article_id]).get(article_id)
    if found is None:
        return article_id, "copies no stored article and is copied by none"
    row = db.provenance(conn, found[0])
    if row is None:  # only while a batch is being written
        return article_id, "provenance not decided yet"
    return str(row["original_id"]), str(row["reason"])


def independent_origins(conn: sqlite3.Connection, article_ids: Iterable[str]) -> int:
    """How many independent origins these articles have: a wire story reprinted ten
    times (verbatim or edited) counts once, even when the wire original is not among
    them; an article that reuses a passage inside mostly its own text counts itself."""
    ids = list(dict.fromkeys(article_ids))
    return len(set(db.origins(conn, ids).values()))


def origins_behind(conn: sqlite3.Connection, article_id: str) -> int:
    """How many independent origins an article's text draws on (1 when it copies nothing):
    its own origin plus those of every article it reuses, directly or through copies
    (passages it only shares with an earlier article are not drawn from it)."""
    seen = {article_id}
    frontier = [article_id]
    while frontier:
        current = frontier.pop()
        for link in db.links_of(conn, current):
            if link.relation == "shared":
                continue
            if link.source_id == current and link.target_id not in seen:
                seen.add(link.target_id)
                frontier.append(link.target_id)
    return len(set(db.origins(conn, sorted(seen)).values()))


def copy_groups(
    conn: sqlite3.Connection, limit: int | None = None, offset: int = 0
) -> list[CopyGroup]:
    """Copy groups, largest first."""
    return [
        CopyGroup(
            group_id=row["group_id"],
            original_id=row["original_id"],
            reason=row["reason"],
            size=int(row["size"]),
            origins=int(row["origins"]),
            first_published=(
                datetime.fromisoformat(row["first_published"]) if row["first_published"] else None
            ),
            members=tuple(db.members(conn, row["group_id"])),
        )
        for row in db.groups(conn, limit, offset)
    ]


def copy_diff(conn: sqlite3.Connection, link: CopyLink) -> list[DiffRow]:
    """The side-by-side diff of a link's copy against its target (the linked versions)."""
    copy_text = db.version_text(conn, link.source_id, link.source_version) or ""
    original_text = db.version_text(conn, link.target_id, link.target_version) or ""
    return diff_texts(copy_text, original_text)


def copy_report(conn: sqlite3.Connection, article_id: str) -> CopyReport:
    """An article's copy links (with passages and diffs), group, original and origins,
    and the passages it shares with other articles."""
    links = copy_links(conn, article_id)
    other_ids = {k.target_id if k.source_id == article_id else k.source_id for k in links}
    found = db.articles(conn, [article_id, *other_ids])
    if article_id not in found:
        raise NotFound(f"no article {article_id!r}: list them with `storyline articles`")
    views = []
    for link in links:
        other_id = link.target_id if link.source_id == article_id else link.source_id
        views.append(link_view(conn, article_id, link, found[other_id]))
    group = copy_group(conn, article_id)
    original, reason = original_of(conn, article_id)
    return CopyReport(
        article=found[article_id],
        links=tuple(v for v in views if v.role != "shared"),
        shared=tuple(v for v in views if v.role == "shared"),
        group=tuple(group),
        original_id=original,
        reason=reason,
        group_origins=independent_origins(conn, group),
        origins_behind=origins_behind(conn, article_id),
    )
