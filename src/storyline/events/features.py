"""What the clusterer knows about an article: terms, names, an embedding and a day."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from storyline.events.embed import Embedder
from storyline.events.text import names, tokens, weighted
from storyline.model import Article

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LEAD_CHARS = 400
_BODY_CHARS = 6000
_FUTURE_SLACK = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Features:
    """An article as the event clusterer sees it.

    ``day`` is days since 1970 (fractional); ``dated`` is False when the article had no
    publication date and ``day`` is the ingest time instead.
    """

    article_id: str
    day: float
    dated: bool
    terms: Mapping[str, float]
    title: Mapping[str, float]
    names: Mapping[str, float]
    vector: np.ndarray
    source: str | None
    headline: str


def to_day(when: datetime) -> float:
    """Days since 1970-01-01 UTC."""
    return (when - _EPOCH).total_seconds() / 86400.0


def lead(article: Article) -> str:
    """The text an embedding is made from: title and the start of the body."""
    return f"{article.title}\n{article.text[:_LEAD_CHARS]}"


def build_features(
    articles: Sequence[Article],
    embedder: Embedder,
    now: datetime,
    entity_names: Mapping[str, Mapping[str, float]] | None = None,
) -> list[Features]:
    """Features for a batch; embeddings are computed in one call.

    ``entity_names`` (article id -> canonical entity -> weight) replaces the capitalised
    name heuristic when the understanding stage provides entities.
    """
    vectors = embedder.embed([lead(a) for a in articles])
    result = []
    for article, vector in zip(articles, vectors, strict=True):
        language = article.language or "en"
        body = article.text[:_BODY_CHARS]
        counts = Counter(tokens(body))
        title_counts = Counter(tokens(article.title))
        for term, n in title_counts.items():
            counts[term] += 2 * n  # a word in the title counts as much as three in the body
        if entity_names is not None and article.id in entity_names:
            name_weights = dict(entity_names[article.id])
        else:
            name_weights = weighted(names(article.title + "\n" + body, language), language)
        # A date in the future is a wrong stamp, not news from tomorrow: treat it as
        # unknown, so it cannot push the stream's clock forward and age out every event.
        dated = article.published is not None and article.published <= now + _FUTURE_SLACK
        when = article.published if dated and article.published else now
        result.append(
            Features(
                article_id=article.id,
                day=to_day(when),
                dated=dated,
                terms=weighted(counts, language),
                title=weighted(title_counts, language, top=20),
                names=name_weights,
                vector=np.asarray(vector, dtype=np.float32),
                source=article.source,
                headline=article.title,
            )
        )
    return result
