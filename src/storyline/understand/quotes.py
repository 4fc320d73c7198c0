"""Quotes: direct quotes and reported speech, each with its speaker, verb and span.

A direct quote is text in quotation marks; its speaker is found after it ("...,"
spokesman Dmitry Peskov said), before it (the press secretary replied: "..."), as the
subject of its sentence (Halask called the meeting "..."), or, for a quote standing
alone, carried over from the quote just before it. A reported quote is a clause
introduced by a speech verb (Two officials said on Friday that ...; ..., Putin said).

The speaker phrase is resolved to a canonical entity: a name in it, a pronoun (the last
speaker, else the nearest person named before), a role noun pointing to a person named
with that role ("the press secretary"), or an organisation that speaks (the Kremlin
said). Unnamed officials and sources are anonymous; unnamed groups and institutions
("police said", "the union says") are kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storyline.model import EntityMention
from storyline.understand.names import TITLES, name_key

# Verbs that attribute a direct quote.
VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|explained|noted|warned|insisted|"
    "argued|claimed|announced|declared|replied|answered|asked|wrote|writes|confirmed|denied|"
    "acknowledged|stressed|urged|recalled|remarked|commented|continued|admitted|conceded|"
    "promised|vowed|predicted|responded|testified|quipped|complained|fumed|shouted|"
    "underlined|emphasi[sz]ed|tweeted|posted|laughed|joked|cautioned|went on|described|"
    "telling|saying"
)
# Verbs followed directly by what was said ("X said the talks failed"); the others
# need "that" ("X confirmed that ...") or take an object, not a clause.
_BARE_CLAUSE = frozenset(
    [
        "said",
        "says",
        "say",
        "added",
        "adds",
        "insisted",
        "argued",
        "claimed",
        "wrote",
        "writes",
        "stressed",
        "explained",
        "noted",
        "acknowledged",
        "admitted",
        "conceded",
        "recalled",
        "replied",
        "answered",
        "tweeted",
        "saying",
    ]
)
_REPORTED_SKIP = frozenset(
    {
        "asked",
        "continued",
        "urged",
        "promised",
        "vowed",
        "described",
        "went on",
        "posted",
        "laughed",
        "joked",
        "tweeted",
    }
)
_QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|„([^“”\n]+)[“”]|«([^»\n]+)»")
_VERB = re.compile(rf"\b(?:(?:has|have|had|also|then|later)\s+)*(?P<verb>{VERBS})\b", re.I)
_AFTER_SV = re.compile(
    rf"^\s*[,!?]?\s*(?P<speaker>[^.“”\"\n]{{1,140}}?)\s+(?P<verb>{VERBS})\b", re.I
)
_AFTER_VS = re.compile(
    rf"^\s*,?\s*(?:(?:has|have|had)\s+)?(?P<verb>{VERBS})\s*(?:to\s+)?"
    r"(?P<speaker>[^,“”\"\n]{1,100}?)(?=\s*(?:[,.;:]\s|[,.;:]?$|\s+(?:on|in|at|after|before|"
    r"during|to|when|who)\b))",
    re.I,
)
_ANONYMOUS = re.compile(
    r"\b(?:anonymity|not to be (?:named|identified)|not to name|not authori[sz]ed|unnamed|"
    r"anonymous|insiders?|^(?:officials|sources)\b|(?:an?|one|two|three|several|some|another|"
    r"other|senior|the|our|government|port|city|state|white house|(?:\w+ )?familiar) "
    r"(?:[\w-]+ ){0,3}(?:officials?|sources?|diplomats?|insiders?|workers?|employees?|"
    r"residents?|witness(?:es)?|member of the \w+|friend)|^an? (?:[\w-]+ ){0,2}"
    r"(?:spokesman|spokeswoman|spokesperson|supervisor|official|source|worker|member))\b",
    re.I,
)
_GROUP = re.compile(
    r"\b(?:police|officers|detectives|investigators|dispatchers|authorities|prosecutors|"
    r"union|company|office|council|authority|government|ministry|committee|agency|"
    r"department|services|crews|staff|analysts|experts|importers|exporters|traders|"
    r"operators|organi[sz]ers|relatives|family|aides|skippers|newspaper|chamber|manager|"
    r"spokesman|spokeswoman|spokesperson|aide|officials|presidents|leaders|lenders|banks)\b",
    re.I,
)
_PRONOUN = re.compile(r"^(?:he|she|they)$", re.I)
_RELATIVE = re.compile(r"^(?:which|who|whose|where|that|when|while|as|if)\b", re.I)
ROLE_WORDS = {
    "spokesman": "spokes",
    "spokeswoman": "spokes",
    "spokesperson": "spokes",
    "press secretary": "spokes",
    "press officer": "spokes",
    "secretary": "secretary",
    "minister": "minister",
    "president": "president",
    "prime minister": "prime minister",
    "head of state": "president",
    "head of the state": "president",
    "chancellor": "chancellor",
    "governor": "governor",
    "mayor": "mayor",
    "chief": "chief",
    "chairman": "chair",
    "chairwoman": "chair",
    "ceo": "ceo",
    "chief executive": "ceo",
    "director": "director",
    "leader": "leader",
    "analyst": "analyst",
    "sheriff": "sheriff",
    "police chief": "chief",
    "lawyer": "lawyer",
    "attorney": "attorney",
    "coach": "coach",
    "mediator": "mediator",
    "publicist": "spokes",
}
_ROLE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, ROLE_WORDS), key=len, reverse=True)) + r")\b", re.I
)
_ABBREVIATION = re.compile(
    r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Lt|Sgt|Capt|Gen|Col|Cpl|St|Jr|Sr|Prof|Rev|Det|Dept|"
    r"No|Jan|Feb|Aug|Sept|Oct|Nov|Dec|Calif|Fla|Okla|Kan|Conn|Tex|Ill|Mass|Ariz|Colo|Ga|Md|"
    r"Mich|Minn|Mo|Nev|Ore|Pa|Tenn|Va|Wash|Wis|Inc|Corp|Co|Ltd|vs|U\.S|U\.N|U\.K)\.(?=\s)"
)
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


@dataclass(slots=True)
class Context:
    """What speaker resolution may use, and the last speaker (for pronouns)."""

    text: str
    sentences: list[tuple[int, int]]
    mentions: list[EntityMention]
    role_holder: dict[str, list[tuple[int, str]]]
    last: Found | None = None
    found: list[Found] = field(default_factory=list)


def mask_abbreviations(text: str) -> str:
    """The text with the full stop of abbreviations and initials replaced (same length)."""
    return _ABBREVIATION.sub(lambda m: m.group()[:-1] + "\u2024", text)


def find(text: str, sentences: list[tuple[int, int]], mentions: list[EntityMention]) -> list[Found]:
    """Every direct and reported quote of an article, in text order."""
    masked = mask_abbreviations(text)
    ctx = Context(masked, sentences, list(mentions), _roles(masked, mentions))
    quotes = [m for m in _QUOTE.finditer(masked) if len(_body(m).split()) >= 3]
    for start, end in sentences:
        inside = [m for m in quotes if start <= m.start() < end]
        if inside:
            for match in inside:
                _direct(ctx, match)
        elif not any(m.start() < end and start < m.end() for m in quotes):
            _reported(ctx, start, end)
    return sorted(ctx.found, key=lambda f: f.start)


def _body(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g is not None)


def _add(ctx: Context, found: Found) -> None:
    ctx.found.append(found)
    ctx.last = found


def _sentence(ctx: Context, pos: int) -> tuple[int, int]:
    return next(((a, b) for a, b in ctx.sentences if a <= pos < b), (pos, pos))


def _direct(ctx: Context, match: re.Match[str]) -> None:
    body = _body(match)
    start, end = match.start() + 1, match.end() - 1
    attribution = _after(ctx, match.end(), body) or _before(ctx, match.start())
    attribution = attribution or _subject(ctx, match.start()) or _carried(ctx, match.start())
    if attribution is None:
        return
    speaker, entity_id, anonymous, verb = attribution
    text = ctx.text[start:end].replace("\u2024", ".").strip(" ,")
    _add(ctx, Found(text, start, end, "direct", speaker, entity_id, anonymous, verb))


def _after(ctx: Context, pos: int, body: str) -> tuple[str, str | None, bool, str] | None:
    """The attribution right after a quote ("...," X said), within the same sentence."""
    if body.rstrip().endswith(".") or ctx.text[pos : pos + 1] == ".":
        return None  # the quote closed its sentence: what follows is a new one
    line_end = ctx.text.find("\n", pos)
    tail = ctx.text[pos : line_end if line_end >= 0 else len(ctx.text)][:200]
    for pattern in (_AFTER_VS, _AFTER_SV):
        match = pattern.match(tail)
        if match and len(match["speaker"].split()) <= _MAX_SPEAKER_WORDS:
            resolved = _speaker(ctx, match["speaker"], pos + match.start("speaker"), pos)
            if resolved:
                return (*resolved, match["verb"].lower())
    return None


def _before(ctx: Context, pos: int) -> tuple[str, str | None, bool, str] | None:
    """The attribution before a quote in its sentence (the press secretary replied: "...")."""
    s_start, _e = _sentence(ctx, pos)
    head = ctx.text[s_start:pos]
    for verb in reversed(list(_VERB.finditer(head))):
        resolved = _phrase_speaker(ctx, head, verb.start(), s_start)
        if resolved:
            return (*resolved, verb["verb"].lower())
    return None


def _subject(ctx: Context, pos: int) -> tuple[str, str | None, bool, str] | None:
    """A person who opens the quote's sentence ("Halask called the meeting "..."")."""
    s_start, _e = _sentence(ctx, pos)
    head = ctx.text[s_start:pos]
    if not head.strip() or len(head.split()) > 12:
        return None
    people = [m for m in ctx.mentions if m.label == "PERSON" and s_start <= m.start < pos]
    first = people[0] if people else None
    if first is None or ctx.text[s_start : first.start].strip(" ,").count(" ") > 1:
        return None
    verb = ctx.text[first.end : pos].split()
    return first.text, first.entity_id, False, (verb[0].lower() if verb else "")


