"""The built-in rules written for the Stratus Red Team techniques the first set missed
(issue #6): each fires on its technique's real records, on nothing else it should not,
and never on the demo company's benign week."""

from __future__ import annotations

import copy
import json
import uuid
from importlib import resources

import pytest
import yaml

from awsir_tui.detect import Detector, load_builtin_rules
from awsir_tui.events.record import from_record
from tests.helpers_detect import (
    SIGMAHQ_CLOUDTRAIL,
    all_technique_names,
    technique_events,
    technique_records,
)

# Technique file -> the rule written for it.
STRATUS_COVERAGE = [
    ("credential-access.secretsmanager-batch-retrieve-secrets",
     "awsir_secretsmanager_batch_secret_values_read"),
    ("credential-access.secretsmanager-retrieve-secrets", "awsir_secret_read_with_user_key"),
    ("credential-access.ssm-retrieve-securestring-parameters", "awsir_secret_read_with_user_key"),
    ("defense-evasion.dns-delete-logs", "awsir_route53_resolver_query_logging_removed"),
    ("defense-evasion.organizations-leave", "awsir_organizations_leave"),
    ("execution.ec2-launch-unusual-instances", "awsir_ec2_gpu_instances_requested"),
    ("execution.ec2-user-data", "awsir_ec2_user_data_modified"),
    ("execution.ssm-send-command", "awsir_ssm_shell_command_sent"),
    ("execution.ssm-start-session", "awsir_ec2_instance_shell_opened"),
    ("exfiltration.rds-share-snapshot", "awsir_rds_snapshot_shared"),
    ("impact.bedrock-invoke-model", "awsir_bedrock_model_access_enabled"),
    ("lateral-movement.ec2-instance-connect", "awsir_ec2_instance_shell_opened"),
    ("lateral-movement.ec2-serial-console-send-ssh-public-key", "awsir_ec2_serial_console_access"),
    ("persistence.iam-backdoor-role", "awsir_iam_role_trust_policy_changed"),
    ("persistence.lambda-backdoor-function", "awsir_lambda_public_access_granted"),
    ("persistence.lambda-layer-extension", "awsir_lambda_layer_attached"),
    ("persistence.lambda-overwrite-code", "awsir_lambda_function_code_replaced"),
    ("persistence.rolesanywhere-create-trust-anchor", "awsir_iam_roles_anywhere_trust_anchor"),
    ("persistence.sts-federation-token", "awsir_sts_federation_token"),
]
NEW_RULES = frozenset(rule for _, rule in STRATUS_COVERAGE)

# New rules firing on another technique's file, each judged.
CROSS_TECHNIQUE_HITS = {
    # Stratus reads the instance's credentials by running a shell script on it through
    # SSM Run Command (curl to IMDS): the same attack step, rightly flagged.
    ("credential-access.ec2-steal-instance-credentials", "awsir_ssm_shell_command_sent"),
}

# The event each rule must flag in its technique's file (the rest is background:
# AssumeRole, Describe*, List*, the StopInstances/StartInstances around the change...).
FLAGGED_EVENTS = {
    "awsir_secret_read_with_user_key": {"GetSecretValue", "GetParameters"},
    "awsir_secretsmanager_batch_secret_values_read": {"BatchGetSecretValue"},
    "awsir_route53_resolver_query_logging_removed": {"DeleteResolverQueryLogConfig"},
    "awsir_organizations_leave": {"LeaveOrganization"},
    "awsir_ec2_gpu_instances_requested": {"RunInstances"},
    "awsir_ec2_user_data_modified": {"ModifyInstanceAttribute"},
    "awsir_ssm_shell_command_sent": {"SendCommand"},
    "awsir_ec2_instance_shell_opened": {"StartSession", "SendSSHPublicKey"},
    "awsir_rds_snapshot_shared": {"ModifyDBSnapshotAttribute"},
    "awsir_bedrock_model_access_enabled": {
        "PutUseCaseForModelAccess", "CreateFoundationModelAgreement",
        "PutFoundationModelEntitlement",
    },
    "awsir_ec2_serial_console_access": {
        "EnableSerialConsoleAccess", "SendSerialConsoleSSHPublicKey",
    },
    "awsir_iam_role_trust_policy_changed": {"UpdateAssumeRolePolicy"},
    "awsir_lambda_public_access_granted": {"AddPermission20150331v2"},
    "awsir_lambda_layer_attached": {"UpdateFunctionConfiguration20150331v2"},
    "awsir_lambda_function_code_replaced": {"UpdateFunctionCode20150331v2"},
    "awsir_iam_roles_anywhere_trust_anchor": {"CreateTrustAnchor"},
    "awsir_sts_federation_token": {"GetFederationToken"},
}


