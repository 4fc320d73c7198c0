"""Split an article's text into sentences with character spans, word tokens and quotes.

Copy detection compares sentences, so both sides of a comparison must be cut the same
way; the splitter is a plain rule set (no NLTK data can be downloaded here) that errs
towards cutting less, since a missed cut only makes one compared unit longer.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]*)*")
# A sentence ends at . ! ? (and any closing quotes or brackets) followed by a space and
# something that can start a sentence.
# (Tokenised text, as in some corpora, puts spaces around quotes: ". ” Next", ". “ Next".)
_BOUNDARY = re.compile(r"(?<=[.!?])((?: ?[\"'”’»)\]])*)\s+(?=(?:[\"'“‘«(\[] ?)?[A-Z0-9À-Ý])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Cmdr|Adm|Rev|Hon|Jr|Sr|St|"
    r"Mt|Ft|No|Nos|Vol|Inc|Ltd|Co|Corp|Bros|vs|etc|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|"
    r"Sept|Oct|Nov|Dec|U\.S|U\.N|U\.K|E\.U|a\.m|p\.m)|\b[A-Z])\.[\"'”’»)\]]*$"
)
_WORD = re.compile(r"\w+")
_QUOTE_MARK = re.compile(r'["“”„«»]')
_OPEN_QUOTES = "“„«"
_CLOSE_QUOTES = "”»"
_CARRY = 2
_MIN_SHAPE_WORDS = 5
_OPENERS = "([{—–-\"“'"
_CLOSERS = ".,;:!?)]}—–-\"”'"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a text: where it is, and what it says in normalised words."""

    start: int
    end: int
    paragraph: int
    words: tuple[str, ...]
    unquoted: int  # words outside quotation marks: what a copier, not a speaker, wrote
    key: int  # hash of the normalised words: equal keys mean the same sentence

    @property
    def norm(self) -> str:
        """The sentence as normalised words separated by spaces."""
        return " ".join(self.words)


def words(text: str) -> list[str]:
    """Case-folded word tokens (NFKC), as ``normalize_text`` folds them."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [w for w in _WORD.findall(folded) if w != "_"]


def key_of(tokens: tuple[str, ...] | list[str]) -> int:
    """A stable 63-bit key for a sequence of normalised words."""
    raw = hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(raw, "little") >> 1


def shape_of(sentence: str) -> int:
    """The key of a sentence without its capitalised words and numbers, or 0 when too
    little is left: "Republished by Copy Outlet 3 under licence" and "... Outlet 4 ..."
    share it, as the sentences of a footer template do."""
    kept = [w.casefold() for w in _WORD.findall(sentence) if not (w[0].isupper() or w[0].isdigit())]
    return key_of(kept) if len(kept) >= _MIN_SHAPE_WORDS else 0


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs (blocks separated by blank lines)."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text`` with its span, words and quoted share."""
    found: list[Sentence] = []
    spans = paragraph_spans(text)
    quoted = _quoted_spans([text[a:b] for a, b in spans])
    for number, ((start, _end), inside) in enumerate(zip(spans, quoted, strict=True)):
        paragraph = text[start:_end]
        for s_start, s_end in _sentence_spans(paragraph):
            piece = paragraph[s_start:s_end]
            tokens = tuple(words(piece))
            if not tokens:
                continue
            unquoted = _unquoted(piece, s_start, inside, len(tokens))
            found.append(
                Sentence(start + s_start, start + s_end, number, tokens, unquoted, key_of(tokens))
            )
    return found


def _unquoted(piece: str, offset: int, inside: tuple[list[int], list[int]], total: int) -> int:
    """How many words of a sentence lie outside the paragraph's quoted spans."""
    starts, ends = inside
    end = offset + len(piece)
    first = bisect_right(ends, offset)  # the first quoted span that ends after the start
    if first == len(starts) or starts[first] >= end:
        return total  # no quote touches this sentence: the usual case, and a fast one
    count = 0
    for match in _WORD.finditer(piece):
        at = offset + match.start()
        i = bisect_right(starts, at) - 1
        count += not (i >= 0 and at < ends[i])
    return min(count, total)


def _sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    begin = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.start() + len(match.group(1))  # closing quotes end the sentence
        head = paragraph[begin:end]
        if _ABBREVIATION.search(head) or len(head.split()) < 2:
            continue  # "Mr. Smith", "U.S. forces", "A. Jones": not the end of a sentence
        spans.append((begin, end))
        begin = match.end()
    spans.append((begin, len(paragraph.rstrip())))
    return [(s, e) for s, e in spans if e > s]


def _quoted_spans(paragraphs: list[str]) -> list[tuple[list[int], list[int]]]:
    """Per paragraph, the (starts, ends) of the spans inside double quotation marks.

    Curly quotes nest. Straight quotes cannot say so: one opens or closes by where it
    stands (after a space, before a word), and only a quote right after another one
    (``""We``) opens a quote inside a quote; an opening mark inside an open quote starts
    the next quote of a speaker whose last one was never closed. A quotation can run
    over paragraphs: an unclosed quote carries into at most ``_CARRY`` following
    paragraphs, and a closing mark with no opening one before it ends a quote that began
    in an earlier paragraph, so the paragraph up to it is quoted. Single quotes are left
    out on purpose: ’ is far more often an apostrophe.
    """
    found: list[tuple[list[int], list[int]]] = []
    state = [0, 0]  # depth, paragraph breaks since the last opening mark
    for paragraph in paragraphs:
        if state[0] and state[1] > _CARRY:
            state[0] = 0
        starts: list[int] = [0] if state[0] else []
        ends: list[int] = []
        for mark in _QUOTE_MARK.finditer(paragraph):
            _quote_mark(paragraph, mark.start(), mark.group(), state, starts, ends)
        if len(ends) < len(starts):
            ends.append(len(paragraph))  # still open at the paragraph's end
        found.append((starts, ends))
        state[1] += 1
    return found


def _quote_mark(
    paragraph: str, i: int, char: str, state: list[int], starts: list[int], ends: list[int]
) -> None:
    """Update the quote depth and spans for the quotation mark at ``i``."""
    depth = state[0]
    straight = char == '"'
    opening = char in _OPEN_QUOTES or (straight and _opens(paragraph, i, depth))
    if opening:
        if not depth:
            starts.append(i)
            state[0] = 1
        elif not straight or paragraph[i - 1 : i] in ('"', "“"):
            state[0] += 1
        state[1] = 0
    elif depth:
        state[0] -= 1
        if not state[0]:
            ends.append(i + 1)
    else:  # closing what an earlier paragraph opened
        starts.append(ends[-1] if ends else 0)
        ends.append(i + 1)


def _opens(text: str, i: int, depth: int) -> bool:
    """Whether a straight quote opens: it follows a space, a bracket or a quote and
    precedes a word; with spaces on both sides (tokenised text) it opens when none is open.
    """
    before = " " if i == 0 else text[i - 1]
    after = " " if i + 1 == len(text) else text[i + 1]
    opening_side = before.isspace() or before in _OPENERS
    closing_side = after.isspace() or after in _CLOSERS
    if depth and before.isspace() and after.islower() and _after_clause(text, i):
        return False  # 'connections, "he added': a closing quote typed after the space
    if opening_side != closing_side:
        return opening_side
    return depth == 0


def _after_clause(text: str, i: int) -> bool:
    """Whether the last non-space character before position ``i`` ends a clause."""
    j = i - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    return j >= 0 and text[j] in ",.!?;:"
