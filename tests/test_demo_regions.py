"""The demo account's regions are a commercial account's: DescribeRegions over HTTP
answers as AWS does, and ``--demo`` reads every enabled region, as against AWS."""

from __future__ import annotations

import io

import pytest
from botocore.exceptions import ClientError

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.inventory import Kind
from awsir_tui.cli import Options, connect
from awsir_tui.commands.ec2_inventory import collect
from awsir_tui.demo.scenario import Facts
from awsir_tui.demo.server import DemoServer

#: Enabled in every account: the regions AWS launched before March 2019.
ENABLED_BY_DEFAULT = {
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
    "ap-southeast-2",
}
#: Launched since, so off until the account opts in.
OPT_IN = {
    "af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
    "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1",
    "me-central-1", "me-south-1",
}
#: Other partitions' regions: a commercial account's DescribeRegions never lists them.
OTHER_PARTITIONS = {"cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1"}


def _statuses(demo: DemoServer, **kwargs: object) -> dict[str, str]:
    answer = demo.client("ec2", "us-east-1").describe_regions(**kwargs)
    return {region["RegionName"]: region["OptInStatus"] for region in answer["Regions"]}


def test_describe_regions_lists_the_commercial_partition_with_opt_in_regions_off(
    demo: DemoServer, demo_facts: Facts
) -> None:
    every = _statuses(demo, AllRegions=True)
    assert not every.keys() & OTHER_PARTITIONS
    assert all(every[name] == "opt-in-not-required" for name in ENABLED_BY_DEFAULT)
    assert every.keys() >= OPT_IN
    # Every region launched since March 2019, those named above and any newer one.
    assert {name for name, status in every.items() if status != "opt-in-not-required"} == \
        every.keys() - ENABLED_BY_DEFAULT
    assert set(every.values()) == {"opt-in-not-required", "not-opted-in"}
    # Without AllRegions, AWS lists the enabled ones only.
    assert _statuses(demo).keys() == ENABLED_BY_DEFAULT
    story = {*demo_facts.regions, *demo_facts.attack_regions, demo_facts.flow_log_region}
    assert story <= ENABLED_BY_DEFAULT


def test_describe_regions_takes_names_and_filters_as_aws_does(demo: DemoServer) -> None:
    chosen = _statuses(demo, AllRegions=True, RegionNames=["af-south-1", "eu-west-1"],
                       Filters=[{"Name": "opt-in-status", "Values": ["not-opted-in"]}])
    assert chosen == {"af-south-1": "not-opted-in"}
    with pytest.raises(ClientError) as refused:
        demo.client("ec2", "us-east-1").describe_regions(
            Filters=[{"Name": "<opt>", "Values": ["x"]}])
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_the_demo_without_regions_reads_every_enabled_region(demo: DemoServer) -> None:
    """``--demo`` alone is an account read as the app reads any: every enabled region
    (the story's three among them), not only the story's."""
    err = io.StringIO()
    with connect(Options(demo=True)) as ctx:
        assert isinstance(ctx, AwsContext)
        instances, status = collect(ctx, Kind.INSTANCES, err)
        asked = {call.region for call in ctx.guard.calls
                 if call.operation == "DescribeInstances"}
    assert asked == ENABLED_BY_DEFAULT and status == 0, err.getvalue()
    assert {instance["Region"] for instance in instances} == set(demo.regions)
