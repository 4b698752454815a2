"""Each subcommand's ``--help`` names only the options it takes (#5, QA):
``findings --help`` said --format defaults "as --output FILE's name ends", and findings
refuses --output."""

from __future__ import annotations

import subprocess
import sys

import pytest


def help_of(command: str) -> str:
    done = subprocess.run([sys.executable, "-m", "awsir_tui", command, "--help"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())  # as argparse wraps it


@pytest.mark.parametrize("command", ["findings", "instances", "security-groups", "key-pairs"])
def test_a_command_with_no_output_option_never_names_one(command: str) -> None:
    text = help_of(command)
    assert "--output" not in text and "--force" not in text, text
    assert "output format (default: table)" in text, text


def test_events_help_says_the_output_file_chooses_the_format() -> None:
    text = help_of("events")
    assert "output format (default: as --output FILE's name ends, .csv .json .jsonl; " \
        "else table)" in text, text
    assert "--output FILE write to FILE" in text and "--force with --output" in text, text
