"""Forensic copies made on the demo account for `:evidence`'s tests, and moto made to
answer for them as EC2 does while it is still copying."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_block_store import Snapshot

from awsir_tui.aws.actions import execute, plan_image, plan_snapshots
from awsir_tui.aws.context import AwsContext
from tests.helpers_app import demo_context


def made(demo: Any, case: str, instance_id: str = "", region: str = ""
         ) -> tuple[AwsContext, str, str]:
    """A snapshot (F) and an image (I) of ``instance_id`` (the proxy's by default), made
    as the app makes them: the context that made them, the snapshot's ID, the image's."""
    facts = demo.facts
    instance_id, region = instance_id or facts.proxy_instance_id, region or facts.proxy_region
    ctx = demo_context(demo, allow_actions=True)
    [snapshot] = execute(ctx, plan_snapshots(ctx, region, instance_id, case)[0]).created
    [image] = execute(ctx, plan_image(ctx, region, instance_id, case)).created
    return ctx, snapshot, image


@contextmanager
def still_copying(demo: Any, region: str, snapshot_id: str, image_id: str,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The snapshot and the image pending in moto (which completes them at once), the
    snapshot 42% through: what EC2 answers for minutes after F or I. Both complete as
    the block ends."""
    backend = ec2_backends[demo.account_id][region]
    snapshot, image = backend.snapshots[snapshot_id], backend.amis[image_id]
    monkeypatch.setattr(Snapshot, "progress", property(
        lambda self: "42%" if self.status == "pending" else "100%"))
    snapshot.status, image.state = "pending", "pending"
    try:
        yield
    finally:
        snapshot.status, image.state = "completed", "available"
