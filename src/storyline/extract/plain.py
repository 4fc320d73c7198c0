"""Split a plain-text or Markdown article into header date, title and body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from storyline.extract.clean import boilerplate_kind
from storyline.extract.dates import DATE_IN_LINE, header_date, parse_date

_MAX_HEADER_LINES = 3
_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 30
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’]?\s+[A-Z\"“‘]")
# A full stop after these ends no sentence: titles, ranks, months, company forms, US
# state forms of AP style. Written out here rather than taken from a sentence splitter:
# none of the dependencies has one short of spaCy, which only the understand stage loads.
_ABBREVIATIONS = frozenset((
    "Mr", "Mrs", "Ms", "Messrs", "Mme", "Dr", "Prof", "Rep", "Reps", "Sen", "Sens", "Gov",
    "Govs", "Lt", "Gen", "Col", "Capt", "Cmdr", "Sgt", "Cpl", "Maj", "Adm", "Det", "Atty",
    "Supt", "Insp", "Rev", "Fr", "Hon", "Pres", "St", "Ste", "Mt", "Ft", "Jr", "Sr", "Jan",
    "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Inc",
    "Corp", "Co", "Ltd", "Bros", "Ave", "Blvd", "Rd", "Dept", "Univ", "vs", "Nr", "Calif",
    "Fla", "Ala", "Ariz", "Ark", "Colo", "Conn", "Del", "Ga", "Ill", "Ind", "Kan", "Ky", "La",
    "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa",
    "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wyo",
))  # fmt: skip
# An initial ("R" of "Raúl R. Labrador") or an acronym's last letter ("U.S", "D.C").
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")
_SEPARATOR = re.compile(r"^[\s|=*_#~-]*$")
_BYLINE = re.compile(r"^(?:posted|published|updated|first published|by)\b", re.I)
_AUTHOR = re.compile(r"\bby\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})")
# "by Nell Arden · Harbour Notes", "By Ana Paz | The Coast Post": the outlet after the name
_OUTLET = re.compile(r"^\s*[·|•–—]\s*((?:The\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4})\s*$")


@dataclass(frozen=True, slots=True)
class PlainParts:
    """What the head of a plain-text article held."""

    title: str | None
    body: str
    date: datetime | None
    header: tuple[str, ...]
    author: str | None = None
    outlet: str | None = None


def split_plain(text: str, markdown: bool = False) -> PlainParts:
    """Take header date lines and a title line off the top of a plain-text article."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index, found = 0, None
    header: list[str] = []
    while index < len(lines) and len(header) < _MAX_HEADER_LINES:
        line = lines[index]
        if _SEPARATOR.match(line):
            index += 1
            continue
        when = header_date(line)
        if when is None:
            break
        found = found or when
        header.append(line.strip())
        index += 1
    while index < len(lines) and _SEPARATOR.match(lines[index]) and not lines[index].strip("#"):
        index += 1
    rest = lines[index:]
    title = _title_line(rest[0], markdown) if rest else None
    body = "\n".join(rest[1:] if title is not None and len(rest) > 1 else rest)
    if title is not None and not body.strip():
        title, body = None, "\n".join(rest)
    body, byline = _take_byline(body)
    if byline is not None:
        header.append(byline[0])
        found = found or byline[1]
    author, outlet = byline[2] if byline else (None, None)
    return PlainParts(title, body, found, tuple(header), author, outlet)


def _take_byline(
    body: str,
) -> tuple[str, tuple[str, datetime, tuple[str | None, str | None]] | None]:
    """Take a dated byline ("Posted on 15 March 2025 by Nell Arden") off the body's top."""
    lines = body.split("\n")
    for index, line in enumerate(lines[:4]):
        stripped = line.strip().strip("*_ ")
        if not stripped:
            continue
        match = _BYLINE.match(stripped)
        when = DATE_IN_LINE.search(stripped) if match and len(stripped) < 160 else None
        parsed = parse_date(when.group(1)) if when else None
        if parsed is None:
            return body, None
        author = _AUTHOR.search(stripped[when.end() :]) if when else None
        outlet = _OUTLET.match(stripped[when.end() + author.end() :]) if when and author else None
        rest = "\n".join(lines[:index] + lines[index + 1 :])
        found = (author.group(1) if author else None, outlet.group(1) if outlet else None)
        return rest, (line.strip(), parsed, found)
    return body, None


def _title_line(line: str, markdown: bool) -> str | None:
    candidate = line.strip()
    if markdown:
        candidate = candidate.lstrip("#").strip()
    if not candidate or len(candidate) > _MAX_TITLE_CHARS or boilerplate_kind(candidate):
        return None
    if len(candidate.split()) > _MAX_TITLE_WORDS or sentence_end(candidate) is not None:
        return None
    return candidate


def sentence_end(text: str) -> int | None:
    """Where the first sentence of ``text`` ends (just after its ``.``, ``!`` or ``?``).

    None when the text is one sentence. A full stop after an initial ("Raúl R. Labrador"),
    an acronym ("the U.S. Senate") or a common abbreviation ("Rep.", "Jan.") ends none.
    """
    for match in _SENTENCE_BREAK.finditer(text):
        stop = match.start()
        if text[stop] == "." and _abbreviation(text[:stop]):
            continue
        return stop + 1
    return None


def _abbreviation(before: str) -> bool:
    """True when the word that ``before`` ends with is an initial or an abbreviation."""
    words = before.split()
    word = words[-1].lstrip("(\"“‘'") if words else ""
    return word in _ABBREVIATIONS or _INITIALS.fullmatch(word) is not None


def first_sentence(text: str, limit: int = 120) -> str:
    """A stand-in title for an article without one: its first sentence, shortened."""
    paragraph = text.strip().split("\n", 1)[0]
    end = sentence_end(paragraph)
    sentence = paragraph[:end] if end is not None else paragraph
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + "…"
