"""Property tests: the cleaner, text normalisation, the JSON Lines reader, the store."""

from __future__ import annotations

import io
import string
from datetime import timedelta, timezone
from typing import get_args

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from storyline.extract.clean import clean_text
from storyline.extract.normalize import normalize_text
from storyline.model import Article, Attribution, Format, Location, RawDoc, Rejected
from storyline.sources.files import Limits
from storyline.sources.records import read_jsonl
from storyline.store import SqliteStore

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- realistic article text -------------------------------------------------------------

WORDS = [
    "the", "council", "city", "mayor", "bridge", "river", "vote", "voted", "budget", "minister",
    "police", "officials", "said", "on", "Tuesday", "Monday", "after", "before", "during", "new",
    "old", "local", "regional", "national", "report", "plan", "would", "could", "will", "year",
    "years", "month", "week", "million", "people", "residents", "school", "hospital", "road",
    "and", "of", "in", "to", "for", "with", "from", "at", "by", "about", "against", "over",
    "under", "between", "two", "three", "several", "Lorham", "Kral", "Ines", "government",
    "parliament", "court", "judge", "trial", "company", "workers", "union", "strike", "talks",
    "agreement", "deal", "prices", "rise", "fall", "storm", "flood", "fire", "rescue", "crews",
    "opened", "closed",
]  # fmt: skip
word = st.sampled_from(WORDS)
sentence = st.lists(word, min_size=8, max_size=18).map(lambda ws: " ".join(ws).capitalize() + ".")
# A normal paragraph: one or more full sentences, long enough to be article text.
normal_paragraph = (
    st.lists(sentence, min_size=1, max_size=4).map(" ".join).filter(lambda p: len(p) >= 60)
)
BOILERPLATE = [
    "Leave a Reply",
    "© Foo/Bar",
    "© IMAGO/Frank Lowe",
    "Source: dpa",
    "(abc/dpa)",
    "Advertisement",
    "Share this article",
    "Read more: Port traffic falls",
    "See also: Crane makers face new rules",
    "Your email address will not be published. Required fields are marked *",
    "Sign up for our daily newsletter",
    "• Reuters",
    "Photo: Jon Ferris",
    "3 comments",
]
boilerplate = st.sampled_from(BOILERPLATE)
separator = st.sampled_from(["\n\n", "\n", "\n \n", "\r\n\r\n", "\n\n\n"])


