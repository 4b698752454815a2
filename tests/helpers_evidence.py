"""Forensic copies made on the demo account for `:evidence`'s tests, and moto made to
answer for them as EC2 does while it is still copying."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_block_store import Snapshot
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.aws.actions import execute, plan_image, plan_snapshots
from awsir_tui.aws.context import AwsContext
from awsir_tui.ui.dialogs import Confirm
from tests.helpers_app import composed, demo_context, wait_for
from tests.helpers_ec2 import open_instance_details


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


def forensics_done(app: AwsirApp) -> bool:
    return not any(w.group == "forensics" and not w.is_finished for w in app.workers)


async def snapshot_with_f(pilot: Pilot[int], app: AwsirApp, instance_id: str) -> str:
    """F on ``instance_id``'s page (from the instances list), Y to its first volume's
    question and n to any other's: the snapshot's ID, once every question is answered."""
    await open_instance_details(pilot, app, instance_id)
    made_before = {c.created for c in app.ctx.guard.calls if c.mutating and c.created}
    await pilot.press("F")
    await wait_for(pilot, lambda: composed(app, Confirm, "#no") is not None, "the question")
    await pilot.press("Y")
    while True:  # one question per volume: the first made, any other declined
        await wait_for(pilot, lambda: forensics_done(app) or (
            composed(app, Confirm, "#no") is not None), "the next question or the end")
        if forensics_done(app):
            break
        await pilot.press("n")
    [snapshot] = {c.created for c in app.ctx.guard.calls if c.mutating and c.created
                  } - made_before
    return snapshot


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
