"""`awsir-tui posture` end to end against the demo account over HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest

from awsir_tui.cli import main


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
        assert main(run(demo)) == 0
    captured = capsys.readouterr()
    assert f"awsir-tui: {denied}: denied" in captured.err
    assert "CloudTrail logging: unknown (denied)" in captured.out
    assert "# To close the gaps (awsir-tui does not run these" in captured.out
    assert "aws ec2 create-flow-logs --resource-type VPC" in captured.out
