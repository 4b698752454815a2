"""``awsir-tui findings``: the detections end to end, on Event history of the demo account
over HTTP, and on the real Stratus Red Team files handed over as archives."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from awsir_tui.cli import main
from awsir_tui.commands.findings import instance_addresses
from awsir_tui.commands.output import PARTLY_ANSWERED
from awsir_tui.demo.server import DemoServer
from awsir_tui.detect.addresses import OwnAddresses
from tests.helpers_detect import SIGMAHQ_CLOUDTRAIL, technique_records
from tests.helpers_events import write_format
from tests.helpers_regions import refuse_describe_regions


def history(demo: DemoServer, *extra: str) -> list[str]:
    """``findings`` on the demo account's Event history, every region, over HTTP."""
    return ["findings", "--endpoint-url", demo.endpoint_url,
            "--regions", ",".join(demo.regions), *extra]


def run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def stratus_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every Stratus technique as a gzipped CloudTrail log file, as S3 delivers them."""
    return write_format(tmp_path_factory.mktemp("archive"), "envelope.json.gz")


def by_rule(findings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        grouped.setdefault(finding["rule_id"], []).append(finding)
    return grouped


def test_demo_incident_is_found_in_event_history(demo, capsys):
    facts = demo.facts
    # The attack began 52 minutes before seeding: two hours hold it all, quickly.
    code, out, err = run(capsys, history(demo, "--since", "2h", "--format", "json"))
    assert code == 0, err
    findings = json.loads(out)
    rules = by_rule(findings)

    [key_pair] = rules["awsir_ec2_key_pair_created"]
    assert facts.attacker_key_name in key_pair["summary"]
    [group] = rules["awsir_ec2_security_group_created"]
    assert facts.attacker_group_name in group["summary"]
    [ingress] = rules["awsir_ec2_ingress_open_to_internet"]
    assert f"port 22/tcp to 0.0.0.0/0 on {facts.attacker_group_id}" in ingress["summary"]
    [writes] = rules["awsir_instance_role_write_call"]
    assert writes["summary"].startswith("RunInstances x")
    assert facts.proxy_instance_id in writes["summary"]
    [theft] = rules["awsir_instance_credentials_used_elsewhere"]
    assert facts.attacker_access_key_id in theft["summary"]
    assert facts.attacker_ip in theft["summary"]
    # The proxy's own public address came from EC2, so the theft is certain; instances
    # behind NAT (no address of their own) are not accused of calling from the NAT.
    assert theft["severity"] == "critical"
    assert [f for f in findings if f["severity"] == "critical"] == [theft]

    # JSON carries the event IDs, and every attacker call is in some finding.
    flagged = {event_id for f in findings for event_id in f["event_ids"]}
    assert set(facts.attack_event_ids) <= flagged
    assert "32 rules run (32 built-in) and 3 correlations" in err
    assert f"{len(findings)} findings over" in err


def test_seven_days_by_default_and_the_benign_background_stays_low(demo, capsys):
    """The whole default window, with the instances' addresses from EC2: every finding
    of medium severity or more is the attack; the rest of the company raises at most
    low ones (the count is printed: the false-positive figure of the issue)."""
    code, out, err = run(capsys, history(demo, "--format", "json"))
    assert code == 0, err
    assert "no time bound given; reading the last 7d" in err
    findings = json.loads(out)
    attack = set(demo.facts.attack_event_ids)
    benign = [f for f in findings if not set(f["event_ids"]) & attack]
    with capsys.disabled():
        print(f"\ndemo, 7 days: {len(findings)} findings, {len(benign)} on benign events only "
              f"({', '.join(sorted(f['severity'] for f in benign)) or 'none'})")
    assert [f for f in benign if f["severity"] not in ("low", "informational")] == []
    assert {f["rule_id"] for f in findings} >= {
        "awsir_ec2_key_pair_created", "awsir_instance_credentials_used_elsewhere"}


def test_table_is_readable(demo, capsys):
    code, out, err = run(capsys, history(demo, "--since", "2h",
                                         "--filter", f"ip:{demo.facts.attacker_ip}"))
    assert code == 0, err
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["severity", "title", "technique"]
    assert rows and rows[0].startswith("critical")


@pytest.fixture(scope="module")
def demo_archive(demo: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo account's CloudTrail records as one log file: the same events as its
    Event history, handed over as an archive."""
    folder = tmp_path_factory.mktemp("demo-archive")
    (folder / "log.json").write_text(json.dumps({"Records": list(demo.records)}))
    return folder


