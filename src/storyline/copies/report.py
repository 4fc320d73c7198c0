"""What the API and the CLI show about one article's copies, as plain records."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any, Literal

from storyline.copies.diff import DiffRow, diff_texts
from storyline.model import Article, CopyLink
from storyline.store import copies as db

Role = Literal["copy", "original", "version", "shared"]


@dataclass(frozen=True, slots=True)
class Passage:
    """One reused passage: its span and text in the copy and in the original."""

    copy_span: tuple[int, int]
    original_span: tuple[int, int]
    copy_text: str
    original_text: str


@dataclass(frozen=True, slots=True)
class LinkView:
    """A copy link seen from one article: its role, the other side, passages and diff."""

    link: CopyLink
    # the article's role in the link: the copy, the copied, a new version, or one of two
    # articles that share passages
    role: Role
    other: Article
    passages: tuple[Passage, ...]
    diff: tuple[DiffRow, ...]


@dataclass(frozen=True, slots=True)
class CopyReport:
    """Everything about one article's copies, and the passages it shares with others."""

    article: Article
    links: tuple[LinkView, ...]  # copies and versions
    shared: tuple[LinkView, ...]  # shared passages: no copies, so no diff
    group: tuple[str, ...]
    original_id: str
    reason: str
    group_origins: int  # independent origins of the whole copy group
    origins_behind: int  # independent origins this article's text draws on


def link_view(
    conn: sqlite3.Connection, article_id: str, link: CopyLink, other: Article
) -> LinkView:
    """A link with its passages' texts and the side-by-side diff of copy and original
    (none for shared passages: two mostly different texts)."""
    copy_text = db.version_text(conn, link.source_id, link.source_version) or ""
    original_text = db.version_text(conn, link.target_id, link.target_version) or ""
    passages = tuple(
        Passage(c, t, copy_text[c[0] : c[1]], original_text[t[0] : t[1]]) for c, t in link.passages
    )
    if link.relation == "shared":
        return LinkView(link, "shared", other, passages, ())
    if link.relation == "version":
        role: Role = "version"
    else:
        role = "copy" if link.source_id == article_id else "original"
    return LinkView(link, role, other, passages, tuple(diff_texts(copy_text, original_text)))


def report_dict(report: CopyReport) -> dict[str, Any]:
    """A JSON-ready view of a ``CopyReport``."""
    from storyline.serialize import article_dict

    return {
        "article": article_dict(report.article, with_text=False),
        "group": list(report.group),
        "original_id": report.original_id,
        "original_reason": report.reason,
        "group_origins": report.group_origins,
        "origins_behind": report.origins_behind,
        "links": [_view_dict(view) for view in report.links],
        "shared": [_view_dict(view) for view in report.shared],
    }


def _view_dict(view: LinkView) -> dict[str, Any]:
    from storyline.serialize import article_dict

    return {
        **{k: v for k, v in asdict(view.link).items() if k != "passages"},
        "role": view.role,
        "other": article_dict(view.other, with_text=False),
        "passages": [asdict(p) for p in view.passages],
        "diff": [asdict(row) for row in view.diff],
    }
