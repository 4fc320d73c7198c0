"""Provenance of a copy group: the likely original, why, and its independent origins.

The likely original is chosen by evidence, strongest first:

1. an article *from* the agency or outlet that the copies credit ("(jk/CPA)", "Source:
   CPA" and an article whose source is the Continental Press Agency);
2. an article from a wire agency;
3. the one published first (a date without a time of day only counts by its day);
4. then one that credits no other outlet (or credits the agency most members credit),
   that has a date at all, that the others' reused passages point to, and that was
   stored first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storyline.copies.relation import (
    credits,
    credits_source,
    day_only,
    earlier,
    is_wire,
    source_names,
)
from storyline.model import Article, CopyLink


@dataclass(frozen=True, slots=True)
class Provenance:
    """The likely original of a copy group and the reason it was chosen."""

    original_id: str
    reason: str
    size: int
    origins: int
    first_published: datetime | None


def choose_original(
    members: Sequence[Article], links: Sequence[CopyLink], origin_of: dict[str, str]
) -> Provenance:
    """The likely original among the members of one copy group (in the order stored)."""
    if not members:
        raise ValueError("a copy group has at least one member")
    # shared passages point nowhere: neither side copied the other
    pointed = Counter(
        link.target_id for link in links if link.relation not in ("version", "shared")
    )
    credited = Counter(name for a in members for name in credits(a))
    top = credited.most_common(1)[0][0] if credited else ""
    facts = [_facts(a, i, members, pointed, top) for i, a in enumerate(members)]
    # A knock-out rather than a sort: dates compare only when both are known, and a date
    # without a time of day only by its day, so "earlier" is not a total order.
    best = facts[0]
    for challenger in facts[1:]:
        if _better(challenger, best):
            best = challenger
    dates = [a.published for a in members if a.published is not None]
    return Provenance(
        original_id=best.article.id,
        reason=_reason(best.article, members, pointed, credited),
        size=len(members),
        origins=len({origin_of.get(a.id, a.id) for a in members}),
        first_published=min(dates) if dates else None,
    )


@dataclass(frozen=True, slots=True)
class _Facts:
    """What speaks for one member being the original."""

    article: Article
    credited_by: int  # members that credit its outlet
    wire: bool
    credits_other: bool  # it credits another outlet: then it is a copy
    credits_common: bool  # ... but the one most members credit: then it is close to it
    pointed: int  # links whose target it is
    order: int  # when it was stored


def _facts(
    article: Article, order: int, members: Sequence[Article], pointed: Counter[str], top: str
) -> _Facts:
    others = [m for m in members if m.id != article.id]
    return _Facts(
        article=article,
        credited_by=sum(1 for m in others if credits_source(m, article)),
        wire=is_wire(article),
        credits_other=any(credits_source(article, m) for m in others) or _credits_foreign(article),
        credits_common=bool(top) and top in credits(article),
        pointed=pointed[article.id],
        order=order,
    )


def _better(a: _Facts, b: _Facts) -> bool:
    """Whether ``a`` is more likely than ``b`` to be the original."""
    for key in ("credited_by", "wire"):
        if getattr(a, key) != getattr(b, key):
            return bool(getattr(a, key) > getattr(b, key))
    order = earlier(a.article.published, b.article.published)
    if order:
        return order < 0
    for key in ("credits_other", "credits_common"):
        if getattr(a, key) != getattr(b, key):
            return bool(getattr(a, key) == (key == "credits_common"))
    if (a.article.published is None) != (b.article.published is None):
        return a.article.published is not None  # a known date is some evidence
    if a.pointed != b.pointed:
        return a.pointed > b.pointed
    return a.order < b.order


def _credits_foreign(article: Article) -> bool:
    """Whether an article credits an outlet other than its own (so it is a copy)."""
    own = source_names(article.source)
    return any(name not in own for name in credits(article))


def _reason(
    best: Article,
    members: Sequence[Article],
    pointed: Counter[str],
    credited: Counter[str],
) -> str:
    others = [m for m in members if m.id != best.id]
    parts: list[str] = []
    credited_by = sum(1 for m in others if credits_source(m, best))
    if credited_by:
        parts.append(f"{credited_by} of the {len(others)} others credit its source, {best.source}")
    elif is_wire(best):
        parts.append(f"it comes from a news agency ({best.source})")
    elif credited:
        name, count = credited.most_common(1)[0]
        parts.append(
            f"{count} of the {len(members)} credit {name}, whose own text is not in the "
            "workspace: this is the earliest copy of it here"
        )
    parts += _date_reason(best, others)
    if pointed[best.id]:
        parts.append(f"the others' reused passages point to it ({pointed[best.id]} links)")
    if not parts:
        parts.append("stored first")
    return "; ".join(parts)


def _date_reason(best: Article, others: list[Article]) -> list[str]:
    if best.published is None:
        return ["no date tells which came first"]
    order = [earlier(best.published, m.published) for m in others if m.published]
    if not order:
        return [f"the only one with a publication date ({_stamp(best.published)})"]
    if -1 in order and 1 not in order:
        return [f"published first ({_stamp(best.published)})"]
    return []


def _stamp(value: datetime) -> str:
    return value.date().isoformat() if day_only(value) else value.isoformat(sep=" ")
