"""The command line's contract: help, and one clear line for every user error."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from awsir_tui.cli import UsageError, parse, parse_regions
from awsir_tui.query.fields import EVENT_FIELDS, fields_help


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsir_tui", *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_help_documents_every_option() -> None:
    result = run("--help")
    assert result.returncode == 0
    for option in ("--profile", "--regions", "--endpoint-url", "--demo", "--allow-actions",
                   "--source", "--store", "--rules", "--case"):
        assert option in result.stdout
    for command in ("instances", "security-groups", "key-pairs", "events", "findings",
                    "demo-server"):
        assert command in result.stdout
    said = " ".join(result.stdout.split())  # as argparse wraps it
    assert "3 answered, but some region or log file could not be read" in said


def test_account_options_work_before_or_after_the_subcommand() -> None:
    before = parse(["--regions", "eu-west-1", "--demo", "instances", "--format", "json"])
    after = parse(["instances", "--format", "json", "--regions", "eu-west-1", "--demo"])
    assert before == after
    assert before.regions == ("eu-west-1",) and before.demo


def test_region_list_is_validated_and_all_means_every_enabled_one() -> None:
    assert parse_regions("all") is None
    assert parse_regions("us-east-1, eu-west-1") == ("us-east-1", "eu-west-1")
    with pytest.raises(UsageError, match="bad region name"):
        parse_regions("us-east-1,eu-wst")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--regions", "nowhere", "instances"], "bad region name 'nowhere'"),
        (["--profile", "no-such-profile", "instances"], "no-such-profile"),
        (["instances", "--filter", "nmae:x", "--demo"], "nmae"),
    ],
)
def test_user_errors_are_one_line_without_traceback(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_endpoint_is_one_line(tmp_path: object) -> None:
    port = free_port()  # nothing listens there
    result = run("--endpoint-url", f"http://127.0.0.1:{port}", "--regions", "us-east-1",
                 "instances")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "127.0.0.1" in result.stderr or "unreachable" in result.stderr


def test_a_filter_may_begin_with_minus_but_never_swallows_an_option() -> None:
    assert parse(["events", "--filter", "-error:*"]).filter == "-error:*"
    with pytest.raises(UsageError, match="--filter '' names no term"):
        parse(["events", "--filter", ""])  # refused as every empty option is (#5)
    # '--filter --demo' is a missing filter, not a filter '--demo' (which would send the
    # query to the real account instead of the demo).
    with pytest.raises(SystemExit):
        parse(["events", "--filter", "--demo"])


@pytest.mark.parametrize("command", [["events"], ["findings"], []])
def test_a_store_alone_that_does_not_exist_is_refused(
    tmp_path: Path, command: list[str]
) -> None:
    """A mistyped --store must not become an empty store that answers '0 events' (the
    app too: [] starts it, and it must not take the terminal)."""
    missing = tmp_path / "nope.duckdb"
    result = run("--store", str(missing), *command, timeout=30)
    assert result.returncode == 2
    assert result.stderr == f"awsir-tui: --store {missing}: no such file (alone, --store " \
        "reopens a store kept earlier; give --source too to make one)\n"
    assert result.stdout == "" and not missing.exists()
    assert list(tmp_path.iterdir()) == []


def test_an_s3_cache_that_is_a_file_is_refused(tmp_path: Path) -> None:
    """Else every object fetched failed, each with the same errno."""
    cache = tmp_path / "cache"
    cache.write_text("")
    result = run("--s3-cache", str(cache), "--source", "s3://b", "events", timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip() == f"awsir-tui: --s3-cache {cache}: a file, not a folder"


def test_a_store_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    result = run("--store", str(tmp_path), "events", timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip() == f"awsir-tui: --store {tmp_path}: a folder, not a store file"


@pytest.mark.parametrize("command", [["findings"], []])
def test_rules_that_are_not_a_folder_are_a_usage_error(
    tmp_path: Path, command: list[str]
) -> None:
    """As a malformed filter is: the built-in rules alone would run, silently."""
    missing = tmp_path / "nonexistent"
    result = run("--rules", str(missing), *command, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip() == f"awsir-tui: --rules {missing}: no such folder"
    rule = tmp_path / "rule.yml"
    rule.write_text("title: x\n")
    result = run("--rules", str(rule), *command, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"awsir-tui: --rules {rule}: not a folder")


@pytest.mark.parametrize("command", ["events", "findings"])
def test_events_help_lists_the_filter_fields_and_what_type_means(command: str) -> None:
    """``type:`` is who called (userIdentity.type), not the event's eventType."""
    result = run(command, "--help")
    assert result.returncode == 0
    for spec in EVENT_FIELDS:
        if spec.kind != "time":
            assert f"  {spec.name}:" in result.stdout, spec.name
    [line] = [line for line in result.stdout.splitlines() if line.startswith("  type:")]
    assert "userIdentity.type (not eventType)" in line
    assert max(len(line) for line in result.stdout.split("filter (--filter EXPR):")[1]
               .splitlines()) <= 79
    assert ("type:, usertype:", "userIdentity.type (not eventType): AssumedRole, IAMUser, "
            "Root, AWSService...") in fields_help(EVENT_FIELDS)
