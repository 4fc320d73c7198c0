"""Plain JSON values from storyline's records, for the API and the templates alike."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from storyline.model import Article
from storyline.serialize import article_dict


def plain(value: Any) -> Any:
    """Dataclasses, dates, tuples and mappings as JSON values; articles without text."""
    if isinstance(value, Article):
        return summary(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def summary(article: Article) -> dict[str, Any]:
    """An article without its text, with the links to its page and its API record."""
    data = article_dict(article, with_text=False)
    data["api"] = f"/api/articles/{article.id}"
    data["page"] = f"/articles/{article.id}"
    return data


def day_of(days: float | None) -> str | None:
    """An events-table day number (days since 1970) as an ISO date."""
    if days is None:
        return None
    return datetime.fromtimestamp(days * 86400, UTC).date().isoformat()


def published_day(article: Article) -> str | None:
    """The UTC day an article was published, as an ISO date."""
    if article.published is None:
        return None
    return article.published.astimezone(UTC).date().isoformat()
