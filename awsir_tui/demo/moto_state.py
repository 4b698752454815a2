"""Where seeding reaches into moto's in-process state instead of going through its API.

Everything else is created through boto3 over HTTP, like a real client would. These
cannot be: no AWS API sets when an instance was launched or a key pair created (moto
stamps "now", but the story needs servers and keys from months ago and an attack minutes
before the demo starts, or the attacker's key would not stand out), and writing a week
of CloudTrail files one PUT at a time over HTTP would make every test session's start
slow. All of it only touches the demo's own process.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from moto.ec2.models import ec2_backends
from moto.iam.models import iam_backends
from moto.s3.models import s3_backends


def _naive(when: datetime) -> datetime:
    """moto keeps naive UTC datetimes."""
    return when.astimezone(UTC).replace(tzinfo=None)


def set_launch_time(account_id: str, region: str, instance_id: str, when: datetime) -> None:
    """Back-date an instance, the volumes and the network interfaces attached to it to
    ``when``: a data volume attached "now", or the primary interface (QA: "device index
    0 since" 43 minutes after the launch), read as something done during the attack."""
    backend = ec2_backends[account_id][region]
    instance = backend.get_instance(instance_id)
    instance.launch_time = _naive(when)
    for device in instance.block_device_mapping.values():
        device.attach_time = _naive(when)
    for interface in instance.nics.values():
        if interface.attach_time is not None:
            interface.attach_time = _naive(when)
    for volume in backend.volumes.values():
        attachment = volume.attachment
        if attachment is not None and attachment.instance.id == instance_id:
            attachment.attach_time = _naive(when)
            volume.create_time = _naive(when)


def set_transition_time(account_id: str, region: str, instance_id: str, when: datetime
                        ) -> None:
    """Say that a stopped or terminated instance was stopped by a user at ``when``."""
    instance = ec2_backends[account_id][region].get_instance(instance_id)
    instance._reason = f"User initiated ({_naive(when):%Y-%m-%d %H:%M:%S} GMT)"


def set_key_created(account_id: str, region: str, key_name: str, when: datetime) -> None:
    """Back-date a key pair's ``CreateTime`` to ``when``."""
    ec2_backends[account_id][region].key_pairs[key_name].create_time = _naive(when)


def set_iam_created(account_id: str, when: datetime, keys_when: datetime) -> None:
    """Back-date the account's IAM users, roles, instance profiles and customer managed
    policies to ``when``, and their access keys to ``keys_when``: created "now", minutes
    after the attack, an instance's role read as made during it."""
    backend = iam_backends[account_id]["aws"]
    customer = [p for p in backend.managed_policies.values() if f":{account_id}:" in p.arn]
    entities: list[Any] = [*backend.users.values(), *backend.roles.values(),
                           *backend.instance_profiles.values(), *customer]
    for entity in entities:
        entity.create_date = _naive(when)
    for policy in customer:
        for version in policy.versions:
            version.create_date = _naive(when)
    for user in backend.users.values():
        for key in user.access_keys:
            key.create_date = _naive(keys_when)


def put_objects(account_id: str, bucket: str, objects: dict[str, bytes]) -> None:
    """Store many objects at once, straight into moto's S3 backend."""
    backend = s3_backends[account_id]["aws"]
    for key, body in objects.items():
        backend.put_object(bucket, key, body)
