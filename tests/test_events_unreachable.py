"""Files and folders of a source that are there but cannot be read (#5): a link to a
file that is gone, a folder that cannot be listed. Each is a file not read whole, as a
damaged one is: listed with why, and the export PARTIAL, never a silent COMPLETE."""

from __future__ import annotations

import json
import os
from pathlib import Path

from awsir_tui.commands.output import PARTLY_ANSWERED
from awsir_tui.events.coverage import sidecar_path
from awsir_tui.events.loader import load
from awsir_tui.events.store import EventStore
from tests.helpers_events import all_records
from tests.helpers_headless import run_cli as run

GONE = "111122223333_CloudTrail_us-east-1_20261122T1000Z_abc.json.gz"


def logs_with_a_broken_link(tmp_path: Path) -> Path:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "good.json").write_text(json.dumps({"Records": all_records()[:3]}))
    (logs / GONE).symlink_to("/nonexistent/x.json.gz")
    return logs


def test_a_broken_link_is_skipped_with_why_and_the_export_is_partial(tmp_path: Path) -> None:
    logs = logs_with_a_broken_link(tmp_path)
    out = tmp_path / "out.jsonl"
    code, _, err = run("--source", str(logs), "events", "--format", "jsonl",
                       "--output", str(out))
    assert code == PARTLY_ANSWERED, err
    assert len(out.read_text().splitlines()) == 3
    assert f"{logs / GONE}: broken link to /nonexistent/x.json.gz" in err, err
    assert "from 1 file" in err and "; 1 skipped" in err, err
    sidecar = sidecar_path(out).read_text()
    assert sidecar.startswith("coverage: PARTIAL: 1 file not read whole"), sidecar
    assert f"file skipped: {logs / GONE}: broken link" in sidecar, sidecar


def test_a_broken_link_outside_the_time_range_is_pruned_as_its_file_would_be(
    tmp_path: Path,
) -> None:
    logs = logs_with_a_broken_link(tmp_path)
    out = tmp_path / "out.jsonl"
    code, _, err = run("--source", str(logs), "events", "--before", "2020-01-01",
                       "--output", str(out))
    assert code == 0, err
    assert "broken link" not in err and "1 not read, delivered" in err, err


def test_a_folder_that_cannot_be_listed_is_skipped_with_why(tmp_path: Path) -> None:
    """A folder whose path is too long to list (the case root cannot be denied: a
    folder's permissions do not stop it) is left out with why, and counted."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "good.json").write_text(json.dumps({"Records": all_records()[:3]}))
    folder = os.open(logs, os.O_RDONLY)
    try:
        for _ in range(20):  # 20 x 250 characters: past any PATH_MAX
            os.mkdir("d" * 250, dir_fd=folder)
            below = os.open("d" * 250, os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = below
    finally:
        os.close(folder)
    with EventStore(":memory:") as store:
        report = load([logs], store)
    assert report.files_read == 1 and report.events == 3
    [skipped] = report.skipped
    assert skipped.source.startswith(str(logs / "d"))
    assert skipped.reason.startswith("cannot list folder: "), skipped
    assert report.not_read_whole == 1


def test_a_linked_folder_is_read_and_a_link_back_up_ends_there(tmp_path: Path) -> None:
    """``logs/2024 -> elsewhere``: its logs were left out and named nowhere (0 events,
    COMPLETE). A link to a folder already walked (a loop) reads nothing twice."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "trail.json").write_text(json.dumps({"Records": all_records()[:4]}))
    logs = tmp_path / "logs"
    (logs / "2024").mkdir(parents=True)
    (logs / "2024" / "moved").symlink_to(elsewhere)
    (logs / "2024" / "up").symlink_to("..")
    (logs / "again").symlink_to(elsewhere)
    with EventStore(":memory:") as store:
        report = load([logs], store)
        assert store.count() == 4
    assert report.files_read == 1 and not report.skipped, report



def test_a_link_to_a_folder_around_the_source_is_not_followed_and_said(tmp_path: Path) -> None:
    """A review: ``logs/root -> /`` or ``logs/out -> ..`` (the folder holding the logs)
    walked and loaded everything under it: here a trail beside the logs that the
    responder did not give."""
    (tmp_path / "other-case.json").write_text(json.dumps({"Records": all_records()[4:9]}))
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "trail.json").write_text(json.dumps({"Records": all_records()[:4]}))
    (logs / "out").symlink_to("..")
    (logs / "root").symlink_to("/")
    with EventStore(":memory:") as store:
        report = load([logs], store)
        assert store.count() == 4
    skipped = {Path(p.source).name: p.reason for p in report.skipped}
    assert skipped == {"out": "a link to a folder that holds the source: not followed",
                       "root": "a link to a folder that holds the source: not followed"}
