"""Clean an article's main text: drop boilerplate, keep paragraphs, record attributions.

Boilerplate that survives HTML extraction or arrives in plain text: author bios, comment
prompts, "See also"/"Read more" lines, photo captions and credits, share and subscribe
lines, advertisements, copyright and rights notices (also when glued to the first or last
sentence of a paragraph), and a title or lede repeated as a paragraph. Wire attributions
("Source: Krone", "(bme/dpa)", "• Reuters", "AP —") are recorded as ``Attribution``
values; stand-alone attribution lines and trailing credit tags leave the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.extract.normalize import normalize_text
from storyline.model import Attribution

AGENCIES = (
    "dpa", "Reuters", "AP", "AFP", "Associated Press", "Agence France-Presse", "ANSA", "EFE",
    "Xinhua", "TASS", "ITAR-TASS", "RIA Novosti", "Interfax", "APA", "KNA", "epd", "AA",
    "Anadolu", "PTI", "UPI", "Bloomberg", "Kyodo", "Yonhap", "Agerpres", "Mediafax", "SDA",
    "Belga", "ANP", "PAP", "CTK", "MTI", "UNIAN", "Ukrinform", "sid", "AAP", "CP", "IANS",
    "ANI", "DPA", "Anadolu Agency", "CNA", "Lusa", "NTB", "TT", "STT", "Ritzau",
)  # fmt: skip
_AGENCY_ALT = "|".join(sorted((re.escape(a) for a in AGENCIES), key=len, reverse=True))
_KNOWN_AGENCY = re.compile(rf"^(?:{_AGENCY_ALT})$", re.I)

_BIO = re.compile(
    r"^(?:hi,?\s+|hello,?\s+)?(?:I['’]m|I am)\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3},?\s+"
    r"(?:a|an|the)\b.{0,120}?\b(?:journalist|writer|reporter|editor|author|blogger|"
    r"correspondent|columnist|content creator)",
    re.S,
)
_BIO_THIRD = re.compile(
    r"^(?:about the author\b|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2} is an? (?:\w+ ){0,3}"
    r"(?:journalist|writer|reporter|editor|correspondent|columnist|blogger)\b)"
)
_COMMENTS = re.compile(
    r"^(?:leave a (?:reply|comment)|post (?:a )?comment|comments? (?:are )?closed|"
    r"\d+ comments?$|add (?:a|your) comment|join the (?:conversation|discussion)|cancel reply|"
    r"required fields are marked)|your email address will not be published",
    re.I,
)
_LINKS = re.compile(
    r"^(?:see also|read more|read also|also read|related(?: articles?| stories)?|more on this|"
    r"recommended|you may also like|more from|click here|watch|listen)\b\s*[:\-–—]?",
    re.I,
)
# A caption or credit: a © credit or an "(archive image)" tag at the end of a paragraph,
# or a paragraph that starts "Photo:"; a sentence that merely mentions a photo stays.
_CAPTION = re.compile(
    r"©[^.!?]*$|\((?:archive|symbol|file|stock) (?:image|photo|picture)\)\.?\s*(?:©.*)?$|"
    r"^\(?(?:archive|symbol|file) (?:image|photo|picture)\)|"
    r"^(?:photo|image|picture|foto|credit|photograph|pictured)\s*(?::|by\b)",
    re.I,
)
_SHARE = re.compile(
    r"^(?:share(?: this)?(?: article| story| post)?(?: on| via| with)?\b|subscribe\b|sign up\b|"
    r"follow (?:us|[A-Z][\w ]{1,30}? (?:for|on) )|click to share|tweet\b|e-?mail this|"
    r"print this|copy link|newsletter\b)|"
    r"(?:sign up|subscribe) (?:for|to) (?:our|the) (?:\w+ )?newsletter",
    re.I,
)
_AD = re.compile(r"^(?:advertisement|sponsored|story continues below|ad)\b\W*$", re.I)

# A copyright or rights notice: "Copyright 2016 KSAT. All rights reserved.", "© 2016 Cox
# Media Group.", the AP's "This material may not be published, broadcast, rewritten or
# redistributed." Only the notice shape counts: after the mark a year and an owner's name
# (capitalised words and a few joining words), so "Copyright 2016 rules changed the
# game" or "Copyright Office officials said" is article text.
_RIGHTS_MARK = r"(?:©|\([cC]\)|[Cc]opyright|COPYRIGHT|Copr\.)"
_RIGHTS_PHRASE = (
    r"(?i:all\s+rights\s+reserved|alle\s+rechte\s+vorbehalten|tous\s+droits\s+r[ée]serv[ée]s|"
    r"todos\s+los\s+derechos\s+reservados|tutti\s+i\s+diritti\s+riservati|"
    r"used\s+under\s+licen[cs]e|this\s+material\s+may\s+not\s+be\s+(?:published|reproduced)"
    r"[\w\s,/]{0,60}(?:redistributed|distributed|reproduced|rewritten)(?:\s+(?:in\s+any\s+"
    r"(?:form|way|medium)|without\s+(?:the\s+)?(?:prior\s+)?(?:express\s+)?(?:written\s+)?"
    r"permission)){0,2})"
)
# The owner's words are taken possessively (``*+``, ``(?>...)``): a notice then has one
# reading, and a long near-notice fails in linear time instead of backtracking for ever.
_OWNER_WORD = (
    rf"(?>(?!{_RIGHTS_PHRASE})\(?[A-Z0-9][\w.&'’/-]*+\)?|"
    r"(?:and|of|the|a|an|by|its|for|in|division|relevant|subsidiaries|affiliates|"
    r"und|et|de|des|du|la|le|der|die|das)\b)"
)
_OWNER = rf"{_OWNER_WORD}(?:(?:\s+[/&]\s+|[\s,]+){_OWNER_WORD}){{0,14}}+"
_YEARS = r"(?:19|20)\d{2}(?:\s*[-–/,]\s*(?:19|20)\d{2})*+\b"
_RIGHTS_LINE = (  # "TM and © Copyright 2016 CBS Radio Inc. and its relevant subsidiaries"
    rf"(?>(?:[A-Z][\w-]*\s+(?:and\s+)?){{0,6}}TM\s+and\s+)?{_RIGHTS_MARK}(?:\s*{_RIGHTS_MARK})*+"
    rf"\s*(?:{_YEARS}(?:\s+{_OWNER})?|by\s+{_OWNER}|(?=[^.!?]{{0,80}}\b{_YEARS}){_OWNER})"
)  # the year after the owner too: "© Le Monde 2016"
_RIGHTS_UNIT = rf"(?:{_RIGHTS_LINE}|{_RIGHTS_PHRASE})"
_RIGHTS_SEP = r"[\s.,;:|–—-]++"
_RIGHTS = rf"{_RIGHTS_UNIT}(?:{_RIGHTS_SEP}{_RIGHTS_UNIT})*+"
_RIGHTS_END = r"\s*[.!]?\s*\)?\.?\s*"
# A whole paragraph; a mark and a name without a year ("Copyright Associated Press")
# only as a paragraph of its own.
_RIGHTS_WHOLE = re.compile(rf"\(?\s*(?:{_RIGHTS}|{_RIGHTS_MARK}\s*{_OWNER}){_RIGHTS_END}")
_RIGHTS_TAIL = re.compile(rf"\(?\s*{_RIGHTS}{_RIGHTS_END}")
# A notice opening a paragraph must end in a fixed phrase: that is where the text starts.
_RIGHTS_HEAD = re.compile(
    rf"\(?\s*(?:{_RIGHTS_UNIT}{_RIGHTS_SEP})*{_RIGHTS_PHRASE}[.!]?\s+(?=[A-Z\"“])"
)
# Where a glued notice may start: after a sentence, or at a © mark anywhere.
_RIGHTS_AFTER = re.compile(r"(?<=[.!?\"”’)])\s+|\s+(?=\(?(?:©|\([cC]\)))")

_SOURCE_LINE = re.compile(r"^(?:source|sources|quelle|credit|via)\s*:\s*(.{2,60}?)\.?$", re.I)
_CONTRIBUTED = re.compile(
    r"^[•·▪*–—-]?\s*(?:the\s+)?([A-Z][\w.&'’ -]{1,40}?)\s+contributed\s+(?:to\s+)?"
    r"(?:this|the)\s+(?:report|article|story)\.?$"
)
_BULLET_LINE = re.compile(r"^[•·▪*–—-]\s*([A-Z][\w.&'’ -]{1,40})$")
_BARE_LINE = re.compile(rf"^\(?((?:[a-z]{{1,5}}/)*(?:{_AGENCY_ALT}))\)?\.?$", re.I)
_TRAILING_TAG = re.compile(
    r"\s*\(((?:[a-zA-Z]{1,5}/)+[A-Za-z][\w-]{1,15}|[A-Za-z][\w-]{1,15})\)\.?\s*$"
)
_DATELINE = re.compile(
    rf"^(?:[A-Z][A-Za-z.'’ ,-]{{0,40}}\s)?\(?({_AGENCY_ALT})\)?\s*[-–—]+\s", re.I
)

_INLINE = re.compile(
    rf"\b(?:told|according to|reported by|quoted by|cited by|said to|informed)\s+"
    rf"(?:the\s+)?(?:news agency\s+|agency\s+)?({_AGENCY_ALT})\b"
)

_MAX_BOILER_CHARS = 400


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The result of cleaning: the text, what was removed (kind: snippet), attributions."""

    text: str
    removed: tuple[str, ...]
    attributions: tuple[Attribution, ...]


