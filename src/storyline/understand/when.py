"""When: whether a publication date can be trusted, and the date of the reported event.

A page stamp from a header line, the HTML or the URL is weaker than structured metadata
or a feed; the text can overrule it. It is flagged unreliable when the text reads as
current news (it says "on Friday", "later this month") yet every year or full date it
names lies well before the stamp: a page stamped 2024 whose newest year is 2020.

The event date is the day the text points at most strongly: dates in the title and lead
count more, dates in photo captions and dates of speaking ("said on Wednesday") less.
An undated article borrows the event date of related articles (sharing several
entities) when its own dates agree with it: the same weekday, the same month and day,
or months just before it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from storyline.model import DateMention
from storyline.understand.dates import SPEECH_VERBS

WEAK_SOURCES = frozenset({"header", "html", "url"})
STALE_YEARS = 2  # the text's newest year this far before the stamp doubts it
STALE_DAYS = 180  # every full date this far before the stamp doubts it
_WINDOW = (timedelta(days=-60), timedelta(days=120))  # event dates near publication
_NEWS_WORDS = ("weekday", "relative")


@dataclass(frozen=True, slots=True)
class Reliability:
    """Whether the publication date holds, and why."""

    reliable: bool
    evidence: str


def reliability(published: datetime | None, source: str | None,
                mentions: list[DateMention], now: datetime) -> Reliability:  # fmt: skip
    """Judge a publication date against the dates its own text names."""
    if published is None:
        return Reliability(False, "no publication date")
    if published > now + timedelta(days=1):
        return Reliability(False, f"publication date {published.date()} is in the future")
    stamp = published.date()
    if source not in WEAK_SOURCES:
        return Reliability(True, f"from {source or 'the input'}")
    explicit = [m for m in mentions if m.value and m.method.endswith("+year")]
    newsy = [m for m in mentions if m.method.split("+")[0] in _NEWS_WORDS]
    if not explicit or not newsy:
        return Reliability(True, f"from {source}; nothing in the text contradicts it")
    newest_year = max(m.value.year for m in explicit if m.value)
    if newest_year + STALE_YEARS <= stamp.year:
        return Reliability(False, (
            f"page date {stamp} (from {source}) is doubtful: the newest year the text names is "
            f"{newest_year}, yet it reports current news ('{newsy[0].text}')"))  # fmt: skip
    full = [m.value for m in explicit if m.granularity == "day" and m.value]
    if full and all((stamp - d).days > STALE_DAYS for d in full):
        latest = max(full)
        return Reliability(False, (
            f"page date {stamp} (from {source}) is doubtful: the text dates what it reports "
            f"to {latest}, {(stamp - latest).days} days earlier ('{newsy[0].text}')"))  # fmt: skip
    return Reliability(True, f"from {source}; consistent with the dates in the text")


def text_anchor(mentions: list[DateMention]) -> date | None:
    """The latest full date with a year the text names: its own 'now' when the stamp fails."""
    full = [m.value for m in mentions if m.value and m.granularity == "day"
            and m.method.endswith("+year")]  # fmt: skip
    return max(full) if full else None


def event_date(text: str, mentions: list[DateMention], title_mentions: list[DateMention],
               anchor: date | None, anchor_note: str) -> tuple[date | None, str]:  # fmt: skip
    """The day the article reports, with the evidence for it."""
    scores: dict[date, float] = defaultdict(float)
    first: dict[date, DateMention] = {}
    lead_end = _lead_end(text)
    for m, weight in [(m, 3.0) for m in title_mentions] + [
        (m, _weight(text, m, lead_end)) for m in mentions
    ]:
        if m.value is None or m.granularity != "day":
            continue
        if anchor and not (_WINDOW[0] <= m.value - anchor <= _WINDOW[1]):
            continue
        scores[m.value] += weight
        first.setdefault(m.value, m)
    if scores:
        best = max(scores, key=lambda d: (scores[d], -first[d].start))
        m = first[best]
        others = sum(1 for x in mentions if x.value == best) - 1
        more = f" and {others} more mention(s)" if others > 0 else ""
        return best, f"'{m.text}'{more} ({m.relation or 'undated'}), {anchor_note}"
    if anchor is not None and anchor_note.startswith("resolved against the publication"):
        return anchor, "the publication day: the text names no day"
    return None, "no day named in the text, and no reliable publication date"


def _lead_end(text: str) -> int:
    """End of the lead: the first two paragraphs, or 400 characters."""
    paragraphs = text.split("\n\n")
    return min(len("\n\n".join(paragraphs[:2])), max(400, len(paragraphs[0])))


def _weight(text: str, m: DateMention, lead_end: int) -> float:
    import re

    para_start = text.rfind("\n\n", 0, m.start) + 1
    para_end = text.find("\n\n", m.end)
    paragraph = text[para_start : para_end if para_end >= 0 else len(text)]
    weight = 2.0 if m.start < lead_end else 1.0
    if "©" in paragraph or re.search(r"\((?:archive )?(?:image|photo|picture)\)", paragraph):
        weight *= 0.2  # a photo caption dates the photo, not the story
    before = text[max(para_start, m.start - 60) : m.start]
    if re.search(rf"\b(?:{SPEECH_VERBS})\b[^.]{{0,30}}$", before, re.I):
        weight *= 0.3  # "said on Wednesday": when it was said
    return weight


def agrees(candidate: date, mentions: list[DateMention]) -> tuple[float, list[str]]:
    """How well an undated article's own date words fit a candidate event day."""
    import re

    from storyline.understand.dates import MONTHS, WEEKDAYS, WEEKDAYS_DE, resolve

    support, notes = 0.0, []
    for m in mentions:
        words = m.text.lower()
        wd = next((WEEKDAYS.get(w, WEEKDAYS_DE.get(w)) for w in re.findall(r"\w+", words)
                   if w in WEEKDAYS or w in WEEKDAYS_DE), None)  # fmt: skip
        if wd is not None and not re.search(r"\d", words):
            if wd != candidate.weekday():
                return -1.0, [f"'{m.text}' is not a {candidate:%A}"]
            support, notes = support + 1, [*notes, f"'{m.text}' is a {candidate:%A}"]
            continue
        resolved = resolve(m.text, candidate, future=False)
        if resolved is None:
            continue
        if resolved.method == "month-day":
            day = resolve(m.text, candidate, future=True)
            if day and day.value == candidate:
                support, notes = support + 1, [*notes, f"'{m.text}' names that day"]
        elif resolved.explicit_year and resolved.value.year > candidate.year:
            return -1.0, [f"'{m.text}' is after {candidate}"]
        elif resolved.granularity == "month" and any(k in words for k in MONTHS):
            gap = (candidate - resolved.value).days
            if 0 <= gap <= 92:
                support, notes = support + 0.5, [*notes, f"'{m.text}' shortly before"]
    return support, notes
