"""One-line summaries for single-event rule hits, with the detail a rule cannot express.

A Sigma rule says *that* an ingress rule opened a group to the internet; the responder
needs *which port on which group*. Built-in rules get a small extractor here, keyed by
rule ID; every other rule (a user's own) gets the generic "what, by whom, from where".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from awsir_tui.detect.observed import Observed, actor
from awsir_tui.detect.sigma_eval import values_at
from awsir_tui.text import clean

Extractor = Callable[[Mapping[str, Any]], str]


def _first(record: Mapping[str, Any], *paths: str) -> str:
    for path in paths:
        for value in values_at(record, path):
            if value not in (None, "", {}, []):
                return clean(value, 120)
    return ""


def _ports(low: object, high: object, protocol: object) -> str:
    proto = "all protocols" if str(protocol) in ("-1", "all") else clean(protocol)
    if low in (None, -1) and high in (None, -1):
        return f"all ports ({proto})"
    if low == high or high is None:
        return f"port {clean(low)}/{proto}"
    return f"ports {clean(low)}-{clean(high)}/{proto}"


def _open_ingress(record: Mapping[str, Any]) -> str:
    """Which ports were opened to a /0 range, on which group."""
    params = record.get("requestParameters") or {}
    if not isinstance(params, Mapping):
        return ""
    opened: list[str] = []
    top_cidr = str(params.get("cidrIp") or "")
    if top_cidr.endswith("/0"):
        ports = _ports(params.get("fromPort"), params.get("toPort"), params.get("ipProtocol"))
        opened.append(f"{ports} to {clean(top_cidr)}")
    for permission in values_at(params, "ipPermissions.items"):
        if not isinstance(permission, Mapping):
            continue
        ranges = values_at(permission, "ipRanges.items.cidrIp") + values_at(
            permission, "ipv6Ranges.items.cidrIpv6"
        )
        for cidr in (str(r) for r in ranges if str(r).endswith("/0")):
            ports = _ports(
                permission.get("fromPort"), permission.get("toPort"), permission.get("ipProtocol")
            )
            opened.append(f"{ports} to {clean(cidr)}")
    group = _first(record, "requestParameters.groupId", "requestParameters.groupName")
    return f"{', '.join(opened) or 'open to any address'} on {group or 'a group'}"


def _shared(record: Mapping[str, Any]) -> str:
    target = _first(record, "requestParameters.snapshotId", "requestParameters.imageId")
    accounts = [
        clean(v)
        for path in (
            "requestParameters.createVolumePermission.add.items.userId",
            "requestParameters.launchPermission.add.items.userId",
        )
        for v in values_at(record, path)
    ]
    public = any(
        str(v).lower() == "all"
        for path in (
            "requestParameters.createVolumePermission.add.items.group",
            "requestParameters.launchPermission.add.items.group",
        )
        for v in values_at(record, path)
    )
    with_whom = (["everyone (public)"] if public else []) + [f"account {a}" for a in accounts]
    return f"{target} shared with {', '.join(with_whom) or 'another account'}"


def _admin_policy(record: Mapping[str, Any]) -> str:
    target = _first(
        record,
        "requestParameters.userName",
        "requestParameters.roleName",
        "requestParameters.groupName",
    )
    return f"AdministratorAccess attached to {target or 'a principal'}"


def _named(label: str, *paths: str) -> Extractor:
    def extract(record: Mapping[str, Any]) -> str:
        value = _first(record, *paths)
        return f"{label} {value}" if value else ""

    return extract


_EXTRACTORS: dict[str, Extractor] = {
    "awsir_ec2_ingress_open_to_internet": _open_ingress,
    "awsir_ec2_snapshot_or_image_shared": _shared,
    "awsir_iam_admin_policy_attached": _admin_policy,
    "awsir_ec2_key_pair_created": _named("key pair", "requestParameters.keyName"),
    "awsir_ec2_security_group_created": _named(
        "group", "requestParameters.groupName", "responseElements.groupId"
    ),
    "awsir_iam_user_created": _named("user", "requestParameters.userName"),
    "awsir_iam_access_key_created": _named("for user", "requestParameters.userName"),
    "awsir_iam_login_profile_changed": _named("for user", "requestParameters.userName"),
    "awsir_cloudtrail_logging_tampered": _named(
        "trail", "requestParameters.name", "requestParameters.trailName"
    ),
    "awsir_vpc_flow_logs_deleted": _named(
        "flow logs",
        "requestParameters.DeleteFlowLogsRequest.FlowLogId.content",
        "requestParameters.flowLogIds",
    ),
    "awsir_log_group_deleted": _named("log group", "requestParameters.logGroupName"),
}


def summarise(rule_id: str, observed: Observed) -> str:
    """``<event> [specifics] by <who> from <ip>[, denied (<code>)]`` for one rule hit."""
    event = observed.event
    extractor = _EXTRACTORS.get(rule_id)
    specifics = extractor(observed.record) if extractor else ""
    parts = [clean(event.event_name, 80)]
    if specifics:
        parts.append(specifics)
    parts.append(f"by {clean(actor(event), 120)}")
    if event.source_ip:
        parts.append(f"from {clean(event.source_ip, 80)}")
    text = " ".join(parts)
    if event.error_code:
        text += f", failed ({clean(event.error_code, 60)})"
    return text
