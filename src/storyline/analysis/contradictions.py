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
GENERIC_UNITS = frozenset(
    {
        "year",
        "time",
        "people",
        "person",
        "official",
        "source",
        "member",
        "leader",
        "country",
        "side",
        "day",
        "week",
        "month",
        "hour",
    }
)
EXPLICIT_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ial|ying)|refut\w+|false|untrue|not true)\b", re.IGNORECASE
)
_SCOPE = 14  # words after a negation that it governs
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NAME_LABELS = frozenset({"PERSON"})
_WORD = re.compile(r"[\w'’-]+")
_EXPLICIT_DATE = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I
)
# Words that make an asserting claim negative already ("inaccurate", "rejected the veto").
_NEGATIVE = re.compile(
    r"\b(?:inaccurate|incorrect|untrue|falsely|false|wrong|refus\w*|reject\w*|oppos\w*|"
    r"overrid\w*|overturn\w*|block\w*|against|without)\b",
    re.I,
)
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
    prep = _prepare(claims)
    conflicts: list[Conflict] = []
    for i, j in _candidates(claims, scores, ctx, prep):
        pair = Pair(
            ctx.group_of[i] == ctx.group_of[j], float(scores[i, j]), prep.words[i] & prep.words[j]
        )
        conflicts += _pair(i, j, claims[i], claims[j], pair, ctx, prep)
    return _join(conflicts, claims, ctx)


@dataclass(frozen=True, slots=True)
class Pair:
    """How two claims relate: one fact or not, their score, the content words they share."""

    same: bool
    score: float
    shared: frozenset[str]


@dataclass(frozen=True, slots=True)
class Prepared:
    """What each claim brings to a comparison, computed once per claim."""

    asserted: list[list[Quantity]]
    words: list[frozenset[str]]
    governed: list[frozenset[str]]
    explicit: np.ndarray


def _prepare(claims: Sequence[Claim]) -> Prepared:
    return Prepared(
        asserted=[_asserted(c) for c in claims],
        words=[frozenset(content_words(c.text)) for c in claims],
        governed=[frozenset(_governed(c.text)) if c.denial else frozenset() for c in claims],
        explicit=np.array([bool(c.denial and EXPLICIT_DENIAL.search(c.text)) for c in claims]),
    )


def _candidates(
    claims: Sequence[Claim], scores: np.ndarray, ctx: Context, prep: Prepared
) -> list[tuple[int, int]]:
    """Pairs worth comparing (vectorised): different origins and articles, and either one
    fact, or both with figures and related, or one denying what the other may assert."""
    n = len(claims)
    if n < 2:
        return []
    origin = np.array([c.origin for c in claims], dtype=object)
    article = np.array([c.article_id for c in claims], dtype=object)
    group = np.asarray(ctx.group_of)
    same = group[:, None] == group[None, :]
    figures = np.array([bool(q) for q in prep.asserted])
    denial = np.array([c.denial for c in claims])
    lede = np.array([c.index <= 1 for c in claims])
    denies = (
        prep.explicit[:, None]
        & ~denial[None, :]
        & (same | (scores >= DENIAL_RELATED) | lede[None, :])
    )
    wanted = same | (figures[:, None] & figures[None, :] & (scores >= FIGURE_RELATED))
    wanted |= denies | denies.T
    wanted &= (origin[:, None] != origin[None, :]) & (article[:, None] != article[None, :])
    rows, cols = np.nonzero(np.triu(wanted, k=1))
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


def _pair(
    i: int, j: int, a: Claim, b: Claim, pair: Pair, ctx: Context, prep: Prepared
) -> list[Conflict]:
    found = []
    if pair.same or pair.score >= FIGURE_RELATED:
        found += _numbers(i, j, a, b, pair, prep)
    if pair.same:
        found += _dates(i, j, a, b)
        found += _names(i, j, a, b, pair.score, ctx)
    if a.denial != b.denial:
        found += _denial(i, j, a, b, pair, prep)
    return found


def _numbers(i: int, j: int, a: Claim, b: Claim, pair: Pair, prep: Prepared) -> list[Conflict]:
    """Figures that cannot both hold, in claims about the same thing: one fact, closely
    related claims, or claims that count the same specific thing with shared words."""
    mine, theirs = prep.asserted[i], prep.asserted[j]
    if not mine or not theirs:
        return []
    candidates = [
        (qa, qb)
        for qa in mine
        for qb in theirs
        if _eligible(qa, qb, a, b, pair)
        and not _stated_by(qa, theirs)
        and not _stated_by(qb, mine)  # both give both values ("from 4.25 to 4.75 percent")
        and _counterparts(qa, qb, a, b)
    ]
    if not candidates:
        return []
    qa, qb = min(candidates, key=lambda p: (_distance(*p), p[0].start, p[1].start))
    topic = (qa.unit if qa.unit == qb.unit else qa.context or qa.unit) or qa.kind
    return [
        Conflict(
            "number",
            topic,
            (i, qa.text),
            (j, qb.text),
            f"different {qa.kind} figures",
            f"number:{topic}",
            ((qa.low, qa.high), (qb.low, qb.high)),
        )
    ]


def _distance(qa: Quantity, qb: Quantity) -> float:
    """How far apart two figures are (the closest pair is the one that disagrees)."""
    low, high = sorted((abs(qa.value), abs(qb.value)))
    return high / low if low else float("inf")


