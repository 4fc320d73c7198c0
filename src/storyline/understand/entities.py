"""Entity mentions of one article: spaCy NER and the gazetteer ruler, cleaned, plus two
rules for products, and clustered within the article.

Rules, each general: a capitalised name followed by a model code is a product
("Bayraktar TB2", "Airbus A320"); a capitalised name right before a product noun is one
("Pyrector drones") unless the article also uses that name on its own (then it names a
maker). Within an article, a short form joins the full name it abbreviates (a person's
surname, a product's leading name, an acronym) and identical names share one cluster
whatever label NER gave each occurrence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from storyline.understand.gazetteer import Gazetteer
from storyline.understand.names import TITLES, acronym, fold, is_acronym, name_key

KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT"})
FAMILY = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "PRODUCT": "product",
    "EVENT": "event",
}
PRODUCT_NOUNS = frozenset(
    [
        "drone",
        "drones",
        "missile",
        "missiles",
        "jet",
        "jets",
        "fighter",
        "fighters",
        "tank",
        "tanks",
        "rifle",
        "rifles",
        "helicopter",
        "helicopters",
        "aircraft",
        "warship",
        "warships",
        "submarine",
        "submarines",
        "howitzer",
        "howitzers",
        "vaccine",
        "vaccines",
        "smartphone",
        "smartphones",
    ]
)
_MODEL_CODE = re.compile(r"^(?:[A-Z]{1,3}-?\d{1,4}[A-Za-z]?|\d{3}[A-Z]?)$")
_CONNECTORS = frozenset(
    {
        "of",
        "and",
        "the",
        "for",
        "de",
        "du",
        "la",
        "le",
        "van",
        "von",
        "der",
        "al",
        "bin",
        "y",
        "da",
        "di",
        "&",
        "on",
        "upon",
    }
)
_SKIP_WORDS = frozenset({"the", "a", "an", "in", "on", "at", "by", "of", "and", "for", "with"})
_EXTRA_DEMONYM_NOUNS = frozenset({"turk", "brit", "yank", "kiwi", "aussie"})


@dataclass(frozen=True, slots=True)
class RawMention:
    """A cleaned mention before resolution: where it is, what it says, how it was found."""

    text: str
    label: str
    start: int
    end: int
    key: str
    gaz_id: str | None
    rule: str


@dataclass(slots=True)
class Cluster:
    """Mentions of one entity within one article (mutable while the article is read)."""

    mentions: list[RawMention]
    label: str
    gaz_id: str | None = None
    keys: set[str] = field(default_factory=set)
    # key -> why it joined the cluster inside this article (shown as merge evidence)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def family(self) -> str:
        """The label family (person, org, place, product, event)."""
        return FAMILY[self.label]

    @property
    def name(self) -> str:
        """The fullest form used: most words, then most frequent, then first."""
        counts = Counter(m.text for m in self.mentions)
        return max(self.mentions, key=lambda m: (len(m.key.split()), counts[m.text])).text


def _is_demonym(word: str, gaz: Gazetteer) -> bool:
    folded = fold(word)
    return folded in _EXTRA_DEMONYM_NOUNS or gaz.demonym_country(word) is not None


def _clean(span_text: str, start: int, gaz: Gazetteer) -> tuple[str, int] | None:
    """Trim a span: first line only, no leading article, title or demonym, no possessive."""
    text = span_text.split("\n", 1)[0].rstrip(" /,-")
    for pattern in (r"^(?:the|The|a|an)\s+", r"(?:'s|’s|'|’)$"):
        match = re.search(pattern, text)
        if match and match.start() == 0:
            text, start = text[match.end() :], start + match.end()
        elif match:
            text = text[: match.start()]
    words = text.split(" ")
    while len(words) > 1 and (name_key(words[0]) in TITLES or _is_demonym(words[0], gaz)):
        start += len(words[0]) + 1
        words = words[1:]
    # NER sometimes runs a name on into the sentence ("Brisany between Presidents ..."):
    # a name stops at its first lower-case word that is not a connector ("of", "and")
    for i, word in enumerate(words[1:], 1):
        if word[:1].islower() and word not in _CONNECTORS:
            words = words[:i]
            break
    text = " ".join(words).strip()
    if len(text) < 2 or not text[0].isalnum():
        return None
    return text, start


_PRODUCT_HINT = re.compile(
    r"\b(?:"
    + "|".join(sorted(PRODUCT_NOUNS))
    + r")\b|\b(?:[A-Z]{1,3}-?\d{1,4}[A-Za-z]?|\d{3}[A-Z]?)\b",
    re.I,
)


def _product_spans(doc: Any, gaz: Gazetteer) -> list[tuple[int, int, str]]:
    """Token spans (start, end, rule) the two product rules find."""
    found = []
    for hint in _PRODUCT_HINT.finditer(doc.text):
        span = doc.char_span(hint.start(), hint.end(), alignment_mode="expand")
        if span is None or span.start == 0:
            continue
        i, tok = span.start, doc[span.start]
        prev = doc[i - 1]
        code = bool(_MODEL_CODE.match(tok.text)) and prev.is_title
        noun = tok.lower_ in PRODUCT_NOUNS and prev.is_title
        if not (code or noun):
            continue
        j = i - 1
        while j > 0 and doc[j - 1].is_title and not doc[j - 1].is_sent_start:
            j -= 1
        # Leading demonyms and articles are not part of the name ("Turkish", "The").
        while j < i and (_is_demonym(doc[j].text, gaz) or doc[j].lower_ in _SKIP_WORDS):
            j += 1
        if j < i:
            found.append((j, i + 1 if code else i, "product-code" if code else "product-noun"))
    return found


def extract(doc: Any, gaz: Gazetteer) -> list[RawMention]:
    """The entity mentions of a parsed article, cleaned and relabelled by the rules."""
    mentions: list[RawMention] = []
    products = _product_spans(doc, gaz)
    standalone = {
        fold(e.text) for e in doc.ents if e.label_ in ("ORG", "PERSON") and not _before_noun(e)
    }
    taken: set[int] = set()
    for start, end, rule in products:
        span = doc[start:end]
        if rule == "product-noun" and fold(span.text) in standalone:
            continue
        cleaned = _clean(span.text, span.start_char, gaz)
        if cleaned:
            text, offset = cleaned
            mentions.append(_mention(text, "PRODUCT", offset, None, rule))
            taken.update(range(start, end))
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS or taken.intersection(range(ent.start, ent.end)):
            continue
        cleaned = _clean(ent.text, ent.start_char, gaz)
        if cleaned is None or _is_demonym(cleaned[0], gaz):
            continue
        text, offset = cleaned
        gaz_id = ent.ent_id_ or None
        pair = re.fullmatch(r"([A-Z][\w'’-]+) and ([A-Z][\w'’-]+)", text)
        if pair and not gaz_id:
            # "Brisany and Ostel": two names NER ran together
            mentions.append(_mention(pair[1], ent.label_, offset, None, "ner"))
            mentions.append(_mention(pair[2], ent.label_, offset + pair.start(2), None, "ner"))
            continue
        mentions.append(
            _mention(text, ent.label_, offset, gaz_id, "gazetteer" if gaz_id else "ner")
        )
    return sorted(mentions, key=lambda m: m.start)


def _before_noun(ent: Any) -> bool:
    doc = ent.doc
    return ent.end < len(doc) and doc[ent.end].lower_ in PRODUCT_NOUNS


def _mention(text: str, label: str, start: int, gaz_id: str | None, rule: str) -> RawMention:
    return RawMention(text, label, start, start + len(text), name_key(text), gaz_id, rule)


def cluster(mentions: list[RawMention], gaz: Gazetteer) -> list[Cluster]:
    """Group an article's mentions into one cluster per entity."""
    clusters: list[Cluster] = []
    by_key: dict[str, Cluster] = {}
    # Full forms first, so that short forms find the name they abbreviate.
    ordered = sorted(mentions, key=lambda m: (-len(m.key.split()), m.start))
    for mention in ordered:
        found = by_key.get(mention.key)
        if found is None:
            found = _abbreviated(mention, clusters)
            if found is not None:
                found.reasons[mention.key] = f"short form of {found.name!r} in the same article"
        if found is None and mention.key in gaz.by_key and mention.gaz_id is None:
            entry = gaz.by_key[mention.key]
            if FAMILY.get(entry.label) == FAMILY[mention.label]:
                mention = _with_gaz(mention, entry.id)
        if found is None and mention.gaz_id:
            found = next((c for c in clusters if c.gaz_id == mention.gaz_id), None)
        if found is None:
            found = Cluster([], mention.label, mention.gaz_id)
            clusters.append(found)
        found.mentions.append(mention)
        found.keys.add(mention.key)
        found.gaz_id = found.gaz_id or mention.gaz_id
        by_key.setdefault(mention.key, found)
    for c in clusters:
        c.mentions.sort(key=lambda m: m.start)
        c.label = _vote(c)
    return _merge_sound_alikes(clusters)