def fired(records: list[dict]) -> dict[str, list]:
    """Rule ID -> its findings over these raw records."""
    out: dict[str, list] = {}
    for finding in Detector().run([from_record(r) for r in records]):
        out.setdefault(finding.rule_id, []).append(finding)
    return out


def one(technique: str, event_name: str) -> dict:
    """A deep copy of the technique's first real record with this event name."""
    record = next(r for r in technique_records(technique) if r["eventName"] == event_name)
    return copy.deepcopy(record)


@pytest.mark.parametrize(("technique", "rule_id"), STRATUS_COVERAGE)
def test_technique_raises_its_rule_on_the_attack_events(technique, rule_id):
    events = technique_events(technique)
    findings = [f for f in Detector().run(events) if f.rule_id == rule_id]
    assert findings, f"{technique}: {rule_id} did not fire"
    flagged = {i for f in findings for i in f.event_ids}
    expected = {e.event_id for e in events if e.event_name in FLAGGED_EVENTS[rule_id]}
    assert expected and flagged == expected


def test_new_rules_fire_on_nothing_else_in_the_stratus_set():
    hits = {
        (technique, finding.rule_id)
        for technique in all_technique_names()
        for finding in Detector().run(technique_events(technique))
        if finding.rule_id in NEW_RULES
    }
    assert hits - set(STRATUS_COVERAGE) == CROSS_TECHNIQUE_HITS
    assert set(STRATUS_COVERAGE) <= hits


def test_every_stratus_technique_now_raises_a_finding():
    silent = [t for t in all_technique_names() if not Detector().run(technique_events(t))]
    assert len(all_technique_names()) == 35
    assert silent == []


def test_new_rules_are_ours_pinned_and_complete():
    """Written here (author, fresh UUID, neither ID nor title from SigmaHQ), indexed by
    eventName, with the fields a responder reads."""
    theirs = [yaml.safe_load(p.read_text()) for p in SIGMAHQ_CLOUDTRAIL.glob("*.yml")]
    their_ids = {r["id"] for r in theirs}
    their_titles = {r["title"].lower() for r in theirs}
    compiled = {r.rule_id: r for r in load_builtin_rules()[0]}
    folder = resources.files("awsir_tui.detect") / "rules"
    ids = set()
    for rule_id in sorted(NEW_RULES):
        text = (folder / f"{rule_id}.yml").read_text(encoding="utf-8")
        doc = yaml.safe_load(text)
        assert doc["author"] == "awsir-tui", rule_id
        assert str(uuid.UUID(doc["id"])) == doc["id"] and doc["id"] not in their_ids
        assert doc["title"].lower() not in their_titles
        assert doc["logsource"] == {"product": "aws", "service": "cloudtrail"}
        assert doc["falsepositives"] and len(doc["description"]) > 80
        assert doc["level"] in ("low", "medium", "high"), rule_id
        ids.add(doc["id"])
        rule = compiled[rule_id]
        assert rule.technique.startswith("T1"), rule_id
        assert rule.event_names, f"{rule_id} is not pinned to eventName"
    assert len(ids) == len(NEW_RULES)


# What the rules must tell apart, on the real records changed one field at a time.


