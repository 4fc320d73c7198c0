"""Language identification with py3langid."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_SAMPLE_CHARS = 2000
_MIN_CHARS = 20


@lru_cache(maxsize=1)
def _identifier() -> Any:
    import py3langid

    return py3langid


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None when too short to tell."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.strip()) < _MIN_CHARS:
        return None
    code, _probability = _identifier().classify(sample)
    return str(code)
