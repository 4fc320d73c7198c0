"""Decide whether an alignment is a copy, of which kind, and which side copied which.

The thresholds live in one frozen ``CopyPolicy``; their defaults were chosen on copies
derived from GVC articles (see ``bench/copies_bench.py``) and are the same for every
data set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from storyline.copies.align import Alignment
from storyline.extract.clean import AGENCIES
from storyline.model import Article, CopyRelation


@dataclass(frozen=True, slots=True)
class CopyPolicy:
    """Thresholds of copy detection (see the README's "Copies and provenance")."""

    lsh_threshold: float = 0.5  # Jaccard similarity the LSH bands are tuned for
    min_words: int = 40  # shorter texts are only copies when text and title are the same
    min_evidence_words: int = 25  # unquoted words in copied sentences needed for a link
    min_evidence_sentences: int = 1  # ... in at least this many sentences
    common_articles: int = 8  # a sentence already in more articles is boilerplate ...
    reprint_share: float = 0.5  # ... unless the texts share this much of the shorter one
    reprint_sentences: int = 3  # ... in at least this many copied sentences
    duplicate_share: float = 0.6  # both texts share this much: a near duplicate (edited)
    min_partial_share: float = 0.25  # less of both texts: passages shared, not a copy
    edge_sentences: int = 2  # verbatim: the same sentences in order, but for this many
    edge_words: int = 12  # ... sentences of this many words added or dropped at an end
    max_verify: int = 12  # candidates aligned per article: keeps the cost per article flat


@dataclass(frozen=True, slots=True)
class Verdict:
    """A decided copy relation between an aligned pair, with its reason."""

    relation: CopyRelation
    reason: str


def classify(
    alignment: Alignment,
    policy: CopyPolicy,
    common: frozenset[int] = frozenset(),
    same_text: bool = False,
    sourced: str = "",
) -> Verdict | None:
    """The relation between an aligned copy and target, or None when they share nothing
    that proves reuse.

    Verbatim and edited copies come first. Of the rest, reuse below ``min_partial_share``
    of both texts is ``shared`` (two articles sharing passages, often both from a third
    text such as wire copy), unless ``sourced`` says why the target is where the copy's
    text comes from (see ``source_of_copy``): then it is ``partial``, as is reuse of that
    much of either text or more.
    """
    if same_text:
        return Verdict("verbatim", "the same text (after normalisation)")
    evidence = alignment.evidence(common)
    proven = (
        evidence.words >= policy.min_evidence_words
        and evidence.sentences >= policy.min_evidence_sentences
    )
    if not proven and not _reprint(alignment, policy):
        return None
    copy_share, target_share = alignment.copy_share, alignment.target_share
    counts = _counts(alignment)
    shares = f"{copy_share:.0%} of its words reused, {target_share:.0%} of the original's"
    if alignment.exact and alignment.in_order and _same_body(alignment, policy):
        return Verdict("verbatim", f"the same body ({counts}); {shares}")
    if min(copy_share, target_share) >= policy.duplicate_share:
        moved = "" if alignment.in_order else "; paragraphs moved"
        return Verdict("edited", f"a near duplicate ({counts}{moved}); {shares}")
    passages = len(alignment.passages())
    small = max(copy_share, target_share) < policy.min_partial_share
    if small and sourced:
        return Verdict(
            "partial",
            f"{passages} reused passage(s) ({counts}); {shares}: under "
            f"{policy.min_partial_share:.0%} of either, but from the copy's source ({sourced})",
        )
    if small:
        # a few passages in two mostly different texts: more often both reuse a third
        # text (wire copy) than one copies the other, so neither is called a copy
        return Verdict(
            "shared",
            f"{passages} shared passage(s) ({counts}); {copy_share:.0%} and "
            f"{target_share:.0%} of the two texts' words, under "
            f"{policy.min_partial_share:.0%} of either: they share passages, neither copies "
            "the other",
        )
    return Verdict("partial", f"{passages} reused passage(s) ({counts}); {shares}")


def _same_body(alignment: Alignment, policy: CopyPolicy) -> bool:
    """Every sentence of both bodies the same; only a short head or tail added or dropped
    (a new headline line, a credit such as "(CPA)", a "follow us" line), never replaced:
    a changed first sentence is an edit."""
    if not alignment.matches:
        return False
    edges = []
    for side, used in ((alignment.copy, {m.copy for m in alignment.matches}),
                       (alignment.target, {m.target for m in alignment.matches})):  # fmt: skip
        first, last = min(used), max(used)
        if len(used) != last - first + 1:
            return False  # something added or dropped inside the body
        head, tail = side[:first], side[last + 1 :]
        extra = [*head, *tail]
        if len(extra) > policy.edge_sentences or any(
            len(s.words) > policy.edge_words for s in extra
        ):
            return False
        edges.append((bool(head), bool(tail)))
    (copy_head, copy_tail), (target_head, target_tail) = edges
    return not (copy_head and target_head) and not (copy_tail and target_tail)


def _reprint(alignment: Alignment, policy: CopyPolicy) -> bool:
    """Texts that share most of the shorter one are copies even of much-repeated text,
    and even when most of what they share is quoted."""
    every = alignment.evidence(edges=False, quotes=True)
    # the shorter text has the larger share of its words matched
    share_of_shorter = max(alignment.copy_share, alignment.target_share)
    return (
        every.sentences >= policy.reprint_sentences
        and every.words >= policy.min_evidence_words
        and share_of_shorter >= policy.reprint_share
    )


def _counts(alignment: Alignment) -> str:
    kinds = {"same": 0, "near": 0, "reworded": 0}
    for match in alignment.matches:
        kinds[match.strength] += 1
    parts = [f"{kinds['same']} sentences the same"]
    if kinds["near"]:
        parts.append(f"{kinds['near']} with small edits")
    if kinds["reworded"]:
        parts.append(f"{kinds['reworded']} reworded")
    return ", ".join(parts)


# direction -----------------------------------------------------------------------------------

_WIRE_NAME = re.compile(r"\b(?:news|press|wire) agency\b|\bnewswire\b|\bwire service\b", re.I)
_AGENCY_NAMES = {a.casefold() for a in AGENCIES}
_TRAILING_CREDIT = re.compile(r"\((?:[a-z]{1,5}/)+([A-Za-z][\w-]{1,15})\)\.?\s*$")


def credits(article: Article) -> set[str]:
    """The agencies or outlets an article names as its source, case-folded.

    Besides the credits found at ingest, a trailing tag such as ``(bme/dpa).`` that ends
    the text is read here too (ingest leaves it when a full stop follows it).
    """
    found = {a.agency.casefold() for a in article.attributions}
    tail = _TRAILING_CREDIT.search(article.text[-80:])
    if tail:
        found.add(tail.group(1).casefold())
    return found


def source_names(source: str | None) -> set[str]:
    """The names an outlet may be credited by: its name and its initials."""
    if not source:
        return set()
    name = source.casefold().strip()
    words = re.findall(r"[^\W\d_]+", source)
    names = {name}
    if len(words) > 1:
        names.add("".join(w[0] for w in words if w[0].isupper()).casefold())
    bracket = re.search(r"\(([^)]+)\)", source)
    if bracket:
        names.add(bracket.group(1).casefold().strip())
    return {n for n in names if n}


def source_of_copy(copy: Article, original: Article) -> str:
    """Why ``original`` is where ``copy``'s shared text comes from, "" when nothing tells:
    the copy credits its outlet, or it is from a news agency and the copy is not."""
    if credits_source(copy, original):
        return f"it credits {original.source}"
    if is_wire(original) and not is_wire(copy):
        return f"a news agency, {original.source}"
    return ""


def credits_source(article: Article, other: Article) -> bool:
    """Whether ``article`` credits ``other``'s outlet (e.g. "(jk/CPA)" for CPA's story)."""
    return bool(credits(article) & source_names(other.source))


def is_wire(article: Article) -> bool:
    """Whether an article's source is a news agency."""
    if not article.source:
        return False
    return bool(source_names(article.source) & _AGENCY_NAMES) or bool(
        _WIRE_NAME.search(article.source)
    )


def day_only(value: datetime) -> bool:
    """Whether a date carries no time of day (a date line says only the day)."""
    return value.timetz().replace(tzinfo=None) == time(0, 0)


def earlier(a: datetime | None, b: datetime | None) -> int:
    """-1 when ``a`` is known to be earlier than ``b``, 1 when later, 0 when unknown."""
    if a is None or b is None:
        return 0
    if day_only(a) or day_only(b):
        da, db = a.date(), b.date()
        return 0 if da == db else (-1 if da < db else 1)
    return 0 if a == b else (-1 if a < b else 1)


def new_is_copy(new: Article, old: Article) -> tuple[bool, str]:
    """Which of two matching articles is the copy: the later one, the one crediting the
    other's outlet, the one not from a news agency, or (when nothing tells) the one stored
    later. Returns (new is the copy, why)."""
    order = earlier(new.published, old.published)
    if order:
        later = new if order > 0 else old
        stamp = later.published.isoformat(sep=" ") if later.published else "?"
        return order > 0, f"published later ({stamp})"
    if credits_source(new, old) and not credits_source(old, new):
        return True, f"credits {old.source}"
    if credits_source(old, new) and not credits_source(new, old):
        return False, f"credits {new.source}"
    if is_wire(new) != is_wire(old):
        return not is_wire(new), "not from a news agency"
    return True, "stored later"
