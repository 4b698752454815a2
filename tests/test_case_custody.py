"""Chain of custody: every export says since when each identity worked the case, and a
case worked before identities were recorded says that an unrecorded one did that."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from awsir_tui.case import Case, CaseStore
from awsir_tui.case.session import CaseSession
from tests.test_case_timeline import exported

ALICE = "arn:aws:sts::123456789012:assumed-role/incident-ro/alice"
BOB = "arn:aws:sts::123456789012:assumed-role/incident-ro/bob"
ACCOUNT = "123456789012"
OPENED = "2026-11-20T09:15:00+00:00"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CaseStore:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return CaseStore()


def old_case_file() -> dict[str, Any]:
    """A case as the code before identities were recorded saved it (9bf5b63's
    ``Case.to_dict``): no ``investigators``, no indicator's ``marked``, no timeline
    ``outcome``/``request``."""
    return {
        "format": 1, "name": "old", "account": ACCOUNT, "created": OPENED,
        "indicators": [
            {"kind": "event-id", "value": "0d3b1a2c-1111-2222-3333-444455556666",
             "sightings": [{"source": "events", "region": "us-east-1", "ref": "RunInstances"}],
             "first_seen": "2026-11-19T22:04:10+00:00",
             "last_seen": "2026-11-19T22:04:10+00:00", "note": ""},
            {"kind": "security-group", "value": "sg-0a1b2c3d4e5f60718",
             "sightings": [{"source": "security groups", "region": "us-east-1", "ref": ""}],
             "first_seen": "2026-11-20T09:40:00+00:00",
             "last_seen": "2026-11-20T09:40:00+00:00", "note": "open on 22"},
        ],
        "notes": [{"time": "2026-11-20T10:02:00+00:00", "text": "proxy creds stolen"}],
        "findings": [],
        "timeline": [{"event_id": "0d3b1a2c-1111-2222-3333-444455556666",
                      "time": "2026-11-19T22:04:10+00:00", "event_name": "RunInstances",
                      "user": "i-0proxy", "source_ip": "198.51.100.23",
                      "region": "us-east-1", "why": "marked"}],
        "place": {"view": "indicators"},
        "regions_read": [{"region": "us-east-1", "read": ["EC2", "Event history"]}],
    }


def test_an_old_case_opened_today_is_not_credited_to_todays_identity(store, tmp_path):
    store.directory.mkdir(parents=True)
    store.path_for("old").write_text(json.dumps(old_case_file()))
    before = datetime.now(UTC)
    CaseSession("old", ACCOUNT, identity=ALICE).close()
    [alice] = store.load("old").investigators
    assert alice.since >= before  # from now: the case's opening was not hers
    since = alice.since.strftime("%Y-%m-%d %H:%M:%SZ")
    gap = (f"what was done before {since} (from 2026-11-20 09:15:00Z) was done by an "
           "identity not recorded (the case predates identity tracking)")
    files = exported(store, "old", tmp_path)

    report = files["md"]
    assert "- Opened: 2026-11-20 09:15:00Z\n" in report
    assert f"- Identity used: {ALICE} (since {since})\n" in report
    assert f"- W{gap[1:]}\n" in report
    # Nor can it say which archives it read before they were recorded.
    assert "- Events read from: unknown (the case predates the record" in report

    txt = files["txt"].splitlines()
    custody = txt.index("# 1 identity used: ARN, account, since (UTC)")
    assert txt[custody + 1:] == [f"{ALICE}  {ACCOUNT}  {since}", f"# {gap}"]

    identities = [r for r in csv.DictReader(io.StringIO(files["csv"]))
                  if r["record"] == "identity"]
    assert [(r["time"], r["last_time"], r["value"], r["account"]) for r in identities] == [
        ("2026-11-20 09:15:00Z", since, "not recorded (the case predates identity tracking)",
         ""),
        (since, "", ALICE, ACCOUNT),
    ]

    data = json.loads(files["json"])
    assert data["identities"] == [
        {"arn": ALICE, "account": ACCOUNT, "since": alice.since.isoformat()}]
    assert data["unrecorded_identity"] == {
        "from": OPENED, "until": alice.since.isoformat(),
        "why": "the case predates identity tracking"}

    # A second identity later: both with their since, the gap still before the first.
    CaseSession("old", ACCOUNT, identity=BOB).close()
    report = exported(store, "old", tmp_path)["md"]
    line = next(x for x in report.splitlines() if x.startswith("- Identities used: "))
    assert line.startswith(f"- Identities used: {ALICE} (since {since}), {BOB} (since 20")
    assert f"- W{gap[1:]}\n" in report
    # Nor can it say which archives it read before they were recorded.
    assert "- Events read from: unknown (the case predates the record" in report


def test_a_case_opened_with_its_identity_has_no_unrecorded_part(store, tmp_path):
    CaseSession("new", ACCOUNT, identity=ALICE).close()
    case = store.load("new")
    assert case.investigators[0].since == case.created
    CaseSession("new", ACCOUNT, identity=BOB).close()  # reopened by another: no gap
    files = exported(store, "new", tmp_path)
    opened = case.created.strftime("%Y-%m-%d %H:%M:%SZ")
    assert f"- Identities used: {ALICE} (since {opened}), {BOB} (since 20" in files["md"]
    assert "not recorded" not in files["md"] + files["txt"] + files["csv"]
    assert json.loads(files["json"])["unrecorded_identity"] is None


def test_a_mark_or_note_before_the_first_identity_is_unrecorded_work():
    """A case whose opening is covered but whose earliest mark or note is not (a file
    edited by hand, a clock set wrong) says so too."""
    now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    case = Case("c", created=now)
    case.note_identity(ALICE, ACCOUNT, now)
    assert case.unrecorded_until() is None
    case.mark("198.51.100.23", source="events", marked=now - timedelta(hours=2))
    assert case.unrecorded_until() == now
    assert case.first_worked() == now - timedelta(hours=2)
    case = Case("c", created=now)
    case.note_identity(ALICE, ACCOUNT, now)
    case.add_note("before", now - timedelta(minutes=5))
    assert case.unrecorded_until() == now
    assert Case("none").unrecorded_until() is None  # no identity at all: "unknown"
