"""The incident: stolen instance-role credentials of the edge proxy, used from outside.

The attacker read the proxy's instance credentials (an SSRF through the proxy) and
uses them from their own address: reconnaissance, failed attempts at big GPU instances
in three regions, then a security group open to SSH from anywhere, an imported key and
one instance that starts. The group, key and instance are really created in EC2, and
the records carry their real IDs and a launch time that matches EC2's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from awsir_tui.demo import moto_state
from awsir_tui.demo.records import Actor, assumed_role, record
from awsir_tui.demo.seed_ec2 import Launched, public_key
from awsir_tui.events.record import parse_time

ATTACKER_IP = "203.0.113.66"
#: Attacker-controlled strings that a UI must show literally (markup, ANSI, controls).
HOSTILE_USER_AGENT = "aws-cli/2.9.0 [bold red]x[/] \x1b[31mPython/3.8\x1b[0m\x07 [/"
HOSTILE_TAG_VALUE = "[bold red]x[/] [/"
HOSTILE_GROUP_DESCRIPTION = "[link=https://example.invalid]maintenance[/link] [/"
#: Only in CloudTrail (EC2's XML cannot carry it): clears the screen, recolours, rewinds.
HOSTILE_CONTROL_TAG = "\x1b[2J\x1b[31mcleanup\x1b[0m\r\x08"
ATTACKER_GROUP_NAME = "sys-maint"
ATTACKER_KEY_NAME = "ops-recovery"
MALICIOUS_INSTANCE_TYPE = "c5.4xlarge"
#: Minutes before the demo starts at which the attacker's first call happens.
ATTACK_LEAD_MINUTES = 52


@dataclass(frozen=True)
class Attack:
    """What the attack created (IDs as EC2 gave them) and the records it left."""

    access_key_id: str
    group_id: str
    key_pair_id: str
    malicious_instance_id: str
    started: datetime
    launched: datetime
    records: tuple[dict[str, Any], ...]
    event_ids: tuple[str, ...]


_LIMIT = ("InstanceLimitExceeded", "You have requested more instances (10) than your current "
          "instance limit of 0 allows for the specified instance type. Please visit "
          "http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.")
_VCPU = ("VcpuLimitExceeded", "You have requested more vCPU capacity than your current vCPU "
         "limit of 0 allows for the instance bucket that the specified instance type belongs "
         "to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an "
         "adjustment to this limit.")
#: The GPU attempts before the attacker settles for less: (region, type, error).
_GPU_ATTEMPTS = (
    ("eu-west-1", "p3.16xlarge", _LIMIT),
    ("us-east-1", "p3.16xlarge", _LIMIT),
    ("ap-southeast-2", "g4dn.12xlarge", _VCPU),
    ("eu-west-1", "g4dn.12xlarge", _VCPU),
)
ATTACK_REGIONS = tuple(dict.fromkeys(region for region, _, _ in _GPU_ATTEMPTS))


def _pass_role_denied(account: str, role: str, proxy_id: str) -> tuple[str, str]:
    """The error when the attacker tries to hand a better role to their instance."""
    return ("Client.UnauthorizedOperation", "You are not authorized to perform this "
            f"operation. User: arn:aws:sts::{account}:assumed-role/{role}/{proxy_id} is not "
            f"authorized to perform: iam:PassRole on resource: arn:aws:iam::{account}:role/"
            "web-server-role because no identity-based policy allows the iam:PassRole action. "
            "Encoded authorization failure message: 4Dq0Ss2pTzrWmIh_k3b9")


def run_attack(
    rng: random.Random,
    ec2: Any,
    *,
    account: str,
    proxy: Launched,
    role_name: str,
    role_id: str,
    vpc_id: str,
    subnet_id: str,
    image_id: str,
    access_key_id: str,
    session_issued: datetime,
    now: datetime,
) -> Attack:
    """Create the attacker's group, key and instance in EC2 and write the matching records."""
    region = proxy.server.region
    actor = Actor(assumed_role(account, role_name, role_id, proxy.instance_id, access_key_id,
                               session_issued, ec2_role_delivery=True),
                  ATTACKER_IP, HOSTILE_USER_AGENT)
    started = now - timedelta(minutes=ATTACK_LEAD_MINUTES)
    clock = iter(started + timedelta(seconds=s) for s in range(0, 3600, 37))
    records: list[dict[str, Any]] = []

    def call(source: str, name: str, call_region: str = region, **kw: Any) -> dict[str, Any]:
        out = record(rng, account=account, actor=actor, when=next(clock), region=call_region,
                     source=source, name=name, **kw)
        records.append(out)
        return out

    call("sts.amazonaws.com", "GetCallerIdentity", response={
        "account": account, "userId": f"{role_id}:{proxy.instance_id}",
        "arn": f"arn:aws:sts::{account}:assumed-role/{role_name}/{proxy.instance_id}"})
    for name, request in (
        ("DescribeInstances", {"instancesSet": {}, "filterSet": {}}),
        ("DescribeSecurityGroups", {"securityGroupSet": {}, "filterSet": {}}),
        ("DescribeKeyPairs", {"keySet": {}}),
        ("DescribeSubnets", {"subnetSet": {}, "filterSet": {}}),
        ("DescribeImages", {"executableBySet": {}, "ownersSet": {"items": [{"owner": "amazon"}]},
                            "filterSet": {"items": [{"name": "name", "valueSet": {
                                "items": [{"value": "amzn2-ami-hvm-*"}]}}]}}),
    ):
        call("ec2.amazonaws.com", name, request=request)
    for attempt, (fail_region, itype, error) in enumerate(_GPU_ATTEMPTS):
        # The first attempt names its instances with a terminal-clearing escape: it failed,
        # so it exists only in CloudTrail, which is exactly where a viewer must show it inert.
        extra = {} if attempt else {"tagSpecificationSet": {"items": [{
            "resourceType": "instance", "tags": [{"key": "Name", "value": HOSTILE_CONTROL_TAG}]}]}}
        call("ec2.amazonaws.com", "RunInstances", call_region=fail_region, error=error,
             request=_run_request(image_id, itype, 10, subnet=None, extra=extra))

    group_id = ec2.create_security_group(GroupName=ATTACKER_GROUP_NAME,
                                         Description=HOSTILE_GROUP_DESCRIPTION,
                                         VpcId=vpc_id)["GroupId"]
    call("ec2.amazonaws.com", "CreateSecurityGroup", request={
        "groupName": ATTACKER_GROUP_NAME, "groupDescription": HOSTILE_GROUP_DESCRIPTION,
        "vpcId": vpc_id}, response={"_return": True, "groupId": group_id})
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
        "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    call("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", request={
        "groupId": group_id, "ipPermissions": {"items": [{
            "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "groups": {},
            "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}, "ipv6Ranges": {},
            "prefixListIds": {}}]}},
        response={"_return": True, "securityGroupRuleSet": {"items": [{
            "groupOwnerId": account, "groupId": group_id, "isEgress": False,
            "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0",
            "securityGroupRuleId": f"sgr-{rng.getrandbits(68):017x}"}]}})
    material = public_key(ATTACKER_KEY_NAME)
    key = ec2.import_key_pair(KeyName=ATTACKER_KEY_NAME, PublicKeyMaterial=material.encode())
    imported = call("ec2.amazonaws.com", "ImportKeyPair", request={
        "keyName": ATTACKER_KEY_NAME, "publicKeyMaterial": "<sensitiveDataRemoved>"},
        response={"keyName": ATTACKER_KEY_NAME, "keyFingerprint": key["KeyFingerprint"],
                  "keyPairId": key["KeyPairId"]})
    call("ec2.amazonaws.com", "RunInstances",
         error=_pass_role_denied(account, role_name, proxy.instance_id),
         request=_run_request(image_id, MALICIOUS_INSTANCE_TYPE, 1, subnet=subnet_id, extra={
             "iamInstanceProfile": {"name": "web-server-profile"}, "keyName": ATTACKER_KEY_NAME,
             "groupSet": {"items": [{"groupId": group_id}]}}))

    tags = [{"Key": "Name", "Value": HOSTILE_TAG_VALUE}, {"Key": "Owner", "Value": "ops"}]
    instance = ec2.run_instances(
        ImageId=image_id, MinCount=1, MaxCount=1, InstanceType=MALICIOUS_INSTANCE_TYPE,
        KeyName=ATTACKER_KEY_NAME, SubnetId=subnet_id, SecurityGroupIds=[group_id],
        TagSpecifications=[{"ResourceType": "instance", "Tags": tags}],
    )["Instances"][0]
    malicious_id = instance["InstanceId"]
    request = _run_request(image_id, MALICIOUS_INSTANCE_TYPE, 1, subnet=subnet_id, extra={
        "keyName": ATTACKER_KEY_NAME, "groupSet": {"items": [{"groupId": group_id}]},
        "tagSpecificationSet": {"items": [{"resourceType": "instance", "tags": [
            {"key": t["Key"], "value": t["Value"]} for t in tags]}]}})
    success = call("ec2.amazonaws.com", "RunInstances", request=request, response={
        "requestId": "", "reservationId": instance.get("ReservationId", ""), "ownerId": account,
        "groupSet": {}, "instancesSet": {"items": [{
            "instanceId": malicious_id, "imageId": image_id,
            "instanceType": MALICIOUS_INSTANCE_TYPE,
            "keyName": ATTACKER_KEY_NAME, "subnetId": subnet_id, "vpcId": vpc_id,
            "privateIpAddress": instance.get("PrivateIpAddress", ""),
            "groupSet": {"items": [{"groupId": group_id, "groupName": ATTACKER_GROUP_NAME}]},
            "instanceState": {"code": 0, "name": "pending"}}]}})
    success["responseElements"]["requestId"] = success["requestID"]
    moto_state.set_key_created(account, region, ATTACKER_KEY_NAME,
                               parse_time(imported["eventTime"]))
    launched = parse_time(success["eventTime"])
    moto_state.set_launch_time(account, region, malicious_id, launched)
    call("ec2.amazonaws.com", "DescribeInstances", request={
        "instancesSet": {"items": [{"instanceId": malicious_id}]}, "filterSet": {}})
    call("ec2.amazonaws.com", "DescribeInstanceStatus", request={
        "instancesSet": {"items": [{"instanceId": malicious_id}]}, "filterSet": {},
        "includeAllInstances": False})
    return Attack(
        access_key_id=access_key_id, group_id=group_id, key_pair_id=key["KeyPairId"],
        malicious_instance_id=malicious_id, started=started, launched=launched,
        records=tuple(records), event_ids=tuple(r["eventID"] for r in records),
    )


def _run_request(image_id: str, itype: str, count: int, subnet: str | None,
                 extra: dict[str, Any]) -> dict[str, Any]:
    """RunInstances ``requestParameters`` the way CloudTrail writes them."""
    request: dict[str, Any] = {
        "instancesSet": {"items": [{"imageId": image_id, "minCount": 1, "maxCount": count}]},
        "instanceType": itype, "blockDeviceMapping": {}, "monitoring": {"enabled": False},
        "disableApiTermination": False, "disableApiStop": False,
    }
    if subnet:
        request["subnetId"] = subnet
    request.update(extra)
    return request
