"""The demo account's CloudTrail archive in S3: trail, key layout, file contents."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from awsir_tui.demo.scenario import Facts
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.record import iter_records, parse_time

KEY = re.compile(
    r"^AWSLogs/(?P<account>\d{12})/CloudTrail/(?P<region>[a-z0-9-]+)/"
    r"(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/(?P=account)_CloudTrail_(?P=region)_"
    r"(?P<stamp>\d{8}T\d{4}Z)_[A-Za-z0-9]{16}\.json\.gz$"
)


def _keys(s3: Any, bucket: str, prefix: str = "") -> list[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [o["Key"] for page in pages for o in page.get("Contents", [])]


def test_the_trail_logs_to_the_bucket(demo_facts: Facts, demo_client: Callable[..., Any]) -> None:
    cloudtrail = demo_client("cloudtrail", "us-east-1")
    [trail] = [t for t in cloudtrail.describe_trails()["trailList"]
               if t["Name"] == demo_facts.trail_name]
    assert trail["S3BucketName"] == demo_facts.trail_bucket
    assert trail["IsMultiRegionTrail"] is True
    assert cloudtrail.get_trail_status(Name=demo_facts.trail_name)["IsLogging"] is True


def test_every_key_follows_cloudtrails_layout(
    demo: DemoServer, demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    keys = _keys(demo_client("s3", "us-east-1"), demo_facts.trail_bucket, "AWSLogs/")
    assert sorted(keys) == sorted(demo.archive_keys) and len(keys) > 100
    regions = set()
    for key in keys:
        match = KEY.match(key)
        assert match, key
        assert match["account"] == demo.account_id
        stamp = datetime.strptime(match["stamp"], "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
        assert (match["y"], match["m"], match["d"]) == (
            f"{stamp:%Y}", f"{stamp:%m}", f"{stamp:%d}")
        regions.add(match["region"])
    assert regions == set(demo.regions)


def test_files_hold_the_same_events_as_lookup_and_never_newer_than_their_key(
    demo: DemoServer, demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    s3 = demo_client("s3", "us-east-1")
    prefix = f"AWSLogs/{demo.account_id}/CloudTrail/{demo_facts.proxy_region}/"
    keys = _keys(s3, demo_facts.trail_bucket, prefix)
    # The attack's files: its day and the days around it (near midnight UTC the attack
    # and its delivery straddle two days).
    launched = demo_facts.malicious_launch_time
    days = {f"{launched + timedelta(days=d):%Y/%m/%d}" for d in (-1, 0, 1)}
    wanted = [k for k in keys if any(day in k for day in days)]
    found: dict[str, dict[str, Any]] = {}
    for key in wanted:
        body = s3.get_object(Bucket=demo_facts.trail_bucket, Key=key)["Body"].read()
        document = json.loads(gzip.decompress(body))
        assert set(document) == {"Records"}
        delivered = datetime.strptime(KEY.match(key)["stamp"], "%Y%m%dT%H%MZ").replace(  # type: ignore[index]
            tzinfo=UTC)
        for record in iter_records(document):
            when = parse_time(record["eventTime"])
            assert delivered - timedelta(minutes=15) <= when <= delivered + timedelta(minutes=1)
            assert record["awsRegion"] == demo_facts.proxy_region
            found[record["eventID"]] = dict(record)
    here = [e for e in demo_facts.attack_event_ids if e in found]
    assert here and all(found[e]["sourceIPAddress"] == demo_facts.attacker_ip for e in here)
    # The same record as LookupEvents returns for it, byte for byte once parsed.
    cloudtrail = demo_client("cloudtrail", demo_facts.proxy_region,
                             retries={"mode": "standard", "max_attempts": 10})
    item = cloudtrail.lookup_events(LookupAttributes=[
        {"AttributeKey": "EventId", "AttributeValue": here[-1]}])["Events"][0]
    assert json.loads(item["CloudTrailEvent"]) == found[here[-1]]


def test_the_archive_covers_a_week_in_every_region(demo: DemoServer) -> None:
    times = [parse_time(r["eventTime"]) for r in demo.records]
    assert len(demo.records) >= 2000
    assert max(times) - min(times) >= timedelta(days=7)
    per_region = {r: sum(1 for x in demo.records if x["awsRegion"] == r) for r in demo.regions}
    assert all(count >= 100 for count in per_region.values()), per_region


def test_flow_logs_are_on_in_one_region_only(
    demo: DemoServer, demo_facts: Facts, demo_client: Callable[..., Any]
) -> None:
    with_logs = {r for r in demo.regions if demo_client("ec2", r).describe_flow_logs()["FlowLogs"]}
    assert with_logs == {demo_facts.flow_log_region}