def test_gpu_rule_spares_one_small_gpu_and_counts_denied_attempts():
    base = one("execution.ec2-launch-unusual-instances", "RunInstances")
    assert base["errorCode"] == "Client.UnauthorizedOperation"
    rule = "awsir_ec2_gpu_instances_requested"
    [finding] = fired([base])[rule]
    assert finding.summary.startswith("RunInstances p2.xlarge (up to 10) by ")
    assert "failed (Client.UnauthorizedOperation)" in finding.summary

    def with_type(kind: str, count: int) -> dict:
        record = copy.deepcopy(base)
        record.pop("errorCode")
        record["requestParameters"]["instanceType"] = kind
        record["requestParameters"]["instancesSet"]["items"][0]["maxCount"] = count
        return record

    assert rule in fired([with_type("p4d.24xlarge", 1)])
    assert rule in fired([with_type("g4dn.12xlarge", 1)])
    assert rule in fired([with_type("g5.xlarge", 4)])
    assert rule not in fired([with_type("g4dn.xlarge", 1)])  # a notebook
    assert rule not in fired([with_type("c5.24xlarge", 10)])
    assert rule not in fired([with_type("m5.xlarge", 1)])


def test_gpu_rule_sees_spot_fleet_and_template_launches():
    """The other ways to get instances, each a copy of the real RunInstances record with
    the request CloudTrail logs for that call; the rule finds the type at any depth."""
    base = one("execution.ec2-launch-unusual-instances", "RunInstances")
    base.pop("errorCode")
    rule = "awsir_ec2_gpu_instances_requested"

    def call(name: str, request: dict, response: dict | None = None) -> dict:
        record = copy.deepcopy(base)
        record.update(eventName=name, eventID=f"derived-{name}-{uuid.uuid4()}")
        record["requestParameters"] = request
        record["responseElements"] = response
        return record

    spot = call("RequestSpotInstances", {
        "spotPrice": "3.00", "instanceCount": 1, "type": "one-time",
        "launchSpecification": {"imageId": "ami-1", "instanceType": "p3.8xlarge"}})
    [finding] = fired([spot])[rule]
    assert finding.summary.startswith("RequestSpotInstances p3.8xlarge by ")
    spot["requestParameters"]["launchSpecification"]["instanceType"] = "g4dn.xlarge"
    assert rule not in fired([spot])  # one small GPU, as with RunInstances
    spot["requestParameters"]["instanceCount"] = 6
    assert "g4dn.xlarge (up to 6)" in fired([spot])[rule][0].summary

    spot_fleet = call("RequestSpotFleet", {"RequestSpotFleetRequest": {"SpotFleetRequestConfig": {
        "TargetCapacity": 20, "IamFleetRole": "arn:aws:iam::900138736586:role/fleet",
        "LaunchSpecifications": [
            {"tag": 1, "ImageId": "ami-1", "InstanceType": "g5.2xlarge"},
            {"tag": 2, "ImageId": "ami-1", "InstanceType": "g4dn.2xlarge"}]}}})
    assert "g5.2xlarge, g4dn.2xlarge (up to 20)" in fired([spot_fleet])[rule][0].summary
    config = spot_fleet["requestParameters"]["RequestSpotFleetRequest"]["SpotFleetRequestConfig"]
    config["TargetCapacity"] = 1
    assert rule not in fired([spot_fleet])

    fleet = call("CreateFleet", {"CreateFleetRequest": {
        "Type": "instant",
        "TargetCapacitySpecification": {"TotalTargetCapacity": 1,
                                        "DefaultTargetCapacityType": "spot"},
        "LaunchTemplateConfigs": {"tag": 1,
                                  "LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1"},
                                  "Overrides": [{"tag": 1, "InstanceType": "trn1.32xlarge"}]}}})
    assert "trn1.32xlarge" in fired([fleet])[rule][0].summary
    overrides = fleet["requestParameters"]["CreateFleetRequest"]["LaunchTemplateConfigs"]
    overrides["Overrides"][0]["InstanceType"] = "c5.large"
    assert rule not in fired([fleet])

    for name in ("CreateLaunchTemplate", "CreateLaunchTemplateVersion"):
        template = call(name, {f"{name}Request": {
            "LaunchTemplateName": "workers",
            "LaunchTemplateData": {"ImageId": "ami-1", "InstanceType": "p5.48xlarge",
                                   "UserData": "<sensitiveDataRemoved>"}}})
        assert "p5.48xlarge" in fired([template])[rule][0].summary
        template["requestParameters"][f"{name}Request"]["LaunchTemplateData"][
            "InstanceType"] = "t3.micro"
        assert rule not in fired([template])

    # RunInstances from a template: the type is only in the response.
    from_template = copy.deepcopy(base)
    from_template["requestParameters"].pop("instanceType")
    from_template["requestParameters"]["launchTemplate"] = {"launchTemplateId": "lt-1"}
    from_template["requestParameters"]["instancesSet"]["items"][0]["maxCount"] = 1
    from_template["responseElements"] = {"instancesSet": {"items": [
        {"instanceId": "i-0123456789abcdef0", "instanceType": "p2.xlarge"}]}}
    assert fired([from_template])[rule][0].summary.startswith("RunInstances p2.xlarge by ")
    from_template["responseElements"]["instancesSet"]["items"][0]["instanceType"] = "m5.large"
    assert rule not in fired([from_template])


