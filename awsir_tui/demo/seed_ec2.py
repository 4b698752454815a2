"""EC2 of the demo account: networks, security groups, key pairs, the fleet and volumes.

Created through the EC2 API (boto3 over HTTP to moto), so every object is what
DescribeInstances and friends really return. Launch times are back-dated afterwards
(see ``moto_state``) so that the fleet has a history older than the trail.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from awsir_tui.demo import moto_state
from awsir_tui.demo.company import (
    GROUPS,
    KEY_PAIRS,
    NETWORKS,
    ROLES,
    UNUSED_GROUP_HOMES,
    Server,
)

_PUBLIC_TIERS = frozenset({"web", "proxy", "bastion"})
_PROFILES = {role.name: role.profile for role in ROLES}


def public_key(name: str) -> str:
    """A deterministic OpenSSH ed25519 public key for the key pair called ``name``."""
    seed = hashlib.sha256(f"awsir-demo-key:{name}".encode()).digest()
    key = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    return key.public_bytes(serialization.Encoding.OpenSSH,
                            serialization.PublicFormat.OpenSSH).decode() + f" {name}"


@dataclass
class Launched:
    """One instance as EC2 created it, with the company record it came from."""

    server: Server
    instance_id: str
    public_ip: str
    private_ip: str
    launched: datetime


def stopped_at(launched: Launched, now: datetime) -> datetime:
    """When a stopped or terminated server was stopped: after 60% of its life so far.

    One rule for EC2's StateTransitionReason and for the StopInstances records, so that
    the two agree (and only recent stops fall inside the CloudTrail window).
    """
    return launched.launched + (now - launched.launched) * 0.6


@dataclass
class RegionEstate:
    """IDs of what was created in one region, for the story and the CloudTrail generator."""

    region: str
    #: Everything sits in the region's first zone (subnets and their volumes must agree).
    zone: str = ""
    image_id: str = ""
    vpcs: dict[str, str] = field(default_factory=dict)  # network name -> vpc-...
    subnets: dict[tuple[str, str], str] = field(default_factory=dict)  # (network, tier)
    groups: dict[tuple[str, str], str] = field(default_factory=dict)  # (network, group)
    instances: list[Launched] = field(default_factory=list)


def _network(ec2: Any, estate: RegionEstate, name: str, cidr: str, env: str) -> None:
    tags = [{"Key": "Name", "Value": name}, {"Key": "Env", "Value": env}]
    vpc = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=[
        {"ResourceType": "vpc", "Tags": tags}])["Vpc"]["VpcId"]
    estate.vpcs[name] = vpc
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    base = cidr.rsplit(".", 2)[0]  # "10.10"
    zone = estate.zone
    for tier, third in (("public", 0), ("private", 10)):
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"{base}.{third}.0/24",
                                   AvailabilityZone=zone, TagSpecifications=[
                                       {"ResourceType": "subnet", "Tags": [
                                           {"Key": "Name", "Value": f"{name}-{tier}"}]}])
        subnet_id = subnet["Subnet"]["SubnetId"]
        if tier == "public":
            ec2.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": True})
        estate.subnets[(name, tier)] = subnet_id


def _groups(ec2: Any, estate: RegionEstate, network: str, wanted: set[str]) -> None:
    vpc = estate.vpcs[network]
    for group in GROUPS:
        if group.name not in wanted:
            continue
        group_id = ec2.create_security_group(
            GroupName=f"{network}-{group.name}", Description=group.description, VpcId=vpc,
            TagSpecifications=[{"ResourceType": "security-group", "Tags": [
                {"Key": "Name", "Value": f"{network}-{group.name}"}]}],
        )["GroupId"]
        estate.groups[(network, group.name)] = group_id
    for group in GROUPS:
        if group.name not in wanted:
            continue
        permissions = []
        for protocol, low, high, source in group.ingress:
            rule: dict[str, Any] = {"IpProtocol": protocol, "FromPort": low, "ToPort": high}
            if "/" in source:
                rule["IpRanges"] = [{"CidrIp": source}]
            else:
                rule["UserIdGroupPairs"] = [{"GroupId": estate.groups[(network, source)]}]
            permissions.append(rule)
        ec2.authorize_security_group_ingress(GroupId=estate.groups[(network, group.name)],
                                             IpPermissions=permissions)


def _launch(ec2: Any, estate: RegionEstate, server: Server, now: datetime) -> Launched:
    tier = "public" if server.tier in _PUBLIC_TIERS else "private"
    env = "staging" if "staging" in server.network else "prod"
    tags = [{"Key": "Name", "Value": server.name}, {"Key": "Owner", "Value": server.owner},
            {"Key": "Env", "Value": env}, {"Key": "CostCenter", "Value": "cc-" + server.network}]
    request: dict[str, Any] = {
        "ImageId": estate.image_id, "MinCount": 1, "MaxCount": 1,
        "InstanceType": server.instance_type, "KeyName": server.key,
        "SubnetId": estate.subnets[(server.network, tier)],
        "SecurityGroupIds": [estate.groups[(server.network, server.tier)]],
        "TagSpecifications": [{"ResourceType": "instance", "Tags": tags},
                              {"ResourceType": "volume", "Tags": tags[:3]}],
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda",
                                 "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}}],
    }
    if server.role:
        request["IamInstanceProfile"] = {"Name": _PROFILES[server.role]}
    if server.user_data:
        request["UserData"] = server.user_data
    instance = ec2.run_instances(**request)["Instances"][0]
    launched = now - timedelta(days=server.age_days)
    return Launched(server, instance["InstanceId"], instance.get("PublicIpAddress", ""),
                    instance.get("PrivateIpAddress", ""), launched)


def seed_region(
    ec2: Any, account_id: str, region: str, fleet: tuple[Server, ...], now: datetime
) -> RegionEstate:
    """Create one region's networks, groups, keys, instances and volumes."""
    estate = RegionEstate(region)
    estate.zone = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
    estate.image_id = ec2.register_image(
        Name="bobs-base-al2023-2025.10.1", Description="Bob's hardened Amazon Linux 2023",
        Architecture="x86_64", RootDeviceName="/dev/xvda", VirtualizationType="hvm",
    )["ImageId"]
    servers = [s for s in fleet if s.region == region]
    for network in NETWORKS:
        if network.region != region:
            continue
        _network(ec2, estate, network.name, network.cidr, network.env)
        wanted = {s.tier for s in servers if s.network == network.name}
        wanted |= {g for g, home in UNUSED_GROUP_HOMES.items() if home == network.name}
        _groups(ec2, estate, network.name, wanted)
    for name, age_days in KEY_PAIRS.items():
        ec2.import_key_pair(KeyName=name, PublicKeyMaterial=public_key(name).encode())
        moto_state.set_key_created(account_id, region, name, now - timedelta(days=age_days))
    for server in servers:
        launched = _launch(ec2, estate, server, now)
        estate.instances.append(launched)
        if server.tier == "db":
            volume = ec2.create_volume(Size=500, VolumeType="gp3", AvailabilityZone=estate.zone,
                                       Encrypted=True, TagSpecifications=[{
                                           "ResourceType": "volume", "Tags": [
                                               {"Key": "Name", "Value": f"{server.name}-data"},
                                               {"Key": "Owner", "Value": server.owner}]}])
            ec2.attach_volume(VolumeId=volume["VolumeId"], InstanceId=launched.instance_id,
                              Device="/dev/sdf")
    for launched in estate.instances:
        moto_state.set_launch_time(account_id, region, launched.instance_id, launched.launched)
        if launched.server.state == "stopped":
            ec2.stop_instances(InstanceIds=[launched.instance_id])
        elif launched.server.state == "terminated":
            ec2.terminate_instances(InstanceIds=[launched.instance_id])
        if launched.server.state != "running":
            moto_state.set_transition_time(account_id, region, launched.instance_id,
                                           stopped_at(launched, now))
    ec2.create_volume(Size=100, VolumeType="gp2", AvailabilityZone=estate.zone, TagSpecifications=[{
        "ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "restore-test-do-not-delete"},
                                           {"Key": "Owner", "Value": "bob"}]}])
    return estate
