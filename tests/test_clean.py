"""Cleaning: boilerplate leaves, paragraphs stay, attributions are recorded."""

from __future__ import annotations

import pytest

from storyline.extract.clean import boilerplate_kind, clean_text, split_paragraphs
from storyline.extract.dates import header_date
from storyline.extract.normalize import article_id, canonical_url, normalize_text
from storyline.extract.plain import first_sentence, split_plain

BODY = (
    "The harbour authority closed the northern quay on Tuesday after a crane collapsed.",
    "Officials said nobody was hurt and that repairs would take at least two weeks.",
)


def _text(*extra: str) -> str:
    return "\n\n".join((*BODY, *extra))


def test_keeps_paragraphs_and_drops_each_kind_of_boilerplate() -> None:
    raw = _text(
        "I'm Dana Wexler, a professional journalist and author for Daily Sphere. I write news.",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "See also: Crane makers face new rules",
        "Read more: Port traffic falls",
        "The collapsed crane on the quay. © IMAGO/Frank Lowe",
        "Cranes at the port (archive image)",
        "Share this article on Facebook",
        "Sign up for our daily newsletter",
        "Advertisement",
    )
    cleaned = clean_text(raw)
    assert cleaned.text == "\n\n".join(BODY)
    kinds = [r.split(":", 1)[0] for r in cleaned.removed]
    assert kinds == [
        "bio", "comments", "comments", "link", "link", "caption", "caption", "share", "share", "ad"
    ]  # fmt: skip


def test_a_sentence_that_mentions_a_photo_is_not_a_caption() -> None:
    text = "Police said the photo: a man in a red jacket was seen near the bank on Monday."
    assert clean_text(text).text == text
    assert clean_text("Crowds at the quay (file photo). © Lorham Post").text == ""


def test_title_repeated_as_first_paragraph_is_dropped() -> None:
    cleaned = clean_text("Crane collapses at port\n\n" + _text(), title="Crane Collapses at Port")
    assert cleaned.text == "\n\n".join(BODY)
    assert cleaned.removed == ("title: Crane collapses at port",)


def test_a_lede_scraped_twice_is_kept_once() -> None:
    lede = "The harbour authority closed the northern quay on Tuesday."
    cleaned = clean_text(f"{lede}\n\n{lede} A crane had collapsed.\n\n{BODY[1]}")
    assert cleaned.text == f"{lede} A crane had collapsed.\n\n{BODY[1]}"


def test_attributions_are_recorded_and_credit_lines_leave_the_text() -> None:
    cleaned = clean_text(_text("Source: Krone"))
    assert cleaned.text == "\n\n".join(BODY)
    assert [(a.agency, a.form, a.position) for a in cleaned.attributions] == [
        ("Krone", "Source: Krone", "line")
    ]
    helped = clean_text(_text("• CPA contributed to this report"))
    assert helped.text == "\n\n".join(BODY)
    assert [(a.agency, a.position) for a in helped.attributions] == [("CPA", "line")]
    bullet = clean_text(_text("  • Reuters"))
    assert [(a.agency, a.position) for a in bullet.attributions] == [("Reuters", "line")]
    dotted = clean_text(BODY[0] + "\n\n" + BODY[1] + " (bme/dpa).")
    assert [(a.agency, a.position) for a in dotted.attributions] == [("dpa", "end")]
    follow = clean_text(_text("Follow VBC News for the latest updates."))
    assert follow.text == "\n\n".join(BODY)
    tagged = clean_text(BODY[0] + "\n\n" + BODY[1] + " (bme/dpa)")
    assert tagged.text == "\n\n".join(BODY)
    assert [(a.agency, a.form, a.position) for a in tagged.attributions] == [
        ("dpa", "(bme/dpa)", "end")
    ]


def test_datelines_and_inline_agency_credits_are_recorded_but_kept() -> None:
    text = (
        "WASHINGTON (AP) — Lawmakers met on Monday.\n\nA senator told Reuters the vote was close."
    )
    cleaned = clean_text(text)
    assert cleaned.text == text
    assert [(a.agency, a.position) for a in cleaned.attributions] == [
        ("AP", "start"),
        ("Reuters", "inline"),
    ]
    bare = clean_text("AP — Lawmakers met on Monday to discuss the budget for next year.")
    assert [(a.agency, a.position) for a in bare.attributions] == [("AP", "start")]