def test_secret_reads_by_an_application_role_or_denied_are_not_flagged():
    rule = "awsir_secret_read_with_user_key"
    base = one("credential-access.secretsmanager-retrieve-secrets", "GetSecretValue")
    assert rule in fired([base])
    by_role = copy.deepcopy(base)
    by_role["userIdentity"]["type"] = "AssumedRole"  # an application's role session
    by_role["userIdentity"]["principalId"] = "AROA13YEHY3VAS32TD341:orders-api"
    assert rule not in fired([by_role])
    denied = dict(copy.deepcopy(base), errorCode="AccessDeniedException")
    assert rule not in fired([denied])

    parameters = one("credential-access.ssm-retrieve-securestring-parameters", "GetParameters")
    assert rule in fired([parameters])
    parameters["requestParameters"]["withDecryption"] = False
    assert rule not in fired([parameters])

    # Credentials from GetFederationToken (the real federated identity Stratus used)
    # and an EC2 instance role's session (the real stolen one) both count, low.
    federated = copy.deepcopy(base)
    federated["userIdentity"] = next(
        r for r in technique_records("persistence.sts-federation-token")
        if r["userIdentity"]["type"] == "FederatedUser")["userIdentity"]
    [finding] = fired([federated])[rule]
    assert "by stratus_red_team from" in finding.summary and finding.severity == "low"
    instance = copy.deepcopy(base)
    instance["userIdentity"] = one(
        "credential-access.ec2-steal-instance-credentials", "DescribeInstances")["userIdentity"]
    [finding] = fired([instance])[rule]
    assert "i-786a3A8B5C0d92eF4" in finding.summary and finding.severity == "low"
    instance["errorCode"] = "AccessDeniedException"
    assert rule not in fired([instance])

    batch = one("credential-access.secretsmanager-batch-retrieve-secrets", "BatchGetSecretValue")
    batch["errorCode"] = "AccessDeniedException"
    assert "awsir_secretsmanager_batch_secret_values_read" not in fired([batch])


def test_many_secret_reads_by_one_caller_make_one_finding():
    events = technique_events("credential-access.secretsmanager-retrieve-secrets")
    rule = "awsir_secret_read_with_user_key"
    [finding] = [f for f in Detector().run(events) if f.rule_id == rule]
    assert len(finding.event_ids) == 20 and finding.summary.endswith("(x20)")
    assert finding.severity == "low"


