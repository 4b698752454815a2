"""The call journal: every AWS call, appended from many threads, read back; no secrets."""

from __future__ import annotations

import dataclasses
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
    }
    assert Journal(tmp_path / "missing.jsonl").read() == []
