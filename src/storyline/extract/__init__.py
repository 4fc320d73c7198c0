"""Extract: turn a ``RawDoc`` into a clean ``Article`` (or a ``Rejected`` with a reason)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from storyline.extract.clean import clean_text
from storyline.extract.dates import parse_date
from storyline.extract.html import extract_page, fragment_text
from storyline.extract.language import detect_language
from storyline.extract.normalize import article_id, canonical_url, text_hash
from storyline.extract.plain import first_sentence, split_plain
from storyline.model import Article, RawDoc, Rejected

__all__ = ["build_article"]

_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[^\d])")
_FULL_PAGE = re.compile(r"<(?:html|body|head)\b", re.I)


@dataclass(slots=True)
class _Draft:
    """What the format-specific step found, before cleaning (internal, mutable on purpose)."""

    text: str
    title: str | None = None
    date: datetime | None = None
    date_source: str | None = None
    author: str | None = None
    site_name: str | None = None
    url: str | None = None
    removed: tuple[str, ...] = ()


def build_article(raw: RawDoc) -> Article | Rejected:
    """Extract, clean and identify one document."""
    draft = _draft(raw)
    if isinstance(draft, Rejected):
        return draft
    cleaned = clean_text(draft.text, draft.title or "")
    if not cleaned.text.strip():
        return Rejected(raw.location, "empty", "no article text left after removing boilerplate")
    title = draft.title or first_sentence(cleaned.text)
    url = draft.url or _str(raw.fields.get("url"))
    canonical = canonical_url(url)
    published, date_source = draft.date, draft.date_source
    if published is None and url:
        published, date_source = _url_date(url), "url"
        date_source = date_source if published else None
    # a headline-only article's text is its title: the language is told from it once
    sample = cleaned.text if cleaned.text == title else title + "\n" + cleaned.text
    language = _str(raw.fields.get("language")) or detect_language(sample)
    source = _str(raw.fields.get("source")) or draft.site_name or _host(canonical)
    return Article(
        id=article_id(canonical, cleaned.text),
        title=title,
        text=cleaned.text,
        text_hash=text_hash(cleaned.text),
        language=language,
        url=url,
        canonical_url=canonical,
        published=published,
        date_source=date_source,
        source=source,
        author=draft.author or _str(raw.fields.get("author")),
        external_id=raw.external_id,
        format=raw.format,
        location=str(raw.location),
        attributions=cleaned.attributions,
        removed=draft.removed + cleaned.removed,
        metadata=dict(raw.metadata),
    )


def _draft(raw: RawDoc) -> _Draft | Rejected:
    fields = raw.fields
    field_date = parse_date(fields.get("date"))
    field_source = "feed" if raw.format == "feed" else "metadata"
    if raw.text is not None:
        if raw.format == "text":
            parts = split_plain(raw.text, markdown=fields.get("markup") == "markdown")
            removed = tuple(f"header: {line}" for line in parts.header)
            return _Draft(parts.body, parts.title, parts.date, "header" if parts.date else None,
                          author=parts.author, site_name=parts.outlet, removed=removed)  # fmt: skip
        return _Draft(raw.text, _str(fields.get("title")), field_date,
                      field_source if field_date else None)  # fmt: skip
    html = raw.html or ""
    if raw.format == "feed" or not _FULL_PAGE.search(html[:2000]):
        return _Draft(fragment_text(html), _str(fields.get("title")), field_date,
                      field_source if field_date else None)  # fmt: skip
    page = extract_page(html, _str(fields.get("url")))
    if page is None:
        return Rejected(
            raw.location,
            "no-article",
            "no article text found on the page (an index or empty page?)",
        )
    date = field_date or parse_date(page.date)
    source = field_source if field_date else ("html" if date else None)
    return _Draft(page.text, _str(fields.get("title")) or page.title, date, source,
                  page.author, page.site_name, _str(fields.get("url")) or page.url)  # fmt: skip


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _url_date(url: str) -> datetime | None:
    match = _URL_DATE.search(url)
    if not match:
        return None
    return parse_date("{}-{:0>2}-{:0>2}".format(*match.groups()))


def _host(url: str | None) -> str | None:
    return urlsplit(url).netloc or None if url else None