def theft_over(capsys: pytest.CaptureFixture[str], args: list[str],
               status: int = 0) -> tuple[dict[str, Any], str]:
    """The credential-theft finding of ``findings ARGS --format json``, and stderr; the
    command exits with ``status``."""
    code, out, err = run(capsys, ["findings", *args, "--format", "json"])
    assert code == status, err
    [theft] = by_rule(json.loads(out))["awsir_instance_credentials_used_elsewhere"]
    return theft, err


def test_archive_with_the_account_is_judged_as_event_history(demo, demo_archive, capsys):
    """The same events read from an archive, with the account named: its instances'
    addresses come from EC2 as with Event history, and the theft is as certain.
    Without an account, the archive is still judged."""
    theft, err = theft_over(capsys, [*history(demo)[1:], "--source", str(demo_archive)])
    assert theft["severity"] == "critical", err
    assert demo.facts.attacker_ip in theft["summary"]
    assert "not one of the instance's addresses" in theft["summary"]
    # A folder of logs alone: the theft is still found, from the addresses the events
    # show (no account is asked).
    theft, err = theft_over(capsys, ["--source", str(demo_archive)])
    assert theft["severity"] == "high"
    assert demo.facts.attacker_ip in theft["summary"]
    assert "addresses not read" not in err


def test_archive_with_an_account_that_cannot_be_read_still_finds(demo_archive, capsys):
    theft, err = theft_over(capsys, ["--source", str(demo_archive), "--profile", "nosuch"])
    assert theft["severity"] == "high"
    assert "instances' addresses not read" in err


@pytest.fixture
def regions_refused(demo, monkeypatch) -> list[str]:
    """DescribeRegions refused for good (a read-only responder role without
    ec2:DescribeRegions), the proxy's region the home one; each refusal counted."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", demo.facts.proxy_region)
    return refuse_describe_regions(monkeypatch)


def test_event_history_goes_on_when_the_regions_cannot_be_listed(
    demo, regions_refused, capsys
):
    """No --regions, and DescribeRegions refused: asked once, the command says so and
    reads the home region, EC2 and Event history both, where the theft is found, with
    the instance's own addresses. It used to end without a finding."""
    theft, err = theft_over(capsys, ["--endpoint-url", demo.endpoint_url, "--since", "2h"],
                            PARTLY_ANSWERED)  # the home region alone
    assert regions_refused == ["DescribeRegions"]
    assert (f"regions not listed (denied: You are not authorized to perform this "
            f"operation.): reading {demo.facts.proxy_region} only; --regions names "
            "others") in err
    assert theft["severity"] == "critical"  # the proxy's addresses were read
    assert demo.facts.attacker_ip in theft["summary"]


def test_a_region_whose_instances_cannot_be_read_says_what_it_costs(
    demo, demo_archive, capsys
):
    """EC2 denied in the proxy's region, the events from an archive: the line says it is
    the instances' addresses that were not read, and what that weakens. Said as an
    Event history failure is ("eu-west-1: denied"), it read as the region's events
    missing."""
    facts = demo.facts
    with demo.denying(facts.proxy_region):
        theft, err = theft_over(capsys, [*history(demo)[1:], "--source", str(demo_archive)])
    assert theft["severity"] == "high"
    line = next(line for line in err.splitlines() if facts.proxy_region in line)
    assert line.startswith(f"awsir-tui: {facts.proxy_region}: instances' addresses not "
                           "read (denied: ")
    assert line.endswith("instance-credential findings there are judged without them")


