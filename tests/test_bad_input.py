"""Bad input: every kind gets a clear message with its place and reason, and loses nothing.

Most tests run ``storyline ingest`` over a folder of good articles with one bad input
among them, into a workspace that already holds an article from an earlier run, and
check what the user sees (the exact ``rejected:`` line and the exit status), the stored
rejection, that the good articles of the batch were stored and that the earlier article
is untouched. The last ones interrupt an ingest and resume it. The later stages (copies,
events, ...) are switched off: these tests are about reading and storing.
"""

from __future__ import annotations

import io
import json
import os
import random
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.api import open_workspace
from storyline.cli import cli
from storyline.model import Article, Location, Rejected
from storyline.settings import Settings
from storyline.sources import Limits
from storyline.sources.files import decode
from storyline.sources.warc import read_warc

PARAGRAPHS = [
    "The city council of Lorham voted on Thursday to rebuild the old river bridge.",
    "Mayor Ines Kral said the work would start in spring and cost about 40 million.",
    "Residents had waited six years for a decision on the crossing, the council said.",
]
GOOD_TITLES = {"Lorham will rebuild its bridge", "Bridge costs rise", "Ferry keeps running"}
EARLIER_TITLE = "Lorham opens a new library"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ENV = {"STORYLINE_WORKERS": "1", "STORYLINE_STAGES": ""}
SETTINGS = Settings(workers=1, stages=())


def paragraphs(topic: str) -> list[str]:
    """Three paragraphs of news about ``topic``."""
    return [p.replace("bridge", topic) for p in PARAGRAPHS]


def article(title: str, topic: str) -> str:
    """A small plain-text article: a title line, then three paragraphs about ``topic``."""
    return f"{title}\n\n" + "\n\n".join(paragraphs(topic)) + "\n"


def page(title: str, body: list[str]) -> str:
    """A full HTML article page with a menu, as a news site serves it."""
    body_html = "".join(f"<p>{p}</p>" for p in body)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article><h1>{title}</h1>{body_html}</article></body></html>"
    )


def jsonl_line(record_id: str, title: str, topic: str) -> str:
    """One JSON Lines record (without its newline)."""
    text = " ".join(paragraphs(topic))
    return json.dumps({"id": record_id, "title": title, "text": text})


def run_ingest(db: Path, *paths: Path) -> tuple[int, str, str]:
    """Run ``storyline ingest PATHS --db DB``: exit status, stdout, stderr."""
    result = CliRunner().invoke(
        cli, ["ingest", *map(str, paths), "--db", str(db)], env=ENV, catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


@dataclass
class Scene:
    """A workspace with one article from an earlier run, and a folder of good inputs."""

    db: Path
    batch: Path
    earlier: Article

    def ingest(self, *paths: Path) -> tuple[int, str, str]:
        """Run ``storyline ingest PATHS --db DB``: exit status, stdout, stderr."""
        return run_ingest(self.db, *paths)

    def last_rejections(self) -> list[tuple[str, str, str]]:
        """(location, reason, detail) of what the latest run rejected."""
        with open_workspace(self.db, SETTINGS) as ws:
            run = ws.runs()[-1]["id"]
            return [(r["location"], r["reason"], r["detail"]) for r in ws.rejections(run)]

    def assert_one_rejection(self, where: str, reason: str, detail: str) -> None:
        """Ingesting the batch rejects one input, says so, and loses nothing else."""
        code, _out, err = self.ingest(self.batch)
        assert err == f"rejected: {where}: {reason}: {detail}\n"
        assert code == 1
        assert self.last_rejections() == [(where, reason, detail)]
        self.assert_nothing_lost()

    def assert_nothing_lost(self, *also: str) -> None:
        """The earlier article is unchanged; the good articles (and ``also``) are stored."""
        with open_workspace(self.db, SETTINGS) as ws:
            assert ws.article(self.earlier.id) == self.earlier
            titles = {a.title for a in ws.articles()}
        assert titles == {EARLIER_TITLE, *GOOD_TITLES, *also}


@pytest.fixture
def scene(tmp_path: Path) -> Scene:
    db = tmp_path / "ws.db"
    first = tmp_path / "earlier.txt"
    first.write_text(article(EARLIER_TITLE, "library"), encoding="utf-8")
    code, _out, err = run_ingest(db, first)
    assert (code, err) == (0, "")
    with open_workspace(db, SETTINGS) as ws:
        [earlier] = ws.articles()
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "bridge.txt").write_text(article("Lorham will rebuild its bridge", "bridge"))
    (batch / "costs.html").write_text(page("Bridge costs rise", paragraphs("bridge costs")))
    (batch / "ferry.jsonl").write_text(jsonl_line("f1", "Ferry keeps running", "ferry") + "\n")
    return Scene(db, batch, earlier)


def summary_lines(out: str) -> list[str]:
    """The summary the CLI prints, without its first line (which holds the timing)."""
    return out.splitlines()[1:]


# -- a clean batch ----------------------------------------------------------------------


