"""Quote rules of the sixth round (issue 5) and the quote scorer of the understand bench."""

from __future__ import annotations

from bench.understand_bench import ends_sentence, score_quotes
from storyline.model import Quote


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
