"""A week of ordinary CloudTrail activity in Bob's company, across all demo regions.

The haystack the attack hides in: instance credential refreshes and SSM check-ins from
every instance with a role, people logging in to the console with MFA and looking
around, scripts and Terraform describing things and launching the few instances that
were created this week. Nothing in it should itself look like an attack: no ingress
from anywhere, no new users or keys, no logins without MFA.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from awsir_tui.demo.company import CI_IP, CONSOLE_AGENT, OFFICE_IPS, PEOPLE, ROLES
from awsir_tui.demo.records import (
    Actor,
    access_key,
    assumed_role,
    aws_service,
    iam_user,
    new_id,
    record,
)
from awsir_tui.demo.seed_ec2 import Launched, RegionEstate, stopped_at
from awsir_tui.demo.seed_iam import Identities
from awsir_tui.demo.sessions import REFRESH, Session, current
from awsir_tui.query.times import utc_stamp

SSM_AGENT = "aws-sdk-go/1.44.260 (go1.21.4; linux; amd64) amazon-ssm-agent/3.3.418.0"
_SSM_ROLES = frozenset(r.name for r in ROLES if "bobs-ssm-core" in r.managed)
_EC2 = "ec2.amazonaws.com"
_CONSOLE_READS = (
    (_EC2, "DescribeInstances"), (_EC2, "DescribeSecurityGroups"), (_EC2, "DescribeVolumes"),
    (_EC2, "DescribeInstanceStatus"), (_EC2, "DescribeKeyPairs"), (_EC2, "DescribeVpcs"),
    ("s3.amazonaws.com", "ListBuckets"), ("cloudtrail.amazonaws.com", "DescribeTrails"),
    ("iam.amazonaws.com", "ListRoles"), ("monitoring.amazonaws.com", "GetMetricData"),
)
_TERRAFORM_READS = ("DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups",
                    "DescribeInstances", "DescribeInstanceAttribute", "DescribeVolumes",
                    "DescribeTags", "DescribeImages")


@dataclass(frozen=True)
class World:
    """What the generator reads: IDs from seeding and the instances' credential schedules."""

    account: str
    now: datetime
    days: int
    identities: Identities
    estates: tuple[RegionEstate, ...]
    sessions: dict[str, list[Session]]  # instance ID -> its credential schedule
    nat_ips: dict[str, str]  # network name -> egress address of its private subnets
    data_bucket: str  # the analytics bucket the ETL workers read