def test_clean_batch_stores_everything_and_exits_0(scene: Scene) -> None:
    code, out, err = scene.ingest(scene.batch)
    assert (code, err) == (0, "")
    assert summary_lines(out) == [
        "  stored              3",
        "  duplicates skipped  0",
        "  rejected            0",
    ]
    scene.assert_nothing_lost()


# -- empty files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["a.txt", "a.md", "a.html", "a.jsonl", "a.json", "a.xml", "a.warc", "a.warc.gz"]
)
def test_empty_file_of_any_type(scene: Scene, name: str) -> None:
    (scene.batch / name).write_bytes(b"")
    code, out, err = scene.ingest(scene.batch)
    where = scene.batch / name
    assert err == f"rejected: {where}: empty: the file is empty (0 bytes)\n"
    assert code == 1
    assert summary_lines(out)[:4] == [
        "  stored              3",
        "  duplicates skipped  0",
        "  rejected            1",
        "    empty             1",
    ]
    assert scene.last_rejections() == [(str(where), "empty", "the file is empty (0 bytes)")]
    scene.assert_nothing_lost()


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        ("blank.txt", "the file holds no text"),
        ("blank.html", "the page is empty"),
        ("blank.jsonl", "no records: every line is blank"),
    ],
)
def test_file_of_blank_lines(scene: Scene, name: str, detail: str) -> None:
    (scene.batch / name).write_text(" \n\n\t\n  \n")
    code, _out, err = scene.ingest(scene.batch)
    assert err == f"rejected: {scene.batch / name}: empty: {detail}\n"
    assert code == 1
    assert scene.last_rejections() == [(str(scene.batch / name), "empty", detail)]
    scene.assert_nothing_lost()


# -- binary files and encodings ---------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04"  # no b"\n"


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        ("photo.txt", "binary data, not text, HTML, JSON, a feed or WARC"),
        ("photo.html", "binary data, not text, HTML, JSON, a feed or WARC"),
        ("photo.json", "binary data, not text, HTML, JSON, a feed or WARC"),
        ("photo.xml", "binary data, not an RSS/Atom feed"),
    ],
)
def test_binary_file(scene: Scene, name: str, detail: str) -> None:
    (scene.batch / name).write_bytes(PNG)
    code, _out, err = scene.ingest(scene.batch)
    assert err == f"rejected: {scene.batch / name}: binary: {detail}\n"
    assert code == 1
    assert scene.last_rejections() == [(str(scene.batch / name), "binary", detail)]
    scene.assert_nothing_lost()


def test_binary_line_in_json_lines(scene: Scene) -> None:
    path = scene.batch / "mixed.jsonl"
    path.write_bytes(
        jsonl_line("m1", "Market reopens", "market").encode() + b"\n" + GIF + b"\n"
        + jsonl_line("m3", "School extended", "school").encode() + b"\n"
    )  # fmt: skip
    code, _out, err = scene.ingest(scene.batch)
    detail = "binary data, not text, HTML, JSON, a feed or WARC"
    assert err == f"rejected: {path}: line 2: binary: {detail}\n"
    assert code == 1
    assert scene.last_rejections() == [(f"{path}: line 2", "binary", detail)]
    scene.assert_nothing_lost("Market reopens", "School extended")


def test_mixed_encodings_in_a_text_file(scene: Scene) -> None:
    path = scene.batch / "mixed.txt"
    # UTF-8 "Café" on the title line, then a Latin-1 "é" (0xe9) on the third line.
    path.write_bytes("Café reopens\n\n".encode() + b"The caf\xe9 on Main Street reopened.\n")
    code, _out, err = scene.ingest(scene.batch)
    detail = (
        "mixed encodings: valid UTF-8 text but an invalid UTF-8 byte 0xe9 at offset 22 "
        "(line 3); re-save the file as UTF-8"
    )
    assert err == f"rejected: {path}: encoding: {detail}\n"
    assert code == 1
    assert scene.last_rejections() == [(str(path), "encoding", detail)]
    scene.assert_nothing_lost()


def test_mixed_encodings_in_one_json_line(scene: Scene) -> None:
    path = scene.batch / "mixed.jsonl"
    bad = '{"id": "m2", "title": "Café", "text": "caf'.encode() + b'\xe9 reopened"}'
    path.write_bytes(
        jsonl_line("m1", "Market reopens", "market").encode() + b"\n" + bad + b"\n"
        + jsonl_line("m3", "School extended", "school").encode() + b"\n"
    )  # fmt: skip
    code, _out, err = scene.ingest(scene.batch)
    detail = (
        "mixed encodings: valid UTF-8 text but an invalid UTF-8 byte 0xe9 at offset 43; "
        "re-save the file as UTF-8"
    )
    assert err == f"rejected: {path}: line 2: encoding: {detail}\n"
    assert code == 1
    assert scene.last_rejections() == [(f"{path}: line 2", "encoding", detail)]
    scene.assert_nothing_lost("Market reopens", "School extended")