def split_paragraphs(text: str) -> list[str]:
    """Split raw text into paragraphs: blank-line blocks, or one line each when unwrapped.

    A block whose lines all look hard-wrapped (similar width, no blank lines) is joined;
    otherwise every non-empty line is its own paragraph, as scraped text usually is.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if _hard_wrapped(lines):
            paragraphs.append(" ".join(lines))
        else:
            paragraphs.extend(lines)
    return paragraphs


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines broken at a fixed width: wide, rarely ending a sentence, none boilerplate alone.

    Scraped paragraphs always end a sentence, but short share, comment and credit lines
    next to them do not; joining those would hide a paragraph inside boilerplate.
    """
    if len(lines) < 2:
        return False
    inner = lines[:-1]
    ends = sum(1 for line in inner if line.endswith((".", "?", "!", ":", '"', "”", "’")))
    if ends * 2 >= len(inner) or not all(40 <= len(line) <= 100 for line in inner):
        return False
    return not any(boilerplate_kind(line) or attribution_line(line) for line in lines)


def boilerplate_kind(paragraph: str) -> str | None:
    """The kind of boilerplate a paragraph is, or None when it is article text."""
    if len(paragraph) > _MAX_BOILER_CHARS * 2:
        return None
    short = len(paragraph) <= _MAX_BOILER_CHARS
    if _BIO.match(paragraph) or (short and _BIO_THIRD.match(paragraph)):
        return "bio"
    if short and _COMMENTS.search(paragraph):
        return "comments"
    if short and _AD.match(paragraph):
        return "ad"
    if len(paragraph) <= 200 and _SHARE.search(paragraph):
        return "share"
    if len(paragraph) <= 300 and _LINKS.match(paragraph):
        return "link"
    if short and _RIGHTS_WHOLE.fullmatch(paragraph):
        return "rights"
    if short and _CAPTION.search(paragraph):
        return "caption"
    return None


