"""Which regions a case report says were examined: only those the app read (noted from
the call journal as the calls are made), and, apart, the regions its evidence is in. A
responder's archive-only session used to be reported as having examined the app's home
region (the TUI) or nothing at all (the headless export), whatever its events said."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsir_tui.aws.guard import ActionRefused, AwsCall, Guard
from awsir_tui.case import Case, CaseStore, Journal, export_case
from awsir_tui.case.journal import region_read
from awsir_tui.case.session import CaseSession
from awsir_tui.commands.case import export as headless_export
from awsir_tui.events.record import from_record

NAME = "incident-7"


def aws_call(service: str, region: str, operation: str, outcome: str = "ok",
             mutating: bool = False) -> AwsCall:
    """A call as the guard records it."""
    return AwsCall(datetime(2026, 11, 28, 3, 0, tzinfo=UTC), service, region, operation,
                   mutating, outcome, "" if outcome == "ok" else "AccessDenied")


def archive_event(region: str, event_id: str, name: str = "RunInstances"):
    """An event as an archive holds it: the region is whatever the record says."""
    return from_record({
        "eventVersion": "1.08", "eventTime": "2024-08-02T08:23:24Z", "eventName": name,
        "eventSource": "ec2.amazonaws.com", "eventID": event_id, "awsRegion": region,
        "sourceIPAddress": "18.236.253.47", "userIdentity": {"type": "AssumedRole"},
    })


def region_lines(report: str) -> list[str]:
    return [line for line in report.splitlines() if line.startswith("- Regions")]


def headless(store: CaseStore, fmt: str = "md") -> str:
    out, err = io.StringIO(), io.StringIO()
    assert headless_export(store, NAME, fmt, out, err) == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize(
    ("call", "read"),
    [
        (aws_call("ec2", "eu-west-1", "DescribeInstances"), ("eu-west-1", "EC2")),
        (aws_call("ec2", "eu-west-1", "DescribeSecurityGroups"), ("eu-west-1", "EC2")),
        (aws_call("cloudtrail", "ap-south-1", "LookupEvents"), ("ap-south-1", "Event history")),
        (aws_call("cloudtrail", "ap-south-1", "GetTrailStatus"), ("ap-south-1", "CloudTrail")),
        (aws_call("ec2", "us-east-1", "DescribeRegions"), None),  # the list, not a region
        (aws_call("sts", "us-east-1", "GetCallerIdentity"), None),
        (aws_call("iam", "us-east-1", "GetRole"), None),
        (aws_call("s3", "us-east-1", "GetObject"), None),  # an archive: its events say
        (aws_call("cloudtrail", "ap-south-1", "LookupEvents", "error"), None),  # denied
        (aws_call("ec2", "eu-west-1", "CreateSnapshot", "ok", mutating=True), None),
        (aws_call("ec2", "eu-west-1", "DeleteKeyPair", "refused", mutating=True), None),
    ],
)
def test_which_calls_examine_a_region(call, read):
    assert region_read(call) == read


def test_an_archive_only_session_claims_no_region_in_either_report(tmp_path: Path):
    """The responder's session: identity and the region list from the home region, the
    archive from S3, events marked from it in two other regions. The TUI (which passes
    its selection, the home region) and the headless export say the same: nothing was
    read from AWS, and the evidence is in those two regions."""
    session = CaseSession(NAME, "017622104382", tmp_path)
    for call in (aws_call("sts", "us-east-1", "GetCallerIdentity"),
                 aws_call("ec2", "us-east-1", "DescribeRegions"),
                 aws_call("s3", "us-east-1", "ListObjectsV2"),
                 aws_call("s3", "us-east-1", "GetObject")):
        session.journal.record(call)
    session.mark_event(archive_event("us-north-2r", "394cf343-b9cf-48ce-8a94-e188656ae8ba"))
    session.mark_event(archive_event("eu-west-1", "b379479b-05c9-4c3c-af4b-cbd43acf29e1"))
    session.close()
    in_app = export_case(session.case, "md")  # as the TUI exports it
    from_cli = headless(session.store)
    expected = [
        "- Regions read from AWS: none (no EC2 or CloudTrail read in the case's journal)",
        "- Regions of the events and indicators: eu-west-1, us-north-2r",
    ]
    assert region_lines(in_app) == region_lines(from_cli) == expected
    assert "us-east-1" not in in_app and "us-east-1" not in from_cli
    data = json.loads(headless(session.store, "json"))
    assert data["regions_read"] == []
    assert data["evidence_regions"] == ["eu-west-1", "us-north-2r"]


def test_regions_read_through_the_guard_are_kept_in_the_case(tmp_path, demo_client):
    """Over real HTTP to the demo account, through the guard as the app wires it: the
    regions read are noted and saved as the calls are made; a refused write and the
    region list are not reads of a region. A new session, and the headless export,
    say the same."""
    session = CaseSession(NAME, "017622104382", tmp_path)
    guard = Guard(allow_actions=False)
    guard.add_sink(session.journal.record)
    ec2 = demo_client("ec2", "eu-west-1")
    guard.attach(ec2, "ec2", "eu-west-1")
    ec2.describe_instances()
    ec2.describe_regions()
    with pytest.raises(ActionRefused):
        ec2.delete_key_pair(KeyName="ops-recovery")
    trail = demo_client("cloudtrail", "ap-southeast-2")
    guard.attach(trail, "cloudtrail", "ap-southeast-2")
    trail.lookup_events(MaxResults=5)
    session.close()
    expected = {"eu-west-1": {"EC2"}, "ap-southeast-2": {"Event history"}}
    assert session.case.regions_read == expected
    again = CaseSession(NAME, directory=tmp_path)  # read back from the saved file
    assert again.case.regions_read == expected
    again.close()
    line = "- Regions read from AWS: ap-southeast-2 (Event history), eu-west-1 (EC2)"
    assert line in export_case(session.case, "md").splitlines()
    assert line in headless(session.store).splitlines()


def test_a_case_saved_before_regions_were_noted_takes_them_from_its_journal(tmp_path):
    """A case file without the record (an older version saved it): the session reads
    its journal once, and the headless export reads the journal too, so neither report
    says "none" for a case whose journal shows the reads."""
    store = CaseStore(tmp_path)
    data = Case(NAME, account="017622104382").to_dict()
    del data["regions_read"]
    store.path_for(NAME).write_text(json.dumps(data))
    journal = Journal(store.journal_path_for(NAME))
    journal.record(aws_call("ec2", "ap-south-1", "DescribeInstances"))
    journal.record(aws_call("cloudtrail", "ca-central-1", "LookupEvents", "error"))
    journal.close()
    line = "- Regions read from AWS: ap-south-1 (EC2)"
    assert line in headless(store).splitlines()
    session = CaseSession(NAME, directory=tmp_path)
    assert session.case.regions_read == {"ap-south-1": {"EC2"}}
    session.close()
    assert line in export_case(session.case, "md").splitlines()
    # Saved at once: the next start does not read the journal again.
    assert store.load(NAME).reads_noted


def test_an_export_reads_a_snapshot_the_ui_thread_cannot_change(tmp_path: Path) -> None:
    """The indicators export runs in a thread while `m` goes on marking: it reads a
    copy taken under the session's lock, never the case being changed."""
    session = CaseSession(NAME, "017622104382", tmp_path)
    session.mark("203.0.113.66", kind="ip", source="events")
    taken = session.snapshot()
    session.mark("198.51.100.7", kind="ip", source="events")
    session.note("the second address is the proxy")
    assert [i.value for i in taken.indicators.values()] == ["203.0.113.66"]
    assert not taken.notes
    assert len(session.case.indicators) == 2
    session.close()


