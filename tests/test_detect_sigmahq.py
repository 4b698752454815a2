"""SigmaHQ's own CloudTrail rules, unchanged, run against the real Stratus Red Team files."""

from __future__ import annotations

from collections import Counter

import pytest

from awsir_tui.detect import Detector, load_rules
from tests.helpers_detect import SIGMAHQ_CLOUDTRAIL, all_technique_names, technique_events

# SigmaHQ rule (file stem) -> technique files it must fire on.
SIGMAHQ_FIRES_ON = [
    ("aws_cloudtrail_disable_logging", "defense-evasion.cloudtrail-stop"),
    ("aws_cloudtrail_disable_logging", "defense-evasion.cloudtrail-delete"),
    ("aws_cloudtrail_vpc_flow_logs_deleted", "defense-evasion.vpc-remove-flow-logs"),
    (
        "aws_cloudtrail_console_login_success_without_mfa",
        "initial-access.console-login-without-mfa",
    ),
    (
        "aws_cloudtrail_security_group_change_ingress_egress",
        "exfiltration.ec2-security-group-open-port-22-ingress",
    ),
    ("aws_snapshot_backup_exfiltration", "exfiltration.ec2-share-ebs-snapshot"),
    ("aws_iam_backdoor_users_keys", "persistence.iam-backdoor-user"),
    ("aws_iam_backdoor_users_keys", "persistence.iam-create-admin-user"),
    ("aws_update_login_profile", "privilege-escalation.iam-update-user-login-profile"),
    ("aws_cloudtrail_ssm_malicious_usage", "execution.ssm-send-command"),
    ("aws_new_lambda_layer_attached", "persistence.lambda-layer-extension"),
    ("aws_sts_assumerole_misuse", "credential-access.ec2-steal-instance-credentials"),
]


@pytest.fixture(scope="module")
def sigmahq():
    return load_rules(SIGMAHQ_CLOUDTRAIL)


def test_all_sigmahq_cloudtrail_rules_load(sigmahq, capsys):
    rules, problems = sigmahq
    files = sorted(SIGMAHQ_CLOUDTRAIL.glob("*.yml"))
    print(f"SigmaHQ CloudTrail rules: {len(files)} files, {len(rules)} runnable")
    for path, reason in problems:
        print(f"  cannot run {path}: {reason}")
    assert len(files) == 57
    assert problems == []
    assert len(rules) == 57
    assert all(r.severity in ("low", "medium", "high", "critical") for r in rules)


def test_every_sigmahq_rule_runs_over_every_event(sigmahq, capsys):
    """All 57 rules over all 310 events: none raises, and the ones that fire are counted."""
    rules, _ = sigmahq
    detector = Detector(rules, correlations=[])
    events = [e for name in all_technique_names() for e in technique_events(name)]
    findings = detector.run(events)
    fired = Counter(f.rule_id for f in findings for _ in f.event_ids)
    print(f"{len(events)} events; {len(fired)} of {len(rules)} SigmaHQ rules fired: {dict(fired)}")
    assert len(events) == 310
    assert len(fired) >= 10


@pytest.mark.parametrize(("rule_id", "technique"), SIGMAHQ_FIRES_ON)
def test_sigmahq_rule_fires_on_its_technique(sigmahq, rule_id, technique):
    rules, _ = sigmahq
    fired = {f.rule_id for f in Detector(rules, correlations=[]).run(technique_events(technique))}
    assert rule_id in fired


def test_sigmahq_filters_suppress_as_written(sigmahq):
    """Rules fire only where they should: one rule on the stop-logging file, and the
    SendCommand rule (errorCode null or Success) not on a file without SendCommand."""
    rules, _ = sigmahq
    detector = Detector(rules, correlations=[])
    fired = {f.rule_id for f in detector.run(technique_events("defense-evasion.cloudtrail-stop"))}
    assert fired == {"aws_cloudtrail_disable_logging"}
    fired = {
        f.rule_id for f in detector.run(technique_events("defense-evasion.organizations-leave"))
    }
    assert "aws_cloudtrail_ssm_malicious_usage" not in fired
