"""The call journal: every AWS call, appended from many threads, read back; no secrets."""

from __future__ import annotations

import dataclasses
import stat
import threading
from datetime import UTC, datetime

from awsir_tui.case import CallRecord, CaseStore, Journal


def call(n: int, **changes) -> CallRecord:
    base = CallRecord(
        time=datetime(2026, 11, 28, 3, 0, n % 60, tzinfo=UTC),
        service="ec2",
        region="us-east-1",
        operation="DescribeInstances",
        mutating=False,
        outcome="ok",
    )
    return dataclasses.replace(base, **changes)


def test_records_from_many_threads_all_read_back(tmp_path):
    journal = Journal(CaseStore(tmp_path).journal_path_for("c"))

    def worker(thread: int) -> None:
        for n in range(25):
            journal.record(call(n, region=f"region-{thread}", operation=f"Op{n}"))

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    journal.close()
    records = Journal(journal.path).read()
    assert len(records) == 100
    for t in range(4):
        assert [r.operation for r in records if r.region == f"region-{t}"] == [
            f"Op{n}" for n in range(25)
        ]
    assert journal.path.name == "c.journal.jsonl"


def test_round_trip_of_every_field(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    refused = call(
        1,
        service="ec2",
        operation="TerminateInstances",
        mutating=True,
        outcome="refused",
        error_code="",
    )
    failed = call(2, outcome="error", error_code="UnauthorizedOperation")
    journal.record(refused)
    journal.record(failed)
    assert journal.read() == [refused, failed]


def test_line_cut_short_by_a_kill_is_reported_not_fatal(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    journal.record(call(1))
    journal.close()
    with open(journal.path, "a", encoding="utf-8") as handle:
        handle.write('{"time": "2026-11-28T03:00:02+00:00", "serv')
    records, problems = journal.read_with_problems()
    assert records == [call(1)]
    assert len(problems) == 1 and "j.jsonl:2" in problems[0]
    journal.record(call(3))  # appending after the cut still works
    assert journal.read()[-1] == call(3)


def test_the_journal_is_private_even_one_left_readable_by_all(tmp_path):
    """The journal names the account's regions and every call made there: readable by
    its owner only, in a folder made so, and so is a journal an older version left 0644."""
    older = tmp_path / "old.journal.jsonl"
    older.write_text("")
    older.chmod(0o644)
    for path in (tmp_path / "new" / "c.journal.jsonl", older):
        journal = Journal(path)
        journal.record(call(1))
        journal.close()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert journal.read() == [call(1)]
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700


def test_journal_holds_no_request_parameters_or_secrets(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    journal.record(call(1, outcome=f'error: echoed "SecretAccessKey": "{secret}"'))
    text = journal.path.read_text()
    assert secret not in text
    assert set(CallRecord.__dataclass_fields__) == {
        "time",
        "service",
        "region",
        "operation",
        "mutating",
        "outcome",
        "error_code",
        "resource",  # a change's target and what it created: IDs, set by the guard
        "created",
    }
    assert Journal(tmp_path / "missing.jsonl").read() == []


def test_guard_sends_every_demo_call_to_the_journal(tmp_path, demo_client):
    """The data layer's choke point, over real HTTP to the demo account: a read and a
    refused write both land in the journal, with nothing from the request."""
    from awsir_tui.aws.guard import ActionRefused, Guard

    journal = Journal(tmp_path / "c.journal.jsonl")
    guard = Guard(allow_actions=False)
    guard.add_sink(journal.record)
    client = demo_client("ec2", "eu-west-1")
    guard.attach(client, "ec2", "eu-west-1")
    client.describe_key_pairs()
    try:
        client.delete_key_pair(KeyName="ops-recovery-secret-looking-name")
    except ActionRefused:
        pass
    else:
        raise AssertionError("a write went through a read-only guard")
    records = journal.read()
    assert [(r.operation, r.mutating, r.outcome) for r in records] == [
        ("DescribeKeyPairs", False, "ok"),
        ("DeleteKeyPair", True, "refused"),
    ]
    assert all(r.service == "ec2" and r.region == "eu-west-1" for r in records)
    assert "ops-recovery-secret-looking-name" not in journal.path.read_text()
