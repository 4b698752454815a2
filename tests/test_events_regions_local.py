"""``--regions`` on a local copy of a trail bucket: the files of the regions not asked
are not read (as S3 discovery prunes them), and files the layout says no region of are
read whole and said so, so that an export never claims regions it did not keep to.
Through the real command line, on the real Stratus records repackaged into the layout."""

from __future__ import annotations

import csv
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from awsir_tui.commands.output import PARTLY_ANSWERED
from tests.helpers_events import envelope_gz, s3_key, stratus_files
from tests.helpers_headless import run_cli

ACCOUNT = "123456789012"
WHEN = datetime(2024, 3, 1, 10, 5, tzinfo=UTC)


def trail_copy(root: Path) -> dict[str, set[str]]:
    """The Stratus techniques as a trail bucket's copy, alternately in us-east-1 and
    eu-west-1; the event IDs of each region."""
    ids: dict[str, set[str]] = {"us-east-1": set(), "eu-west-1": set()}
    for index, records in enumerate(stratus_files().values()):
        region = ("us-east-1", "eu-west-1")[index % 2]
        path = root / s3_key(ACCOUNT, region, WHEN, str(index))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(envelope_gz(records))
        ids[region] |= {r["eventID"] for r in records}
    return ids


def exported_ids(path: Path) -> set[str]:
    with path.open(newline="") as rows:
        return {row["event_id"] for row in csv.DictReader(rows)}


def test_regions_prune_a_local_copy_of_a_trail_bucket_by_its_region_folders(
    tmp_path: Path,
) -> None:
    ids = trail_copy(tmp_path / "bucket")
    out = tmp_path / "out.csv"
    code, _, err = run_cli("--source", str(tmp_path / "bucket"), "--regions", "us-east-1",
                           "events", "--format", "csv", "--output", str(out))
    assert code == 0, err
    assert exported_ids(out) == ids["us-east-1"]
    assert "not read, of regions not asked" in err
    assert "only regions us-east-1" in err
    coverage = out.with_name("out.csv.coverage.txt").read_text()
    assert coverage.startswith("coverage: COMPLETE")
    assert "not applied" not in coverage


def test_files_outside_the_layout_are_read_whole_and_said_so(tmp_path: Path) -> None:
    ids = trail_copy(tmp_path / "bucket")
    stray = tmp_path / "bucket" / "extra" / "trail.json.gz"  # no region in folder or name
    stray.parent.mkdir()
    records = next(iter(stratus_files().values()))
    stray.write_bytes(envelope_gz([{**r, "eventID": "stray-" + r["eventID"]} for r in records]))
    out = tmp_path / "out.csv"
    code, _, err = run_cli("--source", str(tmp_path / "bucket"), "--regions", "us-east-1",
                           "events", "--format", "csv", "--output", str(out))
    assert code == 0, err
    assert exported_ids(out) == ids["us-east-1"] | {"stray-" + r["eventID"] for r in records}
    said = "--regions not applied to 1 file outside the S3 layout"
    assert said in err
    assert said in out.with_name("out.csv.coverage.txt").read_text()


def test_files_not_read_are_not_counted_as_read_whole(tmp_path: Path) -> None:
    """A hidden log and a broken link are skipped, not read: they are no file --regions
    was not applied to (both were counted so); macOS's ._ files beside the logs on a
    disk it does not own are nothing to say at all."""
    trail_copy(tmp_path / "bucket")
    folder = next(p for p in (tmp_path / "bucket").rglob("*.json.gz")
                  if "/us-east-1/" in str(p)).parent
    outside = tmp_path / "bucket"  # no region in folder or name: read whole, if read
    (outside / ".hidden.json.gz").write_bytes(b"")
    (outside / "gone.json.gz").symlink_to(tmp_path / "nowhere.json.gz")
    (folder / f"._{ACCOUNT}_CloudTrail_us-east-1_20240301T1005Z_x.json.gz").write_bytes(
        b"\x00\x05\x16\x07")
    code, _, err = run_cli("--source", str(tmp_path / "bucket"), "--regions", "us-east-1",
                           "events", "--format", "csv")
    assert code == PARTLY_ANSWERED, err  # the two skipped
    assert "not applied" not in err, err
    assert "2 skipped" in err and "._" not in err, err


def test_the_region_is_read_from_the_layout_with_an_organization_and_from_a_name() -> None:
    from awsir_tui.events.s3archive import layout_region

    org_key = s3_key(ACCOUNT, "eu-west-1", WHEN, "1", org="o-abcdefghij")
    assert layout_region(f"/cases/{org_key}") == "eu-west-1"
    assert layout_region(f"/cases/{Path(org_key).name}") == "eu-west-1"
    # "CloudTrail" and an account ID as any folder's names are not the layout.
    assert layout_region(f"/cases/{ACCOUNT}/CloudTrail/us-east-1/trail.json") is None
    # Insights events are delivered beside the logs, in a folder of their own.
    insight = f"AWSLogs/{ACCOUNT}/CloudTrail-Insight/us-west-2/2024/03/01/x.json.gz"
    assert layout_region(f"/cases/{insight}") == "us-west-2"
    assert layout_region(f"{ACCOUNT}_CloudTrail-Insight_us-west-2_20240301T1005Z_a.json.gz") \
        == "us-west-2"


def test_a_copy_read_for_a_time_it_has_no_log_of_answers_with_none_not_a_failure(
    tmp_path: Path,
) -> None:
    """Every log pruned by the filter's time, only the digest file (never a log) left: it said
    "no CloudTrail log among the sources" and exited 1, as for an empty pipe."""
    trail_copy(tmp_path / "bucket")
    digest = tmp_path / "bucket" / "AWSLogs" / ACCOUNT / "CloudTrail-Digest" / "us-east-1" / (
        f"2024/03/01/{ACCOUNT}_CloudTrail-Digest_us-east-1_t_us-east-1_20240301T110000Z"
        ".json.gz")
    digest.parent.mkdir(parents=True)
    digest.write_bytes(gzip.compress(json.dumps({
        "awsAccountId": ACCOUNT, "digestStartTime": "2024-03-01T10:00:00Z",
        "digestEndTime": "2024-03-01T11:00:00Z", "logFiles": []}).encode()))
    code, _, err = run_cli("--source", str(tmp_path / "bucket"), "events", "--filter",
                           "after:2026-01-01", "--format", "csv")
    assert code == 0, err
    assert "no CloudTrail log" not in err
    code, _, err = run_cli("--source", str(digest), "events", "--format", "csv")
    assert code == 1 and "no CloudTrail log among the sources" in err, err
