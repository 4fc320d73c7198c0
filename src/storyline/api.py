"""The Python API: open a workspace, ingest, read back what was stored.

>>> ws = open_workspace("news.db")
>>> summary = ws.ingest(["examples/demo"])
>>> [a.title for a in ws.articles(limit=3)]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

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
        """One article by id, id prefix (4+ characters) or its input record's id."""
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
        """What was rejected, by run."""
        return self.store.rejections(run_id)

    def runs(self) -> list[dict[str, Any]]:
        """Every ingest run with its counts."""
        return self.store.runs()

    # --- copies and provenance (issue 3) ---

    # --- entities, dates and quotes (issue 5) ---

    # --- events (issue 4) ---


def open_workspace(path: str | Path | None = None, settings: Settings | None = None) -> Workspace:
    """Open (creating and migrating when needed) the workspace at ``path``.

    Without a path: ``$STORYLINE_DB``, else ``./storyline.db``.
    """
    base = settings or Settings.from_env()
    if path is not None:
        from dataclasses import replace

        base = replace(base, db_path=str(path))
    return Workspace(base)
