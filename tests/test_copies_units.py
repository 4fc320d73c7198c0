"""Copies: sentences, fingerprints, the index, alignment and diffs, as units."""

from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies.align import align
from storyline.copies.diff import diff_texts, word_changes
from storyline.copies.fingerprint import (
    NUM_PERM,
    SCHEME,
    SEED,
    Fingerprint,
    fingerprint,
    input_hashes,
    jaccard,
    minhash_values,
    shingles,
    tokens,
    winnow,
)
from storyline.copies.index import CopyIndex
from storyline.copies.text import sentences, shape_of

WORDS = [f"w{i}" for i in range(400)]


def _prose(rng: random.Random, n: int) -> str:
    """``n`` random words as sentences of eight words."""
    chosen = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(
        " ".join(chosen[i : i + 8]).capitalize() + "." for i in range(0, len(chosen), 8)
    )


# sentences ---------------------------------------------------------------------------------


def test_sentences_keep_abbreviations_and_closing_quotes_together() -> None:
    text = 'Mr. Smith went to the U.S. Senate on Monday. He said, "We will go." They left.'
    found = [text[s.start : s.end] for s in sentences(text)]
    assert found == [
        "Mr. Smith went to the U.S. Senate on Monday.",
        'He said, "We will go."',
        "They left.",
    ]


def test_quoted_words_are_counted_apart_even_nested_and_over_paragraphs() -> None:
    text = (
        'Rennie wrote: ""We have learned," he said. "And you too."\n\n'
        'There was one problem: he never served in the war, records show."\n\n'
        "The campaign says he always tried to make it clear to the voters."
    )
    found = sentences(text)
    by_text = {text[s.start : s.end]: s for s in found}
    assert (
        by_text['There was one problem: he never served in the war, records show."'].unquoted == 0
    )
    last = by_text["The campaign says he always tried to make it clear to the voters."]
    assert last.unquoted == len(last.words) == 13


def test_a_footer_template_shares_its_shape_across_outlet_names() -> None:
    one = "This story was republished by Copy Outlet 3 under a sharing agreement."
    two = "This story was republished by Copy Outlet 7 under a sharing agreement."
    assert sentences(one)[0].key != sentences(two)[0].key
    assert shape_of(one) == shape_of(two) != 0


# fingerprints ------------------------------------------------------------------------------


def test_minhash_values_are_exactly_datasketchs() -> None:
    rng = random.Random(1)
    for n in (3, 40, 400):
        shingle_hashes = shingles(tokens(_prose(rng, n)))
        sketch = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)
        sketch.update_batch(input_hashes(shingle_hashes).tolist())
        assert np.array_equal(minhash_values(shingle_hashes), sketch.hashvalues)


def test_reordered_paragraphs_keep_every_shingle() -> None:
    rng = random.Random(2)
    parts = [_prose(rng, 30) for _ in range(4)]
    one = fingerprint("\n\n".join(parts))
    two = fingerprint("\n\n".join(reversed(parts)))
    assert jaccard(one.minhash, two.minhash) == 1.0
    assert one.words == two.words == 120


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(23, 60))
def test_a_shared_run_of_23_words_shares_an_anchor(seed: int, run: int) -> None:
    rng = random.Random(seed)
    shared = _prose(rng, run)
    one = fingerprint(f"{_prose(rng, 50)} {shared} {_prose(rng, 30)}")
    two = fingerprint(f"{_prose(rng, 10)} {shared} {_prose(rng, 70)}")
    assert len(np.intersect1d(one.anchors, two.anchors)) >= 1


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=300), st.text(min_size=1, max_size=300))
def test_similarity_is_symmetric_and_one_on_identical_text(a: str, b: str) -> None:
    fa, fb = fingerprint(a), fingerprint(b)
    assert jaccard(fa.minhash, fb.minhash) == jaccard(fb.minhash, fa.minhash)
    assert jaccard(fa.minhash, fingerprint(a).minhash) == 1.0


def test_winnowing_a_short_text_keeps_its_smallest_shingle() -> None:
    values = np.array([9, 4, 7], dtype=np.uint64)
    assert winnow(values).tolist() == [4]
    assert winnow(np.zeros(0, dtype=np.uint64)).tolist() == []


# the index ---------------------------------------------------------------------------------


def _random_fp(rng: np.random.Generator, spread: int) -> Fingerprint:
    minhash = rng.integers(0, spread, size=NUM_PERM, dtype=np.uint32)
    anchors = np.unique(rng.integers(0, 3000, size=12, dtype=np.uint64) * np.uint64(7919))
    return Fingerprint(100, minhash, anchors)


def test_lsh_candidates_are_those_of_datasketchs_minhashlsh() -> None:
    rng = np.random.default_rng(4)
    index = CopyIndex(0.5, buffer_articles=16)
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(index.bands, index.rows))
    fps = [_random_fp(rng, 4) for _ in range(200)]  # few values: bands collide often
    for seq, fp in enumerate(fps):
        empty = Fingerprint(fp.words, fp.minhash, np.zeros(0, dtype=np.uint64))
        index.add(seq, empty)
        lsh.insert(seq, LeanMinHash(seed=SEED, hashvalues=fp.minhash, scheme=SCHEME))
    assert index.runs >= 1  # part of it went through sorted runs, part is buffered
    for fp in fps[:50]:
        ours = {c.seq for c in index.query(fp) if c.bands}
        theirs = set(lsh.query(LeanMinHash(seed=SEED, hashvalues=fp.minhash, scheme=SCHEME)))
        assert ours == theirs