def test_a_json_lines_file_of_random_bytes_is_one_rejection(scene: Scene) -> None:
    path = scene.batch / "random.jsonl"
    data = random.Random(7).randbytes(3000)
    path.write_bytes(data)
    at = min(i for i, byte in enumerate(data) if byte < 0x09 or 0x0E <= byte < 0x20)
    detail = (
        f"not a text file: binary data at byte {at}; "
        "a .jsonl file must be UTF-8 JSON, one object per line"
    )
    scene.assert_one_rejection(str(path), "binary", detail)


def test_a_garbage_line_is_not_called_mixed_encodings() -> None:
    """An accidental UTF-8 sequence ("\\xc3\\xa9") among invalid bytes is no UTF-8 text."""
    line = b"\xf6\xc3\xa9\xe4\xfc\x9a\x81\xd2 {"
    garbage = decode(line, Location("x.jsonl", line=2))  # some legacy encoding may fit
    assert not (isinstance(garbage, Rejected) and garbage.detail.startswith("mixed"))
    text = decode("Café ".encode() * 10 + b"caf\xe9", Location("x.txt"))
    assert isinstance(text, Rejected) and text.detail.startswith("mixed encodings: ")


def test_single_legacy_encoding_is_decoded_not_rejected(scene: Scene) -> None:
    text = (
        "Grüße aus Köln\n\nDer Bürgermeister von Köln eröffnete am Montag die neue Brücke "
        "über den Rhein, nach fünf Jahren Bauzeit und großen Verzögerungen.\n"
    )
    (scene.batch / "koeln.txt").write_bytes(text.encode("latin-1"))
    code, _out, err = scene.ingest(scene.batch)
    assert (code, err) == (0, "")
    scene.assert_nothing_lost("Grüße aus Köln")
    with open_workspace(scene.db, SETTINGS) as ws:
        [koeln] = [a for a in ws.articles() if a.title == "Grüße aus Köln"]
    assert koeln.text == text.split("\n\n", 1)[1].strip()


# -- a truncated WARC archive -----------------------------------------------------------


def write_warc(path: Path, pages: list[tuple[str, str]], cut: int, gzip: bool = True) -> list[int]:
    """Write a WARC of HTML responses, less its last ``cut`` bytes; the record offsets."""
    buffer = io.BytesIO()
    offsets = write_warc_to(buffer, pages, gzip)
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) - cut])
    return offsets


def write_warc_to(buffer: io.BytesIO, pages: list[tuple[str, str]], gzip: bool = True) -> list[int]:
    """Write a WARC of HTML responses into ``buffer``; the record offsets."""
    writer = WARCWriter(buffer, gzip=gzip)
    offsets = []
    for url, html in pages:
        offsets.append(buffer.tell())
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        body = html.encode()
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http
            )
        )
    return offsets


def warc_page(slug: str, title: str) -> tuple[str, str]:
    return f"https://lorhampost.example/{slug}", page(title, paragraphs(slug))


WARC_PAGES = [
    warc_page("market", "Market reopens"),
    warc_page("school", "School extended"),
    warc_page("harbour", "Harbour dredged"),
]
TRUNCATED = (
    "archive is cut short {where}: copy or download it again; the records before it were read"
)


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_truncated_warc_keeps_the_records_before(scene: Scene, gzip: bool) -> None:
    path = scene.batch / ("crawl.warc.gz" if gzip else "crawl.warc")
    offsets = write_warc(path, WARC_PAGES, cut=60, gzip=gzip)
    code, out, err = scene.ingest(scene.batch)
    detail = TRUNCATED.format(where="inside this record")
    assert err == f"rejected: {path}: record 3, offset {offsets[2]}: truncated: {detail}\n"
    assert code == 1
    assert summary_lines(out)[:4] == [
        "  stored              5",
        "  duplicates skipped  0",
        "  rejected            1",
        "    truncated         1",
    ]
    assert scene.last_rejections() == [
        (f"{path}: record 3, offset {offsets[2]}", "truncated", detail)
    ]
    scene.assert_nothing_lost("Market reopens", "School extended")


def test_warc_cut_inside_a_record_header(scene: Scene) -> None:
    """Cut in the third record's "Content-Length:" header: warcio alone says nothing."""
    path = scene.batch / "crawl.warc"
    offsets = write_warc(path, WARC_PAGES, cut=0, gzip=False)
    data = path.read_bytes()
    header = data.index(b"Content-Length: ", offsets[2])
    path.write_bytes(data[: header + len(b"Content-Length: ")])
    code, _out, err = scene.ingest(scene.batch)
    detail = TRUNCATED.format(where="inside this record")
    assert err == f"rejected: {path}: record 3, offset {offsets[2]}: truncated: {detail}\n"
    assert code == 1
    scene.assert_nothing_lost("Market reopens", "School extended")