def _carried(ctx: Context, pos: int) -> tuple[str, str | None, bool, str] | None:
    """A quote standing alone continues the quote just before it (same or next paragraph)."""
    prev = ctx.last
    if prev is None or pos - prev.end > 400 or prev.kind != "direct":
        return None
    s_start, _e = _sentence(ctx, pos)
    if ctx.text[s_start:pos].strip():
        return None  # the sentence does not begin with the quote
    between = ctx.text[prev.end : pos]
    if between.count("\n\n") > 1 or (_VERB.search(between.split("\n\n")[-1]) and "\n\n" in between):
        return None
    return prev.speaker, prev.entity_id, prev.anonymous, prev.verb


def _phrase_speaker(
    ctx: Context, head: str, verb_at: int, offset: int
) -> tuple[str, str | None, bool] | None:
    """The best speaker for a verb: a person or anonymous source first, then anything."""
    fallback = None
    for phrase_start in _phrase_starts(head, verb_at):
        phrase = head[phrase_start:verb_at]
        if not phrase.strip() or len(phrase.split()) > _MAX_SPEAKER_WORDS:
            continue
        resolved = _speaker(ctx, phrase, offset + phrase_start, offset + phrase_start)
        if resolved and (resolved[2] or _is_person(ctx, resolved[1])):
            return resolved
        fallback = fallback or resolved
    return fallback


