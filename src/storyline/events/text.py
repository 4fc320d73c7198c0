"""Words, weights and names of an article for event matching.

Term weights are TF-IDF with a *background* IDF taken from wordfreq's word frequencies
(``8 - zipf``): it is the same for the first article as for the millionth, needs no
document-frequency state, and keeps the output independent of what came before, so the
same input in the same order always gives the same events.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]|\d+(?:[.,]\d+)*", re.UNICODE)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*[^\W_]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|\n)\s*$")
_MAX_ZIPF = 8.0
_NAME_MAX_ZIPF = 5.0  # capitalised words more common than this are ordinary words
TOP_TERMS = 60


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    extra = {"said", "says", "told", "also", "would", "could", "according", "mr", "ms", "mrs"}
    return frozenset(ENGLISH_STOP_WORDS) | extra


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    from wordfreq import available_languages

    return frozenset(available_languages())


@lru_cache(maxsize=200_000)
def zipf(word: str, language: str = "en") -> float:
    """How common a word is (wordfreq's Zipf scale, 0 for unknown words).

    Languages wordfreq does not cover are looked up in English (most news vocabulary
    of names and places is shared), instead of letting wordfreq guess a neighbour.
    """
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language if language in _languages() else "en"))


def idf(word: str, language: str = "en") -> float:
    """Background inverse document frequency: rare words weigh more."""
    if word.isdigit():
        return 4.0 if len(word) > 1 else 1.0
    return max(0.5, _MAX_ZIPF - zipf(word, language))


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens without stop words."""
    stop = _stop_words()
    words = (_possessive(m.group(0).lower()) for m in _TOKEN.finditer(text))
    return [t for t in words if t not in stop]


def _possessive(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s")) else word


def weighted(counts: Counter[str], language: str, top: int = TOP_TERMS) -> dict[str, float]:
    """L2-normalised TF-IDF weights of the ``top`` heaviest terms."""
    scores = {t: (1.0 + math.log(n)) * idf(t, language) for t, n in counts.items()}
    kept = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    norm = math.sqrt(sum(w * w for _, w in kept)) or 1.0
    return {t: w / norm for t, w in kept}


def names(text: str, language: str = "en") -> Counter[str]:
    """Capitalised words that are not sentence openers or common words: a name heuristic.

    Stands in for named entities when the understanding stage is not run.
    """
    found: Counter[str] = Counter()
    stop = _stop_words()
    for match in _CAPITALISED.finditer(text):
        word = _possessive(match.group(0).lower())
        if word in stop or zipf(word, language) > _NAME_MAX_ZIPF:
            continue
        if _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]) and (
            zipf(word, language) > 3.0
        ):
            continue
        found[word] += 1
    return found


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two L2-normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())