def test_the_case_file_and_the_json_export_write_the_regions_read_alike(tmp_path: Path):
    """One form for both, sorted by region and by what was read, and read back whole."""
    case = Case(NAME)
    for region, what in (("us-east-1", "EC2"), ("eu-west-1", "Event history"),
                         ("eu-west-1", "EC2")):
        case.note_read(region, what)
    expected = [{"region": "eu-west-1", "read": ["EC2", "Event history"]},
                {"region": "us-east-1", "read": ["EC2"]}]
    assert case.to_dict()["regions_read"] == expected
    assert json.loads(export_case(case, "json"))["regions_read"] == expected
    store = CaseStore(tmp_path)
    store.save(case)
    assert store.load(NAME).regions_read == case.regions_read
    line = "- Regions read from AWS: eu-west-1 (EC2, Event history), us-east-1 (EC2)"
    assert line in export_case(case, "md").splitlines()


def test_a_snapshot_keeps_the_regions_read_when_it_was_taken(tmp_path: Path) -> None:
    """Reads are noted from the threads that make the calls, in place, under the
    session's lock: an export's snapshot, taken under the same lock, does not change."""
    session = CaseSession(NAME, "017622104382", tmp_path)
    session.journal.record(aws_call("ec2", "eu-west-1", "DescribeInstances"))
    taken = session.snapshot()
    session.journal.record(aws_call("cloudtrail", "eu-west-1", "LookupEvents"))
    session.journal.record(aws_call("ec2", "us-east-1", "DescribeInstances"))
    session.close()
    assert taken.regions_read == {"eu-west-1": {"EC2"}}
    expected = {"eu-west-1": {"EC2", "Event history"}, "us-east-1": {"EC2"}}
    assert session.case.regions_read == expected
    assert CaseStore(tmp_path).load(NAME).regions_read == expected