def _is_person(ctx: Context, entity_id: str | None) -> bool:
    return any(m.entity_id == entity_id and m.label == "PERSON" for m in ctx.mentions)


def _phrase_start(head: str, verb_at: int) -> int:
    """Where the speaker phrase before a verb begins: after the last clause break."""
    marks = (". ", "; ", ": ", " that ", '," ', ",” ", "” ", '" ')
    cuts = [
        head.rfind(mark, 0, verb_at) + len(mark)
        for mark in marks
        if head.rfind(mark, 0, verb_at) >= 0
    ]
    cut = max(cuts, default=0)
    comma = head.rfind(", ", 0, verb_at)
    if (
        comma >= 0
        and comma + 2 > cut
        and not re.search(r"\b(?:anonymity|named|name)\b", head[comma:verb_at])
    ):
        cut = comma + 2
    return cut


def _phrase_starts(head: str, verb_at: int) -> list[int]:
    """Where a speaker phrase may begin: after the last clause break, or up to two
    appositions further back ("Hüseyin Bagci, chairman of the institute, told")."""
    starts = [_phrase_start(head, verb_at)]
    while len(starts) < 5 and starts[-1] >= 2 and head[starts[-1] - 2 : starts[-1]] == ", ":
        starts.append(_phrase_start(head, starts[-1] - 2))
    return starts


