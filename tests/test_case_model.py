"""The case: indicator kinds, merging, saving, reopening, and hostile names."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from awsir_tui.case import Case, CaseFileError, CaseStore, guess_kind, safe_name
from awsir_tui.detect import Detector
from tests.helpers_detect import technique_events


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("i-0abc", "instance-id"),
        ("i-786a3A8B5C0d92eF4", "instance-id"),
        ("sg-003dc7f1f1c686164", "security-group"),
        ("ami-de1fbCab6ccB03e6D", "ami"),
        ("key-0123456789abcdef0", "key-pair"),
        ("AKIAXW7UJ577KFYIAHIM", "access-key"),
        ("ASIAP5CT9NN8EYVU1FXV", "access-key"),
        ("18.236.253.47", "ip"),
        ("08.1.250.216", "ip"),  # anonymised data has leading zeros
        ("2001:db8::1", "ip"),
        ("203.0.113.0/24", "ip"),
        ("arn:aws:iam::229654561268:user/christophe", "arn"),
        ("b379479b-05c9-4c3c-af4b-cbd43acf29e1", "event-id"),
        ("1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca:9f:f5:f1:6f", "fingerprint"),
        ("s3://my-trail-bucket/AWSLogs/", "bucket"),
        ("aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64", "user-agent"),
        ("malicious-iam-user", "other"),
        ("   ", "other"),
    ],
)
def test_guess_kind(value, kind):
    assert guess_kind(value) == kind


def test_marking_merges_sightings_and_times():
    case = Case("c")
    early = datetime(2024, 8, 2, 8, 0, tzinfo=UTC)
    late = datetime(2024, 8, 2, 9, 0, tzinfo=UTC)
    case.mark("18.236.253.47", source="events", region="us-east-1", ref="ev-1", seen=late)
    case.mark(" 18.236.253.47 ", source="instances", region="us-east-1", seen=early, note="proxy")
    case.mark("18.236.253.47", source="events", region="us-east-1", ref="ev-1", seen=late)
    [indicator] = case.indicators.values()
    assert indicator.key == ("ip", "18.236.253.47")
    assert [s.label() for s in indicator.sightings] == [
        "events us-east-1 ev-1",
        "instances us-east-1",
    ]
    assert (indicator.first_seen, indicator.last_seen) == (early, late)
    assert indicator.note == "proxy"
    case.mark("18.236.253.47", kind="other")  # an explicit kind is a different indicator
    assert len(case.indicators) == 2
    assert case.unmark("other", "18.236.253.47") and not case.unmark("other", "nope")
    assert case.mark("s3://bucket-one/x/", kind="bucket").value == "bucket-one"
    with pytest.raises(ValueError):
        case.mark("  ")


def test_reopen_restores_indicators_notes_place_findings_timeline(tmp_path):
    store = CaseStore(tmp_path)
    events = technique_events("credential-access.ec2-steal-instance-credentials")
    findings = Detector().run(events)
    case = store.load("incident-42", account="017622104382")
    case.mark("i-786a3A8B5C0d92eF4", source="instances", region="us-north-2r", note="the proxy")
    case.mark_event(events[0])
    case.keep_finding(findings[0], events)
    case.add_note("credentials used from 18.236.253.47")
    case.place = {"view": "events", "filter": "user:i-786a3A8B5C0d92eF4", "cursor": 3}
    store.save(case)

    again = CaseStore(tmp_path).load("incident-42")
    assert again.to_dict() == case.to_dict()
    assert again.account == "017622104382"
    assert again.place["filter"] == "user:i-786a3A8B5C0d92eF4"
    assert again.findings == [findings[0]]
    assert set(findings[0].event_ids) <= set(again.timeline)
    assert again.indicators[("instance-id", "i-786a3A8B5C0d92eF4")].note == "the proxy"


def test_missing_case_is_new_and_empty(tmp_path):
    case = CaseStore(tmp_path / "not-yet").load("fresh", account="123")
    assert (case.name, case.account, case.indicators, case.notes) == ("fresh", "123", {}, [])


def test_corrupt_case_is_reported_set_aside_and_backup_opens(tmp_path):
    store = CaseStore(tmp_path)
    case = store.load("c")
    case.mark("i-0abc1234")
    store.save(case)
    case.mark("sg-0abc1234")
    path = store.save(case)
    path.write_text('{"name": "c", "indicators": [')  # truncated by a bad disk or an editor
    with pytest.raises(CaseFileError) as error:
        store.load("c")
    message = str(error.value)
    assert str(path) in message and "unreadable" in message and ".bak" in message
    assert not path.exists()
    assert list(tmp_path.glob("c.json.unreadable-*"))
    previous = store.load("c", from_backup=True)
    assert set(previous.indicators) == {("instance-id", "i-0abc1234")}


def test_missing_file_between_renames_falls_back_to_backup(tmp_path):
    store = CaseStore(tmp_path)
    case = store.load("c")
    case.mark("i-0abc1234")
    store.save(case)
    store.save(case)
    store.path_for("c").unlink()  # killed after "current -> .bak", before "new -> current"
    assert set(store.load("c").indicators) == {("instance-id", "i-0abc1234")}


def test_newer_format_is_refused_clearly(tmp_path):
    store = CaseStore(tmp_path)
    store.path_for("c").parent.mkdir(parents=True, exist_ok=True)
    store.path_for("c").write_text(json.dumps({"format": 99, "name": "c"}))
    with pytest.raises(CaseFileError, match="newer than this tool"):
        store.load("c")


@pytest.mark.parametrize(
    "hostile",
    ["../../.bashrc", "/etc/passwd", "..", ".hidden", "a/../../b", "con\x00trol", "évil\u202e", ""],
)
def test_attacker_case_names_stay_in_the_case_directory(tmp_path, hostile):
    store = CaseStore(tmp_path / "cases")
    case = Case(hostile)
    case.mark("i-0abc1234")
    path = store.save(case)
    assert path.parent == tmp_path / "cases"
    assert not path.name.startswith(".")
    assert set(store.load(hostile).indicators) == {("instance-id", "i-0abc1234")}


def test_safe_names_do_not_collide():
    assert safe_name("prod-account_1.x") == "prod-account_1.x"
    assert safe_name("a/b") != safe_name("a_b")
    assert len(safe_name("x" * 500)) <= 64


def test_default_case_directory_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    store = CaseStore()
    assert store.directory == tmp_path / "xdg" / "awsir-tui" / "cases"
    case = Case("123456789012")
    case.mark("i-0abc1234")
    store.save(case)
    store.journal_path_for("123456789012").write_text("")
    assert store.names() == ["123456789012"]
    assert CaseStore(tmp_path / "nothing").names() == []


def test_removing_a_marked_events_id_takes_the_event_off_the_timeline():
    """`d` on an event's ID in :indicators left the event on the timeline, still
    "marked", in every export, with no way to take it out; one a finding also put there
    stays, for the finding alone."""
    events = technique_events("credential-access.ec2-steal-instance-credentials")
    findings = Detector().run(events)
    flagged = next(e for e in events if e.event_id in findings[0].event_ids)
    alone = next(e for e in events if e.event_id not in findings[0].event_ids)
    case = Case("c")
    case.mark_event(alone)
    case.keep_finding(findings[0], events)
    case.mark_event(flagged)
    assert case.timeline[flagged.event_id].why == f"flagged: {findings[0].title}; marked"

    assert case.unmark("event-id", alone.event_id)
    assert alone.event_id not in case.timeline
    assert case.unmark("event-id", flagged.event_id)
    assert case.timeline[flagged.event_id].why == f"flagged: {findings[0].title}"
    # Marked first, then flagged: the finding's reason is what stays.
    case.unmark("event-id", flagged.event_id)
    case.timeline.clear()
    case.mark_event(flagged)
    case.keep_finding(findings[0], events)
    case.unmark("event-id", flagged.event_id)
    assert case.timeline[flagged.event_id].why == f"flagged: {findings[0].title}"
    # Another indicator's removal leaves the timeline alone.
    case.mark_event(alone)
    case.mark("18.236.253.47")
    case.unmark("ip", "18.236.253.47")
    assert case.timeline[alone.event_id].why == "marked"


def test_removing_a_value_takes_the_event_it_brought():
    """`m` on a value of an event's page keeps the event as its evidence; `d` on the
    value left that event on the timeline, "marked", in every export. It goes with the
    value now, unless the responder marked it too or another value keeps it."""
    events = technique_events("credential-access.ec2-steal-instance-credentials")
    first, second = events[0], events[1]
    case = Case("c")
    case.mark("18.236.253.47", "ip", evidence=first)
    case.mark("AKIAEXAMPLE0000000001", "access-key", evidence=first)
    case.mark("18.236.253.47", "ip", evidence=second)
    case.mark_event(second)
    assert case.timeline[first.event_id].why == (
        "evidence of ip 18.236.253.47; evidence of access-key AKIAEXAMPLE0000000001")
    assert case.evidence_leaving("ip", "18.236.253.47") == []

    assert case.unmark("ip", "18.236.253.47")
    # The first stays for the key, the second because it was marked itself.
    assert case.timeline[first.event_id].why == "evidence of access-key AKIAEXAMPLE0000000001"
    assert case.timeline[second.event_id].why == "marked"
    assert case.evidence_leaving("access-key", "AKIAEXAMPLE0000000001") == [first.event_id]
    assert case.unmark("access-key", "AKIAEXAMPLE0000000001")
    assert list(case.timeline) == [second.event_id]
    assert ("event-id", first.event_id) not in case.indicators
    assert ("event-id", second.event_id) in case.indicators
    assert case.evidence_leaving("event-id", second.event_id) == [second.event_id]
    assert not case.unmark("access-key", "AKIAEXAMPLE0000000001")  # gone already
    # An event's ID the responder wrote a note on stays an indicator, its note with it.
    case.mark("18.236.253.47", "ip", evidence=first)
    case.indicators[("event-id", first.event_id)].note = "the first call from there"
    assert case.unmark("ip", "18.236.253.47")
    assert first.event_id not in case.timeline
    assert case.indicators[("event-id", first.event_id)].note == "the first call from there"
