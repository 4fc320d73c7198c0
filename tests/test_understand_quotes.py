"""Quote rules of the sixth round (issue 5) and the quote scorer of the understand bench."""

from __future__ import annotations

import pytest

from bench.understand_bench import ends_sentence, score_quotes
from storyline.model import Quote
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
