"""The Python API: open a workspace, ingest, read back what was stored.

>>> ws = open_workspace("news.db")
>>> summary = ws.ingest(["examples/demo"])
>>> [a.title for a in ws.articles(limit=3)]
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from storyline.errors import NotFound, StoreError
from storyline.model import Article
from storyline.pipeline import IngestSummary, Progress, ingest
from storyline.settings import Settings
from storyline.store import SqliteStore


class Workspace:
    """A storyline workspace: one store plus the settings to run the stages with."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = SqliteStore(settings.db_path)

    @property
    def path(self) -> str:
        """The workspace file."""
        return self.store.path

    def close(self) -> None:
        """Close the workspace."""
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        stdin: BinaryIO | None = None,
        progress: Progress | None = None,
    ) -> IngestSummary:
        """Read, clean and store every article under ``paths`` (``-`` reads ``stdin``)."""
        names = [str(p) for p in paths]
        return ingest(
            self.store,
            names,
            self.settings,
            stdin=stdin,
            progress=progress,
            command="ingest " + " ".join(names),
        )

    def articles(
        self,
        limit: int | None = None,
        offset: int = 0,
        source: str | None = None,
        language: str | None = None,
    ) -> list[Article]:
        """Stored articles in ingest order."""
        return self.store.articles(limit, offset, source, language)

    def count_articles(self, source: str | None = None, language: str | None = None) -> int:
        """How many articles are stored (matching the filters)."""
        return self.store.count_articles(source, language)

    def article(self, ref: str) -> Article:
        """One article by id, its input record's id, or a unique id prefix (any length)."""
        return self.store.article(ref)

    def article_details(self, ref: str) -> dict[str, Any]:
        """An article with the input records behind it and its earlier versions."""
        article = self.article(ref)
        return {
            "article": article,
            "records": self.store.records_of(article.id),
            "versions": self.store.versions(article.id),
        }

    def rejections(self, run_id: int | None = None) -> list[dict[str, Any]]:
        """What was rejected, by run; an unknown ``run_id`` is ``NotFound``."""
        if run_id is not None:
            ids = [run["id"] for run in self.store.runs()]
            if run_id not in ids:
                known = f"runs: {_ranges(ids)}" if ids else "no runs yet: ingest first"
                raise NotFound(f"no run {run_id} in {self.path} ({known})")
        return self.store.rejections(run_id)

    def runs(self) -> list[dict[str, Any]]:
        """Every ingest run with its counts."""
        return self.store.runs()

    # --- copies and provenance (issue 3) ---

    def copy_groups(self, limit: int | None = 50, offset: int = 0) -> list[Any]:
        """Copy groups (articles linked by copying), largest first, with the likely
        original, the reason for the choice and the number of independent origins."""
        from storyline import copies

        return copies.copy_groups(self.store.conn, limit, offset)

    def count_copy_groups(self) -> int:
        """How many copy groups the workspace holds."""
        from storyline.store import copies as db

        return db.count_groups(self.store.conn)

    def copies(self, ref: str) -> Any:
        """One article's copies: links with overlap, passages and a side-by-side diff,
        its copy group, the likely original and independent origins (``CopyReport``)."""
        from storyline import copies

        return copies.copy_report(self.store.conn, self.article(ref).id)

    def copy_links(self, ref: str) -> list[Any]:
        """Every ``CopyLink`` the article is part of, as the copy or as the copied."""
        from storyline import copies

        return copies.copy_links(self.store.conn, self.article(ref).id)

    def original_of(self, ref: str) -> tuple[str, str]:
        """The likely original of the article's copy group, and why it was chosen."""
        from storyline import copies

        return copies.original_of(self.store.conn, self.article(ref).id)

    def independent_origins(self, refs: Iterable[str]) -> int:
        """How many independent origins these articles have (reprints count once)."""
        from storyline import copies

        ids = [self.article(ref).id for ref in refs]
        return copies.independent_origins(self.store.conn, ids)

    # --- entities, dates and quotes (issue 5) ---

    def entities(self, event: int | str | None = None, limit: int | None = 50,
                 label: str | None = None, offset: int = 0) -> list[Any]:  # fmt: skip
        """Canonical entities by mention count (``Entity``), optionally of one event only."""
        from storyline.understand import api as understand

        return understand.entities(self.store.conn, event, limit, label, offset)

    def count_entities(self, event: int | str | None = None, label: str | None = None) -> int:
        """How many entities ``entities`` lists for the same event and label."""
        from storyline.understand import api as understand

        return understand.count_entities(self.store.conn, event, label)

    def entity(self, name: str) -> dict[str, Any]:
        """One entity by id, name or name form: its variants, merge evidence and articles."""
        from storyline.understand import api as understand

        return understand.entity(self.store.conn, name)

    def undo_entity_link(self, link_id: int) -> str:
        """Undo one merge (a link from ``entity``); returns the id of the split-off entity."""
        from storyline.store import understand as db

        with self.store.transaction() as conn:
            return db.undo_link(conn, link_id)

    def understanding(self, ref: str) -> dict[str, Any]:
        """An article's entities, dates (with evidence) and quotes."""
        from storyline.understand import api as understand

        return understand.article_view(self.store.conn, self.article(ref).id)

    def quote_sources(self, quote_id: str) -> list[str]:
        """Every article carrying a quote, first source first."""
        from storyline.store import understand as db

        return db.quote_sources(self.store.conn, quote_id)

    # --- events (issue 4) ---

    def events(self, limit: int = 50, offset: int = 0, min_size: int = 1) -> list[dict[str, Any]]:
        """Active events, most recent first: id, size, sources, first/last day, label."""
        from storyline.store import events as db

        return db.list_events(self.store.conn, limit, offset, min_size)

    def count_events(self) -> int:
        """How many active events the workspace holds."""
        from storyline.store import events as db

        return db.count_events(self.store.conn)

    def event(self, event_id: int) -> dict[str, Any]:
        """One event with its articles; an old (merged or split) id resolves to successors."""
        from storyline.store import events as db

        conn = self.store.conn
        row = db.event_row(conn, event_id)
        current = db.successors(conn, event_id)
        articles = [self.store.article(a) for a in db.event_article_ids(conn, event_id)]
        return {**row, "successors": current, "articles": articles,
                "lineage": db.lineage_of(conn, event_id)}  # fmt: skip

    def why(self, ref: str) -> dict[str, Any]:
        """Why an article is in its event: candidates, signal scores, weights, the decision."""
        from storyline.store import events as db

        article = self.article(ref)
        decision = db.decision_of(self.store.conn, article.id)
        if decision is None:
            raise NotFound(
                f"article {article.id} has no event decision: was it ingested with the "
                "events stage off (STORYLINE_STAGES)?"
            )
        from storyline.events.stage import time_basis

        current = db.membership(self.store.conn, [article.id]).get(article.id)
        day, basis = time_basis(self.store.conn, article)
        return {
            "article": article,
            "current_event": current,
            "time": {"day": day, "basis": basis},
            **decision,
        }

    def assignments(self) -> Iterator[dict[str, Any]]:
        """One row per input record ever ingested: its id, article id and event id."""
        from storyline.store import events as db

        return db.assignments(self.store.conn)

    def recluster(self, since: datetime | None = None) -> dict[str, Any]:
        """Re-cluster the articles from ``since`` on in one batch, recording lineage."""
        from storyline.events.recluster import recluster

        with self.store.transaction() as conn:
            return recluster(conn, since)

    # --- what happened (issue 6) ---

    def compare(self, event_id: int, embedder: Any = None) -> Any:
        """The source comparison of an event (``Comparison``): facts with their sources and
        independent origins, single-source facts, contradictions, quotes."""
        from storyline import analysis

        return analysis.compare_event(self.store.conn, event_id, embedder)

    def brief(self, event_id: int, max_sentences: int = 8, embedder: Any = None) -> Any:
        """The extractive brief of an event (``Brief``): every sentence an article's own,
        followed by its citations; disagreements stated as such."""
        from storyline import analysis

        return analysis.brief_event(self.store.conn, event_id, embedder, max_sentences)

    def timeline(self, event_id: int, embedder: Any = None) -> Any:
        """The timeline of an event (``Timeline``): first report, developments, dates."""
        from storyline import analysis

        return analysis.timeline_event(self.store.conn, event_id, embedder)

    def what_happened(
        self, event_id: int, max_sentences: int = 8, embedder: Any = None
    ) -> dict[str, Any]:
        """Brief, timeline and comparison (with the source-by-fact matrix) of an event,
        as JSON values, from one analysis."""
        from storyline import analysis

        return analysis.event_views(self.store.conn, event_id, embedder, max_sentences)

    def prepare_analysis(
        self, event_ids: Iterable[int] | None = None, embedder: Any = None
    ) -> dict[str, int]:
        """Embed and keep the sentences of these events (default: all) so that their
        briefs and comparisons build without waiting for the sentence encoder."""
        from storyline import analysis

        ids = None if event_ids is None else list(event_ids)
        return analysis.prepare(self.store.conn, ids, embedder)

    def storylines(self, min_size: int = 1) -> list[Any]:
        """Events linked into storylines (``Storyline``), each link with its reason."""
        from storyline import analysis

        return analysis.storylines(self.store.conn, min_size)

    def storyline(self, ref: int) -> Any:
        """One storyline by its id, or the storyline an event belongs to."""
        from storyline import analysis

        return analysis.storyline(self.store.conn, ref)


def open_workspace(
    path: str | Path | None = None, settings: Settings | None = None, *, create: bool = True
) -> Workspace:
    """Open (creating and migrating when needed) the workspace at ``path``.

    Without a path: ``$STORYLINE_DB``, else ``./storyline.db``. With ``create=False``
    a missing workspace file is a ``StoreError`` that says how to make one, so that
    reading a mistyped path does not leave an empty workspace behind.
    """
    base = settings or Settings.from_env()
    if path is not None:
        from dataclasses import replace

        base = replace(base, db_path=str(path))
    if not create and base.db_path != ":memory:" and not Path(base.db_path).exists():
        default = path is None and not os.environ.get("STORYLINE_DB")
        raise StoreError(_no_workspace(base.db_path, default))
    return Workspace(base)


def _no_workspace(path: str, default: bool) -> str:
    if default:
        return (
            f"no workspace in the current directory ({path}, the default): run "
            "`storyline ingest FILES` first to make one, or name yours with --db PATH "
            "or STORYLINE_DB"
        )
    return (
        f"no workspace at {path}: run `storyline ingest FILES --db {shlex.quote(path)}` "
        "first, or check the path"
    )


def _ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 5]`` as ``1-3, 5``."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
