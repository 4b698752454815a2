"""The demo account's EC2 state, read back through boto3 over real HTTP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from awsir_tui.demo.scenario import Facts
from awsir_tui.demo.server import DemoServer


def _instances(client: Any) -> list[dict[str, Any]]:
    pages = client.get_paginator("describe_instances").paginate()
    return [i for page in pages for r in page["Reservations"] for i in r["Instances"]]


def _seeded(instances: list[dict[str, Any]], facts: Facts) -> list[dict[str, Any]]:
    """The demo's own instances: the seed dates every launch, the attacker's included, no
    later than ``facts.seeded_at``. The demo server is shared by the whole test session,
    and tests launch instances of their own into it (``tests.helpers_ec2.launch``), as an
    attacker would, untagged; those are launched after the seed, so they are left out
    here whichever test ran first in this worker."""
    return [i for i in instances if i["LaunchTime"] <= facts.seeded_at]


def test_every_demo_region_has_instances_and_together_at_least_forty(
    demo: DemoServer, demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    per_region = {region: _seeded(_instances(demo_client("ec2", region)), demo_facts)
                  for region in demo.regions}
    assert len(demo.regions) >= 3
    assert all(per_region.values()), per_region.keys()
    everything = [i for found in per_region.values() for i in found]
    assert len(everything) >= 40
    states = {i["State"]["Name"] for i in everything}
    assert {"running", "stopped", "terminated"} <= states
    assert len({i["InstanceType"] for i in everything}) >= 6
    for instance in everything:
        tags = {t["Key"]: t["Value"] for t in instance.get("Tags", [])}
        assert tags.get("Name") and tags.get("Owner"), instance["InstanceId"]
    seeded = {i["InstanceId"] for i in everything}
    assert {demo_facts.proxy_instance_id, demo_facts.malicious_instance_id} <= seeded


def test_the_malicious_instance_runs_with_the_attackers_key_and_group(
    demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    ec2 = demo_client("ec2", demo_facts.proxy_region)
    reservations = ec2.describe_instances(InstanceIds=[demo_facts.malicious_instance_id])
    instance = reservations["Reservations"][0]["Instances"][0]
    assert instance["KeyName"] == demo_facts.attacker_key_name
    assert [g["GroupId"] for g in instance["SecurityGroups"]] == [demo_facts.attacker_group_id]
    assert instance["LaunchTime"] == demo_facts.malicious_launch_time
    assert instance["LaunchTime"] > demo_facts.attack_started
    tags = {t["Key"]: t["Value"] for t in instance["Tags"]}
    assert tags["Name"] == demo_facts.hostile_tag_value

    group = ec2.describe_security_groups(GroupIds=[demo_facts.attacker_group_id])
    rules = group["SecurityGroups"][0]["IpPermissions"]
    assert any(r["FromPort"] == 22 and {"CidrIp": "0.0.0.0/0"} in r["IpRanges"] for r in rules)
    assert group["SecurityGroups"][0]["Description"] == demo_facts.hostile_group_description
    keys = ec2.describe_key_pairs()["KeyPairs"]
    [attacker] = [k for k in keys if k["KeyName"] == demo_facts.attacker_key_name]
    assert attacker["KeyPairId"] == demo_facts.attacker_key_pair_id
    # The attacker's key is minutes old; the company's keys are months old.
    assert demo_facts.attack_started < attacker["CreateTime"] < demo_facts.malicious_launch_time
    assert all(k["CreateTime"] < demo_facts.seeded_at - timedelta(days=100)
               for k in keys if k is not attacker)


def test_the_proxy_is_internet_facing_with_the_instance_role(
    demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    ec2 = demo_client("ec2", demo_facts.proxy_region)
    proxy = ec2.describe_instances(InstanceIds=[demo_facts.proxy_instance_id])[
        "Reservations"][0]["Instances"][0]
    assert proxy["PublicIpAddress"] == demo_facts.proxy_public_ip != demo_facts.attacker_ip
    assert proxy["IamInstanceProfile"]["Arn"].endswith(
        f"instance-profile/{demo_facts.instance_profile_name}")
    assert proxy["LaunchTime"] < demo_facts.attack_started
    [root] = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id",
                                            "Values": [demo_facts.proxy_instance_id]}])["Volumes"]
    assert root["CreateTime"] == proxy["LaunchTime"]
    iam = demo_client("iam")
    profile = iam.get_instance_profile(InstanceProfileName=demo_facts.instance_profile_name)
    assert [r["RoleName"] for r in profile["InstanceProfile"]["Roles"]] == [demo_facts.role_name]
    assert iam.list_attached_role_policies(RoleName=demo_facts.role_name)["AttachedPolicies"]
    assert iam.list_role_policies(RoleName=demo_facts.role_name)["PolicyNames"]


def test_unused_groups_and_keys_exist_and_no_instance_uses_them(
    demo: DemoServer, demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    used_groups: set[str] = set()
    used_keys: set[str] = set()
    group_names: set[str] = set()
    key_names: set[str] = set()
    for region in demo.regions:
        ec2 = demo_client("ec2", region)
        for instance in _instances(ec2):
            used_groups |= {g["GroupName"] for g in instance["SecurityGroups"]}
            used_keys.add(instance.get("KeyName", ""))
        group_names |= {g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]}
        key_names |= {k["KeyName"] for k in ec2.describe_key_pairs()["KeyPairs"]}
    assert set(demo_facts.unused_group_names) <= group_names - used_groups
    assert set(demo_facts.unused_key_names) <= key_names - used_keys


def test_volumes_vpcs_and_user_data_are_there(
    demo: DemoServer, demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    ec2 = demo_client("ec2", demo_facts.proxy_region)
    volumes = ec2.describe_volumes()["Volumes"]
    assert any(v["Attachments"] for v in volumes)
    assert sum(len(demo_client("ec2", r).describe_vpcs()["Vpcs"]) for r in demo.regions) >= 5
    data = ec2.describe_instance_attribute(InstanceId=demo_facts.proxy_instance_id,
                                           Attribute="userData")
    assert data["UserData"]["Value"]


def test_the_estate_predates_the_attack(
    demo: DemoServer, demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    """moto stamps what seeding makes with the time of seeding, minutes after the attack:
    the proxy's role and the data volumes' attachments read as made during it, a false
    lead. Volumes are attached when their instance launched; IAM is older still."""
    attack = demo_facts.attack_started
    attached = 0
    for region in demo.regions:
        ec2 = demo_client("ec2", region)
        launched = {i["InstanceId"]: i["LaunchTime"] for i in _seeded(_instances(ec2), demo_facts)
                    if i["InstanceId"] != demo_facts.malicious_instance_id}
        for volume in ec2.describe_volumes()["Volumes"]:
            for attachment in volume["Attachments"]:
                if attachment["InstanceId"] in launched:
                    attached += 1
                    assert attachment["AttachTime"] == launched[attachment["InstanceId"]]
                    assert volume["CreateTime"] <= attachment["AttachTime"] < attack
    assert attached >= 10
    iam = demo_client("iam", "us-east-1")
    role = iam.get_role(RoleName=demo_facts.role_name)["Role"]
    profile = iam.get_instance_profile(
        InstanceProfileName=demo_facts.instance_profile_name)["InstanceProfile"]
    oldest_launch = min(i["LaunchTime"] for r in demo.regions
                        for i in _seeded(_instances(demo_client("ec2", r)), demo_facts))
    assert role["CreateDate"] < oldest_launch and profile["CreateDate"] < oldest_launch
    keys = [key for user in ("bob", "alice", "ci-deploy")
            for key in iam.list_access_keys(UserName=user)["AccessKeyMetadata"]]
    assert keys and all(key["CreateDate"] < attack for key in keys)


def test_an_instance_s_interfaces_were_attached_when_it_launched(
    demo: DemoServer, demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    """QA: the malicious instance's interface said "device index 0 since" 43 minutes
    after its launch (moto stamps the time of seeding), read as the interface moved."""
    checked = 0
    for region in demo.regions:
        ec2 = demo_client("ec2", region)
        launched = {i["InstanceId"]: i["LaunchTime"]
                    for i in _seeded(_instances(ec2), demo_facts)}
        for interface in ec2.describe_network_interfaces()["NetworkInterfaces"]:
            attachment = interface.get("Attachment") or {}
            if attachment.get("InstanceId") in launched:
                checked += 1
                assert attachment["AttachTime"] == launched[attachment["InstanceId"]]
    assert checked >= 40
