"""Align two texts sentence by sentence: which sentences a copy reuses from a target.

Sentences with the same normalised words match first (in order where a sentence
repeats); the rest are paired by rapidfuzz similarity, best pairs first, so a sentence
with a changed word or two is still found ("near"), and a rewritten one is recognised as
such ("reworded"). Consecutive matches that are consecutive on both sides make one
reused passage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from storyline.copies.text import Sentence
from storyline.model import Span

Strength = Literal["same", "near", "reworded"]

NEAR = 88.0  # rapidfuzz ratio from which a sentence counts as copied with small edits
REWORDED = 65.0  # ... and from which it counts as the same sentence reworded
_MIN_FUZZY_WORDS = 4  # shorter sentences only match exactly
_EVIDENCE_WORDS = 6  # shorter copied sentences are too common to prove copying alone
_EDGE_SENTENCES = 3  # a passage this short opening or closing both texts may be a footer
_FRAMED_RUN = 3  # copied sentences in a row from which quoted words count as copied ...
_FRAMING_WORDS = 3  # ... when they share this many words outside quotes
_FRAMED_SHARE = 0.25  # ... and make up this share of the shorter text


@dataclass(frozen=True, slots=True)
class Match:
    """A copy sentence matched to a target sentence."""

    copy: int
    target: int
    score: float  # 100 for the same words, else the rapidfuzz ratio
    strength: Strength


@dataclass(frozen=True, slots=True)
class Evidence:
    """How much copied (same or near) text outside quotes and boilerplate two texts share."""

    words: int
    sentences: int


@dataclass(frozen=True, slots=True)
class Alignment:
    """The sentences of a copy matched to those of a target."""

    copy: tuple[Sentence, ...]
    target: tuple[Sentence, ...]
    matches: tuple[Match, ...]  # in the copy's order

    @property
    def copy_share(self) -> float:
        """Share of the copy's words in matched sentences."""
        return _share(self.copy, {m.copy for m in self.matches})

    @property
    def target_share(self) -> float:
        """Share of the target's words in matched sentences."""
        return _share(self.target, {m.target for m in self.matches})

    @property
    def in_order(self) -> bool:
        """Whether the matched sentences keep the target's order."""
        order = [m.target for m in self.matches]
        return all(a < b for a, b in pairwise(order))

    @property
    def exact(self) -> bool:
        """Whether every matched sentence has the same words."""
        return all(m.strength == "same" for m in self.matches)

    def evidence(
        self,
        common: frozenset[int] | set[int] = frozenset(),
        edges: bool = True,
        quotes: bool = False,
    ) -> Evidence:
        """Copied text that proves copying: same or near sentences of six or more words,
        counting only the words outside quotes on both sides (text both outlets quote,
        from a speaker or a document, is no proof one copied the other), and leaving out
        boilerplate: sentences whose key is in ``common`` (seen in many articles) and
        short passages that open or close both texts (a header or footer). Quoted words
        count too in a run of copied sentences that also shares the writer's framing
        ("..., says ADA Fairman, ..."): outlets quoting a speaker do not reproduce each
        other's framing sentence after sentence. With ``edges=False`` header and footer
        passages count; with ``quotes=True`` all quoted words count."""
        skipped = self._edge_matches() if edges else set()
        framed = self._framed_runs()
        words = sentences = 0
        for match in self.matches:
            sentence = self.copy[match.copy]
            if match.strength == "reworded" or len(sentence.words) < _EVIDENCE_WORDS:
                continue
            unquoted = min(sentence.unquoted, self.target[match.target].unquoted)
            if quotes or match.copy in framed:
                unquoted = len(sentence.words)
            if sentence.key in common or match.copy in skipped or not unquoted:
                continue
            words += unquoted
            sentences += 1
        return Evidence(words, sentences)

    def _framed_runs(self) -> set[int]:
        """Copy indices of runs of three or more copied sentences, consecutive in both
        texts, that share words outside quotes, when together they make up a quarter of
        the shorter text: a block that large is a copy, not two outlets quoting the same
        statement with the same "she said"."""
        found: set[int] = set()
        for run in self._runs():
            copied = [m for m in run if m.strength != "reworded"]
            if len(copied) < _FRAMED_RUN:
                continue
            framing = sum(min(self.copy[m.copy].unquoted, self.target[m.target].unquoted)
                          for m in copied)  # fmt: skip
            if framing >= _FRAMING_WORDS:
                found |= {m.copy for m in copied}
        block = sum(len(self.copy[i].words) for i in found)
        shorter = min(sum(len(s.words) for s in self.copy), sum(len(s.words) for s in self.target))
        return found if shorter and block >= _FRAMED_SHARE * shorter else set()

    def _edge_matches(self) -> set[int]:
        """Copy indices of short passages at the start or end of both texts."""
        found: set[int] = set()
        last_copy, last_target = len(self.copy) - 1, len(self.target) - 1
        for run in self._runs():
            if len(run) > _EDGE_SENTENCES:
                continue
            first, last = run[0], run[-1]
            copy_edge = first.copy == 0 or last.copy == last_copy
            target_edge = first.target == 0 or last.target == last_target
            if copy_edge and target_edge:
                found |= {m.copy for m in run}
        return found

    def _runs(self) -> list[list[Match]]:
        """Runs of matches consecutive in both texts."""
        runs: list[list[Match]] = []
        for match in self.matches:
            last = runs[-1][-1] if runs else None
            if last and match.copy == last.copy + 1 and match.target == last.target + 1:
                runs[-1].append(match)
            else:
                runs.append([match])
        return runs

    def passages(self) -> tuple[tuple[Span, Span], ...]:
        """Reused passages: runs of matches consecutive in both texts, as char spans."""
        runs = self._runs()
        return tuple(
            (
                (self.copy[run[0].copy].start, self.copy[run[-1].copy].end),
                (self.target[run[0].target].start, self.target[run[-1].target].end),
            )
            for run in runs
        )

    def trimmed(self) -> Alignment:
        """Without reworded matches that no copied (same or near) sentence stands next to:
        around reused passages they are edits, alone they are two outlets telling the
        same fact in their own words."""
        copied = {(m.copy, m.target) for m in self.matches if m.strength != "reworded"}

        def kept(m: Match) -> bool:
            if m.strength != "reworded":
                return True
            return any((m.copy + d, m.target + d) in copied for d in (-1, 1))

        return Alignment(self.copy, self.target, tuple(m for m in self.matches if kept(m)))

    def reversed(self) -> Alignment:
        """The same alignment seen from the target's side."""
        swapped = sorted(
            (Match(m.target, m.copy, m.score, m.strength) for m in self.matches),
            key=lambda m: m.copy,
        )
        return Alignment(self.target, self.copy, tuple(swapped))

    def without(self, copy_indices: set[int]) -> Alignment:
        """The same alignment minus the matches of these copy sentences."""
        kept = tuple(m for m in self.matches if m.copy not in copy_indices)
        return Alignment(self.copy, self.target, kept)


