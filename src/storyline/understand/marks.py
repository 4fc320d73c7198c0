"""Quotation marks: which open, which close, and the quoted spans they make.

Curly marks say which way they face (“ ” „ « »), and so do the PTB-style marks of
tokenised corpora (`` and ''). A straight mark (") does not: it opens when it stands
before a word and closes when it stands after one. Tokenised text spaces it on both
sides ("building . " "It then"); there it closes a quote that is open and opens one
otherwise. Right after a comma it closes an open quote wherever its space is ("the
area, "Captain Nambiar said"). An opening mark inside an open quote begins the next
quote of a speaker whose paragraph ended without a closing mark, and a quote still open
at the end of its line ends there. Straight marks inside a curly quote are a quote
within the quote and are skipped, unless the first one follows the quote's last
punctuation (“... a black man," Holder said), which closes it; a straight quote may
close with a curly mark ("It spread ... scene, ” he said). Single quotes are left out:
’ is far more often an apostrophe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARK = re.compile(r"``|''|[\"“”„«»]")
_OPENS = frozenset({"“", "„", "«", "``"})
_CLOSES = frozenset({"”", "»", "''"})
_BEFORE_OPENING = "([{—–-"
_AFTER_CLOSING = ".,;:!?)]}—–-"


@dataclass(frozen=True, slots=True)
class Quoted:
    """Words in quotation marks: from the opening mark to after the closing one, and
    the words between the marks."""

    start: int
    end: int
    body_start: int
    body_end: int
    body: str


def quoted(text: str) -> list[Quoted]:
    """Every span in double quotation marks, in text order; none crosses a line break."""
    found: list[Quoted] = []
    offset = 0
    for line in text.split("\n"):
        found += _in_line(line, offset)
        offset += len(line) + 1
    return found


def _in_line(line: str, offset: int) -> list[Quoted]:
    found: list[Quoted] = []
    opened: re.Match[str] | None = None
    nested = 0  # straight marks inside the open curly quote
    for mark in _MARK.finditer(line):
        char = mark.group()
        if char == '"' and opened is not None and opened.group() != '"':
            if nested % 2 == 0 and _closes_curly(line, mark):
                found.append(_span(line, offset, opened, mark.start(), mark.end()))
                opened, nested = None, 0
            else:
                nested += 1  # a quote within a curly quote
            continue
        nested = 0
        if _opening(line, mark, opened):
            if opened is not None:  # the last quote was left open: it ends here
                found.append(_span(line, offset, opened, mark.start(), mark.start()))
            opened = mark
        elif opened is not None:
            found.append(_span(line, offset, opened, mark.start(), mark.end()))
            opened = None
    if opened is not None:
        end = len(line.rstrip())
        found.append(_span(line, offset, opened, end, end))
    return [q for q in found if q.body]


def _closes_curly(line: str, mark: re.Match[str]) -> bool:
    """Whether a straight mark closes a curly quote (“I am ... a black man," Holder
    said): it follows the quote's last punctuation and a space or the line end follows."""
    i = mark.start()
    after = line[i + 1] if i + 1 < len(line) else " "
    return i > 0 and line[i - 1] in ",.!?" and after.isspace()


def _opening(line: str, mark: re.Match[str], opened: re.Match[str] | None) -> bool:
    char = mark.group()
    if char == "“":
        return opened is None or opened.group() != "„"  # „...“ closes with “
    if char in _OPENS or char in _CLOSES:
        return char in _OPENS
    i = mark.start()
    before = line[i - 1] if i else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    opening_side = before.isspace() or before in _BEFORE_OPENING
    closing_side = after.isspace() or after in _AFTER_CLOSING
    if opened is not None and line[:i].rstrip().endswith(","):
        return False  # 'the area, "Captain Nambiar said': a closing mark typed apart
    if opening_side != closing_side:
        return opening_side
    return opened is None


def _span(line: str, offset: int, opened: re.Match[str], body_end: int, end: int) -> Quoted:
    raw = line[opened.end() : body_end]
    body_start = opened.end() + len(raw) - len(raw.lstrip())
    body = raw.strip()
    return Quoted(
        offset + opened.start(),
        offset + end,
        offset + body_start,
        offset + body_start + len(body),
        body,
    )
