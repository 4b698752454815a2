"""The one normalised view of a CloudTrail record.

Every source (LookupEvents, an S3 archive, a folder of files) ends up here, so that
filters, detections, the viewer and exports agree on what "user name" or "resource"
means. The raw record is always kept: it is the evidence, the flat fields are an index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

#: Keys in requestParameters / responseElements whose values name a resource that a
#: responder pivots on. LookupEvents derives its Resources from the same places.
RESOURCE_KEYS = frozenset(
    {
        "instanceId", "groupId", "groupName", "keyName", "keyPairId", "volumeId",
        "snapshotId", "imageId", "networkInterfaceId", "subnetId", "vpcId",
        "allocationId", "bucketName", "roleName", "userName", "policyArn", "groupArn",
        "instanceProfileName", "accessKeyId", "trailName", "name", "logGroupName",
        "flowLogId", "flowLogIds", "resourceIdSet", "secretId", "functionName",
        # Systems Manager: the instances SendCommand runs on, the one StartSession opens a
        # shell on (its "target"), and the command and session IDs that tie the later
        # calls (GetCommandInvocation, TerminateSession) to them.
        "instanceIds", "target", "commandId", "sessionId",
    }
)
#: Objects whose ``name`` is an instance state (``{"code": 16, "name": "running"}``, in
#: StartInstances and the like): not resources, though ``name`` elsewhere is (a trail, a
#: trust anchor). Their JSON text is what :data:`STATE_OBJECT` matches (ingest's SQL).
STATE_KEYS = frozenset({"currentState", "previousState", "instanceState"})
STATE_OBJECT = r'"(?:currentState|previousState|instanceState)":\{[^{}]*\}'
#: A search filter names what it searches on in ``name``, right before its values: EC2's
#: ``filterSet`` items (``{"name": "instance-state-name", "valueSet": ...}``), the
#: ``filters`` of RDS and others (``{"name": "engine", "values": [...]}``). Not a resource,
#: though a ``name`` without them is (a trail, a trust anchor). Told by the key right
#: after ``name``, as CloudTrail orders them, because ingest's SQL can only see order in
#: the JSON text, where :data:`FILTER_NAME` cuts the name and keeps the values' key.
FILTER_VALUE_KEYS = frozenset({"valueSet", "values"})
FILTER_NAME = r'"name":"(?:[^"\\]|\\.)*",("(?:valueSet|values)":)'
_MAX_RESOURCES = 64
_MAX_DEPTH = 8
#: ``eventType`` of a CloudTrail Insights event: not a call but CloudTrail's own note that
#: the rate of one API's calls (``ApiCallRateInsight``) or errors (``ApiErrorRateInsight``)
#: left its baseline, once as it starts and once as it ends (``insightDetails.state``,
#: the two tied by ``sharedEventID``). It has no top-level ``eventName``, ``eventSource``
#: or ``userIdentity``: the API and its service are in ``insightDetails``.
INSIGHT_EVENT_TYPE = "AwsCloudTrailInsight"
#: Put before the API's name to make an Insights event's name: ``Insight:RunInstances``.
#: The API is what the responder looks for, and what the console's Insights page names;
#: the prefix keeps it apart from the calls, so that a stack by name counts no Insight
#: among the RunInstances calls, ``name:=RunInstances`` finds the calls only, and
#: ``name:insight`` every Insights event (``name:RunInstances``, which matches a part,
#: lists both, the Insight named as one). Short, for the name column at 80 columns.
INSIGHT_PREFIX = "Insight:"


@dataclass(frozen=True, slots=True)
class Event:
    """A CloudTrail record with the fields the tool filters and shows, plus the raw JSON."""

    event_id: str
    event_time: datetime
    event_name: str = ""
    event_source: str = ""
    aws_region: str = ""
    source_ip: str = ""
    user_agent: str = ""
    error_code: str = ""
    error_message: str = ""
    read_only: bool | None = None
    user_type: str = ""
    user_name: str = ""
    user_arn: str = ""
    principal_id: str = ""
    access_key_id: str = ""
    account_id: str = ""
    resources: tuple[str, ...] = ()
    raw: str = ""
    #: Why the raw record could not be read as JSON, when it could not; shown as a warning.
    parse_error: str = field(default="", compare=False)

    def record(self) -> dict[str, Any]:
        """The raw record as a dict (``{}`` when it is not valid JSON)."""
        try:
            value = json.loads(self.raw)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


#: Where a record without a usable ``eventTime`` is dated (kept, never dropped).
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Every usable time is on or after this; before it are the records dated
#: :data:`EPOCH` (what the filter ``before:1971-01-01`` finds: see the loader's report).
FIRST_USABLE_TIME = datetime(1971, 1, 1, tzinfo=UTC)


def parse_time(value: object) -> datetime:
    """Parse CloudTrail's ``eventTime`` (``2019-08-09T12:00:00Z``) as an aware datetime.

    Unknown, missing or unusable times become :data:`EPOCH` rather than an exception: a
    record with a bad time is still evidence and must not be dropped. Unusable includes
    a time that exists only outside years 1-9999 once in UTC (a number of milliseconds
    read as seconds, ``99999-01-01``): raised here, it cost the whole file its records;
    a boolean (``true``) is not a number of seconds either.
    """
    try:
        parsed = _time_of(value)
        if parsed is not None:
            parsed.astimezone(UTC)  # as the store keeps it: in range, or OverflowError
            return parsed
    except (ValueError, OverflowError, OSError):
        pass
    return EPOCH


def _time_of(value: object) -> datetime | None:
    """``value`` as an aware datetime (UTC when it names no zone), None if it is no time."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), tz=UTC)
    if isinstance(value, str) and value:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def user_name_of(identity: Mapping[str, Any]) -> str:
    """What the console's Event history calls "User name" for a ``userIdentity``.

    For an assumed role that is the role session name, the last part of the ARN: for an
    instance role it is the instance ID, which is how a stolen instance credential shows.
    """
    kind = _text(identity.get("type"))
    if identity.get("userName"):
        return _text(identity["userName"])
    arn = _text(identity.get("arn"))
    if kind == "AssumedRole" and "/" in arn:
        return arn.rsplit("/", 1)[-1]
    if kind == "Root":
        return "root"
    principal = _text(identity.get("principalId"))
    if ":" in principal:
        return principal.rsplit(":", 1)[-1]
    if kind == "AWSService":
        return _text(identity.get("invokedBy"))
    return principal or arn.rsplit("/", 1)[-1]