def _share(sentences: Sequence[Sentence], matched: set[int]) -> float:
    total = sum(len(s.words) for s in sentences)
    if not total:
        return 0.0
    return sum(len(sentences[i].words) for i in matched) / total


def align(copy: Sequence[Sentence], target: Sequence[Sentence]) -> Alignment:
    """Match the sentences of ``copy`` to those of ``target`` (each used at most once)."""
    matches = _exact(copy, target)
    used_copy = {m.copy for m in matches}
    used_target = {m.target for m in matches}
    matches += _fuzzy(copy, target, used_copy, used_target)
    matches.sort(key=lambda m: m.copy)
    return Alignment(tuple(copy), tuple(target), tuple(matches))


def _exact(copy: Sequence[Sentence], target: Sequence[Sentence]) -> list[Match]:
    where: dict[int, list[int]] = {}
    for i, sentence in enumerate(target):
        where.setdefault(sentence.key, []).append(i)
    matches: list[Match] = []
    last = -1
    for i, sentence in enumerate(copy):
        free = where.get(sentence.key)
        if not free:
            continue
        # A repeated sentence pairs with its next occurrence after the previous match.
        pick = next((j for j in free if j > last), free[0])
        free.remove(pick)
        matches.append(Match(i, pick, 100.0, "same"))
        last = pick
    return matches


def _fuzzy_ok(sentence: Sentence) -> bool:
    return len(sentence.words) >= _MIN_FUZZY_WORDS


def _fuzzy(
    copy: Sequence[Sentence],
    target: Sequence[Sentence],
    used_copy: set[int],
    used_target: set[int],
) -> list[Match]:
    rows = [i for i, s in enumerate(copy) if i not in used_copy and _fuzzy_ok(s)]
    cols = [j for j, s in enumerate(target) if j not in used_target and _fuzzy_ok(s)]
    if not rows or not cols:
        return []
    scores = process.cdist(
        [copy[i].norm for i in rows],
        [target[j].norm for j in cols],
        scorer=fuzz.ratio,
        score_cutoff=REWORDED,
        workers=1,
    )
    found: list[Match] = []
    taken_rows: set[int] = set()
    taken_cols: set[int] = set()
    flat = np.flatnonzero(scores)
    for cell in flat[np.argsort(-scores.ravel()[flat], kind="stable")].tolist():
        r, c = divmod(cell, len(cols))
        if r in taken_rows or c in taken_cols:
            continue
        taken_rows.add(r)
        taken_cols.add(c)
        score = float(scores[r, c])
        found.append(Match(rows[r], cols[c], score, "near" if score >= NEAR else "reworded"))
    return found