def test_warc_gz_missing_only_its_gzip_trailer(scene: Scene) -> None:
    path = scene.batch / "crawl.warc.gz"
    offsets = write_warc(path, WARC_PAGES, cut=4)
    code, _out, err = scene.ingest(scene.batch)
    detail = TRUNCATED.format(where="inside this record")
    assert err == f"rejected: {path}: record 3, offset {offsets[2]}: truncated: {detail}\n"
    assert code == 1
    scene.assert_nothing_lost("Market reopens", "School extended")


def test_warc_cut_inside_its_first_record_says_none_was_read(scene: Scene) -> None:
    path = scene.batch / "crawl.warc.gz"
    write_warc(path, WARC_PAGES[:1], cut=60)
    detail = "archive is cut short inside this record: copy or download it again; " + (
        "no record could be read"
    )
    scene.assert_one_rejection(f"{path}: record 1, offset 0", "truncated", detail)


@pytest.mark.parametrize(
    "data",
    [random.Random(3).randbytes(2000), b"\x1f\x8b" + random.Random(4).randbytes(2000),
     b"<html><body>not an archive</body></html>\n"],
    ids=["random", "gzip-magic", "html"],
)  # fmt: skip
def test_a_file_that_is_not_a_warc(scene: Scene, data: bytes) -> None:
    path = scene.batch / "fake.warc.gz"
    path.write_bytes(data)
    detail = (
        "not a WARC archive: it does not start with a WARC/1.0 or WARC/1.1 record header "
        "(plain or gzip-compressed); no record could be read"
    )
    scene.assert_one_rejection(f"{path}: record 1", "not-a-warc", detail)


def test_a_warc_error_message_holds_no_raw_bytes() -> None:
    """warcio quotes what it could not parse; the message escapes and shortens it."""
    good = io.BytesIO()
    write_warc_to(good, WARC_PAGES[:1])
    data = good.getvalue() + b"\x1b[31m\x00\x07garbage " * 40
    [_page, damaged] = list(read_warc(io.BytesIO(data), "crawl.warc", Limits()))
    assert isinstance(damaged, Rejected)
    assert damaged.detail.startswith("archive is truncated or corrupt after record 1 (")
    assert damaged.detail.endswith("; the records before it were read")
    assert all(ch.isprintable() for ch in damaged.detail)
    assert len(damaged.detail) < 260


def test_whole_warc_is_not_truncated(scene: Scene) -> None:
    write_warc(scene.batch / "crawl.warc.gz", WARC_PAGES, cut=0)
    code, _out, err = scene.ingest(scene.batch)
    assert (code, err) == (0, "")
    scene.assert_nothing_lost("Market reopens", "School extended", "Harbour dredged")


# -- malformed JSON ---------------------------------------------------------------------


def test_malformed_json_line_between_good_ones(scene: Scene) -> None:
    path = scene.batch / "wire.jsonl"
    path.write_text(
        jsonl_line("w1", "Market reopens", "market") + "\n"
        + '{"id": "w2", "title": "Broken", "text": \n'
        + jsonl_line("w3", "School extended", "school") + "\n"
    )  # fmt: skip
    code, out, err = scene.ingest(scene.batch)
    detail = "invalid JSON at column 41: Expecting value"
    assert err == f"rejected: {path}: line 2: malformed: {detail}\n"
    assert code == 1
    assert summary_lines(out)[:4] == [
        "  stored              5",
        "  duplicates skipped  0",
        "  rejected            1",
        "    malformed         1",
    ]
    assert scene.last_rejections() == [(f"{path}: line 2", "malformed", detail)]
    scene.assert_nothing_lost("Market reopens", "School extended")


NO_TEXT = (
    "record has a title but no text: give the article body in `text` "
    "(or `body`, `content`; HTML in `html`)"
)


@pytest.mark.parametrize("text", [None, "", "  \n "])
def test_a_headline_only_record_is_its_title_in_its_language(
    scene: Scene, text: str | None
) -> None:
    """ECB+ has such records: the lead sentence as the title, no text."""
    title = "Staunton police arrested a woman in the 1967 ice cream shop killings"
    record: dict[str, str | None] = {"id": "h1", "title": title}
    if text is not None:
        record["text"] = text
    (scene.batch / "leads.jsonl").write_text(json.dumps(record) + "\n")
    code, _out, err = scene.ingest(scene.batch)
    assert (code, err) == (0, "")
    scene.assert_nothing_lost(title)
    with open_workspace(scene.db, SETTINGS) as ws:
        [lead] = [a for a in ws.articles() if a.title == title]
    assert (lead.text, lead.language) == (title, "en")