def _is_filter(value: Mapping[str, Any]) -> bool:
    """True if ``value``'s ``name`` is a search filter's (see :data:`FILTER_VALUE_KEYS`);
    asked of every object a record holds, so one without ``name`` is answered at once."""
    return "name" in value and any(
        key == "name" and isinstance(value[key], str) and after in FILTER_VALUE_KEYS
        for key, after in pairwise(value)
    )


def _walk_resources(value: object, depth: int, out: dict[str, None]) -> None:
    """Collect resource names below ``value`` (ordered, unique, bounded)."""
    if depth > _MAX_DEPTH or len(out) >= _MAX_RESOURCES:
        return
    if isinstance(value, Mapping):
        is_filter = _is_filter(value)
        for key, item in value.items():
            if (key in STATE_KEYS and isinstance(item, Mapping)) or (
                key == "name" and is_filter
            ):
                continue
            if key in RESOURCE_KEYS and isinstance(item, str | int) and item != "":
                out.setdefault(str(item), None)
            elif key in RESOURCE_KEYS and isinstance(item, list):
                for element in item:
                    if isinstance(element, str):
                        out.setdefault(element, None)
                    else:
                        _walk_resources(element, depth + 1, out)
            else:
                _walk_resources(item, depth + 1, out)
    elif isinstance(value, list):
        for item in value:
            _walk_resources(item, depth + 1, out)


def resources_of(record: Mapping[str, Any]) -> tuple[str, ...]:
    """Resource names and ARNs a record touches: its ``resources`` plus request/response IDs."""
    found: dict[str, None] = {}
    listed = record.get("resources")
    if isinstance(listed, list):
        for item in listed:
            if isinstance(item, Mapping):
                for key in ("ARN", "arn", "ResourceName"):
                    if item.get(key):
                        found.setdefault(_text(item[key]), None)
    _walk_resources(record.get("requestParameters"), 0, found)
    _walk_resources(record.get("responseElements"), 0, found)
    return tuple(found)[:_MAX_RESOURCES]


