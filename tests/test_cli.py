"""The command line: what a user types and exactly what they see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli


@pytest.fixture(autouse=True)
def _foundation_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the command line itself: no later stages."""
    monkeypatch.setenv("STORYLINE_STAGES", "")


TEXT = "The council voted on Thursday to rebuild the bridge over the river Lorn.\n"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_summary_then_list_and_show(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Bridge vote\n\n" + TEXT)
    (tmp_path / "in" / "b.jsonl").write_text(
        json.dumps({"id": "b1", "title": "T", "text": TEXT + "More."}) + "\n"
    )
    code, out, _err = _run("ingest", str(tmp_path / "in"), "--db", db)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("2 read from 2 files in ") and lines[0].endswith(f" into {db}")
    assert lines[1:] == [
        "  stored              2",
        "  duplicates skipped  0",
        "  rejected            0",
    ]
    code, out, _err = _run("ingest", str(tmp_path / "in"), "--db", db)
    assert out.splitlines()[-1] == "nothing new: every article was already in the workspace"
    code, out, _ = _run("articles", "--db", db, "--json")
    listed = json.loads(out)
    assert [a["title"] for a in listed] == ["Bridge vote", "T"]
    assert listed[1]["external_id"] == "b1" and "text" not in listed[1]
    code, out, _ = _run("show", "b1", "--db", db)
    assert code == 0
    assert out.splitlines()[0] == "T"
    assert f"        id  {listed[1]['id']}  (input id b1)" in out.splitlines()
    code, out, _ = _run("show", "b1", "--db", db, "--json")
    shown = json.loads(out)
    assert shown["text"] == TEXT.strip() + "\n\nMore." and shown["records"][0]["status"] == "stored"


def test_db_from_environment_and_quiet(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "env.db"
    monkeypatch.setenv("STORYLINE_DB", str(db))
    (tmp_path / "a.txt").write_text(TEXT)
    code, out, err = _run("ingest", str(tmp_path / "a.txt"), "--quiet")
    assert (code, out, err) == (0, "", "")
    assert db.exists()
    code, out, _ = _run("articles", "--json")
    assert len(json.loads(out)) == 1


def test_rejections_exit_status_and_json_summary(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "fine text here"}\n{"id": 2,\n')
    code, out, err = _run("ingest", str(bad), "--db", db, "--json")
    assert code == 1
    assert (
        err == f"rejected: {bad}: line 2: malformed: invalid JSON at column 10: "
        "Expecting property name enclosed in double quotes\n"
    )
    summary = json.loads(out)
    assert (summary["stored"], summary["rejected"]) == (1, {"malformed": 1})
    code, out, _ = _run("rejections", "--db", db)
    assert out.startswith(f"run 1  {bad}: line 2: malformed: ")


def test_unknown_article_and_missing_path(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    code, _out, err = _run("ingest", str(tmp_path / "nope"), "--db", db)
    assert code == 1
    assert err == f"rejected: {tmp_path / 'nope'}: unreadable: no such file or directory\n"
    result = CliRunner().invoke(cli, ["show", "zzzz", "--db", db])
    assert result.exit_code == 1
    assert str(result.exception) == (
        f"no article 'zzzz' in {db}: list them with `storyline articles`"
    )


def test_report(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    (tmp_path / "a.txt").write_text("| 3 April 2025 |\n\nBridge vote\n\n" + TEXT + "\n(ab/CPA)")
    _run("ingest", str(tmp_path / "a.txt"), "--db", db)
    out_file = tmp_path / "r.md"
    code, _out, _ = _run("report", "--db", db, "--out", str(out_file))
    assert code == 0
    report = out_file.read_text()
    assert "1 article with no source named." in report
    assert "| 2025-04-03 (header) |" in report and "CPA (end)" in report
