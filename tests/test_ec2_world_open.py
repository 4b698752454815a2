"""Open to the world, however the internet is written: 0.0.0.0/0, or CIDRs that add up
to it across a group's rules for the same ports. The details' OPEN, the list's column
and red rows, and the filter's open: give the same answer, worked out once per group as
the groups are read."""

from __future__ import annotations

from typing import Any

import pytest

from awsir_tui import sg_rules
from awsir_tui.aws import ec2
from awsir_tui.aws.ec2_columns import SECURITY_GROUP_COLUMNS
from awsir_tui.demo.server import DemoServer
from awsir_tui.query import SECURITY_GROUP_FIELDS, compile_predicate, parse
from awsir_tui.sg_rules import OPEN_TO_WORLD
from tests.helpers_app import demo_context


def rule(protocol: str, ports: tuple[int, int] | None, *cidrs: str) -> dict[str, Any]:
    """One inbound permission, as DescribeSecurityGroups gives it."""
    permission: dict[str, Any] = {"IpProtocol": protocol}
    if ports is not None:
        permission["FromPort"], permission["ToPort"] = ports
    permission["IpRanges"] = [{"CidrIp": c} for c in cidrs if ":" not in c]
    permission["Ipv6Ranges"] = [{"CidrIpv6": c} for c in cidrs if ":" in c]
    return permission


def column(group: dict[str, Any]) -> str:
    return dict(SECURITY_GROUP_COLUMNS)["Open to world"](group)


def filtered_open(group: dict[str, Any]) -> bool:
    return compile_predicate(parse("open:*", SECURITY_GROUP_FIELDS), SECURITY_GROUP_FIELDS)(group)


@pytest.mark.parametrize(("permissions", "opened", "ports"), [
    # Two halves of IPv4, in one rule or two.
    ([rule("tcp", (0, 65535), "0.0.0.0/1", "128.0.0.0/1")],
     ["tcp/all from 0.0.0.0/1", "tcp/all from 128.0.0.0/1"], "tcp/all"),
    ([rule("tcp", (22, 22), "0.0.0.0/1"), rule("6", (22, 22), "128.0.0.0/1")],
     ["tcp/22 from 0.0.0.0/1", "tcp/22 from 128.0.0.0/1"], "tcp/22"),
    # Four quarters; the 10.0.0.0/8 inside one of them opens nothing more.
    ([rule("tcp", (3389, 3389), "0.0.0.0/2", "64.0.0.0/2", "10.0.0.0/8"),
      rule("tcp", (3389, 3389), "128.0.0.0/2", "192.0.0.0/2")],
     ["tcp/3389 from 0.0.0.0/2", "tcp/3389 from 64.0.0.0/2", "tcp/3389 from 128.0.0.0/2",
      "tcp/3389 from 192.0.0.0/2"], "tcp/3389"),
    # All traffic from one half covers port 22 of the other: port 22 is open, all is not.
    ([rule("-1", None, "0.0.0.0/1"), rule("tcp", (22, 22), "128.0.0.0/1")],
     ["tcp/22 from 128.0.0.0/1"], "tcp/22"),
    # One half on a wide range, the other on ports inside it: those ports are open.
    ([rule("tcp", (0, 100), "0.0.0.0/1"), rule("tcp", (20, 30), "128.0.0.0/1")],
     ["tcp/20-30 from 128.0.0.0/1"], "tcp/20-30"),
    # IPv6 halves.
    ([rule("udp", (53, 53), "::/1", "8000::/1")],
     ["udp/53 from ::/1", "udp/53 from 8000::/1"], "udp/53"),
    # Halves on different ports, or a quarter missing: not the whole internet.
    ([rule("tcp", (22, 22), "0.0.0.0/1"), rule("tcp", (80, 80), "128.0.0.0/1")], [], ""),
    ([rule("tcp", (22, 22), "0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2")], [], ""),
    ([rule("tcp", (22, 22), "0.0.0.0/0", "10.0.0.0/8")], ["tcp/22 from 0.0.0.0/0"], "tcp/22"),
])
def test_cidrs_that_add_up_to_the_internet_are_open_everywhere_alike(
    permissions: list[dict[str, Any]], opened: list[str], ports: str
) -> None:
    group = {"GroupId": "sg-1", "IpPermissions": permissions, "IpPermissionsEgress": []}
    assert [rule.text for rule in ec2.rule_lines(group) if rule.world] == opened
    group[OPEN_TO_WORLD] = ec2.open_ports(group)  # as security_groups keeps it
    assert column(group) == ports
    assert filtered_open(group) is ec2.is_open(group) is bool(opened)


def test_world_open_is_worked_out_once_per_group_as_the_groups_are_read(
    demo: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list's red rows (through every rule's text), its column and open: each parsed
    and collapsed every CIDR of every rule again, for every group, on every repaint and
    every filter."""
    worked_out: list[str] = []
    real = sg_rules.world_open_cidrs

    def counted(permissions: Any) -> list[set[str]]:
        worked_out.append("once")
        return real(permissions)

    monkeypatch.setattr(sg_rules, "world_open_cidrs", counted)
    monkeypatch.setattr(ec2, "world_open_cidrs", counted)
    ctx = demo_context(demo)
    groups = [group for region in demo.regions
              for group in ec2.security_groups(ctx, region, ec2.instances(ctx, region))]
    assert len(worked_out) == len(groups)
    attacker = next(g for g in groups if g["GroupId"] == demo.facts.attacker_group_id)
    assert "tcp/22" in attacker[OPEN_TO_WORLD]
    worked_out.clear()
    for group in groups:  # what the list, its column and open: ask of each group
        assert ec2.is_open(group) is filtered_open(group) is bool(column(group))
    assert worked_out == []
    assert ec2.is_open(attacker) and "tcp/22" in column(attacker).split(", ")
