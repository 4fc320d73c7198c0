"""Dates mentioned in an article, resolved against its publication date.

Rules resolve what news writes most ("on Friday", "August 5", "later this month",
"next week", "yesterday", "am Freitag"); dateparser handles the rest. A weekday or a
day without a year is placed before publication when the sentence reports the past and
after it when it announces something ("will meet ... on August 5"); a date attached to a
speech verb ("said on Wednesday") is when something was said, which is always past.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from storyline.model import DateGranularity, DateMention, DateRelation

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9})
WEEKDAYS = {
    d: i
    for i, d in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
WEEKDAYS_DE = {
    d: i
    for i, d in enumerate(
        ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"]
    )
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
NUMBER_WORDS = {  # also read by when.py
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
SPEECH_VERBS = (
    "said|says|say|told|tells|added|stated|announced|declared|explained|noted|warned|"
    "insisted|claimed|confirmed|denied|replied|answered|wrote|reported|stressed|argued"
)
_SPEECH_BEFORE = re.compile(rf"\b(?:{SPEECH_VERBS})\b(?:\s+[\w.,'’-]+){{0,4}}\s*$", re.I)
_FUTURE = re.compile(
    r"\b(?:will|shall|'ll|is to|are to|is due|are due|expected to|plans? to|planned|"
    r"scheduled|upcoming|is set to|are set to|going to|would|ahead of|preview|to air|"
    r"(?:is|are|was|were) (?:expected|due|planned|slated)|"
    r"to be (?:shown|held|broadcast|signed|published|released))\b",
    re.I,
)
# The present progressive of an arrangement ("nobody is going back on Monday", "they are
# meeting on Friday"): verbs of coming, going and holding, not "police are investigating".
_ARRANGED = re.compile(
    r"\b(?:is|are|am|'s|'re|’s|’re)\s+(?:not\s+|also\s+|now\s+)?(?:going|coming|leaving|"
    r"returning|meeting|flying|travel(?:l)?ing|visiting|heading|arriving|starting|resuming|"
    r"reopening|holding|hosting)\b(?:\s+[\w'’-]+){0,3}\s+$",
    re.I,
)
# A clause opened after the future word: "will receive ..., according to details the union
# gave on Sunday" dates the giving, not the receiving.
_NEW_CLAUSE = re.compile(r"\b(?:according to|after|since|because|when|which|who|whom)\b", re.I)
_HEADLINE_FUTURE = re.compile(r"\bto (?!the\b|a\b|an\b|be\b|date\b)[a-z]+\b")
# Anything else that reads as a date: German weekdays and numeric forms NER misses.
EXTRA_DATES = re.compile(
    r"\b(?:am\s+(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved expression: the first day of the period, its size and the rule used."""

    value: date
    granularity: DateGranularity
    method: str
    explicit_year: bool = False


def relation(value: date, granularity: str, anchor: date | None) -> DateRelation | None:
    """Whether a period lies before, at or after the anchor (publication) day."""
    if anchor is None:
        return None
    if granularity == "day":
        a, b = value, anchor
    elif granularity == "week":
        a, b = value, anchor - timedelta(days=anchor.weekday())
    elif granularity == "month":
        a, b = value.replace(day=1), anchor.replace(day=1)
    else:
        a, b = value.replace(month=1, day=1), anchor.replace(month=1, day=1)
    return "past" if a < b else "future" if a > b else "present"


def is_future(sentence_before: str, headline: bool = False) -> bool:
    """Whether the words before a date (in its sentence) announce something rather than
    report it; a headline announces with a bare infinitive ("Leaders to meet on Friday")."""
    if _SPEECH_BEFORE.search(sentence_before):
        return False
    if headline and _HEADLINE_FUTURE.search(sentence_before):
        return True
    if _ARRANGED.search(sentence_before):
        return True
    markers = list(_FUTURE.finditer(sentence_before))
    return bool(markers) and not _NEW_CLAUSE.search(sentence_before, markers[-1].end())


def resolve(text: str, anchor: date | None, future: bool) -> Resolved | None:
    """Resolve a date expression against an anchor day; None when it names no date."""
    t = re.sub(r"\s+", " ", text.lower().strip(" .,")).replace("’", "'")
    t = re.sub(r"^(?:on|in|at|by|since|from|until|of|the|this past|during)\s+", "", t)
    absolute = _absolute(t, anchor, future)
    if absolute or anchor is None:
        return absolute
    found = _relative(t, anchor, future) or _fallback(t, anchor, future)
    if found is None and (inner := _INNER_DAY.search(t)):
        found = _relative(inner.group().strip(), anchor, future)  # "around 2:15 Saturday morning"
    return found


