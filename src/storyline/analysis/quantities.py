"""Numbers a sentence states, normalised so that two sources' figures can be compared.

"four agreements", "2,100 strikers", "half a point", "4.75%", "about three hours", "up to
18 aircraft", "$5.1 billion", "12 to 18": each becomes a ``Quantity`` with a value, the
noun it counts (singular), a kind (percent, money, duration, count) and the interval
the wording allows, so "about 20" and "23" disagree while "up to 18" and "12 to 18" do
not. Years, clock times, days of a month and model codes ("SR-4", "TB2") are not
quantities.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from storyline.model import Quantity, QuantityKind


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SMALL = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = _words("twenty thirty forty fifty sixty seventy eighty ninety")
WORD_VALUES: dict[str, float] = {w: float(i) for i, w in enumerate(_SMALL)}
WORD_VALUES.update({w: float(20 + 10 * i) for i, w in enumerate(_TENS)})
WORD_VALUES.update({"dozen": 12.0, "half": 0.5, "quarter": 0.25, "hundred": 100.0})
SCALES = dict(thousand=1e3, million=1e6, m=1e6, mn=1e6, billion=1e9, bn=1e9, trillion=1e12, k=1e3)
MONTHS = frozenset(
    _words(
        "january february march april may june july august september october november december "
        "jan feb mar apr jun jul aug sep sept oct nov dec"
    )
)
CURRENCY_SIGNS = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}
MONEY = frozenset(_words("dollar euro pound yen crown mark franc rouble ruble lira rupee yuan"))
DURATION_HOURS = dict(
    second=1 / 3600, minute=1 / 60, hour=1.0, day=24.0, week=168.0, month=730.0, year=8760.0
)
# Generic news vocabulary for the same count under different words.
SYNONYMS = {
    **dict.fromkeys(_words("dead killed died fatality life"), "death"),
    **dict.fromkeys(_words("injured hurt wounded"), "injury"),
    **dict.fromkeys(_words("percent per pct"), "%"),
    "percentage": "point",
    **dict.fromkeys(_words("memorandum accord deal"), "agreement"),
    **dict.fromkeys(_words("plane drone"), "aircraft"),
    **dict.fromkeys(_words("docker dockworker striker employee"), "worker"),
}
_APPROX = set(
    _words("about around approximately roughly some barely nearly almost close estimated just")
)
_BELOW = {"almost", "nearly", "just under"}
_UPPER = {"up to", "under", "fewer than", "less than", "below", "at most", "no more than"}
_LOWER = {"more than", "over", "at least", "above", "upwards of", "in excess of"}
_SKIP_UNIT = frozenset(
    _words("a an the of more than other new additional extra further some such per cent")
)
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(
    sorted(
        [*WORD_VALUES, *(f"{t}-{s}" for t in _TENS for s in _SMALL[1:10])], key=len, reverse=True
    )
)
_QUALIFIER = (
    r"(?:(?P<qual>up to|fewer than|less than|more than|at least|at most|no more than|"
    r"upwards of|in excess of|just under|about|around|approximately|roughly|some|barely|"
    r"nearly|almost|over|under|below|above)\s+)?"
)
_PATTERN = re.compile(
    r"(?<![\w.,-])" + _QUALIFIER + r"(?P<sign>[$€£¥])?"
    rf"(?P<a>{_NUM}|(?:an?\s+)?(?:{_WORDNUM}))"
    rf"(?:\s*(?:to|-|–|and)\s*(?P<b>{_NUM}|{_WORDNUM}))?"
    r"(?P<pct>\s*(?:%|percent\b|per cent\b))?"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|mn|m|k)\b)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def quantities(text: str, start: int = 0) -> list[Quantity]:
    """Every quantity in ``text``; spans are shifted by ``start`` (the sentence's offset)."""
    return list(_scan(text, start))


def _scan(text: str, offset: int) -> Iterator[Quantity]:
    for m in _PATTERN.finditer(text):
        if _not_a_quantity(text, m):
            continue
        value = _value(m.group("a"))
        if value is None:
            continue
        scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
        upper = _value(m.group("b")) if m.group("b") else None
        if upper is not None and upper < value:
            continue  # "a 5-2 vote", "won 3-1": a score, not a range
        unit, kind, unit_end = _unit(text, m)
        if kind == "count" and not unit:
            continue  # a bare number says too little to compare
        low, high = _bounds(
            value * scale, None if upper is None else upper * scale, (m.group("qual") or "").lower()
        )
        factor = DURATION_HOURS.get(unit, 1.0) if kind == "duration" else 1.0
        yield Quantity(
            value=value * scale * factor,
            unit="hour" if kind == "duration" else unit,
            kind=kind,
            text=text[m.start() : unit_end].strip(),
            start=offset + m.start(),
            end=offset + unit_end,
            low=low * factor,
            high=high * factor,
            context=_context(text, m.start()),
        )


def _not_a_quantity(text: str, m: re.Match[str]) -> bool:
    """Years, clock times, days of a month, ordinals and model codes are not quantities."""
    a = m.group("a")
    if not m.group(0).strip() or (a.lower() in {"a", "an"}):
        return True
    before = text[max(0, m.start() - 12) : m.start()].lower().split()
    after = text[m.end() : m.end() + 12].lower()
    if re.fullmatch(r"1[89]\d\d|20\d\d", a) and not m.group("pct") and not m.group("sign"):
        return True
    if re.match(r"\s*(?:a\.m|p\.m|am\b|pm\b|o'clock|:\d)", after):
        return True
    next_word = after.split()[0].strip(",.") if after.split() else ""
    if a[0].isdigit() and (next_word in MONTHS or (before and before[-1].strip(",.") in MONTHS)):
        return True  # "March 14", "14 March": a date
    if a.lower() == "one":
        return True  # "one official said", "one of the": rarely a figure worth comparing
    if re.match(r"(?:st|nd|rd|th)\b", after) or (m.end() < len(text) and text[m.end()].isalpha()):
        return True
    return m.start() > 0 and text[m.start() - 1] in "-/#"


def _value(raw: str) -> float | None:
    words = raw.lower().replace("–", "-").split()
    token = words[-1] if words else ""
    if token in WORD_VALUES:
        return WORD_VALUES[token]
    if "-" in token and all(p in WORD_VALUES for p in token.split("-")):
        return sum(WORD_VALUES[p] for p in token.split("-"))
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


def _unit(text: str, m: re.Match[str]) -> tuple[str, QuantityKind, int]:
    """The noun counted (singular, synonyms folded), the kind, and where the noun ends.

    The noun is the last lower-case word of the short phrase after the number ("18
    Skylark SR-4 surveillance drones from" -> drones; "2,100 of its members" -> members);
    with none, a preceding "death toll" names it.
    """
    if m.group("pct"):
        return "%", "percent", m.end()
    if m.group("sign"):
        return CURRENCY_SIGNS[m.group("sign")], "money", m.end()
    found = _noun_after(
        text, m.end(), skip_articles=m.group("a").lower().endswith(("half", "quarter"))
    )
    if found is None:
        if "toll" in text[max(0, m.start() - 40) : m.start()].lower():
            return "death", "count", m.end()
        return "", "count", m.end()
    word, end = found
    unit = SYNONYMS.get(singular(word), singular(word))
    if unit in DURATION_HOURS:
        return unit, "duration", end
    if unit in MONEY:
        return unit, "money", end
    if unit in {"%", "point"}:
        return unit, "percent", end
    return unit, "count", end


def _noun_after(text: str, at: int, skip_articles: bool) -> tuple[str, int] | None:
    """(noun, end) of the phrase right after a number, or None."""
    rest = text[at:]
    lead = re.match(
        r"\s+(?:of\s+)?(?:an?|its|their|his|her|our|the)\s+"
        if skip_articles
        else r"\s+of\s+(?:its|their|his|her|our|the)\s+",
        rest,
    )
    offset = at + (lead.end() - 1 if lead else 0)
    best: tuple[str, int] | None = None
    for n, word in enumerate(_PHRASE_WORD.finditer(text, offset)):
        if n >= 4 or word.group(1):
            break  # punctuation, or too far
        token = word.group(2)
        lower = token.lower()
        if token[0].islower() and lower in _stop_words() and lower not in SYNONYMS:
            break
        if lower in _PHRASE_STOPS or (n > 0 and best is not None and lower.endswith(("ed", "ing"))):
            break  # "two leaders signed", "workers died": a verb after the noun
        if token[0].islower() or lower in MONEY:
            best = (lower, word.end())
    return best


_PHRASE_STOPS = frozenset({"per", "a", "an", "each", "every", "apiece"})
_PHRASE_WORD = re.compile(r"\s*([,;:.!?()“”\"—–])?\s*([A-Za-z][\w'’-]*)")


def _stop_words() -> frozenset[str]:
    from storyline.events.text import _stop_words as stop

    return stop()


def singular(word: str) -> str:
    """A plural English noun made singular by the common rules ("ships" -> "ship")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _bounds(value: float, upper: float | None, qualifier: str) -> tuple[float, float]:
    """The interval of values the wording allows."""
    if upper is not None and upper > value:
        return value, upper
    if qualifier in _UPPER:
        return 0.0, value
    if qualifier in _LOWER:
        return value, float("inf")
    if qualifier in _BELOW:
        return value * 0.85, value
    if qualifier in _APPROX:
        return value * 0.9, value * 1.1
    return value, value


def _context(text: str, start: int) -> str:
    """The content word just before the number ("signed" in "signed four agreements")."""
    words = [w.lower() for w in _WORD.findall(text[max(0, start - 40) : start])]
    words = [w for w in words if w not in _SKIP_UNIT and w not in _QUALIFIER_WORDS]
    return words[-1] if words else ""


_QUALIFIER_WORDS = frozenset(
    _words(
        "up to fewer less more than at least most no upwards in excess just under about around "
        "approximately roughly some barely nearly almost over below above have has had been"
    )
)


def compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities measure the same thing (so different values disagree)."""
    if a.kind != b.kind:
        return False
    if a.unit and a.unit == b.unit:
        return True
    return a.kind == "count" and bool(a.context) and a.context == b.context


def disagree(a: Quantity, b: Quantity) -> bool:
    """Whether two compatible quantities cannot both be right.

    Durations written in different units ("two months" / "eight weeks") are rounded
    conversions of each other within 10%.
    """
    if not compatible(a, b):
        return False
    rounding = 0.1 if a.kind == "duration" and _last_word(a) != _last_word(b) else 0.005
    if max(abs(a.value), abs(b.value)) >= 1000:
        rounding = max(rounding, 0.02)  # "$139 million" for 140.9 million, "$43,000" for 43,350
    slack = 1e-9 + rounding * max(abs(a.value), abs(b.value))
    if _round(a) or _round(b):
        slack = max(slack, _unit_of_last_digit(a), _unit_of_last_digit(b))
    return a.high + slack < b.low or b.high + slack < a.low


def _round(q: Quantity) -> bool:
    """A written figure ending in zeros or a scale word ("43,000", "$43 million")."""
    digits = re.sub(r"[^\d.]", "", q.text.split()[0] if q.text else "")
    return bool(re.search(r"0{2,}$", digits.split(".")[0])) or bool(
        re.search(r"\b(?:thousand|million|billion|trillion|bn|mn)\b", q.text, re.I)
    )


def _unit_of_last_digit(q: Quantity) -> float:
    """The value of one unit in the written figure's last significant digit."""
    if not _round(q):
        return 0.0
    scale = max(1.0, abs(q.value))
    written = re.sub(r"[^\d.]", "", q.text.split()[0] if q.text else "") or "1"
    significant = len(written.replace(".", "").rstrip("0").lstrip("0")) or 1
    return float(10 ** (len(str(int(scale))) - significant))


def _last_word(q: Quantity) -> str:
    return singular(q.text.rsplit(" ", 1)[-1].lower())
