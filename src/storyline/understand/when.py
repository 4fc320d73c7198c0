"""When: whether a publication date can be trusted, and the date of the reported event.

A page stamp from a header line, the HTML or the URL is weaker than structured metadata
or a feed, and the text can overrule it. It is doubted when the text reads as current
news (it says "on Friday", "yesterday") yet

- the freshest specific date it names (a month or day with its year) is more than a
  year older than the stamp (a page stamped 2024 about "the March 2020 agreement"), or
- a duration fixes the text's own year before the stamp's ("suspended for three years
  after the seizures of 2021" is written in 2024).

The event date is the day the text points at most strongly: dates in the title and lead
count more, and so do days inside a month or week the lead names ("later this month");
photo captions, publication stamps ("Posted on ..."), dates of speaking ("said on
Wednesday") and things announced for later outside the lead count less. An article
without a usable stamp borrows the event date of related articles (sharing several
entities) when its own dates agree with it: the same weekday, the same month and day,
months just before it, or the year its durations imply.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from storyline.model import DateMention
from storyline.understand.dates import NUMBER_WORDS, SPEECH_VERBS

WEAK_SOURCES = frozenset({"header", "html", "url"})
STALE_DAYS = 365  # the freshest specific date this much older than the stamp doubts it
_WINDOW = (timedelta(days=-60), timedelta(days=120))  # event dates near publication
_DAY_WORDS = ("weekday", "relative")
_DURATION = re.compile(
    r"\b(?:for|after|since|in)\s+(?:the\s+(?:past|last)\s+)?(\d{1,2}|one|two|three|four|five|six|"
    r"seven|eight|nine|ten)\s+years?\b[^.\n]{0,80}?\b(?:of|in|since)\s+((?:19|20)\d\d)\b",
    re.I,
)
_STAMP = re.compile(r"\b(?:posted|published|updated|last updated)\b[^.\n]{0,20}$", re.I)


@dataclass(frozen=True, slots=True)
class Reliability:
    """Whether the publication date holds, and why."""

    reliable: bool
    evidence: str


def implied_year(text: str) -> int | None:
    """The year a text is written in, by its durations ("for three years after ... 2021")."""
    years = []
    for match in _DURATION.finditer(text):
        n = match[1].lower()
        years.append(int(match[2]) + (int(n) if n.isdigit() else NUMBER_WORDS[n]))
    return max(years) if years else None


def reliability(
    published: datetime | None,
    source: str | None,
    mentions: list[DateMention],
    text: str,
    now: datetime,
) -> Reliability:
    """Judge a publication date against the dates its own text names."""
    if published is None:
        return Reliability(False, "no publication date")
    if published > now + timedelta(days=1):
        return Reliability(False, f"publication date {published.date()} is in the future")
    stamp = published.date()
    if source not in WEAK_SOURCES:
        return Reliability(True, f"from {source or 'the input'}")
    newsy = [m for m in mentions if m.method.split("+")[0].split("@")[0] in _DAY_WORDS]
    if not newsy:
        return Reliability(True, f"from {source}; nothing in the text contradicts it")
    specific = [
        m.value
        for m in mentions
        if m.value and "+year" in m.method and m.granularity in ("day", "month")
    ]
    if specific and (stamp - max(specific)).days > STALE_DAYS:
        return Reliability(
            False,
            (
                f"page date {stamp} (from {source}) is doubtful: the freshest date the text names "
                f"is {max(specific):%B %Y}, yet it reports current news ('{newsy[0].text}')"
            ),
        )
    year = implied_year(text)
    if year is not None and year < stamp.year:
        return Reliability(
            False,
            (
                f"page date {stamp} (from {source}) is doubtful: the text's durations place it "
                f"in {year}, yet it reports current news ('{newsy[0].text}')"
            ),
        )
    return Reliability(True, f"from {source}; consistent with the dates in the text")


def text_anchor(mentions: list[DateMention]) -> date | None:
    """The latest full date with a year the text names: its own 'now' when the stamp fails."""
    full = [m.value for m in mentions if m.value and m.granularity == "day" and "+year" in m.method]
    return max(full) if full else None


def event_date(
    text: str,
    mentions: list[DateMention],
    title_mentions: list[DateMention],
    anchor: date | None,
    anchor_note: str,
) -> tuple[date | None, str]:
    """The day the article reports, with the evidence for it."""
    scores: dict[date, float] = defaultdict(float)
    first: dict[date, DateMention] = {}
    lead_end = _lead_end(text)
    days = [m.start for m in mentions if m.granularity == "day"]
    weighted = [(m, 3.0) for m in title_mentions] + [
        (m, _weight(text, m, lead_end, days)) for m in mentions
    ]
    for m, weight in weighted:
        if m.value is None or m.granularity != "day":
            continue
        if anchor and not (_WINDOW[0] <= m.value - anchor <= _WINDOW[1]):
            continue
        scores[m.value] += weight
        first.setdefault(m.value, m)
    for m, weight in weighted:
        # "later this month" in the lead supports the days it contains
        if m.value is not None and m.granularity in ("week", "month") and weight >= 2:
            for day in scores:
                if _within(day, m.value, m.granularity):
                    scores[day] += weight / 2
    if scores:
        best = max(scores, key=lambda d: (scores[d], -first[d].start))
        m = first[best]
        others = sum(1 for x in mentions if x.value == best) - 1
        more = f" and {others} more mention(s)" if others > 0 else ""
        return best, f"'{m.text}'{more} ({m.relation or 'undated'}), {anchor_note}"
    if anchor is not None and anchor_note.startswith("resolved against the publication"):
        return anchor, "the publication day: the text names no day"
    return None, "no day named in the text, and no reliable publication date"


def _statement_is_news(text: str, end: int, days: list[int]) -> bool:
    """Whether a speech date opens what was said, which names no day of its own ("Boehner
    said on Monday that Republicans could lose the House"): the statement is the news."""
    match = re.match(r"[^.;:\n]{0,25}?\bthat\b", text[end:])
    if match is None:
        return False
    stop = re.search(r"[.;!?\n]", text[end:])
    sentence_end = end + stop.start() if stop else len(text)
    return not any(end < start < sentence_end for start in days)


def _quoted(text: str, pos: int, para_start: int) -> bool:
    """Whether a position lies inside a direct quote of its paragraph."""
    before = text[para_start:pos]
    if before.count("“") > before.count("”"):
        return True
    line_end = text.find("\n", pos)
    rest = text[pos : line_end if line_end >= 0 else len(text)]
    return before.count('"') % 2 == 1 and '"' in rest


def _within(day: date, start: date, granularity: str) -> bool:
    if granularity == "week":
        return start <= day < start + timedelta(days=7)
    return (day.year, day.month) == (start.year, start.month)


def _lead_end(text: str) -> int:
    """End of the lead: the first two paragraphs, or 400 characters."""
    paragraphs = text.split("\n\n")
    return min(len("\n\n".join(paragraphs[:2])), max(400, len(paragraphs[0])))


def _weight(text: str, m: DateMention, lead_end: int, days: list[int]) -> float:
    para_start = text.rfind("\n\n", 0, m.start) + 1
    para_end = text.find("\n\n", m.end)
    paragraph = text[para_start : para_end if para_end >= 0 else len(text)]
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    before = text[max(para_start, m.start - 60) : m.start]
    lead = m.start < lead_end
    weight = 2.0 if lead else 1.0
    if _STAMP.search(before) or len(line.strip(" *_|")) <= len(m.text) + 12:
        return 0.05  # a publication stamp or dateline, not what happened
    if "©" in paragraph or re.search(r"\((?:archive )?(?:image|photo|picture)\)", paragraph):
        weight *= 0.2  # a photo caption dates the photo, not the story
    if re.search(rf"\b(?:{SPEECH_VERBS})\b[^.]{{0,30}}$", before, re.I) and not (
        lead and _statement_is_news(text, m.end, days)
    ):
        weight *= 0.3  # "said on Wednesday": when it was said
    if m.method.endswith("@future") and not lead:
        weight *= 0.5  # announced for later, outside the lead: a side note
    if _quoted(text, m.start, para_start):
        weight *= 0.5  # a day in someone's words: what they expect or recall
    return weight


def agrees(
    candidate: date, mentions: list[DateMention], year: int | None = None
) -> tuple[float, list[str]]:
    """How well an article's own date words fit a candidate event day (< 0: they clash).

    ``year`` is the year the text's durations imply, if any.
    """
    from storyline.understand.dates import MONTHS, WEEKDAYS, WEEKDAYS_DE, resolve

    if year is not None and year != candidate.year:
        return -1.0, [f"the text's durations place it in {year}"]
    support, notes = (1.0, [f"its durations place it in {year}"]) if year else (0.0, [])
    for m in mentions:
        words = m.text.lower()
        wd = next(
            (
                WEEKDAYS.get(w, WEEKDAYS_DE.get(w))
                for w in re.findall(r"\w+", words)
                if w in WEEKDAYS or w in WEEKDAYS_DE
            ),
            None,
        )
        if wd is not None and not re.search(r"\d", words):
            if wd != candidate.weekday() and not m.method.endswith("@future"):
                return -1.0, [f"'{m.text}' is not a {candidate:%A}"]
            if wd == candidate.weekday():
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
            if not m.method.endswith("@future"):
                return -1.0, [f"'{m.text}' is after {candidate}"]
        elif resolved.granularity == "month" and any(k in words for k in MONTHS):
            gap = (candidate - resolved.value).days
            if 0 <= gap <= 92:
                support, notes = support + 0.5, [*notes, f"'{m.text}' shortly before"]
    return support, notes
