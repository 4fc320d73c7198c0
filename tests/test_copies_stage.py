"""Copies: the stage end to end, on articles ingested through the real pipeline."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyline import copies
from storyline.api import Workspace, open_workspace
from storyline.cli import cli
from storyline.settings import Settings
from storyline.store import copies as db

_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def prose(seed: int, sentences: int = 5) -> str:
    """A paragraph of made-up sentences that nobody else writes (nor anything like them)."""
    rng = random.Random(seed)
    out = []
    for _ in range(sentences):
        words = [
            "".join(rng.sample(_SYLLABLES, rng.randint(2, 3))) for _ in range(rng.randint(8, 14))
        ]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def story(seed: int, paragraphs: int = 5) -> str:
    """An article text of several paragraphs."""
    return "\n\n".join(prose(seed * 100 + p) for p in range(paragraphs))


def record(key: str, text: str, day: str | None = None, **fields: Any) -> dict[str, Any]:
    """One JSON Lines record."""
    rec = {"id": key, "title": fields.pop("title", f"Title {key}"), "text": text,
           "url": fields.pop("url", f"https://{key}.example/story"), **fields}  # fmt: skip
    if day:
        rec["date"] = day
    return rec


def ingest(ws: Workspace, folder: Path, records: list[dict[str, Any]], name: str = "in") -> None:
    """Ingest records as one JSON Lines file."""
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    ws.ingest([path])


@pytest.fixture
def ws(tmp_path: Path) -> Any:
    """A workspace running only the copies stage."""
    workspace = open_workspace(tmp_path / "ws.db", Settings(workers=1, stages=("copies",)))
    yield workspace
    workspace.close()


def links(ws: Workspace, key: str) -> list[tuple[str, str, str]]:
    """(copy input id, original input id, relation) of an article's links."""
    ids = {a.id: a.external_id or "" for a in ws.articles()}
    return sorted((ids[k.source_id], ids[k.target_id], k.relation) for k in ws.copy_links(key))


def test_verbatim_and_edited_copies_link_to_the_earlier_article(
    ws: Workspace, tmp_path: Path
) -> None:
    original = story(1)
    parts = original.split("\n\n")
    edited = "\n\n".join([prose(999, 1) + " " + parts[0].split(". ", 1)[1], *parts[1:3], parts[4]])
    ingest(ws, tmp_path, [
        record("copy-verbatim", original, "2024-05-02T09:00:00+00:00"),
        record("original", original, "2024-05-01T08:00:00+00:00"),
        record("copy-edited", edited, "2024-05-03T10:00:00+00:00"),
        record("other", story(2), "2024-05-01T12:00:00+00:00"),
    ])  # fmt: skip
    assert links(ws, "original") == [
        ("copy-edited", "original", "edited"),
        ("copy-verbatim", "original", "verbatim"),
    ]
    conn = ws.store.conn
    ids = {key: ws.article(key).id for key in ("original", "copy-verbatim", "copy-edited", "other")}
    assert sorted(copies.copy_group(conn, ids["copy-edited"])) == sorted(
        [ids["original"], ids["copy-verbatim"], ids["copy-edited"]]
    )
    original_id, reason = ws.original_of("copy-verbatim")
    assert original_id == ids["original"] and "published first" in reason
    assert ws.independent_origins(["original", "copy-verbatim", "copy-edited", "other"]) == 2
    assert copies.copy_group(conn, ids["other"]) == [ids["other"]]
    [link] = [k for k in ws.copy_links("copy-edited")]
    assert 0.75 < link.overlap <= 1.0 and 0.6 < link.target_overlap < 0.9


