"""Every input format: what a reader and extraction make of a small, realistic input."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.api import Workspace
from storyline.extract.dates import parse_date
from tests.conftest import shared

PARAGRAPHS = [
    "The city council of Lorham voted on Thursday to rebuild the old river bridge.",
    "Mayor Ines Kral said the work would start in spring and cost about 40 million.",
    "Residents had waited six years for a decision on the crossing, the council said.",
]


def page(title: str, url: str, body: list[str] = PARAGRAPHS) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return f"""<!DOCTYPE html><html lang="en"><head><title>{title} | Lorham Post</title>
<meta property="og:site_name" content="Lorham Post">
<link rel="canonical" href="{url}">
<meta property="article:published_time" content="2025-04-03T10:00:00Z">
<meta name="author" content="Jon Ferris"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>{paragraphs}
<figure><figcaption>The old bridge. © Lorham Post/Archive</figcaption></figure>
<p>Share this article</p></article>
<section class="comments"><h3>Leave a Reply</h3>
<p>Your email address will not be published.</p></section>
<footer>© 2025 Lorham Post. All rights reserved.</footer></body></html>"""


def test_plain_text_with_header_title_and_credit(workspace: Workspace, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bridge.txt").write_text(
        "| 3 April 2025, Thursday |\n\nLorham will rebuild its bridge\n\n"
        + "\n".join(PARAGRAPHS)
        + "\n\nSource: Lorham Post\n",
        encoding="utf-8",
    )
    summary = workspace.ingest([tmp_path / "in"])
    assert (summary.read, summary.stored, summary.rejected_total) == (1, 1, 0)
    [article] = workspace.articles()
    assert article.title == "Lorham will rebuild its bridge"
    assert article.text == "\n\n".join(PARAGRAPHS)
    assert (
        article.published is not None
        and article.published.isoformat() == "2025-04-03T00:00:00+00:00"
    )
    assert article.date_source == "header"
    assert article.language == "en"
    assert [a.agency for a in article.attributions] == ["Lorham Post"]


def test_markdown_title(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Bridge vote\n\n" + "\n\n".join(PARAGRAPHS), encoding="utf-8")
    workspace.ingest([path])
    assert workspace.articles()[0].title == "Bridge vote"


def test_a_text_file_named_after_a_known_outlet_is_that_outlets(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    record = {"id": "w1", "title": "Bridge", "text": " ".join(PARAGRAPHS), "source": "Lorham Post"}
    (folder / "wire.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    for name, words in (("lorham-post-ferry-note.txt", "ferry"), ("post-ferry.txt", "quay")):
        (folder / name).write_text(
            f"Ferry {words} note\n\nThe {words} at Lorham reopened on Friday, the council said."
            " Crews had worked on it for a month.\n",
            encoding="utf-8",
        )
    workspace.ingest([folder])
    sources = {a.location.rsplit("/", 1)[-1]: a.source for a in workspace.articles()}
    assert sources["lorham-post-ferry-note.txt"] == "Lorham Post"
    assert sources["post-ferry.txt"] is None  # part of a name is not a guess we make


def test_html_page_metadata_and_main_text(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "bridge.html"
    path.write_text(page("Lorham votes to rebuild bridge", "https://lorhampost.example/bridge"))
    workspace.ingest([path])
    [article] = workspace.articles()
    assert article.title == "Lorham votes to rebuild bridge"
    assert article.source == "Lorham Post"
    assert article.author == "Jon Ferris"
    assert article.canonical_url == "https://lorhampost.example/bridge"
    assert article.published is not None and article.published.date().isoformat() == "2025-04-03"
    assert article.date_source == "html"
    assert article.text == "\n\n".join(PARAGRAPHS)


def test_jsonl_fields_external_id_and_metadata(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    records = [
        {"id": "r1", "title": "Bridge vote", "text": "\n\n".join(PARAGRAPHS), "date": "2025-04-03",
         "url": "https://lorhampost.example/r1", "source": "Lorham Post", "language": "en",
         "section": "local"},
        {"id": 2, "title": "Bridge costs", "html": "<p>" + "</p><p>".join(PARAGRAPHS) + "</p>",
         "published": "2025-04-04T08:00:00+02:00", "source": "Lorham Post"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    summary = workspace.ingest([path])
    assert summary.stored == 2
    first, second = workspace.articles()
    assert (first.external_id, first.metadata, first.date_source) == (
        "r1",
        {"section": "local"},
        "metadata",
    )
    assert second.external_id == "2"
    assert second.text == "\n\n".join(PARAGRAPHS)
    assert (
        second.published is not None and second.published.isoformat() == "2025-04-04T08:00:00+02:00"
    )
    assert workspace.article("r1").id == first.id


@pytest.mark.parametrize(
    ("value", "day"),
    [
        # tokenised stamps: spaced-out times and numeric dates
        ("June 6th, 2013 7 : 38pm EDT", "2013-06-06"),
        ("9 : 53 AM, MON 22 JUL 2013", "2013-07-22"),
        ("10 : 10 AM PDT 6 / 6 / 2013", "2013-06-06"),
        ("06 / 06 / 13 07 : 05 PM ET EDT", "2013-06-06"),
        ("published : 2012 - 04 - 04 11 : 47 : 35", "2012-04-04"),
        # a stamp with words after it, or a second (updated) date: the first date
        ("21 July 2013 Last updated at 11 : 11 GMT", "2013-07-21"),
        ("Friday, June 7, 2013 She was 91.", "2013-06-07"),
        ("PUBLISHED : WEDNESDAY, MARCH 13, 2013, 2 : 29 PM UPDATED : THURSDAY, MARCH 14, 2013",
         "2013-03-13"),
        ("Published on 18th September 2013", "2013-09-18"),
        # the day as written, not moved to UTC
        ("June 6, 2013 11:38pm EDT", "2013-06-06"),
    ],
)  # fmt: skip
def test_free_text_record_dates(value: str, day: str) -> None:
    parsed = parse_date(value)
    assert parsed is not None and parsed.date().isoformat() == day


@pytest.mark.parametrize("value", ["She was 91.", "Mar. 8 5 : 46 PM EST", "In 2008, he won."])
def test_record_date_fields_without_a_full_date_give_none(value: str) -> None:
    assert parse_date(value) is None


def test_a_tokenised_record_date_is_the_publication_date(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "a.jsonl"
    record = {"id": "e1", "title": "Bridge vote", "text": "\n\n".join(PARAGRAPHS),
              "date": "June 6th, 2013 7 : 38pm EDT"}  # fmt: skip
    path.write_text(json.dumps(record) + "\n")
    workspace.ingest([path])
    [article] = workspace.articles()
    assert article.published is not None and article.published.isoformat() == (
        "2013-06-06T19:38:00-04:00"
    )
    assert article.date_source == "metadata"


@pytest.mark.parametrize("field", ["date_raw", "datePublished", "pub_date"])
def test_other_date_field_names_give_the_publication_date(
    workspace: Workspace, tmp_path: Path, field: str
) -> None:
    path = tmp_path / "a.jsonl"
    rows = [
        {"id": "d1", "title": "Ferry vote", "text": "\n\n".join(PARAGRAPHS),
         field: "December 15th, 2008, 7 : 35 am"},
        {"id": "d2", "title": "Ferry vote again", "text": "\n\n".join(PARAGRAPHS[::-1]),
         field: "8 : 24am : According to the Herald"},  # a time, no day: no date
    ]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert workspace.ingest([path]).stored == 2
    dated = {a.external_id: a.published for a in workspace.articles()}
    assert dated["d1"] is not None and dated["d1"].date().isoformat() == "2008-12-15"
    assert dated["d2"] is None


def test_json_array_file(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"articles": [{"id": "x", "title": "T", "text": PARAGRAPHS[0]}]}))
    assert workspace.ingest([path]).stored == 1


def test_rss_feed_with_full_content(workspace: Workspace, tmp_path: Path) -> None:
    content = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    path = tmp_path / "feed.xml"
    path.write_text(f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Lorham Post</title><link>https://lorhampost.example/</link>
<item><title>Bridge vote</title><link>https://lorhampost.example/bridge</link>
<guid>bridge-1</guid><pubDate>Thu, 03 Apr 2025 10:00:00 GMT</pubDate>
<description>Short summary only.</description>
<content:encoded><![CDATA[{content}]]></content:encoded></item>
<item><title>Summary only</title><link>https://lorhampost.example/s</link>
<pubDate>Fri, 04 Apr 2025 10:00:00 GMT</pubDate>
<description>The council met again on Friday to discuss the bridge plans.</description></item>
</channel></rss>""")
    summary = workspace.ingest([path])
    assert summary.stored == 2
    full, short = workspace.articles()
    assert full.text == "\n\n".join(PARAGRAPHS)
    assert (full.source, full.external_id, full.date_source) == ("Lorham Post", "bridge-1", "feed")
    assert full.published is not None and full.published.isoformat() == "2025-04-03T10:00:00+00:00"
    assert short.text == "The council met again on Friday to discuss the bridge plans."


