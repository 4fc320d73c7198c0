"""Active events in memory, and an inverted index from terms and names to them.

Candidate events for an article come from this index, never from a scan of all events:
an article looks up its heaviest terms and names and gets the events that share them.
Events whose last article is older than the active window are dropped from memory (and
reloaded from the store if a late article needs them), so cost per article stays flat
as the workspace grows.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field

import numpy as np

from storyline.events.features import Features
from storyline.events.rarity import NameRarity

_MAX_EVENT_TERMS = 200
_INDEX_TERMS = 30
_QUERY_TERMS = 20
_RECENT = 8  # members kept whole, for the nearest-member signal
# A key found in more than this share of the events in memory (and in more than
# _COMMON_MIN of them) finds no candidates by itself; it still adds its weight to the
# events the article's rarer keys found. It cannot tell those events apart, and walking
# its long posting list was most of the cost of a dense stream.
_COMMON_SHARE = 0.02
_COMMON_MIN = 32
# An event past its continuity (see EventIndex) stays a candidate only for an article
# sharing a name that identifies it: at least this share of the stream's articles that
# named it so far are the event's own, and at least this share of the event's articles
# name it (a victim's name is in most reports of a shooting; a name one report mentions
# in passing, or a tagger's slip such as "Agrees", identifies nothing).
IDENTIFYING_SHARE = 0.5
_INSIDE, _BEYOND, _OUTSIDE = 0, 1, 2


def _share(event: EventState, key: str, total: int) -> float | None:
    """The share of the stream's ``total`` articles naming ``key`` that are the event's,
    when the name identifies the event (see IDENTIFYING_SHARE), else None."""
    own = event.name_counts.get(key, 0)
    if not own or own < IDENTIFYING_SHARE * event.size:
        return None
    share = own / max(total, own)
    return share if share >= IDENTIFYING_SHARE else None


def _normalised(weights: dict[str, float], top: int) -> dict[str, float]:
    kept = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    norm = math.sqrt(sum(w * w for _, w in kept)) or 1.0
    return {t: w / norm for t, w in kept}


# Not frozen: an event's running sums change with every article that joins it, and
# rebuilding the whole record per article would cost more than the clustering itself.
@dataclass(slots=True)
class EventState:
    """Running sums that describe one event: centroids, dates, sources."""

    id: int
    size: int = 0
    terms: dict[str, float] = field(default_factory=dict)
    title: dict[str, float] = field(default_factory=dict)
    names: dict[str, float] = field(default_factory=dict)
    vector: np.ndarray | None = None
    first_day: float = math.inf
    last_day: float = -math.inf
    days: Counter[int] = field(default_factory=Counter)
    sources: set[str] = field(default_factory=set)
    name_counts: Counter[str] = field(default_factory=Counter)  # articles per name key
    dated: int = 0
    seen_day: float = -math.inf
    recent: deque[Features] = field(default_factory=lambda: deque(maxlen=_RECENT))
    _cache: dict[str, dict[str, float]] = field(default_factory=dict)

    def add(self, f: Features) -> None:
        """Add an article's features to the running sums."""
        self.size += 1
        self.recent.append(f)
        for mine, theirs in ((self.terms, f.terms), (self.title, f.title), (self.names, f.names)):
            for term, weight in theirs.items():
                mine[term] = mine.get(term, 0.0) + weight
            if len(mine) > 2 * _MAX_EVENT_TERMS:
                kept = sorted(mine.items(), key=lambda kv: (-kv[1], kv[0]))[:_MAX_EVENT_TERMS]
                mine.clear()
                mine.update(kept)
        self.name_counts.update(f.names.keys())
        if len(self.name_counts) > len(self.names):  # names were trimmed: so are counts
            for key in [k for k in self.name_counts if k not in self.names]:
                del self.name_counts[key]
        if f.vector.size:
            self.vector = f.vector.copy() if self.vector is None else self.vector + f.vector
        # An undated article (``day`` is its ingest time) says nothing about when the
        # event happened: it keeps the event alive but leaves its date range alone.
        self.seen_day = max(self.seen_day, f.day)
        if f.dated:
            self.dated += 1
            self.first_day = min(self.first_day, f.day)
            self.last_day = max(self.last_day, f.day)
            self.days[int(f.day)] += 1
        if f.source:
            self.sources.add(f.source)
        self._cache.clear()

    def absorb(self, other: EventState) -> None:
        """Add another event's sums to this one (a merge)."""
        self.size += other.size
        for kind in ("terms", "title", "names"):
            mine = getattr(self, kind)
            for term, weight in getattr(other, kind).items():
                mine[term] = mine.get(term, 0.0) + weight
        if other.vector is not None:
            self.vector = other.vector.copy() if self.vector is None else self.vector + other.vector
        self.name_counts.update(other.name_counts)
        self.dated += other.dated
        self.first_day = min(self.first_day, other.first_day)
        self.last_day = max(self.last_day, other.last_day)
        self.seen_day = max(self.seen_day, other.seen_day)
        self.days.update(other.days)
        self.recent.extend(other.recent)
        self.sources |= other.sources
        self._cache.clear()

    def as_features(self) -> Features:
        """The event's centroid in the shape of an article's features (to compare events)."""
        unit = self.unit_vector()
        busiest = self.busiest_day()
        return Features(
            article_id=f"event:{self.id}",
            day=busiest if busiest is not None else self.seen_day,
            dated=self.dated > 0,
            terms=self.centroid("terms"),
            title=self.centroid("title"),
            names=self.centroid("names"),
            vector=unit if unit is not None else np.zeros(0, dtype=np.float32),
            source=None,
            headline="",
        )

    def centroid(self, kind: str) -> dict[str, float]:
        """The normalised centroid of ``terms``, ``title`` or ``names``."""
        if kind not in self._cache:
            self._cache[kind] = _normalised(getattr(self, kind), _MAX_EVENT_TERMS)
        return self._cache[kind]

    def unit_vector(self) -> np.ndarray | None:
        """The normalised mean embedding."""
        if self.vector is None:
            return None
        norm = float(np.linalg.norm(self.vector))
        return self.vector / norm if norm else self.vector

    def busiest_day(self) -> float | None:
        """The day with most articles (earliest on ties)."""
        if not self.days:
            return None
        return float(min(self.days, key=lambda d: (-self.days[d], d)))

    def keys(self) -> set[str]:
        """The index keys of this event: its heaviest terms and names."""
        terms = sorted(self.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:_INDEX_TERMS]
        names = sorted(self.names.items(), key=lambda kv: (-kv[1], kv[0]))[:_INDEX_TERMS]
        return {"t:" + t for t, _ in terms} | {"n:" + n for n, _ in names}