def test_a_headline_only_record_keeps_its_title_as_text() -> None:
    assert clean_text("Quake hits coast", title="Quake hits coast").text == "Quake hits coast"


def test_one_line_per_paragraph_and_hard_wrapped_blocks() -> None:
    assert split_paragraphs("First line.\nSecond line.\n\nThird.") == [
        "First line.",
        "Second line.",
        "Third.",
    ]
    wrapped = (
        "This paragraph was wrapped by an editor at about seventy\n"
        "characters a line so that it reads well in a terminal and\n"
        "ends here."
    )
    assert split_paragraphs(wrapped) == [" ".join(wrapped.split())]


def test_header_lines_give_the_date_and_leave_the_text() -> None:
    parts = split_plain("| 3 March 2024, Sunday |\n\nLeaders meet in Sochi\n\nThe leaders met.")
    assert parts.date is not None and parts.date.date().isoformat() == "2024-03-03"
    assert parts.title == "Leaders meet in Sochi"
    assert parts.body.strip() == "The leaders met."
    second = split_plain(" date 2022-07-28 Home page politics\n\nRussia and Turkey. They met.")
    assert second.date is not None and second.date.date().isoformat() == "2022-07-28"
    assert second.title is None
    assert header_date("The meeting on 5 August 2022 was long and the talks went on.") is None


def test_a_dated_byline_under_the_title_gives_date_and_author() -> None:
    parts = split_plain(
        "# Summit day\n\n*Posted on 15 March 2025 by Nell Arden · Harbour Notes*\n\nI watched.",
        markdown=True,
    )
    assert (parts.title, parts.author, parts.body.strip()) == (
        "Summit day",
        "Nell Arden",
        "I watched.",
    )
    assert parts.date is not None and parts.date.date().isoformat() == "2025-03-15"
    assert parts.outlet == "Harbour Notes"
    piped = split_plain("Rain\n\nPublished 2 May 2025 by Ana Paz | The Coast Post\n\nIt rained.")
    assert (piped.author, piped.outlet) == ("Ana Paz", "The Coast Post")
    nameless = split_plain("Rain\n\nPublished 2 May 2025 by Ana Paz, staff writer\n\nIt rained.")
    assert (nameless.author, nameless.outlet) == ("Ana Paz", None)
    plain = split_plain("Summit day\n\nBy the harbour wall we stood and watched the boats.")
    assert plain.date is None and plain.body.strip().startswith("By the harbour")


def test_a_long_first_line_is_not_a_title() -> None:
    parts = split_plain("Leaders met on Friday. They talked about grain.\nMore text here.")
    assert parts.title is None


def test_canonical_urls_and_ids() -> None:
    assert canonical_url("http://www.Example.com/a/b/?utm_source=x&id=3#top") == (
        "https://example.com/a/b?id=3"
    )
    assert (
        canonical_url(
            "http://web.archive.org/web/20160110085637/http://usnews.nbcnews.com:80/_news/x"
        )
        == "https://usnews.nbcnews.com/_news/x"
    )
    assert canonical_url("http://web.archive.org/web/2016/http:/www.wbtv.com/story/1") == (
        "https://wbtv.com/story/1"
    )
    assert canonical_url("mailto:someone@example.com") is None
    same_url = article_id("https://example.com/a", "one text")
    assert same_url == article_id("https://example.com/a", "another text")
    assert article_id(None, "Hello, World!") == article_id(None, "hello world")
    assert normalize_text("Erdoğan’s  «Visit»!") == "erdoğan s visit"


# -- copyright and rights notices (GVC keeps them at the end of local TV news) ----------


