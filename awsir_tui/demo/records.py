"""Building CloudTrail records with the structure AWS writes.

The scenario's events are generated, not copied, but they must be indistinguishable in
shape from real ones (field names, nesting, ``userIdentity`` variants, ``tlsDetails``),
because the readers, filters and detections are tested on them. Every random choice
comes from the ``random.Random`` the caller passes, so a seed gives the same events.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from awsir_tui.query.times import utc_stamp

#: Operations CloudTrail marks ``readOnly: true``, by name prefix.
_READ_PREFIXES = ("Describe", "Get", "List", "Lookup", "Head", "Search")


def new_id(rng: random.Random) -> str:
    """A UUID4-shaped identifier drawn from ``rng`` (deterministic under a seed)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def event_id(rng: random.Random, stamp: str) -> str:
    """An event's ID: drawn from ``rng`` and bound to its time ``stamp``. The demo's
    times follow the moment it starts while its draws stay the same: without the time,
    an event kept in a case at one start would name another time's event at the next."""
    bound = int.from_bytes(hashlib.sha256(stamp.encode()).digest()[:16], "big")
    return str(uuid.UUID(int=rng.getrandbits(128) ^ bound, version=4))


def access_key(rng: random.Random, prefix: str) -> str:
    """An ``AKIA``/``ASIA`` access key ID drawn from ``rng``."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return prefix + "".join(rng.choice(alphabet) for _ in range(16))


@dataclass(frozen=True)
class Actor:
    """Who made a call: the ``userIdentity`` block plus where and with what they called."""

    identity: Mapping[str, Any]
    source_ip: str
    user_agent: str


def iam_user(account: str, name: str, principal_id: str, key_id: str | None) -> dict[str, Any]:
    """``userIdentity`` of an IAM user (with an ``AKIA`` key for API calls, none for console)."""
    identity: dict[str, Any] = {
        "type": "IAMUser",
        "principalId": principal_id,
        "arn": f"arn:aws:iam::{account}:user/{name}",
        "accountId": account,
        "userName": name,
    }
    if key_id:
        identity["accessKeyId"] = key_id
    return identity


def assumed_role(
    account: str,
    role: str,
    role_id: str,
    session: str,
    key_id: str,
    issued: datetime,
    ec2_role_delivery: bool = False,
) -> dict[str, Any]:
    """``userIdentity`` of a role session; for an instance role the session is the instance ID."""
    context: dict[str, Any] = {
        "sessionIssuer": {
            "type": "Role",
            "principalId": role_id,
            "arn": f"arn:aws:iam::{account}:role/{role}",
            "accountId": account,
            "userName": role,
        },
        "webIdFederationData": {},
        "attributes": {"creationDate": utc_stamp(issued), "mfaAuthenticated": "false"},
    }
    if ec2_role_delivery:
        context["ec2RoleDelivery"] = "2.0"
    return {
        "type": "AssumedRole",
        "principalId": f"{role_id}:{session}",
        "arn": f"arn:aws:sts::{account}:assumed-role/{role}/{session}",
        "accountId": account,
        "accessKeyId": key_id,
        "sessionContext": context,
    }


def aws_service(service: str) -> dict[str, Any]:
    """``userIdentity`` of a call an AWS service makes on the account's behalf."""
    return {"type": "AWSService", "invokedBy": service}


def record(
    rng: random.Random,
    *,
    account: str,
    actor: Actor,
    when: datetime,
    region: str,
    source: str,
    name: str,
    request: Mapping[str, Any] | None = None,
    response: Mapping[str, Any] | None = None,
    error: tuple[str, str] | None = None,
    resources: list[dict[str, str]] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One management-event record, ``AwsApiCall`` unless ``extra`` says otherwise."""
    service = source.split(".", 1)[0]
    out: dict[str, Any] = {
        "eventVersion": "1.09" if service == "ec2" else "1.08",
        "userIdentity": dict(actor.identity),
        "eventTime": utc_stamp(when),
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": actor.source_ip,
        "userAgent": actor.user_agent,
    }
    if error:
        out["errorCode"], out["errorMessage"] = error
    out["requestParameters"] = dict(request) if request is not None else None
    out["responseElements"] = dict(response) if response is not None and not error else None
    out["requestID"] = new_id(rng)
    out["eventID"] = event_id(rng, out["eventTime"])
    out["readOnly"] = name.startswith(_READ_PREFIXES)
    if resources:
        out["resources"] = resources
    out["eventType"] = "AwsApiCall"
    out["managementEvent"] = True
    out["recipientAccountId"] = account
    out["eventCategory"] = "Management"
    if actor.identity.get("type") != "AWSService":
        host = f"{service}.{region}.amazonaws.com" if service not in ("iam", "signin") else (
            f"{service}.amazonaws.com"
        )
        out["tlsDetails"] = {
            "tlsVersion": "TLSv1.3",
            "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": host,
        }
    if extra:
        out.update(extra)
    return out
