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
        return _dateparser(text)


@lru_cache(maxsize=4096)
def _dateparser(text: str) -> datetime | None:
    import dateparser

    parsed = dateparser.parse(
        text,
        settings={"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC", "STRICT_PARSING": True},
    )
    return parsed


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
