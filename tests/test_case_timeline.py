"""The timeline says how each call ended and what it asked for, in every export."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from awsir_tui.case import Case, CaseStore
from awsir_tui.case.export import FORMATS
from awsir_tui.case.export import md as md_escaped
from awsir_tui.commands.case import export
from awsir_tui.events.record import from_record

PASSWORD = "Hunter2-correct-horse"
IMAGE = "ami-0f3c9c1a2b3c4d5e6"
LAUNCHED = "i-a81bad37a6a6c5f5f"
LISTED = "i-0b0b0b0b0b0b0b0b0"


def record(event_id: str, minute: int, name: str, request: dict[str, Any],
           response: dict[str, Any] | None = None, error: str = "",
           region: str = "us-east-1") -> dict[str, Any]:
    """A management event as CloudTrail writes it (a failed call has no response)."""
    out: dict[str, Any] = {
        "eventVersion": "1.09", "eventID": event_id, "eventName": name,
        "eventTime": f"2026-11-29T12:{minute:02d}:14Z", "eventSource": "ec2.amazonaws.com",
        "awsRegion": region, "sourceIPAddress": "198.51.100.23",
        "recipientAccountId": "123456789012",
        "userIdentity": {"type": "AssumedRole", "accessKeyId": "ASIAEXAMPLEEXAMPLE12",
                         "arn": "arn:aws:sts::123456789012:assumed-role/web/i-0proxy"},
        "requestParameters": request, "responseElements": None if error else response,
    }
    if error:
        out["errorCode"], out["errorMessage"] = error, f"{error}: no"
    return out


def run_request(itype: str, count: int, **extra: object) -> dict[str, Any]:
    return {
        "instancesSet": {"items": [{"imageId": IMAGE, "minCount": 1, "maxCount": count}]},
        "instanceType": itype, "blockDeviceMapping": {}, "monitoring": {"enabled": False},
        "disableApiTermination": False, "clientToken": "0b1c2d3e-idempotency", **extra,
    }


#: event ID -> the outcome every export must give it.
OUTCOMES = {
    "e-vcpu": "VcpuLimitExceeded",
    "e-limit": "InstanceLimitExceeded",
    "e-denied": "Client.UnauthorizedOperation",
    "e-launch": "ok",
    "e-ingress": "ok",
    "e-key": "ok",
}


def incident() -> list[dict[str, Any]]:
    return [
        record("e-vcpu", 1, "RunInstances", run_request("p3.16xlarge", 10),
               error="VcpuLimitExceeded", region="eu-west-1"),
        record("e-limit", 2, "RunInstances", run_request("g4dn.12xlarge", 10),
               error="InstanceLimitExceeded", region="us-west-2"),
        record("e-denied", 3, "RunInstances",
               run_request("t3.micro", 1, keyName="ops-recovery",
                           iamInstanceProfile={"name": "web-server-profile"}),
               error="Client.UnauthorizedOperation"),
        record("e-launch", 24, "RunInstances", run_request("t3.micro", 1, keyName="ops-recovery"),
               response={"instancesSet": {"items": [{"instanceId": LAUNCHED, "imageId": IMAGE,
                                                     "keyName": "ops-recovery"}]}}),
        record("e-ingress", 10, "AuthorizeSecurityGroupIngress", {
            "groupId": "sg-0a1b2c3d4e5f60718", "ipPermissions": {"items": [{
                "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "groups": {},
                "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}, "ipv6Ranges": {}}]}},
            response={"_return": True}),
        record("e-key", 11, "CreateAccessKey", {"userName": "backup-admin", "password": PASSWORD},
               response={"accessKey": {"accessKeyId": "AKIAEXAMPLEEXAMPLE99",
                                       "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCY",
                                       "userName": "backup-admin", "status": "Active"}}),
    ]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CaseStore:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return CaseStore()


def exported(store: CaseStore, name: str, tmp_path: Path) -> dict[str, str]:
    """``awsir-tui case export NAME --format F`` for every format, each written to a
    file and read back from it."""
    texts = {}
    for fmt in FORMATS:
        path = tmp_path / f"out.{fmt}"
        err = io.StringIO()
        with path.open("w", encoding="utf-8") as out:
            assert export(store, name, fmt, out, err) == 0, err.getvalue()
        texts[fmt] = path.read_text(encoding="utf-8")
    return texts


def test_every_export_says_how_each_call_ended_and_what_it_asked(store, tmp_path):
    case = Case("stolen-credentials", account="123456789012")
    for item in incident():
        case.mark_event(from_record(item))
    store.save(case)
    files = exported(store, "stolen-credentials", tmp_path)

    timeline = {t["event_id"]: t for t in json.loads(files["json"])["timeline"]}
    assert {k: t["outcome"] for k, t in timeline.items()} == OUTCOMES
    rows = [r for r in csv.DictReader(io.StringIO(files["csv"])) if r["record"] == "event"]
    assert {r["value"]: r["outcome"] for r in rows} == OUTCOMES
    txt = files["txt"].split("on the timeline (UTC)", 1)[1].splitlines()[1:]
    md = files["md"].split("## Timeline", 1)[1].split("## Notes")[0]
    for event_id, outcome in OUTCOMES.items():
        line = next(line for line in txt if event_id in line)
        assert f"  {outcome}  " in line
        row = next(row for row in md.splitlines() if event_id in row)
        assert f"| {outcome} |" in row
    for text in files.values():  # the walkthrough's grep
        assert "LimitExceeded" in text and "Unauthorized" in text

    # What each call asked for, from its own request, and what it made.
    asked = {t["event_id"]: t["request"] for t in timeline.values()}
    assert "instanceType=p3.16xlarge" in asked["e-vcpu"] and "maxCount=10" in asked["e-vcpu"]
    assert f"imageId={IMAGE}" in asked["e-vcpu"]
    assert "keyName=ops-recovery" in asked["e-denied"] and "name=web-server-profile" in (
        asked["e-denied"])
    assert asked["e-launch"].startswith("instanceType=t3.micro keyName=ops-recovery imageId=")
    assert asked["e-launch"].endswith(f" made: {LAUNCHED}")
    assert asked["e-ingress"] == (
        "groupId=sg-0a1b2c3d4e5f60718 ipProtocol=tcp fromPort=22 toPort=22 cidrIp=0.0.0.0/0")
    assert asked["e-key"].startswith("userName=backup-admin ")
    assert "clientToken" not in asked["e-vcpu"] and "monitoring" not in asked["e-vcpu"]
    for fmt, text in files.items():
        assert "cidrIp=0.0.0.0/0" in text, fmt
        assert PASSWORD not in text and "wJalrXUtnFEMI" not in text, fmt
    assert PASSWORD not in store.path_for("stolen-credentials").read_text()


def test_a_request_summary_is_bounded_and_inert():
    hostile = "\x1b[2J\x1b]8;;http://evil\x07click" + "A" * 500
    item = record("e-x", 1, "RunInstances", run_request(
        "t3.micro", 1, tagSpecificationSet={"items": [{"tags": [
            {"key": f"k{n}", "value": hostile} for n in range(40)]}]}))
    case = Case("x")
    case.mark_event(from_record(item))
    entry = case.timeline["e-x"]
    assert len(entry.request) <= 200 and "\x1b" not in entry.request
    assert re.search(r" \+\d+ more$", entry.request), entry.request
    assert "\u2026" in entry.request  # the hostile text cut, as text may be


GROUPS = [f"sg-{n:017x}" for n in range(0xa1b2c3, 0xa1b2c3 + 3)]
MADE = [f"i-{n:017x}" for n in range(0xa81bad37, 0xa81bad37 + 9)]
SUBNET_ARN = ("arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0f1e2d3c4b5a69788/"
              "with-a-long-path-that-goes-on")
#: A finding's title whose end says what matters, as the walkthrough's did.
TITLE = ("Security group ingress rule added that exposes SSH or RDP (port 22/3389) "
         "opened to the whole internet (0.0.0.0/0 or ::/0)")


def test_a_summary_never_cuts_an_id_and_the_report_gives_the_whole_why(store, tmp_path):
    """The launch that matters asks for an image and groups and makes many instances:
    every export gives each ID it names whole, leaves the ones that do not fit out
    whole (and says how many), and the report's Why column is not cut."""
    from awsir_tui.detect.finding import Finding

    request = run_request("t3.micro", 9, keyName="ops-recovery", subnetArn=SUBNET_ARN,
                          userData="IyEvYmluL2Jhc2gKY3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3N" * 4,
                          networkInterfaceSet={"items": [{"deviceIndex": 0,
                                                          "groupSet": {"items": [
                                                              {"groupId": g} for g in GROUPS]}}]})
    item = record("e-big", 24, "RunInstances", request, response={
        "instancesSet": {"items": [{"instanceId": i} for i in MADE]}})
    case = Case("big", account="123456789012")
    event = from_record(item)
    case.mark_event(event)
    case.keep_finding(Finding("r1", TITLE, "high", "T1562", ("e-big",), "opened"), [event])
    store.save(case)
    files = exported(store, "big", tmp_path)

    summary = json.loads(files["json"])["timeline"][0]["request"]
    assert len(summary) <= 200 and f"imageId={IMAGE}" in summary
    assert re.search(r" \+\d+ more( |$)", summary), summary
    ids = re.findall(r"\b(?:sg|i|ami|subnet)-[0-9a-f\u2026]+", summary)
    assert ids and all(i in {*GROUPS, *MADE, IMAGE} for i in ids), ids
    assert "made: " + MADE[0] in summary
    shown = summary.split("made: ", 1)[1].split(" +")[0].split(",")
    dropped = int(summary.rsplit("+", 1)[1].split()[0])
    assert shown == MADE[: len(shown)] and len(shown) + dropped == len(MADE)
    for fmt, text in files.items():
        assert summary.replace("|", "\\|") in text or summary in text, fmt
        assert not re.search(r"(?:sg|i|ami)-[0-9a-f]*\u2026", text), fmt
    timeline_md = files["md"].split("## Timeline", 1)[1]
    row = next(line for line in timeline_md.splitlines() if "e-big" in line)
    assert row.rstrip().endswith(f"flagged: {TITLE} |"), row


