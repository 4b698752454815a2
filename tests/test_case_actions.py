"""Every account-changing call attempted reaches the case, and every export of it
(responder review #1, #2): only a snapshot made became a note; one that failed (the
volume deleted meanwhile), one declined, one a read-only session refused were in the
journal alone, which no export named. The guard's records go through the case's own
journal on disk, as in the app; the case is read back from its file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.aws.guard import Guard
from awsir_tui.case.export import FORMATS, export_case
from awsir_tui.case.journal import CallRecord
from awsir_tui.case.session import CaseSession
from awsir_tui.case.store import CaseStore

WHO = "arn:aws:iam::123456789012:user/responder"
VOLUMES = ("vol-0aaaaaaaaaaaaaaa1", "vol-0bbbbbbbbbbbbbbb2", "vol-0ccccccccccccccc3",
           "vol-0ddddddddddddddd4")
SNAPSHOT = "snap-0eeeeeeeeeeeeeee5"


def _record(operation: str, outcome: str, code: str, resource: str,
            created: str = "") -> CallRecord:
    from datetime import UTC, datetime

    return CallRecord(datetime.now(UTC), "ec2", "eu-west-1", operation, True, outcome, code,
                      resource, created)


def _worked_case(directory: Path) -> CaseSession:
    """A case that snapshotted one volume, failed on one, declined one and was refused
    one, each through the guard as the forensic actions call it."""
    session = CaseSession("incident", "123456789012", directory, identity=WHO)
    guard = Guard(allow_actions=True)
    guard.add_sink(session.journal.record)
    # The calls AWS answered reach the journal from botocore's hooks: their records.
    session.journal.record(_record("CreateSnapshot", "ok", "", VOLUMES[0], SNAPSHOT))
    session.journal.record(_record("CreateSnapshot", "error", "InvalidVolume.NotFound",
                                   VOLUMES[1]))
    guard.record_unsent("ec2", "eu-west-1", "CreateSnapshot", VOLUMES[2], "declined",
                        "declined by the user")
    guard.record_unsent("ec2", "eu-west-1", "CreateSnapshot", VOLUMES[3], "refused",
                        "read-only session")
    guard.record_unsent("ec2", "eu-west-1", "DescribeVolumes", "", "refused", "not a change")
    return session


def test_every_change_attempted_is_in_the_case_file(tmp_path: Path) -> None:
    _worked_case(tmp_path).close()
    case = CaseStore(tmp_path).load("incident")
    said = [action.text for action in case.actions]
    assert said == [
        f"forensic CreateSnapshot of {VOLUMES[0]} in eu-west-1: ok, created {SNAPSHOT}",
        f"forensic CreateSnapshot of {VOLUMES[1]} in eu-west-1: FAILED InvalidVolume.NotFound",
        f"forensic CreateSnapshot of {VOLUMES[2]} in eu-west-1: DECLINED (declined by the user)",
        f"forensic CreateSnapshot of {VOLUMES[3]} in eu-west-1: REFUSED (read-only session)",
    ]
    assert {action.who for action in case.actions} == {WHO}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_holds_the_changes_and_names_the_journal(tmp_path: Path, fmt: str) -> None:
    session = _worked_case(tmp_path)
    text = export_case(session.snapshot(), fmt)
    session.close()
    for volume in VOLUMES:
        assert volume in text
    for outcome in ("InvalidVolume.NotFound", "declined", "refused", SNAPSHOT):
        assert outcome in text
    assert "incident.journal.jsonl" in text
    assert (tmp_path / "incident.journal.jsonl").exists()


def test_the_json_export_says_each_outcome(tmp_path: Path) -> None:
    session = _worked_case(tmp_path)
    data = json.loads(export_case(session.snapshot(), "json"))
    session.close()
    assert [(a["resource"], a["outcome"]) for a in data["actions"]] == [
        (VOLUMES[0], "ok"), (VOLUMES[1], "InvalidVolume.NotFound"),
        (VOLUMES[2], "declined"), (VOLUMES[3], "refused")]
