"""`open:22`: the groups that let the whole internet in on port 22, one rule answering
both halves of the question. `open:true port:22` is two questions (some port is open to
the world; port 22 is allowed from some peer): the demo's edge-proxy answers both (3128
from anywhere, 22 from 198.51.100.0/24) and exposes no SSH to the internet."""

from __future__ import annotations

import json
from typing import Any

import pytest

from awsir_tui.aws import ec2
from awsir_tui.cli import main
from awsir_tui.demo.server import DemoServer
from awsir_tui.query import SECURITY_GROUP_FIELDS, FilterError, compile_predicate, parse
from awsir_tui.sg_rules import text_ports, world_open_cidrs
from awsir_tui.ui.ec2_groups import SecurityGroupsView
from tests.helpers_app import demo_context, screen_text
from tests.helpers_ec2 import ids, loaded_list, make_app, type_filter


def matches(text: str, group: dict[str, Any]) -> bool:
    return compile_predicate(parse(text, SECURITY_GROUP_FIELDS), SECURITY_GROUP_FIELDS)(group)


def world_open_on(group: dict[str, Any], port: int) -> bool:
    """Worked out from the rules themselves: some inbound rule whose protocol and ports
    take ``port`` has a CIDR open to the world."""
    permissions = group.get("IpPermissions") or []
    for permission, world in zip(permissions, world_open_cidrs(permissions), strict=True):
        protocol = str(permission.get("IpProtocol"))
        low, high = permission.get("FromPort", 0), permission.get("ToPort", 65535)
        if world and (protocol == "-1" or (protocol in ("tcp", "udp", "6", "17")
                                           and low <= port <= high)):
            return True
    return False


@pytest.fixture(scope="module")
def groups(demo: DemoServer) -> list[dict[str, Any]]:
    ctx = demo_context(demo)
    return [group for region in demo.regions
            for group in ec2.security_groups(ctx, region, ec2.instances(ctx, region))]


def test_open_on_a_port_is_one_rule_open_to_the_world_on_it(
    demo: DemoServer, groups: list[dict[str, Any]]
) -> None:
    for group in groups:
        for port in (22, 3128, 3389):
            assert matches(f"open:{port}", group) is world_open_on(group, port), (
                group["GroupId"], port)
    open_ssh = {g["GroupId"] for g in groups if matches("open:22", g)}
    assert demo.facts.attacker_group_id in open_ssh
    proxy = next(g for g in groups if g["GroupName"] == "edge-proxy")
    assert matches("open:true port:22", proxy) and not matches("open:22", proxy)
    assert matches("open:3128", proxy) and matches("open:3000-4000", proxy)
    assert not matches("-open:3128", proxy) and matches("open:22,3128", proxy)


def test_open_takes_true_false_or_ports_and_says_so() -> None:
    group = {"IpPermissions": [], "OpenToWorld": ["tcp/22", "icmp/all"]}
    assert matches("open:true", group) and matches("open:1", group)
    assert not matches("open:false", group) and not matches("open:0", group)
    assert matches("open:22", group) and not matches("open:8", group)  # ICMP has no ports
    with pytest.raises(FilterError, match=r"open: takes true, false, a port \(22\) or a range"):
        parse("open:ssh", SECURITY_GROUP_FIELDS)
    everything = {"IpPermissions": [], "OpenToWorld": ["all"]}
    assert matches("open:22", everything) and matches("open:65535", everything)
    assert text_ports("tcp/all") == (0, 65535) and text_ports("udp/1000-2000") == (1000, 2000)


def test_headless_open_22_leaves_the_proxy_out(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["security-groups", "--filter", "open:22", "--format", "jsonl",
                 "--endpoint-url", demo.endpoint_url, "--regions", ",".join(demo.regions)])
    out, err = capsys.readouterr()
    assert code == 0, err
    names = {json.loads(line)["GroupName"] for line in out.splitlines()}
    assert demo.facts.attacker_group_name in names and "edge-proxy" not in names


async def test_the_example_the_list_suggests_finds_world_open_ssh(demo: DemoServer) -> None:
    """`:sg`, the filter bar's example names open:22; typed, it lists the attacker's
    group and not the proxy, and every row it lists is open to the world on 22."""
    app = make_app(demo, first_view="sg")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, SecurityGroupsView)
        assert "open:22" in SecurityGroupsView.filter_example
        await type_filter(pilot, "open:22")
        assert demo.facts.attacker_group_id in ids(app)
        assert "edge-proxy" not in ids(app, "Name")
        for ports in ids(app, "Open to world"):
            ranges = [text_ports(text) for text in ports.split(", ")]
            assert any(r and r[0] <= 22 <= r[1] for r in ranges), ports
        assert "edge-proxy" not in screen_text(app)


async def test_port_and_cidr_together_say_they_are_two_questions(demo: DemoServer) -> None:
    """QA typed ``port:22 cidr:0.0.0.0/0`` for SSH open to the internet: it lists groups
    open on other ports (and any group with outbound to anywhere). The status says so,
    with the filter that asks it; open:22 alone says nothing of the kind."""
    app = make_app(demo, first_view="sg")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, SecurityGroupsView)
        await type_filter(pilot, "port:22 cidr:0.0.0.0/0")
        assert "edge-proxy" in ids(app, "Name")  # 22 from a /24, 3128 from anywhere
        assert "try open:22: port: and cidr: match rules apart" in screen_text(app)
        await type_filter(pilot, "open:22")
        assert "match rules apart" not in screen_text(app)