def test_an_old_case_file_without_outcomes_exports_unknown(store, tmp_path):
    """A case saved before the timeline kept outcomes still opens and exports: the
    outcome it never recorded is said to be unknown, not ``ok``."""
    store.directory.mkdir(parents=True)
    store.path_for("old").write_text(json.dumps({
        "format": 1, "name": "old", "account": "123456789012",
        "created": "2026-11-01T10:00:00+00:00",
        "timeline": [{"event_id": "e-old", "time": "2026-11-01T10:05:00+00:00",
                      "event_name": "RunInstances", "user": "i-0proxy",
                      "source_ip": "198.51.100.23", "region": "us-east-1", "why": "marked"}],
    }))
    files = exported(store, "old", tmp_path)
    assert json.loads(files["json"])["timeline"][0]["outcome"] == "unknown"
    assert next(csv.DictReader(io.StringIO(files["csv"])))["outcome"] == "unknown"
    assert "  unknown  " in files["txt"] and "| unknown |" in files["md"]
    assert store.load("old").timeline["e-old"].outcome == ""


def test_an_indicator_is_dated_by_the_data_and_its_marking_apart(store, tmp_path):
    """First/last seen are the data's times (the event's), never the moment ``m`` was
    pressed; a value marked where no time goes with it has none, and every export
    says when it was marked, apart."""
    from datetime import UTC, datetime

    pressed = datetime(2026, 11, 29, 13, 8, 34, tzinfo=UTC)
    # An instance no event names, marked in its list (the launch's is dated by its event).
    case = Case("dated")
    event = from_record(incident()[3])  # the launch, 12:24:14Z
    case.mark_event(event)
    case.mark(LISTED, source="instances", region="us-east-1", marked=pressed)
    case.mark("198.51.100.23", source=f"event RunInstances {event.event_id}",
              ref=event.event_id, seen=event.event_time, marked=pressed)
    store.save(case)
    again = store.load("dated").indicators
    assert again[("instance-id", LISTED)].first_seen is None
    assert again[("instance-id", LISTED)].marked == pressed
    assert again[("ip", "198.51.100.23")].first_seen == event.event_time
    files = exported(store, "dated", tmp_path)

    data = {i["value"]: i for i in json.loads(files["json"])["indicators"]}
    assert data[LISTED]["first_seen"] is None
    assert data[LISTED]["marked"] == "2026-11-29T13:08:34+00:00"
    assert data["198.51.100.23"]["first_seen"] == "2026-11-29T12:24:14+00:00"
    rows = {r["value"]: r for r in csv.DictReader(io.StringIO(files["csv"]))
            if r["record"] == "indicator"}
    assert ((rows[LISTED]["time"], rows[LISTED]["last_time"], rows[LISTED]["marked"])
            == ("unknown", "unknown", "2026-11-29 13:08:34Z"))
    assert rows["198.51.100.23"]["time"] == "2026-11-29 12:24:14Z"
    assert "| Kind | Value | First seen | Last seen | Marked at |" in files["md"]
    assert (f"| instance-id | {LISTED} | unknown | unknown | 2026-11-29 13:08:34Z |"
            in files["md"])
    assert "| ip | 198.51.100.23 | 2026-11-29 12:24:14Z | 2026-11-29 12:24:14Z " in files["md"]
    assert (f"instance-id  {LISTED}  unknown  unknown  2026-11-29 13:08:34Z  instances"
            in files["txt"])
    assert "ip  198.51.100.23  2026-11-29 12:24:14Z  2026-11-29 12:24:14Z  2026-11-29 13:08:34Z"\
        in files["txt"]


