"""Claims: the sentences of an event's articles as units of fact, with what each mentions.

Each claim carries the canonical entities, resolved dates and quantities inside its span
(from the understand stage and ``quantities``), whether it denies or negates something,
and its independent *origin*: a sentence inside a passage an article reprints from
another (per the copies stage) has the origin of the reprinted sentence, so a wire text
reprinted ten times is one origin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from storyline.analysis.quantities import quantities
from storyline.analysis.sentences import is_claim, split
from storyline.extract.normalize import outlet_name
from storyline.model import Article, Claim, CopyLink, DateMention, EntityMention

DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ial|ying)|dismiss(?:ed|es|ing)?|reject(?:ed|s|ing)?|refut\w+|"
    r"false|untrue|not true|not the case|never|not|n['’]t|no|nothing|neither|nor)\b",
    re.IGNORECASE,
)
_MAX_HOPS = 6


@dataclass(frozen=True, slots=True)
class ArticleInputs:
    """What the claims of one article are built from (read from the store beforehand)."""

    article: Article
    mentions: Sequence[EntityMention]
    dates: Sequence[DateMention]
    links: Sequence[CopyLink]


def outlet(article: Article) -> str:
    """The outlet's name: the source without a feed's section suffix, else the host; an
    article without either is an unnamed source, with the agency its credit line names
    ("Source: Krone" -> "unnamed source 3893cd, credits Krone")."""
    named = named_outlet(article)
    if named:
        return named
    credits = [a.agency for a in article.attributions if a.position in ("line", "end")]
    named = f"unnamed source {article.id[:6]}"
    return f"{named}, credits {credits[0]}" if credits else named


def named_outlet(article: Article) -> str | None:
    """The outlet the article names (its source, else its URL's host), or None."""
    if article.source and article.source.strip():
        return outlet_name(article.source) or article.source.strip()
    url = article.canonical_url or article.url
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def source_tally(articles: Iterable[Article]) -> tuple[int, int]:
    """How many outlets the articles name (case aside: "FOX" is "fox") and how many
    articles name none; each unnamed article is not counted as an outlet of its own."""
    named: set[str] = set()
    unnamed = 0
    for article in articles:
        name = named_outlet(article)
        if name:
            named.add(name.casefold())
        else:
            unnamed += 1
    return len(named), unnamed


def article_claims(inputs: ArticleInputs, by_id: Mapping[str, ArticleInputs]) -> list[Claim]:
    """The claims of one article, in text order."""
    article = inputs.article
    mentions = [m for m in inputs.mentions if m.field == "text"]
    out = []
    for sentence in split(article.text):
        if not is_claim(sentence):
            continue
        start, end = sentence.start, sentence.end
        out.append(
            Claim(
                id=f"{article.id}:{sentence.index}",
                article_id=article.id,
                index=sentence.index,
                text=sentence.text,
                start=start,
                end=end,
                source=outlet(article),
                published=article.published,
                origin=origin_of(article.id, start, end, by_id),
                entities=tuple(
                    dict.fromkeys(m.entity_id for m in mentions if start <= m.start < end)
                ),
                quantities=tuple(quantities(sentence.text, start)),
                dates=tuple(d for d in inputs.dates if start <= d.start < end),
                denial=bool(DENIAL.search(sentence.text)),
                quoted=sentence.quoted,
            )
        )
    return out


def origin_of(article_id: str, start: int, end: int, by_id: Mapping[str, ArticleInputs]) -> str:
    """The article a span's words first appeared in, following reused passages back."""
    current, span = article_id, (start, end)
    for _ in range(_MAX_HOPS):
        inputs = by_id.get(current)
        if inputs is None:
            break
        step = _reprinted_from(current, span, inputs.links)
        if step is None:
            break
        current, span = step
    return current


def _reprinted_from(
    article_id: str, span: tuple[int, int], links: Sequence[CopyLink]
) -> tuple[str, tuple[int, int]] | None:
    """(target, span in the target) when most of ``span`` lies in a passage reused from it."""
    start, end = span
    length = max(1, end - start)
    for link in links:
        if link.source_id != article_id or link.target_id == article_id:
            continue
        for (a, b), (ta, tb) in link.passages:
            covered = min(end, b) - max(start, a)
            if covered >= 0.5 * length:
                shift = max(0, start - a)
                return link.target_id, (ta + shift, min(tb, ta + shift + length))
    return None


REPRINT_MIN_WORDS = 15


def unify_reprints(claims: Sequence[Claim]) -> list[Claim]:
    """Give one origin to the same long sentence in several articles, even where copy
    detection linked none of them: a 15-word sentence, not a quotation, written word for
    word by two outlets was copied (its origin: the earliest article carrying it)."""
    from dataclasses import replace

    from storyline.analysis.similarity import text_key

    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        if not claim.quoted and len(claim.text.split()) >= REPRINT_MIN_WORDS:
            groups.setdefault(text_key(claim.text), []).append(claim)
    origin: dict[str, str] = {}
    for same in groups.values():
        if len({c.origin for c in same}) > 1:
            first = min(same, key=lambda c: (c.published is None, c.published or 0, c.id))
            origin.update({c.id: first.origin for c in same})
    return [replace(c, origin=origin[c.id]) if c.id in origin else c for c in claims]