def _eligible(qa: Quantity, qb: Quantity, a: Claim, b: Claim, pair: Pair) -> bool:
    """Whether two figures speak of the same thing closely enough to disagree. Figures
    more than three times apart never do ($43 million paid, $139 million earned); sums
    and percentages, everywhere in news, also need the same phrasing ("to 4.5 percent"
    / "to 4.75 percent")."""
    if not _same_magnitude(qa, qb):
        return False
    if qa.kind in ("percent", "money") and _word_before(a, qa) != _word_before(b, qb):
        return False
    if pair.same and pair.score >= RELATED:
        return disagree(qa, qb) or _lone_counts(a, b, qa, qb)
    if pair.score >= RELATED:
        return disagree(qa, qb)
    specific = qa.unit == qb.unit and qa.unit not in GENERIC_UNITS and qa.kind != "duration"
    if not specific or _other_days(a, b):
        return False
    needed = 3 if qa.kind in ("percent", "money") else 2
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
    several = (
        sum(q.unit == qa.unit for q in a.quantities) > 1
        or sum(q.unit == qb.unit for q in b.quantities) > 1
    )
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
    mine, theirs = _explicit(a), _explicit(b)
    if _several(mine) or _several(theirs):
        return []  # "from 1977 through 2006": a span, not a date to compare
    for da in mine:
        for db in theirs:
            if (
                da.value
                and db.value
                and da.granularity == db.granularity
                and da.value != db.value
                and da.granularity in ("day", "month", "year")
            ):
                return [
                    Conflict(
                        "date",
                        "date",
                        (i, f"{da.text} ({da.value})"),
                        (j, f"{db.text} ({db.value})"),
                        "different dates",
                    )
                ]
    return []


def _several(dates: list[DateMention]) -> bool:
    return len({(d.granularity, d.value) for d in dates}) > 1


def _explicit(claim: Claim) -> list[DateMention]:
    return [d for d in claim.dates if _EXPLICIT_DATE.search(d.text)]


def _names(i: int, j: int, a: Claim, b: Claim, score: float, ctx: Context) -> list[Conflict]:
    """Near-identical claims that name a different person or place, each the only one of
    its kind in its claim, and neither named anywhere in the other article."""
    if score < NAME_SCORE:
        return []
    kinds: tuple[tuple[ContradictionKind, frozenset[str]], ...] = (
        ("place", _PLACE_LABELS),
        ("name", _NAME_LABELS),
    )
    for kind, labels in kinds:
        only_a = _exclusive(a, b, labels, ctx)
        only_b = _exclusive(b, a, labels, ctx)
        if only_a and only_b and ctx.labels.get(only_a) == ctx.labels.get(only_b):
            return [
                Conflict(
                    kind,
                    kind,
                    (i, only_a),
                    (j, only_b),
                    f"different {kind}s for the same fact",
                )
            ]
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


def _denial(i: int, j: int, a: Claim, b: Claim, pair: Pair, prep: Prepared) -> list[Conflict]:
    """One claim denies what the other asserts: an explicit denial ("denied that it had
    agreed a pay deal", "the report is false") governing words the other claim uses, in
    reporting (not quoted words), no later than the report it answers."""
    (d, denying), (s_, asserting) = ((i, a), (j, b)) if a.denial else ((j, b), (i, a))
    if denying.quoted or asserting.quoted or _NEGATIVE.search(asserting.text):
        return []  # a speaker's words, or both negative: no source denies another
    if not prep.explicit[d]:
        return []  # a plain "not" negates too many other things (measured on BASIL)
    close = pair.same or pair.score >= DENIAL_RELATED
    if not close and asserting.index > 1:
        return []  # a denial of a report answers what the report leads with
    if _later(asserting, denying):
        return []  # a denial cannot answer what was reported after it
    shared = prep.governed[d] & prep.words[s_]
    if len(shared) < (2 if close else 3) or len(shared) < 0.25 * len(prep.words[s_]):
        return []
    surface = dict(content_terms(denying.text))
    topic = ", ".join(sorted((surface.get(w, w) for w in shared), key=lambda w: (-idf(w), w))[:3])
    return [
        Conflict(
            "denial",
            topic,
            (s_, "asserts"),
            (d, "denies"),
            "one source denies or negates what another asserts",
            f"denial:{denying.id}",
        )
    ]


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


def _join(
    conflicts: Sequence[Conflict], claims: Sequence[Claim], ctx: Context
) -> list[Contradiction]:
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


def _contradiction(
    group: Sequence[Conflict], claims: Sequence[Claim], ctx: Context
) -> Contradiction:
    sides: list[_Side] = []
    for c in group:
        ends = [
            (c.left, c.bounds[0] if c.bounds else None),
            (c.right, c.bounds[1] if c.bounds else None),
        ]
        for (index, value), bounds in ends:
            label = ctx.names.get(value, value)
            side = _side_for(sides, label, bounds)
            if side is None:
                side = _Side(label, bounds, {})
                sides.append(side)
            side.members[index] = None
    sides.sort(key=lambda side: min(_when(claims[i]) for i in side.members))
    facts = sorted(
        {ctx.fact_ids[ctx.group_of[i]] for side in sides for i in side.members},
        key=lambda f: int(f[1:]),
    )
    return Contradiction(
        kind=group[0].kind,
        topic=group[0].topic,
        sides=tuple((side.label, tuple(claims[i] for i in side.members)) for side in sides),
        facts=tuple(facts),
        reason=group[0].reason,
    )


def _side_for(sides: list[_Side], label: str, bounds: tuple[float, float] | None) -> _Side | None:
    """The side a value belongs to: a figure whose interval overlaps ("up to 18" sides
    with "18"), else the same words, case aside (two sides both shown as "Two workers"
    would say nothing)."""
    for side in sides:
        if bounds is not None and side.bounds is not None:
            if bounds[0] <= side.bounds[1] and side.bounds[0] <= bounds[1]:
                return side
        elif side.label.casefold() == label.casefold():
            return side
    return None


def _when(claim: Claim) -> str:
    return claim.published.isoformat() if claim.published else "~"