@st.composite
def article_texts(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Raw article text mixing normal paragraphs with boilerplate; the normal paragraphs."""
    normal = draw(st.lists(normal_paragraph, min_size=1, max_size=6, unique=True))
    # A paragraph that starts another one would be taken for a lede scraped twice.
    normal = [p for p in normal if not any(q != p and q.startswith(p) for q in normal)]
    pieces: list[str] = []
    for paragraph in normal:
        pieces += draw(st.lists(boilerplate, max_size=2))
        pieces.append(paragraph)
    pieces += draw(st.lists(boilerplate, max_size=3))
    text = pieces[0]
    for piece in pieces[1:]:
        text += draw(separator) + piece
    return draw(st.sampled_from(["", " ", "\n"])) + text + draw(st.sampled_from(["", "\n"])), normal


any_text = st.one_of(
    st.text(),
    st.text(alphabet=string.printable),
    st.lists(st.one_of(normal_paragraph, boilerplate, st.text(max_size=30)), max_size=8).map(
        "\n".join
    ),
    article_texts().map(lambda pair: pair[0]),
)


def assert_tidy(text: str) -> None:
    """No leading or trailing whitespace, and no empty paragraph anywhere."""
    assert text == text.strip()
    if text:
        paragraphs = text.split("\n\n")
        assert all(p.strip() for p in paragraphs), paragraphs
        assert all(p == p.strip() for p in paragraphs), paragraphs


@FAST
@given(text=any_text, title=st.one_of(st.just(""), st.text(max_size=40), normal_paragraph))
@example(text="x", title="  x  ")
@example(text="Leave a Reply", title="Leave a Reply")
@example(text="Quake hits coast", title="Quake\n\n\nhits coast")
@example(text="\x1c\x1d\x1e\x85\u2028\u2029", title="")
def test_clean_text_never_raises_and_leaves_tidy_paragraphs(text: str, title: str) -> None:
    cleaned = clean_text(text, title)
    assert_tidy(cleaned.text)
    assert all(isinstance(r, str) and r for r in cleaned.removed)


@FAST
@given(text=any_text)
@example(text="A\u2028B")
@example(text="(abc/dpa)\n\nThe city council voted. (abc/dpa)")
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text).text
    assert clean_text(once).text == once


@FAST
@given(article=article_texts())
@example(
    article=(
        "Leave a Reply\n© Foo/Bar\nThe city council voted on Tuesday to approve the new "
        "budget for the regional hospital.",
        ["The city council voted on Tuesday to approve the new budget for the regional hospital."],
    )
)
def test_clean_text_keeps_every_normal_paragraph(article: tuple[str, list[str]]) -> None:
    text, normal = article
    cleaned = clean_text(text)
    assert cleaned.text.split("\n\n") == normal
    assert not any(b in cleaned.text for b in ("Leave a Reply", "©", "Source: dpa", "(abc/dpa)"))


@FAST
@given(article=article_texts())
def test_clean_text_is_idempotent_on_articles(article: tuple[str, list[str]]) -> None:
    once = clean_text(article[0]).text
    assert clean_text(once).text == once


@FAST
@given(text=st.text())
@example(text="ﬁ ǅ Ⅻ ß İ")
@example(text="\u0345\u0399")
@example(text="a_b__c")
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert once == once.strip() and "  " not in once


# -- the JSON Lines reader --------------------------------------------------------------

json_line = st.one_of(
    st.binary(max_size=60).filter(lambda b: b"\n" not in b),
    st.text(max_size=60).filter(lambda t: "\n" not in t).map(str.encode),
    st.sampled_from(
        [
            b'{"id": 1, "text": "The council voted."}',
            b'{"title": "Only a title"}',
            b'{"text": 5}',
            b"[1, 2]",
            b"{'single': 'quotes'}",
            b"\xef\xbb\xbf{}",
            b"\xff\xfe{\x00}\x00",
            b"1" * 5000,
            b"[" * 100_000,
            b"   ",
            b"\r",
            b"\x00\x01\x02",
        ]
    ),
)


def split_lines(data: bytes) -> list[bytes]:
    """The lines ``readline`` gives, each with its ``b"\\n"``."""
    return io.BytesIO(data).readlines()


@FAST
@given(lines=st.lists(json_line, max_size=8), end=st.sampled_from([b"", b"\n", b"\r\n"]))
def test_jsonl_reader_gives_one_item_per_non_blank_line(lines: list[bytes], end: bytes) -> None:
    data = b"\n".join(lines) + end
    items = list(read_jsonl(io.BytesIO(data), "in.jsonl", Limits()))
    numbers = [n for n, line in enumerate(split_lines(data), start=1) if line.strip()]
    assert all(isinstance(item, RawDoc | Rejected) for item in items)
    if not numbers:
        assert items == [Rejected(Location("in.jsonl"), "empty", "no records: every line is blank")]
        return
    assert [item.location for item in items] == [Location("in.jsonl", line=n) for n in numbers]


@FAST
@given(data=st.binary(max_size=300))
@example(data=b"\n\n{\n\x00\n\xff\n")
def test_jsonl_reader_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    items = list(read_jsonl(io.BytesIO(data), "in.jsonl", Limits()))
    numbers = [n for n, line in enumerate(split_lines(data), start=1) if line.strip()]
    assert [item.location.line for item in items] == (numbers or [None])


@FEW
@given(
    lengths=st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=6),
    limit=st.integers(min_value=8, max_value=64),
)
def test_jsonl_reader_rejects_long_lines_and_goes_on(lengths: list[int], limit: int) -> None:
    lines = [b'"' + b"x" * (n - 2) + b'"' if n >= 2 else b"1" for n in lengths]
    data = b"\n".join(lines) + b"\n"
    items = list(read_jsonl(io.BytesIO(data), "in.jsonl", Limits(max_document_bytes=limit)))
    assert [item.location.line for item in items] == list(range(1, len(lines) + 1))
    for item, line in zip(items, lines, strict=True):
        assert isinstance(item, Rejected)
        if len(line) + 1 > limit + 1:  # the line with its b"\n" is over the limit
            assert (item.reason, item.detail) == ("too-large", "line is over the 0 MB record limit")
        else:
            assert (item.reason, item.detail) == ("malformed", "expected a JSON object, found " +
                                                  ("str" if len(line) > 1 else "int"))  # fmt: skip


# -- Article -> store -> Article ---------------------------------------------------------

text = st.text(max_size=40)
optional_text = st.none() | text
json_scalar = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
)
json_value = st.recursive(
    json_scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
MAX_OFFSET = timedelta(hours=23, minutes=59)
fixed_offsets = st.integers(
    min_value=-MAX_OFFSET // timedelta(minutes=1), max_value=MAX_OFFSET // timedelta(minutes=1)
).map(lambda minutes: timezone(timedelta(minutes=minutes)))
# Fixed offsets, as parse_date and the store give them: the store keeps the offset, not a
# zone name, and an ambiguous local time in a named zone never equals another zone's time.
aware_datetimes = st.datetimes(timezones=fixed_offsets)
attributions = st.builds(
    Attribution,
    agency=text,
    form=text,
    position=st.sampled_from(["start", "end", "line", "inline"]),
)
articles = st.builds(
    Article,
    id=st.text(min_size=1, max_size=20),
    title=text,
    text=st.text(max_size=200),
    text_hash=text,
    language=optional_text,
    url=optional_text,
    canonical_url=optional_text,
    published=st.none() | aware_datetimes,
    date_source=optional_text,
    source=optional_text,
    author=optional_text,
    external_id=optional_text,
    format=st.sampled_from(get_args(Format)),
    location=text,
    attributions=st.lists(attributions, max_size=3).map(tuple),
    removed=st.lists(text, max_size=3).map(tuple),
    metadata=st.dictionaries(st.text(max_size=10), json_value, max_size=4),
)


@FAST
@given(article=articles)
@example(article=Article(id="a\x00b", title="\x00", text="NUL \x00 inside", text_hash="h"))
@example(article=Article(id="%_", title="t", text="like-pattern characters", text_hash="h"))
def test_article_store_round_trip_is_identity(article: Article) -> None:
    store = SqliteStore(":memory:")
    try:
        run = store.begin_run("test")
        assert store.write_batch(run, [("key", article)]) == ["stored"]
        assert store.article(article.id) == article
        [listed] = store.articles()
        assert listed == article
    finally:
        store.close()
