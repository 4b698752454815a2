"""CloudTrail Insights events (#5): named as Insights of their API, never as its calls,
alike on both ingest paths; read from an S3 archive's ``CloudTrail-Insight/`` folder,
pruned as ``CloudTrail/`` is, where a folder denied leaves the load COMPLETE."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from awsir_tui.cli import main
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.coverage import archive_coverage
from awsir_tui.events.loader import LoadReport, load
from awsir_tui.events.record import Event, from_record
from awsir_tui.events.s3archive import S3Archive
from awsir_tui.events.store import EventStore
from awsir_tui.query import compile_sql, parse
from awsir_tui.query.fields import EVENT_FIELDS
from awsir_tui.query.predicate import compile_predicate
from tests.helpers_events import envelope_gz, s3_key, stratus_files

#: Real calls: the Stratus technique that launches instances (one RunInstances).
CALLS = stratus_files()["aws.execution.ec2-launch-unusual-instances"]
ACCOUNT, REGION = CALLS[0]["recipientAccountId"], CALLS[0]["awsRegion"]
DAY = datetime(2024, 8, 1, tzinfo=UTC)
SHARED_ID = "5c6a2b8e-1f4d-4a7e-9b3c-2d8e6f0a1b47"


def insight(state: str, when: datetime, event_id: str) -> dict[str, Any]:
    """An Insights event as AWS documents a trail's ("CloudTrail record contents for
    Insights events for trails"): no eventName, eventSource or userIdentity at the top;
    the API, its service and the statistics in ``insightDetails``."""
    caller = CALLS[-1]["userIdentity"]["arn"]
    statistics: dict[str, Any] = {"baseline": {"average": 0.0020833},
                                  "insight": {"average": 6.0}, "baselineDuration": 10080}
    if state == "End":
        statistics["insightDuration"] = 2
    return {
        "eventVersion": "1.08", "eventTime": f"{when:%Y-%m-%dT%H:%M:%SZ}",
        "awsRegion": REGION, "eventID": event_id, "eventType": "AwsCloudTrailInsight",
        "recipientAccountId": ACCOUNT, "sharedEventID": SHARED_ID,
        "insightDetails": {
            "state": state, "eventSource": "ec2.amazonaws.com", "eventName": "RunInstances",
            "insightType": "ApiCallRateInsight",
            "insightContext": {
                "statistics": statistics,
                "attributions": [
                    {"attribute": "userIdentityArn",
                     "insight": [{"value": caller, "average": 6.0}],
                     "baseline": [{"value": caller, "average": 0.0020833}]},
                    {"attribute": "errorCode", "insight": [{"value": "null", "average": 6.0}],
                     "baseline": [{"value": "null", "average": 0.0020833}]},
                ],
            },
        },
        "eventCategory": "Insight",
    }


START = insight("Start", DAY + timedelta(hours=11, minutes=31), "f1c0a9d2-insight-start")
END = insight("End", DAY + timedelta(hours=11, minutes=33), "f1c0a9d2-insight-end")


def insight_key(region: str, when: datetime, suffix: str) -> str:
    """Where CloudTrail delivers Insights events: beside the logs, in the same layout."""
    return s3_key(ACCOUNT, region, when, suffix).replace(
        "/CloudTrail/", "/CloudTrail-Insight/").replace("_CloudTrail_", "_CloudTrail-Insight_")


def matching(store: EventStore, events: list[Event], text: str) -> int:
    """How many events ``text`` finds, in SQL (an archive) and in Python (Event
    history), which must agree."""
    query = parse(text, EVENT_FIELDS)
    found = store.count(*compile_sql(query, EVENT_FIELDS))
    assert sum(map(compile_predicate(query, EVENT_FIELDS), events)) == found, text
    return found


def test_an_insight_is_named_as_one_alike_on_both_ingest_paths(tmp_path: Path) -> None:
    when = DAY + timedelta(hours=11, minutes=35)
    calls, insights = tmp_path / s3_key(ACCOUNT, REGION, when, "c"), tmp_path / insight_key(
        REGION, when, "i")
    for path, records in ((calls, CALLS), (insights, [START, END])):
        path.parent.mkdir(parents=True)
        path.write_bytes(envelope_gz(records))
    columns: dict[bool, dict[str, dict[str, object]]] = {}
    for fast in (True, False):
        with EventStore() as store:
            report = load([tmp_path], store, fast=fast)
            assert report.skipped == report.partial == [] and report.events == len(CALLS) + 2
            events = list(store.events())
            # A stack by name and name:= count the calls only; the Insight is found by
            # its name, and by full text (the ID that ties its start and end).
            assert dict(store.stack(["event_name"]))["RunInstances"] == 1
            assert matching(store, events, "name:=RunInstances") == 1
            assert matching(store, events, "name:insight source:ec2") == 2
            assert matching(store, events, SHARED_ID) == 2
            assert matching(store, events, "ApiCallRateInsight") == 2
        columns[fast] = {e.event_id: {slot: getattr(e, slot) for slot in e.__slots__
                                      if slot != "raw"} for e in events}
    assert columns[True] == columns[False]
    start = columns[True][START["eventID"]]
    assert (start["event_name"], start["event_source"]) == ("Insight:RunInstances",
                                                            "ec2.amazonaws.com")
    assert (start["account_id"], start["aws_region"], start["user_name"]) == (ACCOUNT, REGION, "")
    # Event history's path (LookupEvents items) names it alike.
    assert from_record(END).event_name == "Insight:RunInstances"
    # And `awsir-tui events` shows it so.
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["events", "--source", str(tmp_path), "--filter", "name:insight",
                     "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["event"], r["service"]) for r in rows] == [
        ("Insight:RunInstances", "ec2.amazonaws.com")] * 2


def trail_bucket(s3: Any, bucket: str) -> None:
    """The calls of one day, that day's Insight about them, and Insights that discovery
    must prune unlisted: another region's, and one delivered days later."""
    s3.create_bucket(Bucket=bucket)
    when = DAY + timedelta(hours=11, minutes=35)
    s3.put_object(Bucket=bucket, Key=s3_key(ACCOUNT, REGION, when, "c"), Body=envelope_gz(CALLS))
    s3.put_object(Bucket=bucket, Key=insight_key(REGION, when, "i"),
                  Body=envelope_gz([START, END]))
    s3.put_object(Bucket=bucket, Key=insight_key("eu-west-1", when, "r"),
                  Body=envelope_gz([insight("Start", when, "other-region")]))
    later = when + timedelta(days=3)
    s3.put_object(Bucket=bucket, Key=insight_key(REGION, later, "l"),
                  Body=envelope_gz([insight("Start", later, "later")]))


