"""One-line summaries for single-event rule hits, with the detail a rule cannot express.

A Sigma rule says *that* an ingress rule opened a group to the internet; the responder
needs *which port on which group*. Built-in rules get a small extractor here, keyed by
rule ID; every other rule (a user's own) gets the generic "what, by whom, from where".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from awsir_tui.detect.observed import Observed, actor
from awsir_tui.detect.sigma_eval import values_at
from awsir_tui.events.record import Event
from awsir_tui.policy import decode_document
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


def _listed(values: list[Any], limit: int = 3) -> str:
    """``a, b, c (+2 more)``: the first few values, cleaned."""
    shown = ", ".join(clean(v, 80) for v in values[:limit])
    return shown + (f" (+{len(values) - limit} more)" if len(values) > limit else "")


def _rds_shared(record: Mapping[str, Any]) -> str:
    target = _first(
        record,
        "requestParameters.dBSnapshotIdentifier",
        "requestParameters.dBClusterSnapshotIdentifier",
    )
    added = values_at(record, "requestParameters.valuesToAdd")
    public = any(str(v).lower() == "all" for v in added)
    accounts = [f"account {clean(v, 40)}" for v in added if str(v).lower() != "all"]
    with_whom = (["everyone (public)"] if public else []) + accounts
    return f"snapshot {target or '?'} shared with {', '.join(with_whom) or 'another account'}"


_ACCOUNT_IN_PRINCIPAL = re.compile(r"^(?:arn:aws[\w-]*:(?:iam|sts)::)?(\d{12})(?::|$)")


def _policy(text: object) -> Mapping[str, Any]:
    """A policy document from its CloudTrail text ({} when it is not one)."""
    document = decode_document(text)
    return document if isinstance(document, Mapping) else {}


def _trusted(record: Mapping[str, Any]) -> str:
    """Who the new trust policy lets assume the role; foreign accounts said so."""
    params = record.get("requestParameters") or {}
    if not isinstance(params, Mapping):
        return ""
    role = clean(params.get("roleName"), 80) or "a role"
    home = str(record.get("recipientAccountId") or "")
    statements = _policy(params.get("policyDocument")).get("Statement") or []
    if isinstance(statements, Mapping):
        statements = [statements]
    if not statements or not isinstance(statements, list):
        return f"role {role}: its new trust policy is not readable"
    trusted: list[str] = []
    for statement in statements:
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        if principal == "*":
            trusted.append("anyone (*)")
            continue
        if not isinstance(principal, Mapping):
            continue
        for kind, value in principal.items():
            for who in value if isinstance(value, list) else [value]:
                text = str(who)
                found = _ACCOUNT_IN_PRINCIPAL.match(text) if kind == "AWS" else None
                if text == "*":
                    trusted.append("anyone (*)")
                elif found and home and found.group(1) != home:
                    trusted.append(f"account {found.group(1)} (another account)")
                else:
                    trusted.append(clean(text, 80))
    unique = list(dict.fromkeys(trusted))
    return f"role {role} now trusts {_listed(unique, 4) or 'no one'}"


def _keyed(value: object, keys: frozenset[str], out: list[Any], depth: int = 0) -> None:
    """Every value under a key in ``keys`` (compared lower-case), at any depth."""
    if depth > 12 or len(out) > 20:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if str(key).lower() in keys and not isinstance(item, Mapping | list):
                out.append(item)
            else:
                _keyed(item, keys, out, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _keyed(item, keys, out, depth + 1)


_TYPE_KEYS = frozenset({"instancetype"})
_COUNT_KEYS = frozenset({"maxcount", "instancecount", "targetcapacity", "totaltargetcapacity"})


def _instances_asked(record: Mapping[str, Any]) -> str:
    """The instance types asked for (from a request, a fleet's overrides, a launch
    template's data, or the response of a launch from a template) and how many."""
    kinds: list[Any] = []
    _keyed(record.get("requestParameters"), _TYPE_KEYS, kinds)
    if not kinds:
        _keyed(record.get("responseElements"), _TYPE_KEYS, kinds)
    counts: list[Any] = []
    _keyed(record.get("requestParameters"), _COUNT_KEYS, counts)
    numbers = [v for v in counts if isinstance(v, int) and not isinstance(v, bool)]
    many = f" (up to {max(numbers)})" if numbers and max(numbers) > 1 else ""
    unique = list(dict.fromkeys(clean(k, 40) for k in kinds if k not in (None, "")))
    return f"{_listed(unique)}{many}" if unique else ""


def _commands_sent(record: Mapping[str, Any]) -> str:
    document = _first(record, "requestParameters.documentName", "requestParameters.name")
    targets = values_at(record, "requestParameters.instanceIds")
    tags = values_at(record, "requestParameters.targets.values")
    where = _listed(targets) if targets else (f"targets {_listed(tags)}" if tags else "")
    return f"{document} on {where}" if where else document


def _shell_target(record: Mapping[str, Any]) -> str:
    instance = _first(record, "requestParameters.target", "requestParameters.instanceId")
    user = _first(record, "requestParameters.instanceOSUser")
    if not instance:  # EnableSerialConsoleAccess: the account's setting, no instance
        return ""
    return f"on {instance}" + (f" as {user}" if user else "")


def _function_name(value: str) -> str:
    """A function's name from its ARN (``...:function:NAME[:qualifier]``) or as given."""
    _, found, rest = value.partition(":function:")
    return rest.split(":")[0] if found else value


def _function(record: Mapping[str, Any]) -> str:
    name = _first(record, "requestParameters.functionName")
    return f"function {_function_name(name)}" if name else ""


def _opened_function(record: Mapping[str, Any]) -> str:
    """Which function, and how it was opened: to any principal, or by a URL without auth."""
    auth = {
        _first(record, "requestParameters.authType"),
        _first(record, "requestParameters.functionUrlAuthType"),
    }
    opened = "URL without auth" if "NONE" in auth else "invocable by anyone (*)"
    return f"{_function(record) or 'a function'} {opened}"


def _layers(record: Mapping[str, Any]) -> str:
    home = str(record.get("recipientAccountId") or "")
    layers: list[str] = []
    for arn in values_at(record, "requestParameters.layers"):
        parts = str(arn).split(":")
        name = ":".join(parts[6:]) if len(parts) > 6 else str(arn)
        if len(parts) > 4 and home and parts[4] != home:
            name += f" from account {parts[4]}"
        layers.append(name)
    return f"{_function(record) or 'a function'}: layers {_listed(layers) or 'none'}"


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
    "awsir_rds_snapshot_shared": _rds_shared,
    "awsir_iam_role_trust_policy_changed": _trusted,
    "awsir_ec2_gpu_instances_requested": _instances_asked,
    "awsir_ssm_shell_command_sent": _commands_sent,
    "awsir_ec2_instance_shell_opened": _shell_target,
    "awsir_ec2_serial_console_access": _shell_target,
    "awsir_ec2_user_data_modified": _named("instance", "requestParameters.instanceId"),
    "awsir_route53_resolver_query_logging_removed": _named(
        "config", "requestParameters.resolverQueryLogConfigId"
    ),
    "awsir_bedrock_model_access_enabled": _named("model", "requestParameters.modelId"),
    "awsir_lambda_public_access_granted": _opened_function,
    "awsir_lambda_layer_attached": _layers,
    "awsir_lambda_function_code_replaced": _function,
    "awsir_iam_roles_anywhere_trust_anchor": _named(
        "anchor", "requestParameters.name", "requestParameters.trustAnchorId"
    ),
    "awsir_organizations_leave": _named("account", "requestParameters.accountId"),
    "awsir_sts_federation_token": _named("federated user", "requestParameters.name"),
}