def test_index_lookups_match_a_brute_force_scan_across_buffer_runs_and_bulk_loads() -> None:
    rng = np.random.default_rng(3)
    index = CopyIndex(0.5, buffer_articles=32, common=5, take_common=2)
    fps = [_random_fp(rng, 50) for _ in range(600)]
    for seq, fp in enumerate(fps[:300]):
        index.add(seq, fp)
    index.add_many(
        list(range(300, 600)),
        np.stack([f.minhash for f in fps[300:]]),
        [f.anchors for f in fps[300:]],
    )
    keys = [set(index.keys(fp).tolist()) for fp in fps]
    for q in range(0, 600, 37):
        expected: dict[int, list[int]] = {}
        for i, key in enumerate(index.keys(fps[q]).tolist()):
            holders = [s for s in range(600) if key in keys[s]]
            for seq in holders[:2] if len(holders) > 5 else holders:
                expected.setdefault(seq, [0, 0])[0 if i < index.bands else 1] += 1
        found = {c.seq: [c.bands, c.anchors] for c in index.query(fps[q])}
        assert found == expected
    assert len(index) == 600 and index.nbytes() > 0


# alignment and diffs -----------------------------------------------------------------------


def test_alignment_finds_same_near_and_reworded_sentences_and_passages() -> None:
    original = (
        "The fire broke out at dawn in a storage hall of the plant near the harbour.\n\n"
        "Sixty firefighters fought the blaze for four hours before it was under control.\n\n"
        "The cause of the fire was not yet known, the police said on Tuesday evening."
    )
    copy = (
        "A brand new opening sentence written by the copying outlet itself today.\n\n"
        "Sixty firefighters fought the blaze for four hours before it was under control.\n\n"
        "The cause of the fire was not known yet, police said on Tuesday evening."
    )
    found = align(sentences(copy), sentences(original))
    assert [m.strength for m in found.matches] == ["same", "near"]
    [(copy_span, original_span)] = found.passages()
    assert copy[copy_span[0] : copy_span[1]].startswith("Sixty firefighters")
    assert original[original_span[0] : original_span[1]].endswith("Tuesday evening.")
    assert 0.6 < found.copy_share < 0.7


def test_evidence_leaves_out_quotes_footers_and_boilerplate() -> None:
    body = "The council voted on the new harbour budget after a long and bitter debate."
    quote = '"We will not accept any cut to the harbour budget this year or next," she said.'
    footer = "Follow the Courier for all the latest news from the harbour and the city."
    one = f"{footer}\n\n{quote}\n\nSomething entirely different happened in the hall.\n\n{footer}"
    two = f"{footer}\n\n{quote}\n\nA different outlet wrote its own words about it.\n\n{footer}"
    shared = align(sentences(one), sentences(two))
    assert shared.evidence().words == 0  # a shared quote and a shared footer only
    rng = random.Random(5)
    three = f"{_prose(rng, 24)}\n\n{body}\n\n{_prose(rng, 24)}"
    four = f"{_prose(rng, 24)}\n\n{body}\n\n{_prose(rng, 24)}"
    reused = align(sentences(three), sentences(four))
    assert reused.evidence().words == 14
    common = {sentences(body)[0].key}
    assert reused.evidence(common).words == 0


def test_diff_shows_removed_before_added_and_word_changes() -> None:
    original = "First sentence of the wire story here.\n\nSecond one stays the same in it."
    copy = "A rewritten first sentence by the copy.\n\nSecond one stays the same in it."
    rows = diff_texts(copy, original)
    assert [r.kind for r in rows] == ["removed", "added", "same"]
    assert word_changes("the two dead were workers", "the two dead were night workers") == (
        ("=", "the two dead were"),
        ("+", "night"),
        ("=", "workers"),
    )


@pytest.mark.parametrize("moved", [True, False])
def test_diff_marks_moved_and_edited_sentences(moved: bool) -> None:
    a = "Alpha beta gamma delta epsilon zeta eta."
    b = "Theta iota kappa lambda mu nu xi omicron."
    c = "Pi rho sigma tau upsilon phi chi psi omega."
    original = f"{a}\n\n{b}\n\n{c}"
    copy = f"{c}\n\n{a}\n\n{b}" if moved else f"{a}\n\n{b}\n\nPi rho sigma tau upsilon phi chi psi."
    kinds = [r.kind for r in diff_texts(copy, original)]
    assert kinds == (["same", "moved", "moved"] if moved else ["same", "same", "edited"])


def test_a_reworded_sentence_counts_only_next_to_a_copied_one() -> None:
    rng = random.Random(9)
    copied = _prose(rng, 16)
    near = "The mayor said the harbour would reopen on Monday after the long storm."
    reworded = "The mayor said that the harbour will reopen Monday after the storm."
    apart = "Officials expect the ferry timetable to return to normal by the weekend."
    apart_reworded = "Officials expect that ferry timetables will be normal again by the weekend."
    one = f"{copied}\n\n{near}\n\n{_prose(rng, 24)}\n\n{apart}"
    two = f"{copied}\n\n{reworded}\n\n{_prose(rng, 24)}\n\n{apart_reworded}"
    found = align(sentences(one), sentences(two))
    assert [m.strength for m in found.matches].count("reworded") == 2
    kept = found.trimmed()
    assert [m.strength for m in kept.matches] == ["same", "same", "reworded"]