@pytest.mark.parametrize(
    ("title", "outlet"),
    [("VBC News - Top stories", "VBC News"), ("Ledgerline: Markets & Companies", "Ledgerline"),
     ("The Lorham Post | Politics", "The Lorham Post"), ("Lorham Post", "Lorham Post"),
     ("Lorham-Post", "Lorham-Post")],
)  # fmt: skip
def test_a_feeds_section_is_not_part_of_its_source(
    workspace: Workspace, tmp_path: Path, title: str, outlet: str
) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>{title.replace("&", "&amp;")}</title>
<item><title>Bridge vote</title><link>https://lorhampost.example/bridge</link>
<description>{" ".join(PARAGRAPHS)}</description></item></channel></rss>""")
    assert workspace.ingest([path]).stored == 1
    [article] = workspace.articles()
    assert article.source == outlet and article.metadata["feed"] == title


def test_atom_feed(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "feed.atom"
    path.write_text("""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>River Blog</title><id>urn:b</id>
<updated>2025-04-03T10:00:00Z</updated>
<entry><title>Bridge</title><id>urn:b:1</id><link href="https://river.example/1"/>
<updated>2025-04-03T10:00:00Z</updated>
<content type="html">&lt;p&gt;The bridge will be rebuilt, the council decided.&lt;/p&gt;
</content></entry>
</feed>""")
    workspace.ingest([path])
    [article] = workspace.articles()
    assert (article.title, article.source) == ("Bridge", "River Blog")
    assert article.text == "The bridge will be rebuilt, the council decided."


def _record(writer: WARCWriter, url: str, kind: str, body: bytes, ctype: str | None = None) -> None:
    http = None
    if ctype is not None:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, kind, payload=io.BytesIO(body), length=len(body), http_headers=http
    )
    writer.write_record(record)


def write_warc(path: Path, pages: list[tuple[str, str]]) -> None:
    """A gzipped WARC with one response per page plus a request each and an image."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, html in pages:
            _record(writer, url, "request", b"GET / HTTP/1.1\r\n\r\n")
            _record(writer, url, "response", html.encode(), "text/html; charset=utf-8")
        _record(writer, "https://x.example/a.png", "response", b"\x89PNG", "image/png")


