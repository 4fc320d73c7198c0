"""The understand stage: entities, dates and quotes for each batch of new articles.

It runs inside the batch's write transaction (see ``storyline.stages``); every write
goes through ``storyline.store.understand``. spaCy parses the whole batch at once
(``nlp.pipe``); the rest is rules, rapidfuzz and indexed lookups.
"""

from __future__ import annotations

import pickle
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, Literal

from rapidfuzz import fuzz

from storyline.extract.normalize import digest
from storyline.model import Article, ArticleDates, DateMention, EntityMention, Quote
from storyline.stages import Stored
from storyline.store import understand as store
from storyline.understand import dates as date_rules
from storyline.understand import entities, gazetteer, nlp, quotes, resolve, when

ENGLISH = (None, "en")
SAME_QUOTE = 90  # rapidfuzz token-set ratio at which two quotes are the same words
_RELATED_MIN_SHARED = 3


class UnderstandStage:
    """Finds and stores entities, dates and quotes of every stored article."""

    name = "understand"

    def __init__(self, conn: sqlite3.Connection | None = None, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._seeded = False

    def process(self, conn: sqlite3.Connection, batch: Sequence[Stored]) -> None:
        """Read every article of the batch (dated first) and store what was found."""
        gaz = gazetteer.load()
        if not self._seeded:
            resolve.seed_gazetteer(conn, gaz)
            self._seeded = True
        articles = [s.article for s in batch]
        for s in batch:
            if s.outcome == "version":
                store.forget_article(conn, s.article.id)
        english = [s for s in batch if s.article.language in ENGLISH]
        shipped = {s.article.id: unpack(s.read) for s in english if s.read is not None}
        readings = {article_id: reading for article_id, (reading, _parsed) in shipped.items()}
        unread = [s.article for s in english if s.read is None]
        docs = nlp.pipe((_full(a) for a in unread), self.batch_size)
        readings.update(
            zip((a.id for a in unread), (reading_of(doc, gaz) for doc in docs), strict=True)
        )
        resolver = resolve.Resolver(conn, gaz)
        touched: set[str] = set()
        read: list[tuple[Article, Reading, list[EntityMention]]] = []
        for article in articles:
            reading = readings.get(article.id)
            mentions = _entities(conn, resolver, article, reading) if reading is not None else []
            touched.update(m.entity_id for m in mentions)
            dates = _dates(conn, article, reading, mentions)
            store.save_dates(conn, article.id, dates)
            if reading is not None:
                read.append((article, reading, mentions))
        parsed = {article_id: sentences for article_id, (_reading, sentences) in shipped.items()}
        for (article, _reading, _mentions), found in zip(
            read, _find_quotes(read, parsed), strict=True
        ):
            _store_quotes(conn, article, found)
        store.refresh_names(conn, touched)


@dataclass(frozen=True, slots=True)
class Reading:
    """What the stage takes from spaCy's reading of an article, as plain values.

    Made where the article was read (an extraction worker, or the writer itself), so the
    single writer neither rebuilds a ``Doc`` nor extracts and clusters the mentions again.
    """

    text: str  # what spaCy read (``_full``)
    clusters: list[entities.Cluster]  # the article's mention clusters, before resolution
    times: list[tuple[int, int]]  # DATE and TIME entity spans
    sentences: list[tuple[int, int]]  # ``_sentences`` of the text


def reading_of(doc: Any, gaz: gazetteer.Gazetteer) -> Reading:
    """The stage's reading of a spaCy Doc of ``_full(article)``."""
    times = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    clusters = entities.cluster(entities.extract(doc, gaz), gaz)
    return Reading(doc.text, clusters, times, _sentences(doc, doc.text))


def read_many(articles: Sequence[Article]) -> list[bytes | None]:
    """What ``process`` would read of each article, serialised (None for other
    languages): extraction workers call this so that the reading runs beside the single
    writer. spaCy reads the articles in one ``nlp.pipe`` and parses their speech
    sentences in one batch (both run faster in batches, and give the same answers).

    With the reading go the dependency parses of the sentences the quote rules will
    leave to the parse. Which those are depends on the article's entities, resolved
    only in the writer; here each entity of the article stands for itself, which is
    nearly always the same answer. The writer parses any sentence still missing, and a
    parse is the same wherever it is made, so what is stored does not change."""
    gaz = gazetteer.load()
    english = [a for a in articles if a.language in ENGLISH]
    docs = nlp.pipe((_full(a) for a in english), batch_size=16)
    readings = [reading_of(doc, gaz) for doc in docs]
    wanted = [_speech_sentences(a, r) for a, r in zip(english, readings, strict=True)]
    unique = list(dict.fromkeys(s for sentences in wanted for s in sentences))
    parses = dict(zip(unique, nlp.parse(unique), strict=True)) if unique else {}
    packed = iter(
        _pack(r, {s: parses[s] for s in w}) for r, w in zip(readings, wanted, strict=True)
    )
    return [next(packed) if a.language in ENGLISH else None for a in articles]


def _speech_sentences(article: Article, reading: Reading) -> list[str]:
    """The sentences the quote rules would leave to the parse, each entity of the
    article standing for itself (the writer resolves them)."""
    shift = _title_shift(article)
    mentions = [
        _in_article(shift, f"cluster:{i}", c, m)
        for i, c in enumerate(reading.clusters)
        for m in c.mentions
    ]
    return quotes.first_pass(*_quote_inputs(article, reading, mentions))[1]


def _pack(reading: Reading, parsed: dict[str, Any]) -> bytes:
    """A reading and its sentence parses (by sentence text), for another process."""
    docs = nlp.docs_to_bytes(list(parsed.values())) if parsed else b""
    return pickle.dumps((reading, list(parsed), docs))


def unpack(data: bytes) -> tuple[Reading, dict[str, Any]]:
    """The reading and the sentence parses ``_pack`` serialised (in this process tree:
    the bytes come from the extraction workers, never from input)."""
    reading, texts, docs = pickle.loads(data)
    return reading, dict(zip(texts, nlp.docs_from_bytes(docs) if docs else [], strict=True))


def _title_shift(article: Article) -> int:
    """Where the text starts in what spaCy read (0 when the title was not prepended)."""
    title = article.title.strip()
    if not title or article.text.startswith(title):
        return 0
    return len(article.title) + 2


def _full(article: Article) -> str:
    """What spaCy reads: the title, a paragraph break, the text."""
    shift = _title_shift(article)
    return article.title + "\n\n" + article.text if shift else article.text


def _place(shift: int, start: int) -> tuple[Literal["title", "text"], int]:
    """(field, offset in that field) of an offset into the title-and-text string."""
    return ("title", start) if shift and start < shift - 2 else ("text", start - shift)


def _entities(
    conn: sqlite3.Connection, resolver: resolve.Resolver, article: Article, reading: Reading
) -> list[EntityMention]:
    clusters = reading.clusters
    decisions = resolver.resolve(article.id, clusters)
    shift = _title_shift(article)
    rows, out = [], []
    for c, d in zip(clusters, decisions, strict=True):
        links = _links(conn, article.id, c, d)
        for m in c.mentions:
            placed = _in_article(shift, d.entity_id, c, m)
            out.append(placed)
            where = (placed.field, placed.start, placed.end)
            rows.append((article.id, d.entity_id, links[m.key], m.text, c.label, *where))
    store.insert_mentions(conn, rows)
    return sorted(out, key=lambda m: (m.field == "text", m.start))


def _in_article(
    shift: int, entity_id: str, c: entities.Cluster, m: entities.RawMention
) -> EntityMention:
    """A mention placed in its field (title or text) of the article."""
    field, start = _place(shift, m.start)
    end = start + (m.end - m.start)
    return EntityMention(entity_id, c.name, c.label, m.text, start, end, field)


def _links(
    conn: sqlite3.Connection, article_id: str, c: entities.Cluster, d: resolve.Decision
) -> dict[str, int]:
    """The link id of each name form of a cluster, recording new links with evidence."""
    existing = store.live_links(conn, [(d.entity_id, k) for k in c.keys])
    links: dict[str, int] = {}
    for key in sorted(c.keys):
        if (d.entity_id, key) in existing:
            links[key] = existing[(d.entity_id, key)]
            continue
        surface = next(m.text for m in c.mentions if m.key == key)
        known = d.evidence.get("known_forms")
        if key in c.reasons:
            rule, evidence = "in-article", {"reason": c.reasons[key], "cluster": d.evidence}
        elif known and key not in known:
            reason = f"one entity in this article with the known form(s) {', '.join(known)}"
            rule, evidence = "in-article", {"reason": reason, "cluster": d.evidence}
        else:
            rule, evidence = d.rule, d.evidence
        links[key] = store.add_link(
            conn, d.entity_id, key, surface, rule, d.score, evidence, article_id
        )
        store.add_keys(conn, d.entity_id, resolve.index_keys(surface, c.family))
    return links


def _sentences(doc: Any, text: str) -> list[tuple[int, int]]:
    """Sentence spans, never across a line break (headings and captions stand alone)."""
    if doc is None:
        return [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+[.!?]*", text)]
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        for line in re.finditer(r"[^\n]+", text[sent.start_char : sent.end_char]):
            if not line.group().strip():
                continue
            start, end = sent.start_char + line.start(), sent.start_char + line.end()
            last = spans[-1] if spans else None
            if last and text[last[1] - 2 : last[1]] in (" “", " „", " «", ' "'):
                # an opening quotation mark belongs to the sentence it opens
                spans[-1], start = (last[0], last[1] - 2), min(start, last[1] - 1)
            # the sentencizer ends sentences at "Sen." and "John A.": join them again
            if (
                spans
                and _ABBREVIATED_END.search(text[spans[-1][0] : spans[-1][1]])
                and ("\n" not in text[spans[-1][1] : start])
            ):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


_ABBREVIATED_END = re.compile(quotes._ABBREVIATION.pattern.replace(r"(?=\s)", "") + r"\s*$")


def _date_mentions(
    article: Article, reading: Reading | None, anchor: date | None
) -> tuple[list[DateMention], list[DateMention]]:
    """(title, text) date mentions, each indexed in its own field."""
    if reading is None:
        text = date_rules.mentions_in(article.text, [], anchor, _sentences(None, article.text))
        title = date_rules.mentions_in(article.title, [], anchor, [(0, len(article.title))])
        return title, text
    shift = _title_shift(article)
    found = date_rules.mentions_in(
        reading.text,
        reading.times,
        anchor,
        reading.sentences,
        headline_end=shift - 2 if shift else 0,
    )
    title, text = [], []
    for m in found:
        field, start = _place(shift, m.start)
        moved = replace(m, start=start, end=start + (m.end - m.start))
        (title if field == "title" else text).append(moved)
    return title, text


def _dates(
    conn: sqlite3.Connection,
    article: Article,
    reading: Reading | None,
    mentions: list[EntityMention],
) -> ArticleDates:
    published = article.published
    anchor = published.date() if published else None
    title, found = _date_mentions(article, reading, anchor)
    judged = when.reliability(
        published, article.date_source, found, article.text, datetime.now(UTC)
    )
    note = f"resolved against the publication date {anchor}"
    if not judged.reliable:
        own = when.text_anchor(found)
        anchor, note = own, f"re-anchored at {own}, the latest full date the text names"
        if own is not None:
            title, found = _date_mentions(article, reading, own)
    if anchor is not None:
        day, evidence = when.event_date(article.text, found, title, anchor, note)
    else:
        stamp = published.date() if published else None
        day, evidence = _from_related(conn, article, found, mentions, stamp)
    return ArticleDates(
        published,
        article.date_source,
        judged.reliable,
        judged.evidence,
        day,
        evidence,
        tuple(found),
    )


def _from_related(
    conn: sqlite3.Connection,
    article: Article,
    found: list[DateMention],
    mentions: list[EntityMention],
    doubtful: date | None,
) -> tuple[date | None, str]:
    """The event date of an article without a usable stamp, borrowed from related
    articles it agrees with. With a doubtful stamp, only a day near that stamp or in the
    year the text's durations imply can be borrowed."""
    # countries, capitals and states are shared by too many unrelated articles
    ids = sorted({m.entity_id for m in mentions if not m.entity_id.startswith("gpe:")})
    # short texts name few entities: two shared ones relate them
    shared_needed = _RELATED_MIN_SHARED if len(ids) > 6 else 2
    related = store.related_event_dates(conn, ids, article.id, shared_needed)
    year = when.implied_year(article.text)
    best: tuple[float, date, str] | None = None
    for other, day, shared in related:
        near = doubtful is not None and -7 <= (day - doubtful).days <= 60
        if doubtful is not None and not near and year is None:
            continue
        support, notes = when.agrees(day, found, year)
        if support >= (0 if near else 1) and (best is None or support + shared / 100 > best[0]):
            best = (
                support + shared / 100,
                day,
                f"event date {day} of related article {other} ({shared} shared entities); "
                + "; ".join(notes),
            )
    if best is None:
        what = "a doubtful publication date" if doubtful else "no publication date"
        return None, f"{what}, and no related article whose date the text fits"
    return best[1], best[2]


def _quote_inputs(
    article: Article, reading: Reading, mentions: list[EntityMention]
) -> tuple[str, list[tuple[int, int]], list[EntityMention]]:
    """What the quote finder reads: the text, its sentences and its mentions, in order."""
    shift = _title_shift(article)
    sentences = [(a - shift, b - shift) for a, b in reading.sentences if a >= shift]
    in_text = sorted((m for m in mentions if m.field == "text"), key=lambda m: m.start)
    return article.text, sentences, in_text


def _find_quotes(
    read: list[tuple[Article, Reading, list[EntityMention]]], shipped: dict[str, dict[str, Any]]
) -> list[list[quotes.Found]]:
    """The quotes of each article. Sentences left to the dependency parse come parsed
    from the extraction workers, or are parsed here in one batch for all the articles
    (a batch runs faster than a parse per article, and parses the same)."""
    inputs = [_quote_inputs(article, reading, mentions) for article, reading, mentions in read]
    firsts: list[tuple[list[quotes.Found], list[str]] | None] = [
        None if article.id in shipped else quotes.first_pass(*args)
        for (article, _reading, _mentions), args in zip(read, inputs, strict=True)
    ]
    wanted = list(dict.fromkeys(s for first in firsts if first for s in first[1]))
    parsed = dict(zip(wanted, nlp.parse(wanted), strict=True)) if wanted else {}
    out = []
    for (article, _reading, _mentions), args, first in zip(read, inputs, firsts, strict=True):
        if first is not None and not first[1]:
            out.append(first[0])  # nothing left to the parse
        else:
            out.append(quotes.find(*args, nlp.parse, shipped.get(article.id, parsed)))
    return out


def _store_quotes(conn: sqlite3.Connection, article: Article, found: list[quotes.Found]) -> None:
    published = article.published.isoformat() if article.published else None
    for q in found:
        quote_id = _same_quote(conn, q)
        store.add_quote(conn, quote_id, q.text, q.entity_id, q.speaker, article.id, published)
        record = Quote(
            quote_id,
            article.id,
            q.text,
            "direct" if q.kind == "direct" else "reported",
            q.speaker,
            q.entity_id,
            None,
            q.anonymous,
            q.verb,
            q.start,
            q.end,
        )
        store.add_quote_mention(conn, quote_id, article.id, record)


def _quote_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _same_quote(conn: sqlite3.Connection, q: quotes.Found) -> str:
    """The id of the quote these words repeat, or a new id for them."""
    key = _quote_key(q.text)
    own_id = "q:" + digest(key)
    for quote_id, text in store.quotes_of_speaker(conn, q.entity_id, own_id):
        other = _quote_key(text)
        if quote_id == own_id or (
            min(len(key), len(other)) >= 0.8 * max(len(key), len(other))
            and fuzz.token_set_ratio(key, other) >= SAME_QUOTE
        ):
            return quote_id
    return own_id