def test_an_old_indicator_dated_by_its_marking_is_read_as_marked(store):
    """Saved before the two times were kept apart, an indicator marked in a list had the
    moment of marking as its first seen: it is read as the marking time; one marked in
    an event keeps the event's time as first seen."""
    store.directory.mkdir(parents=True)
    at = "2026-11-29T13:08:34+00:00"
    store.path_for("old").write_text(json.dumps({"format": 1, "name": "old", "indicators": [
        {"kind": "instance-id", "value": LAUNCHED, "first_seen": at, "last_seen": at,
         "sightings": [{"source": "instances", "region": "us-east-1", "ref": ""}]},
        {"kind": "event-id", "value": "e-1", "first_seen": "2026-11-29T12:24:14+00:00",
         "last_seen": "2026-11-29T12:24:14+00:00",
         "sightings": [{"source": "events", "region": "us-east-1", "ref": "RunInstances"}]},
    ]}))
    indicators = store.load("old").indicators
    launched = indicators[("instance-id", LAUNCHED)]
    assert (launched.first_seen, launched.marked.isoformat()) == (None, at)  # type: ignore[union-attr]
    event = indicators[("event-id", "e-1")]
    assert event.first_seen.isoformat() == "2026-11-29T12:24:14+00:00"  # type: ignore[union-attr]
    assert event.marked is None