def test_partial_reuse_has_passages_and_keeps_its_own_origin(ws: Workspace, tmp_path: Path) -> None:
    original = story(3)
    reused = original.split("\n\n")[1:3]
    partial = "\n\n".join([prose(501), prose(502), *reused, prose(503), prose(504)])
    ingest(ws, tmp_path, [record("wire", original, "2024-06-01"),
                          record("paper", partial, "2024-06-02")])  # fmt: skip
    [link] = ws.copy_links("paper")
    assert link.relation == "partial" and 0.3 < link.overlap < 0.5
    paper, wire = ws.article("paper"), ws.article("wire")
    [(copy_span, original_span)] = link.passages
    assert paper.text[copy_span[0] : copy_span[1]] == wire.text[original_span[0] : original_span[1]]
    assert paper.text[copy_span[0] : copy_span[1]] == "\n\n".join(reused)
    assert ws.independent_origins(["wire", "paper"]) == 2
    assert copies.origins_behind(ws.store.conn, paper.id) == 2


def reuse(reused: int, seed: int) -> tuple[str, str]:
    """An original of 20 sentences and a later text of 20 that reuses ``reused`` of them."""
    block = prose(seed, reused)
    rest = [prose(seed * 10 + k, (20 - reused) // 3 + (k < (20 - reused) % 3)) for k in range(3)]
    new = [prose(seed * 20 + k, (20 - reused) // 3 + (k < (20 - reused) % 3)) for k in range(3)]
    return "\n\n".join([block, *rest]), "\n\n".join([new[0], new[1], block, new[2]])


def ingest_pair(ws: Workspace, folder: Path, original: str, later: str) -> None:
    """``original`` as "first" of one outlet, ``later`` as "second" of another a day later."""
    ingest(ws, folder, [record("first", original, "2024-06-01", source="Eastgate Times"),
                        record("second", later, "2024-06-02", source="Westbay Post")])  # fmt: skip


@pytest.mark.parametrize(
    ("reused", "relation", "band"), [(3, "shared", (0.1, 0.2)), (7, "partial", (0.3, 0.4))]
)
def test_reuse_under_a_quarter_of_both_texts_is_shared_passages_not_a_copy(
    ws: Workspace, tmp_path: Path, reused: int, relation: str, band: tuple[float, float]
) -> None:
    ingest_pair(ws, tmp_path, *reuse(reused, 60 + reused))
    [link] = ws.copy_links("second")
    assert link.relation == relation
    assert band[0] < link.overlap < band[1] and band[0] < link.target_overlap < band[1]
    first, second = ws.article("first"), ws.article("second")
    [(mine, theirs)] = link.passages  # the passage is found and stored either way
    assert second.text[mine[0] : mine[1]] == first.text[theirs[0] : theirs[1]]
    assert ws.independent_origins(["first", "second"]) == 2
    conn = ws.store.conn
    if relation == "shared":
        assert link.reason.startswith("1 shared passage(s) (3 sentences the same); ")
        assert "of the two texts' words, under 25% of either: they share passages" in link.reason
        assert copies.copy_group(conn, second.id) == [second.id]  # no copy group ...
        assert ws.copy_groups() == [] and copies.origins_behind(conn, second.id) == 1
    else:
        assert link.reason.startswith("1 reused passage(s) (7 sentences the same); ")
        assert sorted(copies.copy_group(conn, second.id)) == sorted([first.id, second.id])
        assert copies.origins_behind(conn, second.id) == 2


def test_small_reuse_of_a_news_agencys_text_is_a_partial_copy(
    ws: Workspace, tmp_path: Path
) -> None:
    """The agency's own text is the source, not a third text both reuse."""
    original, later = reuse(3, 63)
    ingest(ws, tmp_path, [record("wire", original, "2024-06-01", source="Xanadu Press Agency"),
                          record("paper", later, "2024-06-01", source="Westbay Post")])  # fmt: skip
    [link] = ws.copy_links("paper")
    assert (link.relation, link.source_id) == ("partial", ws.article("paper").id)
    assert max(link.overlap, link.target_overlap) < 0.25
    assert "under 25% of either, but from the copy's source (a news agency, Xanadu" in link.reason


def test_shared_passages_have_their_own_section_in_the_cli(ws: Workspace, tmp_path: Path) -> None:
    ingest_pair(ws, tmp_path, *reuse(3, 63))
    runner = CliRunner()
    listed = runner.invoke(cli, ["copies", "--db", ws.path])
    assert listed.exit_code == 0 and "0 of 0 copy groups" in listed.output
    shown = runner.invoke(cli, ["copies", "first", "--db", ws.path])
    assert shown.exit_code == 0, shown.output
    out = shown.output
    assert "no copies: this article copies no stored article and none copies it" in out
    assert "shares passages with 1 article(s) (no copies" in out
    [link] = ws.copy_links("first")
    mine, theirs = f"{link.target_overlap:.0%}", f"{link.overlap:.0%}"
    assert f"{mine} of this article's words, {theirs} of the other's; 1 passage(s)" in out
    (cs, ce), (ts, te) = link.passages[0]
    assert f"¶ here {ts}-{te} = there {cs}-{ce}: " in out
    as_json = json.loads(runner.invoke(cli, ["copies", "first", "--db", ws.path, "--json"]).output)
    assert as_json["links"] == []
    [shared] = as_json["shared"]
    assert (shared["relation"], shared["role"], shared["diff"]) == ("shared", "shared", [])
    assert shared["other"]["id"] == ws.article("second").id and len(shared["passages"]) == 1


def test_independent_reports_that_share_quotes_are_not_copies(
    ws: Workspace, tmp_path: Path
) -> None:
    quote = (
        '"We will not accept a single cut to the harbour budget this year, and we will say so '
        'in the council chamber every week until the vote," Mayor Anna Brandt said.'
    )
    second = '"The ferry is the lifeline of this town and everybody here knows it," she added.'
    one = "\n\n".join([prose(11), quote, prose(12), second, prose(13)])
    two = "\n\n".join([prose(21), quote, prose(22), second, prose(23)])
    ingest(ws, tmp_path, [record("one", one, "2024-07-01"), record("two", two, "2024-07-01")])
    assert ws.copy_links("two") == []


def test_a_footer_that_many_articles_share_makes_no_copies(ws: Workspace, tmp_path: Path) -> None:
    footer = (
        "This story was republished by the Lorham Post under a content-sharing agreement. "
        "The Lorham Post is not responsible for material supplied by its partner newsrooms."
    )
    records = [record(f"a{i}", f"{story(40 + i, 3)}\n\n{footer}", "2024-08-01") for i in range(12)]
    records.append(
        record("copy", f"{story(40, 3)}\n\n{footer}", "2024-08-02", url="https://b.example/x")
    )
    ingest(ws, tmp_path, records)
    assert db.count_links(ws.store.conn) == {"verbatim": 1}
    assert links(ws, "copy") == [("copy", "a0", "verbatim")]


def test_short_texts_are_copies_only_with_the_same_text_and_title(
    ws: Workspace, tmp_path: Path
) -> None:
    short = "Updates to follow on the harbour strike as the council meets tonight."
    ingest(ws, tmp_path, [
        record("s1", short, "2024-09-01", title="Harbour strike"),
        record("s2", short, "2024-09-01", title="Council meeting"),
        record("s3", short, "2024-09-02", title="Harbour strike"),
    ])  # fmt: skip
    assert links(ws, "s1") == [("s3", "s1", "verbatim")]


def test_a_changed_page_is_a_version_and_a_copy_of_the_update_links_to_it(
    ws: Workspace, tmp_path: Path
) -> None:
    first = story(6)
    update = first + "\n\n" + prose(777)
    ingest(ws, tmp_path, [record("page", first, "2024-10-01T08:00:00+00:00")], "one")
    ingest(ws, tmp_path, [record("page", update, "2024-10-01T11:00:00+00:00")], "two")
    ingest(ws, tmp_path, [record("reprint", update, "2024-10-02T09:00:00+00:00",
                                 url="https://reprint.example/a")], "three")  # fmt: skip
    page = ws.article("page").id
    version, reprint = sorted(ws.copy_links("page"), key=lambda k: k.relation)[::-1]
    assert (version.relation, version.source_id, version.target_id) == ("version", page, page)
    assert (version.source_version, version.target_version) == (2, 1)
    assert 0.8 < version.overlap < 1.0 and version.target_overlap == 1.0
    assert (reprint.relation, reprint.target_id, reprint.target_version) == ("verbatim", page, 2)


def test_a_reopened_workspace_finds_copies_of_what_it_stored_before(tmp_path: Path) -> None:
    settings = Settings(workers=1, stages=("copies",))
    with open_workspace(tmp_path / "ws.db", settings) as first:
        ingest(first, tmp_path, [record("old", story(7), "2024-01-01")], "one")
    with open_workspace(tmp_path / "ws.db", settings) as again:
        ingest(again, tmp_path, [record("new", story(7), "2024-01-05",
                                        url="https://new.example/a")], "two")  # fmt: skip
        assert links(again, "new") == [("new", "old", "verbatim")]


def test_articles_stored_with_the_stage_off_are_caught_up(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws.db", Settings(workers=1, stages=())) as off:
        ingest(off, tmp_path, [record("early", story(8), "2024-02-01"),
                               record("later", story(8), "2024-02-03",
                                      url="https://later.example/a")], "one")  # fmt: skip
        assert off.copy_links("later") == []
    with open_workspace(tmp_path / "ws.db", Settings(workers=1, stages=("copies",))) as on:
        ingest(on, tmp_path, [record("fresh", story(9), "2024-02-05")], "two")
        assert links(on, "later") == [("later", "early", "verbatim")]


def test_changed_fingerprint_settings_fingerprint_the_workspace_again(tmp_path: Path) -> None:
    settings = Settings(workers=1, stages=("copies",))
    with open_workspace(tmp_path / "ws.db", settings) as ws:
        ingest(
            ws,
            tmp_path,
            [
                record("a", story(10), "2024-03-01"),
                record("b", story(10), "2024-03-02", url="https://b.example/"),
            ],
        )
        with ws.store.transaction() as conn:
            db.set_meta(conn, "fingerprint", "an older storyline")
            conn.execute("DELETE FROM copy_links")
    with open_workspace(tmp_path / "ws.db", settings) as ws:
        ingest(ws, tmp_path, [record("c", story(11), "2024-03-03")], "two")
        assert links(ws, "b") == [("b", "a", "verbatim")]
        assert db.meta(ws.store.conn, "fingerprint") != "an older storyline"


def test_the_wire_agency_the_copies_credit_is_the_original(ws: Workspace, tmp_path: Path) -> None:
    wire = story(12)
    ingest(ws, tmp_path, [
        record("herald", wire + " (jk/XPA)", source="Northgate Herald"),
        record("wire", wire, source="Xanadu Press Agency"),
        record("ledger", wire + "\n\nSource: XPA", source="Ledgerline"),
        record("courier", wire, source="Coastal Courier"),
    ])  # fmt: skip
    original_id, reason = ws.original_of("courier")
    assert original_id == ws.article("wire").id
    assert reason.startswith("2 of the 3 others credit its source, Xanadu Press Agency")
    groups = ws.copy_groups()
    assert [(g.size, g.origins, g.original_id) for g in groups] == [(4, 1, original_id)]


def test_copies_crediting_an_agency_whose_text_is_absent_name_the_earliest(
    ws: Workspace, tmp_path: Path
) -> None:
    wire = story(16)
    ingest(ws, tmp_path, [
        record("herald", wire + " (jk/XPA)", "2024-05-03", source="Northgate Herald"),
        record("ledger", wire + " (ab/XPA)", "2024-05-02", source="Ledgerline"),
        record("courier", wire, "2024-05-04", source="Coastal Courier"),
    ])  # fmt: skip
    original_id, reason = ws.original_of("courier")
    assert original_id == ws.article("ledger").id
    assert reason.startswith(
        "2 of the 3 credit xpa, whose own text is not in the workspace: this is the earliest"
        " copy of it here; published first (2024-05-02)"
    )


def test_the_cli_lists_groups_and_shows_relations_with_a_diff(
    ws: Workspace, tmp_path: Path
) -> None:
    original = story(13)
    first = original.split(". ", 1)[0]
    changed = original.replace(first, first.rsplit(" ", 1)[0] + " sent", 1)
    ingest(ws, tmp_path, [record("orig", original, "2024-04-01"),
                          record("copy", changed + "\n\n" + prose(888), "2024-04-02")])  # fmt: skip
    runner = CliRunner()
    listed = runner.invoke(cli, ["copies", "--db", ws.path])
    assert listed.exit_code == 0, listed.output
    assert "2 articles" in listed.output and "why: published first (2024-04-01)" in listed.output
    shown = runner.invoke(cli, ["copies", "copy", "--db", ws.path])
    assert shown.exit_code == 0, shown.output
    assert "edited copy of" in shown.output and "% of the copy's words reused" in shown.output
    assert "¶ copy" in shown.output
    as_json = json.loads(runner.invoke(cli, ["copies", "copy", "--db", ws.path, "--json"]).output)
    [link] = as_json["links"]
    kinds = [row["kind"] for row in link["diff"]]
    assert link["relation"] == "edited" and link["role"] == "copy"
    assert kinds.count("edited") == 1 and kinds.count("added") == 5
    [edit] = [row for row in link["diff"] if row["kind"] == "edited"]
    assert ["-", first.rsplit(" ", 1)[1] + "."] in edit["words"] and ["+", "sent."] in edit["words"]
    missing = runner.invoke(cli, ["copies", "nothing-like-it", "--db", ws.path])
    assert missing.exit_code != 0


def test_a_rolled_back_batch_leaves_the_stage_consistent(ws: Workspace, tmp_path: Path) -> None:
    from storyline.copies import CopiesStage
    from storyline.extract.normalize import text_hash
    from storyline.model import Article
    from storyline.stages import Stored

    ingest(ws, tmp_path, [record("first", story(14), "2024-11-01")])
    text = story(14)
    again = Article(id="b" * 16, title="Again", text=text, text_hash=text_hash(text),
                    external_id="again", location="test")  # fmt: skip
    stage = CopiesStage(ws.store.conn)
    run = ws.store.begin_run("test")

    def crash(conn: Any, fresh: list[Any]) -> None:
        stage.process(conn, [Stored(article, outcome) for article, outcome in fresh])
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        ws.store.write_batch(run, [("k", again)], after=crash)
    assert ws.copy_links("first") == []
    ws.store.write_batch(
        run,
        [("k", again)],
        after=lambda conn, fresh: stage.process(conn, [Stored(*f) for f in fresh]),
    )
    assert links(ws, "again") == [("again", "first", "verbatim")]


def test_a_story_reprinted_many_times_is_one_group_with_one_link_per_reprint(
    tmp_path: Path,
) -> None:
    ws = open_workspace(tmp_path / "ws.db", Settings(workers=1, batch_size=40, stages=("copies",)))
    wire = story(15)
    records = [record("wire", wire, "2024-12-01T06:00:00+00:00", source="Xanadu Press Agency")]
    records += [
        record(f"r{i}", wire, f"2024-12-{2 + i // 40:02d}T{i % 24:02d}:00:00+00:00")
        for i in range(130)
    ]
    ingest(ws, tmp_path, records)
    conn = ws.store.conn
    assert db.count_links(conn) == {"verbatim": 130}
    [group] = ws.copy_groups()
    assert (group.size, group.origins, group.original_id) == (131, 1, ws.article("wire").id)
    assert ws.independent_origins([f"r{i}" for i in range(0, 130, 7)]) == 1
    ws.close()