def loaded(s3: Any, bucket: str, cache: Path) -> tuple[LoadReport, set[str]]:
    """The archive loaded for the day of the calls, in their region: the report and the
    IDs of the events stored."""
    with EventStore() as store:
        report = load([f"s3://{bucket}"], store, s3_client=s3, cache_dir=cache,
                      after=DAY, before=DAY + timedelta(hours=20), regions=[REGION])
        return report, {e.event_id for e in store.events()}


def test_the_s3_walk_reads_insights_pruned_as_the_calls(
    demo: DemoServer, demo_client: Any, tmp_path: Path
) -> None:
    s3 = demo_client("s3")
    trail_bucket(s3, "insights-pruned")
    archive = S3Archive(s3, "s3://insights-pruned", regions=frozenset({REGION}), after=DAY,
                        before=DAY + timedelta(hours=20), cache_dir=tmp_path)
    when = DAY + timedelta(hours=11, minutes=35)
    assert {o.key for o in archive.discover()} == {s3_key(ACCOUNT, REGION, when, "c"),
                                                   insight_key(REGION, when, "i")}
    # Pruned while listing: no folder of the other region or of the later day.
    assert not any("eu-west-1" in p or "/08/04/" in p for p in archive.listed)
    report, ids = loaded(s3, "insights-pruned", tmp_path)
    assert report.skipped == report.insights_unlisted == []
    assert ids == {r["eventID"] for r in CALLS} | {START["eventID"], END["eventID"]}


def test_a_denied_insight_folder_is_said_and_leaves_the_load_complete(
    demo: DemoServer, demo_client: Any, tmp_path: Path
) -> None:
    """A role allowed to list CloudTrail/ only: every call loads, the folder denied is
    named in the report and the coverage, which stays COMPLETE (no call is missing)."""
    s3 = demo_client("s3")
    trail_bucket(s3, "insights-denied")
    denied = f"AWSLogs/{ACCOUNT}/CloudTrail-Insight/"

    def deny(params: dict[str, Any], **_: Any) -> None:
        if params.get("Prefix", "").startswith(denied):
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}},
                              "ListObjectsV2")

    s3.meta.events.register("before-parameter-build.s3.ListObjectsV2", deny)
    report, ids = loaded(s3, "insights-denied", tmp_path)
    assert ids == {r["eventID"] for r in CALLS}
    assert report.skipped == [] and [(p.source, p.reason) for p in report.insights_unlisted] == [
        (f"s3://insights-denied/{denied}", "cannot list: AccessDenied: denied")]
    assert "1 CloudTrail-Insight/ folder not listed" in report.summary()
    # The filter `events --after/--before` runs: the range the load kept (#5).
    asked = "after:2024-08-01T00:00:00Z before:2024-08-01T20:00:00Z"
    coverage = archive_coverage(["s3://insights-denied"], asked, "run on the store",
                                report=report)
    assert coverage.state() == "COMPLETE"
    assert (f"not listed (Insights events only, no call): s3://insights-denied/{denied}"
            in coverage.text(tmp_path / "x.jsonl", len(ids)))
