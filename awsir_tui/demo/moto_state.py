"""The two places where seeding reaches into moto's in-process state instead of its API.

Everything else is created through boto3 over HTTP, like a real client would. These two
cannot be: no AWS API sets an instance's launch time (moto stamps "now", but the story
needs servers launched months ago and an attack launched minutes before the demo
starts), and writing a week of CloudTrail files one PUT at a time over HTTP would make
every test session's start slow. Both only touch the demo's own process.
"""

from __future__ import annotations

from datetime import UTC, datetime

from moto.ec2.models import ec2_backends
from moto.s3.models import s3_backends


def set_launch_time(account_id: str, region: str, instance_id: str, when: datetime) -> None:
    """Back-date an instance (and its root volume's attach time) to ``when``."""
    instance = ec2_backends[account_id][region].get_instance(instance_id)
    naive = when.astimezone(UTC).replace(tzinfo=None)  # moto keeps naive UTC datetimes
    instance.launch_time = naive
    for device in instance.block_device_mapping.values():
        device.attach_time = naive


def put_objects(account_id: str, bucket: str, objects: dict[str, bytes]) -> None:
    """Store many objects at once, straight into moto's S3 backend."""
    backend = s3_backends[account_id]["aws"]
    for key, body in objects.items():
        backend.put_object(bucket, key, body)