def test_demo_trail_bucket_is_read_from_the_one_demo_account_started(
    demo, tmp_path, monkeypatch, capsys
):
    """``--demo --source s3://…``: the instances' addresses and the bucket come from the
    same demo account, started once (a second one took its own seconds to seed, and
    its times differ from the first's)."""
    started = []
    enter = DemoServer.__enter__

    def counted(self: DemoServer) -> DemoServer:
        started.append(self)
        return enter(self)

    monkeypatch.setattr(DemoServer, "__enter__", counted)
    theft, err = theft_over(capsys, [
        "--demo", "--source", f"s3://{demo.facts.trail_bucket}",
        "--s3-cache", str(tmp_path / "cache")])
    assert len(started) == 1
    assert theft["severity"] == "critical", err


def test_bad_filter_points_at_the_term(demo, capsys):
    code, out, err = run(capsys, history(demo, "--filter", "nosuchfield:x"))
    assert code == 2 and out == ""
    assert "bad filter" in err and "^" in err


@pytest.mark.parametrize(
    ("technique", "rule_id"),
    [
        ("defense-evasion.cloudtrail-stop", "awsir_cloudtrail_logging_tampered"),
        ("exfiltration.ec2-security-group-open-port-22-ingress",
         "awsir_ec2_ingress_open_to_internet"),
    ],
)
def test_archive_technique_raises_its_finding(stratus_archive, capsys, technique, rule_id):
    code, out, err = run(capsys, ["findings", "--source", str(stratus_archive),
                                  "--format", "jsonl"])
    assert code == 0, err
    findings = [json.loads(line) for line in out.splitlines()]
    expected = {r["eventID"] for r in technique_records(technique)}
    assert any(f["rule_id"] == rule_id and set(f["event_ids"]) & expected for f in findings)
    assert "loaded" in err and "files" in err


def test_sigmahq_rules_dir_is_loaded_and_counted(stratus_archive, capsys):
    code, out, err = run(capsys, ["findings", "--source", str(stratus_archive),
                                  "--rules", str(SIGMAHQ_CLOUDTRAIL), "--format", "json"])
    assert code == 0, err
    assert f"89 rules run (32 built-in, 57 from {SIGMAHQ_CLOUDTRAIL})" in err
    assert "could not run" not in err
    stop = {r["eventID"] for r in technique_records("defense-evasion.cloudtrail-stop")}
    sigmahq = [f for f in json.loads(out) if f["rule_id"] == "aws_cloudtrail_disable_logging"]
    assert any(stop & set(f["event_ids"]) for f in sigmahq)


def test_rules_that_cannot_run_are_named_with_reasons(stratus_archive, tmp_path, capsys):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "broken.yml").write_text("title: [unclosed\n")
    (rules / "windows.yml").write_text(
        "title: Not CloudTrail\nlogsource:\n  product: windows\n"
        "detection:\n  sel:\n    EventID: 1\n  condition: sel\n"
    )
    code, out, err = run(capsys, ["findings", "--source", str(stratus_archive),
                                  "--rules", str(rules), "--format", "csv"])
    assert code == 0, err
    assert "32 rules run (32 built-in, 0 from" in err and "2 rules could not run:" in err
    assert f"{rules / 'broken.yml'}: not a readable Sigma file" in err
    assert f"{rules / 'windows.yml'}" in err and "not product=aws service=cloudtrail" in err
    assert out.startswith("severity,title,technique,events,first,last,summary")


def test_missing_source_fails_with_its_reason(tmp_path, capsys):
    code, _out, err = run(capsys, ["findings", "--source", str(tmp_path / "nope")])
    assert code == 1
    assert "no such file or folder" in err and "0 findings over 0 events" in err


