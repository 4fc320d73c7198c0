"""Convert records to and from database rows."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from datetime import datetime
from typing import Any

from storyline.model import Article, Attribution

ARTICLE_COLUMNS = (
    "id", "title", "text", "text_hash", "language", "url", "canonical_url", "published",
    "date_source", "source", "author", "external_id", "format", "location", "attributions",
    "removed", "metadata",
)  # fmt: skip


def article_row(article: Article) -> tuple[Any, ...]:
    """The values of ``ARTICLE_COLUMNS`` for an article."""
    return (
        article.id,
        article.title,
        article.text,
        article.text_hash,
        article.language,
        article.url,
        article.canonical_url,
        article.published.isoformat() if article.published else None,
        article.date_source,
        article.source,
        article.author,
        article.external_id,
        article.format,
        article.location,
        json.dumps([asdict(a) for a in article.attributions], ensure_ascii=False),
        json.dumps(list(article.removed), ensure_ascii=False),
        json.dumps(dict(article.metadata), ensure_ascii=False, default=str),
    )


def row_article(row: sqlite3.Row) -> Article:
    """An ``Article`` from a row holding ``ARTICLE_COLUMNS``."""
    published = row["published"]
    return Article(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        text_hash=row["text_hash"],
        language=row["language"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        published=datetime.fromisoformat(published) if published else None,
        date_source=row["date_source"],
        source=row["source"],
        author=row["author"],
        external_id=row["external_id"],
        format=row["format"],
        location=row["location"],
        attributions=tuple(Attribution(**a) for a in json.loads(row["attributions"])),
        removed=tuple(json.loads(row["removed"])),
        metadata=json.loads(row["metadata"]),
    )
