"""A bucket other AWS services deliver into too (a Control Tower log archive): their files,
in their places of the ``AWSLogs/`` layout, are not logs, ignored, and leave the load and
its exports COMPLETE; a file in CloudTrail's own folders that is not CloudTrail still
counts as a log not read."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsir_tui.cli import main
from awsir_tui.events.coverage import sidecar_path
from awsir_tui.events.loader import load
from awsir_tui.events.store import EventStore
from tests.helpers_events import envelope_gz, s3_key, stratus_files

ACCOUNT = "111122223333"
ORG = "o-a1b2c3d4e5"
REGION = "us-east-1"
#: AWS Config's configuration item, as its history and snapshot files hold them.
ITEM = {"configurationItemVersion": "1.3", "configurationItemCaptureTime":
        "2024-07-31T13:05:11.123Z", "configurationStateId": 1722431111123,
        "awsAccountId": ACCOUNT, "configurationItemStatus": "OK",
        "resourceType": "AWS::EC2::Instance", "resourceId": "i-0abc1234def567890",
        "awsRegion": REGION, "tags": {}, "relationships": []}


def other_services(root: Path, org: str = "") -> dict[str, str]:
    """What AWS Config, VPC Flow Logs and Elastic Load Balancing deliver into a shared
    log-archive bucket, in their real places and names: each file's key -> the service a
    reason names."""
    base = f"AWSLogs/{org}/{ACCOUNT}" if org else f"AWSLogs/{ACCOUNT}"
    config = f"{base}/Config/{REGION}/2024/7/31"
    files = {
        f"{config}/ConfigHistory/{ACCOUNT}_Config_{REGION}_ConfigHistory_AWS::EC2::Instance_"
        f"20240731T130511Z_20240731T143311Z_1.json.gz":
            ("AWS Config", gzip.compress(json.dumps(
                {"fileVersion": "1.0", "configurationItems": [ITEM]}).encode())),
        f"{config}/ConfigSnapshot/{ACCOUNT}_Config_{REGION}_ConfigSnapshot_20240731T130511Z_"
        f"0d2f6a3e-5f7c-4c36-9d4b-2a0e1f9c8b7a.json.gz":
            ("AWS Config", gzip.compress(json.dumps(
                {"fileVersion": "1.0", "configSnapshotId": "0d2f6a3e-5f7c-4c36-9d4b-2a0e1f9c8b7a",
                 "configurationItems": [ITEM]}).encode())),
        f"{base}/Config/ConfigWritabilityCheckFile": ("AWS Config", b""),
        f"{base}/vpcflowlogs/{REGION}/2024/07/31/{ACCOUNT}_vpcflowlogs_{REGION}_"
        f"fl-0123456789abcdef0_20240731T1305Z_3f8a1c2b.log.gz":
            ("VPC Flow Logs", gzip.compress(
                b"version account-id interface-id srcaddr dstaddr srcport dstport protocol "
                b"packets bytes start end action log-status\n2 111122223333 eni-0a1b2c3d "
                b"10.0.1.5 10.0.2.7 443 49152 6 10 840 1722431100 1722431160 ACCEPT OK\n")),
        f"{base}/elasticloadbalancing/{REGION}/2024/07/31/{ACCOUNT}_elasticloadbalancing_"
        f"{REGION}_app.web.0a1b2c3d4e5f6a7b_20240731T1305Z_10.0.1.5_2k9x.log.gz":
            ("Elastic Load Balancing", gzip.compress(
                b'https 2024-07-31T13:05:00.123456Z app/web/0a1b2c3d4e5f6a7b 203.0.113.9:51234 '
                b'10.0.1.5:443 0.001 0.002 0.000 200 200 34 366 "GET https://example.com:443/ '
                b'HTTP/1.1" "curl/8.0" - - - "Root=1-66aa" "-" "-" 0 2024-07-31T13:05:00Z '
                b'"forward" "-" "-" "10.0.1.5:443" "200" "-" "-"\n')),
    }
    for key, (_, content) in files.items():
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return {key: service for key, (service, _) in files.items()}


def trail_logs(root: Path, org: str = "") -> int:
    """Two techniques' real records as CloudTrail's log files, in CloudTrail's place:
    how many records."""
    files = stratus_files()
    records = 0
    for index, name in enumerate(["aws.defense-evasion.cloudtrail-stop",
                                  "aws.credential-access.ec2-get-password-data"]):
        when = datetime(2024, 7, 31, 13, 5 + index * 5, tzinfo=UTC)
        path = root / s3_key(ACCOUNT, REGION, when, f"trail{index}", org)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(envelope_gz(files[name]))
        records += len(files[name])
    return records


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "python"])
@pytest.mark.parametrize("org", ["", ORG], ids=["account", "organization"])
def test_other_services_deliveries_are_not_logs_and_leave_nothing_out(
    tmp_path: Path, fast: bool, org: str
) -> None:
    """Beside them, in CloudTrail's own folders: AWS Config's history put in CloudTrail/
    is a foreign file where logs are expected, and a log cut short in CloudTrail-Insight/
    (CloudTrail's Insights events, whose records load) is damaged: both are still logs
    not read, the load partial for them alone."""
    records = trail_logs(tmp_path, org)
    services = other_services(tmp_path, org)
    when = datetime(2024, 7, 31, 13, 20, tzinfo=UTC)
    foreign = tmp_path / s3_key(ACCOUNT, REGION, when, "foreign", org)
    foreign.write_bytes(gzip.compress(json.dumps(
        {"fileVersion": "1.0", "configurationItems": [ITEM]}).encode()))
    insight = tmp_path / s3_key(ACCOUNT, REGION, when, "insight", org).replace(
        "/CloudTrail/", "/CloudTrail-Insight/")
    insight.parent.mkdir(parents=True)
    insights = stratus_files()["aws.defense-evasion.cloudtrail-delete"]
    insight.write_bytes(envelope_gz(insights))
    cut = insight.with_name(insight.name.replace("insight", "cutshort"))
    cut.write_bytes(envelope_gz(insights)[:-20])
    with EventStore() as store:
        report = load([tmp_path], store, fast=fast)
        assert store.count() == records + len(insights)
    assert report.files_read == 3 and report.partial == []
    ignored = {Path(p.source).relative_to(tmp_path).as_posix(): p.reason for p in report.ignored}
    assert set(ignored) == set(services)
    for key, service in services.items():
        assert ignored[key].startswith(f"delivered by {service} ("), ignored[key]
        assert "not by CloudTrail" in ignored[key]
    skipped = {Path(p.source).name: p.reason for p in report.skipped}
    assert set(skipped) == {foreign.name, cut.name}
    assert skipped[foreign.name].startswith("valid JSON but not CloudTrail")
    assert skipped[cut.name].startswith("truncated gzip")
    assert report.summary().endswith(f"; 2 skipped; {len(services)} not logs, ignored")


def run(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def sidecar(export: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in sidecar_path(export).read_text().splitlines():
        key, _, value = line.partition(": ")
        found.setdefault(key, []).append(value)
    return found


def test_an_export_from_a_shared_log_archive_is_complete_and_lists_config_as_ignored(
    tmp_path: Path
) -> None:
    """The QA's bucket: CloudTrail's logs and AWS Config's. The export said PARTIAL
    ("1 file not read whole") for ever; a reopened store kept a cancelled load
    unsettled after a full reload, since that reload "skipped" the Config file."""
    bucket = tmp_path / "bucket"
    records = trail_logs(bucket)
    services = other_services(bucket)
    cancel = threading.Event()
    cancel.set()
    with EventStore(tmp_path / "s.duckdb") as store:
        assert load([bucket], store, cancel=cancel).cancelled
    out = tmp_path / "events.jsonl"
    code, err = run("events", "--source", str(bucket), "--store", str(tmp_path / "s.duckdb"),
                    "--format", "jsonl", "--output", str(out))
    assert code == 0, err
    assert f"{records} events written to {out} (COMPLETE)" in err, err
    info = sidecar(out)
    assert info["coverage"] == ["COMPLETE"]
    assert "file skipped" not in info
    listed = info["file ignored, not a log"]
    config = next(key for key in services if "ConfigHistory" in key)
    [line] = [line for line in listed if line.startswith(str(bucket / config))]
    assert line.endswith(": delivered by AWS Config (AWSLogs/…/Config/), not by CloudTrail: "
                         "no CloudTrail events in it"), line
    assert f"{bucket / config}: delivered by AWS Config" in err  # as :load lists it
    reopened = tmp_path / "again.jsonl"
    code, err = run("events", "--store", str(tmp_path / "s.duckdb"), "--output", str(reopened))
    assert code == 0 and "(COMPLETE)" in err, err
