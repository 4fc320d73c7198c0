"""The events stage: assign every newly stored article to an event as it arrives."""

from __future__ import annotations

import math
import os
import sqlite3
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from storyline.events.cluster import Decision, OnlineClusterer
from storyline.events.embed import Embedder, make_embedder
from storyline.events.features import (
    Features,
    build_features,
    entity_weights,
    reported_time,
)
from storyline.events.index import EventIndex, EventState
from storyline.events.scoring import Model, default_model
from storyline.model import Article
from storyline.stages import Stored
from storyline.store import events as db

_LABEL_TERMS = 4


def label_of(event: EventState) -> str:
    """A short label from the event's heaviest title terms."""
    terms = sorted(event.title.items(), key=lambda kv: (-kv[1], kv[0]))[:_LABEL_TERMS]
    return " · ".join(t for t, _ in terms)


def window_days() -> float:
    """The active window (``STORYLINE_EVENT_WINDOW_DAYS``, default from the model)."""
    raw = os.environ.get("STORYLINE_EVENT_WINDOW_DAYS")
    return float(raw) if raw else float(default_model().info.get("window_days", 90.0))


def continuity_days(model: Model | None = None) -> float | None:
    """How far past an event's days an article may join it on any evidence
    (``STORYLINE_EVENT_CONTINUITY_DAYS``, ``off`` for the whole window; default from the
    model); beyond it, only by a name that identifies the event (``EventIndex``)."""
    raw = os.environ.get("STORYLINE_EVENT_CONTINUITY_DAYS")
    if raw:
        return None if raw.strip().lower() in ("off", "none") else float(raw)
    value = (model or default_model()).info.get("continuity_days")
    return float(value) if value is not None else None


def stage_features(
    conn: sqlite3.Connection, articles: Sequence[Article], embedder: Embedder, now: datetime
) -> list[Features]:
    """Features of a batch, using what the understand stage found when it ran before.

    With it: canonical entities stand for names, and the time an article is about is
    ``reported_time``'s (its own event date, a trusted stamp, or the freshest date its
    text names: a page stamped 2024 about a 2021 visit is not put in 2024). Without it:
    names by heuristic, dates as stamped.
    """
    ids = [a.id for a in articles]
    understood = db.understanding(conn, ids)
    if not understood:
        return build_features(articles, embedder, now)
    from storyline.store.understand import article_entities

    mentions = article_entities(conn, ids)
    names = {a: entity_weights(m, "en") for a, m in mentions.items() if m}
    when = {a.id: reported_time(a, understood[a.id])[0] for a in articles if a.id in understood}
    return build_features(articles, embedder, now, names, when)


def time_basis(conn: sqlite3.Connection, article: Article) -> tuple[str | None, str]:
    """The day (ISO) the events stage placed an article on, and why (for ``why``)."""
    understood = db.understanding(conn, [article.id]).get(article.id)
    if understood is None:
        stamp = article.published
        if stamp is None:
            return None, "none known (no publication date)"
        return stamp.date().isoformat(), "its publication date, as stamped"
    when, basis = reported_time(article, understood)
    return (when.date().isoformat() if when else None), basis


class EventsStage:
    """Online, time-aware event clustering over the stored stream."""

    name = "events"

    def __init__(
        self,
        conn: sqlite3.Connection,
        embedder: Embedder | None = None,
        model: Model | None = None,
        window: float | None = None,
    ) -> None:
        self.model = model or default_model()
        self.embedder = embedder or make_embedder()
        self.index = EventIndex(
            window if window is not None else window_days(),
            db.name_rarity(conn),
            continuity_days(self.model),
        )
        self._conn = conn
        # Every active event whose last day is on or after this day is in memory.
        self._complete_from = -math.inf
        self._watermark = -math.inf
        self.clusterer = OnlineClusterer(
            self.model, self.index, lambda: db.new_event(self._conn), self._name_of
        )
        latest = db.max_day(conn)
        if latest is not None:
            self._watermark = latest
            self._complete_from = latest - self.index.window
            self._load(conn, self._complete_from)

    def _load(self, conn: sqlite3.Connection, since: float, until: float | None = None) -> None:
        """Rebuild events active from ``since`` (to ``until``) from their stored features."""
        for event_id, members in db.active_event_members(conn, since, until):
            if event_id in self.index.events:
                continue
            event = EventState(event_id)
            for f in members:
                event.add(f)
            self.index.put(event)

    def process(self, conn: sqlite3.Connection, batch: Sequence[Stored]) -> None:
        """Cluster a batch (in date order) and store every decision."""
        self._conn = conn
        fresh = [s.article for s in batch if s.outcome == "stored"]
        if not fresh:
            return
        feats = stage_features(conn, fresh, self.embedder, datetime.now(UTC))
        # Publication order; articles of the same moment in the order they came (a stable
        # sort), which is also the order the model's threshold and continuity were
        # chosen in (``train.cluster``).
        for f in sorted(feats, key=lambda f: f.day):
            self.assign(conn, f)
        db.add_name_counts(conn, Counter(k for f in feats for k in f.names), len(feats))

    def _name_of(self, key: str) -> str:
        """A name key as the reader knows it: an entity's name, else the key itself."""
        if key.startswith("e:"):
            row = self._conn.execute(
                "SELECT name FROM entities WHERE id = ?", (key[2:],)
            ).fetchone()
            if row is not None:
                return str(row[0])
        return key

    def assign(self, conn: sqlite3.Connection, f: Features) -> Decision:
        """Assign one article, loading older events first when it arrives late."""
        horizon = f.day - self.index.window
        if f.dated and horizon < self._complete_from:  # a late arrival or a backfill
            self._load(conn, horizon, f.day + self.index.window)
        f = self.index.rarity.weigh(f)  # stored so, as the clusterer saw it
        decision = self.clusterer.assign(f)
        event = self.index.events[decision.event_id]
        first, last = (event.first_day, event.last_day) if event.dated else (None, None)
        stats = (event.size, first, last, event.seen_day, label_of(event))
        db.save_assignment(conn, f, decision, self.model.weights, stats)
        if f.dated:  # an ingest time must not age out the events of a dated stream
            self._watermark = max(self._watermark, f.day)
        if self.index.expire(self._watermark):
            self._complete_from = max(self._complete_from, self._watermark - self.index.window)
        return decision
