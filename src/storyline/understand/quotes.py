"""Quotes: direct quotes and reported speech, each with its speaker, verb and span.

A direct quote is text in quotation marks; its speaker is found after it ("...,"
spokesman Dmitry Peskov said), before it (the press secretary replied: "...") or, for a
quote with no attribution of its own, carried over from the quote just before it. A
reported quote is a clause introduced by a speech verb (Two officials said on Friday
that ...; ..., Putin said). The speaker phrase is resolved to a canonical entity: a
name in it, a pronoun or role noun pointing back to a person named earlier ("the press
secretary"), a head-of-state role ("the Turkish president"), or marked anonymous ("a
senior official, speaking on condition of anonymity").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.model import EntityMention

VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|explained|noted|warned|insisted|"
    "argued|claimed|announced|declared|replied|answered|asked|wrote|confirmed|denied|"
    "acknowledged|stressed|urged|recalled|remarked|commented|continued|admitted|conceded|"
    "promised|vowed|predicted|responded|testified|quipped|complained"
)
_QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|„([^“”\n]+)[“”]|«([^»\n]+)»")
_AFTER_SV = re.compile(
    rf"^\s*[,.!?]?\s*(?P<speaker>[^.“”\"\n]{{1,140}}?)\s+(?P<verb>{VERBS})\b", re.I
)
_AFTER_VS = re.compile(rf"^\s*,?\s*(?P<verb>{VERBS})\s+(?P<speaker>[^.,“”\"\n]{{1,100}})", re.I)
_VERB = re.compile(rf"\b(?P<verb>{VERBS})\b", re.I)
_ANONYMOUS = re.compile(
    r"\b(?:anonymity|not to be (?:named|identified)|not authori[sz]ed|unnamed|anonymous|"
    r"insider|(?:an?|one|two|three|several|some|another|other|senior|the) "
    r"(?:[\w-]+ ){0,3}(?:officials?|sources?|diplomats?|aides?|workers?|residents?|"
    r"witness(?:es)?|insiders?|employees?|people|persons?|officers?))\b",
    re.I,
)
_PRONOUN = re.compile(r"^(?:he|she|they)$", re.I)
ROLE_WORDS = {
    "spokesman": "spokes", "spokeswoman": "spokes", "spokesperson": "spokes",
    "press secretary": "spokes", "press officer": "spokes", "secretary": "secretary",
    "minister": "minister", "president": "president", "prime minister": "prime minister",
    "chancellor": "chancellor", "governor": "governor", "mayor": "mayor", "chief": "chief",
    "chairman": "chair", "chairwoman": "chair", "ceo": "ceo", "chief executive": "ceo",
    "director": "director", "leader": "leader", "analyst": "analyst", "sheriff": "sheriff",
    "police chief": "chief", "lawyer": "lawyer", "attorney": "attorney", "coach": "coach",
}  # fmt: skip
_ROLE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, ROLE_WORDS), key=len,
                                              reverse=True)) + r")\b", re.I)  # fmt: skip
_MAX_SPEAKER_WORDS = 14


@dataclass(frozen=True, slots=True)
class Found:
    """A quote found in one article, before it is matched to quotes in other articles."""

    text: str
    start: int
    end: int
    kind: str
    speaker: str
    entity_id: str | None
    anonymous: bool
    verb: str


@dataclass(frozen=True, slots=True)
class Context:
    """What speaker resolution may use: the text, its sentences and entity mentions."""

    text: str
    sentences: list[tuple[int, int]]
    mentions: list[EntityMention]
    role_holder: dict[str, str]  # e.g. "spokes" -> entity id of the spokesman named earlier


def find(text: str, sentences: list[tuple[int, int]], mentions: list[EntityMention],
         head_of_state: object | None = None) -> list[Found]:  # fmt: skip
    """Every direct and reported quote of an article, in text order."""
    ctx = Context(text, sentences, [m for m in mentions], _roles(text, mentions))
    found = _direct(ctx)
    covered = [(f.start, f.end) for f in found]
    for start, end in sentences:
        if any(a < end and start < b for a, b in covered):
            continue
        reported = _reported(ctx, start, end)
        if reported:
            found.append(reported)
    return sorted(found, key=lambda f: f.start)


def _sentence(ctx: Context, pos: int) -> tuple[int, int]:
    return next(((a, b) for a, b in ctx.sentences if a <= pos < b), (0, len(ctx.text)))


def _direct(ctx: Context) -> list[Found]:
    out: list[Found] = []
    for match in _QUOTE.finditer(ctx.text):
        body = next(g for g in match.groups() if g is not None)
        if len(body.split()) < 3:
            continue  # a scare-quoted word or title, not a quote
        start, end = match.start() + 1, match.end() - 1
        attribution = _after(ctx, match.end()) or _before(ctx, match.start())
        if attribution is None and out and match.start() - out[-1].end < 400:
            prev = out[-1]
            attribution = (prev.speaker, prev.entity_id, prev.anonymous, prev.verb)
        if attribution is None:
            continue
        speaker, entity_id, anonymous, verb = attribution
        out.append(Found(body.strip(" ,"), start, end, "direct", speaker, entity_id,
                         anonymous, verb))  # fmt: skip
    return out


def _after(ctx: Context, pos: int) -> tuple[str, str | None, bool, str] | None:
    _s, s_end = _sentence(ctx, pos - 1)
    tail = ctx.text[pos : max(s_end, pos + 160)]
    for pattern in (_AFTER_VS, _AFTER_SV):
        match = pattern.match(tail)
        if match and len(match["speaker"].split()) <= _MAX_SPEAKER_WORDS:
            offset = pos + match.start("speaker")
            resolved = _speaker(ctx, match["speaker"], offset, pos)
            if resolved:
                return (*resolved, match["verb"].lower())
    return None


def _before(ctx: Context, pos: int) -> tuple[str, str | None, bool, str] | None:
    s_start, _e = _sentence(ctx, pos)
    head = ctx.text[s_start:pos]
    verbs = list(_VERB.finditer(head))
    for verb in reversed(verbs):
        for phrase_start in _phrase_starts(head, verb.start()):
            phrase = head[phrase_start : verb.start()]
            if phrase.strip() and len(phrase.split()) <= _MAX_SPEAKER_WORDS:
                resolved = _speaker(ctx, phrase, s_start + phrase_start, s_start)
                if resolved:
                    return (*resolved, verb["verb"].lower())
    return None


def _phrase_starts(head: str, verb_at: int) -> list[int]:
    """Where a speaker phrase may begin: after the last clause break, or one apposition
    further back ("Hüseyin Bagci, chairman of the institute, told")."""
    starts = [_phrase_start(head, verb_at)]
    while len(starts) < 3 and starts[-1] >= 2 and head[starts[-1] - 2 : starts[-1]] == ", ":
        starts.append(_phrase_start(head, starts[-1] - 2))
    return starts


def _phrase_start(head: str, verb_at: int) -> int:
    """Where the speaker phrase before a verb begins: after the last clause break."""
    cut = max(head.rfind(mark, 0, verb_at) for mark in (". ", "; ", ": ", " that ", "\n"))
    comma = head.rfind(", ", 0, verb_at)
    if comma > cut and not re.search(r"\b(?:anonymity|named|who)\b", head[comma:verb_at]):
        cut = comma
    return 0 if cut < 0 else cut + 2 if head[cut : cut + 2] in (". ", "; ", ": ", ", ") else (
        cut + 6 if head[cut : cut + 6] == " that " else cut + 1)  # fmt: skip


def _speaker(ctx: Context, phrase: str, offset: int,
             before: int) -> tuple[str, str | None, bool] | None:  # fmt: skip
    """Resolve a speaker phrase: (as written, entity id or None, anonymous) or None."""
    phrase, offset = _trim(phrase, offset)
    if not phrase:
        return None
    inside = [m for m in ctx.mentions if offset <= m.start and m.end <= offset + len(phrase) + 1]
    # "Putin's spokesman": the named person owns the role, someone else speaks
    people = [m for m in inside if m.label == "PERSON"
              and not re.match(r"\s*(?:'s|’s)\b", ctx.text[m.end : m.end + 3])]
    if people:
        return phrase, people[-1].entity_id, False
    if _ANONYMOUS.search(phrase):
        return phrase, None, True
    if _PRONOUN.match(phrase):
        earlier = [m for m in ctx.mentions if m.label == "PERSON" and m.end <= before]
        return (phrase, earlier[-1].entity_id, False) if earlier else None
    role = _ROLE.search(phrase)
    if role and len(phrase.split()) <= 5:
        holder = ctx.role_holder.get(ROLE_WORDS[role[1].lower()])
        return (phrase, holder, False) if holder else (phrase, None, False)
    orgs = [m for m in inside if m.label in ("ORG", "GPE")]
    if orgs and len(phrase.split()) <= 4:
        return phrase, orgs[-1].entity_id, False
    return None


_LEADING = re.compile(r"^(?:(?:but|and|while|yet|so|now|then|however|also)\b[\s,]*)+", re.I)
_TRAILING = re.compile(
    r"(?:[\s,]+(?:has|had|have|also|again|later|previously|reportedly|earlier|then|once|"
    r"had also|has also|would|will|recently|publicly|openly|further|separately))+$",
    re.I,
)


def _trim(phrase: str, offset: int) -> tuple[str, int]:
    """A speaker phrase without leading conjunctions and trailing auxiliaries."""
    stripped = phrase.strip(" ,")
    offset += len(phrase) - len(phrase.lstrip(" ,"))
    lead = _LEADING.match(stripped)
    if lead:
        stripped, offset = stripped[lead.end() :], offset + lead.end()
    return _TRAILING.sub("", stripped).strip(" ,"), offset


def _roles(text: str, mentions: list[EntityMention]) -> dict[str, str]:
    """Role nouns written right before a person's name ("Kremlin spokesman Dmitry Peskov")."""
    holders: dict[str, str] = {}
    for m in mentions:
        if m.label != "PERSON":
            continue
        window = text[max(0, m.start - 40) : m.start]
        after = text[m.end : m.end + 30]
        roles = list(_ROLE.finditer(window))
        if roles and window[roles[-1].end() :].strip(" ,").count(" ") <= 1:
            holders.setdefault(ROLE_WORDS[roles[-1][1].lower()], m.entity_id)
        elif found := re.match(r",\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(" + _ROLE.pattern[3:-3] + r")",
                               after, re.I):  # fmt: skip
            holders.setdefault(ROLE_WORDS[found[1].lower()], m.entity_id)
    return holders


