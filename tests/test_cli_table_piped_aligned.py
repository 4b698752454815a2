"""Piped, a long value pushes only its own line (#5, known, not done): over the Stratus
logs, ``events | awk '{print length}'`` gave 1,187 on every line, the resources column
padded to its widest list of ARNs (906 characters). Through the real command line,
stdout not a terminal."""

from __future__ import annotations

import csv
import io
import json

import pytest

from awsir_tui.commands.findings import COLUMNS, TEXT_FITS
from awsir_tui.commands.output import ALIGN_MOST, GAP, write
from awsir_tui.detect import Detector
from awsir_tui.detect.outcome import attempt_title
from awsir_tui.events.record import from_record
from tests.helpers_events import STRATUS, all_records
from tests.helpers_headless import run_cli

SOURCE = ["--source", str(STRATUS)]


def test_events_resources_align_as_an_identifier_and_a_longer_list_pushes_its_own_line(
) -> None:
    code, out, err = run_cli("events", *SOURCE, "--format", "csv")
    assert code == 0, err
    resources = {row["event_id"]: row["resources"] for row in csv.DictReader(io.StringIO(out))}
    assert max(len(listed) for listed in resources.values()) == 906
    code, out, err = run_cli("events", *SOURCE, "--format", "table")
    assert code == 0, err
    header, *rows = out.splitlines()
    assert len(rows) == len(resources) == 310
    start, after = header.index("resources"), header.index("event_id")
    assert after - start == ALIGN_MOST + GAP
    pushed = 0
    for row in rows:
        event_id = row.rsplit(None, 1)[-1]
        listed = resources[event_id]
        assert row[start:].startswith(listed), row
        if len(listed) <= ALIGN_MOST:
            assert row.index(event_id, start) == after and len(row) == after + len(event_id)
        else:  # whole, and the event ID right after it: this line alone is longer
            assert row[start + len(listed):] == " " * GAP + event_id
            pushed += 1
    assert 0 < pushed < len(rows) // 4


def test_findings_columns_after_the_title_line_up_on_every_row() -> None:
    """14 of the 50 findings over the Stratus logs have a title over 64 cells, which
    pushed their technique, counts and times right of every other row's."""
    code, out, err = run_cli("findings", *SOURCE, "--format", "json")
    assert code == 0, err
    findings = json.loads(out)
    assert sum(len(f["title"]) > ALIGN_MOST for f in findings) == 14
    code, out, err = run_cli("findings", *SOURCE)
    assert code == 0, err
    header, *rows = out.splitlines()
    column = header.index("technique")
    assert len(rows) == len(findings) == 50
    for finding, row in zip(findings, rows, strict=True):
        assert row[:column].rstrip().split(None, 1) == [finding["severity"], finding["title"]]
        assert row[column:].split()[:2] == [finding["technique"], str(len(finding["event_ids"]))]


def test_every_built_in_title_is_aligned_as_an_attempt_too() -> None:
    """A rule added with a longer title would push its findings' lines again."""
    detector = Detector.with_rules_dir(None)
    titles = [*(rule.title for rule in detector.rules),
              *(correlation.title for correlation in detector.correlations)]
    longest = max(len(attempt_title(title, denied=True)) for title in titles)
    assert longest <= TEXT_FITS["title"].align


class Terminal(io.StringIO):
    """What the command writes to when stdout is a terminal (``COLUMNS`` gives its width)."""

    def isatty(self) -> bool:
        return True


def test_on_a_wide_terminal_a_title_is_cut_at_64_and_the_summary_keeps_the_room(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Aligning piped titles to 96 let a terminal show them 96 wide too, taking the
    room of the summary, which tells two findings of one rule apart."""
    monkeypatch.setenv("COLUMNS", "240")
    findings = Detector().run([from_record(r) for r in all_records()])
    assert max(len(f.title) for f in findings) > ALIGN_MOST
    out = Terminal()
    write(findings, COLUMNS, "table", out, fits=TEXT_FITS)
    header, *rows = out.getvalue().splitlines()
    title, after = header.index("title"), header.index("technique")
    assert after - title <= ALIGN_MOST + GAP
    assert any(row[title:after].rstrip().endswith("\u2026") for row in rows)