def _merge_sound_alikes(clusters: list[Cluster]) -> list[Cluster]:
    """Merge one-word clusters of a family that sound alike another of the same family.

    Translated and scraped articles spell one name several ways in the same text
    ("Pyrector", "Pyrektor", "Piracter", "Bayraktar"); within one article, two names of
    the same kind with the same sound key are the same thing.
    """
    from storyline.understand.names import sound_key

    kept: list[Cluster] = []
    by_sound: dict[tuple[str, str], Cluster] = {}
    for c in sorted(clusters, key=lambda c: -len(c.mentions)):
        head = c.name.split()[0] if c.family == "product" else c.name.split()[-1]
        code = sound_key(head)
        target = by_sound.get((c.family, code)) if len(code) >= 2 else None
        if target is None or c.gaz_id or (len(c.keys) == 1 and len(c.name.split()) > 1):
            kept.append(c)
            if len(code) >= 2 and not c.gaz_id:
                by_sound.setdefault((c.family, code), c)
            continue
        for key in c.keys:
            target.reasons[key] = f"sounds like {target.name!r} ({code}) in the same article"
        target.mentions = sorted(target.mentions + c.mentions, key=lambda m: m.start)
        target.keys |= c.keys
    return sorted(kept, key=lambda c: c.mentions[0].start)


