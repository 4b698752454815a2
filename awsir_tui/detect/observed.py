"""An event paired with its parsed record: what every detection looks at.

The raw JSON is parsed once per event by the detector and shared by all rules and
correlations (parsing dominates the cost of a run over 100k events).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import orjson

from awsir_tui.events.record import Event


class Observed(NamedTuple):
    event: Event
    record: Mapping[str, Any]


def record_of(event: Event) -> Mapping[str, Any]:
    """The event's raw record, or (when the raw text is not a JSON object) a record
    rebuilt from its flat fields so that rules on names, users and IPs still apply."""
    if not event.parse_error and event.raw:
        try:
            value = orjson.loads(event.raw)
        except orjson.JSONDecodeError:
            value = None
        if isinstance(value, dict):
            return value
    identity: dict[str, Any] = {
        "type": event.user_type,
        "arn": event.user_arn,
        "principalId": event.principal_id,
        "accessKeyId": event.access_key_id,
        "userName": event.user_name,
    }
    return {
        "eventID": event.event_id,
        "eventTime": event.event_time.isoformat(),
        "eventName": event.event_name,
        "eventSource": event.event_source,
        "awsRegion": event.aws_region,
        "sourceIPAddress": event.source_ip,
        "userAgent": event.user_agent,
        "errorCode": event.error_code or None,
        "errorMessage": event.error_message or None,
        "readOnly": event.read_only,
        "userIdentity": {k: v for k, v in identity.items() if v},
    }


def actor(event: Event) -> str:
    """Who made the call, as the responder reads it (user name, else principal or ARN,
    else the access key: a call refused for a deleted or unknown key often names nothing
    else, and the key is what the responder searches for next)."""
    key = f"access key {event.access_key_id}" if event.access_key_id else ""
    return (event.user_name or event.principal_id or event.user_arn or key
            or "unknown principal")