def _workday_times(rng: random.Random, world: World, per_day: int) -> Iterator[datetime]:
    """Times in office hours (07-19 UTC) on weekdays, a few on weekends."""
    start = world.now - timedelta(days=world.days)
    for day in range(world.days + 1):
        date = (start + timedelta(days=day)).replace(hour=0, minute=0, second=0, microsecond=0)
        count = per_day if date.weekday() < 5 else max(0, per_day // 6)
        for _ in range(count):
            when = date + timedelta(seconds=rng.uniform(7 * 3600, 19 * 3600))
            if start <= when < world.now - timedelta(hours=1):
                yield when


def _instance_activity(rng: random.Random, world: World) -> Iterator[dict[str, Any]]:
    """Credential refreshes (AssumeRole by EC2) and SSM agent check-ins, per instance."""
    for estate in world.estates:
        for launched in estate.instances:
            role = launched.server.role
            if role is None or launched.instance_id not in world.sessions:
                continue
            role_arn = f"arn:aws:iam::{world.account}:role/{role}"
            ip = launched.public_ip or world.nat_ips[launched.server.network]
            sessions = world.sessions[launched.instance_id]
            for session in sessions:
                yield record(
                    rng, account=world.account, when=session.issued, region=estate.region,
                    actor=Actor(aws_service(_EC2), _EC2, _EC2),
                    source="sts.amazonaws.com", name="AssumeRole",
                    request={"roleArn": role_arn, "roleSessionName": launched.instance_id},
                    response={"credentials": {
                        "accessKeyId": session.key_id,
                        "expiration": utc_stamp(session.issued + REFRESH + timedelta(hours=1))}},
                    resources=[{"accountId": world.account, "type": "AWS::IAM::Role",
                                "ARN": role_arn}],
                    extra={"sharedEventID": new_id(rng), "readOnly": True},
                )
            if role not in _SSM_ROLES or launched.server.state != "running":
                continue
            when = sessions[0].issued + timedelta(minutes=rng.uniform(1, 30))
            while when < world.now - timedelta(minutes=5):
                session = current(sessions, when)
                identity = assumed_role(world.account, role, world.identities.role_ids[role],
                                        launched.instance_id, session.key_id, session.issued,
                                        ec2_role_delivery=True)
                yield record(
                    rng, account=world.account, when=when, region=estate.region,
                    actor=Actor(identity, ip, SSM_AGENT), source="ssm.amazonaws.com",
                    name="UpdateInstanceInformation",
                    request={"instanceId": launched.instance_id, "agentVersion": "3.3.418.0",
                             "agentStatus": "Active", "platformType": "Linux",
                             "platformName": "Amazon Linux", "platformVersion": "2023"},
                )
                when += timedelta(hours=2, minutes=rng.uniform(-10, 10))


def _console_user(world: World, name: str, rng: random.Random, ip: str, login: datetime
                  ) -> Actor:
    """A console session: the IAM user with a temporary ``ASIA`` key and MFA."""
    identity = iam_user(world.account, name, world.identities.user_ids[name],
                        access_key(rng, "ASIA"))
    identity["sessionContext"] = {"attributes": {"creationDate": utc_stamp(login),
                                                 "mfaAuthenticated": "true"}}
    return Actor(identity, ip, CONSOLE_AGENT)


def _people(rng: random.Random, world: World) -> Iterator[dict[str, Any]]:
    """Console sign-ins with MFA, then a little browsing in a random region."""
    regions = [e.region for e in world.estates]
    for person in PEOPLE:
        if not person.console:
            continue
        for login in _workday_times(rng, world, per_day=1):
            ip = rng.choice(OFFICE_IPS)
            yield record(
                rng, account=world.account, when=login, region="us-east-1",
                actor=Actor(iam_user(world.account, person.name,
                                     world.identities.user_ids[person.name], None),
                            ip, CONSOLE_AGENT),
                source="signin.amazonaws.com", name="ConsoleLogin",
                response={"ConsoleLogin": "Success"},
                extra={"eventType": "AwsConsoleSignIn", "readOnly": False,
                       "additionalEventData": {
                           "LoginTo": "https://console.aws.amazon.com/console/home",
                           "MobileVersion": "No", "MFAUsed": "Yes", "MFAIdentifier":
                           f"arn:aws:iam::{world.account}:mfa/{person.name}"}},
            )
            console = _console_user(world, person.name, rng, ip, login)
            when = login
            for _ in range(rng.randint(4, 25)):
                when += timedelta(seconds=rng.uniform(5, 600))
                source, name = rng.choice(_CONSOLE_READS)
                region = "us-east-1" if source in ("iam.amazonaws.com", "s3.amazonaws.com") else (
                    rng.choice(regions))
                browsed = record(rng, account=world.account, actor=console, when=when,
                                 region=region, source=source, name=name,
                                 request={} if source != _EC2 else {"filterSet": {}},
                                 extra={"sessionCredentialFromConsole": "true"})
                # A sign-in an hour before the seed browsed on past it (25 reads up to 10
                # minutes apart): events from the future. Drawn all the same, so that the
                # records after it keep their IDs whatever the hour of the seed.
                if when < world.now - timedelta(minutes=5):
                    yield browsed


def _scripts(rng: random.Random, world: World) -> Iterator[dict[str, Any]]:
    """API users: inventory scripts, Terraform runs, a security review."""
    regions = [e.region for e in world.estates]
    agents = {p.name: p.agent for p in PEOPLE}

    def actor(name: str, ip: str) -> Actor:
        return Actor(iam_user(world.account, name, world.identities.user_ids[name],
                              world.identities.user_keys[name]), ip, agents[name])

    for when in _workday_times(rng, world, per_day=3):
        who = actor("alice", rng.choice(OFFICE_IPS))
        for offset, region in enumerate(regions):
            yield record(rng, account=world.account, actor=who,
                         when=when + timedelta(seconds=offset * 2), region=region,
                         source=_EC2, name="DescribeInstances",
                         request={"instancesSet": {}, "filterSet": {}})
    for when in _workday_times(rng, world, per_day=4):
        who = actor("ci-deploy", CI_IP)
        region = rng.choice(regions[:2])
        for step, name in enumerate(_TERRAFORM_READS):
            yield record(rng, account=world.account, actor=who,
                         when=when + timedelta(seconds=step * 1.5), region=region,
                         source=_EC2, name=name, request={"filterSet": {}})
    for when in _workday_times(rng, world, per_day=2):
        who = actor("carol", rng.choice(OFFICE_IPS))
        for step, name in enumerate(("DescribeInstances", "DescribeVolumes")):
            yield record(rng, account=world.account, actor=who,
                         when=when + timedelta(seconds=step), region="ap-southeast-2",
                         source=_EC2, name=name, request={"filterSet": {}})
    for when in _workday_times(rng, world, per_day=1):
        who = actor("erin", rng.choice(OFFICE_IPS))
        for step, (source, name) in enumerate((
            ("sts.amazonaws.com", "GetCallerIdentity"),
            ("cloudtrail.amazonaws.com", "DescribeTrails"),
            ("cloudtrail.amazonaws.com", "GetTrailStatus"),
            (_EC2, "DescribeFlowLogs"),
        )):
            yield record(rng, account=world.account, actor=who,
                         when=when + timedelta(seconds=step * 3), region="us-east-1",
                         source=source, name=name, request={})


def _data_events(rng: random.Random, world: World) -> Iterator[dict[str, Any]]:
    """The ETL workers read raw files hourly: S3 data events, in the archive only.

    Event history (LookupEvents) holds management events alone, like AWS's, so these
    show what only the S3 archive can tell.
    """
    for estate in world.estates:
        for launched in estate.instances:
            server = launched.server
            if server.role != "data-pipeline-role" or launched.instance_id not in world.sessions:
                continue
            sessions = world.sessions[launched.instance_id]
            when = sessions[0].issued + timedelta(minutes=rng.uniform(5, 50))
            while when < world.now - timedelta(minutes=5):
                session = current(sessions, when)
                key = f"raw/{when:%Y/%m/%d/%H}/orders-{rng.randint(0, 9999):04d}.json.gz"
                identity = assumed_role(world.account, server.role,
                                        world.identities.role_ids[server.role],
                                        launched.instance_id, session.key_id, session.issued,
                                        ec2_role_delivery=True)
                yield record(
                    rng, account=world.account, when=when, region=estate.region,
                    actor=Actor(identity, world.nat_ips[server.network],
                                "aws-sdk-java/2.25.60 Linux/6.1 OpenJDK_64-Bit_Server_VM/17"),
                    source="s3.amazonaws.com", name="GetObject",
                    request={"bucketName": world.data_bucket, "key": key,
                             "Host": f"{world.data_bucket}.s3.{estate.region}.amazonaws.com"},
                    resources=[
                        {"type": "AWS::S3::Object",
                         "ARN": f"arn:aws:s3:::{world.data_bucket}/{key}"},
                        {"accountId": world.account, "type": "AWS::S3::Bucket",
                         "ARN": f"arn:aws:s3:::{world.data_bucket}"}],
                    extra={"managementEvent": False, "eventCategory": "Data",
                           "additionalEventData": {"bytesTransferredOut": rng.randint(10**4,
                                                                                        10**7)}},
                )
                when += timedelta(hours=1, minutes=rng.uniform(-5, 5))


def _launches(rng: random.Random, world: World) -> Iterator[dict[str, Any]]:
    """RunInstances (and their stop) for the instances that were created inside the window."""
    oldest = world.now - timedelta(days=world.days)
    for estate in world.estates:
        for launched in estate.instances:
            if launched.launched < oldest:
                continue
            launch = _launch_record(rng, world, estate, launched)
            yield launch
            if launched.server.state == "stopped" and stopped_at(launched, world.now) > oldest:
                actor = Actor(launch["userIdentity"], launch["sourceIPAddress"],
                              launch["userAgent"])
                yield record(
                    rng, account=world.account, actor=actor, region=estate.region,
                    when=stopped_at(launched, world.now),
                    source=_EC2, name="StopInstances",
                    request={"instancesSet": {"items": [{"instanceId": launched.instance_id}]},
                             "force": False},
                    response={"instancesSet": {"items": [{
                        "instanceId": launched.instance_id,
                        "currentState": {"code": 64, "name": "stopping"},
                        "previousState": {"code": 16, "name": "running"}}]}},
                )


def _launch_record(rng: random.Random, world: World, estate: RegionEstate,
                   launched: Launched) -> dict[str, Any]:
    """The RunInstances that created ``launched``: people launch via CI, Carol by hand."""
    server = launched.server
    name = "ci-deploy" if server.owner in ("ci-deploy", "dave", "alice") else server.owner
    person = next(p for p in PEOPLE if p.name == name)
    identity = iam_user(world.account, name, world.identities.user_ids[name],
                        world.identities.user_keys.get(name))
    ip = CI_IP if name == "ci-deploy" else OFFICE_IPS[0]
    request: dict[str, Any] = {
        "instancesSet": {"items": [{"imageId": estate.image_id, "minCount": 1, "maxCount": 1,
                                    "keyName": server.key}]},
        "instanceType": server.instance_type, "blockDeviceMapping": {},
        "monitoring": {"enabled": False}, "disableApiTermination": False,
        "tagSpecificationSet": {"items": [{"resourceType": "instance", "tags": [
            {"key": "Name", "value": server.name}, {"key": "Owner", "value": server.owner}]}]},
    }
    if server.role:
        request["iamInstanceProfile"] = {"name": next(r.profile for r in ROLES
                                                      if r.name == server.role)}
    return record(
        rng, account=world.account, when=launched.launched, region=estate.region,
        actor=Actor(identity, ip, person.agent or CONSOLE_AGENT), source=_EC2,
        name="RunInstances", request=request,
        response={"ownerId": world.account, "instancesSet": {"items": [{
            "instanceId": launched.instance_id, "imageId": estate.image_id,
            "instanceType": server.instance_type, "keyName": server.key,
            "privateIpAddress": launched.private_ip,
            "instanceState": {"code": 0, "name": "pending"}}]}},
    )


def background(rng: random.Random, world: World) -> list[dict[str, Any]]:
    """All benign records of the window, in no particular order."""
    out: list[dict[str, Any]] = []
    for part in (_instance_activity, _people, _scripts, _launches, _data_events):
        out.extend(part(rng, world))
    return out
