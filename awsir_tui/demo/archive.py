"""The demo account's CloudTrail archive: a trail, its S3 bucket, and the log files in it.

The files use CloudTrail's real key layout and format (gzip of ``{"Records": [...]}``),
and their key time is a delivery time a few minutes after the newest record in the
file, like AWS, so that a reader pruning by key time with a margin is exercised. VPC
flow logs are switched on in one region only: a gap the responder should notice.
"""

from __future__ import annotations

import gzip
import json
import random
import string
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from awsir_tui.demo import moto_state
from awsir_tui.events.record import parse_time

TRAIL_NAME = "bobs-org-trail"
FLOW_LOG_REGION = "us-east-1"
#: How much activity one log file covers; CloudTrail delivers about every 5-15 minutes.
WINDOW = timedelta(minutes=10)


def bucket_name(account_id: str) -> str:
    """The trail's bucket, named the way CloudTrail's console suggests."""
    return f"aws-cloudtrail-logs-{account_id}-bobs"


def _policy(bucket: str, account_id: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow",
         "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl",
         "Resource": f"arn:aws:s3:::{bucket}"},
        {"Sid": "AWSCloudTrailWrite", "Effect": "Allow",
         "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{bucket}/AWSLogs/{account_id}/*",
         "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
    ]})


def data_bucket_name(account_id: str) -> str:
    """The analytics bucket whose object reads the trail records as data events."""
    return f"bobs-analytics-raw-{account_id}"


def create_trail(s3: Any, cloudtrail: Any, account_id: str, data_region: str) -> str:
    """Create the log bucket and a logging multi-region trail that points at it.

    The trail also records S3 data events for the analytics bucket (created here in
    ``data_region``), so the archive holds events that Event history never shows.
    """
    bucket = bucket_name(account_id)
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=_policy(bucket, account_id))
    data_bucket = data_bucket_name(account_id)
    s3.create_bucket(Bucket=data_bucket,
                     CreateBucketConfiguration={"LocationConstraint": data_region})
    # Validation is on, as on a well-run trail (the posture checks expect it), but the demo
    # writes no digest files yet: a digest validator has nothing to check here.
    cloudtrail.create_trail(Name=TRAIL_NAME, S3BucketName=bucket, IsMultiRegionTrail=True,
                            IncludeGlobalServiceEvents=True, EnableLogFileValidation=True)
    cloudtrail.put_event_selectors(TrailName=TRAIL_NAME, EventSelectors=[{
        "ReadWriteType": "All", "IncludeManagementEvents": True,
        "DataResources": [{"Type": "AWS::S3::Object",
                           "Values": [f"arn:aws:s3:::{data_bucket}/"]}]}])
    cloudtrail.start_logging(Name=TRAIL_NAME)
    return bucket


def create_flow_log(ec2: Any, vpc_id: str, bucket: str) -> str:
    """VPC flow logs for one VPC, delivered to the same bucket."""
    created = ec2.create_flow_logs(ResourceIds=[vpc_id], ResourceType="VPC", TrafficType="ALL",
                                   LogDestinationType="s3",
                                   LogDestination=f"arn:aws:s3:::{bucket}")
    return str(created["FlowLogIds"][0])


def log_files(account_id: str, records: Iterable[dict[str, Any]], rng: random.Random
              ) -> dict[str, bytes]:
    """Group records into per-region delivery windows; key -> gzipped file body."""
    windows: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for item in records:
        when = parse_time(item.get("eventTime"))
        windows[(str(item.get("awsRegion")), int(when.timestamp() // WINDOW.total_seconds()))
                ].append(item)
    files = {}
    alphabet = string.ascii_letters + string.digits
    for (region, slot), items in sorted(windows.items()):
        items.sort(key=lambda r: str(r.get("eventTime")))
        delivered = datetime.fromtimestamp((slot + 1) * WINDOW.total_seconds(), tz=UTC) + (
            timedelta(seconds=rng.randint(30, 240)))
        suffix = "".join(rng.choice(alphabet) for _ in range(16))
        key = (f"AWSLogs/{account_id}/CloudTrail/{region}/{delivered:%Y/%m/%d}/"
               f"{account_id}_CloudTrail_{region}_{delivered:%Y%m%dT%H%MZ}_{suffix}.json.gz")
        # orjson and a light compression: every test process writes ~2,400 of these.
        files[key] = gzip.compress(orjson.dumps({"Records": items}), compresslevel=1, mtime=0)
    return files


def write_archive(account_id: str, bucket: str, records: Iterable[dict[str, Any]],
                  rng: random.Random) -> list[str]:
    """Write every record into the bucket as CloudTrail log files; return the keys."""
    files = log_files(account_id, records, rng)
    moto_state.put_objects(account_id, bucket, files)
    return sorted(files)