def test_the_identity_investigated_with_is_in_every_headless_export(store, tmp_path):
    """`x` in the app said who investigated; a headless export said ``unknown``: the
    case file now keeps each identity the app worked it with, from when."""
    from awsir_tui.case.session import CaseSession

    first = "arn:aws:sts::123456789012:assumed-role/incident-ro/alice"
    session = CaseSession("custody", "123456789012", identity=first)
    session.close()
    again = CaseSession("custody", "123456789012", identity=first)  # the same: kept once
    again.close()
    files = exported(store, "custody", tmp_path)
    opened = re.search(r"- Opened: (.*)\n", files["md"]).group(1)  # type: ignore[union-attr]
    assert f"- Identity used: {first} (since {opened})\n" in files["md"]  # opened with it
    assert "not recorded" not in files["md"] + files["txt"] + files["csv"]
    data = json.loads(files["json"])
    assert data["identity"] == first
    assert [(i["arn"], i["account"]) for i in data["identities"]] == [(first, "123456789012")]
    assert [r["value"] for r in csv.DictReader(io.StringIO(files["csv"]))
            if r["record"] == "identity"] == [first]
    assert f"\n{first}  123456789012  20" in files["txt"]

    second = "arn:aws:sts::123456789012:assumed-role/incident-ro/bob"
    CaseSession("custody", "123456789012", identity=second).close()
    report = exported(store, "custody", tmp_path)["md"]
    line = next(x for x in report.splitlines() if x.startswith("- Identities used: "))
    assert first in line and second in line and line.index(first) < line.index(second)


