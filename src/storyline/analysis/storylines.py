"""Storylines: events linked into larger stories, each link with its reason.

Two events are linked when they share their actors (people, organisations, products
that a good part of each event's articles mention, from the understand stage; at least
one a person) *and* their subject (the cosine of the events' summed TF-IDF terms, from
the events stage), or when one event's articles name a day of the other ("the March 14
summit", "the ministers will sign on April 8"), they share a person and their subjects
are close. Look-alike
events stay separate events: a storyline links them, it never merges them. Events more
than ``MAX_GAP_DAYS`` apart are not linked. Storylines are the connected groups of
linked events; a storyline's id is the id of its first event.

Computed on demand from per-event aggregates (one pass over the events' entity
mentions, terms and date mentions), with candidate pairs taken from an inverted index
of actors, never from all pairs of events.
"""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from storyline.model import Storyline, StorylineLink
from storyline.store import analysis as db

ACTOR_LABELS = frozenset({"PERSON", "ORG", "PRODUCT", "EVENT", "NORP"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
MIN_SHARE = 0.25  # an actor of an event: named by at least this share of its articles
MIN_ACTORS = 2
MIN_SUBJECT = 0.4
MIN_SUBJECT_NAMED = 0.25  # when one event names a day of the other
MAX_GAP_DAYS = 400
MAX_POSTING = 200  # an actor in more events than this is too common to find candidates
_EPOCH = date(1970, 1, 1)


@dataclass(slots=True)
class Profile:
    """What one event is about, for linking (mutable while it is read)."""

    id: int
    size: int
    first: date | None
    last: date | None
    label: str
    actors: dict[str, float] = field(default_factory=dict)
    places: dict[str, float] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    terms: dict[str, float] = field(default_factory=dict)
    vector: np.ndarray | None = None
    days: dict[date, int] = field(default_factory=dict)


def storylines(conn: sqlite3.Connection, min_size: int = 1) -> list[Storyline]:
    """Every storyline of two or more events, most recent first."""
    profiles = load_profiles(conn, min_size)
    links = find_links(profiles)
    return group(profiles, links)


def load_profiles(conn: sqlite3.Connection, min_size: int = 1) -> dict[int, Profile]:
    """Profiles of the active events from the workspace's aggregates."""
    profiles = {
        row["id"]: Profile(
            row["id"],
            row["size"],
            _day(row["first_day"]),
            _day(row["last_day"]),
            row["label"] or "",
        )
        for row in db.active_events(conn, min_size)
    }
    ids = list(profiles)
    for event_id, entity_id, name, label, articles in db.event_entities(conn, ids):
        p = profiles[event_id]
        share = articles / max(1, p.size)
        if share >= MIN_SHARE or articles >= 3:
            target = (
                p.actors if label in ACTOR_LABELS else p.places if label in PLACE_LABELS else None
            )
            if target is not None:
                target[entity_id] = share
                p.names[entity_id] = name
                p.labels[entity_id] = label
    _add_terms(conn, profiles)
    for event_id, _article, day in db.event_day_mentions(conn, ids):
        days = profiles[event_id].days
        days[day] = days.get(day, 0) + 1
    return profiles


def _add_terms(conn: sqlite3.Connection, profiles: dict[int, Profile]) -> None:
    sums: dict[int, dict[str, float]] = defaultdict(dict)
    vectors: dict[int, list[np.ndarray]] = defaultdict(list)
    for event_id, terms, blob in db.event_terms(conn, list(profiles)):
        bucket = sums[event_id]
        for term, weight in terms.items():
            bucket[term] = bucket.get(term, 0.0) + float(weight)
        if blob:
            vectors[event_id].append(np.frombuffer(blob, dtype=np.float16).astype(np.float32))
    for event_id, bucket in sums.items():
        norm = math.sqrt(sum(w * w for w in bucket.values())) or 1.0
        profiles[event_id].terms = {t: w / norm for t, w in bucket.items()}
        if vectors[event_id]:
            mean = np.mean(vectors[event_id], axis=0)
            profiles[event_id].vector = mean / (np.linalg.norm(mean) or 1.0)


def _day(value: float | None) -> date | None:
    return None if value is None else _EPOCH + timedelta(days=math.floor(value))


def find_links(profiles: dict[int, Profile]) -> list[StorylineLink]:
    """Links between events that share actors and subject, or where one names the
    other's day, within ``MAX_GAP_DAYS``."""
    postings: dict[str, list[int]] = defaultdict(list)
    for p in profiles.values():
        for actor in p.actors:
            postings[actor].append(p.id)
    pairs: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) <= MAX_POSTING:
            pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    links = []
    for a, b in sorted(pairs):
        link = link_of(*_in_order(profiles[a], profiles[b]))
        if link is not None:
            links.append(link)
    return links


def _in_order(a: Profile, b: Profile) -> tuple[Profile, Profile]:
    key_a = (a.first or date.max, a.id)
    key_b = (b.first or date.max, b.id)
    return (a, b) if key_a <= key_b else (b, a)


def link_of(earlier: Profile, later: Profile) -> StorylineLink | None:
    """The link between two events, or None when they do not belong together."""
    gap = _gap(earlier, later)
    if gap is not None and gap > MAX_GAP_DAYS:
        return None
    shared = sorted(
        set(earlier.actors) & set(later.actors),
        key=lambda e: -min(earlier.actors[e], later.actors[e]),
    )
    people = [e for e in shared if earlier.labels.get(e) == "PERSON"]
    subject = _subject(earlier, later)
    named = _named_days(earlier, later)
    alike = len(shared) >= MIN_ACTORS and subject >= MIN_SUBJECT
    referred = bool(named) and subject >= MIN_SUBJECT_NAMED
    if not people or not (alike or referred):
        return None
    score = round(0.4 * min(1.0, len(shared) / 4) + 0.4 * subject + 0.2 * bool(named), 3)
    return StorylineLink(
        earlier.id,
        later.id,
        score,
        _reason(earlier, later, shared, subject, named, gap),
        tuple(earlier.names[e] for e in shared),
    )


def _gap(a: Profile, b: Profile) -> int | None:
    if a.last is None or b.first is None:
        return None
    return max(0, (b.first - a.last).days)


def _subject(a: Profile, b: Profile) -> float:
    """How alike the two events' subjects are: the cosine of their summed TF-IDF terms.

    (Mean sentence embeddings were tried and left out: news of one country about
    unrelated happenings sits at 0.4-0.7 with them, against 0.2-0.4 with terms.)
    """
    return round(sum(w * b.terms.get(t, 0.0) for t, w in a.terms.items()), 3)


def _named_days(a: Profile, b: Profile) -> list[tuple[int, date]]:
    """(event id naming it, day) for days one event's articles name inside the other's
    range but outside its own."""
    found = []
    for namer, other in ((a, b), (b, a)):
        for day in sorted(namer.days):
            if _inside(day, other) and not _inside(day, namer):
                found.append((namer.id, day))
    return found


def _inside(day: date, p: Profile) -> bool:
    return p.first is not None and p.last is not None and p.first <= day <= p.last


def _reason(
    a: Profile,
    b: Profile,
    shared: list[str],
    subject: float,
    named: list[tuple[int, date]],
    gap: int | None,
) -> str:
    parts = []
    if shared:
        parts.append("same actors (" + ", ".join(a.names[e] for e in shared[:4]) + ")")
    parts.append(f"subject similarity {subject:.2f}")
    places = [a.names[e] for e in set(a.places) & set(b.places)]
    if places:
        parts.append("same places (" + ", ".join(sorted(places)[:3]) + ")")
    for namer, day in named[:2]:
        other = b.id if namer == a.id else a.id
        parts.append(f"event {namer} names {day.isoformat()}, a day of event {other}")
    if gap is not None:
        parts.append(f"{gap} days apart" if gap else "overlapping in time")
    return "; ".join(parts)


def group(profiles: dict[int, Profile], links: list[StorylineLink]) -> list[Storyline]:
    """Storylines: the connected groups of linked events (two or more)."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for link in links:
        x, y = root(link.earlier), root(link.later)
        parent[max(x, y)] = min(x, y)
    members: dict[int, list[int]] = defaultdict(list)
    for event_id in {e for k in links for e in (k.earlier, k.later)}:
        members[root(event_id)].append(event_id)
    out = [
        _storyline(sorted(ids, key=lambda i: (profiles[i].first or date.max, i)), links, profiles)
        for ids in members.values()
    ]
    return sorted(out, key=lambda s: (s.last_day or date.min, s.id), reverse=True)


def _storyline(
    ids: list[int], links: list[StorylineLink], profiles: dict[int, Profile]
) -> Storyline:
    inside = set(ids)
    own = tuple(k for k in links if k.earlier in inside)
    actors: dict[str, int] = defaultdict(int)
    first_seen: dict[str, int] = {}
    for k in own:
        for position, name in enumerate(k.shared):
            actors[name] += 1
            first_seen.setdefault(name, position)
    firsts = [d for d in (profiles[i].first for i in ids) if d is not None]
    lasts = [d for d in (profiles[i].last for i in ids) if d is not None]
    top = sorted(actors, key=lambda n: (-actors[n], first_seen[n], n))[:3]
    return Storyline(
        id=min(ids),
        events=tuple(ids),
        links=own,
        title=" · ".join(top) or profiles[ids[0]].label,
        first_day=min(firsts) if firsts else None,
        last_day=max(lasts) if lasts else None,
    )
