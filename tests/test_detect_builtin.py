"""The built-in Sigma rules and correlations against real Stratus Red Team detonations."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from awsir_tui.detect import Detector, load_builtin_rules, load_rules, severity_rank
from awsir_tui.events.record import from_record
from tests.helpers_detect import (
    SIGMAHQ_CLOUDTRAIL,
    all_technique_names,
    technique_events,
    technique_records,
)
from tests.test_detect_stratus_coverage import STRATUS_COVERAGE

# Which labelled technique file must raise which built-in finding (rule ID).
TECHNIQUE_TO_RULE = [
    ("defense-evasion.cloudtrail-stop", "awsir_cloudtrail_logging_tampered"),
    ("defense-evasion.cloudtrail-delete", "awsir_cloudtrail_logging_tampered"),
    ("defense-evasion.cloudtrail-event-selectors", "awsir_cloudtrail_logging_tampered"),
    ("defense-evasion.vpc-remove-flow-logs", "awsir_vpc_flow_logs_deleted"),
    ("initial-access.console-login-without-mfa", "awsir_console_login_without_mfa"),
    ("credential-access.ec2-get-password-data", "awsir_ec2_get_password_data"),
    ("credential-access.ec2-get-password-data", "awsir_denied_call_burst"),
    ("discovery.ec2-download-user-data", "awsir_denied_call_burst"),
    ("persistence.iam-create-admin-user", "awsir_iam_user_created"),
    ("persistence.iam-create-admin-user", "awsir_iam_access_key_created"),
    ("persistence.iam-create-admin-user", "awsir_iam_admin_policy_attached"),
    ("persistence.iam-create-backdoor-role", "awsir_iam_admin_policy_attached"),
    ("persistence.iam-backdoor-user", "awsir_iam_access_key_created"),
    ("exfiltration.ec2-security-group-open-port-22-ingress", "awsir_ec2_ingress_open_to_internet"),
    (
        "credential-access.ec2-steal-instance-credentials",
        "awsir_instance_credentials_used_elsewhere",
    ),
    ("credential-access.ec2-steal-instance-credentials", "awsir_first_seen_get_caller_identity"),
    ("exfiltration.ec2-share-ebs-snapshot", "awsir_ec2_snapshot_or_image_shared"),
    ("exfiltration.ec2-share-ami", "awsir_ec2_snapshot_or_image_shared"),
    ("persistence.iam-create-user-login-profile", "awsir_iam_login_profile_changed"),
    ("privilege-escalation.iam-update-user-login-profile", "awsir_iam_login_profile_changed"),
]


def test_builtin_rules_all_load_with_severity_and_technique():
    rules, problems = load_builtin_rules()
    assert problems == []
    assert len(rules) == 32
    for rule in rules:
        assert rule.builtin
        assert rule.severity in ("low", "medium", "high", "critical"), rule.rule_id
        assert rule.technique.startswith("T1"), rule.rule_id


@pytest.mark.parametrize(("technique", "rule_id"), TECHNIQUE_TO_RULE)
def test_technique_file_raises_its_finding(technique, rule_id):
    events = technique_events(technique)
    findings = Detector().run(events)
    fired = {f.rule_id for f in findings}
    assert rule_id in fired, f"{technique}: fired {sorted(fired)}"
    ids = {e.event_id for e in events}
    for finding in findings:
        assert finding.event_ids and set(finding.event_ids) <= ids
        assert finding.technique.startswith("T1")


def test_every_labelled_rule_is_in_the_table():
    """Each built-in rule either appears in the table or is named here as lacking a file."""
    without_stratus_file = {
        "awsir_ec2_key_pair_created",
        "awsir_ec2_security_group_created",
        "awsir_console_login_failed",
        "awsir_log_group_deleted",
        "awsir_instance_role_write_call",  # no Stratus file has an instance role write
    }
    covered = {rule for _, rule in TECHNIQUE_TO_RULE + STRATUS_COVERAGE}
    builtin = {r.rule_id for r in load_builtin_rules()[0]}
    assert builtin - covered == without_stratus_file


def test_ingress_summary_names_port_and_group():
    [finding] = [
        f
        for f in Detector().run(
            technique_events("exfiltration.ec2-security-group-open-port-22-ingress")
        )
        if f.rule_id == "awsir_ec2_ingress_open_to_internet"
    ]
    assert "port 22/tcp" in finding.summary
    assert "sg-003dc7f1f1c686164" in finding.summary
    assert finding.severity == "high"


def test_ingress_in_ip_permissions_form_and_ipv6():
    """The other request shape (ipPermissions.items...), built from the real record."""
    record = technique_records("exfiltration.ec2-security-group-open-port-22-ingress")[0]
    record["requestParameters"] = {
        "groupId": "sg-003dc7f1f1c686164",
        "ipPermissions": {
            "items": [
                {
                    "ipProtocol": "tcp",
                    "fromPort": 3389,
                    "toPort": 3389,
                    "ipRanges": {"items": [{"cidrIp": "10.0.0.0/8"}]},
                    "ipv6Ranges": {"items": [{"cidrIpv6": "::/0"}]},
                },
                {
                    "ipProtocol": "tcp",
                    "fromPort": 443,
                    "toPort": 443,
                    "ipRanges": {"items": [{"cidrIp": "10.0.0.0/8"}]},
                },
            ]
        },
    }
    findings = Detector().run([from_record(record)])
    [finding] = [f for f in findings if f.rule_id == "awsir_ec2_ingress_open_to_internet"]
    assert "port 3389/tcp to ::/0" in finding.summary
    assert "443" not in finding.summary
    record["requestParameters"]["ipPermissions"]["items"][0]["ipv6Ranges"] = {}
    assert not [
        f
        for f in Detector().run([from_record(record)])
        if f.rule_id == "awsir_ec2_ingress_open_to_internet"
    ]


def test_instance_role_write_call_fires_on_a_write_not_on_reads():
    """Stratus's stolen instance session only reads; turn its real DescribeInstances
    record into the RunInstances an attacker would make with it."""
    records = technique_records("credential-access.ec2-steal-instance-credentials")
    read = next(r for r in records if r["eventName"] == "DescribeInstances")
    assert "awsir_instance_role_write_call" not in {
        f.rule_id for f in Detector().run([from_record(read)])
    }
    write = json.loads(json.dumps(read))
    write.update(eventName="RunInstances", readOnly=False, eventID="derived-runinstances")
    findings = Detector().run([from_record(read), from_record(write)])
    [finding] = [f for f in findings if f.rule_id == "awsir_instance_role_write_call"]
    assert finding.event_ids == ("derived-runinstances",)
    assert "i-786a3A8B5C0d92eF4" in finding.summary
    agent = dict(write, eventName="UpdateInstanceInformation", eventID="derived-agent")
    assert "awsir_instance_role_write_call" not in {
        f.rule_id for f in Detector().run([from_record(agent)])
    }


def test_a_stolen_session_s_write_calls_are_one_finding_naming_each_call():
    """Seven rows for one session's launches, group and key read as seven incidents:
    one finding per caller and address, its calls named, counted, failures said."""
    records = technique_records("credential-access.ec2-steal-instance-credentials")
    read = next(r for r in records if r["eventName"] == "DescribeInstances")
    writes = [
        dict(json.loads(json.dumps(read)), eventName=name, readOnly=False, eventID=f"w{n}",
             **({"errorCode": "VcpuLimitExceeded"} if n == 0 else {}))
        for n, name in enumerate(["RunInstances", "RunInstances", "CreateSecurityGroup"])
    ]
    findings = Detector().run([from_record(r) for r in writes])
    [finding] = [f for f in findings if f.rule_id == "awsir_instance_role_write_call"]
    assert finding.event_ids == ("w0", "w1", "w2")
    assert finding.summary.startswith("RunInstances x2 (1 failed), CreateSecurityGroup by ")
    assert "i-786a3A8B5C0d92eF4" in finding.summary


def test_identical_hits_merge_into_one_finding_with_count():
    findings = Detector().run(technique_events("credential-access.ec2-get-password-data"))
    [finding] = [f for f in findings if f.rule_id == "awsir_ec2_get_password_data"]
    assert len(finding.event_ids) == 30
    assert "(x30)" in finding.summary
    assert "Client.UnauthorizedOperation" in finding.summary


def test_findings_by_event_feeds_the_marker_column():
    events = technique_events("credential-access.ec2-get-password-data")
    detector = Detector()
    detector.run(events)
    by_event = detector.findings_by_event()
    denied = [e for e in events if e.event_name == "GetPasswordData"]
    assert all(
        {f.rule_id for f in by_event[e.event_id]}
        == {"awsir_ec2_get_password_data", "awsir_denied_call_burst"}
        for e in denied
    )
    assert not any(e.event_id in by_event for e in events if e.event_name == "AssumeRole")


def test_duplicate_events_count_once():
    events = technique_events("defense-evasion.cloudtrail-stop")
    [finding] = Detector().run(events + events)
    assert len(finding.event_ids) == 1


def test_benign_calls_raise_no_high_severity_finding(capsys):
    """False positives: every successful read-only call in the files (the background of
    each detonation: Describe*, Get*, List*, AssumeRole...) through all detections. The
    stolen-credentials file is left out: its read-only calls ARE the attack; so are the
    secret reads of the credential-access files (their ListSecrets and
    DescribeParameters stay in, as discovery noise)."""
    secret_reads = {"GetSecretValue", "BatchGetSecretValue", "GetParameters"}
    benign = [
        e
        for name in all_technique_names()
        if name != "credential-access.ec2-steal-instance-credentials"
        for e in technique_events(name)
        if e.read_only is True and not e.error_code and e.event_name not in secret_reads
    ]
    findings = Detector().run(benign)
    counts = Counter(f.severity for f in findings)
    print(f"benign events: {len(benign)}; findings by severity: {dict(counts)}")
    assert len(benign) == 138  # 168 before the 30 secret reads were recognised as attack
    assert not [f for f in findings if severity_rank(f.severity) >= severity_rank("high")]
    assert {f.rule_id for f in findings} <= {"awsir_first_seen_get_caller_identity"}


def test_a_denied_attempt_says_so_first_and_ranks_a_level_lower():
    """Stratus's LeaveOrganization was refused (AccessDenied): the account never left,
    and the title a responder reads first must not say it did."""
    events = technique_events("defense-evasion.organizations-leave")
    [leave] = [f for f in Detector().run(events) if f.rule_id == "awsir_organizations_leave"]
    assert leave.title == (
        "Denied attempt: Account left or was removed from its AWS Organization")
    assert leave.severity == "medium"  # the rule is high: done ranks above tried
    assert ", failed (AccessDenied). " in leave.detail
    # The same call that worked is what the rule says, at the rule's level.
    [record] = [r for r in technique_records("defense-evasion.organizations-leave")
                if r["eventName"] == "LeaveOrganization"]
    done = {k: v for k, v in record.items() if k not in ("errorCode", "errorMessage")}
    [left] = [f for f in Detector().run([from_record(done)])
              if f.rule_id == "awsir_organizations_leave"]
    assert (left.title, left.severity) == (
        "Account left or was removed from its AWS Organization", "high")
    assert "failed" not in left.detail


def test_a_leave_signed_with_a_revoked_key_is_a_denied_attempt():
    """LeaveOrganization refused for its credentials (the key was deleted): the account
    never left either, so it reads and ranks as the AccessDenied one does."""
    [record] = [r for r in technique_records("defense-evasion.organizations-leave")
                if r["eventName"] == "LeaveOrganization"]
    revoked = dict(record, errorCode="InvalidClientTokenId",
                   errorMessage="The security token included in the request is invalid.")
    [leave] = [f for f in Detector().run([from_record(revoked)])
               if f.rule_id == "awsir_organizations_leave"]
    assert (leave.title, leave.severity) == (
        "Denied attempt: Account left or was removed from its AWS Organization", "medium")
    assert ", failed (InvalidClientTokenId). " in leave.detail


def test_thirty_refused_password_reads_are_a_denied_attempt():
    events = technique_events("credential-access.ec2-get-password-data")
    [reads] = [f for f in Detector().run(events) if f.rule_id == "awsir_ec2_get_password_data"]
    assert reads.title.startswith("Denied attempt: Windows instance password retrieved")
    assert reads.severity == "low"
    assert reads.detail.startswith("30 events in ")
    assert ", all failed (Client.UnauthorizedOperation). " in reads.detail


def test_a_session_s_write_calls_that_all_failed_are_a_failed_attempt():
    """Failed for a quota, not refused: an attempt still, said as failed, at the rule's
    level; one call that worked among them and the title says what was done, the
    failures counted."""
    records = technique_records("credential-access.ec2-steal-instance-credentials")
    read = next(r for r in records if r["eventName"] == "DescribeInstances")
    launches = [
        dict(json.loads(json.dumps(read)), eventName="RunInstances", readOnly=False,
             eventID=f"w{n}", errorCode="VcpuLimitExceeded")
        for n in range(3)
    ]
    [tried] = [f for f in Detector().run([from_record(r) for r in launches])
               if f.rule_id == "awsir_instance_role_write_call"]
    assert tried.title == "Failed attempt: Write call by an EC2 instance role session"
    assert tried.severity == "high"
    assert tried.summary.startswith("RunInstances x3 (3 failed) by ")
    worked = dict(launches[0], eventID="w3")
    del worked["errorCode"]
    [mixed] = [f for f in Detector().run([from_record(r) for r in [*launches, worked]])
               if f.rule_id == "awsir_instance_role_write_call"]
    assert (mixed.title, mixed.severity) == ("Write call by an EC2 instance role session", "high")
    assert mixed.summary.startswith("RunInstances x4 (3 failed) by ")
    assert "3 failed (VcpuLimitExceeded)" in mixed.detail


@pytest.mark.parametrize(
    ("codes", "title", "severity"),
    [
        (["VcpuLimitExceeded"], "Failed attempt: ", "high"),
        (["InstanceLimitExceeded", "Client.DryRunOperation"], "Failed attempt: ", "high"),
        (["AccessDenied", "VcpuLimitExceeded"], "Failed attempt: ", "high"),
        (["Client.UnauthorizedOperation", "AccessDenied"], "Denied attempt: ", "medium"),
        # Credentials AWS would not take (a revoked key, a session that ran out): refused.
        (["InvalidClientTokenId"], "Denied attempt: ", "medium"),
        (["ExpiredToken", "Client.AuthFailure", "AccessDenied"], "Denied attempt: ", "medium"),
        (["SignatureDoesNotMatch", "VcpuLimitExceeded"], "Failed attempt: ", "high"),
        # The account's, not the caller's: a region not enabled, S3 access all disabled.
        (["OptInRequired"], "Failed attempt: ", "high"),
        (["AllAccessDisabled"], "Failed attempt: ", "high"),
    ],
)
def test_only_refused_calls_rank_a_level_lower(codes, title, severity):
    """A quota or a dry run fails after the permission check passed: the stolen key can
    do it, so the rule's level stands; only calls all refused (for want of permission or
    with credentials AWS rejected) rank lower."""
    records = technique_records("credential-access.ec2-steal-instance-credentials")
    read = next(r for r in records if r["eventName"] == "DescribeInstances")
    launches = [
        dict(json.loads(json.dumps(read)), eventName="RunInstances", readOnly=False,
             eventID=f"w{n}", errorCode=code)
        for n, code in enumerate(codes)
    ]
    [tried] = [f for f in Detector().run([from_record(r) for r in launches])
               if f.rule_id == "awsir_instance_role_write_call"]
    assert tried.title.startswith(title)
    assert tried.severity == severity


def test_a_rule_that_judges_the_outcome_itself_keeps_its_title_and_level(tmp_path):
    """A rule written for the refusal (it names errorCode) already says it in its title
    and level: no "attempt" prefix, no lower level. SigmaHQ's success-only rules are
    of that kind too."""
    (tmp_path / "refused_leave.yml").write_text(
        "title: LeaveOrganization refused\nlogsource:\n  product: aws\n  service: cloudtrail\n"
        "detection:\n  sel:\n    eventName: LeaveOrganization\n    errorCode: AccessDenied\n"
        "  condition: sel\nlevel: high\n")
    events = technique_events("defense-evasion.organizations-leave")
    findings = Detector.with_rules_dir(tmp_path).run(events)
    [refused] = [f for f in findings if f.rule_id == "refused_leave"]
    assert (refused.title, refused.severity) == ("LeaveOrganization refused", "high")
    [builtin] = [f for f in findings if f.rule_id == "awsir_organizations_leave"]
    assert builtin.title.startswith("Denied attempt: ")
    sigmahq = {rule.rule_id: rule for rule in load_rules(SIGMAHQ_CLOUDTRAIL)[0]}
    assert sigmahq["aws_cloudtrail_vpc_flow_logs_deleted"].judges_outcome
    assert not sigmahq["aws_cloudtrail_disable_logging"].judges_outcome