class EventIndex:
    """The active events, the inverted index over their keys, and how rare names are.

    ``window_days``: how far from an event's first..last days an article may still join
    it. ``continuity_days`` (None: the whole window): how far it may join on any
    evidence; beyond that, within the window, only an article sharing a name that
    identifies the event (``identifies``) finds it. A shooting's arrest weeks later names
    the victim, whom no other story names; the next step of a political saga names the
    same leaders as every other story about them, and is news of its own.
    """

    def __init__(
        self,
        window_days: float,
        rarity: NameRarity | None = None,
        continuity_days: float | None = None,
    ) -> None:
        self.window = window_days
        self.continuity = continuity_days
        self.rarity = rarity if rarity is not None else NameRarity()
        self.events: dict[int, EventState] = {}
        self._postings: dict[str, set[int]] = defaultdict(set)
        self._keys: dict[int, set[str]] = {}
        self._expired_at = -math.inf
        # Events the last ``candidates`` call passed over only because of the continuity
        # rule (their keys matched, their day did not): ``why`` names them.
        self.passed_over: list[int] = []

    def __len__(self) -> int:
        return len(self.events)

    def put(self, event: EventState) -> None:
        """Add or re-index an event."""
        self.events[event.id] = event
        new = event.keys()
        old = self._keys.get(event.id, set())
        for key in old - new:
            self._discard(key, event.id)
        for key in new - old:
            self._postings[key].add(event.id)
        self._keys[event.id] = new

    def drop(self, event_id: int) -> None:
        """Remove an event from memory (it stays in the store)."""
        for key in self._keys.pop(event_id, set()):
            self._discard(key, event_id)
        self.events.pop(event_id, None)

    def _discard(self, key: str, event_id: int) -> None:
        """Take an event off a key's postings; an empty posting goes (else memory grows)."""
        postings = self._postings.get(key)
        if postings is not None:
            postings.discard(event_id)
            if not postings:
                del self._postings[key]

    def candidates(self, f: Features, limit: int) -> list[EventState]:
        """Events sharing the article's heaviest terms or names, best overlap first."""
        hits: dict[int, float] = defaultdict(float)
        query = sorted(f.terms.items(), key=lambda kv: -kv[1])[:_QUERY_TERMS]
        common = max(_COMMON_MIN, _COMMON_SHARE * len(self.events))
        long: list[tuple[set[int], float]] = []
        for prefix, items in (("t:", query), ("n:", list(f.names.items())[:_QUERY_TERMS])):
            for term, weight in items:
                postings = self._postings.get(prefix + term)
                if postings is None:
                    continue
                if len(postings) > common:
                    long.append((postings, weight))
                    continue
                for event_id in postings:
                    hits[event_id] += weight
        identified: set[int] | None = None  # looked up once, when first needed

        def reach(event_id: int) -> int:
            nonlocal identified
            where = self._reach(self.events[event_id], f)
            if where == _BEYOND:
                if identified is None:
                    identified = self._identified(f, common)
                where = _INSIDE if event_id in identified else _BEYOND
            return where

        found: dict[int, float] = {}
        passed: list[tuple[float, int]] = []
        for event_id, weight in hits.items():
            where = reach(event_id)
            if where == _INSIDE:
                found[event_id] = weight
            elif where == _BEYOND:
                passed.append((weight, event_id))
        self.passed_over = [
            e for _, e in heapq.nsmallest(3, passed, key=lambda we: (-we[0], we[1]))
        ]
        hits = found
        if hits:
            for postings, weight in long:
                for event_id in hits:
                    if event_id in postings:
                        hits[event_id] += weight
        elif not passed:  # only common keys: let them find the candidates after all
            # (not when the article's own keys found events the continuity passed over:
            # it has its story, only an old one; walking the long postings of a dense
            # stream for every such article cost a quarter of the clustering)
            for postings, weight in long:
                for event_id in postings:
                    if event_id in hits or reach(event_id) == _INSIDE:
                        hits[event_id] = hits.get(event_id, 0.0) + weight
        inside = [(w, e) for e, w in hits.items()]
        best = heapq.nsmallest(limit, inside, key=lambda we: (-we[0], we[1]))
        return [self.events[event_id] for _, event_id in best]

    def in_window(self, event: EventState, f: Features) -> bool:
        """Whether the event may take the article: within the active window, and within
        the continuity or identified by one of the article's names."""
        reach = self._reach(event, f)  # time unknown on one side: the other signals decide
        return reach == _INSIDE or (reach == _BEYOND and self.identifies(event, f) is not None)

    def _reach(self, event: EventState, f: Features) -> int:
        """_INSIDE the continuity (or time unknown), _BEYOND it but in the window, or
        _OUTSIDE the window."""
        if not f.dated or not event.dated:
            return _INSIDE
        if not event.first_day - self.window <= f.day <= event.last_day + self.window:
            return _OUTSIDE
        near = self.continuity
        if near is None or event.first_day - near <= f.day <= event.last_day + near:
            return _INSIDE
        return _BEYOND

    def _identified(self, f: Features, common: float) -> set[int]:
        """The events in memory one of the article's names identifies (``identifies``),
        found through the names' postings; a name carried by more than ``common`` events
        in memory is not looked at (it is everybody's, and its postings are long)."""
        counts = self.rarity.counts
        found: set[int] = set()
        for key in f.names:
            postings = self._postings.get("n:" + key)
            if postings is None or len(postings) > common:
                continue
            total = counts.get(key, 0)
            found.update(e for e in postings if _share(self.events[e], key, total) is not None)
        return found

    def identifies(self, event: EventState, f: Features) -> str | None:
        """A name of the article that identifies the event (at least IDENTIFYING_SHARE of
        the articles that named it so far are the event's, and of the event's articles
        name it), the most identifying first."""
        counts = self.rarity.counts
        shares = [(share, key) for key in f.names
                  if (share := _share(event, key, counts.get(key, 0))) is not None]  # fmt: skip
        return min(shares, key=lambda sk: (-sk[0], sk[1]))[1] if shares else None

    def expire(self, watermark: float) -> list[int]:
        """Drop events whose last article is more than a window before ``watermark``.

        Scans the events at most once per day of stream time, not once per article.
        """
        if watermark < self._expired_at + 1.0:
            return []
        self._expired_at = watermark
        old = [e.id for e in self.events.values() if e.seen_day + self.window < watermark]
        for event_id in old:
            self.drop(event_id)
        return old
