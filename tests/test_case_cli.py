"""``awsir-tui case list`` and ``case export``: a case saved by the store, exported from the
command line in every format, with nothing secret in any of them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from awsir_tui.case import CaseStore
from awsir_tui.case.export import VALUES, export_case
from awsir_tui.case.model import Case
from awsir_tui.cli import main
from awsir_tui.detect import Detector
from tests.helpers_detect import technique_events

SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
PASSWORD = "Hunter2-correct-horse"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cases go under a fresh XDG data directory, as the app puts them."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def saved_case(data_home: Path) -> Case:
    """A case as the app saves it: the real credential-theft events, its finding kept,
    indicators (one hostile), and notes into which the responder pasted secrets."""
    events = technique_events("credential-access.ec2-steal-instance-credentials")
    findings = Detector().run(events)
    case = Case("incident-42", account="017622104382")
    case.mark("i-786a3A8B5C0d92eF4", source="instances", region="us-west-2", note="the proxy")
    case.mark("=cmd|' /C calc'!A0", kind="user-agent", source="events")
    case.mark_event(events[0])
    case.keep_finding(findings[0], events)
    case.add_note(f"found in ~/.aws/credentials: aws_secret_access_key={SECRET_KEY}")
    case.add_note(f'the admin said "password": "{PASSWORD}"')
    CaseStore().save(case)
    return case


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("fmt", ["txt", "csv", "json", "md"])
def test_export_every_format_without_secrets(saved_case, capsys, fmt):
    code, out, err = run(capsys, "case", "export", "incident-42", "--format", fmt)
    assert code == 0, err
    assert SECRET_KEY not in out and PASSWORD not in out
    assert "i-786a3A8B5C0d92eF4" in out
    # The whole case, in every format: the finding kept, the marked event, the notes.
    assert "T1552" in out and saved_case.findings[0].title in out
    assert next(iter(saved_case.timeline)) in out and "the admin said" in out
    if fmt == "txt":
        assert out.splitlines()[0] == "i-786a3A8B5C0d92eF4"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        agents = [r["value"] for r in rows if r["kind"] == "user-agent"]
        assert agents == ["'=cmd|' /C calc'!A0"]  # a spreadsheet shows it, never runs it
    elif fmt == "json":
        marked = {i["value"] for i in json.loads(out)["indicators"] if i["kind"] == "event-id"}
        assert len(marked) == 1 and marked <= saved_case.timeline.keys()
    else:
        assert out.startswith("# Incident case: incident-42")
        assert saved_case.findings[0].title in out
        assert "## Notes" in out and "REDACTED" in out


def test_list_shows_saved_cases_with_counts_and_unreadable_ones(saved_case, data_home, capsys):
    store = CaseStore()
    store.path_for("broken").write_text('{"name": "broken", "indicators": [')
    code, out, err = run(capsys, "case", "list")
    assert code == 0, err
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(lines) == {"incident-42", "broken"}
    # indicators, findings, notes: the case's two and the proxy's (it said 2)
    assert lines["incident-42"].split()[3:6] == ["3", "1", "3"]
    assert "unreadable" in lines["broken"]
    # Listing changed nothing on disk.
    assert store.path_for("broken").read_text() == '{"name": "broken", "indicators": ['


def test_a_note_on_an_indicator_is_counted_and_listed_in_the_report(data_home, capsys):
    """The report's summary said "notes: 0" and its Notes "No notes." over a case whose
    only note was on an indicator (n in :indicators)."""
    case = Case("noted", account="017622104382")
    case.mark("i-786a3A8B5C0d92eF4", source="instances", region="us-west-2")
    case.mark("203.0.113.66", source="events", note="stolen from edge-proxy-01 via squid")
    CaseStore().save(case)
    code, out, err = run(capsys, "case", "export", "noted", "--format", "md")
    assert code == 0, err
    assert "notes: 0 on the case, 1 on indicators" in out
    notes = out.split("## Notes", 1)[1].split("\n## ", 1)[0]
    assert "No notes on the case." in notes
    assert "- ip 203.0.113.66: stolen from edge-proxy-01 via squid" in notes
    code, out, err = run(capsys, "case", "list")
    assert out.splitlines()[1].split()[3:6] == ["2", "0", "1"]


def test_unknown_case_is_one_clear_line_and_exit_2(saved_case, capsys):
    code, out, err = run(capsys, "case", "export", "no-such-case", "--format", "md")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1
    assert "no case named 'no-such-case'" in err and "case list" in err


def test_no_cases_yet(data_home, capsys):
    code, out, err = run(capsys, "case", "list")
    assert code == 0 and out == ""
    assert "no saved cases in" in err


def test_export_values_alone_as_x_writes_them_for_a_sweep(saved_case, capsys):
    """``x`` writes ``<case>-values.txt`` for ``grep -F -f``; headless, ``--format
    values`` prints the same: each value once, nothing else."""
    code, out, err = run(capsys, "case", "export", "incident-42", "--format", "values")
    assert code == 0, err
    assert out == export_case(saved_case, VALUES)
    assert sorted(out.splitlines()) == sorted({v for _, v in saved_case.indicators})


def test_corrupt_case_is_explained_and_the_previous_save_exported(saved_case, capsys):
    store = CaseStore()
    saved_case.add_note("second save")
    store.save(saved_case)  # the first save is now the .bak
    store.path_for("incident-42").write_text('{"name": "incident-42", "notes": [{"te')
    code, out, err = run(capsys, "case", "export", "incident-42", "--format", "txt")
    assert code == 1
    assert "is unreadable" in err and "exporting the previous save instead" in err
    assert "i-786a3A8B5C0d92eF4" in out  # the evidence is still there
    assert "Traceback" not in err


def test_corrupt_case_without_backup(data_home, capsys):
    CaseStore().path_for("lonely").parent.mkdir(parents=True)
    CaseStore().path_for("lonely").write_bytes(b"\xff\xfe not json")
    code, out, err = run(capsys, "case", "export", "lonely", "--format", "json")
    assert code == 1 and out == ""
    assert "is unreadable" in err and "there is no previous save" in err