def _read_only(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _name_and_source(record: Mapping[str, Any]) -> tuple[str, str]:
    """A record's event name and source: for an Insights event (:data:`INSIGHT_EVENT_TYPE`)
    its API's, from ``insightDetails``, the name after :data:`INSIGHT_PREFIX`."""
    if record.get("eventType") != INSIGHT_EVENT_TYPE:
        return _text(record.get("eventName")), _text(record.get("eventSource"))
    details = record.get("insightDetails")
    if not isinstance(details, Mapping):
        details = {}
    return (INSIGHT_PREFIX + _text(details.get("eventName")),
            _text(details.get("eventSource")))


def from_record(record: Mapping[str, Any], raw: str | None = None) -> Event:
    """Normalise one CloudTrail record (a dict) into an :class:`Event`; an Insights
    event is named as :data:`INSIGHT_PREFIX` says."""
    identity = record.get("userIdentity")
    if not isinstance(identity, Mapping):
        identity = {}
    name, source = _name_and_source(record)
    return Event(
        event_id=_text(record.get("eventID")),
        event_time=parse_time(record.get("eventTime")),
        event_name=name,
        event_source=source,
        aws_region=_text(record.get("awsRegion")),
        source_ip=_text(record.get("sourceIPAddress")),
        user_agent=_text(record.get("userAgent")),
        error_code=_text(record.get("errorCode")),
        error_message=_text(record.get("errorMessage")),
        read_only=_read_only(record.get("readOnly")),
        user_type=_text(identity.get("type")),
        user_name=user_name_of(identity),
        user_arn=_text(identity.get("arn")),
        principal_id=_text(identity.get("principalId")),
        access_key_id=_text(identity.get("accessKeyId")),
        account_id=_text(record.get("recipientAccountId") or identity.get("accountId")),
        resources=resources_of(record),
        raw=raw if raw is not None else json.dumps(record, separators=(",", ":")),
    )


def from_lookup_event(item: Mapping[str, Any]) -> Event:
    """Normalise one LookupEvents ``Events[]`` item.

    ``CloudTrailEvent`` is the record as a JSON string; when it is not valid JSON the
    event is still returned, built from the item's own fields, with ``parse_error`` set
    so that the viewer can show it raw with a warning.
    """
    raw = _text(item.get("CloudTrailEvent"))
    try:
        record = json.loads(raw)
        if not isinstance(record, dict):
            raise ValueError("CloudTrailEvent is not a JSON object")
    except ValueError as exc:
        return Event(
            event_id=_text(item.get("EventId")),
            event_time=parse_time(item.get("EventTime")),
            event_name=_text(item.get("EventName")),
            event_source=_text(item.get("EventSource")),
            user_name=_text(item.get("Username")),
            access_key_id=_text(item.get("AccessKeyId")),
            resources=tuple(
                _text(r.get("ResourceName"))
                for r in item.get("Resources") or []
                if isinstance(r, Mapping) and r.get("ResourceName")
            ),
            raw=raw,
            parse_error=f"CloudTrailEvent is not valid JSON: {exc}",
        )
    event = from_record(record, raw)
    if not event.user_name and item.get("Username"):
        return replace(event, user_name=_text(item["Username"]))
    return event


def is_record(value: Mapping[str, Any]) -> bool:
    """Whether an object found where a record may be (an entry of a bare array, a line,
    a lone document) is a CloudTrail record: it has ``eventName`` or ``eventID``.

    CloudTrail writes both, and ``eventTime``, in every record; either one is enough, as a
    record cut down by a tool (``jq`` keeping a few fields) is still evidence, and an
    object of another tool (a finding, a config) has neither under these names.
    ``eventTime`` decides nothing: a record without a usable one is kept, dated
    1970-01-01 and counted as undated, never dropped. The entries of ``Records`` are
    asked too: an S3 log file's are CloudTrail's own, but a file made by hand or by
    another tool (or to mislead) put objects there that became events dated 1970 with
    no name (the fast path asks it in SQL: :func:`~awsir_tui.events.ingest.records_sql`)."""
    return "eventName" in value or "eventID" in value


def iter_records(document: object) -> Iterator[Mapping[str, Any]]:
    """The records in any JSON document shape CloudTrail data comes in.

    ``{"Records": [...]}`` (S3 archive), a bare array, a single record, or LookupEvents
    output ``{"Events": [...]}`` whose items carry ``CloudTrailEvent`` strings.
    """
    if isinstance(document, Mapping):
        if isinstance(document.get("Records"), list):
            yield from (r for r in document["Records"]
                        if isinstance(r, Mapping) and is_record(r))
        elif isinstance(document.get("Events"), list):
            for item in document["Events"]:
                if isinstance(item, Mapping):
                    try:
                        record = json.loads(_text(item.get("CloudTrailEvent")))
                    except ValueError:
                        continue
                    if isinstance(record, Mapping):
                        yield record
        elif is_record(document):
            yield document
    elif isinstance(document, list):
        for item in document:
            if isinstance(item, Mapping):
                yield from iter_records(item)
