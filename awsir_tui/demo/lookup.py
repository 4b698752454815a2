"""CloudTrail ``LookupEvents`` over an in-memory list of records, with AWS's semantics.

moto implements trails but not Event history. The app's CloudTrail reader, its query
planner and its pacing are written against the real API's rules, so this emulation
enforces them instead of being lenient: exactly one lookup attribute, MaxResults 1..50,
an opaque NextToken bound to the query it came from, newest first, only the last 90
days, only the region the request was signed for.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from awsir_tui.events.record import parse_time, resources_of, user_name_of

ATTRIBUTE_KEYS = (
    "AccessKeyId", "EventId", "EventName", "EventSource", "ReadOnly",
    "ResourceName", "ResourceType", "Username",
)
MAX_RESULTS = 50
RETENTION = timedelta(days=90)

#: Which CloudFormation-style type a resource named in a record has, by ID prefix.
_TYPE_BY_PREFIX = (
    ("i-", "AWS::EC2::Instance"), ("sg-", "AWS::EC2::SecurityGroup"),
    ("vpc-", "AWS::EC2::VPC"), ("subnet-", "AWS::EC2::Subnet"),
    ("vol-", "AWS::EC2::Volume"), ("snap-", "AWS::EC2::Snapshot"),
    ("ami-", "AWS::EC2::Ami"), ("key-", "AWS::EC2::KeyPair"),
    ("eni-", "AWS::EC2::NetworkInterface"), ("fl-", "AWS::EC2::FlowLog"),
    ("arn:aws:iam::", "AWS::IAM::Role"), ("arn:aws:s3:::", "AWS::S3::Object"),
    ("arn:aws:cloudtrail:", "AWS::CloudTrail::Trail"),
)
#: Types of resources named by a plain name rather than an ID, by request parameter.
_TYPE_BY_PARAMETER = {
    "keyName": "AWS::EC2::KeyPair", "groupName": "AWS::EC2::SecurityGroup",
    "roleName": "AWS::IAM::Role", "userName": "AWS::IAM::User",
    "instanceProfileName": "AWS::IAM::InstanceProfile", "bucketName": "AWS::S3::Bucket",
    "policyArn": "AWS::IAM::Policy", "trailName": "AWS::CloudTrail::Trail",
}


class CloudTrailError(Exception):
    """An error answered the way CloudTrail's JSON protocol does (HTTP 400, ``__type``)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> dict[str, str]:
        """The JSON error document botocore parses into ``ClientError``."""
        return {"__type": self.code, "message": self.message}


def resource_type_of(name: str, record: Mapping[str, Any]) -> str:
    """The LookupEvents ``ResourceType`` of a resource name found in ``record``."""
    if name.startswith("arn:aws:iam::"):
        kind = name.split(":", 5)[-1].split("/", 1)[0]
        return {"user": "AWS::IAM::User", "policy": "AWS::IAM::Policy",
                "instance-profile": "AWS::IAM::InstanceProfile"}.get(kind, "AWS::IAM::Role")
    for prefix, kind in _TYPE_BY_PREFIX:
        if name.startswith(prefix):
            return kind
    params = record.get("requestParameters")
    if isinstance(params, Mapping):
        for key, kind in _TYPE_BY_PARAMETER.items():
            if params.get(key) == name:
                return kind
    return "AWS::Unknown"


@dataclass(frozen=True, slots=True)
class _Entry:
    """One record prepared once: its response item and the values each attribute matches."""

    time: datetime
    item: dict[str, Any]
    keys: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _prepare(record: Mapping[str, Any]) -> _Entry:
    identity = record.get("userIdentity") or {}
    when = parse_time(record.get("eventTime"))
    names = resources_of(record)
    resources = [{"ResourceType": resource_type_of(n, record), "ResourceName": n} for n in names]
    read_only = record.get("readOnly")
    item: dict[str, Any] = {
        "EventId": str(record.get("eventID", "")),
        "EventName": str(record.get("eventName", "")),
        "ReadOnly": "true" if read_only is True else "false",
        "EventTime": when.timestamp(),
        "EventSource": str(record.get("eventSource", "")),
        "Resources": resources,
        "CloudTrailEvent": orjson.dumps(record).decode(),
    }
    user = user_name_of(identity)
    if user:
        item["Username"] = user
    if identity.get("accessKeyId"):
        item["AccessKeyId"] = str(identity["accessKeyId"])
    keys = {
        "AccessKeyId": frozenset({item.get("AccessKeyId", "")}),
        "EventId": frozenset({item["EventId"]}),
        "EventName": frozenset({item["EventName"]}),
        "EventSource": frozenset({item["EventSource"]}),
        "ReadOnly": frozenset({item["ReadOnly"]}),
        "ResourceName": frozenset(names),
        "ResourceType": frozenset(r["ResourceType"] for r in resources),
        "Username": frozenset({user}),
    }
    return _Entry(time=when, item=item, keys=keys)


