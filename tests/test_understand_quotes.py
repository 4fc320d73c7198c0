"""Quote rules of the sixth round (issue 5) and the quote scorer of the understand bench."""

from __future__ import annotations

import pytest

from bench.understand_bench import ends_sentence, score_quotes
from storyline.model import Quote
from storyline.understand import nlp
from tests.test_understand import _quotes


def _quote(start: int, end: int, speaker: str) -> Quote:
    return Quote(
        quote_id="q", article_id="a", text="", kind="direct", speaker=speaker,
        speaker_entity_id=None, speaker_name=speaker, anonymous=False, verb="said",
        start=start, end=end,
    )  # fmt: skip


def test_a_title_abbreviation_ends_no_sentence_for_the_scorer() -> None:
    assert not ends_sentence("More than any other candidate, Mr. Christie is ")
    assert not ends_sentence("Lt. Gov. Tim Ray and U.S. Sen. Ann Lo and John F. Kennedy ")
    assert ends_sentence("the talks failed. Then ")
    assert ends_sentence('it ended." Then ')


def test_scorer_credits_a_quote_that_starts_after_a_title_in_the_gold_span() -> None:
    text = 'Mr. Lee said Mr. Kim "would win the race easily," and left.'
    found = [_quote(text.index("would"), text.index('," and'), "Mr. Lee")]
    counts = score_quotes(text, [{"start": "Mr. Kim", "speaker": "Lee"}], found)
    assert counts["span_speaker"] == 1


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Gov.", "The governor"),
        ("Lt. Gov.", "The lieutenant governor"),
        ("Sen.", "The senator"),
        ("Rep.", "The congressman"),
        ("Atty. Gen.", "The attorney general"),
    ],
)
def test_an_abbreviated_title_holds_the_role_of_its_full_word(title: str, role: str) -> None:
    """ "Gov. Ada Lindqvist ... The governor said" is Lindqvist, as with "Governor"."""
    text = (
        f"{title} Ada Lindqvist opened the bridge on Monday. {role} said the harbour tax "
        "would stay in place next year."
    )
    found = _quotes(text, {"Ada Lindqvist": "e:ada"})
    assert [(q.speaker, q.entity_id) for q in found] == [(role, "e:ada")]


def test_a_lieutenant_governor_is_not_the_governor() -> None:
    text = (
        "Lt. Gov. Ivo Brandt and Gov. Ada Lindqvist opened the bridge. The lieutenant governor "
        "said the harbour tax would stay. The governor said the bridge would open in May."
    )
    found = _quotes(text, {"Ada Lindqvist": "e:ada", "Ivo Brandt": "e:ivo"})
    assert [q.entity_id for q in found] == ["e:ivo", "e:ada"]


@pytest.mark.parametrize(
    ("text", "people", "speaker", "entity_id", "said"),
    [
        (
            "Councilman Ivo Brandt asked that the board delay the vote until March.",
            {"Ivo Brandt": "e:ivo"},
            "Councilman Ivo Brandt",
            "e:ivo",
            "the board delay the vote until March",
        ),
        (
            "Mayor Ada Lindqvist restated the city would not raise the harbour tax.",
            {"Ada Lindqvist": "e:ada"},
            "Mayor Ada Lindqvist",
            "e:ada",
            "the city would not raise the harbour tax",
        ),
        (
            "Ada Lindqvist reiterated that the harbour tax would stay in place.",
            {"Ada Lindqvist": "e:ada"},
            "Ada Lindqvist",
            "e:ada",
            "the harbour tax would stay in place",
        ),
        (
            "Ada Lindqvist made it clear that the harbour tax would stay in place.",
            {"Ada Lindqvist": "e:ada"},
            "Ada Lindqvist",
            "e:ada",
            "the harbour tax would stay in place",
        ),
        (
            "Mayor Ada Lindqvist opened the bridge. The mayor, amid calls by critics to drop "
            "the plan, made clear she still supports the harbour tax.",
            {"Ada Lindqvist": "e:ada"},
            "The mayor",
            "e:ada",
            "she still supports the harbour tax",
        ),
        (
            "The county sheriff’s office confirms a neighbour shot the dog twice on Monday.",
            {},
            "The county sheriff’s office",
            None,
            "a neighbour shot the dog twice on Monday",
        ),
    ],
)
def test_the_parse_reads_asked_that_restated_and_made_clear(
    text: str, people: dict[str, str], speaker: str, entity_id: str | None, said: str
) -> None:
    found = _quotes(text, people, parser=nlp.parse)
    assert [(q.speaker, q.entity_id, q.kind) for q in found] == [(speaker, entity_id, "reported")]
    assert text[found[0].start : found[0].end] == said


@pytest.mark.parametrize(
    "text",
    [
        "Ivo Brandt asked whether the board would delay the vote until March.",
        "Ivo Brandt asked the board to delay the vote until March.",
        "Before the vote, the city repeated its opposition to the harbour tax plan.",
        "Ada Lindqvist made clear progress on the harbour tax plan this year.",
        "Police confirmed the identity of the man found in the river on Sunday.",
    ],
)
def test_asked_repeated_made_and_confirmed_with_an_object_report_nothing(text: str) -> None:
    people = {"Ivo Brandt": "e:ivo", "Ada Lindqvist": "e:ada"}
    assert _quotes(text, people) == []
    assert _quotes(text, people, parser=nlp.parse) == []


def test_a_quote_after_a_colon_is_the_person_named_just_before_it() -> None:
    text = (
        "Expect experts in the papers tomorrow, such as the prophetic Dr Ada Lindqvist: "
        "“We should stop saying the city is safe from floods.” The sign read: “The bridge "
        "will open in May as planned.”"
    )
    found = _quotes(text, {"Ada Lindqvist": "e:ada"}, sentences=[(0, 132), (133, len(text))])
    assert [(q.text, q.entity_id) for q in found] == [
        ("We should stop saying the city is safe from floods.", "e:ada")
    ]


def test_a_sentence_before_a_comma_is_said_only_when_the_attribution_closes_it() -> None:
    """ ", X stated clearly he had ..." says what follows; ", police said Monday." what went
    before."""
    people = {"Ivo Brandt": "e:ivo"}
    text = "In a televised March debate, Ivo Brandt stated clearly he had not served in the war."
    assert _quotes(text, people) == []
    text = "The harbour bridge will stay closed until May, Ivo Brandt said on Monday."
    found = _quotes(text, people)
    assert [(q.text, q.entity_id) for q in found] == [
        ("The harbour bridge will stay closed until May", "e:ivo")
    ]


def test_a_lone_first_name_is_the_person_named_in_full_with_it() -> None:
    text = (
        "Ivo Brandt and his cousin Tom Varga had been fishing. Ivo said the boat tipped over "
        "near the harbour wall."
    )
    people = {"Ivo Brandt": "e:ivo", "Tom Varga": "e:tom", "Ivo": "e:ivo-alone"}
    found = _quotes(text, people)
    assert [(q.speaker, q.entity_id) for q in found] == [("Ivo", "e:ivo")]
