"""The README documents every command, option and setting a user can reach."""

from __future__ import annotations

import re

import click

from storyline.cli import cli
from storyline.settings import SETTINGS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    for name in cli.commands:
        assert re.search(rf"storyline {name}\b", README), f"`storyline {name}` is not documented"


def test_every_option_is_in_the_readme() -> None:
    ctx = click.Context(cli)
    for name, command in cli.commands.items():
        for param in command.get_params(ctx):
            for opt in param.opts:
                if opt.startswith("--") and opt not in ("--help",):
                    assert opt in README, f"option {opt} of `storyline {name}` is not documented"


def test_every_setting_is_in_the_readme() -> None:
    for variable in SETTINGS:
        assert f"`{variable}`" in README, f"setting {variable} is not documented"


def test_readme_shows_the_two_commands_and_ci_runs_the_test_one() -> None:
    assert "make demo" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()