@pytest.mark.parametrize(
    ("line", "reason", "detail"),
    [
        ("[1, 2]", "malformed", "expected a JSON object, found list"),
        ('{"title": "T", "text": 5}', "malformed", "field 'text' must be a string, not int"),
        ('{"id": "x3", "source": "Lorham Post"}', "empty", "record has no text, html or title"),
        ('{"id": "x3", "title": "no text"}', "empty",
         NO_TEXT + "; a title alone is an article from 20 characters"),
        ('{"id": "x3", "title": "Quay closed after a crane fell", "story": "'
         + "The quay closed. " * 10 + '"}',
         "empty", NO_TEXT + "; is it the field `story`?"),
        ("{'id': 1}", "malformed",
         "invalid JSON at column 2: Expecting property name enclosed in double quotes"),
        ("1" * 5000, "malformed", "invalid JSON: a number longer than 4300 digits"),
        ("[" * 100_000, "malformed", "invalid JSON: nested too deeply"),
    ],
    ids=["list", "text-not-string", "no-text", "title-only", "body-elsewhere", "single-quotes",
         "huge-number", "deep-nesting"],
)  # fmt: skip
def test_bad_json_line_kinds(scene: Scene, line: str, reason: str, detail: str) -> None:
    path = scene.batch / "wire.jsonl"
    path.write_text(
        jsonl_line("w1", "Market reopens", "market") + "\n" + line + "\n"
        + jsonl_line("w3", "School extended", "school") + "\n"
    )  # fmt: skip
    code, _out, err = scene.ingest(scene.batch)
    assert err == f"rejected: {path}: line 2: {reason}: {detail}\n"
    assert code == 1
    assert scene.last_rejections() == [(f"{path}: line 2", reason, detail)]
    scene.assert_nothing_lost("Market reopens", "School extended")


def test_malformed_json_file_names_its_line(scene: Scene) -> None:
    path = scene.batch / "wire.json"
    path.write_text('[\n  {"id": "j1", "title": "T", "text": "x"},\n  {"id": "j2",,}\n]\n')
    code, _out, err = scene.ingest(scene.batch)
    detail = "invalid JSON at column 15: Expecting property name enclosed in double quotes"
    assert err == f"rejected: {path}: line 3: malformed: {detail}\n"
    assert code == 1
    scene.assert_nothing_lost()


# -- HTML without an article, feeds that are not feeds ----------------------------------

INDEX_PAGE = """<!DOCTYPE html><html><head><title>News | Lorham Post</title></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><ul><li><a href="/a">Council approves budget</a></li>
<li><a href="/b">Storm hits the coast</a></li><li><a href="/c">Lorham wins the final</a></li></ul>
</main><footer><p>© 2025 Lorham Post</p></footer></body></html>"""


@pytest.mark.parametrize(
    "html",
    [
        INDEX_PAGE,
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
        "<html><head><title>App</title></head><body><div id='app'></div>"
        "<noscript>Please enable JavaScript.</noscript></body></html>",
        "<html><head><title>Nothing</title></head><body></body></html>",
    ],
    ids=["section-index", "menu-only", "script-app", "empty-body"],
)
def test_html_page_without_an_article(scene: Scene, html: str) -> None:
    path = scene.batch / "news.html"
    path.write_text(html)
    code, _out, err = scene.ingest(scene.batch)
    detail = "no article text found on the page (an index or empty page?)"
    assert err == f"rejected: {path}: no-article: {detail}\n"
    assert code == 1
    assert scene.last_rejections() == [(str(path), "no-article", detail)]
    scene.assert_nothing_lost()


@pytest.mark.parametrize("name", ["feed.xml", "feed.rss", "feed.atom"])
def test_feed_that_is_really_an_html_page(scene: Scene, name: str) -> None:
    path = scene.batch / name
    path.write_text("<!-- served by nginx -->\n" + INDEX_PAGE)
    code, _out, err = scene.ingest(scene.batch)
    detail = "feed returned HTML, not RSS/Atom: pass the feed URL, not the site"
    assert err == f"rejected: {path}: not-a-feed: {detail}\n"
    assert code == 1
    assert scene.last_rejections() == [(str(path), "not-a-feed", detail)]
    scene.assert_nothing_lost()


def test_xml_that_is_not_a_feed(scene: Scene) -> None:
    path = scene.batch / "sitemap.xml"
    path.write_text(
        '<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>'
    )
    code, _out, err = scene.ingest(scene.batch)
    assert err == f"rejected: {path}: not-a-feed: no RSS or Atom feed found in this file\n"
    assert code == 1
    scene.assert_nothing_lost()


# -- a file over the size limits --------------------------------------------------------


