"""Resolve an article's entity clusters to canonical entities across the workspace.

Candidates come from an index of keys (name, surname, sound of the name and of each
word, acronym), never from a scan. Each candidate is scored on string similarity
(rapidfuzz), sound similarity, short-form containment and shared context (entities
both articles mention); the decision, its rule, score and evidence are stored as an
``entity_links`` row, so ``storyline entity NAME`` shows why and ``--undo`` reverses it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from storyline.extract.normalize import digest
from storyline.store import understand as store
from storyline.understand.entities import FAMILY, Cluster
from storyline.understand.gazetteer import Gazetteer
from storyline.understand.names import acronym, is_acronym, name_key, sound_key

# Decision thresholds (similarities are 0..1).
SPELLING = 0.88  # one name, spelled a little differently
SOUND_NAME = 0.5  # the least string similarity a sound-alike still needs
SOUND_CLOSE = 0.8  # sound keys this similar count as sounding alike
MAX_CANDIDATES = 15
STEM = 5  # words share a stem when their first five letters agree


@dataclass(frozen=True, slots=True)
class Decision:
    """Which entity a cluster joins, by which rule, how sure, and why."""

    entity_id: str
    rule: str
    score: float
    evidence: dict[str, Any]


def index_keys(name: str, family: str) -> list[tuple[str, str]]:
    """The lookup keys an entity is indexed under for one of its name forms."""
    key = name_key(name)
    words = key.split()
    keys = [("name", key), ("sound", sound_key(name))]
    if family == "person" and len(words) > 1:
        keys.append(("last", words[-1]))
    if family == "product" and len(words) > 1:
        keys.append(("first", words[0]))
    if len(words) > 1:
        keys += [("word-sound", sound_key(w)) for w in words if len(w) > 2]
        keys += [("stem", w[:STEM]) for w in words if len(w) >= STEM]
        keys.append(("acronym", acronym(name)))
    if is_acronym(name):
        keys.append(("acronym", key.replace(" ", "")))
    return [(kind, value) for kind, value in keys if value]


def _lookup_keys(cluster: Cluster) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    for mention in cluster.mentions:
        words = mention.key.split()
        keys += [("name", mention.key), ("sound", sound_key(mention.text))]
        keys += [("word-sound", sound_key(w)) for w in words if len(w) > 2]
        keys += [("stem", w[:STEM]) for w in words if len(w) >= STEM]
        if len(words) == 1:
            keys += [("last", words[0]), ("first", words[0]), ("acronym", words[0])]
        elif cluster.family == "org":
            keys.append(("acronym", acronym(mention.text)))
    return list(dict.fromkeys(k for k in keys if k[1]))


def seed_gazetteer(conn: sqlite3.Connection, gaz: Gazetteer) -> None:
    """Create every gazetteer entity and its keys (idempotent), so text can link to them."""
    if conn.execute("SELECT 1 FROM entities WHERE origin = 'gazetteer' LIMIT 1").fetchone():
        return
    for entry in gaz.entries:
        store.ensure_entity(conn, entry.id, entry.name, entry.label, "gazetteer")
        for alias in (entry.name, *entry.aliases):
            store.add_keys(conn, entry.id, index_keys(alias, FAMILY[entry.label]))


class Resolver:
    """Links clusters to entities inside the stage's transaction."""

    # not a dataclass: holds a connection and per-article state

    def __init__(self, conn: sqlite3.Connection, gaz: Gazetteer) -> None:
        self.conn = conn
        self.gaz = gaz
        # What one article's resolution reads, read once for the article: nothing it
        # reads changes while it runs (links and mentions are written after it returns,
        # and an entity it creates is never one of its candidates).
        self._info: dict[str, dict[str, Any]] = {}
        self._context: dict[str, Counter[str]] = {}
        self._blocks: set[tuple[str, str]] = set()

    def resolve(self, article_id: str, clusters: list[Cluster]) -> list[Decision]:
        """One decision per cluster, in order; sure links first, then fuzzy ones."""
        self._info, self._context = {}, {}
        self._blocks = store.blocked(self.conn, sorted({k for c in clusters for k in c.keys}))
        decisions: dict[int, Decision] = {}
        for i, c in enumerate(clusters):
            if c.gaz_id:
                entry = self.gaz.by_id[c.gaz_id]
                decisions[i] = Decision(entry.id, "gazetteer", 1.0, {"gazetteer": entry.name})
        todo = [i for i in range(len(clusters)) if i not in decisions]
        each = store.candidates_each(self.conn, [_lookup_keys(clusters[i]) for i in todo])
        looked = {i: _strong(f, clusters[i]) for i, f in zip(todo, each, strict=True)}
        for i, found in looked.items():
            exact = self._exact(clusters[i], found)
            if exact:
                decisions[i] = exact
        context = frozenset(d.entity_id for d in decisions.values())
        for i in sorted(set(looked) - set(decisions)):
            surname = self._other_label(clusters[i], looked[i], context)
            if surname:
                decisions[i] = surname
        for i in sorted(set(looked) - set(decisions)):
            decisions[i] = self._fuzzy(clusters[i], looked[i], context) or self._new(clusters[i])
        return [decisions[i] for i in range(len(clusters))]

    def _blocked(self, cluster: Cluster, entity_id: str) -> bool:
        return bool(self._blocks) and any((k, entity_id) in self._blocks for k in cluster.keys)

    def _entity_info(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """``store.entity_info``, each entity read once per article."""
        missing = [e for e in ids if e not in self._info]
        if missing:
            self._info.update(store.entity_info(self.conn, missing))
        return {e: self._info[e] for e in ids if e in self._info}

    def _exact(self, cluster: Cluster, found: dict[str, set[tuple[str, str]]]) -> Decision | None:
        """A cluster whose full name is already a name form of one entity of its family."""
        names = {("name", k) for k in cluster.keys}
        info = self._entity_info(_named(found, names))
        name = name_key(cluster.name)
        hits = [
            e
            for e, keys in found.items()
            if keys & names
            and FAMILY.get(info[e]["label"]) == cluster.family
            and not self._blocked(cluster, e)
        ]
        if not hits:
            return None
        best = sorted(
            hits,
            key=lambda e: (("name", name) not in found[e], info[e]["origin"] != "gazetteer", e),
        )[0]
        forms = sorted(k for kind, k in found[best] if kind == "name" and k in cluster.keys)
        return Decision(
            best,
            "same-name",
            1.0,
            {"name": cluster.name, "known_forms": forms, "candidates": len(hits)},
        )

    def _other_label(
        self, cluster: Cluster, found: dict[str, set[tuple[str, str]]], context: frozenset[str]
    ) -> Decision | None:
        """A name already known under another label, in an article about the same things.

        NER labels one name differently from one text to the next ("Kessmark" a place
        here, an organisation there; a lone surname an organisation). The same name and
        shared context outweigh the label, except against a gazetteer entity of another
        kind ("Jordan" the country is not "Jordan" the player), unless it is a person's
        surname.
        """
        keys = {("name", k) for k in cluster.keys}
        info = self._entity_info(_named(found, keys))
        one_word = all(len(k.split()) == 1 for k in cluster.keys)
        hits = [
            e
            for e, matched in found.items()
            if matched & keys
            and e in info
            and (info[e]["origin"] != "gazetteer" or (one_word and info[e]["label"] == "PERSON"))
            and not self._blocked(cluster, e)
        ]
        scored = [(e, self._shared(e, context)) for e in hits]
        scored = [(e, shared) for e, shared in scored if shared]
        if len(scored) != 1:
            return None
        entity_id, shared = scored[0]
        evidence = {
            "name": cluster.name,
            "label_given": cluster.label,
            "shared_context": shared,
            "entity": info[entity_id]["name"],
            "entity_label": info[entity_id]["label"],
        }
        return Decision(entity_id, "same-name-other-label", 0.9, evidence)

    def _fuzzy(
        self, cluster: Cluster, found: dict[str, set[tuple[str, str]]], context: frozenset[str]
    ) -> Decision | None:
        """The best-scoring candidate that passes a merge rule, if any."""
        ranked = sorted(found, key=lambda e: (-len(found[e]), e))[:MAX_CANDIDATES]
        info = self._entity_info(ranked)
        scored = []
        for entity_id in ranked:
            if entity_id not in info or self._blocked(cluster, entity_id):
                continue
            decision = self._score(cluster, entity_id, info[entity_id], context)
            if decision:
                scored.append(decision)
        if not scored:
            return None
        short = [d for d in scored if d.rule == "short-form"]
        if len(short) > 1 and not any(d.evidence["shared_context"] for d in short):
            scored = [d for d in scored if d.rule != "short-form"]  # ambiguous surname
        return max(scored, key=lambda d: (d.score, d.entity_id)) if scored else None

    def _score(
        self, cluster: Cluster, entity_id: str, info: dict[str, Any], context: frozenset[str]
    ) -> Decision | None:
        family = FAMILY.get(info["label"], "other")
        forms = info["surfaces"] or [info["name"]]
        if info["origin"] == "gazetteer":
            entry = self.gaz.by_id.get(entity_id)
            forms = [*forms, *((entry.name, *entry.aliases) if entry else ())]
        name_sim = max(_similar(a, b) for a in cluster.keys for b in map(name_key, forms))
        sound_sim = max(
            fuzz.ratio(sound_key(a), sound_key(b)) / 100 for a in cluster.keys for b in forms
        )
        maybe = name_sim >= SOUND_NAME and (
            sound_sim >= SOUND_CLOSE or name_sim >= SPELLING or family == cluster.family
        )
        shared = self._shared(entity_id, context) if maybe else []
        name = cluster.name
        evidence = {
            "name": name,
            "entity": info["name"],
            "name_similarity": round(name_sim, 3),
            "sound_similarity": round(sound_sim, 3),
            "sound_keys": [sound_key(name), sound_key(info["name"])],
            "shared_context": shared,
        }
        same_family = family == cluster.family
        if same_family and _contains(cluster, forms, family):
            return Decision(entity_id, "short-form", 0.9 + 0.01 * len(shared), evidence)
        if family == "person" and _other_first_names(cluster.keys, map(name_key, forms)):
            return None  # Sarah Bonner is not John Boehner, however alike they sound
        if same_family and name_sim >= SPELLING:
            return Decision(entity_id, "spelling", name_sim, evidence)
        sounds = sound_sim >= SOUND_CLOSE and name_sim >= SOUND_NAME
        if same_family and sounds and shared:
            return Decision(entity_id, "sound-and-context", (name_sim + sound_sim) / 2, evidence)
        one_word = all(len(k.split()) == 1 for k in cluster.keys)
        if (
            not same_family
            and one_word
            and sound_sim == 1.0
            and name_sim >= SOUND_NAME
            and len(shared) >= 2
        ):
            # NER often mislabels one-word place names; sound, spelling and two shared
            # entities together outweigh its label.
            return Decision(entity_id, "sound-and-context", (name_sim + sound_sim) / 2, evidence)
        return None

    def _shared(self, entity_id: str, context: frozenset[str]) -> list[str]:
        if not context:
            return []
        around = self._context.get(entity_id)
        if around is None:
            # only the article's own entities are ever asked about (``context`` is one
            # set for the whole article), so only they are counted
            around = store.entity_context(self.conn, entity_id, among=sorted(context))
            self._context[entity_id] = around
        shared = sorted(e for e in context if around.get(e))
        names = self._entity_info(shared[:10])
        return [names[e]["name"] for e in shared[:10] if e in names]

    def _new(self, cluster: Cluster) -> Decision:
        base = f"ent:{digest(cluster.family + ':' + name_key(cluster.name))}"
        entity_id, n = base, 1
        while not store.ensure_entity(self.conn, entity_id, cluster.name, cluster.label, "text"):
            if not self._blocked(cluster, entity_id) and _same_name(self.conn, entity_id, cluster):
                break
            n += 1
            entity_id = f"{base}-{n}"
        return Decision(entity_id, "new", 1.0, {"name": cluster.name})


def _strong(
    found: dict[str, set[tuple[str, str]]], cluster: Cluster
) -> dict[str, set[tuple[str, str]]]:
    """Candidates worth scoring: a name, surname, first word, sound or acronym match, or
    sound-alike words covering the cluster's longest name."""
    words = max(len(k.split()) for k in cluster.keys)
    return {
        e: keys
        for e, keys in found.items()
        if any(kind not in ("word-sound", "stem", "first", "last") for kind, _k in keys)
        or sum(kind in ("word-sound", "stem") for kind, _k in keys) >= min(words, 2)
        or (
            words == 1 and keys & {("last", k) for k in cluster.keys} and cluster.family == "person"
        )
        or (
            words == 1
            and keys & {("first", k) for k in cluster.keys}
            and cluster.family == "product"
        )
    }


def _named(found: dict[str, set[tuple[str, str]]], names: set[tuple[str, str]]) -> list[str]:
    """The candidates found under one of these name keys (the only ones the same-name
    rules read about)."""
    return sorted(e for e, keys in found.items() if keys & names)


def _same_name(conn: sqlite3.Connection, entity_id: str, cluster: Cluster) -> bool:
    info = store.entity_info(conn, [entity_id]).get(entity_id)
    return info is not None and name_key(info["name"]) == name_key(cluster.name)


def _similar(a: str, b: str) -> float:
    """String similarity of two name keys, word order ignored for multi-word names."""
    if not a or not b:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100


def _other_first_names(mine: Iterable[str], theirs: Iterable[str]) -> bool:
    """Whether two people's full names have first names that cannot be one (not an
    initial of the other, not a spelling or sound variant): then no likeness of the
    surnames makes them one person."""
    firsts = {k.split()[0] for k in mine if len(k.split()) > 1}
    others = {k.split()[0] for k in theirs if len(k.split()) > 1}
    if not firsts or not others:
        return False
    return not any(
        (a[0] == b[0] and (len(a) == 1 or len(b) == 1))  # an initial
        or _similar(a, b) >= SOUND_CLOSE  # a spelling or transliteration variant
        or sound_key(a) == sound_key(b)  # Korvin and Corvin
        for a in firsts
        for b in others
    )


def _contains(cluster: Cluster, forms: Iterable[str], family: str) -> bool:
    """Whether the cluster's name is a short form of a candidate's (or the reverse)."""
    from storyline.understand.entities import _is_short_form

    mine = [k.split() for k in cluster.keys]
    theirs = [name_key(f).split() for f in forms]
    for a in mine:
        for b in theirs:
            if len(a) < len(b) and _is_short_form(a, b, family):
                return True
            if len(b) < len(a) and _is_short_form(b, a, family):
                return True
    return False
