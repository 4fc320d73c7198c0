"""The record types that flow through storyline's stages.

Every record is a frozen, slotted dataclass. Dates are timezone-aware ``datetime``
values, never strings. Stages return new records (``dataclasses.replace``); nothing is
mutated in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Format = Literal["text", "html", "jsonl", "json", "feed", "warc"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a document came from: a file and, inside it, a line, record or byte offset."""

    path: str
    line: int | None = None
    record: int | None = None
    offset: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.record is not None:
            parts.append(f"record {self.record}")
        if self.offset is not None:
            parts.append(f"offset {self.offset}")
        return ": ".join(parts[:1]) + ("" if len(parts) == 1 else ": " + ", ".join(parts[1:]))


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One document as a source read it, before extraction and cleaning.

    Exactly one of ``text`` and ``html`` is set. ``fields`` holds what the container
    said about the document (title, url, date, source, author, language, id);
    ``metadata`` holds everything else the input carried, kept but never analysed.
    """

    location: Location
    format: Format
    text: str | None = None
    html: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def external_id(self) -> str | None:
        """The input record's own id, when it had one."""
        value = self.fields.get("id")
        return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Attribution:
    """A source attribution found in an article's text, e.g. ``(bme/dpa)``."""

    agency: str
    form: str
    position: Literal["start", "end", "line", "inline"]


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: the record every later stage works on."""

    id: str
    title: str
    text: str
    text_hash: str
    language: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    published: datetime | None = None
    date_source: str | None = None
    source: str | None = None
    author: str | None = None
    external_id: str | None = None
    format: Format = "text"
    location: str = ""
    attributions: tuple[Attribution, ...] = ()
    removed: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[str]:
        """The text split into its paragraphs."""
        return [p for p in self.text.split("\n\n") if p]


Reason = Literal[
    "unreadable",
    "binary",
    "encoding",
    "malformed",
    "empty",
    "no-article",
    "too-large",
    "not-a-feed",
    "not-a-warc",
    "truncated",
    "unsupported",
    "duplicate",
]


@dataclass(frozen=True, slots=True)
class Rejected:
    """A document or file that was not stored, with the reason why.

    ``of`` names the stored article a duplicate repeats.
    """

    location: Location
    reason: Reason
    detail: str
    of: str | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}: {self.detail}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """Records a source read past on purpose (e.g. non-HTML WARC records), counted."""

    location: Location
    what: str
    count: int = 1


# --- copies stage (issue 3): copy links between articles ---------------------------------

CopyRelation = Literal["verbatim", "edited", "partial", "shared", "version"]
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class CopyLink:
    """``source_id`` (the copy) reuses text of ``target_id`` (the earlier, original side).

    ``relation``: ``verbatim`` (the same text), ``edited`` (a near duplicate: most of
    both texts shared, with sentences changed, added, dropped or moved), ``partial``
    (passages reused inside other text), ``shared`` (passages that make up a small part
    of both texts: two articles sharing passages, often both reusing a third text such
    as wire copy; no copy, and ``source_id`` is only the later side) or ``version`` (a
    later text of the same article, same canonical URL: ``source_id == target_id``, the
    versions differ). ``overlap`` is the share of the copy's words that are reused,
    ``target_overlap`` the share of the target's. ``passages`` pairs a character span of
    the copy's text with the span of the target's text it reuses; the spans refer to
    ``source_version`` and ``target_version`` of the two articles' texts.
    """

    source_id: str
    target_id: str
    relation: CopyRelation
    overlap: float
    passages: tuple[tuple[Span, Span], ...] = ()
    target_overlap: float = 0.0
    similarity: float = 0.0  # MinHash estimate of the two texts' Jaccard similarity
    source_version: int = 1
    target_version: int = 1
    reason: str = ""


# --- understand stage (issue 5): entities, dates and quotes -------------------------------


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity: one person, organisation, place, product or event.

    ``aliases`` are the distinct surface forms its mentions used (variants merged).
    """

    id: str
    name: str
    label: str
    mentions: int = 0
    articles: int = 0
    aliases: tuple[str, ...] = ()
    origin: str = "text"  # "gazetteer" when it came from a packaged list


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One mention of a canonical entity in an article, with its character span.

    ``start`` and ``end`` index ``Article.text``, or ``Article.title`` when ``field``
    is "title".
    """

    entity_id: str
    name: str
    label: str
    text: str
    start: int
    end: int
    field: Literal["title", "text"] = "text"


Mention = EntityMention

DateGranularity = Literal["day", "week", "month", "year"]
DateRelation = Literal["past", "present", "future"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date mentioned in an article, resolved against the publication date.

    ``value`` is the first day of the period it names (``granularity``); None when it
    could not be resolved (a weekday in an undated article). ``relation`` places it
    relative to publication.
    """

    text: str
    start: int
    end: int
    value: date | None
    granularity: DateGranularity
    relation: DateRelation | None
    method: str


@dataclass(frozen=True, slots=True)
class ArticleDates:
    """What the understand stage concluded about an article's dates, with evidence."""

    published: datetime | None
    published_source: str | None
    published_reliable: bool
    published_evidence: str
    event_date: date | None
    event_evidence: str
    mentions: tuple[DateMention, ...] = ()


QuoteKind = Literal["direct", "reported"]