def test_200_mb_file_is_refused_without_reading_it(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = scene.batch / "dump.txt"
    with path.open("wb") as out:
        out.truncate(200 * 1024 * 1024)  # sparse: takes no disk space
    real_read_bytes, real_open = Path.read_bytes, Path.open

    def read_bytes(self: Path) -> bytes:
        assert self != path, "the 200 MB file was read"
        return real_read_bytes(self)

    def open_(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert self != path, "the 200 MB file was opened"
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "open", open_)
    code, out, err = scene.ingest(scene.batch)
    detail = (
        "file is 200.0 MB, over the 10 MB limit for a file read whole; split it, use JSON "
        "Lines, or raise the limit (STORYLINE_MAX_FILE_MB / STORYLINE_MAX_DOCUMENT_MB)"
    )
    assert err == f"rejected: {path}: too-large: {detail}\n"
    assert code == 1
    assert summary_lines(out)[2:4] == ["  rejected            1", "    too-large         1"]
    assert scene.last_rejections() == [(str(path), "too-large", detail)]
    scene.assert_nothing_lost()


def test_size_limit_is_quoted_as_set(scene: Scene) -> None:
    """STORYLINE_MAX_DOCUMENT_MB=1 reads as "1 MB", whatever the byte count behind it."""
    path = scene.batch / "long.txt"
    path.write_bytes(b"x" * (3 * 1024 * 1024 + 1000))  # 3.0 MB of 2**20 bytes
    result = CliRunner().invoke(
        cli,
        ["ingest", str(scene.batch), "--db", str(scene.db)],
        env={**ENV, "STORYLINE_MAX_DOCUMENT_MB": "1"},
        catch_exceptions=False,
    )
    assert result.stderr == (
        f"rejected: {path}: too-large: file is 3.0 MB, over the 1 MB limit for a file "
        "read whole; split it, use JSON Lines, or raise the limit "
        "(STORYLINE_MAX_FILE_MB / STORYLINE_MAX_DOCUMENT_MB)\n"
    )
    assert result.exit_code == 1
    scene.assert_nothing_lost()


# -- unreadable files -------------------------------------------------------------------


@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their permissions")
@pytest.mark.parametrize("name", ["locked.txt", "locked.jsonl", "locked.warc.gz", "locked.json"])
def test_file_without_read_permission(scene: Scene, name: str) -> None:
    path = scene.batch / name
    path.write_text(jsonl_line("x", "Locked", "locked") + "\n")
    path.chmod(0)
    try:
        code, _out, err = scene.ingest(scene.batch)
    finally:
        path.chmod(0o644)
    assert err == f"rejected: {path}: unreadable: permission denied\n"
    assert code == 1
    assert scene.last_rejections() == [(str(path), "unreadable", "permission denied")]
    scene.assert_nothing_lost()


@pytest.mark.skipif(AS_ROOT, reason="root lists folders whatever their permissions")
def test_folder_without_read_permission(scene: Scene) -> None:
    locked = scene.batch / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(article("Inside", "inside"))
    locked.chmod(0)
    try:
        code, _out, err = scene.ingest(scene.batch)
    finally:
        locked.chmod(0o755)
    assert err == f"rejected: {locked}: unreadable: cannot list directory: permission denied\n"
    assert code == 1
    scene.assert_nothing_lost()


def test_broken_symbolic_link(scene: Scene) -> None:
    path = scene.batch / "moved.txt"
    path.symlink_to(scene.batch / "gone" / "moved.txt")
    code, _out, err = scene.ingest(scene.batch)
    detail = "broken symbolic link: its target is missing"
    assert err == f"rejected: {path}: unreadable: {detail}\n"
    assert code == 1
    assert scene.last_rejections() == [(str(path), "unreadable", detail)]
    scene.assert_nothing_lost()


def test_symbolic_link_loop(scene: Scene) -> None:
    path = scene.batch / "loop.txt"
    path.symlink_to(path)
    code, _out, err = scene.ingest(scene.batch)
    assert err == f"rejected: {path}: unreadable: too many levels of symbolic links\n"
    assert code == 1
    scene.assert_nothing_lost()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", ["pipe.txt", "pipe.jsonl", "pipe.warc"])
def test_named_pipe_is_refused_not_waited_on(scene: Scene, name: str) -> None:
    """Reading a FIFO with no writer would block for ever; it is not a regular file."""
    path = scene.batch / name
    os.mkfifo(path)
    code, _out, err = scene.ingest(scene.batch)
    detail = "not a regular file (a pipe, socket or device)"
    assert err == f"rejected: {path}: unreadable: {detail}\n"
    assert code == 1
    assert scene.last_rejections() == [(str(path), "unreadable", detail)]
    scene.assert_nothing_lost()


@pytest.mark.timeout(30)
def test_unix_socket_is_refused(scene: Scene) -> None:
    path = scene.batch / "s.txt"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        code, _out, err = scene.ingest(scene.batch)
    assert err == f"rejected: {path}: unreadable: not a regular file (a pipe, socket or device)\n"
    assert code == 1
    scene.assert_nothing_lost()


def test_missing_path_named_next_to_good_ones(scene: Scene, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    code, _out, err = scene.ingest(missing, scene.batch)
    assert err == f"rejected: {missing}: unreadable: no such file or directory\n"
    assert code == 1
    scene.assert_nothing_lost()


# -- unsupported file types -------------------------------------------------------------


def test_unsupported_file_named_on_the_command_line(scene: Scene, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    code, _out, err = scene.ingest(pdf, scene.batch)
    detail = (
        "unsupported file type (.pdf); storyline reads "
        ".txt .md .html .htm .jsonl .json .xml .rss .atom .warc .warc.gz"
    )
    assert err == f"rejected: {pdf}: unsupported: {detail}\n"
    assert code == 1
    assert scene.last_rejections() == [(str(pdf), "unsupported", detail)]
    scene.assert_nothing_lost()


def test_unsupported_files_inside_a_folder_are_skipped_and_counted(scene: Scene) -> None:
    (scene.batch / "report.pdf").write_bytes(b"%PDF-1.7\n")
    (scene.batch / "notes.docx").write_bytes(b"PK\x03\x04")
    code, out, err = scene.ingest(scene.batch)
    assert (code, err) == (0, "")
    assert summary_lines(out) == [
        "  stored              3",
        "  duplicates skipped  0",
        "  rejected            0",
        "  skipped .docx files: 1",
        "  skipped .pdf files: 1",
    ]
    scene.assert_nothing_lost()


# -- everything at once -----------------------------------------------------------------


def test_every_bad_input_in_one_batch(scene: Scene) -> None:
    batch = scene.batch
    (batch / "empty.txt").write_bytes(b"")
    (batch / "photo.txt").write_bytes(PNG)
    (batch / "wire.jsonl").write_text(jsonl_line("w1", "Market reopens", "market") + "\n{oops\n")
    (batch / "news.html").write_text(INDEX_PAGE)
    (batch / "feed.xml").write_text(INDEX_PAGE)
    offsets = write_warc(batch / "crawl.warc.gz", WARC_PAGES[1:], cut=60)
    with (batch / "dump.txt").open("wb") as out:
        out.truncate(200 * 1024 * 1024)
    (batch / "moved.txt").symlink_to(batch / "gone.txt")
    code, out, err = scene.ingest(batch)
    assert code == 1
    assert sorted(err.splitlines()) == sorted(
        [
            f"rejected: {batch / 'crawl.warc.gz'}: record 2, offset {offsets[1]}: truncated: "
            + TRUNCATED.format(where="inside this record"),
            f"rejected: {batch / 'dump.txt'}: too-large: file is 200.0 MB, over the 10 MB limit "
            "for a file read whole; split it, use JSON Lines, or raise the limit "
            "(STORYLINE_MAX_FILE_MB / STORYLINE_MAX_DOCUMENT_MB)",
            f"rejected: {batch / 'empty.txt'}: empty: the file is empty (0 bytes)",
            f"rejected: {batch / 'feed.xml'}: not-a-feed: feed returned HTML, not RSS/Atom: "
            "pass the feed URL, not the site",
            f"rejected: {batch / 'moved.txt'}: unreadable: broken symbolic link: "
            "its target is missing",
            f"rejected: {batch / 'news.html'}: no-article: no article text found on the page "
            "(an index or empty page?)",
            f"rejected: {batch / 'photo.txt'}: binary: binary data, not text, HTML, JSON, "
            "a feed or WARC",
            f"rejected: {batch / 'wire.jsonl'}: line 2: malformed: invalid JSON at column 2: "
            "Expecting property name enclosed in double quotes",
        ]
    )
    assert summary_lines(out) == [
        "  stored              5",
        "  duplicates skipped  0",
        "  rejected            8",
        "    binary            1",
        "    empty             1",
        "    malformed         1",
        "    no-article        1",
        "    not-a-feed        1",
        "    too-large         1",
        "    truncated         1",
        "    unreadable        1",
    ]
    scene.assert_nothing_lost("Market reopens", "School extended")
    again_code, again_out, again_err = scene.ingest(batch)
    assert again_code == 1 and len(again_err.splitlines()) == 8
    assert "  already ingested    5" in again_out.splitlines()
    scene.assert_nothing_lost("Market reopens", "School extended")


# -- interrupted ingest -----------------------------------------------------------------


class Interrupt:
    """A progress callback that presses Ctrl-C when the ``after``-th file is reached."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.files = 0

    def __call__(self, event: str, n: int) -> None:
        if event == "file":
            self.files += n
            if self.files >= self.after:
                raise KeyboardInterrupt


@pytest.fixture
def ten_articles(tmp_path: Path) -> Path:
    folder = tmp_path / "ten"
    folder.mkdir()
    for i in range(10):
        topic = f"bridge number {i}"
        (folder / f"{i:02d}.txt").write_text(article(f"Bridge {i} reopens", topic))
    return folder


def records_stored(ws_db: Path) -> tuple[int, int, int]:
    """(articles, input records with status 'stored', all input records).

    Whole batches only: every article has the record that stored it, and no record
    was written twice.
    """
    with open_workspace(ws_db, SETTINGS) as ws:
        conn = ws.store.conn
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        stored = conn.execute("SELECT count(*) FROM records WHERE status = 'stored'").fetchone()[0]
        records = conn.execute("SELECT count(*) FROM records").fetchone()[0]
    return articles, stored, records


@pytest.mark.parametrize("workers", [1, 2])
def test_interrupt_mid_ingest_keeps_whole_batches_and_resumes(
    tmp_path: Path, ten_articles: Path, workers: int
) -> None:
    db = tmp_path / "ws.db"
    settings = Settings(workers=workers, batch_size=3, stages=())
    earlier = tmp_path / "earlier.txt"
    earlier.write_text(article(EARLIER_TITLE, "library"))
    with open_workspace(db, settings) as ws:
        assert ws.ingest([earlier]).stored == 1
        # Files 1-6 fill two batches; file 7 starts a third as Ctrl-C comes when file 8
        # is opened. Extraction runs one batch ahead of the writer, so only the first
        # batch (files 1-3) is committed; the second was extracted but not yet written.
        with pytest.raises(KeyboardInterrupt):
            ws.ingest([ten_articles], progress=Interrupt(after=8))
        run = ws.runs()[-1]
        assert (run["status"], run["counts"]["interrupted"]) == ("interrupted", True)
        assert run["finished_at"] is not None
        assert ws.count_articles() == 1 + 3
    assert records_stored(db) == (4, 4, 4)
    with open_workspace(db, settings) as ws:
        stored_before = {a.id: a for a in ws.articles()}
        summary = ws.ingest([ten_articles])
        assert (summary.stored, summary.already, summary.duplicates) == (7, 3, 0)
        assert summary.rejected_total == 0
        assert [r["status"] for r in ws.runs()] == ["done", "interrupted", "done"]
        titles = [a.title for a in ws.articles()]
        assert sorted(titles) == sorted(
            [EARLIER_TITLE] + [f"Bridge {i} reopens" for i in range(10)]
        )
        assert all(ws.article(i) == a for i, a in stored_before.items())
    assert records_stored(db) == (11, 11, 11)


def test_interrupt_right_after_a_commit(tmp_path: Path, ten_articles: Path) -> None:
    """Ctrl-C as the progress bar advances past a committed batch loses nothing."""
    db = tmp_path / "ws.db"

    def interrupt(event: str, n: int) -> None:
        if event == "document":
            raise KeyboardInterrupt

    with open_workspace(db, Settings(workers=1, batch_size=4, stages=())) as ws:
        with pytest.raises(KeyboardInterrupt):
            ws.ingest([ten_articles], progress=interrupt)
        assert ws.runs()[-1]["status"] == "interrupted"
        assert ws.count_articles() == 4
        again = ws.ingest([ten_articles])
        assert (again.stored, again.already) == (6, 4)
    assert records_stored(db) == (10, 10, 10)


class FailingStage:
    """A later stage that fails on its first batch (as a full disk would)."""

    name = "failing"

    def process(self, conn: object, batch: object) -> None:
        raise OSError("disk full")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_stage_rolls_its_batch_back_and_marks_the_run_failed(
    tmp_path: Path, ten_articles: Path, workers: int
) -> None:
    from storyline.pipeline import ingest

    settings = Settings(workers=workers, batch_size=4, stages=())
    with open_workspace(tmp_path / "ws.db", settings) as ws:
        with pytest.raises(OSError, match="disk full"):
            ingest(ws.store, [str(ten_articles)], settings, stages=[FailingStage()])
        run = ws.runs()[-1]
        assert (run["status"], run["finished_at"] is not None) == ("failed", True)
        assert ws.count_articles() == 0
        assert ws.ingest([ten_articles]).stored == 10  # the same input, without it


def test_an_unknown_stage_is_refused_before_a_run_begins(
    tmp_path: Path, ten_articles: Path
) -> None:
    from storyline.errors import StorylineError

    settings = Settings(workers=2, stages=("copies", "nothing"))
    with open_workspace(tmp_path / "ws.db", settings) as ws:
        with pytest.raises(StorylineError) as raised:
            ws.ingest([ten_articles])
        assert str(raised.value) == "unknown stage nothing: choose from copies, understand, events"
        assert ws.runs() == []


def test_interrupted_cli_exits_130_and_the_same_command_resumes(
    tmp_path: Path, ten_articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.pipeline

    db = tmp_path / "ws.db"
    real_read_file = storyline.pipeline.read_file

    def read_file(path: Path, limits: object) -> Iterator[object]:
        if path.name == "07.txt":
            raise KeyboardInterrupt
        return real_read_file(path, limits)  # type: ignore[arg-type]

    monkeypatch.setattr(storyline.pipeline, "read_file", read_file)
    env = {**ENV, "STORYLINE_BATCH_SIZE": "3"}
    args = ["ingest", str(ten_articles), "--db", str(db)]
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 130
    assert result.stderr == (
        "interrupted: what was stored before stays stored; run the same command again to resume\n"
    )
    # Extraction runs a batch ahead of the writer: files 1-3 were written, 4-6 were not.
    assert records_stored(db) == (3, 3, 3)
    monkeypatch.setattr(storyline.pipeline, "read_file", real_read_file)
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert (result.exit_code, result.stderr) == (0, "")
    assert "  already ingested    3" in result.stdout.splitlines()
    assert "  stored              7" in result.stdout.splitlines()
    assert records_stored(db) == (10, 10, 10)
