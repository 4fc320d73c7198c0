"""Units of the what-happened analysis: figures, sentences, grouping, contradictions,
briefs, citations, storylines and rendering, on small hand-made inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.analysis import contradictions, grouping
from storyline.analysis.brief import majority_claims, resolved_label, with_resolved_dates
from storyline.analysis.citations import check_citations
from storyline.analysis.claims import DENIAL, outlet, source_tally, unify_reprints
from storyline.analysis.html import brief_html
from storyline.analysis.markdown import brief_md, coverage
from storyline.analysis.quantities import disagree, quantities
from storyline.analysis.sentences import is_claim, split
from storyline.analysis.storylines import Profile, group, link_of
from storyline.model import (
    Article,
    Attribution,
    Brief,
    BriefSentence,
    Citation,
    Claim,
    Contradiction,
    DateMention,
)

DAY = datetime(2025, 3, 14, 12, tzinfo=UTC)


def claim(
    text: str,
    article: str = "a1",
    index: int = 0,
    *,
    origin: str | None = None,
    published: datetime | None = DAY,
    entities: tuple[str, ...] = (),
    dates: tuple[DateMention, ...] = (),
    source: str = "Outlet",
) -> Claim:
    """A claim as the claims module would make it from ``text`` at offset 0."""
    return Claim(
        id=f"{article}:{index}",
        article_id=article,
        index=index,
        text=text,
        start=0,
        end=len(text),
        source=source,
        published=published,
        origin=origin or article,
        entities=entities,
        quantities=tuple(quantities(text)),
        dates=dates,
        denial=bool(DENIAL.search(text)),
        quoted=False,
    )


def article(article_id: str, text: str, source: str | None = "Outlet") -> Article:
    return Article(id=article_id, title="t", text=text, text_hash="h", source=source, published=DAY)


# --- figures ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "kind"),
    [
        ("The two leaders signed four agreements, covering", 4, "agreement", "count"),
        ("the sides have signed five memorandums", 5, "agreement", "count"),
        ("after about three hours of talks", 3, "hour", "duration"),
        ("a summit that took barely 90 minutes", 1.5, "hour", "duration"),
        ("raised its rate by half a percentage point", 0.5, "point", "percent"),
        ("a quarter point to", 0.25, "point", "percent"),
        ("closed 5.1 percent higher", 5.1, "%", "percent"),
        ("goods worth 5.1 billion US dollars from Russia", 5.1e9, "dollar", "money"),
        ("The union says 2,100 of its members are out", 2100, "member", "count"),
        ("Brisany's 3,000 striking dockers will", 3000, "worker", "count"),
        ("up to 18 Skylark SR-4 surveillance drones from", 18, "aircraft", "count"),
        ("the death toll remained at two, correcting", 2, "death", "count"),
    ],
)
def test_a_figure_is_read_with_its_unit_and_kind(
    text: str, value: float, unit: str, kind: str
) -> None:
    found = quantities(text)
    assert [(q.value, q.unit, q.kind) for q in found][-1] == (pytest.approx(value), unit, kind)


@pytest.mark.parametrize(
    "text",
    [
        "in 2021 after",
        "on March 14 the",
        "around 2 p.m. CEST",
        "the Bayraktar TB2 and F-35",
        "a 5-2 vote",
        "one official said",
        "the second fire",
    ],
)
def test_years_dates_times_codes_scores_and_ordinals_are_not_figures(text: str) -> None:
    assert quantities(text) == []


def test_spans_point_at_the_figure_in_the_text() -> None:
    text = "Officials said about 20 ships were waiting."
    (q,) = quantities(text, start=100)
    assert text[q.start - 100 : q.end - 100] == "about 20 ships"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("about 20 ships", "23 ships", True),
        ("up to 18 aircraft", "12 to 18 aircraft", False),
        ("four hours of talks", "almost five hours", True),
        ("within two months of", "within eight weeks of", False),
        ("more than 80,000 passengers", "more than 90,000 passengers", False),
        ("four agreements", "4 agreements", False),
        ("three agreements", "five ships", False),
    ],
)
def test_figures_disagree_only_when_both_cannot_hold(a: str, b: str, expected: bool) -> None:
    assert disagree(quantities(a)[0], quantities(b)[0]) is expected


# --- sentences ----------------------------------------------------------------------------


_SENTENCE = st.text(alphabet=st.sampled_from("abc deXYZ,"), min_size=1, max_size=30).map(
    lambda s: s.strip().capitalize() + "."
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_SENTENCE, min_size=1, max_size=4), min_size=1, max_size=4))
def test_every_sentence_is_the_articles_own_text(paragraphs: list[list[str]]) -> None:
    text = "\n\n".join(" ".join(p) for p in paragraphs)
    found = split(text)
    assert [s.index for s in found] == list(range(len(found)))
    for s in found:
        assert text[s.start : s.end] == s.text and s.text.strip() == s.text


def test_a_quotation_over_a_full_stop_stays_one_sentence_and_datelines_are_cut() -> None:
    text = (
        "BRISANY — Drevik arrived at nine.\n\n“We talked. Today we agree,” Drevik "
        "said at the harbour."
    )
    texts = [s.text for s in split(text)]
    assert texts == [
        "Drevik arrived at nine.",
        "“We talked. Today we agree,” Drevik said at the harbour.",
    ]
    assert split(text)[1].quoted is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("By the results of the negotiations the sides have signed five memorandums.", True),
        ("Kremlin warns of offensive", False),
        ("By Jonah Petrak", False),
        ("Does Russia now want to buy Turkish combat drones?", False),
        ("See also: the best photos of the summit in Brisany.", False),
        ("© IMAGO/Sergei Savostyanov / ITAR-TASS photo of the two leaders", False),
        ("If you enjoyed this, subscribe to Harbour Notes — it's free.", False),
        ("Police said the gathering was peaceful.", True),
    ],
)
def test_only_sentences_that_can_state_a_fact_are_claims(text: str, expected: bool) -> None:
    assert is_claim(split(text)[0]) is expected


# --- grouping -----------------------------------------------------------------------------


def test_average_linkage_groups_blocks_and_does_not_chain() -> None:
    scores = np.array(
        [
            [1.0, 0.9, 0.1, 0.0],
            [0.9, 1.0, 0.9, 0.0],
            [0.1, 0.9, 1.0, 0.0],
            [0.0, 0.0, 0.0, 1.0],
        ]
    )
    groups = grouping.cluster(scores, threshold=0.6)
    assert [0, 1] in groups or [1, 2] in groups
    assert [0, 1, 2] not in groups and [3] in groups


def test_a_reprinted_sentence_is_one_origin_and_confirmation_ranks_first() -> None:
    wire = "Two workers were killed in a fire at a plastics factory outside Brisany on Tuesday."
    claims = [
        claim(wire, "cpa"),
        claim(wire, "herald", origin="cpa"),
        claim(wire, "ledger", origin="cpa"),
        claim("The fire was the second at the estate in three years, officials said.", "cpa", 1),
        claim("It was the second fire on the estate in three years, the paper said.", "klaxon", 1),
    ]
    scores = np.eye(5)
    scores[:3, :3] = 1.0
    scores[3, 4] = scores[4, 3] = 0.9
    facts = grouping.build_facts(claims, scores, grouping.cluster(scores))
    by_articles = {f.articles: f for f in facts}
    assert by_articles[("cpa", "herald", "ledger")].origins == 1
    assert facts[0].origins == 2 and set(facts[0].articles) == {"cpa", "klaxon"}


def test_the_same_long_sentence_in_unlinked_articles_gets_one_origin() -> None:
    text = (
        "The two leaders also signed a declaration on a security partnership, including "
        "joint coastguard patrols against smuggling in the strait."
    )
    early = claim(text, "wire", published=DAY)
    late = claim(text, "tabloid", published=datetime(2025, 3, 15, tzinfo=UTC))
    quote = claim("“We agree,” he said to reporters at the harbour.", "x", 1)
    unified = unify_reprints([late, early, quote])
    assert [c.origin for c in unified] == ["wire", "wire", "x"]


# --- contradictions -----------------------------------------------------------------------


def _find(
    claims: list[Claim],
    same_fact: bool = True,
    score: float = 0.9,
    labels: dict[str, str] | None = None,
) -> list[Contradiction]:
    n = len(claims)
    scores = np.full((n, n), score)
    np.fill_diagonal(scores, 1.0)
    ctx = contradictions.Context(
        group_of=[0] * n if same_fact else list(range(n)),
        fact_ids=[f"F{i + 1}" for i in range(n)],
        labels=labels or {},
        names={},
        article_entities={c.article_id: frozenset(c.entities) for c in claims},
    )
    return contradictions.find(claims, scores, ctx)


def test_different_figures_for_one_fact_are_a_contradiction_with_one_side_each() -> None:
    found = _find(
        [
            claim("The two leaders signed four agreements on Thursday.", "cpa"),
            claim("The two leaders signed four agreements, officials said.", "herald", 1),
            claim("The presidents have signed three agreements at the summit.", "vbc", 2),
            claim("The sides have signed five memorandums after the talks.", "tt", 3),
        ]
    )
    (k,) = found
    assert k.kind == "number" and k.topic == "agreement"
    assert [(value, len(cs)) for value, cs in k.sides] == [
        ("four agreements", 2),
        ("three agreements", 1),
        ("five memorandums", 1),
    ]


def test_no_contradiction_within_one_origin_nor_when_both_give_both_values() -> None:
    assert (
        _find(
            [
                claim("Two workers died in the fire.", "cpa"),
                claim("Three workers died in the fire.", "copy", 1, origin="cpa"),
            ]
        )
        == []
    )
    assert (
        _find(
            [
                claim("The bank raised its rate from 4.25 percent to 4.75 percent.", "a"),
                claim("The rate rose to 4.75 percent, from 4.25 percent.", "b", 1),
            ]
        )
        == []
    )


def test_a_negated_figure_is_not_asserted() -> None:
    assert (
        _find(
            [
                claim("“There is no 8 percent, and nobody is going back,” she said.", "a"),
                claim("The union accepted a 7 percent rise on Sunday.", "b", 1),
            ]
        )
        == []
    )


def test_an_explicit_denial_contradicts_the_report_it_answers() -> None:
    klaxon = claim(
        "Staff claim the fire alarm in the storage hall had been switched off.",
        "klaxon",
        published=datetime(2024, 11, 19, tzinfo=UTC),
    )
    herald = claim(
        "The owner has denied claims that the fire alarm in its storage hall had been disabled.",
        "herald",
        1,
        published=datetime(2024, 11, 21, tzinfo=UTC),
    )
    (k,) = _find([klaxon, herald], same_fact=False, score=0.5)
    assert k.kind == "denial"
    assert [v for v, _ in k.sides] == ["asserts", "denies"]
    assert k.sides[1][1][0].article_id == "herald"


def test_a_denial_cannot_answer_a_later_report_and_a_plain_negation_is_no_denial() -> None:
    late = claim(
        "The union accepted a pay deal to end the strike on Sunday.",
        "cpa",
        published=datetime(2025, 6, 9, tzinfo=UTC),
    )
    denial = claim(
        "The union denied that it had agreed a pay deal to end the strike.",
        "herald",
        1,
        published=datetime(2025, 6, 6, tzinfo=UTC),
    )
    assert _find([late, denial], same_fact=False, score=0.5) == []
    hedged = claim("The council said the harbour road would close from 7am on Friday.", "a")
    negation = claim("Brisany does not often close its harbour road for anyone.", "b", 1)
    assert _find([hedged, negation]) == []


def test_a_different_place_for_the_same_fact_is_a_contradiction() -> None:
    labels = {"gpe:kessmark": "GPE", "gpe:ostel": "GPE"}
    found = _find(
        [
            claim("Talks opened in Kessmark on Thursday morning.", "a", entities=("gpe:kessmark",)),
            claim("Talks opened in Ostel on Thursday morning.", "b", 1, entities=("gpe:ostel",)),
        ],
        labels=labels,
    )
    assert [(k.kind, [v for v, _ in k.sides]) for k in found] == [
        ("place", ["gpe:kessmark", "gpe:ostel"])
    ]


def test_the_majority_side_may_be_stated_the_minority_never() -> None:
    two = [claim("Two workers died.", a, origin=a) for a in ("cpa", "herald")]
    three = [claim("Three workers died.", "klaxon")]
    k = Contradiction(
        "number", "worker", (("two", tuple(two)), ("three", tuple(three))), ("F1",), ""
    )
    assert majority_claims([k]) == {"cpa:0", "herald:0"}


# --- briefs and citations -----------------------------------------------------------------


def test_relative_dates_are_shown_with_the_resolved_date() -> None:
    text = "The deal was reached late on Sunday, the union said, and in 2025."
    at, year_at = text.index("late on Sunday"), text.index("2025")
    sunday = DateMention("late on Sunday", at, at + 14, date(2025, 6, 8), "day", "past", "weekday")
    year = DateMention(
        "2025", year_at, year_at + 4, date(2025, 1, 1), "year", "present", "explicit"
    )
    shown = with_resolved_dates(claim(text, dates=(sunday, year)))
    assert shown == (
        "The deal was reached late on Sunday [8 June 2025], the union said, and in 2025."
    )
    week = DateMention("next week", 0, 9, date(2025, 4, 14), "week", "future", "relative")
    assert resolved_label(week) == "week of 14 April 2025"


def _brief(*sentences: BriefSentence) -> Brief:
    return Brief(
        event_id=1,
        title="Event 1",
        sentences=sentences,
        disagreements=(),
        articles=1,
        sources=1,
        origins=1,
    )


def _sentence(
    text: str, article_id: str = "a1", shown: str | None = None, cited: str | None = None
) -> BriefSentence:
    return BriefSentence(
        shown or text, text, article_id, (Citation(cited or article_id, "Outlet", DAY),), "F1", 1
    )


def test_citation_check_passes_own_sentences_and_names_every_fault() -> None:
    articles = {"a1": article("a1", "The talks lasted about three hours.  Halask left early.")}
    good = _sentence("The talks lasted about three hours.")
    dated = _sentence("Halask left early.", shown="Halask left early.")
    assert check_citations(_brief(good, dated), articles) == []
    invented = _sentence("The talks lasted about four hours.")
    uncited = _sentence("Halask left early.", cited="b2")
    padded = _sentence("Halask left early.", shown="Halask left early, sadly.")
    problems = check_citations(_brief(invented, uncited, padded), articles)
    assert [p.split(": ")[1] for p in problems] == [
        "not a sentence of the article",
        "the article a sentence comes from is not cited",
        "the shown text adds more than resolved dates",
    ]


def test_untrusted_text_is_escaped_in_html_and_markdown() -> None:
    evil = "<script>alert('x')</script> & <img src=x onerror=y>"
    brief = {
        "title": evil,
        "articles": 1,
        "sources": 1,
        "origins": 1,
        "first": None,
        "last": None,
        "disagreements": [],
        "sentences": [
            {
                "text": evil,
                "disputed": False,
                "origins": 1,
                "citations": [
                    {"article_id": "a<b", "source": evil, "published": None, "date_reliable": True}
                ],
            }
        ],
    }
    html = brief_html(brief)
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    md = brief_md(brief)
    assert "<script>" not in md and "&lt;img" in md


def test_an_outlet_is_named_by_source_host_or_credit_line() -> None:
    assert outlet(article("a1", "x", "VBC News - Top stories")) == "VBC News"
    assert outlet(article("a1", "x", "Ledgerline: Markets & Companies")) == "Ledgerline"
    credited = Article(
        id="3893cdc6",
        title="t",
        text="x",
        text_hash="h",
        attributions=(Attribution("Krone", "Source: Krone", "line"),),
    )
    assert outlet(credited) == "unnamed source 3893cd, credits Krone"


# --- storylines ---------------------------------------------------------------------------


def _profile(
    event_id: int,
    first: date,
    actors: dict[str, str],
    terms: dict[str, float],
    days: dict[date, int] | None = None,
) -> Profile:
    p = Profile(event_id, 5, first, first, f"event {event_id}")
    for entity, label in actors.items():
        p.actors[entity] = 0.8
        p.names[entity] = entity.split(":")[1].title()
        p.labels[entity] = label
    norm = sum(w * w for w in terms.values()) ** 0.5
    p.terms = {t: w / norm for t, w in terms.items()}
    p.days = days or {}
    return p


SUMMIT = {"person:drevik": "PERSON", "person:halask": "PERSON", "org:orvane": "ORG"}
DRONES = {"drone": 1.0, "skylark": 1.0, "summit": 0.5}


def test_events_with_the_same_actors_and_subject_link_with_a_reason() -> None:
    summit = _profile(4, date(2025, 3, 14), SUMMIT, DRONES)
    signing = _profile(9, date(2025, 4, 8), SUMMIT, {"drone": 1.0, "skylark": 0.8, "sign": 0.6})
    link = link_of(summit, signing)
    assert link is not None and (link.earlier, link.later) == (4, 9)
    assert "same actors (" in link.reason and "25 days apart" in link.reason
    (story,) = group({4: summit, 9: signing}, [link])
    assert story.id == 4 and story.events == (4, 9)


def test_unrelated_far_apart_or_person_less_events_do_not_link() -> None:
    summit = _profile(4, date(2025, 3, 14), SUMMIT, DRONES)
    fire = _profile(
        5,
        date(2025, 3, 20),
        {"person:drevik": "PERSON", "org:orvane": "ORG"},
        {"fire": 1.0, "factory": 1.0},
    )
    assert link_of(summit, fire) is None
    later = _profile(6, date(2026, 6, 1), SUMMIT, DRONES)
    assert link_of(summit, later) is None
    places = {"gpe:brisany": "GPE", "org:council": "ORG", "org:port": "ORG"}
    assert (
        link_of(
            _profile(7, date(2025, 1, 1), places, DRONES),
            _profile(8, date(2025, 1, 9), places, DRONES),
        )
        is None
    )


def test_an_event_naming_a_day_of_another_links_them() -> None:
    summit = _profile(4, date(2025, 3, 14), {"person:drevik": "PERSON"}, DRONES)
    signing = _profile(
        9,
        date(2025, 4, 8),
        {"person:drevik": "PERSON"},
        {"drone": 1.0, "sign": 1.0},
        {date(2025, 3, 14): 1},
    )
    link = link_of(summit, signing)
    assert link is not None and "event 9 names 2025-03-14, a day of event 4" in link.reason


def test_coverage_says_how_many_reports_are_independent() -> None:
    assert coverage(9, 6, 8) == (
        "9 articles from 6 sources, 8 of them independent reports (the rest reuse their text)"
    )
    assert coverage(3, 3, 3) == "3 articles from 3 sources, all independent reports"
    assert coverage(1, 1, None) == "1 article from 1 source"


def test_coverage_counts_unnamed_articles_apart_from_outlets() -> None:
    assert (
        coverage(4, 0, 4, unnamed=4) == "4 articles with no source named, all independent reports"
    )
    assert coverage(47, 9, None, unnamed=3) == (
        "47 articles from 9 sources and 3 with no source named"
    )


def test_an_outlet_is_one_source_whatever_the_case_of_its_name() -> None:
    found = [article("a1", "x", "FOX"), article("a2", "x", "fox"), article("a3", "x", None)]
    assert source_tally(found) == (1, 1)


def test_a_brief_says_when_its_articles_were_published() -> None:
    first, last = "2025-03-03T09:00:00+00:00", "2025-04-10T08:00:00+00:00"
    d = {"title": "T", "articles": 2, "sources": 2, "origins": 2, "disagreements": [],
         "sentences": [], "first": first, "last": last}  # fmt: skip
    head = "2 articles from 2 sources, all independent reports, published 2025-03-03 to 2025-04-10."
    assert head in brief_md(d)
    assert "published 2025-03-03 to 2025-04-10.</p>" in brief_html(d)
    assert "published 2025-03-03." in brief_md({**d, "last": first})


def test_a_side_stated_by_several_reports_shows_its_value_once() -> None:
    said = [{"text": f"Report {n} says two died.", "citations": []} for n in (1, 2)]
    side = {"value": "Two workers", "sentences": said}
    other = {"value": "THREE workers", "sentences": [{"text": "Three died.", "citations": []}]}
    d = {"title": "T", "articles": 3, "sources": 3, "origins": 3, "first": None, "last": None,
         "sentences": [], "disagreements": [{"kind": "number", "topic": "worker",
                                             "sides": [side, other]}]}  # fmt: skip
    md = brief_md(d)
    assert md.count("Two workers") == 1 and "  - *Two workers*, in 2 reports:\n    - Report 1" in md
    assert "  - *THREE workers*: Three died." in md
    html = brief_html(d)
    assert html.count("Two workers") == 1 and "in 2 reports:<ul><li>Report 1" in html
