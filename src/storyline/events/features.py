"""What the clusterer knows about an article: terms, names, an embedding and a day."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from storyline.events.embed import Embedder
from storyline.events.text import idf, names, tokens, weighted
from storyline.model import Article, EntityMention

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
    when: Mapping[str, datetime | None] | None = None,
) -> list[Features]:
    """Features for a batch; embeddings are computed in one call.

    ``entity_names`` (article id -> canonical entity -> weight) replaces the capitalised
    name heuristic when the understanding stage provides entities; ``when`` (article id
    -> the time the article is about, None when unknown) replaces the publication date.
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
        stamp = when[article.id] if when is not None and article.id in when else article.published
        # A date in the future is a wrong stamp, not news from tomorrow: treat it as
        # unknown, so it cannot push the stream's clock forward and age out every event.
        dated = stamp is not None and stamp <= now + _FUTURE_SLACK
        moment = stamp if dated and stamp is not None else now
        result.append(
            Features(
                article_id=article.id,
                day=to_day(moment),
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


def entity_weights(mentions: Sequence[EntityMention], language: str = "en") -> dict[str, float]:
    """Canonical entities of an article, weighted by mentions and by how rare the name is.

    A name weighs as much as its rarest word (background IDF): "Recep Tayyip Erdogan"
    counts for more than "Turkey", which counts for more than "police".
    """
    counts: Counter[str] = Counter(m.entity_id for m in mentions)
    rarity = {m.entity_id: max((idf(w, language) for w in tokens(m.name)), default=1.0)
              for m in mentions}  # fmt: skip
    scores = {e: (1.0 + math.log(n)) * rarity[e] for e, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in scores.values())) or 1.0
    return {"e:" + e: w / norm for e, w in scores.items()}


@dataclass(frozen=True, slots=True)
class Understood:
    """What the understand stage found about an article's time.

    ``freshest``: the latest day or month with its year that the text names (ISO), if any.
    """

    event_date: str | None
    published_reliable: bool
    freshest: str | None


def reported_time(article: Article, understood: Understood) -> tuple[datetime | None, str]:
    """The time an article is about, as the events stage uses it, and on what basis.

    Its event date; else a trusted publication date; else, when the stamp is missing or
    doubtful, the freshest date its text names (a page stamped 2024 whose latest date is
    March 2020 is news of about then, not of 2024 nor of no time at all); else unknown.
    """
    if understood.event_date:
        return _noon(date.fromisoformat(understood.event_date)), "its event date"
    if article.published is not None and understood.published_reliable:
        return article.published, "its publication date"
    stamp = "doubtful" if article.published is not None else "missing"
    if understood.freshest:
        return (
            _noon(date.fromisoformat(understood.freshest[:10])),
            f"the freshest date its text names (no event date; publication date {stamp})",
        )
    return None, f"none known (no event date, publication date {stamp}, no dated mention)"


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