@dataclass(frozen=True, slots=True)
class Quote:
    """Words attributed to a speaker in one article.

    The same words in several articles are one quote (``quote_id``) with its first
    source (``first_article_id``) and ``repeats``, the number of other articles that
    carry it. ``speaker_entity_id`` is None for an anonymous or unresolved speaker.
    """

    quote_id: str
    article_id: str
    text: str
    kind: QuoteKind
    speaker: str
    speaker_entity_id: str | None
    speaker_name: str | None
    anonymous: bool
    verb: str
    start: int
    end: int
    first_article_id: str = ""
    repeats: int = 0


# --- what happened (issue 6): claims, facts, contradictions, briefs, storylines -----------

QuantityKind = Literal["percent", "money", "duration", "count"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number a sentence states: ``value`` of ``unit`` (a singular noun, "%" or "").

    ``low`` and ``high`` bound what the words allow ("about 20", "up to 18", "12 to 18",
    "more than 3 million"); ``context`` is the content word before the number ("signed
    four agreements"). ``start`` and ``end`` index ``Article.text``.
    """

    value: float
    unit: str
    kind: QuantityKind
    text: str
    start: int
    end: int
    low: float
    high: float
    context: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """One sentence of one article taken as a unit of fact, with what it mentions.

    ``text`` is ``Article.text[start:end]``: the article's own words, at most trimmed of
    a dateline. ``origin`` is the independent origin of the sentence: the article
    itself, or the article whose text it reprints. ``entities`` are canonical entity ids;
    ``dates`` the resolved date mentions inside the sentence; ``denial`` marks a sentence
    that says something did not happen or was denied.
    """

    id: str
    article_id: str
    index: int
    text: str
    start: int
    end: int
    source: str
    published: datetime | None
    origin: str
    entities: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    denial: bool = False
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class Fact:
    """Claims from one or more articles that state the same thing, grouped by meaning.

    ``origins`` counts independent origins (a reprinted wire text counts once);
    ``happened`` is the day its claims say it happened, when they name one.
    """

    id: str
    claims: tuple[Claim, ...]
    articles: tuple[str, ...]
    sources: tuple[str, ...]
    origins: int
    importance: float
    happened: date | None = None

    @property
    def lead(self) -> Claim:
        """The claim that states the fact best (the first of ``claims``)."""
        return self.claims[0]


ContradictionKind = Literal["number", "date", "name", "place", "denial"]


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Sources that disagree on one point: each side is a value and the claims stating it."""

    kind: ContradictionKind
    topic: str
    sides: tuple[tuple[str, tuple[Claim, ...]], ...]
    facts: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """Who reports what about one event: facts with their sources, contradictions, quotes."""

    event_id: int | None
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]
    origins: int
    facts: tuple[Fact, ...]
    contradictions: tuple[Contradiction, ...]
    quotes: tuple[Quote, ...]
    embedder: str

    @property
    def single_source(self) -> tuple[Fact, ...]:
        """Facts that only one independent origin reports."""
        return tuple(f for f in self.facts if f.origins == 1)


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a brief's sentence comes from: outlet, publication date and article id."""

    article_id: str
    source: str
    published: datetime | None
    date_reliable: bool = True


@dataclass(frozen=True, slots=True)
class BriefSentence:
    """A sentence taken from an article, with its citations.

    ``source_text`` is the article's sentence verbatim (or trimmed of a dateline);
    ``text`` is what is shown: the same words with resolved dates added in brackets
    after relative ones ("on Friday [14 March 2025]"). ``origins`` counts the independent
    origins that report the fact.
    """

    text: str
    source_text: str
    article_id: str
    citations: tuple[Citation, ...]
    fact_id: str
    origins: int
    disputed: bool = False  # another source contradicts it (see the brief's disagreements)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A contradiction as a brief states it: each side's sentences, cited."""

    kind: ContradictionKind
    topic: str
    sides: tuple[tuple[str, tuple[BriefSentence, ...]], ...]


@dataclass(frozen=True, slots=True)
class Brief:
    """An extractive multi-source summary of an event in which every sentence is cited."""

    event_id: int | None
    title: str
    sentences: tuple[BriefSentence, ...]
    disagreements: tuple[Disagreement, ...]
    articles: int
    sources: int  # named outlets
    origins: int
    first: datetime | None = None
    last: datetime | None = None
    unnamed: int = 0  # articles that name no outlet


TimelineKind = Literal["first report", "development", "happened"]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One step of an event's timeline: a day, what kind of step, the cited sentence."""

    day: date | None
    kind: TimelineKind
    sentence: BriefSentence


@dataclass(frozen=True, slots=True)
class Timeline:
    """An event's timeline, and the event dates its articles report, with their sources."""

    event_id: int | None
    entries: tuple[TimelineEntry, ...]
    event_dates: tuple[tuple[date, tuple[Citation, ...]], ...]


@dataclass(frozen=True, slots=True)
class StorylineLink:
    """Two events of one storyline, ``earlier`` and ``later``, and why they are linked."""

    earlier: int
    later: int
    score: float
    reason: str
    shared: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Storyline:
    """Events linked into a larger story; ``id`` is the id of its first event."""

    id: int
    events: tuple[int, ...]
    links: tuple[StorylineLink, ...]
    title: str
    first_day: date | None = None
    last_day: date | None = None