@pytest.mark.parametrize(
    "notice",
    [
        "Copyright 2016 Nexstar Broadcasting, Inc. All rights reserved.",
        "Copyright 2016 by KSAT - All rights reserved.",
        "Copyright 2016 WGCL-TV (Meredith Corporation). All rights reserved.",
        "Copyright 2016 WFAA",
        "Copyright Associated Press / NBC New York",
        "© 2016 Cox Media Group.",
        "(c) Copyright 2016 Lorham Post Ltd.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "(Copyright 2015 The Associated Press. All Rights Reserved. This material may not be "
        "published, broadcast, rewritten or redistributed.)",
        "(©2014 CBS Local Media, a division of CBS Radio Inc. All Rights Reserved. This "
        "material may not be published, broadcast, rewritten, or redistributed.)",
        "© 2016 Süddeutsche Zeitung GmbH. Alle Rechte vorbehalten.",
        "© Le Monde 2016. Tous droits réservés.",
    ],
)
def test_a_rights_notice_paragraph_is_removed(notice: str) -> None:
    assert boilerplate_kind(notice) == "rights"
    cleaned = clean_text(_text(notice))
    assert cleaned.text == _text()
    assert cleaned.removed == (f"rights: {notice[:120]}",)


@pytest.mark.parametrize(
    "sentence",
    [
        "Copyright law changed in 2016 after years of lobbying by the music industry.",
        "Copyright 2016 rules changed the game for musicians, the lawyer said.",
        "Copyright Office officials declined to comment on the lawsuit.",
        "The label said all rights reserved by the band had been sold in 2015.",
        "The band sued for copyright infringement; © marks were missing from the sleeve.",
    ],
)
def test_a_sentence_about_copyright_is_article_text(sentence: str) -> None:
    assert boilerplate_kind(sentence) is None
    assert clean_text(_text(sentence)).text == _text(sentence)
    glued = f"{BODY[1]} {sentence}"
    assert clean_text(f"{BODY[0]}\n\n{glued}").text == f"{BODY[0]}\n\n{glued}"


def test_a_notice_glued_to_the_last_paragraph_is_cut_from_it() -> None:
    notice = "Copyright 2016 Nexstar Broadcasting, Inc. All rights reserved."
    cleaned = clean_text(f"{BODY[0]}\n\n{BODY[1]} {notice}")
    assert cleaned.text == _text()
    assert cleaned.removed == (f"rights: {notice}",)
    credit = clean_text(f"{BODY[0]}\n\n{BODY[1][:-1]} © 2017 Cox Media Group.")
    assert credit.text == _text()[:-1]


def test_a_credit_after_a_notice_is_recorded_as_an_attribution() -> None:
    notice = (
        "TM and © Copyright 2016 CBS Radio Inc. and its relevant subsidiaries. CBS RADIO and "
        "EYE Logo TM and Copyright 2016 CBS Broadcasting Inc. Used under license. All Rights "
        "Reserved. This material may not be published, broadcast, rewritten, or redistributed."
    )
    cleaned = clean_text(_text(f"({notice} The Associated Press contributed to this report.)"))
    assert cleaned.text == _text()
    assert [(a.agency, a.position) for a in cleaned.attributions] == [
        ("The Associated Press", "line")
    ]
    assert cleaned.removed[0] == f"rights: {notice[:120]}"


@pytest.mark.timeout(10)
def test_a_long_near_notice_is_judged_quickly() -> None:
    """The owner's words are matched possessively: this took minutes when they were not."""
    near = "Copyright 2016 Lorham. " * 20 + "and then the council voted"
    assert boilerplate_kind(near) is None
    assert clean_text(near).text == near


# -- a stand-in title: the first sentence, not cut at an initial or abbreviation ---------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "WASHINGTON — Representative Raúl R. Labrador, a Republican of Idaho, jumped into "
            "the race on Friday. He is a conservative.",
            "WASHINGTON — Representative Raúl R. Labrador, a Republican of Idaho, jumped into "
            "the race on Friday.",
        ),
        ("Mr. Smith met Dr. Jones in St. Louis on Jan. 5. They talked.",
         "Mr. Smith met Dr. Jones in St. Louis on Jan. 5."),
        ("The U.S. Senate voted on Friday. Then it rested.", "The U.S. Senate voted on Friday."),
        ("Sen. Ted Cruz and Gov. Greg Abbott spoke. Others did not.",
         "Sen. Ted Cruz and Gov. Greg Abbott spoke."),
        ("Police in Fresno, Calif. said nothing. Later they spoke.",
         "Police in Fresno, Calif. said nothing."),
        ("It rained! Police said.", "It rained!"),
        ("One sentence without an end", "One sentence without an end"),
    ],
)  # fmt: skip
def test_first_sentence_does_not_end_at_an_initial_or_abbreviation(text: str, title: str) -> None:
    assert first_sentence(text) == title


def test_a_title_line_may_hold_an_abbreviation() -> None:
    parts = split_plain("Rep. Labrador joins the U.S. House race\n\nHe said so on Friday.")
    assert parts.title == "Rep. Labrador joins the U.S. House race"
    assert split_plain("Two sentences. Not a title\n\nBody.").title is None