_LEADING = re.compile(r"^(?:(?:but|and|while|yet|so|now|then|however|also)\b[\s,]*)+", re.I)
_TRAILING = re.compile(
    r"(?:[\s,]+(?:has|had|have|also|again|later|previously|reportedly|earlier|then|once|"
    r"would|will|recently|publicly|openly|further|separately|only|did|does|do|immediately))+$",
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


def _speaker(
    ctx: Context, phrase: str, offset: int, before: int
) -> tuple[str, str | None, bool] | None:
    """Resolve a speaker phrase: (as written, entity id or None, anonymous) or None."""
    phrase, offset = _trim(phrase, offset)
    if not phrase or _RELATIVE.match(phrase) or phrase[0] in '“"':
        return None
    shown = phrase.replace("\u2024", ".")
    inside = [m for m in ctx.mentions if offset <= m.start and m.end <= offset + len(phrase) + 1]
    # "Putin's spokesman": the named person owns the role, someone else speaks
    people = [
        m
        for m in inside
        if m.label == "PERSON"
        and not re.match(r"\s*(?:'s|’s|')(?:\s|$)", ctx.text[m.end : m.end + 3])
    ]
    if people:
        return shown, people[-1].entity_id, False
    titled = re.match(r"(?:(?:[A-Z][a-z]+)[.\u2024]?\s+)+([A-Z][\w'’-]+)$", phrase)
    if titled and name_key(phrase.split()[0]) in TITLES:
        # "Lt. Verhague": a title before a name makes it a person, whatever NER said
        named = [m for m in inside if m.end >= offset + titled.start(1)]
        if named:
            return shown, named[-1].entity_id, False
    if _ANONYMOUS.search(phrase):
        return shown, None, True
    if _PRONOUN.match(phrase):
        return _pronoun(ctx, shown, before)
    role = _ROLE.search(phrase)
    if role and len(phrase.split()) <= 5:
        holder = _holder(ctx, ROLE_WORDS[role[1].lower()], before)
        if holder or not _GROUP.search(phrase):
            return shown, holder, False
    orgs = [m for m in inside if m.label in ("ORG", "GPE", "NORP")]
    if orgs and (
        len(phrase.split()) <= 4
        or re.match(r"(?:the\s+)?$", phrase[: orgs[0].start - offset], re.I)
    ):
        return shown, orgs[0].entity_id, False
    if _GROUP.search(phrase) and len(phrase.split()) <= 8:
        return shown, None, False
    return None


def _holder(ctx: Context, role: str, before: int) -> str | None:
    """Who held a role: the last person named with it before, else the first after."""
    held = ctx.role_holder.get(role, [])
    earlier = [entity for pos, entity in held if pos <= before]
    return earlier[-1] if earlier else (held[0][1] if held else None)


def _pronoun(ctx: Context, shown: str, before: int) -> tuple[str, str | None, bool] | None:
    """He/she/they: a person named since the last quote, else the last speaker, else the
    nearest full-named person before."""
    since = ctx.last.end if ctx.last is not None else 0
    people = [
        m
        for m in ctx.mentions
        if m.label == "PERSON" and m.end <= before and len(m.name.split()) >= 2
    ]
    fresh = [m for m in people if m.start >= since]
    if fresh:
        return shown, fresh[-1].entity_id, False
    if ctx.last is not None and before - ctx.last.end < 600:
        return shown, ctx.last.entity_id, ctx.last.anonymous
    return (shown, people[-1].entity_id, False) if people else None


def _roles(text: str, mentions: list[EntityMention]) -> dict[str, list[tuple[int, str]]]:
    """Role nouns written right before or after a person's name ("Kremlin spokesman
    Dmitry Peskov", "President of Tavrenia Korvin Halasch", "Harlan Boll, her publicist"),
    with where each holder is named."""
    holders: dict[str, list[tuple[int, str]]] = {}
    for m in mentions:
        if m.label != "PERSON":
            continue
        window = text[max(0, m.start - 40) : m.start]
        roles = list(_ROLE.finditer(window))
        gap = window[roles[-1].end() :].strip(" ,") if roles else ""
        if roles and (gap.count(" ") <= 1 or re.fullmatch(r"of(?: the)? [\w-]+", gap)):
            holders.setdefault(ROLE_WORDS[roles[-1][1].lower()], []).append((m.start, m.entity_id))
            continue
        # an apposition closed by a comma: "Harlan Boll, her publicist, said"
        after = re.match(
            r",\s+(?:the\s+|his\s+|her\s+|its\s+)?(?:[\w-]+\s+){0,2}?("
            + _ROLE.pattern[3:-3]
            + r")\b[^,.;“”\"]{0,50},",
            text[m.end : m.end + 90],
            re.I,
        )
        if after:
            holders.setdefault(ROLE_WORDS[after[1].lower()], []).append((m.start, m.entity_id))
    return holders


def _reported(ctx: Context, start: int, end: int) -> None:
    """Reported speech in a sentence without quotation marks."""
    sentence = ctx.text[start:end]
    if "according to" in sentence.lower():
        return
    for verb in _VERB.finditer(sentence):
        word = verb["verb"].lower()
        if word in _REPORTED_SKIP:
            continue
        resolved = _phrase_speaker(ctx, sentence, verb.start(), start)
        if resolved is None:
            continue
        content = _content(sentence, verb.start(), verb.end(), word)
        if content is None:
            continue
        c_start, c_end = content
        text = sentence[c_start:c_end].replace("\u2024", ".")
        _add(ctx, Found(text, start + c_start, start + c_end, "reported", *resolved, word))
        return


def _content(sentence: str, verb_start: int, verb_end: int, verb: str) -> tuple[int, int] | None:
    """The reported clause: what follows "X said (that)", else what precedes ", X said"."""
    rest = sentence[verb_end:]
    told = (
        re.match(
            r"\s+(?:the\s+|a\s+)?(?:(?:[A-Z][\w.'’-]*|[\w-]+\.com)\s+){1,4}|\s+"
            r"(?:reporters|journalists|us|me|him|her|them)\s+",
            rest,
        )
        if (verb in ("told", "tells"))
        else None
    )
    skip_object = told.end() - 1 if told else 0
    that = re.match(r"\s+(?:[^.;:]{0,80}?\s)?that\s+", rest[skip_object:])
    bare = re.match(
        r"\s+(?:(?:on|last|this)\s+\w+(?:\s+(?:morning|afternoon|evening|night))?"
        r",?\s+)?(?!(?:in|at|with|for|to|after|before|during|ahead|on|about|of|from|"
        r"by|as|when|while|without|but|and|earlier|later|last|this)\b)(?=[A-Za-z])",
        rest[skip_object:],
    )
    if that:
        skip: int | None = skip_object + that.end()
    elif bare and (verb in _BARE_CLAUSE or told):
        skip = skip_object + bare.end()
    else:
        skip = None
    if skip is not None:
        body = rest[skip:].rstrip(' .“”"')
        if len(body.split()) >= 4:
            return verb_end + skip, verb_end + skip + len(body)
    phrase_start = _phrase_start(sentence, verb_start)
    before = sentence[:phrase_start].rstrip(" ,")
    if len(before.split()) >= 5 and sentence[:phrase_start].rstrip().endswith(","):
        return 0, len(before)
    return None
