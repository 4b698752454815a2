"""A shared option typed before a subcommand that does not read it is refused, named
with the command (#5): accepted, it was ignored in silence. ``awsir-tui --source ./logs
instances`` listed the live account's instances while the responder believed they had
given an archive. Options a subcommand reads keep working before its name.

Each refused command line would run as typed if accepted (the demo account, an archive,
the case store): the refusal is seen by nothing on stdout and one line on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.cli import UsageError, parse
from tests.helpers_detect import SIGMAHQ_CLOUDTRAIL
from tests.helpers_events import STRATUS
from tests.helpers_headless import run_cli

ARCHIVE = str(STRATUS)
ACCOUNT_READERS = ("the app, instances, security-groups, key-pairs, events, findings, stack "
                   "and posture read it")


def test_an_archive_before_a_listing_of_the_account_is_refused() -> None:
    code, out, err = run_cli("--source", ARCHIVE, "instances", "--demo")
    assert (code, out) == (2, ""), err
    assert err == ("awsir-tui: --source is not read by 'instances' (EC2 instances of the "
                   "chosen regions); the app, events, findings, stack and verify read it\n")


@pytest.mark.parametrize(("args", "refused", "read_by"), [
    (("--allow-actions", "posture", "--demo"), "--allow-actions is not read by 'posture'",
     "only the app reads it"),
    (("--case", "foo", "events", "--source", ARCHIVE), "--case is not read by 'events'",
     "only the app reads it"),
    (("--rules", str(SIGMAHQ_CLOUDTRAIL), "events", "--source", ARCHIVE),
     "--rules is not read by 'events'", "the app and findings read it"),
    (("--s3-cache", "off", "verify", "--source", ARCHIVE), "--s3-cache is not read by "
     "'verify'", "the app, events, findings and stack read it"),
    (("--demo", "case", "list"), "--demo is not read by 'case list'", ACCOUNT_READERS),
    (("--profile", "incident-ro", "verify", "--source", ARCHIVE),
     "--profile is not read by 'verify'", ACCOUNT_READERS),
    # given with its default value, it was typed all the same
    (("--regions", "all", "case", "export", "x"), "--regions is not read by 'case export'",
     ACCOUNT_READERS),
])
def test_an_option_the_command_does_not_read_is_refused_naming_both(
    args: tuple[str, ...], refused: str, read_by: str
) -> None:
    code, out, err = run_cli(*args)
    assert (code, out) == (2, ""), err
    assert err.startswith(f"awsir-tui: {refused} ("), err
    assert err.endswith(f"); {read_by}\n") and err.count("\n") == 1, err


def test_a_store_before_a_command_that_does_not_read_it_is_refused_unmade(
    tmp_path: Path,
) -> None:
    store = tmp_path / "x.duckdb"
    code, out, err = run_cli("--store", str(store), "security-groups", "--demo")
    assert (code, out) == (2, ""), err
    assert err.startswith("awsir-tui: --store is not read by 'security-groups' ("), err
    assert list(tmp_path.iterdir()) == []


def test_options_before_a_command_that_reads_them_are_read() -> None:
    """As before (the same options typed after the command are parsed alike)."""
    findings = parse(["--rules", "r", "--store", "s", "--s3-cache", "off", "findings"])
    assert (findings.rules, findings.store, findings.s3_cache) == ("r", "s", "off")
    assert parse(["--source", "d", "verify"]).sources == ["d"]
    posture = parse(["--profile", "p", "--regions", "all", "--endpoint-url", "http://e",
                     "posture"])
    assert (posture.profile, posture.regions, posture.endpoint_url) == ("p", None, "http://e")
    app = parse(["--allow-actions", "--case", "c", "--source", "d", "--store", "s",
                 "--rules", "r", "--demo", "--regions", "eu-west-1"])
    assert app.command is None and app.allow_actions and app.demo
    assert (app.case, app.sources, app.store, app.rules, app.regions) == (
        "c", ["d"], "s", "r", ("eu-west-1",))


def test_an_empty_option_the_command_does_not_read_is_said_as_not_read() -> None:
    """Said empty first, ``--case "$CASE" instances`` would be refused again once CASE
    is set; ``--case ''`` is still refused for the app, which reads it."""
    with pytest.raises(UsageError, match=r"^--case is not read by 'instances' \("):
        parse(["--case", "", "instances"])
    with pytest.raises(UsageError, match=r"^--case '' names no case"):
        parse(["--case", ""])


def test_an_archive_before_events_is_read_as_after_it() -> None:
    before = run_cli("--source", ARCHIVE, "events", "--format", "jsonl")
    after = run_cli("events", "--format", "jsonl", "--source", ARCHIVE)
    assert before[0] == 0 and len(before[1].splitlines()) > 1, before[2]
    assert before[:2] == after[:2]


def test_regions_before_a_listing_narrow_it() -> None:
    """The demo account has instances in three regions; us-east-1's alone are listed."""
    code, out, err = run_cli("--demo", "--regions", "us-east-1", "instances",
                             "--format", "json")
    assert code == 0, err
    regions = {instance["Region"] for instance in json.loads(out)}
    assert regions == {"us-east-1"}


def test_sources_typed_on_both_sides_of_the_command_add_up(tmp_path: Path) -> None:
    """argparse parses what follows a subcommand's name apart and copies it over: the
    sources typed before ``events`` were dropped in silence by one typed after it."""
    assert parse(["--source", "a", "events", "--source", "b"]).sources == ["a", "b"]
    assert parse(["--source", "a", "--source", "b", "findings"]).sources == ["a", "b"]
    assert parse(["verify", "--source", "a", "--source", "b"]).sources == ["a", "b"]
    first, second = tmp_path / "one", tmp_path / "two"
    for folder, technique in ((first, "aws.defense-evasion.cloudtrail-stop"),
                              (second, "aws.defense-evasion.cloudtrail-delete")):
        folder.mkdir()
        (folder / "trail.json").write_text((STRATUS / f"{technique}.json").read_text())
    code, out, err = run_cli("--source", str(first), "events", "--source", str(second),
                             "--format", "jsonl")
    assert code == 0, err
    names = {json.loads(line)["eventName"] for line in out.splitlines()}
    assert {"StopLogging", "DeleteTrail"} <= names, names