def cut_rights(paragraph: str) -> tuple[str, str]:
    """The paragraph less a rights notice glued to its start or end, and that notice.

    "Police said. Copyright 2016 X. All rights reserved." -> ("Police said.",
    "Copyright 2016 X. All rights reserved."); without a notice, (paragraph, ""). Parentheses
    round the whole paragraph go with a notice, so that a credit left after it stands alone.
    """
    inner = paragraph[1:-1].strip() if paragraph[:1] + paragraph[-1:] == "()" else paragraph
    notices: list[str] = []
    head = _RIGHTS_HEAD.match(inner)
    if head:
        notices.append(inner[: head.end()].strip())
        inner = inner[head.end() :].strip()
    starts = [match.end() for match in _RIGHTS_AFTER.finditer(inner)]
    for start in [0, *starts]:
        if len(inner) - start <= _MAX_BOILER_CHARS and _RIGHTS_TAIL.fullmatch(inner, start):
            notices.append(inner[start:].strip())
            inner = inner[:start].rstrip()
            break
    return (inner, " ".join(notices)) if notices else (paragraph, "")


def attribution_line(paragraph: str) -> Attribution | None:
    """An attribution that makes up a whole paragraph ("Source: Krone", "• Reuters")."""
    for pattern in (_SOURCE_LINE, _CONTRIBUTED, _BULLET_LINE, _BARE_LINE):
        match = pattern.match(paragraph.strip())
        if match:
            name = match.group(1).strip()
            if pattern is _BULLET_LINE and len(name.split()) > 4:
                continue
            return Attribution(agency=_agency_name(name), form=paragraph.strip(), position="line")
    return None


