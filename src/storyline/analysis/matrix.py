"""The source-by-fact matrix: which outlet reports which fact, readable at a glance.

Rows are facts (those several independent origins confirm first, then the rest by
importance), columns are outlets in order of their first article. A cell says whether the
outlet reports the fact in its own text (``reports``), only in text it reprints from
another article (``reprints``), or states one side of a contradiction (``disputes``).
"""

from __future__ import annotations

from dataclasses import dataclass

from storyline.model import Comparison, Fact

SYMBOLS = {"reports": "●", "reprints": "○", "disputes": "≠", "": ""}
LEGEND = "● reports it  ○ reprints another outlet's text  ≠ gives a disputed version"


@dataclass(frozen=True, slots=True)
class Matrix:
    """Facts by outlets; ``cells[r][c]`` is "reports", "reprints", "disputes" or ""."""

    sources: tuple[str, ...]
    facts: tuple[Fact, ...]
    cells: tuple[tuple[str, ...], ...]
    hidden: int = 0  # facts left out of the rows (all are in the comparison)


def make_matrix(comparison: Comparison, max_rows: int | None = 25) -> Matrix:
    """The matrix of a comparison, with at most ``max_rows`` facts."""
    sources = _sources_by_first_article(comparison)
    ranked = sorted(comparison.facts, key=lambda f: (f.origins < 2, -f.importance, f.id))
    rows = ranked if max_rows is None else ranked[:max_rows]
    disputed = {c.id for k in comparison.contradictions for _, side in k.sides for c in side}
    cells = []
    for fact in rows:
        state = dict.fromkeys(sources, "")
        for claim in fact.claims:
            if claim.id in disputed:
                mark = "disputes"
            elif claim.origin == claim.article_id:
                mark = "reports"
            else:
                mark = "reprints"
            state[claim.source] = _stronger(state[claim.source], mark)
        cells.append(tuple(state[s] for s in sources))
    return Matrix(sources, tuple(rows), tuple(cells), len(ranked) - len(rows))


_RANK = {"": 0, "reprints": 1, "reports": 2, "disputes": 3}


def _stronger(a: str, b: str) -> str:
    return a if _RANK[a] >= _RANK[b] else b


def _sources_by_first_article(comparison: Comparison) -> tuple[str, ...]:
    first: dict[str, str] = {}
    for fact in comparison.facts:
        for claim in fact.claims:
            when = claim.published.isoformat() if claim.published else "~"
            if claim.source not in first or when < first[claim.source]:
                first[claim.source] = when
    ordered = sorted(first, key=lambda s: (first[s], s))
    return tuple(ordered)
