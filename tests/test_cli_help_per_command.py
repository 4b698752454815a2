"""Each subcommand's ``--help`` names only the options it takes (#5, QA):
``findings --help`` said --format defaults "as --output FILE's name ends", and findings
refuses --output."""

from __future__ import annotations

import subprocess
import sys

import pytest

from awsir_tui.case.export import EXPORTS
from awsir_tui.cli import parse


def help_of(*command: str) -> str:
    done = subprocess.run([sys.executable, "-m", "awsir_tui", *command, "--help"],
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


#: Every subcommand, with a phrase its --help's description must hold (#5, responder
#: review: posture and findings had none, case export said nothing of NAME).
DESCRIBED = {
    "instances": "EC2 instances of the chosen regions",
    "security-groups": "security groups, with the instances that use them",
    "key-pairs": "key pairs, with the instances launched with them",
    "events": "CloudTrail events: Event history (LookupEvents), or archives",
    "findings": "Run the detections (built-in Sigma rules and correlations",
    "verify": "Check the CloudTrail log files of --source folders",
    "posture": "Per region: does CloudTrail log it",
    "case": "The cases the app saved",
    "case export": "Print the whole case NAME",
    "case list": "List the saved cases",
    "demo-server": "Run the embedded demo account alone",
}
ACCOUNT = ("--profile", "--regions", "--endpoint-url", "--demo")


@pytest.mark.parametrize("command", DESCRIBED)
def test_every_subcommand_says_what_it_does(command: str) -> None:
    text = help_of(*command.split())
    description = text.split(" options: ")[0].split(" positional arguments: ")[0]
    assert DESCRIBED[command] in description, text


@pytest.mark.parametrize(
    ("command", "takes", "refuses"),
    [
        ("instances", ACCOUNT, ("--allow-actions", "--case", "--source", "--store", "--rules",
                                "--s3-cache")),
        ("security-groups", ACCOUNT, ("--allow-actions", "--case", "--source", "--rules")),
        ("key-pairs", ACCOUNT, ("--allow-actions", "--case", "--source", "--rules")),
        ("posture", ACCOUNT, ("--allow-actions", "--case", "--source", "--store", "--rules",
                              "--s3-cache", "--filter")),
        ("events", (*ACCOUNT, "--source", "--store", "--s3-cache"),
         ("--allow-actions", "--case", "--rules")),
        ("findings", (*ACCOUNT, "--source", "--store", "--rules", "--s3-cache"),
         ("--allow-actions", "--case")),
    ],
)
def test_a_command_names_the_options_it_reads_and_no_other(
    command: str, takes: tuple[str, ...], refuses: tuple[str, ...]
) -> None:
    """A read-only command that listed --allow-actions ("permit changes") left a
    responder wondering whether it could change the account."""
    text = help_of(command)
    for option in takes:
        assert f"[{option}" in text, (option, text)
    for option in refuses:
        assert option not in text, (option, text)


def test_the_apps_own_options_say_they_are_the_apps() -> None:
    text = help_of()
    assert "--allow-actions the app only: permit changes" in text, text
    assert "(the commands only read)" in text, text
    assert "--case CASE the app's case" in text, text


def test_case_export_help_says_what_name_is_and_the_default_format() -> None:
    text = help_of("case", "export")
    assert "NAME the case's name, as 'awsir-tui case list'" in text, text
    assert "the Markdown report unless --format says another" in text, text
    assert "md: the report (default)" in text, text


def test_case_export_takes_every_export_the_case_has() -> None:
    """The command line lists the formats itself (importing the case package to parse
    arguments costs every command ~0.15 s): one added to the exports must be added
    there too."""
    for fmt in EXPORTS:
        assert parse(["case", "export", "x", "--format", fmt]).format == fmt
    with pytest.raises(SystemExit):
        parse(["case", "export", "x", "--format", "xml"])


@pytest.mark.parametrize(("command", "default"), [
    ("posture", "output format (default: table)"),
    ("verify", "output format (default: text)"),
    ("demo-server", "(default: a free one)"),
])
def test_each_option_with_a_default_names_it(command: str, default: str) -> None:
    assert default in help_of(command)


def test_what_a_help_leaves_out_is_refused_after_the_command_still_read_before_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The help is the truth of what a command takes; the shared options typed before
    the command are parsed as they were (``awsir-tui --demo instances``)."""
    assert parse(["--demo", "instances"]).demo
    assert parse(["--source", "./logs/", "events"]).sources == ["./logs/"]
    assert parse(["findings", "--rules", "r", "--store", "s"]).rules == "r"
    with pytest.raises(SystemExit) as refused:
        parse(["posture", "--allow-actions"])
    assert refused.value.code == 2
    assert "unrecognized arguments: --allow-actions" in capsys.readouterr().err