def _timestamp(value: object, name: str) -> datetime:
    """A request time: epoch seconds (what boto3 and the CLI send) or ISO 8601."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), tz=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise CloudTrailError("InvalidTimeRangeException", f"{name} is not a valid timestamp.")


class EventHistory:
    """The account's management events, answering LookupEvents per region."""

    def __init__(self, records: Iterable[Mapping[str, Any]]) -> None:
        by_region: dict[str, list[_Entry]] = {}
        for record in records:
            by_region.setdefault(str(record.get("awsRegion", "")), []).append(_prepare(record))
        for entries in by_region.values():
            entries.sort(key=lambda e: (e.time, e.item["EventId"]), reverse=True)
        self._by_region = by_region

    def lookup(
        self, region: str, request: Mapping[str, Any], now: datetime | None = None
    ) -> dict[str, Any]:
        """Answer one LookupEvents request body (already JSON-decoded) for ``region``."""
        now = now or datetime.now(UTC)
        attribute = self._attribute(request.get("LookupAttributes"))
        start, end = self._time_range(request, now)
        limit = request.get("MaxResults", MAX_RESULTS)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_RESULTS:
            raise CloudTrailError(
                "InvalidMaxResultsException",
                f"Value {limit} for MaxResults is invalid: it must be between 1 and 50.",
            )
        category = request.get("EventCategory")
        if category not in (None, "insight"):
            raise CloudTrailError("InvalidEventCategoryException",
                                  f"Event category {category!r} is not valid.")
        # The token is bound to the query as sent (not to "now", which moves between pages).
        fingerprint = hashlib.sha256(
            json.dumps([region, attribute, request.get("StartTime"), request.get("EndTime"),
                        category], default=str).encode()
        ).hexdigest()[:16]
        offset = self._offset(request.get("NextToken"), fingerprint)
        matches = [
            entry.item
            for entry in self._by_region.get(region, [])
            if start <= entry.time <= end
            and (attribute is None or attribute[1] in entry.keys[attribute[0]])
        ] if category is None else []  # Insights events: the demo has none
        page = matches[offset : offset + limit]
        response: dict[str, Any] = {"Events": page}
        if offset + limit < len(matches):
            response["NextToken"] = base64.urlsafe_b64encode(
                json.dumps({"offset": offset + limit, "query": fingerprint}).encode()
            ).decode()
        return response

    @staticmethod
    def _attribute(value: object) -> tuple[str, str] | None:
        if value is None or value == []:
            return None
        if not isinstance(value, list) or len(value) != 1:
            raise CloudTrailError(
                "InvalidLookupAttributesException",
                "You cannot specify more than one lookup attribute.",
            )
        only = value[0]
        key = only.get("AttributeKey") if isinstance(only, Mapping) else None
        wanted = only.get("AttributeValue") if isinstance(only, Mapping) else None
        if key not in ATTRIBUTE_KEYS:
            raise CloudTrailError(
                "InvalidLookupAttributesException",
                f"Lookup attribute key {key!r} is not valid. Valid keys: "
                + ", ".join(ATTRIBUTE_KEYS) + ".",
            )
        if not isinstance(wanted, str) or not wanted:
            raise CloudTrailError(
                "InvalidLookupAttributesException",
                "Lookup attribute value must be a non-empty string.",
            )
        return str(key), wanted

    @staticmethod
    def _time_range(request: Mapping[str, Any], now: datetime) -> tuple[datetime, datetime]:
        oldest = now - RETENTION
        start = _timestamp(request["StartTime"], "StartTime") if "StartTime" in request else oldest
        end = _timestamp(request["EndTime"], "EndTime") if "EndTime" in request else now
        if start > end:
            raise CloudTrailError(
                "InvalidTimeRangeException", "Start time must be earlier than end time."
            )
        return max(start, oldest), end

    @staticmethod
    def _offset(token: object, fingerprint: str) -> int:
        if token is None:
            return 0
        try:
            decoded = json.loads(base64.urlsafe_b64decode(str(token).encode()))
            if decoded["query"] == fingerprint and isinstance(decoded["offset"], int):
                return max(0, decoded["offset"])
        except (ValueError, KeyError, TypeError):
            pass
        raise CloudTrailError(
            "InvalidNextTokenException",
            "Invalid NextToken: it does not belong to this query or has expired.",
        )