_INNER_DAY = re.compile(
    rf"\b(?:(?:last|next|this|early|late) )?(?:{_WEEKDAY}|today|tonight|yesterday|"
    r"tomorrow)\b"
)


def _absolute(t: str, anchor: date | None, future: bool) -> Resolved | None:
    """Expressions that carry their own month or year: they need an anchor only for a year."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[t ].*)?", t):
        return _day(int(m[1]), int(m[2]), int(m[3]), "iso", True)
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t):
        return _numeric(int(m[1]), int(m[2]), int(m[3]), anchor)
    day_month = re.search(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? ({_MONTH})(?:,? (\d{{4}}))?\b", t
    )
    month_day = re.search(rf"\b({_MONTH}) (\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (\d{{4}}))?", t)
    if day_month or month_day:
        if day_month:
            day, month, year = int(day_month[1]), _month(day_month[2]), day_month[3]
        else:
            assert month_day is not None
            day, month, year = int(month_day[2]), _month(month_day[1]), month_day[3]
        if month is None:
            return None
        if year:
            return _day(int(year), month, day, "explicit", True)
        return _yearless(month, day, anchor, future)
    if m := re.search(rf"\b({_MONTH}),? (\d{{4}})\b", t):
        month = _month(m[1])
        return Resolved(date(int(m[2]), month, 1), "month", "explicit", True) if month else None
    if m := re.fullmatch(r"(?:the )?(?:year )?((?:19|20)\d{2})", t):
        return Resolved(date(int(m[1]), 1, 1), "year", "explicit", True)
    return None


def _relative(t: str, anchor: date, future: bool) -> Resolved | None:
    """Words that need the publication day: weekdays, today, next week, later this month."""
    offsets = {
        "today": 0,
        "tonight": 0,
        "this morning": 0,
        "this afternoon": 0,
        "this evening": 0,
        "yesterday": -1,
        "last night": -1,
        "tomorrow": 1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
    }
    for phrase, offset in offsets.items():
        if re.fullmatch(rf"(?:early |late )?{phrase}(?: morning| afternoon| evening| night)?", t):
            return Resolved(anchor + timedelta(days=offset), "day", "relative")
    if m := re.fullmatch(
        rf"(?:(last|next|this|early|late|early on|late on) )?({_WEEKDAY}|"
        rf"am \w+)(?:'s)?(?: (?:morning|afternoon|evening|night))?",
        t,
    ):
        name = m[2].removeprefix("am ")
        weekday = WEEKDAYS.get(name, WEEKDAYS_DE.get(name))
        if weekday is None:
            return None
        return Resolved(_weekday(anchor, weekday, m[1], future), "day", "weekday")
    if m := re.fullmatch(r"(?:(earlier|later) )?(this|next|last|past) (week|month|year)", t):
        return _period(anchor, m[3], {"next": 1, "last": -1, "past": -1}.get(m[2], 0))
    if m := re.fullmatch(
        r"(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten) "
        r"(day|week|month|year)s? (ago|later|from now)",
        t,
    ):
        n = int(m[1]) if m[1].isdigit() else NUMBER_WORDS[m[1]]
        return _shift(anchor, n if m[3] != "ago" else -n, m[2])
    if m := re.fullmatch(rf"(last|next|this) ({_MONTH})", t):
        month = _month(m[2])
        if month is None:
            return None
        year = anchor.year  # "this June"; "last June" is the latest before this month
        if m[1] == "last":
            year -= 1 if month >= anchor.month else 0
        elif m[1] == "next":
            year += 1 if month <= anchor.month else 0
        return Resolved(date(year, month, 1), "month", "month")
    if m := re.fullmatch(
        rf"(?:(?:early|mid|late|(?:the )?(?:end|beginning|start|middle) of)[- ])?"
        rf"({_MONTH})",
        t,
    ):
        month = _month(m[1])
        if month is None:
            return None
        year = anchor.year + (1 if future and month < anchor.month else 0)
        year -= 1 if not future and month > anchor.month else 0
        return Resolved(date(year, month, 1), "month", "month")
    return None


def _fallback(t: str, anchor: date, future: bool) -> Resolved | None:
    """dateparser, only for expressions with a month name or a four-digit year."""
    if not re.search(rf"\b(?:{_MONTH}|(?:19|20)\d\d)\b", t):
        return None
    parsed = _dateparser(t, anchor.isoformat(), future)
    if parsed is None:
        return None
    granularity: DateGranularity = (
        "day" if re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", t) else "month"
    )
    value = parsed if granularity == "day" else parsed.replace(day=1)
    return Resolved(value, granularity, "dateparser", bool(re.search(r"\b(?:19|20)\d\d\b", t)))


@lru_cache(maxsize=8192)
def _dateparser(text: str, anchor: str, future: bool) -> date | None:
    from datetime import datetime

    import dateparser

    base = datetime.fromisoformat(anchor)
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "future" if future else "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text, languages=["en", "de"], settings=settings)
    return parsed.date() if parsed else None


def _month(word: str) -> int | None:
    return MONTHS.get(word.rstrip(".")[:3] if word.rstrip(".") not in MONTHS else word.rstrip("."))


def _day(year: int, month: int, day: int, method: str, explicit: bool) -> Resolved | None:
    try:
        return Resolved(date(year, month, day), "day", method, explicit)
    except ValueError:
        return None


def _numeric(a: int, b: int, year: int, anchor: date | None) -> Resolved | None:
    """d/m/yyyy or m/d/yyyy: the reading that exists, else the one nearer the anchor."""
    options = [
        r for r in (_day(year, b, a, "numeric", True), _day(year, a, b, "numeric", True)) if r
    ]
    if not options:
        return None
    if anchor is None or len(options) == 1:
        return options[0]
    return min(options, key=lambda r: abs((r.value - anchor).days))


def _yearless(month: int, day: int, anchor: date | None, future: bool) -> Resolved | None:
    """A day without a year: the year that puts it on the right side of the anchor."""
    if anchor is None:
        return None
    options = [
        r
        for y in (anchor.year - 1, anchor.year, anchor.year + 1)
        if (r := _day(y, month, day, "month-day", False))
    ]
    if future:
        ahead = [r for r in options if r.value >= anchor - timedelta(days=2)]
        return min(ahead, key=lambda r: r.value) if ahead else None
    behind = [r for r in options if r.value <= anchor + timedelta(days=2)]
    return max(behind, key=lambda r: r.value) if behind else None


def _weekday(anchor: date, weekday: int, modifier: str | None, future: bool) -> date:
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if modifier == "last":
        return anchor - timedelta(days=back or 7)
    if modifier == "next":
        return anchor + timedelta(days=ahead or 7)
    return anchor + timedelta(days=ahead) if future else anchor - timedelta(days=back)


def _period(anchor: date, unit: str, shift: int) -> Resolved:
    if unit == "week":
        start = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=shift)
        return Resolved(start, "week", "relative")
    if unit == "month":
        index = anchor.year * 12 + anchor.month - 1 + shift
        return Resolved(date(index // 12, index % 12 + 1, 1), "month", "relative")
    return Resolved(date(anchor.year + shift, 1, 1), "year", "relative")


def _shift(anchor: date, n: int, unit: str) -> Resolved:
    if unit == "day":
        return Resolved(anchor + timedelta(days=n), "day", "relative")
    if unit == "week":
        return Resolved(anchor + timedelta(weeks=n), "week", "relative")
    return _period(anchor, unit, n)


def mentions_in(
    text: str,
    spans: list[tuple[int, int]],
    anchor: date | None,
    sentences: list[tuple[int, int]],
    headline_end: int = 0,
) -> list[DateMention]:
    """Resolve date spans of a text (NER DATE spans plus the extra patterns).

    Text before ``headline_end`` is a headline. A mention announced as future gets
    "@future" appended to its method.
    """
    found = sorted(set(spans) | {(m.start(), m.end()) for m in EXTRA_DATES.finditer(text)})
    out = []
    for start, end in found:
        s_start, _s_end = next(((a, b) for a, b in sentences if a <= start < b), (0, len(text)))
        future = is_future(text[s_start:start], headline=start < headline_end)
        resolved = resolve(text[start:end], anchor, future)
        if resolved is None and not _undated_form(text[start:end]):
            continue
        value = resolved.value if resolved else None
        out.append(
            DateMention(
                text[start:end],
                start,
                end,
                value,
                resolved.granularity if resolved else "day",
                relation(value, resolved.granularity, anchor) if resolved and value else None,
                (
                    resolved.method
                    + ("+year" if resolved.explicit_year else "")
                    + ("@future" if future else "")
                )
                if resolved
                else "unresolved" + ("@future" if future else ""),
            )
        )
    return out


def _undated_form(text: str) -> bool:
    """Weekdays and yearless days in an undated article: kept, for later anchoring."""
    t = text.lower()
    return bool(re.search(rf"\b(?:{_WEEKDAY}|{_MONTH}|today|yesterday|tomorrow|am \w+tag)\b", t))