def _with_gaz(mention: RawMention, gaz_id: str) -> RawMention:
    return RawMention(
        mention.text, mention.label, mention.start, mention.end, mention.key, gaz_id, "gazetteer"
    )


def _vote(c: Cluster) -> str:
    """The cluster's label: a rule's label wins, else the label of its fullest form, else
    the most frequent one (NER labels a lone surname less reliably than a full name)."""
    ruled = [m.label for m in c.mentions if m.rule != "ner"]
    if ruled:
        return Counter(ruled).most_common(1)[0][0]
    longest = max(len(m.key.split()) for m in c.mentions)
    full = [m.label for m in c.mentions if len(m.key.split()) == longest]
    return Counter(full).most_common(1)[0][0]


def _abbreviated(mention: RawMention, clusters: list[Cluster]) -> Cluster | None:
    """The one cluster whose full name this short form abbreviates, if exactly one."""
    words = mention.key.split()
    family = FAMILY[mention.label]
    hits = []
    for c in clusters:
        # NER often labels a lone surname as an organisation or place: a one-word form
        # that ends a person's name in the same article is that person.
        if c.family != family and not (c.family == "person" and len(words) == 1):
            continue
        for key in c.keys:
            full = key.split()
            if len(full) <= len(words):
                if is_acronym(mention.text) and acronym(key) == mention.key.replace(" ", ""):
                    hits.append(c)
                continue
            if _is_short_form(words, full, c.family if c.family == "person" else family):
                hits.append(c)
                break
    unique = list(dict.fromkeys(id(c) for c in hits))
    return hits[0] if len(unique) == 1 else None


def _is_short_form(words: list[str], full: list[str], family: str) -> bool:
    """Whether ``words`` is how news shortens ``full`` within an article."""
    if family == "person":
        return words == full[-len(words) :]  # surname, or given names dropped
    if family == "product":
        return words == full[: len(words)]  # "Bayraktar" for "Bayraktar TB2"
    if family == "org":
        return len(words) == 1 and acronym(" ".join(full)) == words[0]
    return False