def _reported(ctx: Context, start: int, end: int) -> Found | None:
    """Reported speech in a sentence without quotation marks."""
    sentence = ctx.text[start:end]
    if "according to" in sentence.lower():
        return None
    for verb in _VERB.finditer(sentence):
        if verb["verb"].lower() in ("asked", "continued"):
            continue
        resolved = None
        for phrase_start in _phrase_starts(sentence, verb.start()):
            phrase = sentence[phrase_start : verb.start()]
            if phrase.strip() and len(phrase.split()) <= _MAX_SPEAKER_WORDS:
                resolved = _speaker(ctx, phrase, start + phrase_start, start + phrase_start)
            if resolved:
                break
        if resolved is None:
            continue
        content = _content(sentence, phrase_start, verb.end())
        if content is None:
            continue
        c_start, c_end = content
        return Found(sentence[c_start:c_end], start + c_start, start + c_end, "reported",
                     *resolved, verb["verb"].lower())  # fmt: skip
    return None


def _content(sentence: str, phrase_start: int, verb_end: int) -> tuple[int, int] | None:
    """The reported clause: what follows "X said (that)", else what precedes ", X said"."""
    rest = sentence[verb_end:]
    that = re.match(r"\s+(?:[^,.;:]{0,80}?\s)?that\s+", rest)
    when = re.match(r"\s+(?:(?:on|last|this)\s+\w+(?:\s+(?:morning|afternoon|evening|night))?"
                    r",?\s+)?(?!(?:in|at|with|for|to|after|before|during|ahead|on|about|of|from|"
                    r"by|as|when|while|without|but|and|earlier|later|last|this)\b)(?=[a-z])",
                    rest)  # fmt: skip
    skip = that.end() if that else when.end() if when else None
    if skip is not None:
        body = rest[skip:].rstrip(" .“”\"")
        if len(body.split()) >= 4:
            return verb_end + skip, verb_end + skip + len(body)
    before = sentence[:phrase_start].rstrip(" ,")
    if len(before.split()) >= 5 and sentence[:phrase_start].rstrip().endswith(","):
        return 0, len(before)
    return None