#: Rules whose hits are one behaviour of one caller, each call of its own name (an
#: instance role session's write calls): merged per caller and address into one finding
#: whose summary lists the calls (:func:`calls_made`), not a row for each call.
PER_CALLER = frozenset({"awsir_instance_role_write_call"})
#: How many call names a :func:`calls_made` names before ``+N more``.
_CALLS_NAMED = 6


def calls_made(events: Sequence[Event]) -> str:
    """``RunInstances x4 (2 failed), CreateSecurityGroup, ImportKeyPair``: each call's
    name once, in the order first made, with how many and how many failed."""
    made: Counter[str] = Counter(e.event_name for e in events)
    failed: Counter[str] = Counter(e.event_name for e in events if e.error_code)
    parts = []
    for name, count in list(made.items())[:_CALLS_NAMED]:
        text = clean(name, 80) + (f" x{count}" if count > 1 else "")
        if failed[name]:
            text += f" ({failed[name]} failed)" if count > 1 else " (failed)"
        parts.append(text)
    more = len(made) - _CALLS_NAMED
    return ", ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def merged_summary(rule_id: str, summary: str, events: Sequence[Event]) -> str:
    """The summary of a rule's hits merged into one finding: a :data:`PER_CALLER` rule's
    names each call the caller made (:func:`calls_made`) before ``by <who> from <ip>``;
    another's is its one summary, ``(xN)`` when it hit N times."""
    if rule_id in PER_CALLER:
        return f"{calls_made(events)} {summary}"
    return summary + (f" (x{len(events)})" if len(events) > 1 else "")


def summarise(rule_id: str, observed: Observed) -> str:
    """``<event> [specifics] by <who> from <ip>[, denied (<code>)]`` for one rule hit;
    for a :data:`PER_CALLER` rule only ``by <who> from <ip>``, what its hits merge by."""
    event = observed.event
    if rule_id in PER_CALLER:
        return _caller(event)
    extractor = _EXTRACTORS.get(rule_id)
    try:
        specifics = extractor(observed.record) if extractor else ""
    except Exception:  # (RecursionError too) the record is the attacker's: one odd
        specifics = ""  # field costs its specifics, never the finding or the run
    parts = [clean(event.event_name, 80)]
    if specifics:
        parts.append(specifics)
    text = f"{' '.join(parts)} {_caller(event)}"
    if event.error_code:
        text += f", failed ({clean(event.error_code, 60)})"
    return text


def _caller(event: Event) -> str:
    """``by <who> from <ip>`` (no address: ``by <who>``)."""
    where = f" from {clean(event.source_ip, 80)}" if event.source_ip else ""
    return f"by {clean(actor(event), 120)}{where}"
