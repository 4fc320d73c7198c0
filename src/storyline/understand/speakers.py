"""Speakers: who a speaker phrase names.

A phrase resolves to a canonical entity: a person named in it (not one named as the
owner of a role, "Putin's spokesman"), a titled name or lone surname of a person the
article names in full ("Lt. Verhague"), a pronoun (a person named since the last quote,
else the last speaker, else the nearest person named in full before), a role noun
pointing to a person named with that role ("the press secretary"), or an organisation
that speaks (the Kremlin said). Unnamed officials and sources are anonymous; unnamed
groups and institutions ("police said", "the union says") are kept as written.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from storyline.model import EntityMention
from storyline.understand.names import TITLES, name_key

_ANONYMOUS = re.compile(
    r"\b(?:anonymity|not to be (?:named|identified)|not to name|not authori[sz]ed|unnamed|"
    r"anonymous|insiders?|^(?:officials|sources)\b|(?:an?|one|two|three|several|some|another|"
    r"other|senior|the|our|government|port|city|state|white house|(?:\w+ )?familiar) "
    r"(?:[\w-]+ ){0,3}(?:officials?|sources?|diplomats?|insiders?|workers?|employees?|"
    r"residents?|witness(?:es)?|member of the \w+|friend)|^an? (?:[\w-]+ ){0,2}"
    r"(?:spokesman|spokeswoman|spokesperson|supervisor|official|source|worker|member)|"
    r"^(?:someone|somebody|one of (?:them|those|the \w+)))\b",
    re.I,
)
GROUP = re.compile(
    r"\b(?:police|officers|detectives|investigators|dispatchers|authorities|prosecutors|"
    r"union|company|office|council|authority|government|ministry|committee|agency|"
    r"department|services|crews|staff|analysts|experts|importers|exporters|traders|"
    r"operators|organi[sz]ers|relatives|family|aides|skippers|newspaper|chamber|manager|"
    r"spokesman|spokeswoman|spokesperson|aide|officials|presidents|leaders|lenders|banks|"
    r"critics|people|residents|neighbou?rs|witnesses|democrats|republicans|reports?|records|"
    r"rumou?rs|website|release)\b",
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
    # the people of an outlet: "the Fox News host" is the host, not Fox News
    "host": "host",
    "anchor": "host",
    "correspondent": "correspondent",
    "reporter": "reporter",
    "columnist": "columnist",
    "sergeant": "sergeant",
    "sgt": "sergeant",
    "officer": "officer",
    "detective": "detective",
    # abbreviated titles hold the role of their full word ("Gov. X ... the governor said");
    # a "." in a key is the abbreviation's full stop, masked or not
    "gov.": "governor",
    "lieutenant governor": "lieutenant governor",
    "lt. gov.": "lieutenant governor",
    "senator": "senator",
    "sen.": "senator",
    "congressman": "representative",
    "congresswoman": "representative",
    "rep.": "representative",
    "attorney general": "attorney general",
    "atty. gen.": "attorney general",
}


def _role_pattern(word: str) -> str:
    """A role word as a pattern: its full stops masked or not, any space between words;
    an abbreviation's last full stop is left to the text after it."""
    parts = [re.escape(p.strip()) for p in word.removesuffix(".").split(".")]
    return r"[.\u2024]\s*".join(p.replace(r"\ ", r"\s+") for p in parts)


_ROLE = re.compile(
    r"\b(" + "|".join(_role_pattern(w) for w in sorted(ROLE_WORDS, key=len, reverse=True)) + r")\b",
    re.I,
)


def _role_key(written: str) -> str:
    key = re.sub(r"\s+", " ", written.lower().replace("\u2024", "."))
    return key if key in ROLE_WORDS else key + "."


def role_of(written: str) -> str:
    """The role a role word as written holds ("Lt\u2024 Gov" -> "lieutenant governor")."""
    return ROLE_WORDS[_role_key(written)]


# a capitalised role word right before a name of two or three capitalised words
_ROLE_NAME = re.compile(
    r"(?<![\w-])(?i:" + _ROLE.pattern[3:-3] + r")[.\u2024]?\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})$"
)


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
    quoted: list[tuple[int, int]] = field(default_factory=list)  # spans in quotation marks
    syntax: Any = None  # attribution.Syntax: the parse of the article's speech sentences