def test_a_case_saved_before_identities_were_kept_says_unknown(store, tmp_path):
    store.directory.mkdir(parents=True)
    store.path_for("old").write_text(json.dumps({"format": 1, "name": "old"}))
    files = exported(store, "old", tmp_path)
    assert "- Identity used: unknown\n" in files["md"]
    assert json.loads(files["json"])["identity"] == ""


def test_csv_gives_a_findings_summary_and_events_their_own_columns(store, tmp_path):
    """A finding's event IDs were in ``where`` (an indicator's sightings elsewhere) and
    its summary in ``note`` (the responder's notes elsewhere)."""
    from awsir_tui.detect import Detector
    from tests.helpers_detect import technique_events

    events = technique_events("credential-access.ec2-steal-instance-credentials")
    [finding, *_] = Detector().run(events)
    case = Case("columns")
    case.mark("198.51.100.23", source="events", note="the attacker")
    case.keep_finding(finding, events)
    case.add_note("handed over to the cloud team")
    store.save(case)
    path = tmp_path / "case.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        assert export(store, "columns", "csv", out, io.StringIO()) == 0
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = next(r for r in rows if r["record"] == "finding")
    assert kept["summary"] == finding.summary and kept["name"] == finding.title
    assert kept["event_ids"].split("; ") == list(finding.event_ids)
    assert kept["where"] == kept["note"] == ""
    flagged = [r for r in rows if r["record"] == "event"]
    assert flagged and all(r["why"] == f"flagged: {finding.title}" and not r["note"]
                           for r in flagged)
    notes = {r["record"]: r["note"] for r in rows if r["note"]}
    assert notes == {"indicator": "the attacker", "note": "handed over to the cloud team"}


def test_the_report_escapes_what_markdown_would_act_on_and_nothing_else(store, tmp_path):
    """``\\(IMDSv1?\\)`` in a note: parentheses, ``#`` and ``!`` were escaped though
    they do nothing in a table or a list item. A pipe, a link, HTML still cannot get
    through."""
    case = Case("escapes")
    case.add_note("proxy creds stolen (IMDSv1?) #2 - see ticket {INC-7}!")
    case.mark("198.51.100.23", source="events", note="scanner | [x](http://evil) <b>")
    store.save(case)
    report = exported(store, "escapes", tmp_path)["md"]
    assert ": proxy creds stolen (IMDSv1?) #2 - see ticket {INC-7}!\n" in report
    row = next(line for line in report.splitlines() if "198.51.100.23" in line)
    assert row.endswith("| scanner \\| \\[x\\](http://evil) \\<b\\> |")
    assert len(re.split(r"(?<!\\)\|", row)) == 7 + 2  # the table's seven cells, no more


@pytest.mark.parametrize("marked_first", [True, False])
def test_an_event_marked_and_flagged_shows_both_reasons(store, tmp_path, marked_first):
    """The timeline showed ``marked`` for an event a kept finding flagged too."""
    from awsir_tui.detect import Detector
    from tests.helpers_detect import technique_events

    events = technique_events("credential-access.ec2-steal-instance-credentials")
    [finding, *_] = Detector().run(events)
    both = next(e for e in events if e.event_id in finding.event_ids)
    case = Case("reasons")
    steps = [lambda: case.mark_event(both), lambda: case.keep_finding(finding, events)]
    for step in steps if marked_first else steps[::-1]:
        step()
    case.mark_event(both)  # again: a reason is said once
    store.save(case)
    files = exported(store, "reasons", tmp_path)
    reasons = {"marked", f"flagged: {finding.title}"}
    why = {t["event_id"]: t["why"] for t in json.loads(files["json"])["timeline"]}
    assert set(why[both.event_id].split("; ")) == reasons
    assert len(why[both.event_id].split("; ")) == 2
    assert all(w == f"flagged: {finding.title}" for k, w in why.items() if k != both.event_id)
    row = next(r for r in csv.DictReader(io.StringIO(files["csv"]))
               if r["record"] == "event" and r["value"] == both.event_id)
    assert set(row["why"].split("; ")) == reasons
    timeline = files["md"].split("## Timeline")[1]
    line = next(x for x in timeline.splitlines() if both.event_id in x)
    assert "marked; flagged: " in line or "; marked |" in line


