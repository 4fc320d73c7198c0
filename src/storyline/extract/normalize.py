"""Normalised text, content hashes, canonical URLs and stable article ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePath
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_NON_WORD = re.compile(r"[^\w]+")
_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/\d+(?:[a-z]{2}_)?/", re.I)
_COLLAPSED_SCHEME = re.compile(r"^(https?):/+", re.I)
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|smid)$", re.I)


def normalize_text(text: str) -> str:
    """Fold text for hashing: NFKC, case-folded, punctuation dropped, spaces collapsed.

    Idempotent: ``normalize_text(normalize_text(t)) == normalize_text(t)``.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = unicodedata.normalize("NFKC", folded)
    return " ".join(_NON_WORD.sub(" ", folded).replace("_", " ").split())


def digest(value: str) -> str:
    """A short, stable hex digest of a string."""
    return hashlib.blake2b(value.encode("utf-8"), digest_size=8).hexdigest()


def text_hash(text: str) -> str:
    """The hash of an article's normalised text."""
    return digest(normalize_text(text))


def canonical_url(url: str | None) -> str | None:
    """A canonical form of a URL: no archive prefix, tracking parameters or fragment.

    Returns None for values that are not http(s) URLs.
    """
    if not url or not isinstance(url, str):
        return None
    url = _WAYBACK.sub("", url.strip())
    url = _COLLAPSED_SCHEME.sub(r"\1://", url)  # "http:/www.x.com" after archive rewriting
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower()
    if host.endswith(":80"):
        host = host[:-3]
    if host.startswith("www."):
        host = host[4:]
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))


def article_id(canonical: str | None, text: str) -> str:
    """The stable article id: from the canonical URL when there is one, else the text."""
    return digest("url:" + canonical) if canonical else digest("text:" + normalize_text(text))


_SECTION = re.compile(r"\s+(?:-|–|—|\|)\s+\S.*$|:\s+\S.*$")


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Tavrenia Today" -> "tavrenia-today")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def outlet_from_file_name(location: str, known: Iterable[str]) -> str | None:
    """The known outlet whose name begins a text file's name, the longest first
    ("notes/tavrenia-today-jelmarsk.txt" and the known "Tavrenia Today"); None when no
    known outlet's whole name does (a file named "herald-..." is not the "Northgate
    Herald" by guess)."""
    stem = slug(PurePath(location).stem)
    matches = [
        (len(key), name)
        for name in known
        if (key := slug(name)) and (stem == key or stem.startswith(key + "-"))
    ]
    return max(matches)[1] if matches else None


def outlet_name(title: str | None) -> str | None:
    """The outlet a feed or source title names, without a section ("VBC News - Top
    stories" and "Ledgerline: Markets & Companies" are VBC News and Ledgerline), so an
    outlet's feed items count as the same source as its pages."""
    if not title or not title.strip():
        return None
    title = title.strip()
    return _SECTION.sub("", title).strip() or title
