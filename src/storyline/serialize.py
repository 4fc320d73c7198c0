"""JSON-ready views of records, shared by the CLI and (later) the HTTP API."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from storyline.model import Article


def article_dict(article: Article, with_text: bool = True) -> dict[str, Any]:
    """An article as plain JSON values (dates as ISO 8601 strings)."""
    data: dict[str, Any] = {
        "id": article.id,
        "external_id": article.external_id,
        "title": article.title,
        "source": article.source,
        "published": article.published.isoformat() if article.published else None,
        "date_source": article.date_source,
        "language": article.language,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "author": article.author,
        "format": article.format,
        "location": article.location,
        "attributions": [asdict(a) for a in article.attributions],
        "removed": list(article.removed),
        "metadata": dict(article.metadata),
        "text_hash": article.text_hash,
    }
    if with_text:
        data["text"] = article.text
    return data