def test_a_case_saved_with_only_marked_says_flagged_too_when_exported(store, tmp_path):
    """A case saved before both reasons were kept: the finding it keeps still flags the
    event in the exports."""
    from awsir_tui.detect import Detector
    from tests.helpers_detect import technique_events

    events = technique_events("credential-access.ec2-steal-instance-credentials")
    [finding, *_] = Detector().run(events)
    both = next(e for e in events if e.event_id in finding.event_ids)
    case = Case("older")
    case.keep_finding(finding)
    case.mark_event(both)
    store.save(case)
    assert json.loads(store.path_for("older").read_text())["timeline"][0]["why"] == "marked"
    files = exported(store, "older", tmp_path)
    why = json.loads(files["json"])["timeline"][0]["why"]
    assert why == f"marked; flagged: {finding.title}"
    assert f"marked; flagged: {finding.title}" in files["txt"]


def test_every_export_names_each_caller_the_account_and_the_archives_read(
        store, tmp_path, monkeypatch):
    """A case opened on archives alone (no AWS identity): each timeline entry says who
    made the call (ARN, access key ID, source IP) and in which account, the case's
    account is read from the records, and the archives it read are named, as absolute
    paths, in every format; the access key ID is there, the secret key is not."""
    from awsir_tui.case.session import CaseSession, case_sources

    monkeypatch.chdir(tmp_path)
    (tmp_path / "logs").mkdir()
    session = CaseSession("handed-over", sources=case_sources(
        ["./logs", "s3://trail-bucket/prefix"], "evidence.duckdb"))
    for item in incident():
        session.mark_event(from_record(item))
    session.close()
    files = exported(store, "handed-over", tmp_path)
    key, arn = "ASIAEXAMPLEEXAMPLE12", "arn:aws:sts::123456789012:assumed-role/web/i-0proxy"
    where = [str(tmp_path / "logs"), "s3://trail-bucket/prefix",
             str(tmp_path / "evidence.duckdb")]

    data = json.loads(files["json"])
    assert data["account"] == "123456789012" and data["account_from"] == "events"
    assert [(s["kind"], s["where"]) for s in data["sources"]] == list(zip(
        ["archive", "archive", "store"], where, strict=True))
    for entry in data["timeline"]:
        assert (entry["user_arn"], entry["access_key"], entry["source_ip"], entry["account"]
                ) == (arn, key, "198.51.100.23", "123456789012")
    rows = list(csv.DictReader(io.StringIO(files["csv"])))
    events = [r for r in rows if r["record"] == "event"]
    assert len(events) == len(OUTCOMES) and all(
        (r["user_arn"], r["access_key"], r["account"]) == (arn, key, "123456789012")
        for r in events)
    assert [r["value"] for r in rows if r["record"] == "source"] == where
    txt = files["txt"].split("on the timeline (UTC)", 1)[1].splitlines()[1:len(OUTCOMES) + 1]
    assert all(f"  {arn}  {key}  198.51.100.23  123456789012  " in line for line in txt)
    assert "# account: 123456789012 (from the events' records" in files["txt"]
    assert "- Account: 123456789012 (from the events' records" in files["md"]
    report = files["md"].split("## Timeline", 1)[1]
    assert report.count(f"| {key} | 198.51.100.23 | 123456789012 |") == len(OUTCOMES)
    for fmt, text in files.items():
        shown = [md_escaped(w) for w in where] if fmt == "md" else where
        assert all(w in text for w in shown), (fmt, shown)
        assert "wJalrXUtnFEMI" not in text, fmt


def test_a_case_of_the_aws_apis_says_so_and_keeps_its_own_account(store, tmp_path):
    case = Case("api", account="111122223333")
    case.mark_event(from_record(incident()[0]))
    store.save(case)
    files = exported(store, "api", tmp_path)
    assert "- Account: 111122223333\n" in files["md"]
    assert "- Events read from: the AWS APIs only" in files["md"]
    data = json.loads(files["json"])
    assert (data["account"], data["account_from"], data["sources"]) == (
        "111122223333", "identity", [])


