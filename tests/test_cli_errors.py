"""What a user sees when a command cannot do what was asked: the exact message and exit
status of ``storyline`` (through ``main``, which turns errors into one line and exit 2)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import EXIT_ERROR, EXIT_REJECTED, main
from storyline.events.metrics import Scores, score


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """No later stages (a test that needs events turns them on) and no encoder."""
    monkeypatch.setenv("STORYLINE_STAGES", "")
    monkeypatch.setenv("STORYLINE_EMBEDDER", "none")
    monkeypatch.setenv("STORYLINE_WORKERS", "1")
    monkeypatch.delenv("STORYLINE_DB", raising=False)


def _main(*args: str) -> tuple[int, str, str]:
    """Run the installed entry point: exit status, standard output, standard error."""
    with CliRunner().isolation() as (out, err, _):
        try:
            main(list(args))
        except SystemExit as stop:
            code = stop.code
        else:  # pragma: no cover - main always exits
            code = 0
    return int(code or 0), out.getvalue().decode(), err.getvalue().decode()


def _records(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _article(n: int, **extra: object) -> dict[str, object]:
    text = f"Report {n}: the council of Lorham met on Thursday to discuss item {n} of its plan."
    return {"id": f"r{n}", "title": f"Item {n}", "text": text, **extra}


def _workspace(tmp_path: Path, records: list[dict[str, object]]) -> str:
    db = str(tmp_path / "ws.db")
    code, _out, err = _main("ingest", str(_records(tmp_path / "in.jsonl", records)), "--db", db)
    assert (code, err) == (0, "")
    return db


# 1. eval with a split the file does not have ------------------------------------------


def _labelled(tmp_path: Path) -> Path:
    records = [_article(n, event=f"e{n % 2}", split="train" if n < 4 else "test") for n in range(6)]
    return _records(tmp_path / "gold.jsonl", records)


def test_eval_of_a_split_the_file_lacks_names_the_splits_it_has(tmp_path: Path) -> None:
    path = _labelled(tmp_path)
    out = tmp_path / "x.jsonl"
    code, stdout, err = _main("eval", str(path), "--split", "nosuch", "--out", str(out))
    assert (code, stdout) == (EXIT_ERROR, "")
    assert err == f"error: no records of split 'nosuch' in {path} (splits there: test, train)\n"
    assert not out.exists()
    code, _, err = _main("eval", str(path), "--split", "test", "--split", "dev", "--split", "x")
    assert err == f"error: no records of splits 'dev', 'x' in {path} (splits there: test, train)\n"


def test_eval_of_a_file_without_splits_or_records(tmp_path: Path) -> None:
    path = _records(tmp_path / "gold.jsonl", [_article(1, event="a")])
    code, _, err = _main("eval", str(path), "--split", "test")
    assert (code, err) == (
        EXIT_ERROR,
        f"error: no records of split 'test' in {path} (no record has a split field)\n",
    )
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    code, _, err = _main("eval", str(empty))
    assert (code, err) == (
        EXIT_ERROR,
        f"error: {empty}: no records to score: the file has no JSON lines\n",
    )


def test_scores_of_nothing_are_one_not_a_division_by_zero() -> None:
    assert score({}, {}) == Scores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0, 0, 0)


# 3. eval prints where the assignment went ----------------------------------------------


def test_eval_prints_the_full_path_of_its_default_assignment_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _labelled(tmp_path)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    code, out, _ = _main("eval", str(path), "--split", "test")
    assert code == 0
    assert (
        out.splitlines()[-1] == f"  assignment written to {work / 'gold.jsonl.assignments.jsonl'}"
    )
    assert len((work / "gold.jsonl.assignments.jsonl").read_text().splitlines()) == 6
    code, out, _ = _main("eval", "--help")
    assert "[default: FILE's name + .assignments.jsonl, in the current directory]" in " ".join(
        out.split()
    )


# 2. reading commands need a workspace; only ingest makes one --------------------------

READING = [
    ["articles"],
    ["show", "abcd"],
    ["rejections"],
    ["report"],
    ["events"],
    ["event", "1"],
    ["why", "abcd"],
    ["recluster"],
    ["export", "assignments"],
    ["copies"],
    ["entities"],
    ["entity", "Lorham"],
    ["brief", "1"],
    ["timeline", "1"],
    ["compare", "1"],
    ["storylines"],
    ["storyline", "1"],
    ["prepare"],
]


@pytest.mark.parametrize("command", READING, ids=lambda c: " ".join(c))
def test_reading_a_missing_workspace_says_how_to_make_one(
    tmp_path: Path, command: list[str]
) -> None:
    typo = tmp_path / "typo.db"
    code, out, err = _main(*command, "--db", str(typo))
    assert (code, out) == (EXIT_ERROR, "")
    assert err == (
        f"error: no workspace at {typo}: run `storyline ingest FILES --db {typo}` first, "
        "or check the path\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_default_workspace_before_the_first_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _main("events")
    assert (code, out) == (EXIT_ERROR, "")
    assert err == (
        "error: no workspace in the current directory (storyline.db, the default): run "
        "`storyline ingest FILES` first to make one, or name yours with --db PATH or "
        "STORYLINE_DB\n"
    )
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("STORYLINE_DB", "news.db")
    code, _, err = _main("articles")
    assert err.startswith("error: no workspace at news.db: run `storyline ingest FILES --db ")


def test_serve_makes_a_missing_workspace_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.web import server

    monkeypatch.setattr(server, "serve", lambda app, host, port: None)
    db = tmp_path / "new.db"
    code, _, err = _main("serve", "--db", str(db))
    assert code == 0 and db.exists()
    assert err.splitlines()[0] == (
        f"no workspace at {db}: serving a new, empty one; add articles with "
        f"`storyline ingest FILES --db {db}` or POST /api/ingest"
    )
    code, _, err = _main("serve", "--db", str(db))
    assert "no workspace" not in err


# 4. article id prefixes ----------------------------------------------------------------


def test_any_unique_prefix_finds_an_article_and_an_ambiguous_one_says_so(
    tmp_path: Path,
) -> None:
    # 17 hexadecimal ids: two of them must start with the same character.
    db = _workspace(tmp_path, [_article(n) for n in range(17)])
    ids = sorted(a["id"] for a in json.loads(_main("articles", "--db", db, "--json")[1]))
    first = next(c for c in "0123456789abcdef" if sum(i.startswith(c) for i in ids) > 1)
    starting = [i for i in ids if i.startswith(first)]
    code, out, err = _main("show", first, "--db", db)
    more = f" and {len(starting) - 3} more" if len(starting) > 3 else ""
    assert (code, out) == (EXIT_ERROR, "")
    assert err == (
        f"error: ambiguous id prefix '{first}': {len(starting)} articles start with it "
        f"({', '.join(starting[:3])}{more}): give more of the id\n"
    )
    for article_id in ids:
        prefix = next(
            article_id[:n]
            for n in range(1, 17)
            if sum(i.startswith(article_id[:n]) for i in ids) == 1
        )
        code, out, _ = _main("show", prefix, "--db", db)
        assert code == 0 and f"        id  {article_id}  (input id " in out
    code, out, _ = _main("show", "--help")
    assert "any prefix that starts only one id will do" in " ".join(out.split())


def test_an_input_id_comes_before_an_id_prefix(tmp_path: Path) -> None:
    db = _workspace(tmp_path, [_article(1)])
    (only,) = json.loads(_main("articles", "--db", db, "--json")[1])
    # A second article whose input id is the start of the first article's id.
    shadow = dict(_article(2), id=only["id"][:2])
    _main("ingest", str(_records(tmp_path / "more.jsonl", [shadow])), "--db", db)
    code, out, _ = _main("show", only["id"][:2], "--db", db)
    assert code == 0 and out.splitlines()[0] == "Item 2"
    code, out, _ = _main("show", only["id"][:3], "--db", db)
    assert code == 0 and out.splitlines()[0] == "Item 1"


# 5. rejections of a run that does not exist --------------------------------------------


def test_rejections_of_an_unknown_run(tmp_path: Path) -> None:
    db = _workspace(tmp_path, [_article(1)])
    _main("ingest", str(tmp_path / "in.jsonl"), "--db", db)
    code, out, err = _main("rejections", "--run", "99", "--db", db)
    assert (code, out, err) == (EXIT_ERROR, "", f"error: no run 99 in {db} (runs: 1-2)\n")
    code, out, err = _main("rejections", "--run", "2", "--db", db)
    assert (code, out, err) == (0, "", "0 rejected\n")


# 6. ingest of a path that is not there -------------------------------------------------


def test_ingest_of_missing_paths_says_which_could_not_be_read(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    missing, also = tmp_path / "does-not-exist.jsonl", tmp_path / "nope"
    code, out, err = _main("ingest", str(missing), "--db", db)
    assert code == EXIT_REJECTED
    assert err == f"rejected: {missing}: unreadable: no such file or directory\n"
    lines = out.splitlines()
    assert re.fullmatch(rf"0 read from 0 files in \d+\.\ds into {re.escape(db)}", lines[0])
    assert lines[1:] == [
        "  stored              0",
        "  duplicates skipped  0",
        "  rejected            1",
        "    unreadable        1",
        f"1 path could not be read (check it): {missing}: no such file or directory",
    ]
    _records(tmp_path / "in.jsonl", [_article(1)])
    code, out, _ = _main("ingest", str(missing), str(tmp_path / "in.jsonl"), str(also), "--db", db)
    assert code == EXIT_REJECTED
    assert out.splitlines()[0].startswith("1 read from 1 files in ")
    assert out.splitlines()[-1] == (
        f"2 paths could not be read (check them): {missing}: no such file or directory; "
        f"{also}: no such file or directory"
    )


# 7. events as JSON carry ISO dates, not days since 1970 --------------------------------


def test_events_json_has_iso_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_STAGES", "events")
    records = [_article(1, date="2025-03-04"), _article(2, date="2025-03-05")]
    db = _workspace(tmp_path, records)
    events = json.loads(_main("events", "--db", db, "--json")[1])
    assert events and all(not key.endswith("_day") for e in events for key in e)
    days = sorted(d for e in events for d in (e["first"], e["last"]))
    assert days[0] == "2025-03-04" and days[-1] == "2025-03-05"
    one = json.loads(_main("event", str(events[0]["id"]), "--db", db, "--json")[1])
    assert not [key for key in one if key.endswith("_day")]
    assert (one["first"], one["last"]) == (events[0]["first"], events[0]["last"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", one["seen"])