_LEADING = re.compile(r"^(?:(?:but|and|while|yet|so|now|then|however|also)\b[\s,]*)+", re.I)
_TRAILING = re.compile(
    r"(?:[\s,]+(?:has|had|have|also|again|later|previously|reportedly|earlier|then|once|"
    r"would|will|recently|publicly|openly|further|separately|only|did|does|do|immediately|"
    r"often|frequently|repeatedly|regularly|usually|still))+$",
    re.I,
)


_OWNS_ROLE = re.compile(_ROLE.pattern + r"\s+(?:for|of|to)\s+$", re.I)
# a role noun (or aide, adviser) right after a name, with at most one word between
_ROLE_AFTER = re.compile(
    r"\s+(?-i:[a-z][\w-]*\s+)?(?:" + _ROLE.pattern[3:-3] + r"|aides?|advis[eo]rs?)\b", re.I
)


def trim(phrase: str, offset: int) -> tuple[str, int]:
    """A speaker phrase without leading conjunctions and trailing auxiliaries."""
    stripped = phrase.strip(" ,")
    offset += len(phrase) - len(phrase.lstrip(" ,"))
    lead = _LEADING.match(stripped)
    if lead:
        stripped, offset = stripped[lead.end() :], offset + lead.end()
    return _TRAILING.sub("", stripped).strip(" ,"), offset


def resolve(
    ctx: Context, phrase: str, offset: int, before: int
) -> tuple[str, str | None, bool] | None:
    """Resolve a speaker phrase: (as written, entity id or None, anonymous) or None."""
    phrase, offset = trim(phrase, offset)
    if not phrase or _RELATIVE.match(phrase) or phrase[0] in '“"':
        return None
    shown = phrase.replace("\u2024", ".")
    inside = [m for m in ctx.mentions if offset <= m.start and m.end <= offset + len(phrase) + 1]
    # "Putin's spokesman", "a spokesperson for Grassley": the named person owns the role,
    # someone else speaks
    people = [
        m
        for m in inside
        if m.label == "PERSON"
        and not _possessive(ctx, m)
        and not _OWNS_ROLE.search(ctx.text[max(0, m.start - 30) : m.start])
        # "a Clinton spokesman", "an Obama campaign aide": the name owns the role
        and not _ROLE_AFTER.match(ctx.text, m.end, offset + len(phrase))
        # "the regional office in Avon": a name after "in" or "at" is a place
        and not re.search(r"\b(?:in|at)\s+$", ctx.text[max(0, m.start - 4) : m.start])
    ]
    if people:
        return shown, _by_first_name(ctx, people[-1]), False
    titled = re.match(r"(?:(?:[A-Z][a-z]+)[.\u2024]?\s+)*([A-Z][\w'’-]+)$", phrase)
    if titled and (titled.start(1) == 0 or name_key(phrase.split()[0]) in TITLES):
        # "Lt. Verhague", "Verhague": a titled name or a lone surname is a person,
        # whatever NER said; NER may have missed it, but not the full name earlier
        named = [m for m in inside if m.end >= offset + titled.start(1)]
        named_id = named[-1].entity_id if named else by_surname(ctx, titled[1])
        if named_id:
            return shown, named_id, False
    named_holder = _ROLE_NAME.search(phrase)
    if named_holder:
        # "Tulsa Police Officer Leland Ashley": the role's holder is named right here,
        # even when NER missed the name or took it for something else; never an earlier
        # holder of the same role
        at = offset + named_holder.start("name")
        named = [m for m in inside if m.end > at]
        surname = named_holder["name"].split()[-1]
        return shown, named[-1].entity_id if named else by_surname(ctx, surname), False
    if _ANONYMOUS.search(phrase):
        return shown, None, True
    if _PRONOUN.match(phrase):
        return _pronoun(ctx, shown, before)
    role = _ROLE.search(phrase)
    if role and len(phrase.split()) <= 5:
        holder = _holder(ctx, role_of(role[1]), before)
        if holder or not GROUP.search(phrase):
            return shown, holder, False
    orgs = [m for m in inside if m.label in ("ORG", "GPE", "NORP")]
    if orgs and (
        len(phrase.split()) <= 4
        or re.match(r"(?:the\s+)?$", phrase[: orgs[0].start - offset], re.I)
    ):
        return shown, orgs[0].entity_id, False
    if GROUP.search(phrase) and len(phrase.split()) <= 8:
        return shown, None, False
    if _UNNAMED.fullmatch(phrase) and not _NOT_NOUN.search(phrase):
        return shown, None, False  # "one man at the scene", "Roberts' mother"
    return None


