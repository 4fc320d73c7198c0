"""Read what an analysis needs from the workspace: articles, entities, dates, copy links,
quotes, and sentence vectors (kept in the workspace once computed)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from storyline import copies
from storyline.analysis.claims import ArticleInputs
from storyline.analysis.similarity import VectorCache, text_key
from storyline.errors import NotFound
from storyline.model import Article, Quote
from storyline.store import analysis as db
from storyline.store import copies as copies_db
from storyline.store import events as events_db
from storyline.store import understand as understand_db


def event_article_ids(conn: sqlite3.Connection, event_id: int) -> list[str]:
    """An event's articles; an old (merged or split) id reads its successors' articles."""
    ids: list[str] = []
    for current in events_db.successors(conn, event_id):
        ids += events_db.event_article_ids(conn, current)
    if not ids:
        raise NotFound(f"event {event_id} has no articles: list events with `storyline events`")
    return list(dict.fromkeys(ids))


def load(conn: sqlite3.Connection, article_ids: Sequence[str]) -> dict[str, ArticleInputs]:
    """Articles with their entity mentions, date mentions and copy links, in input order."""
    found = copies_db.articles(conn, article_ids)
    missing = [a for a in article_ids if a not in found]
    if missing:
        raise NotFound(f"no article {missing[0]!r}: list them with `storyline articles`")
    mentions = understand_db.article_entities(conn, list(found))
    out: dict[str, ArticleInputs] = {}
    for article_id in dict.fromkeys(article_ids):
        dates = understand_db.article_dates(conn, article_id)
        out[article_id] = ArticleInputs(
            article=found[article_id],
            mentions=tuple(mentions.get(article_id, ())),
            dates=dates.mentions if dates else (),
            links=tuple(copies.copy_links(conn, article_id)),
        )
    return out


def reliable_dates(conn: sqlite3.Connection, article_ids: Sequence[str]) -> dict[str, bool]:
    """Whether each article's publication date can be trusted (True when never judged)."""
    out = {}
    for article_id in article_ids:
        dates = understand_db.article_dates(conn, article_id)
        out[article_id] = True if dates is None else dates.published_reliable
    return out


def quotes(conn: sqlite3.Connection, article_ids: Sequence[str]) -> list[Quote]:
    """The quotes of these articles, article by article in text order."""
    return [q for a in article_ids for q in understand_db.article_quotes(conn, a)]


def event_dates(conn: sqlite3.Connection, articles: Sequence[Article]) -> dict[str, date | None]:
    """Each article's event date (when what it reports happened), None when unknown."""
    return {a.id: understand_db.article_event_date(conn, a.id)[0] for a in articles}


def vector_cache(conn: sqlite3.Connection, model: str) -> VectorCache:
    """A cache of sentence vectors in the workspace: embeds only what it has not seen."""

    def lookup(texts: list[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        known = db.cached_vectors(conn, model, keys)
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
        if todo:
            # rounded as stored, so a first run and a cached run give the same groups
            fresh = embed(list(todo.values())).astype(np.float16).astype(np.float32)
            made = list(zip(todo, fresh, strict=True))
            known.update(made)
            # a read-only or busy workspace: the vectors are recomputed next time
            with contextlib.suppress(sqlite3.OperationalError):
                db.save_vectors(conn, model, made)
        return np.stack([known[k] for k in keys]).astype(np.float32)

    return lookup
