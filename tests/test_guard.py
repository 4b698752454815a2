"""The guard on its own, over a client whose answers a hook gives (no request leaves
the machine): a change goes out only when actions are allowed and that very call was
permitted, once, from the thread that was permitted, and every call, sent or refused,
is recorded."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from awsir_tui.aws.guard import ActionRefused, AwsCall, Guard

SNAPSHOT = {"SnapshotId": "snap-0123456789abcdef0", "VolumeId": "vol-1", "State": "pending"}


class Answers:
    """AWS's answers, given by a hook after the guard's (botocore's Stubber checks each
    call before the guard sees it, so it cannot stub a call the guard refuses): a call
    that gets past the guard takes the next answer for its operation, and is counted."""

    def __init__(self, client: Any) -> None:
        self.queued: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.sent: list[str] = []
        client.meta.events.register("before-call.*.*", self._answer)

    def add(self, operation: str, parsed: dict[str, Any], status: int = 200) -> None:
        self.queued.setdefault(operation, []).append((status, parsed))

    def _answer(self, model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        self.sent.append(model.name)
        status, parsed = self.queued[model.name].pop(0)
        return AWSResponse("https://ec2.invalid/", status, {}, None), parsed


@pytest.fixture
def client() -> Any:
    return boto3.client("ec2", region_name="eu-west-1", aws_access_key_id="x",
                        aws_secret_access_key="y")


def guarded(client: Any, allow_actions: bool) -> tuple[Guard, list[AwsCall], Answers]:
    guard = Guard(allow_actions)
    seen: list[AwsCall] = []
    guard.add_sink(seen.append)
    guard.attach(client, "ec2", "eu-west-1")
    return guard, seen, Answers(client)


def test_a_read_only_guard_refuses_every_change_and_lets_reads_through(client):
    guard, seen, answers = guarded(client, allow_actions=False)
    answers.add("DescribeVolumes", {"Volumes": []})
    client.describe_volumes()
    with pytest.raises(ActionRefused, match="read-only session"):
        client.create_snapshot(VolumeId="vol-1")
    with pytest.raises(ActionRefused, match="not allowed"), guard.permit("CreateSnapshot"):
        pass
    assert [(c.operation, c.outcome) for c in seen] == [
        ("DescribeVolumes", "ok"), ("CreateSnapshot", "refused"),
    ]
    assert guard.calls == seen and answers.sent == ["DescribeVolumes"]


def test_a_permitted_change_goes_out_once_and_is_journaled_with_what_it_made(client):
    guard, seen, answers = guarded(client, allow_actions=True)
    with pytest.raises(ActionRefused, match="not confirmed"):
        client.create_snapshot(VolumeId="vol-1")
    answers.add("CreateSnapshot", SNAPSHOT)
    answers.add("DescribeVolumes", {"Volumes": []})
    with guard.permit("CreateSnapshot", "vol-1", creates="SnapshotId"):
        with pytest.raises(ActionRefused, match="not confirmed"):
            client.delete_volume(VolumeId="vol-1")  # another change: not this permit's
        client.create_snapshot(VolumeId="vol-1")
        client.describe_volumes()  # a read after it names nothing
        with pytest.raises(ActionRefused, match="not confirmed"):
            client.create_snapshot(VolumeId="vol-1")  # the permit was for one call
    with pytest.raises(ActionRefused, match="not confirmed"):
        client.create_snapshot(VolumeId="vol-1")
    assert [(c.operation, c.outcome, c.resource, c.created) for c in seen] == [
        ("CreateSnapshot", "refused", "", ""),
        ("DeleteVolume", "refused", "", ""),
        ("CreateSnapshot", "ok", "vol-1", "snap-0123456789abcdef0"),
        ("DescribeVolumes", "ok", "", ""),
        ("CreateSnapshot", "refused", "", ""),
        ("CreateSnapshot", "refused", "", ""),
    ]
    assert answers.sent == ["CreateSnapshot", "DescribeVolumes"]


def test_a_permit_holds_for_its_own_thread_only(client):
    guard, seen, answers = guarded(client, allow_actions=True)
    errors: list[BaseException] = []

    def other() -> None:
        try:
            client.create_snapshot(VolumeId="vol-1")
        except ActionRefused as exc:
            errors.append(exc)

    with guard.permit("CreateSnapshot", "vol-1", creates="SnapshotId"):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert len(errors) == 1 and "not confirmed" in str(errors[0])
    assert [(c.operation, c.outcome) for c in seen] == [("CreateSnapshot", "refused")]
    assert answers.sent == []


def test_a_failed_change_is_journaled_and_its_permit_is_spent(client):
    guard, seen, answers = guarded(client, allow_actions=True)
    answers.add("CreateSnapshot", {"Error": {"Code": "IncorrectState", "Message": "no"}}, 400)
    with guard.permit("CreateSnapshot", "vol-1", creates="SnapshotId"):
        with pytest.raises(client.exceptions.ClientError):
            client.create_snapshot(VolumeId="vol-1")
        with pytest.raises(ActionRefused):
            client.create_snapshot(VolumeId="vol-1")
    assert [(c.operation, c.outcome, c.error_code, c.resource) for c in seen] == [
        ("CreateSnapshot", "error", "IncorrectState", "vol-1"),
        ("CreateSnapshot", "refused", "ActionRefused", ""),
    ]
    assert answers.sent == ["CreateSnapshot"]
