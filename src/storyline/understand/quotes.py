"""Quotes: direct quotes and reported speech, each with its speaker, verb and span.

A direct quote is text in quotation marks; its speaker is found after it ("...,"
spokesman Dmitry Peskov said), before it (the press secretary replied: "..."), as the
subject of its sentence (Halask called the meeting "..."), or, for a quote standing
alone, carried over from the quote just before it. A reported quote is a clause
introduced by a speech verb (Two officials said on Friday that ...; ..., Putin said).

Quotation marks are paired by ``marks`` (curly, straight and tokenised ones), and the
speaker phrase is resolved to a canonical entity by ``speakers``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from storyline.model import EntityMention
from storyline.understand import attribution, speakers
from storyline.understand.attribution import Parser
from storyline.understand.marks import Quoted, quoted
from storyline.understand.speakers import Context, Found

# Verbs that attribute a direct quote.
VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|explained|noted|warned|insisted|"
    "argued|claimed|announced|declared|replied|answered|asked|wrote|writes|confirmed|denied|"
    "acknowledged|stressed|urged|recalled|remarked|commented|continued|admitted|conceded|"
    "notes|warns|insists|argues|claims|explains|"
    "promised|vowed|predicted|responded|testified|quipped|complained|fumed|shouted|"
    "underlined|emphasi[sz]ed|tweeted|posted|laughed|joked|cautioned|went on|described|"
    "telling|saying|reported|reports|is reporting|are reporting|has learned|have learned|"
    "posited|speculated|contended|maintained|stating|noting|adding|confirms|reiterated|"
    "reiterates|restated|restates|reaffirmed|repeated"
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
        "notes",
        "insists",
        "argues",
        "claims",
        "explains",
        "reported",
        "reports",
        "is reporting",
        "are reporting",
        "testified",
        "posited",
        "speculated",
        "contended",
        "maintained",
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
        # they take an object too ("repeated its opposition to ..."): the parse finds
        # their clauses
        "confirms",
        "reiterated",
        "reiterates",
        "restated",
        "restates",
        "reaffirmed",
        "repeated",
    }
)
# "the United States Senate": "states" there is no verb
_VERB = re.compile(
    rf"(?<!United )\b(?:(?:has|have|had|also|then|later)\s+)*(?P<verb>{VERBS})\b", re.I
)
_AFTER_SV = re.compile(
    rf"^\s*[,!?]?\s*(?P<speaker>[^.“”\"\n]{{1,140}}?)\s+(?<!United )(?P<verb>{VERBS})\b", re.I
)
_AFTER_VS = re.compile(
    rf"^\s*,?\s*(?:(?:has|have|had)\s+)?(?P<verb>{VERBS})\s*(?:to\s+)?"
    r"(?P<speaker>[^,“”\"\n]{1,100}?)(?=\s*(?:[,.;:]\s|[,.;:]?$|\s+(?:on|in|at|after|before|"
    r"during|to|when|who)\b))",
    re.I,
)
_ONLY_ATTRIBUTION = re.compile(
    rf"[ \t]*(?P<speaker>[^.,;:“”\"\n]{{1,60}}?)\s+(?P<verb>{VERBS})\s*\.(?=\s|$)", re.I
)
_ABBREVIATION = re.compile(
    r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Sens?|Reps?|Gov|Lt|Atty|Sgt|Capt|Gen|Col|Cpl|St|Jr|Sr|Prof|Rev|Det|Dept|"
    r"No|Jan|Feb|Aug|Sept|Oct|Nov|Dec|Calif|Fla|Okla|Kan|Conn|Tex|Ill|Mass|Ariz|Colo|Ga|Md|"
    r"Mich|Minn|Mo|Nev|Ore|Pa|Tenn|Va|Wash|Wis|Inc|Corp|Co|Ltd|vs|U\.S|U\.N|U\.K)\.(?=\s)"
)
_STATEMENT = re.compile(
    r"(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?P<noun>statement|apology|comments?|remarks?|words|"
    r"letter|tweet|post|e-?mail|claim|assertion|message|speech|response|reply)\b(?P<rest>.*)",
    re.I | re.S,
)
_MAX_SPEAKER_WORDS = 14
_WORDS = re.compile(r"\w+(?:['’]\w+)*")


def mask_abbreviations(text: str) -> str:
    """The text with the full stop of abbreviations and initials replaced (same length)."""
    return _ABBREVIATION.sub(lambda m: m.group()[:-1] + "\u2024", text)


def find(
    text: str,
    sentences: list[tuple[int, int]],
    mentions: list[EntityMention],
    parser: Parser | None = None,
    parsed: Mapping[str, Any] | None = None,
) -> list[Found]:
    """Every direct and reported quote of an article, in text order.

    With a ``parser`` (``nlp.parse``), the dependency parse attributes what the rules
    leave without a speaker and the reported clauses they miss (``attribution``).
    ``parsed`` holds sentences parsed beforehand (``first_pass``), by text: the rules
    then run once, and parse alone any other sentence they ask about.
    """
    if parser is None:
        return _find(text, sentences, mentions, None)
    if parsed is not None:
        return _find(text, sentences, mentions, attribution.Syntax(text, sentences, parser, parsed))
    # a first pass with a parser that parses nothing tells which sentences the rules
    # leave to the parse; they are parsed in one batch for the second
    first, wanted = first_pass(text, sentences, mentions)
    if not wanted:
        return first  # nothing for the parse: the second pass would find the same
    return find(text, sentences, mentions, parser, dict(zip(wanted, parser(wanted), strict=True)))


def first_pass(
    text: str, sentences: list[tuple[int, int]], mentions: list[EntityMention]
) -> tuple[list[Found], list[str]]:
    """The rules with a parser that parses nothing: what they find, and the sentences
    they leave to the parse that may hold speech. When there are none, what they find
    is what ``find`` gives; else parse those (with other articles' in one batch) and
    give them to ``find`` as ``parsed``."""
    asked = attribution.Syntax(text, sentences, None)
    found = _find(text, sentences, mentions, asked)
    spans = [(a, b) for a, b in asked.asked if asked.wants(a, b)]
    return found, list(dict.fromkeys(text[a:b] for a, b in spans))


def _find(
    text: str,
    sentences: list[tuple[int, int]],
    mentions: list[EntityMention],
    syntax: attribution.Syntax | None,
) -> list[Found]:
    masked = mask_abbreviations(text)
    ctx = Context(masked, sentences, list(mentions), speakers.roles(masked, mentions))
    ctx.syntax = syntax
    # three words at least: "aqua-musicals" tokenised as "aqua - musicals" is a term, and
    # so is one hyphenated compound ("a “bring-your-own-alcohol” policy")
    quotes = [
        q for q in quoted(masked) if len(_WORDS.findall(q.body)) >= 3 and len(q.body.split()) > 1
    ]
    ctx.quoted = [(q.start, q.end) for q in quotes]
    if syntax is not None:
        syntax.quoted = ctx.quoted
    for start, end in sentences:
        inside = [q for q in quotes if start <= q.start < end]
        if inside:
            for q in inside:
                _direct(ctx, q)
        elif not any(q.body_start < end and start < q.body_end for q in quotes):
            _reported(ctx, start, end)
        for found in attribution.reported(ctx, start, end):
            _add(ctx, found)
    return sorted(ctx.found, key=lambda f: f.start)


def _add(ctx: Context, found: Found) -> None:
    checked = attribution.recheck(ctx, found)
    if checked is None:
        return
    ctx.found.append(checked)
    ctx.last = checked


def _sentence(ctx: Context, pos: int) -> tuple[int, int]:
    return next(((a, b) for a, b in ctx.sentences if a <= pos < b), (pos, pos))


def _direct(ctx: Context, q: Quoted) -> None:
    said = _after(ctx, q.end, q.body) or _before(ctx, q.start) or _owner(ctx, q.start)
    said = said or _colon(ctx, q.start) or _subject(ctx, q.start)
    said = said or _parsed(ctx, q) or _carried(ctx, q.start)
    if said is None:
        return
    speaker, entity_id, anonymous, verb = said
    start, end = q.body_start, q.body_end
    text = ctx.text[start:end].replace("\u2024", ".").strip(" ,")
    _add(ctx, Found(text, start, end, "direct", speaker, entity_id, anonymous, verb))


def _parsed(ctx: Context, q: Quoted) -> tuple[str, str | None, bool, str] | None:
    """The speaker the parse gives the quote's sentence (``attribution.direct``)."""
    return attribution.direct(ctx, q.start, q.end)


def _after(ctx: Context, pos: int, body: str) -> tuple[str, str | None, bool, str] | None:
    """The attribution right after a quote ("...," X said), within the same sentence."""
    if body.rstrip().endswith(".") or ctx.text[pos : pos + 1] == ".":
        # the quote closed its sentence: what follows is a new one, which attributes the
        # quote only when it holds nothing else ('"... Boehner." Durbin said.')
        alone = _ONLY_ATTRIBUTION.match(ctx.text, pos + (ctx.text[pos : pos + 1] == "."))
        resolved = alone and speakers.resolve(ctx, alone["speaker"], alone.start("speaker"), pos)
        return (*resolved, alone["verb"].lower()) if alone and resolved else None
    line_end = ctx.text.find("\n", pos)
    tail = ctx.text[pos : line_end if line_end >= 0 else len(ctx.text)][:200]
    for pattern in (_AFTER_VS, _AFTER_SV):
        match = pattern.match(tail)
        if match and len(match["speaker"].split()) <= _MAX_SPEAKER_WORDS:
            resolved = speakers.resolve(ctx, match["speaker"], pos + match.start("speaker"), pos)
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


def _owner(ctx: Context, pos: int) -> tuple[str, str | None, bool, str] | None:
    """A person whose statement the quote is from ("Axelrod's comment on Sunday that House
    Republicans are under a "reign of terror"", "Braley's apology noted ... his stint
    "doing farm jobs""): a clause or speech verb must lead from the statement to the quote,
    for in "Halask called Drevik's statement "a step forward"" Halask speaks."""
    s_start, _e = _sentence(ctx, pos)
    owned = None
    for m in ctx.mentions:
        if m.label != "PERSON" or not s_start <= m.start < pos:
            continue
        statement = _STATEMENT.match(ctx.text, m.end, pos)
        if statement and (
            re.search(r"\bthat\b", statement["rest"]) or _VERB.search(statement["rest"])
        ):
            owned = (m.text, m.entity_id, False, statement["noun"].lower())
    return owned


def _colon(ctx: Context, pos: int) -> tuple[str, str | None, bool, str] | None:
    """A quote after a colon whose speaker is named just before it ("experts such as the
    prophetic Dr Ada Lindqvist: "..."")."""
    s_start, _e = _sentence(ctx, pos)
    head = ctx.text[s_start:pos]
    colon = re.search(r"\s*:\s*$", head)
    if colon is None:
        return None
    at = s_start + colon.start()
    named = [m for m in ctx.mentions if m.label == "PERSON" and m.end == at]
    if named:
        return named[-1].text, named[-1].entity_id, False, ":"
    return None


def _subject(ctx: Context, pos: int) -> tuple[str, str | None, bool, str] | None:
    """A person who opens the quote's sentence ("Halask called the meeting "..."")."""
    s_start, _e = _sentence(ctx, pos)
    head = ctx.text[s_start:pos]
    if not head.strip() or len(head.split()) > 12:
        return None
    people = [m for m in ctx.mentions if m.label == "PERSON" and s_start <= m.start < pos]
    first = people[0] if people else None
    # "But Republican Sen. Lindsey Graham called ...": a conjunction and a title may lead
    lead = re.sub(
        r"^(?:but|and|yet|so|still)\s+",
        "",
        ctx.text[s_start : first.start] if first else "",
        flags=re.I,
    )
    if first is None or lead.strip(" ,").count(" ") > 1:
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
    participle = head[:verb_at].rstrip().endswith(",") and re.match(r"\w+ing\b", head[verb_at:])
    if _JOINED.search(head, 0, verb_at) or participle:
        return _opening_subject(ctx, head, offset)
    starts = _phrase_starts(head, verb_at)
    described = _described(ctx, head, verb_at, starts, offset)
    if described:
        return described
    fallback = None
    for phrase_start in starts:
        phrase = head[phrase_start:verb_at]
        if not phrase.strip() or len(phrase.split()) > _MAX_SPEAKER_WORDS:
            continue
        resolved = speakers.resolve(ctx, phrase, offset + phrase_start, offset + phrase_start)
        if resolved and (resolved[2] or _is_person(ctx, resolved[1])):
            return resolved
        fallback = fallback or resolved
    return fallback


def _described(
    ctx: Context, head: str, verb_at: int, starts: list[int], offset: int
) -> tuple[str, str | None, bool] | None:
    """The person an apposition right before the verb describes ("Nick Merrill, a Clinton
    spokesman, said"): the name speaks, not the apposition (whose name owns the role)."""
    if len(starts) < 3 or head[starts[0] : verb_at].strip():
        return None
    apposition, name = head[starts[1] : starts[0]], head[starts[2] : starts[1] - 2]
    if not re.match(r"\s*(?:a|an|the|his|her|their|its)\s", apposition) or len(name.split()) > 4:
        return None  # "Smith, Jones said": a list, not an apposition
    resolved = speakers.resolve(ctx, name, offset + starts[2], offset + starts[2])
    if resolved and not resolved[2] and _is_person(ctx, resolved[1]):
        return resolved
    return None


def _opening_subject(ctx: Context, head: str, offset: int) -> tuple[str, str | None, bool] | None:
    """The subject that opens a sentence (a person, else an organisation, a group or a
    capitalised phrase within its first five words), for a verb joined to an earlier one
    ("Police have not released details, but say ...")."""
    words = list(re.finditer(r"\S+", head))[:5]
    limit = words[-1].end() if words else 0
    opening = [m for m in ctx.mentions if offset <= m.start < offset + limit]
    ends = [
        next((m.end - offset for m in opening if m.label == label), None)
        for label in ("PERSON", "ORG")
    ]
    group = speakers.GROUP.search(head, 0, limit)
    pronoun = re.match(r"\s*(?:he|she|they)\b", head, re.I)
    if pronoun:  # "He left the Patrick administration ..., but said"
        return speakers.resolve(ctx, pronoun.group(), offset, offset)
    capitalised = re.match(r"\s*(?:[A-Z][\w'’\u2024-]*\s+){0,2}[A-Z][\w'’-]*", head)
    ends += [x.end() for x in (group, capitalised) if x is not None]
    for end in filter(None, ends):
        resolved = speakers.resolve(ctx, head[:end], offset, offset)
        if resolved:
            return resolved
    return None


def _is_person(ctx: Context, entity_id: str | None) -> bool:
    return any(m.entity_id == entity_id and m.label == "PERSON" for m in ctx.mentions)


def _phrase_start(head: str, verb_at: int) -> int:
    """Where the speaker phrase before a verb begins: after the last clause break."""
    marks = (". ", "; ", ": ", " that ", '," ', ",” ", "” ", '" ', "'' ")
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


# "..., but say", "and added", "but did say": the verb shares the sentence's subject, and
# so does a participle after a comma ("Boehner is setting expectations ..., telling")
_JOINED = re.compile(r"(?:,|\s)\s*(?:but|and)(?:\s+(?:also|then|later|did|does|do))*\s+$", re.I)


def _reported(ctx: Context, start: int, end: int) -> None:
    """Reported speech in a sentence without quotation marks."""
    sentence = ctx.text[start:end]
    according = _ACCORDING.search(sentence)
    if according:
        _according(ctx, sentence, start, according)
        return
    if _interrupted(ctx, sentence, start) or _documents_show(ctx, sentence, start):
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


# "Progressivism, he told the conference, is a cancer ...", "The real problem, he said,
# is ...", "Instead, the paper reports, Clinton's advisers selected ...": an attribution
# set between commas inside what was said
_INTERRUPTED = re.compile(
    rf"^(?P<lead>[^,;:“”\"]{{2,150}}?),\s+(?P<speaker>[^,;:“”\"]{{1,60}}?)\s+(?P<verb>{VERBS})\b"
    r"(?P<object>[^,;:“”\"]{0,60}),\s+(?P<rest>[^“”\"]*)$",
    re.I | re.S,
)
_ADVERB = re.compile(r"(?:instead|however|still|meanwhile|moreover|but|and|yet|so)$", re.I)


def _interrupted(ctx: Context, sentence: str, start: int) -> bool:
    """Reported speech around an attribution set between commas; whether one was found."""
    match = _INTERRUPTED.match(sentence) if sentence.count(",") >= 2 else None
    if match is None or match["verb"].lower() in _REPORTED_SKIP:
        return False
    rest = match["rest"].rstrip(" .")
    if len(rest.split()) < 2 or re.match(r"(?:that|and|but|who|which)\b", rest, re.I):
        return False  # "X, he said, that ...", "..., he said, and left": not one clause
    speaker_at = match.start("speaker")
    resolved = speakers.resolve(ctx, match["speaker"], start + speaker_at, start + speaker_at)
    if resolved is None:
        return False
    lead = match["lead"].strip()
    c_start = match.start("rest") if _ADVERB.fullmatch(lead) else match.start("lead")
    c_end = match.start("rest") + len(rest)
    text = (rest if c_start == match.start("rest") else f"{lead} {rest}").replace("\u2024", ".")
    _add(
        ctx,
        Found(text, start + c_start, start + c_end, "reported", *resolved, match["verb"].lower()),
    )
    return True


# "He was convicted earlier this year ..., court records show.": records state it
_RECORDS = r"(?:[\w-]+\s+){0,3}?(?:records|documents|data|figures|filings)"
_SHOW = r"(?:show|shows|showed|indicate|indicates|indicated)"
_DOCUMENTS_SHOW = re.compile(
    rf"^(?P<said>\S.{{15,}}?),\s+(?P<source>{_RECORDS})\s+{_SHOW}\s*\.?\s*$|"
    rf"^(?P<source2>{_RECORDS})\s+(?:also\s+)?{_SHOW}\s+(?:that\s+)?(?P<said2>\S.{{15,}}?)\.?\s*$",
    re.S,
)


def _documents_show(ctx: Context, sentence: str, start: int) -> bool:
    """Records that show what the sentence says, kept as written; whether there were."""
    match = _DOCUMENTS_SHOW.match(sentence)
    if match is None:
        return False
    said = "said" if match["said"] else "said2"
    source = match["source"] or match["source2"]
    text = match[said].replace("\u2024", ".")
    c_start = start + match.start(said)
    _add(
        ctx,
        Found(text, c_start, c_start + len(match[said]), "reported", source, None, False, "show"),
    )
    return True


def _content(sentence: str, verb_start: int, verb_end: int, verb: str) -> tuple[int, int] | None:
    """The reported clause: what follows "X said (that)", else what precedes ", X said"."""
    rest = sentence[verb_end:]
    told = (
        re.match(
            r"\s+(?:the\s+|a\s+)?(?:(?:[A-Z][\w.'’-]*|[\w-]+\.com)\s+){1,4}|\s+"
            r"(?:reporters|journalists|us|me|him|her|them)\s+",
            rest,
        )
        if (verb in ("told", "tells", "telling"))
        else None
    )
    skip_object = told.end() - 1 if told else 0
    that = re.match(r"[\s,]+(?:[^.;:]{0,80}?\s)?that\s+", rest[skip_object:])
    bare = re.match(
        r"\s+(?:(?:on|last|this)\s+\w+(?:\s+(?:morning|afternoon|evening|night))?"
        r",?\s+)?(?!(?:in|at|with|for|to|after|before|during|ahead|on|about|of|from|"
        r"by|as|when|while|without|but|and|earlier|later|last|this)\b)(?=[A-Za-z])",
        rest[skip_object:],
    )
    # "said her son was home that night": a "that" too late to open the clause
    skips = [skip_object + that.end()] if that else []
    if bare and (verb in _BARE_CLAUSE or told):
        skips.append(skip_object + bare.end())
    for skip in skips:
        body = rest[skip:].rstrip(' .“”"')
        if len(body.split()) >= 4:
            return verb_end + skip, verb_end + skip + len(body)
    phrase_start = _phrase_start(sentence, verb_start)
    before = sentence[:phrase_start].rstrip(" ,")
    if (
        len(before.split()) >= 5
        and sentence[:phrase_start].rstrip().endswith(",")
        and _ENDS_ATTRIBUTION.match(rest)
    ):
        return 0, len(before)
    return None


# what may follow the verb of ", X said" that closes a sentence: nothing, a time or a
# place, an addressee ("In a televised debate, X stated clearly he had ..." is no such
# attribution: what was said follows the verb)
_ENDS_ATTRIBUTION = re.compile(
    r"\s*(?:[.!?;,:)“”\"'’]|$|(?:on|in|at|to|during|after|before|from|of|with|by|for|"
    r"last|this|earlier|later|yesterday|today|tonight|when|while|as|outside|via|through|"
    r"told|reporters|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)",
    re.I,
)


# "..., according to police.", "According to the agency, ...", "The Orioles, according to
# reports, have offered ...": the source X states what the sentence says, as "X said" would
_ACCORDING = re.compile(
    r"\baccording to\s+(?P<source>[^,;:\n“”\"]{1,120}?)\s*(?P<close>[,;:]|[.!?]?\s*$)", re.I
)
# "according to plan", "according to the law": in accordance with something, not a source
_NOT_A_SOURCE = re.compile(
    r"^(?:the\s+|their\s+|its\s+|his\s+|her\s+)?(?:plans?|schedule|law|laws|rules?|"
    r"tradition|custom|protocol|procedures?|regulations?|guidelines|policy|script|form)\b",
    re.I,
)
_MAX_SOURCE_WORDS = 12


def _according(ctx: Context, sentence: str, start: int, match: re.Match[str]) -> None:
    """Reported speech attributed by "according to X" (the gold files' convention: X is a
    person, group, organisation or document that states what the sentence says)."""
    source = match["source"]
    words = source.split()
    if len(words) > _MAX_SOURCE_WORDS or _NOT_A_SOURCE.match(source):
        return
    # a verb in the source means the phrase ran on into the clause ("according to
    # officials the smuggling ... has doubled"): no clear source
    if re.search(r"\b(?:is|are|was|were|has|have|had|will|would)\b", source):
        return
    offset = start + match.start("source")
    resolved = speakers.resolve(ctx, source, offset, start + match.start())
    if resolved is None:
        shown, _at = speakers.trim(source, offset)
        resolved = (shown.replace("\u2024", "."), None, False)
    lead = sentence[: match.start()]
    if not lead.strip(" ,"):  # "According to X, what was said."
        c_end = len(sentence.rstrip(' .”"'))
        c_start = match.end() + len(sentence[match.end() :]) - len(sentence[match.end() :].lstrip())
    else:  # "What was said, according to X." or "S, according to X, rest."
        c_start, c_end = len(lead) - len(lead.lstrip()), len(sentence.rstrip(' .”"'))
        if match["close"] not in (",", ";", ":"):
            c_end = len(lead.rstrip(" ,"))
    text = sentence[c_start:c_end].replace("\u2024", ".")
    if len(text.split()) < 4:
        return
    _add(ctx, Found(text, start + c_start, start + c_end, "reported", *resolved, "according to"))