def test_first_and_last_seen_cover_every_event_the_case_holds(store, tmp_path):
    """The attacker's IP marked in one event is dated by every event of the case it is
    in (marked, or a kept finding's), as caller field or resource; a list mark's data
    time (a launch) is a bound too; every export agrees, and says what it covers."""
    from datetime import UTC, datetime

    from awsir_tui.detect.finding import Finding

    events = [from_record(item) for item in incident()]  # 12:01 .. 12:24, one IP
    case = Case("spans", account="123456789012")
    case.mark_event(events[3])  # the launch, 12:24:14
    case.mark("198.51.100.23", source=f"event RunInstances {events[3].event_id}",
              seen=events[3].event_time)
    case.keep_finding(Finding("r", "Quota probing", "medium", "T1496",
                              ("e-vcpu", "e-limit"), "probing"), events)
    launch = datetime(2026, 11, 29, 11, 58, 0, tzinfo=UTC)
    case.mark(LAUNCHED, "instance-id", source="instances", seen=launch)
    case.mark("ASIAEXAMPLEEXAMPLE12", source="events")
    store.save(case)
    files = exported(store, "spans", tmp_path)

    expect = {"198.51.100.23": ("12:01:14", "12:24:14"), LAUNCHED: ("11:58:00", "12:24:14"),
              "ASIAEXAMPLEEXAMPLE12": ("12:01:14", "12:24:14")}
    data = {i["value"]: i for i in json.loads(files["json"])["indicators"]}
    rows = {r["value"]: r for r in csv.DictReader(io.StringIO(files["csv"]))
            if r["record"] == "indicator"}
    for value, (first, last) in expect.items():
        iso = (f"2026-11-29T{first}+00:00", f"2026-11-29T{last}+00:00")
        assert (data[value]["first_seen"], data[value]["last_seen"]) == iso, value
        shown = (f"2026-11-29 {first}Z", f"2026-11-29 {last}Z")
        assert (rows[value]["time"], rows[value]["last_time"]) == shown, value
        assert f"{value}  {shown[0]}  {shown[1]}  " in files["txt"], value
        assert f"{value} | {shown[0]} | {shown[1]} |" in files["md"], value
    assert "first and last seen in the events this case holds" in files["txt"]
    assert "in the events this case holds" in files["md"]
    assert Case.from_dict(case.to_dict()).seen() == case.seen()


def test_made_names_what_the_call_made_not_where_it_put_it():
    """RunInstances' response names the instance it made and also the VPC, subnet and
    groups it was put in: only the instance is made. A group the request named, even
    one of the values the summary leaves out (``+N more``), is asked for, not made."""
    from awsir_tui.case.model import request_summary

    vpc, subnet, eni = "vpc-4a3a47c9cbbbecf72", "subnet-0f1e2d3c4b5a69788", "eni-0a1b2c3d4e5f60718"
    tags = {"tagSpecificationSet": {"items": [{"resourceType": "instance", "tags": [
        {"key": f"k{n}", "value": f"v{n}"} for n in range(12)]}]}}
    request = run_request("t3.micro", 1, keyName="ops-recovery", **tags,
                          networkInterfaceSet={"items": [{"deviceIndex": 0, "groupSet": {
                              "items": [{"groupName": "sys-maint"}]}}]})
    response = {"instancesSet": {"items": [{
        "instanceId": MADE[0], "imageId": IMAGE, "vpcId": vpc, "subnetId": subnet,
        "groupSet": {"items": [{"groupId": GROUPS[0], "groupName": "sys-maint"}]},
        "networkInterfaceSet": {"items": [{"networkInterfaceId": eni, "vpcId": vpc,
                                           "subnetId": subnet}]}}]}}
    summary = request_summary(from_record(record("e-run", 3, "RunInstances", request,
                                                 response=response)))
    assert "+" in summary and "sys-maint" not in summary.split("made: ")[0], summary
    assert summary.endswith(f"made: {MADE[0]},{eni}"), summary

    # The calls that make a VPC or a group say so.
    for name, key, value in (("CreateVpc", "vpcId", vpc),
                             ("CreateSecurityGroup", "groupId", GROUPS[1])):
        made = request_summary(from_record(record("e-" + name, 4, name, {},
                                                  response={"vpc" if key == "vpcId" else
                                                            "_return": {key: value}})))
        assert made.endswith(f"made: {value}"), made