def test_trust_policy_summary_names_the_foreign_account():
    base = one("persistence.iam-backdoor-role", "UpdateAssumeRolePolicy")
    rule = "awsir_iam_role_trust_policy_changed"
    [finding] = fired([base])[rule]
    assert "role stratus-red-team-backdoor-r-role now trusts" in finding.summary
    assert "account 193672423079 (another account)" in finding.summary
    assert finding.severity == "high"
    home = base["recipientAccountId"]
    own = copy.deepcopy(base)
    own["requestParameters"]["policyDocument"] = json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{home}:role/ci"},
        "Action": "sts:AssumeRole"}]})
    [finding] = fired([own])[rule]
    assert "another account" not in finding.summary and f"{home}:role/ci" in finding.summary
    # Still high: the account's own principal may be the attacker's user or role.
    assert finding.severity == "high"
    anyone = copy.deepcopy(base)
    anyone["requestParameters"]["policyDocument"] = json.dumps(
        {"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}})
    assert "now trusts anyone (*)" in fired([anyone])[rule][0].summary


@pytest.mark.parametrize("document", [json.dumps({"Statement": 5}), "[" * 5000, 7])
def test_a_malformed_trust_policy_costs_its_specifics_not_the_run(document):
    """Anyone can have CloudTrail log a failed UpdateAssumeRolePolicy with any document:
    an odd one must not end the run and lose every other finding (a DeleteTrail here)."""
    odd = one("persistence.iam-backdoor-role", "UpdateAssumeRolePolicy")
    odd["requestParameters"]["policyDocument"] = document
    stopped = one("defense-evasion.cloudtrail-delete", "DeleteTrail")
    hits = fired([odd, stopped])
    [finding] = hits["awsir_iam_role_trust_policy_changed"]
    assert "its new trust policy is not readable" in finding.summary
    assert "awsir_cloudtrail_logging_tampered" in hits


def test_lambda_rules_tell_a_backdoor_from_ordinary_changes():
    public = "awsir_lambda_public_access_granted"
    grant = one("persistence.lambda-backdoor-function", "AddPermission20150331v2")
    assert "invocable by anyone (*)" in fired([grant])[public][0].summary
    service = copy.deepcopy(grant)
    service["requestParameters"]["principal"] = "s3.amazonaws.com"
    assert public not in fired([service])
    for key, value in (("principalOrgID", "o-a1b2c3d4e5"),
                       ("sourceAccount", "111122223333"),
                       ("sourceArn", "arn:aws:s3:::uploads-bucket")):
        limited = copy.deepcopy(grant)
        limited["requestParameters"][key] = value  # "*" narrowed: not public
        assert public not in fired([limited]), key
    url_permission = copy.deepcopy(grant)
    url_permission["requestParameters"].update(
        action="lambda:InvokeFunctionUrl", functionUrlAuthType="NONE",
        principalOrgID="o-a1b2c3d4e5")
    assert public in fired([url_permission])  # the URL itself takes no credentials
    url = copy.deepcopy(grant)
    url.update(eventName="CreateFunctionUrlConfig20211031", eventID="derived-url")
    url["requestParameters"] = {"functionName": "f", "authType": "NONE"}
    assert "function f URL without auth" in fired([url])[public][0].summary
    url["requestParameters"]["authType"] = "AWS_IAM"
    assert public not in fired([url])

    layer = one("persistence.lambda-layer-extension", "UpdateFunctionConfiguration20150331v2")
    [finding] = fired([layer])["awsir_lambda_layer_attached"]
    assert "layers stratus-red-team-lambda-layer-my-lambda-extension:1 by" in finding.summary
    # Low: a redeploy resends the function's layers, and one record cannot tell.
    assert finding.severity == "low"
    foreign = copy.deepcopy(layer)
    foreign["requestParameters"]["layers"] = ["arn:aws:lambda:eu-west-1:111122223333:layer:x:3"]
    [finding] = fired([foreign])["awsir_lambda_layer_attached"]
    assert "layers x:3 from account 111122223333" in finding.summary
    foreign["requestParameters"]["layers"] = []  # layers removed
    foreign["requestParameters"]["timeout"] = 30
    assert "awsir_lambda_layer_attached" not in fired([foreign])


def test_an_account_removed_by_the_management_account_is_flagged():
    leave = one("defense-evasion.organizations-leave", "LeaveOrganization")
    removed = copy.deepcopy(leave)
    removed.pop("errorCode")
    removed.update(eventName="RemoveAccountFromOrganization", eventID="derived-remove",
                   requestParameters={"accountId": "111122223333"})
    [finding] = fired([removed])["awsir_organizations_leave"]
    assert finding.summary.startswith("RemoveAccountFromOrganization account 111122223333 by ")
    assert finding.severity == "high"
    assert fired([leave])["awsir_organizations_leave"][0].summary.startswith(
        "LeaveOrganization by ")


def test_ssm_rule_sees_associations_automations_and_own_documents():
    rule = "awsir_ssm_shell_command_sent"
    command = one("execution.ssm-send-command", "SendCommand")

    def call(name: str, request: dict) -> dict:
        record = copy.deepcopy(command)
        record.update(eventName=name, eventID=f"derived-{name}-{uuid.uuid4()}",
                      requestParameters=request, responseElements=None)
        return record

    # State Manager: a shell script on a schedule, on every instance (persistence).
    association = call("CreateAssociation", {
        "name": "AWS-RunShellScript", "scheduleExpression": "rate(30 minutes)",
        "targets": [{"key": "InstanceIds", "values": ["*"]}],
        "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS"})
    [finding] = fired([association])[rule]
    assert finding.summary.startswith("CreateAssociation AWS-RunShellScript on targets * by ")
    association["requestParameters"]["name"] = "AWS-GatherSoftwareInventory"
    assert rule not in fired([association])  # routine inventory
    association["requestParameters"]["name"] = "backdoor-cron"
    assert "backdoor-cron" in fired([association])[rule][0].summary

    # Documents AWS does not publish: written here, or shared from another account.
    own = copy.deepcopy(command)
    own["requestParameters"]["documentName"] = "Ops-CollectDiagnostics"
    assert "Ops-CollectDiagnostics on i-00456A8D163f546Ff" in fired([own])[rule][0].summary
    own["requestParameters"]["documentName"] = (
        "arn:aws:ssm:us-east-1:111122223333:document/Helper")
    assert rule in fired([own])
    own["requestParameters"]["documentName"] = "AWS-RunPatchBaseline"
    assert rule not in fired([own])
    own["requestParameters"]["documentName"] = "AmazonCloudWatch-ManageAgent"
    assert rule not in fired([own])

    automation = call("StartAutomationExecution", {
        "documentName": "exfil-runbook", "parameters": "HIDDEN_DUE_TO_SECURITY_REASONS"})
    assert "exfil-runbook" in fired([automation])[rule][0].summary
    automation["requestParameters"]["documentName"] = "AWS-RestartEC2Instance"
    assert rule not in fired([automation])
    # A remediation AWS Config runs for the account is routine, even with its own runbook.
    remediation = call("StartAutomationExecution", {"documentName": "Fix-OpenBuckets"})
    remediation["userIdentity"]["invokedBy"] = "config.amazonaws.com"
    assert rule not in fired([remediation])


def test_other_near_misses_stay_quiet():
    command = one("execution.ssm-send-command", "SendCommand")
    command["requestParameters"]["documentName"] = "AWS-RunPatchBaseline"
    assert "awsir_ssm_shell_command_sent" not in fired([command])

    attribute = one("execution.ec2-user-data", "ModifyInstanceAttribute")
    attribute["requestParameters"] = {"instanceId": "i-1", "instanceType": {"value": "t3.large"}}
    assert "awsir_ec2_user_data_modified" not in fired([attribute])

    session = one("execution.ssm-start-session", "StartSession")
    session["errorCode"] = "AccessDeniedException"
    assert "awsir_ec2_instance_shell_opened" not in fired([session])

    snapshot = one("exfiltration.rds-share-snapshot", "ModifyDBSnapshotAttribute")
    assert "shared with account 503161813013" in fired([snapshot])[
        "awsir_rds_snapshot_shared"][0].summary
    snapshot["requestParameters"]["valuesToAdd"] = ["all"]
    assert "shared with everyone (public)" in fired([snapshot])[
        "awsir_rds_snapshot_shared"][0].summary
    snapshot["requestParameters"] = {
        "attributeName": "restore", "dBSnapshotIdentifier": "x", "valuesToRemove": ["1"]}
    assert "awsir_rds_snapshot_shared" not in fired([snapshot])


def test_demo_background_raises_none_of_the_new_rules(demo):
    attack = set(demo.facts.attack_event_ids)
    background = [from_record(r) for r in demo.records if r["eventID"] not in attack]
    # The background does hold the cases that must stay quiet: a data scientist's
    # single small GPU instance, and the CI's launches.
    launches = [r for r in demo.records
                if r["eventName"] == "RunInstances" and r["eventID"] not in attack]
    assert any(r["requestParameters"]["instanceType"].startswith("g4dn.") for r in launches)
    findings = Detector().run(background)
    assert [f.summary for f in findings if f.rule_id in NEW_RULES] == []

    # The attacker's own GPU attempts in the demo are flagged, and only those.
    gpu = [f for f in Detector().run([from_record(r) for r in demo.records])
           if f.rule_id == "awsir_ec2_gpu_instances_requested"]
    assert gpu and {i for f in gpu for i in f.event_ids} <= attack
