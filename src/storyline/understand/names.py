"""Name normalisation and the keys variants are matched by.

A mention's *key* is its casefolded, accent-free form without titles, articles or a
possessive ("President Erdoğan's" -> "erdogan"). Its *sound key* is a loose phonetic
code (Metaphone, with voiced and unvoiced consonants folded together and semivowels
dropped), so that transliterations and mishearings meet: Kiev/Kyiv, Zhelmarsk/Jelmarsk,
Bayraktar/Pyrector.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Titles and roles written before a name; they are not part of the name.
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "president",
        "vice",
        "prime",
        "minister",
        "chancellor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "sheikh",
        "emir",
        "sultan",
        "general",
        "gen",
        "col",
        "colonel",
        "capt",
        "captain",
        "lt",
        "lieutenant",
        "sgt",
        "sergeant",
        "officer",
        "detective",
        "det",
        "chief",
        "sheriff",
        "deputy",
        "mayor",
        "governor",
        "gov",
        "senator",
        "sen",
        "rep",
        "representative",
        "congressman",
        "congresswoman",
        "judge",
        "justice",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ambassador",
        "director",
        "chairman",
        "chairwoman",
        "ceo",
        "cto",
        "cfo",
        "head",
        "leader",
        "premier",
        "commissioner",
        "inspector",
        "superintendent",
        "agent",
        "trooper",
        "coach",
        "saint",
        "st",
        "rev",
        "reverend",
        "father",
        "brother",
        "sister",
        "former",
        "late",
        "then",
        "presidents",
        "ministers",
        "leaders",
        "senators",
        "governors",
        "mayors",
        "kings",
    ]
)
_ARTICLES = ("the ", "a ", "an ")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_NON_WORD = re.compile(r"[^\w\s-]")
_SPACES = re.compile(r"\s+")
# Voiced/unvoiced pairs and spellings of the same sound, folded for the sound key.
_FOLD = str.maketrans({"B": "P", "D": "T", "G": "K", "V": "F", "Z": "S", "J": "X", "Q": "K"})
_CONNECTORS = frozenset({"of", "the", "and", "for", "de", "du", "la", "le", "des", "&"})


def fold(text: str) -> str:
    """Casefolded text without accents: 'Erdoğan' -> 'erdogan', 'Brasília' -> 'brasilia'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("ı", "i").replace("ß", "ss").replace("ø", "o").replace("ł", "l")


@lru_cache(maxsize=65536)
def name_key(surface: str) -> str:
    """The matching key of a surface form: folded, no titles, articles or possessive."""
    text = fold(surface.strip())
    text = _POSSESSIVE.sub("", text)
    for article in _ARTICLES:
        if text.startswith(article):
            text = text[len(article) :]
    text = _SPACES.sub(" ", _NON_WORD.sub(" ", text.replace(".", ""))).strip()
    words = text.split()
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return " ".join(words)


def strip_titles(surface: str) -> str:
    """The surface form without leading titles ('President Erdogan' -> 'Erdogan')."""
    words = surface.split()
    while len(words) > 1 and name_key(words[0]) in TITLES and words[0][:1].isupper():
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=65536)
def sound_key(text: str) -> str:
    """A loose phonetic code of a name (each word's Metaphone, folded), '' if none."""
    import jellyfish

    codes = []
    for word in name_key(text).split():
        ascii_word = re.sub(r"[^a-z]", "", word)
        if not ascii_word:
            continue
        code = jellyfish.metaphone(ascii_word).upper().replace("SH", "X")
        code = code[:1] + re.sub(r"[WYH]", "", code[1:]) if code else code
        codes.append(code.translate(_FOLD))
    return " ".join(codes)


def acronym(text: str) -> str:
    """The initials of a multi-word name ('North Atlantic Treaty Organization' -> 'nato')."""
    words = [w for w in re.split(r"[\s-]+", fold(text)) if w and w not in _CONNECTORS]
    if len(words) < 2:
        return ""
    return "".join(w[0] for w in words if w[0].isalnum())


def is_acronym(surface: str) -> bool:
    """Whether a surface form is written as an acronym (NATO, U.N., dpa is not)."""
    letters = surface.replace(".", "").replace("-", "")
    return 2 <= len(letters) <= 8 and letters.isupper() and letters.isalpha()


def tokens(key: str) -> list[str]:
    """The words of a key."""
    return key.split()
