"""`awsir-tui instances | security-groups | key-pairs` against the demo account.

The command line runs in-process (its real argument parsing, data layer and output)
over real HTTP to the demo server; JSON output is parsed back and checked against the
incident's facts and against the data layer's own answer.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json

import pytest

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.inventory import Inventory, Kind
from awsir_tui.cli import main
from awsir_tui.commands.output import PARTLY_ANSWERED
from awsir_tui.demo.server import DemoServer
from tests.helpers_app import demo_context


@pytest.fixture
def ctx(demo: DemoServer) -> AwsContext:
    return demo_context(demo)


def run(demo: DemoServer, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--endpoint-url", demo.endpoint_url, "--regions", ",".join(demo.regions)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_instances_filtered_on_attacker_key_as_json(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = demo.facts
    code, out, err = run(demo, capsys, "instances", "--filter",
                         f"key:={facts.attacker_key_name}", "--format", "json")
    assert code == 0, err
    found = json.loads(out)
    assert [i["InstanceId"] for i in found] == [facts.malicious_instance_id]
    assert found[0]["Region"] in demo.regions
    assert found[0]["KeyName"] == facts.attacker_key_name  # AWS's own field names


def test_security_groups_carry_used_by_and_the_same_answer_as_the_data_layer(
    demo: DemoServer, ctx: AwsContext, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = demo.facts
    code, out, err = run(demo, capsys, "security-groups", "--format", "jsonl")
    assert code == 0, err
    groups = [json.loads(line) for line in out.splitlines()]
    attacker = next(g for g in groups if g["GroupId"] == facts.attacker_group_id)
    assert attacker["UsedBy"] == [facts.malicious_instance_id]
    outcomes = asyncio.run(Inventory(ctx, demo.regions).load(Kind.SECURITY_GROUPS))
    direct = {g["GroupId"]: g["UsedBy"] for o in outcomes for g in o.value or []}
    assert {g["GroupId"]: g["UsedBy"] for g in groups} == direct


def test_unused_key_pairs_by_filter(demo: DemoServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(demo, capsys, "key-pairs", "--filter", "used:false", "--format", "json")
    assert code == 0, err
    names = {k["KeyName"] for k in json.loads(out)}
    assert set(demo.facts.unused_key_names) <= names
    assert demo.facts.attacker_key_name not in names
    assert all(k["UsedBy"] == [] for k in json.loads(out))


def test_open_groups_filter_and_csv(demo: DemoServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(demo, capsys, "security-groups", "--filter", "open:true port:22",
                         "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    attacker = next(r for r in rows if r["ID"] == demo.facts.attacker_group_id)
    assert "tcp/22" in attacker["Open to world"].split(", ")  # the ports open to the world


def test_table_shows_hostile_tag_literally(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(demo, capsys, "instances", "--filter",
                         f"id:{demo.facts.malicious_instance_id}")
    assert code == 0, err
    assert demo.facts.hostile_tag_value in out
    assert "\x1b" not in out


def test_denied_region_is_one_line_on_stderr_while_the_others_print(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    denied = demo.regions[0]
    with demo.denying(denied):
        code, out, err = run(demo, capsys, "instances", "--format", "json")
    assert code == PARTLY_ANSWERED  # the others printed: not 1, and not 0 (whole)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and denied in lines[0] and "denied" in lines[0]
    regions = {i["Region"] for i in json.loads(out)}
    assert regions == set(demo.regions[1:])


def test_every_region_denied_exits_non_zero(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with demo.denying(*demo.regions):
        code, out, err = run(demo, capsys, "key-pairs", "--format", "json")
    assert code == 1
    assert len(err.strip().splitlines()) == len(demo.regions)
    assert json.loads(out) == []


@pytest.mark.parametrize("bad", ["key:", "nosuchfield:x", '"unclosed'])
def test_bad_filter_is_one_line_and_exit_2(
    demo: DemoServer, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    code, out, err = run(demo, capsys, "instances", "--filter", bad)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "bad filter" in err


def test_role_filter_matches_the_role_not_the_profile(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """EC2 lists the profile only: role: reads each profile's role from IAM."""
    facts = demo.facts
    code, out, err = run(demo, capsys, "instances", "--filter", f"role:={facts.role_name}",
                         "--format", "json")
    assert code == 0, err
    found = json.loads(out)
    assert facts.proxy_instance_id in {i["InstanceId"] for i in found}
    assert all(i["RoleNames"] == [facts.role_name] for i in found)
    code, out, err = run(demo, capsys, "instances", "--filter",
                         f"role:={facts.instance_profile_name}", "--format", "json")
    assert code == 0 and json.loads(out) == []


def test_piped_table_is_one_line_an_instance_with_its_id_whole(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """``awsir-tui instances > f; grep i-… f`` finds the instance's line."""
    code, out, err = run(demo, capsys, "instances", "--format", "json")
    assert code == 0, err
    instances = json.loads(out)
    code, out, err = run(demo, capsys, "instances")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1 + len(instances)
    for instance in instances:
        [line] = [line for line in lines if instance["InstanceId"] in line]
        assert line.startswith(instance["InstanceId"] + " ")
        assert instance.get("PrivateIpAddress", "") in line
        assert instance.get("ImageId", "") in line


def test_json_output_redacts_a_secret_an_attacker_wrote_into_a_group(
    demo: DemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table and CSV cells were redacted, the JSON objects not: a description or a
    tag can hold a password. (In a region of its own, so no other test sees the group.)"""
    region = "ca-central-1"
    ec2 = demo.client("ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    ec2.create_security_group(GroupName="db", VpcId=vpc,
                              Description="db_password=hunter2supersecret")
    for fmt in ("json", "jsonl", "csv"):
        code = main(["security-groups", "--endpoint-url", demo.endpoint_url,
                     "--regions", region, "--format", fmt])
        out = capsys.readouterr().out
        assert code == 0
        assert "hunter2supersecret" not in out and "db_password" in out, fmt
