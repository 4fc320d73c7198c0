"""The timeline of an event: the first report, each new development, what happened when.

Reports are placed on the day they were published (articles whose publication date the
understand stage doubts are left off that axis). The first report is the earliest
article's leading fact; a development is a fact first reported on a later day; a
"happened" entry is an important fact whose claims name the day it happened ("late on
Sunday" = 8 June) when that is not the day it was reported. The event dates the articles
report (when what they report happened) are listed with their sources.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from storyline.analysis.brief import citation, cite_fact
from storyline.analysis.compare import Analysis
from storyline.model import Citation, Claim, Fact, Timeline, TimelineEntry, TimelineKind

PER_DAY = 2
MAX_ENTRIES = 20
HAPPENED_TOP = 12  # only the most important facts get a "happened" entry


def make_timeline(analysis: Analysis, event_dates: dict[str, date | None]) -> Timeline:
    """The timeline of the analysed articles."""
    facts = analysis.comparison.facts
    entries: list[TimelineEntry] = []
    by_day: dict[date, list[Fact]] = defaultdict(list)
    for fact in facts:
        day = _first_reported(fact, analysis.reliable)
        if day is not None:
            by_day[day].append(fact)
    first_day = min(by_day) if by_day else None
    for day in sorted(by_day):
        ranked = sorted(by_day[day], key=lambda f: -f.importance)
        if day == first_day:  # the earliest article's leading fact opens the timeline
            opening = _leading_fact_of_first_article(ranked, analysis.reliable)
            ranked = [opening, *(f for f in ranked if f is not opening)]
        ranked = ranked[:PER_DAY]
        for n, fact in enumerate(ranked):
            kind: TimelineKind = "first report" if day == first_day and n == 0 else "development"
            first = _first_claim(fact, analysis.reliable)
            entries.append(TimelineEntry(day, kind, cite_fact(analysis, fact, first)))
    for fact in sorted(facts, key=lambda f: -f.importance)[:HAPPENED_TOP]:
        reported = _first_reported(fact, analysis.reliable)
        if fact.happened is not None and fact.happened != reported:
            entries.append(
                TimelineEntry(fact.happened, "happened", cite_fact(analysis, fact, _naming(fact)))
            )
    entries.sort(key=lambda e: (e.day or date.max, _KIND_ORDER[e.kind]))
    return Timeline(
        event_id=analysis.comparison.event_id,
        entries=tuple(entries[:MAX_ENTRIES]),
        event_dates=_event_dates(analysis, event_dates),
    )


_KIND_ORDER = {"happened": 0, "first report": 1, "development": 2}


def _first_reported(fact: Fact, reliable: dict[str, bool]) -> date | None:
    days = [
        c.published.date()
        for c in fact.claims
        if c.published is not None and reliable.get(c.article_id, True)
    ]
    return min(days) if days else None


def _leading_fact_of_first_article(facts: list[Fact], reliable: dict[str, bool]) -> Fact:
    """Of one day's facts (most important first), the first that the day's earliest
    article states."""
    dated = [c for f in facts for c in f.claims if c.published and reliable.get(c.article_id, True)]
    earliest = min(dated, key=lambda c: (c.published, c.article_id)).article_id
    return next(f for f in facts if any(c.article_id == earliest for c in f.claims))


def _first_claim(fact: Fact, reliable: dict[str, bool]) -> Claim:
    """The words of the article that reported the fact first: on that day, the original
    its copies reuse (a copy stamped with the day alone reads as midnight), then the
    earliest."""
    dated = [c for c in fact.claims if c.published and reliable.get(c.article_id, True)]
    if not dated:
        return fact.lead
    return min(dated, key=lambda c: (_day(c), c.article_id != c.origin, c.published, c.id))


def _naming(fact: Fact) -> Claim:
    """The fact's claim that names the day it happened (its lead when several do)."""
    for claim in fact.claims:
        if any(d.value == fact.happened for d in claim.dates):
            return claim
    return fact.lead


def _event_dates(
    analysis: Analysis, event_dates: dict[str, date | None]
) -> tuple[tuple[date, tuple[Citation, ...]], ...]:
    cited: dict[date, list[Citation]] = defaultdict(list)
    for article_id, day in event_dates.items():
        if day is not None and article_id in analysis.inputs:
            cited[day].append(citation(analysis, article_id))
    return tuple(
        (day, tuple(sorted(cs, key=lambda c: c.published.isoformat() if c.published else "~")))
        for day, cs in sorted(cited.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )


def _day(claim: Claim) -> date:
    return claim.published.date() if claim.published else date.max