# an unnamed speaker: a determiner or an owner, then a common noun
_UNNAMED = re.compile(
    r"(?:(?:a|an|the|one|another|some|two|three|four|several|many)\s+|"
    r"[A-Z][\w-]*(?:'s|’s|'|’)\s+)(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*"
    r"(?:\s+(?:at|in|from|outside|near)\s+(?:the\s+)?[a-z][\w-]*)?"
)
_NOT_NOUN = re.compile(r"\b(?:of|does|do|did|not|was|is|were|are|has|have|had|who|which)\b")
_TITLE_GENDER = re.compile(r"\b(?:(?P<m>Mr)|(?P<f>Mrs|Ms|Miss))[.\u2024]?\s+$")


def _genders(ctx: Context) -> dict[str, str]:
    """The sex of people the text titles Mr. or Mrs./Ms., else of those whose first name
    is clearly male or female (``first_name_gender``); no guess for the others."""
    genders: dict[str, str] = {}
    for m in ctx.mentions:
        title = _TITLE_GENDER.search(ctx.text[max(0, m.start - 6) : m.start])
        if m.label == "PERSON" and title:
            genders.setdefault(m.entity_id, "m" if title["m"] else "f")
    by_name: dict[str, set[str]] = {}
    for m in ctx.mentions:
        if m.label == "PERSON" and m.entity_id not in genders:
            guess = first_name_gender(m.text)
            if guess:
                by_name.setdefault(m.entity_id, set()).add(guess)
    # two forms of one entity that disagree ("Kim Lee" and "Jordan Lee") tell nothing
    genders.update({e: next(iter(g)) for e, g in by_name.items() if len(g) == 1})
    return genders


