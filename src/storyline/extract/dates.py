"""Parse publication dates from metadata values and from header lines of plain text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# A date somewhere in a short line: ISO, "3 March 2024", "March 3, 2024", "03.03.2024".
DATE_IN_LINE = re.compile(
    rf"(\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:[T ]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"
    rf"|\d{{1,2}}\.?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})",
    re.I,
)
# A date inside a metadata value: the line forms, "18th September 2013", "2012.08.08",
# and m/d/yyyy, d/m/yyyy or m/d/yy.
_DATE_IN_FIELD = re.compile(
    rf"{DATE_IN_LINE.pattern}|\d{{1,2}}(?:st|nd|rd|th)\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"
    r"|\d{4}\.\d{1,2}\.\d{1,2}\b|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b",
    re.I,
)
# Tokenised text spaces out the punctuation of times and dates: "7 : 38pm", "6 / 6 / 2013",
# "2013 - 09 - 26".
_SPACED = re.compile(r"(?<=\d)\s+([:/-])\s+(?=\d)")
# Words that may surround the date on a header line ("date", "Home page politics").
_HEADER_WORD = re.compile(
    rf"^(?:{_WEEKDAYS}|date|dated|published|updated|posted|on|at|home|page|news|"
    r"politics|world|business|economy|sport|sports|culture|opinion|local|section|"
    r"\d{1,2}:\d{2}(?:\s*[ap]m)?|[ap]m|utc|gmt|cet|cest|edt|est)$",
    re.I,
)


def as_utc(value: datetime) -> datetime:
    """A timezone-aware datetime; naive values are taken as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def parse_date(value: object) -> datetime | None:
    """Parse a metadata date value (ISO string, datetime, date or free text)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, int | float):
        return None
    text = str(value).strip()
    try:
        return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return _free_text_date(text)


def _free_text_date(text: str) -> datetime | None:
    """A date in a free-text value: the whole value when it is one date (with its time),
    else the first date in it ("Published : March 13, 2013 ... Updated : March 14, 2013",
    "21 July 2013 Last updated at 11 : 11 GMT", "Friday, June 7, 2013 She was 91.").

    The day is the one written: a stated time zone is kept, not converted to UTC, so
    "June 6, 2013 11:38pm EDT" stays on 6 June.
    """
    text = _SPACED.sub(r"\1", " ".join(text.split()))
    found = [m.group() for m in _DATE_IN_FIELD.finditer(text)]
    whole = _dateparser(text) if len(found) <= 1 else None
    if whole is None and found:
        whole = _dateparser(found[0])
    return as_utc(whole) if whole is not None else None


@lru_cache(maxsize=4096)
def _dateparser(text: str) -> datetime | None:
    import dateparser

    return dateparser.parse(text, settings={"STRICT_PARSING": True})


def header_date(line: str) -> datetime | None:
    """The date of a header line such as ``| 3 March 2024, Sunday |``, else None.

    A header line is short and holds nothing but a date and a few section words.
    """
    stripped = line.strip().strip("|").strip()
    if not stripped or len(stripped) > 80:
        return None
    match = DATE_IN_LINE.search(stripped)
    if not match:
        return None
    rest = (stripped[: match.start()] + " " + stripped[match.end() :]).replace(",", " ")
    words = rest.replace("|", " ").split()
    if len(words) > 6 or rest.rstrip().endswith((".", "!", "?", ":")):
        return None
    # Known header words anywhere; otherwise at most a short section trail ("Home page
    # money") after a line that starts with the date or a date keyword.
    unknown = [w for w in words if not _HEADER_WORD.match(w)]
    starts = match.start() == 0 or _HEADER_WORD.match(stripped.split()[0])
    if unknown and (not starts or len(unknown) > 3 or not all(w.isalpha() for w in unknown)):
        return None
    return parse_date(match.group(1))
