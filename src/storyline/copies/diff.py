"""A side-by-side diff of a copy against its original, sentence by sentence.

Each row pairs an original sentence with the copy's: the same, edited (a few words
changed), reworded, moved, added by the copy, or removed from it. Edited and reworded
rows carry the word-level changes, so a reader sees exactly what the copy changed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from storyline.copies.align import Alignment, Match, align
from storyline.copies.text import sentences

DiffKind = Literal["same", "edited", "reworded", "moved", "added", "removed"]
WordOp = Literal["=", "-", "+"]


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One row of the side-by-side diff ("" on the side that has no sentence)."""

    kind: DiffKind
    original: str
    copy: str
    words: tuple[tuple[WordOp, str], ...] = ()  # word changes of edited/reworded rows


def diff_texts(copy_text: str, original_text: str) -> list[DiffRow]:
    """The side-by-side diff of a copy against its original."""
    return diff_alignment(align(sentences(copy_text), sentences(original_text)),
                          copy_text, original_text)  # fmt: skip


def diff_alignment(alignment: Alignment, copy_text: str, original_text: str) -> list[DiffRow]:
    """Diff rows in the copy's order; removed sentences appear where they stood."""

    def copy_at(i: int) -> str:
        s = alignment.copy[i]
        return copy_text[s.start : s.end]

    def original_at(j: int) -> str:
        s = alignment.target[j]
        return original_text[s.start : s.end]

    by_copy = {m.copy: m for m in alignment.matches}
    matched_targets = {m.target for m in alignment.matches}
    rows: list[DiffRow] = []
    shown = 0  # original sentences before this index were already shown or passed

    def removed_until(end: int) -> None:
        nonlocal shown
        rows.extend(
            DiffRow("removed", original_at(j), "")
            for j in range(shown, end)
            if j not in matched_targets
        )
        shown = max(shown, end)

    for i in range(len(alignment.copy)):
        match = by_copy.get(i)
        if match is None:
            # what the copy replaced comes first: removed, then added, at the same place
            following = next(
                (by_copy[k] for k in range(i + 1, len(alignment.copy)) if k in by_copy), None
            )
            removed_until(following.target if following else len(alignment.target))
            rows.append(DiffRow("added", "", copy_at(i)))
            continue
        moved = match.target < shown
        removed_until(match.target)
        rows.append(_matched(match, original_at(match.target), copy_at(i), moved))
        shown = max(shown, match.target + 1)
    removed_until(len(alignment.target))
    return rows


def _matched(match: Match, original: str, copy: str, moved: bool) -> DiffRow:
    if match.strength == "same":
        return DiffRow("moved" if moved else "same", original, copy)
    kind: DiffKind = "edited" if match.strength == "near" else "reworded"
    return DiffRow(kind, original, copy, word_changes(original, copy))


def word_changes(original: str, copy: str) -> tuple[tuple[WordOp, str], ...]:
    """The words kept (=), removed (-) and added (+) from ``original`` to ``copy``."""
    old, new = original.split(), copy.split()
    ops: list[tuple[WordOp, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("=", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", " ".join(old[i1:i2])))
        if j2 > j1:
            ops.append(("+", " ".join(new[j1:j2])))
    return tuple(ops)