def test_instance_addresses_only_for_instances_with_their_own_public_address():
    instances = [
        {"InstanceId": "i-public", "PublicIpAddress": "54.1.2.3", "PrivateIpAddress": "10.0.0.5",
         "NetworkInterfaces": [{"Ipv6Addresses": [{"Ipv6Address": "2600:1f18::5"}],
                                "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.0.6",
                                                        "Association": {"PublicIp": "3.3.3.3"}}]}]},
        {"InstanceId": "i-behind-nat", "PrivateIpAddress": "10.0.1.9"},
        # IPv4 through a NAT gateway, and IPv6: AWS's endpoints are IPv4, so its calls
        # come from the gateway (named, every one read as theft).
        {"InstanceId": "i-nat-and-ipv6", "PrivateIpAddress": "10.0.1.5",
         "NetworkInterfaces": [{"Ipv6Addresses": [{"Ipv6Address": "2600:1f14::5"}]}]},
        {"PublicIpAddress": "1.1.1.1"},
        {"InstanceId": "i-restarted", "PublicIpAddress": "54.9.9.9",
         "LaunchTime": datetime(2026, 11, 20, 10, 0, tzinfo=UTC)},
    ]
    lasting = frozenset(["2600:1f18::5", "10.0.0.5", "10.0.0.6"])
    assert instance_addresses(instances) == {
        "i-public": OwnAddresses(lasting | {"54.1.2.3", "3.3.3.3"}, None, lasting),
        # Its public address is its own since it last started, not before.
        "i-restarted": OwnAddresses(frozenset(["54.9.9.9"]),
                                    datetime(2026, 11, 20, 10, 0, tzinfo=UTC)),
    }


def test_archive_is_judged_when_the_account_has_no_credentials(
    demo, demo_archive, monkeypatch, capsys
):
    """The account named beside an archive cannot be read for want of credentials: the
    archive's events are still judged, without the instances' addresses, and the line
    says it is those that were not read."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    theft, err = theft_over(capsys, ["--endpoint-url", demo.endpoint_url,
                                     "--source", str(demo_archive)])
    assert theft["severity"] == "high"
    assert ("awsir-tui: instances' addresses not read: no credentials: Unable to locate "
            "credentials") in err.splitlines()


def test_archive_says_only_the_addresses_come_from_one_region(
    demo, demo_archive, regions_refused, capsys
):
    """Beside an archive, the regions not listed cost only the instances' addresses
    (the events are the archive's): the line says so, and does not advise --regions,
    which would narrow the archive's records too. It read as if one region's events
    had been judged."""
    theft, err = theft_over(capsys, ["--endpoint-url", demo.endpoint_url,
                                     "--source", str(demo_archive)])
    assert regions_refused == ["DescribeRegions"]
    assert (f"awsir-tui: regions not listed (denied: You are not authorized to perform "
            f"this operation.): instances' addresses read from {demo.facts.proxy_region} "
            "only") in err.splitlines()
    assert "--regions" not in err
    assert theft["severity"] == "critical"  # the proxy's addresses were read


def test_an_export_of_the_home_region_alone_is_partial_when_regions_were_not_listed(
    demo, regions_refused, capsys, tmp_path
):
    """Every region asked, DescribeRegions refused: the export of the home region's
    events was COMPLETE, its coverage saying 'regions asked: <home>', when the
    responder asked for every region."""
    from awsir_tui.events.coverage import sidecar_path

    out = tmp_path / "events.jsonl"
    code, _, err = run(capsys, ["events", "--endpoint-url", demo.endpoint_url,
                                "--filter", "since:2h", "--output", str(out)])
    assert code == PARTLY_ANSWERED, err  # written, but of the home region alone
    home = demo.facts.proxy_region
    assert f"(PARTIAL: regions not listed (denied): {home} only" in err, err
    assert f"coverage: PARTIAL: regions not listed (denied): {home} only" in \
        sidecar_path(out).read_text()


def test_the_table_writes_counts_as_the_app_does(tmp_path: Path, capsys):
    """A finding over 1,200 events read ``1200`` in the table (and ``1200 high`` in the
    summary) where the app writes ``1,200``; JSON keeps the number."""
    [record] = [r for r in technique_records("defense-evasion.cloudtrail-stop")
                if r["eventName"] == "StopLogging"][:1]
    copies = [dict(record, eventID=f"00000000-0000-0000-0000-{n:012d}") for n in range(1200)]
    (tmp_path / "log.json").write_text(json.dumps({"Records": copies}))
    code, out, err = run(capsys, ["findings", "--source", str(tmp_path), "--format", "table"])
    assert code == 0, err
    assert " 1,200" in out and " 1200" not in out, out
    code, out, err = run(capsys, ["findings", "--source", str(tmp_path), "--format", "json"])
    [stopped] = [f for f in json.loads(out) if len(f["event_ids"]) == 1200]
    assert stopped
