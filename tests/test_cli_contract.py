"""The command line is a contract: every subcommand answers --help, and so does the module."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from childrenmatter.config.cli import build_parser, main


def subcommand_parsers() -> dict[str, argparse.ArgumentParser]:
    """Every subcommand's parser, nested ones too, by its full name ("clocks due")."""
    found: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    found[" ".join((*prefix, name))] = child
                    walk(child, (*prefix, name))

    walk(build_parser(), ())
    return found


def test_the_command_line_answers_help(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    assert "usage: childrenmatter" in capsys.readouterr().out


def test_the_web_commands_are_there():
    assert {"serve", "demo-user", "manage"} <= set(subcommand_parsers())


@pytest.mark.parametrize("command", sorted(subcommand_parsers()))
def test_every_subcommand_answers_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*command.split(), "--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: childrenmatter {command}")


def test_python_dash_m_childrenmatter_answers_help():
    done = subprocess.run(
        [sys.executable, "-m", "childrenmatter", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "usage: childrenmatter" in done.stdout


def test_a_bad_option_value_is_one_line_and_exit_status_2(capsys):
    assert main(["demo-user", "--authority", "80"]) == 2
    err = capsys.readouterr().err
    assert err == "childrenmatter: error: --authority 80: an LA code is three digits, as in 806\n"
