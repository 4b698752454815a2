"""`awsir-tui posture` end to end against the demo account over HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest

from awsir_tui.cli import main
from awsir_tui.commands.output import PARTLY_ANSWERED


def run(demo: Any, *extra: str) -> list[str]:
    regions = ",".join(demo.regions)
    return ["posture", "--endpoint-url", demo.endpoint_url, "--regions", regions, *extra]


def test_json_has_every_region_its_trail_and_uncovered_vpcs(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(run(demo, "--format", "json")) == 0
    documents = {doc["region"]: doc for doc in json.loads(capsys.readouterr().out)}
    assert set(documents) == set(demo.regions)
    for region, doc in documents.items():
        assert doc["cloudtrail_logging"] is True and doc["multi_region_covered"] is True
        assert [t["name"] for t in doc["trails"]] == [demo.facts.trail_name]
        uncovered = [v["vpc_id"] for v in doc["vpcs"] if not v["flow_logs"]]
        assert uncovered, region
        [fix] = doc["remedies"]
        assert all(vpc in fix["commands"][0] for vpc in uncovered)


def test_table_ends_with_the_commands_and_a_denied_region_goes_to_stderr(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    denied = next(r for r in demo.regions if r != "us-east-1")
    with demo.denying(denied):
        assert main(run(demo)) == PARTLY_ANSWERED  # the other regions printed
    captured = capsys.readouterr()
    assert f"awsir-tui: {denied}: denied" in captured.err
    assert "CloudTrail logging: unknown (denied)" in captured.out
    assert "# To close the logging gaps of 2 regions. These change the account:" in captured.out
    assert "aws ec2 create-flow-logs --resource-type VPC" in captured.out


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials anywhere: not in the environment, the files or instance metadata."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("command", ["posture", "instances", "findings"])
def test_no_credentials_ends_the_command_in_one_line(
    demo: Any, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """The regions could not be listed for want of credentials: reading the home region
    instead printed a posture table of NOs (exit 0) or advised --regions, which cannot
    fix missing credentials. Only a refused or throttled list falls back."""
    code = main([command, "--endpoint-url", demo.endpoint_url])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.splitlines()[-1] == (
        "awsir-tui: no credentials: Unable to locate credentials"
    )
    assert "--regions" not in captured.err and "regions not listed" not in captured.err


def test_every_region_unread_exits_1_and_its_multi_region_trail_is_unknown(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trail that could not be read says nothing of a multi-region trail: "NO" there
    read as a finding. With no region read, nothing was checked: exit 1."""
    with demo.denying(*demo.regions):
        code = main(run(demo, "--format", "json"))
    documents = json.loads(capsys.readouterr().out)
    assert code == 1
    assert {doc["region"] for doc in documents} == set(demo.regions)
    assert all(doc["multi_region_covered"] is None for doc in documents)
    with demo.denying(*demo.regions):
        main(run(demo))
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:]]
    assert {row[0]: row[2] for row in rows if row} == dict.fromkeys(demo.regions, "unknown")
