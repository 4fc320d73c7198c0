"""Where sources contradict each other on the same point.

Only claims of different independent origins are compared, and only when they speak of
the same thing: claims of one fact, or (for figures and denials) closely related claims.

- **number**: figures of the same unit (or of the same role, "signed four agreements" /
  "signed five memorandums") whose intervals cannot both hold ("about 20" vs "23");
- **date**: the same fact placed on different days, months or years;
- **name** / **place**: the same fact told with a different person or place, neither of
  which the other article mentions at all;
- **denial**: one claim denies or negates what a related claim asserts, the negation
  governing words the two share ("alarm was switched off" / "denies the alarm was
  switched off").

Pairwise conflicts of one kind and topic are joined into one ``Contradiction`` whose
sides are the distinct values, each with the claims that state it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.analysis.claims import DENIAL
from storyline.analysis.quantities import disagree
from storyline.analysis.similarity import content_terms, content_words
from storyline.events.text import idf
from storyline.model import Claim, Contradiction, ContradictionKind, DateMention, Quantity

RELATED = 0.42  # score above which claims of different facts may still disagree on figures
FIGURE_RELATED = 0.05  # below this, claims of different facts never disagree on figures
DENIAL_RELATED = 0.3  # below this an explicit denial must answer a lede, with 3 words
NEGATION_RELATED = 0.5  # a plain negation needs claims this close
GENERIC_UNITS = frozenset({"year", "time", "people", "person", "official", "source", "member",
                           "leader", "country", "side", "day", "week", "month", "hour"})  # fmt: skip
EXPLICIT_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ial|ying)|dismiss(?:ed|es|ing)?|reject(?:ed|s|ing)?|refut\w+|"
    r"false|untrue|not true|wrong)\b",
    re.IGNORECASE,
)
_SCOPE = 14  # words after a negation that it governs
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NAME_LABELS = frozenset({"PERSON"})
_WORD = re.compile(r"[\w'’-]+")
_EXPLICIT_DATE = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I
)
_HEDGED = re.compile(r"\b(?:unless|if|whether|would|could|might|may)\b", re.I)
_NEGATED = re.compile(r"\b(?:no|not|never|nor|n['’]t|without|den(?:y|ies|ied))\b", re.I)
NAME_SCORE = 0.75  # a different name or place counts only in near-identical claims


@dataclass(frozen=True, slots=True)
class Conflict:
    """One pairwise disagreement, before conflicts are joined into contradictions."""

    kind: ContradictionKind
    topic: str
    left: tuple[int, str]  # (claim index, the value it states)
    right: tuple[int, str]
    reason: str
    key: str = ""  # conflicts with one key and a shared claim join into one contradiction
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None  # of the figures


@dataclass(frozen=True, slots=True)
class Context:
    """What conflict detection needs beyond the claims and their scores."""

    group_of: Sequence[int]
    fact_ids: Sequence[str]
    labels: Mapping[str, str]  # entity id -> label (PERSON, GPE, ...)
    names: Mapping[str, str]  # entity id -> canonical name
    article_entities: Mapping[str, frozenset[str]]


def find(claims: Sequence[Claim], scores: np.ndarray, ctx: Context) -> list[Contradiction]:
    """The contradictions among ``claims``, most sides first."""
    conflicts: list[Conflict] = []
    words = [frozenset(content_words(c.text)) for c in claims]
    n = len(claims)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = claims[i], claims[j]
            if a.origin == b.origin or a.article_id == b.article_id:
                continue
            same = ctx.group_of[i] == ctx.group_of[j]
            score = float(scores[i, j])
            if not same and score < FIGURE_RELATED and not (a.denial or b.denial):
                continue
            conflicts += _pair(i, j, a, b, Pair(same, score, words[i] & words[j]), ctx)
    return _join(conflicts, claims, ctx)


@dataclass(frozen=True, slots=True)
class Pair:
    """How two claims relate: one fact or not, their score, the content words they share."""

    same: bool
    score: float
    shared: frozenset[str]


def _pair(i: int, j: int, a: Claim, b: Claim, pair: Pair, ctx: Context) -> list[Conflict]:
    found = []
    if pair.same or pair.score >= FIGURE_RELATED:
        found += _numbers(i, j, a, b, pair)
    if pair.same:
        found += _dates(i, j, a, b)
        found += _names(i, j, a, b, pair.score, ctx)
    found += _denial(i, j, a, b, pair)
    return found


def _numbers(i: int, j: int, a: Claim, b: Claim, pair: Pair) -> list[Conflict]:
    """Figures that cannot both hold, in claims about the same thing: one fact, closely
    related claims, or claims that count the same specific thing with shared words."""
    mine, theirs = _asserted(a), _asserted(b)
    candidates = [
        (qa, qb) for qa in mine for qb in theirs
        if _eligible(qa, qb, a, b, pair) and not _stated_by(qa, theirs)
        and not _stated_by(qb, mine)  # both give both values ("from 4.25 to 4.75 percent")
        and _counterparts(qa, qb, a, b)
    ]  # fmt: skip
    if not candidates:
        return []
    qa, qb = min(candidates, key=lambda p: (_distance(*p), p[0].start, p[1].start))
    topic = (qa.unit if qa.unit == qb.unit else qa.context or qa.unit) or qa.kind
    return [Conflict("number", topic, (i, qa.text), (j, qb.text), f"different {qa.kind} figures",
                     f"number:{topic}", ((qa.low, qa.high), (qb.low, qb.high)))]  # fmt: skip


def _distance(qa: Quantity, qb: Quantity) -> float:
    """How far apart two figures are (the closest pair is the one that disagrees)."""
    low, high = sorted((abs(qa.value), abs(qb.value)))
    return high / low if low else float("inf")


def _eligible(qa: Quantity, qb: Quantity, a: Claim, b: Claim, pair: Pair) -> bool:
    if pair.same:
        return disagree(qa, qb) or _lone_counts(a, b, qa, qb)
    if pair.score >= RELATED:
        return disagree(qa, qb)
    specific = qa.unit == qb.unit and qa.unit not in GENERIC_UNITS and qa.kind != "duration"
    if not specific or _other_days(a, b) or not _same_magnitude(qa, qb):
        return False
    # percentages are everywhere in news: they need more shared words than counts do
    needed = 3 if qa.kind == "percent" else 2
    return len(pair.shared - {qa.unit}) >= needed and disagree(qa, qb)


def _other_days(a: Claim, b: Claim) -> bool:
    """Both claims name days and none is the same: figures of different days may differ."""
    days_a = {d.value for d in a.dates if d.value and d.granularity == "day"}
    days_b = {d.value for d in b.dates if d.value and d.granularity == "day"}
    return bool(days_a and days_b and not days_a & days_b)


def _same_magnitude(qa: Quantity, qb: Quantity) -> bool:
    """Figures within a factor of three: 40 million and 60 crowns are different things."""
    low, high = sorted((abs(qa.value), abs(qb.value)))
    return low > 0 and high / low <= 3.0


def _counterparts(qa: Quantity, qb: Quantity, a: Claim, b: Claim) -> bool:
    """When a claim gives several figures of one unit ("from 4.25 to 4.75 percent",
    "to 4.75 percent ... above 5 percent"), only figures after the same word compare."""
    several = sum(q.unit == qa.unit for q in a.quantities) > 1 or \
        sum(q.unit == qb.unit for q in b.quantities) > 1  # fmt: skip
    return not several or _word_before(a, qa) == _word_before(b, qb)


def _word_before(claim: Claim, q: Quantity) -> str:
    words = claim.text[: q.start - claim.start].lower().split()
    return words[-1].strip(",;:") if words else ""


def _stated_by(q: Quantity, others: Sequence[Quantity]) -> bool:
    return any(o.unit == q.unit and not disagree(o, q) for o in others)


def _asserted(claim: Claim) -> list[Quantity]:
    """The claim's figures that it asserts: not those it negates ("there is no 8 percent",
    "would not go back for less than 7 percent")."""
    out = []
    for q in claim.quantities:
        before = claim.text[max(0, q.start - claim.start - 40) : q.start - claim.start]
        if not _NEGATED.search(" ".join(before.split()[-5:])):
            out.append(q)
    return out


def _lone_counts(a: Claim, b: Claim, qa: Quantity, qb: Quantity) -> bool:
    """Each claim of one fact gives one count, of differently named things, and they
    cannot both hold ("about 1,800 dockworkers" / "3,000 strikers")."""
    counts_a = [q for q in a.quantities if q.kind == "count"]
    counts_b = [q for q in b.quantities if q.kind == "count"]
    if counts_a != [qa] or counts_b != [qb] or qa.unit == qb.unit:
        return False
    slack = 1e-9 + 0.005 * max(qa.value, qb.value)
    return qa.high + slack < qb.low or qb.high + slack < qa.low


def _dates(i: int, j: int, a: Claim, b: Claim) -> list[Conflict]:
    """Claims of one fact that name different explicit dates (a month or year written
    out; relative dates resolved against two publication dates are not compared)."""
    for da in _explicit(a):
        for db in _explicit(b):
            if da.value and db.value and da.granularity == db.granularity \
                    and da.value != db.value and da.granularity in ("day", "month", "year"):  # fmt: skip
                return [Conflict("date", "date", (i, f"{da.text} ({da.value})"),
                                 (j, f"{db.text} ({db.value})"), "different dates")]  # fmt: skip
    return []


def _explicit(claim: Claim) -> list[DateMention]:
    return [d for d in claim.dates if _EXPLICIT_DATE.search(d.text)]


def _names(i: int, j: int, a: Claim, b: Claim, score: float, ctx: Context) -> list[Conflict]:
    """Near-identical claims that name a different person or place, each the only one of
    its kind in its claim, and neither named anywhere in the other article."""
    if score < NAME_SCORE:
        return []
    for kind, labels in (("place", _PLACE_LABELS), ("name", _NAME_LABELS)):
        only_a = _exclusive(a, b, labels, ctx)
        only_b = _exclusive(b, a, labels, ctx)
        if only_a and only_b and ctx.labels.get(only_a) == ctx.labels.get(only_b):
            return [Conflict(kind, kind, (i, only_a), (j, only_b),  # type: ignore[arg-type]
                             f"different {kind}s for the same fact")]  # fmt: skip
    return []


def _exclusive(a: Claim, b: Claim, labels: frozenset[str], ctx: Context) -> str:
    """``a``'s one entity with one of ``labels``, when ``b``'s article never mentions it
    (nor ``b`` a word sharing its first five letters: Valdoria / Valdorian)."""
    own = [e for e in a.entities if ctx.labels.get(e) in labels]
    if len(own) != 1:
        return ""
    entity = own[0]
    stem = ctx.names.get(entity, entity)[:5].lower()
    if entity in ctx.article_entities.get(b.article_id, frozenset()) or stem in b.text.lower():
        return ""
    return entity


def _denial(i: int, j: int, a: Claim, b: Claim, pair: Pair) -> list[Conflict]:
    """One claim denies what the other asserts: an explicit denial ("denied that it had
    agreed a pay deal") governing two words the other claim uses, or a plain negation
    doing so in claims of one fact or closely related ones."""
    if a.denial == b.denial:
        return []
    denying, asserting = (a, b) if a.denial else (b, a)
    explicit = bool(EXPLICIT_DENIAL.search(denying.text))
    if not explicit and not (pair.same or pair.score >= NEGATION_RELATED):
        return []
    close = pair.same or pair.score >= DENIAL_RELATED
    if explicit and not close and asserting.index > 1:
        return []  # a denial of a report answers what the report leads with
    if _later(asserting, denying):
        return []  # a denial cannot answer what was reported after it
    if not explicit and _HEDGED.search(asserting.text):
        return []  # "would close", "unless the price was published": nothing to negate
    shared = _governed(denying.text) & set(content_words(asserting.text))
    if len(shared) < (2 if close else 3):
        return []
    surface = dict(content_terms(denying.text))
    topic = ", ".join(sorted((surface.get(w, w) for w in shared), key=lambda w: (-idf(w), w))[:3])
    d_index, a_index = (i, j) if a.denial else (j, i)
    return [Conflict("denial", topic, (a_index, "asserts"), (d_index, "denies"),
                     "one source denies or negates what another asserts",
                     f"denial:{denying.id}")]  # fmt: skip


def _later(a: Claim, b: Claim) -> bool:
    """Whether ``a`` was published more than a day after ``b``."""
    if a.published is None or b.published is None:
        return False
    return (a.published - b.published).total_seconds() > 86400


def _governed(text: str) -> set[str]:
    """Content words within reach after a denial or negation word."""
    out: set[str] = set()
    for match in DENIAL.finditer(text):
        after = text[match.end() :]
        window = " ".join(_WORD.findall(after)[:_SCOPE])
        out.update(content_words(window))
    return out


def _join(conflicts: Sequence[Conflict], claims: Sequence[Claim],
          ctx: Context) -> list[Contradiction]:  # fmt: skip
    """Conflicts with one key (kind and topic, or the denying claim), linked by shared
    claims, as contradictions."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for number, c in enumerate(conflicts):
        for other in range(number):
            o = conflicts[other]
            if _key(o) == _key(c) and {o.left[0], o.right[0]} & {c.left[0], c.right[0]}:
                parent[root(number)] = root(other)
    components: dict[int, list[Conflict]] = {}
    for number, c in enumerate(conflicts):
        components.setdefault(root(number), []).append(c)
    out = [_contradiction(group, claims, ctx) for group in components.values()]
    return sorted(out, key=lambda c: (-len(c.sides), -sum(len(s[1]) for s in c.sides), c.topic))


def _key(c: Conflict) -> str:
    return c.key or f"{c.kind}:{c.topic}"


@dataclass(slots=True)
class _Side:
    label: str
    bounds: tuple[float, float] | None
    members: dict[int, None]


def _contradiction(group: Sequence[Conflict], claims: Sequence[Claim],
                   ctx: Context) -> Contradiction:  # fmt: skip
    sides: list[_Side] = []
    for c in group:
        ends = [(c.left, c.bounds[0] if c.bounds else None),
                (c.right, c.bounds[1] if c.bounds else None)]  # fmt: skip
        for (index, value), bounds in ends:
            side = _side_for(sides, value, bounds)
            if side is None:
                side = _Side(ctx.names.get(value, value), bounds, {})
                sides.append(side)
            side.members[index] = None
    sides.sort(key=lambda side: min(_when(claims[i]) for i in side.members))
    facts = sorted({ctx.fact_ids[ctx.group_of[i]] for side in sides for i in side.members},
                   key=lambda f: int(f[1:]))  # fmt: skip
    return Contradiction(
        kind=group[0].kind,
        topic=group[0].topic,
        sides=tuple((side.label, tuple(claims[i] for i in side.members)) for side in sides),
        facts=tuple(facts),
        reason=group[0].reason,
    )


def _side_for(sides: list[_Side], value: str, bounds: tuple[float, float] | None) -> _Side | None:
    """The side a value belongs to: the same value, or a figure whose interval overlaps
    ("up to 18" sides with "18")."""
    for side in sides:
        if bounds is not None and side.bounds is not None:
            if bounds[0] <= side.bounds[1] and side.bounds[0] <= bounds[1]:
                return side
        elif side.label == value or (side.label.lower() == value.lower()):
            return side
    return None


def _when(claim: Claim) -> str:
    return claim.published.isoformat() if claim.published else "~"