@functools.lru_cache(maxsize=4096)
def first_name_gender(name: str) -> str | None:
    """ "m" or "f" when a name of two words or more opens with a first name that the
    gender-guesser name list gives as male or female (not "mostly", not androgynous);
    None otherwise, and always when the library is not installed."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", name)]
    while words and name_key(words[0]) in TITLES:
        words = words[1:]  # "President Barack Obama", "Sgt. Ada Lindqvist"
    if len(words) < 2:
        return None  # a lone surname says nothing about its bearer
    detector = _gender_detector()
    if detector is None:
        return None
    return {"male": "m", "female": "f"}.get(detector.get_gender(words[0]))


@functools.cache
def _gender_detector() -> Any:
    """The gender-guesser detector (its name list ships with the package; no network)."""
    try:
        from gender_guesser.detector import Detector
    except ImportError:  # optional: without it, only Mr./Ms. titles tell the sex
        return None
    return Detector(case_sensitive=False)


def _quoted_at(ctx: Context, pos: int) -> bool:
    return any(a <= pos < b for a, b in ctx.quoted)


def _opens_sentence(ctx: Context, pos: int) -> bool:
    start = next((a for a, b in ctx.sentences if a <= pos < b), pos)
    return len(ctx.text[start:pos].split()) <= 1  # "Mr. Mattis's letter"


def _possessive(ctx: Context, m: EntityMention) -> bool:
    return bool(re.match(r"\s*(?:'s|’s|')(?:\s|$)", ctx.text[m.end : m.end + 3]))


def _by_first_name(ctx: Context, m: EntityMention) -> str | None:
    """A lone first name ("Herbert reported ...") is the one person the article names in
    full with it ("Herbert Harr"), when NER gave it an entity of its own."""
    if " " in m.text.strip():
        return m.entity_id
    full = {
        p.entity_id
        for p in ctx.mentions
        if p.label == "PERSON"
        and p.entity_id != m.entity_id
        and len(p.text.split()) >= 2
        and p.text.split()[0] == m.text
    }
    return full.pop() if len(full) == 1 else m.entity_id


def by_surname(ctx: Context, surname: str) -> str | None:
    """The person of the article with this surname, when there is exactly one."""
    key = name_key(surname)
    full = _named_in_full(ctx)
    found = {
        m.entity_id
        for m in ctx.mentions
        if m.entity_id in full and m.label == "PERSON" and name_key(m.name).split()[-1] == key
    }
    return found.pop() if len(found) == 1 else None


def _named_in_full(ctx: Context) -> set[str]:
    """Entities the text names with two words or more: a person named in full. (The
    canonical name is not enough: a title's "Will Lose House", tagged a person, must not
    make every "House" one.)"""
    return {m.entity_id for m in ctx.mentions if len(m.text.split()) >= 2}


def _holder(ctx: Context, role: str, before: int) -> str | None:
    """Who held a role: the last person named with it before, else the first after."""
    held = ctx.role_holder.get(role, [])
    earlier = [entity for pos, entity in held if pos <= before]
    return earlier[-1] if earlier else (held[0][1] if held else None)


def _pronoun(ctx: Context, shown: str, before: int) -> tuple[str, str | None, bool] | None:
    """He/she/they: a person named since the last quote, else the last speaker, else the
    nearest full-named person before."""
    last = ctx.last
    # "Johnson's family said ... They also added that ...": a group that just spoke
    if (
        shown.lower() == "they"
        and last is not None
        and before - last.end < 600
        and last.entity_id is None
        and not last.anonymous
        and GROUP.search(last.speaker)
    ):
        return last.speaker, None, False
    since = last.end if last is not None else 0
    full = _named_in_full(ctx)
    # a name inside quotation marks is what was said, not who said it; a person titled
    # Mr. is not "she"
    wrong = {"he": "f", "she": "m"}.get(shown.lower())
    genders = _genders(ctx)
    people = [
        m
        for m in ctx.mentions
        if m.label == "PERSON"
        and m.end <= before
        and m.entity_id in full
        and not _quoted_at(ctx, m.start)
        and genders.get(m.entity_id) != wrong
    ]
    # "... wrote to Mrs. Clinton's lawyer. He added": an owner named in passing is not who
    # "he" is, but one opening a sentence is its topic ("Mr. Mattis's letter ... He said")
    fresh = [
        m
        for m in people
        if m.start >= since and (not _possessive(ctx, m) or _opens_sentence(ctx, m.start))
    ]
    if fresh:
        return shown, fresh[-1].entity_id, False
    if last is not None and before - last.end < 600 and genders.get(last.entity_id or "") != wrong:
        return shown, last.entity_id, last.anonymous
    return (shown, people[-1].entity_id, False) if people else None


def roles(text: str, mentions: list[EntityMention]) -> dict[str, list[tuple[int, str]]]:
    """Role nouns written right before or after a person's name ("Kremlin spokesman
    Dmitry Peskov", "President of Tavrenia Korvin Halasch", "Harlan Boll, her publicist"),
    with where each holder is named."""
    holders: dict[str, list[tuple[int, str]]] = {}
    for m in mentions:
        if m.label != "PERSON":
            continue
        window = text[max(0, m.start - 40) : m.start]
        roles = list(_ROLE.finditer(window))
        gap = window[roles[-1].end() :] if roles else ""
        if roles and _role_key(roles[-1][1]).endswith("."):
            gap = gap.removeprefix(".").removeprefix("\u2024")  # "Gov. Mike Pence"
        gap = gap.strip(" ,")
        # "her spokesman said. Williams ...": a sentence between them, not a holder
        near = gap.count(" ") <= 1 and not re.search(r"[.!?;:]", gap)
        if roles and (near or re.fullmatch(r"of(?: the)? [\w-]+", gap)):
            holders.setdefault(role_of(roles[-1][1]), []).append((m.start, m.entity_id))
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
            holders.setdefault(role_of(after[1]), []).append((m.start, m.entity_id))
    return holders