def test_warc_html_responses_and_skipped_records(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    base = "https://lorhampost.example/"
    urls = {"Bridge vote": base + "bridge", "Bridge cost": base + "cost"}
    write_warc(path, [(url, page(title, url)) for title, url in urls.items()])
    summary = workspace.ingest([path])
    assert summary.stored == 2
    assert dict(summary.skipped) == {"request record": 2, "response 200 image/png": 1}
    assert {a.title for a in workspace.articles()} == {"Bridge vote", "Bridge cost"}
    assert all(a.format == "warc" for a in workspace.articles())


def test_different_documents_piped_in_turn_are_both_stored(workspace: Workspace) -> None:
    first = workspace.ingest(["-"], stdin=io.BytesIO(PARAGRAPHS[0].encode()))
    second = workspace.ingest(["-"], stdin=io.BytesIO(PARAGRAPHS[1].encode()))
    again = workspace.ingest(["-"], stdin=io.BytesIO(PARAGRAPHS[1].encode()))
    assert (first.stored, second.stored, again.stored, again.already) == (1, 1, 0, 1)


def test_standard_input_is_sniffed(workspace: Workspace) -> None:
    lines = "\n".join(json.dumps({"id": i, "text": p}) for i, p in enumerate(PARAGRAPHS))
    summary = workspace.ingest(["-"], stdin=io.BytesIO(lines.encode()))
    assert summary.stored == 3
    stdin_gz = io.BytesIO(gzip.compress(b""))
    assert workspace.ingest(["-"], stdin=stdin_gz).stored == 0


def test_reingest_adds_nothing_and_new_text_at_same_url_is_a_version(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "bridge.html"
    path.write_text(page("Bridge vote", "https://lorhampost.example/bridge"))
    assert workspace.ingest([path]).stored == 1
    again = workspace.ingest([path])
    assert (again.stored, again.already) == (0, 1)
    updated = tmp_path / "bridge-updated.html"
    updated.write_text(
        page(
            "Bridge vote",
            "https://lorhampost.example/bridge",
            [*PARAGRAPHS, "Update: the vote was 9 to 2."],
        )
    )
    assert workspace.ingest([updated]).versions == 1
    [article] = workspace.articles()
    details = workspace.article_details(article.id)
    assert [v["version"] for v in details["versions"]] == [1]
    assert article.text.endswith("Update: the vote was 9 to 2.")
    copy = tmp_path / "copy.txt"
    copy.write_text("\n\n".join(PARAGRAPHS))
    copy2 = tmp_path / "copy2.txt"
    copy2.write_text("\n\n".join(PARAGRAPHS))
    summary = workspace.ingest([copy, copy2])
    assert (summary.stored, summary.duplicates) == (1, 1)


def test_seed_articles(workspace: Workspace) -> None:
    """The five real seed texts: headers, bios, captions, credits (optional data)."""
    summary = workspace.ingest([shared("seeds")])
    assert (summary.stored, summary.rejected_total) == (5, 0)
    by_file = {Path(a.location).name[:3]: a for a in workspace.articles()}
    assert [a.agency for a in by_file["000"].attributions] == ["Krone"]
    assert not any("professional journalist" in p for p in by_file["000"].paragraphs)
    assert ("dpa", "inline") in {(a.agency, a.position) for a in by_file["001"].attributions}
    assert by_file["002"].published is not None and by_file["002"].published.year == 2024
    assert "Reuters" in {a.agency for a in by_file["002"].attributions}
    assert (
        by_file["003"].published is not None
        and by_file["003"].published.date().isoformat() == "2022-07-28"
    )
    assert "©" not in by_file["003"].text
    assert "Leave a Reply" not in by_file["004"].text and "See also" not in by_file["004"].text


def test_a_short_page_keeps_its_paragraphs_and_drops_its_chrome(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "short.html"
    path.write_text(
        "<html><head><title>Man dies</title></head><body><article><h1>Man dies</h1>"
        '<p class="byline">By Staff Reporter</p><figure><figcaption>Police tape at the scene.'
        " (File photo)</figcaption></figure><p>He also shot himself</p>"
        "<p>He died of his injuries</p><div class=share><a href=x>Share on Twitter</a></div>"
        "</article></body></html>"
    )
    summary = workspace.ingest([path])
    assert (summary.stored, summary.rejected_total) == (1, 0)
    assert workspace.articles()[0].text == "He also shot himself\n\nHe died of his injuries"


def test_thorough_extraction_gives_the_same_page_text(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.extract.html import thorough

    monkeypatch.setenv("STORYLINE_EXTRACTION", "thorough")
    assert thorough()
    path = tmp_path / "bridge.html"
    path.write_text(page("Lorham votes to rebuild bridge", "https://lorhampost.example/bridge"))
    workspace.ingest([path])
    assert workspace.articles()[0].text == "\n\n".join(PARAGRAPHS)
