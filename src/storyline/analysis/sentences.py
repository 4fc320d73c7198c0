"""Cut an article into the sentences a comparison works on, with their character spans.

The cuts are the copies stage's (``storyline.copies.text``), so a sentence lines up with
the reused passages copy detection found; on top of them a quotation that runs over a
full stop stays one sentence, a line break ends a sentence (headings and captions sit on
lines of their own), and a dateline ("BRISANY — ") is trimmed from the front. Every
sentence is ``text[start:end]`` of the article: nothing is rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.copies.text import sentences as copy_sentences

_DATELINE = re.compile(
    r"^(?:[A-Z][\w.'’]*(?:[ /][A-Z][\w.'’]*){0,3})(?:\s*\([A-Za-z ]{2,20}\))?\s+[—–-]\s+"
)
_CAPTION = re.compile(r"©|\((?:archive|file) (?:image|photo)\)|^(?:photo|picture|image)\b", re.I)
_NOT_A_CLAIM = re.compile(
    r"^(?:see also|read more|related|source|author|posted|updated|share|follow|subscribe|"
    r"advertisement|leave a reply|click|sign up)\b|^by(?: [A-Z][\w.'’-]*){1,4}\W*$",
    re.I,
)
_PROMO = re.compile(r"^\s*>|\b(?:subscribe|newsletter|sign up|click here|follow us)\b", re.I)
_END = re.compile(r"[.!…\"”’'»)]\s*$")
_WORD = re.compile(r"\w+")
MIN_WORDS = 5
MAX_WORDS = 80


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article: its index among all its sentences, span and text."""

    index: int
    start: int
    end: int
    text: str
    quoted: bool

    @property
    def words(self) -> int:
        """How many words it has."""
        return len(_WORD.findall(self.text))


def split(text: str) -> list[Sentence]:
    """Every sentence of ``text`` in order, indexed from 0 (the index is stable)."""
    spans = _merge_open_quotes(text, [(s.start, s.end) for s in copy_sentences(text)])
    out: list[Sentence] = []
    for start, end in (line for span in spans for line in _lines(text, span)):
        start = _trim_dateline(text, start, end)
        piece = text[start:end]
        out.append(Sentence(len(out), start, end, piece, _mostly_quoted(piece)))
    return out


def is_claim(sentence: Sentence) -> bool:
    """Whether a sentence can state a fact: not a heading, caption, question or credit."""
    text = sentence.text.strip()
    words = sentence.words
    if words < MIN_WORDS or words > MAX_WORDS:
        return False
    if _CAPTION.search(text) or _NOT_A_CLAIM.match(text) or _PROMO.search(text):
        return False
    if text.endswith("?") or text.endswith(":"):
        return False
    return bool(_END.search(text)) or words >= 12


def _lines(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """A span cut at its line breaks, each piece stripped of surrounding spaces."""
    start, end = span
    out = []
    position = start
    for line in text[start:end].split("\n"):
        a, b = position, position + len(line)
        position = b + 1
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _merge_open_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a sentence to the next while a quotation it opened is still open."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if (
            merged
            and _open_quote(text[merged[-1][0] : merged[-1][1]])
            and "\n" not in text[merged[-1][1] : start]
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _open_quote(piece: str) -> bool:
    if piece.count("“") > piece.count("”"):
        return True
    return piece.count('"') % 2 == 1


def _trim_dateline(text: str, start: int, end: int) -> int:
    found = _DATELINE.match(text[start:end])
    if found and (start == 0 or text[start - 1] == "\n"):
        return start + found.end()
    return start


def _mostly_quoted(piece: str) -> bool:
    """Whether most of the words are inside quotation marks (someone's words)."""
    inside = 0
    for match in re.finditer(r"“[^”]*”?|\"[^\"]*\"?", piece):
        inside += len(_WORD.findall(match.group(0)))
    total = len(_WORD.findall(piece))
    return total > 0 and inside / total > 0.6
