"""Check that every sentence of a brief is an article's own sentence, and is cited.

A brief sentence passes when its ``source_text`` occurs verbatim in the text of the
article it was taken from (whitespace aside), that article is among its citations, and
what is shown is that text with nothing added but bracketed resolved dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from storyline.model import Article, Brief, BriefSentence

_BRACKETED_DATE = re.compile(r" \[(?:week of )?(?:\d{1,2} )?(?:[A-Z][a-z]+ )?\d{4}\]")


def sentences_of(brief: Brief) -> Iterator[BriefSentence]:
    """Every cited sentence of a brief: the facts, then each side of each disagreement."""
    yield from brief.sentences
    for d in brief.disagreements:
        for _, side in d.sides:
            yield from side


def check_citations(brief: Brief, articles: Mapping[str, Article]) -> list[str]:
    """What is wrong with the brief's citations (an empty list when nothing is)."""
    problems = []
    for s in sentences_of(brief):
        problem = check_sentence(s, articles)
        if problem:
            problems.append(problem)
    return problems


def check_sentence(s: BriefSentence, articles: Mapping[str, Article]) -> str:
    """Why a sentence fails the check, or "" when it passes."""
    article = articles.get(s.article_id)
    if article is None:
        return f"{s.article_id}: the article is not in the workspace"
    if _squash(s.source_text) not in _squash(article.text):
        return f"{s.article_id}: not a sentence of the article: {s.source_text[:60]!r}"
    if s.article_id not in {c.article_id for c in s.citations}:
        return f"{s.article_id}: the article a sentence comes from is not cited"
    if _BRACKETED_DATE.sub("", s.text) != s.source_text:
        return f"{s.article_id}: the shown text adds more than resolved dates: {s.text[:60]!r}"
    return ""


def _squash(text: str) -> str:
    return " ".join(text.split())
