"""Detections on the demo account's CloudTrail: the incident is found, the background
of a working company is quiet."""

from __future__ import annotations

from collections import Counter

import pytest

from awsir_tui.detect import Detector, severity_rank
from awsir_tui.detect.addresses import OwnAddresses
from awsir_tui.events.record import from_record


@pytest.fixture(scope="module")
def demo_events(demo):
    return [from_record(r) for r in demo.records]


def test_the_incident_is_found(demo_events, demo_facts):
    facts = demo_facts
    findings = Detector().run(demo_events)
    by_rule: dict[str, list] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule_id, []).append(finding)

    [key_pair] = by_rule["awsir_ec2_key_pair_created"]
    assert facts.attacker_key_name in key_pair.summary
    [group] = by_rule["awsir_ec2_security_group_created"]
    assert facts.attacker_group_name in group.summary
    [ingress] = by_rule["awsir_ec2_ingress_open_to_internet"]
    assert f"port 22/tcp to 0.0.0.0/0 on {facts.attacker_group_id}" in ingress.summary
    # One behaviour, one row: every write call of the stolen session, named and counted.
    [writes] = by_rule["awsir_instance_role_write_call"]
    assert writes.summary.startswith("RunInstances x")
    assert "failed" in writes.summary and "ImportKeyPair" in writes.summary
    assert writes.summary.endswith(f"by {facts.proxy_instance_id} from {facts.attacker_ip}")
    [theft] = by_rule["awsir_instance_credentials_used_elsewhere"]
    assert facts.attacker_access_key_id in theft.summary
    assert facts.attacker_ip in theft.summary and theft.severity == "high"

    # Every call the attacker made is in some finding of medium severity or more.
    flagged = {e for f in findings if severity_rank(f.severity) >= 2 for e in f.event_ids}
    assert set(facts.attack_event_ids) <= flagged


def test_known_proxy_address_makes_the_theft_critical(demo_events, demo_facts):
    detector = Detector(known_ips={
        demo_facts.proxy_instance_id: OwnAddresses(frozenset([demo_facts.proxy_public_ip]))})
    [theft] = [
        f
        for f in detector.run(demo_events)
        if f.rule_id == "awsir_instance_credentials_used_elsewhere"
    ]
    assert theft.severity == "critical"
    assert set(theft.event_ids) <= set(demo_facts.attack_event_ids)


def test_background_raises_no_high_severity_finding(demo_events, demo_facts, capsys):
    attack = set(demo_facts.attack_event_ids)
    background = [e for e in demo_events if e.event_id not in attack]
    findings = Detector().run(background)
    counts = Counter(f.severity for f in findings)
    print(f"demo background: {len(background)} events; findings by severity: {dict(counts)}")
    assert len(background) > 1000
    assert [f for f in findings if severity_rank(f.severity) >= severity_rank("high")] == []
    assert counts["medium"] == 0