def _agency_name(form: str) -> str:
    """``bme/dpa`` -> ``dpa``; the last slash-separated part names the agency."""
    return form.split("/")[-1].strip(" ().")


def clean_text(text: str, title: str = "") -> Cleaned:
    """Clean raw main text (see the module docstring); idempotent on its own output."""
    removed: list[str] = []
    attributions: list[Attribution] = []
    kept: list[str] = []
    title_key = normalize_text(title) if title else ""
    seen: set[str] = set()
    for paragraph in split_paragraphs(text):
        kind = boilerplate_kind(paragraph)
        if kind is None:
            paragraph, notice = cut_rights(paragraph)
            if notice:
                removed.append(f"rights: {notice[:120]}")
                if not paragraph:
                    continue
                kind = boilerplate_kind(paragraph)
        key = normalize_text(paragraph)
        found = attribution_line(paragraph)
        if found is not None:
            attributions.append(found)
            kind = "attribution"
        elif not key:
            kind = "empty"
        elif key == title_key and len(kept) < 3:
            kind = "title"
        elif key in seen:
            kind = "repeat"
        if kind is not None:
            removed.append(f"{kind}: {paragraph[:120]}")
            continue
        seen.add(key)
        kept.append(paragraph)
    if not kept and title_key and any(r.startswith("title: ") for r in removed):
        kept = [" ".join(title.split())]  # a headline-only article: its title is its text
        removed = [r for r in removed if not r.startswith("title: ")]
    kept = _drop_repeated_ledes(kept, removed)
    _take_inline_attributions(kept, attributions)
    return Cleaned("\n\n".join(kept), tuple(removed), tuple(attributions))


def _drop_repeated_ledes(paragraphs: list[str], removed: list[str]) -> list[str]:
    """Drop a paragraph that the next one repeats and extends (a scraped lede twice)."""
    result: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        following = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
        if following and len(following) > len(paragraph) and following.startswith(paragraph):
            removed.append(f"repeat: {paragraph[:120]}")
            continue
        result.append(paragraph)
    return result


def _take_inline_attributions(paragraphs: list[str], attributions: list[Attribution]) -> None:
    """Record a leading dateline credit and strip a trailing credit tag like ``(bme/dpa)``."""
    if not paragraphs:
        return
    start = _DATELINE.match(paragraphs[0])
    if start:
        attributions.append(Attribution(start.group(1), start.group(0).strip(), "start"))
    for paragraph in paragraphs:
        for match in _INLINE.finditer(paragraph):
            attributions.append(Attribution(match.group(1), match.group(0), "inline"))
    tail = _TRAILING_TAG.search(paragraphs[-1])
    if tail and ("/" in tail.group(1) or _KNOWN_AGENCY.match(tail.group(1))):
        attributions.append(Attribution(_agency_name(tail.group(1)), tail.group(0).strip(), "end"))
        stripped = paragraphs[-1][: tail.start()].rstrip()
        if stripped:
            paragraphs[-1] = stripped
        else:
            paragraphs.pop()
