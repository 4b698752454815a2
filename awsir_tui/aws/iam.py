"""IAM reads behind an instance: its profile, the role, and the role's policies.

An instance role is how a stolen credential reaches the account (GUIDE section 5), so
the details view names the role and every policy attached to it. IAM is global: these
calls go to the context's home region. The details list names only (few calls on a slow
link); a policy's document, or the role's trust policy, is read when the responder asks
for it (:func:`inline_policy`, :func:`managed_policy`, :func:`trust_policy`), because
what the stolen credentials could do is in the document, not the name. A call that is
denied is kept as a failure next to whatever was read before it, never raised.

EC2 lists an instance's profile, never its role: :class:`ProfileRoles` reads the role
names of the profiles a list holds (one call per profile, once), so that ``role:`` can
filter a list of instances by role.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.errors import Failure, classify
from awsir_tui.policy import decode_document

#: The key :meth:`ProfileRoles.annotate` adds to an instance: its profile's role names.
ROLE_NAMES = "RoleNames"


@dataclass(frozen=True, slots=True)
class AttachedPolicy:
    """A managed policy attached to a role: its name to show, its ARN to read it by."""

    name: str
    arn: str


@dataclass(frozen=True, slots=True)
class RoleInfo:
    """A role, its attached (managed) policies and the names of its inline ones."""

    name: str
    arn: str
    attached_policies: list[AttachedPolicy] = field(default_factory=list)
    inline_policies: list[str] = field(default_factory=list)
    create_date: str = ""


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    """An instance profile and the roles in it (AWS allows one, the API a list)."""

    name: str
    arn: str
    roles: list[RoleInfo] = field(default_factory=list)


def profile_name(arn: str) -> str:
    """``arn:aws:iam::123:instance-profile/path/web`` -> ``web``."""
    return arn.rsplit("/", 1)[-1]


def role_policies(ctx: AwsContext, role_name: str) -> tuple[list[AttachedPolicy], list[str]]:
    """(attached managed policies, inline policy names) of a role."""
    iam = ctx.client("iam")
    attached: list[AttachedPolicy] = []
    for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=role_name):
        attached.extend(AttachedPolicy(str(p.get("PolicyName", "")), str(p.get("PolicyArn", "")))
                        for p in page.get("AttachedPolicies", []))
    inline: list[str] = []
    for page in iam.get_paginator("list_role_policies").paginate(RoleName=role_name):
        inline.extend(str(name) for name in page.get("PolicyNames", []))
    return attached, inline


def instance_profile(ctx: AwsContext, arn: str) -> ProfileInfo:
    """The profile behind an instance's ``IamInstanceProfile.Arn``, with roles and policies."""
    answer = ctx.client("iam").get_instance_profile(InstanceProfileName=profile_name(arn))
    profile = answer.get("InstanceProfile", {})
    roles = []
    for role in profile.get("Roles", []):
        attached, inline = role_policies(ctx, role["RoleName"])
        created = role.get("CreateDate")
        roles.append(
            RoleInfo(
                name=str(role["RoleName"]),
                arn=str(role.get("Arn", "")),
                attached_policies=attached,
                inline_policies=inline,
                create_date=created.isoformat() if created is not None else "",
            )
        )
    return ProfileInfo(
        name=str(profile.get("InstanceProfileName", profile_name(arn))),
        arn=str(profile.get("Arn", arn)),
        roles=roles,
    )


# --- policy documents ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallFailure:
    """Which IAM call failed, and why: ``iam:GetRolePolicy denied: ...``."""

    call: str
    failure: Failure

    def __str__(self) -> str:
        return f"{self.call} {self.failure}"


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement said in a line (``Allow ec2:* on *``) and what it opens to anyone.

    ``wildcards`` names what the statement allows without limit: ``action`` (``*``,
    ``ec2:*``, ``s3:Get*`` or a NotAction), ``resource`` (``*`` or a NotResource),
    ``principal`` (``*`` or a NotPrincipal, in a trust policy). Deny statements have none:
    they only take away.
    """

    text: str
    wildcards: tuple[str, ...] = ()
    #: What it allows without limit, in words: ``any action on any resource``, ``all ec2
    #: actions on any resource``, ``sts:AssumeRole by any principal``; '' when nothing.
    #: Said for the agent's channels too (:data:`AGENT_CHANNELS`), which are not wildcards.
    reach: str = ""


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """A policy as read: what it is, its document, or which call failed and why.

    ``about`` keeps what the calls before a failing one told (a managed policy's ARN and
    default version), so a denied ``GetPolicyVersion`` still says which policy it was.
    """

    about: list[tuple[str, str]] = field(default_factory=list)
    document: Any = None
    failure: CallFailure | None = None

    @property
    def statements(self) -> list[Statement]:
        return statements(self.document)


def _words(value: Any) -> list[str]:
    """A policy element that may be one value or a list, as a list of strings."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    return [item if isinstance(item, str) else json.dumps(item) for item in items]


def _principals(value: Any) -> list[str]:
    """``*`` or ``{"AWS": [...], "Service": ...}`` as ``["AWS arn:...", "Service ec2..."]``;
    a bare ``*`` (anyone) stays ``*``."""
    if isinstance(value, dict):
        return [word if word == "*" else f"{kind} {word}"
                for kind, words in value.items() for word in _words(words)]
    return _words(value)


def describe_statement(item: Any) -> Statement:
    """One statement (a dict, if the document is well formed) in a line, with its wildcards."""
    if not isinstance(item, dict):
        return Statement(f"not a statement: {json.dumps(item)}")
    parts = [str(item.get("Effect", "?"))]
    actions, not_actions = _words(item.get("Action")), _words(item.get("NotAction"))
    resources, not_resources = _words(item.get("Resource")), _words(item.get("NotResource"))
    principals = _principals(item.get("Principal"))
    not_principals = _principals(item.get("NotPrincipal"))
    for words, lead in ((actions, ""), (not_actions, "every action but "),
                        (resources, "on "), (not_resources, "on everything but "),
                        (principals, "by "), (not_principals, "by anyone but ")):
        if words:
            parts.append(lead + ", ".join(words))
    condition = item.get("Condition")
    if condition:  # its operators: the tree shows the keys and values
        parts.append("if " + ", ".join(_words(list(condition) if isinstance(condition, dict)
                                              else condition)))
    if item.get("Effect") != "Allow":
        return Statement(" ".join(parts))
    # What stolen credentials could do without limit: any action, or all of a service's
    # (ec2:*). A prefix (s3:Get*) is a family, not everything, and "*" as the resource
    # alone is how most AWS-managed policies read (SSM's own): flagged only beside an
    # unlimited action, or it would paint every role red. So are the agent's channels.
    services = list(dict.fromkeys(word.split(":", 1)[0] for word in actions
                                  if _unlimited(word) and word != "*"))
    any_action = (bool(not_actions) or "*" in actions
                  or any(service.lower() not in AGENT_CHANNELS for service in services))
    any_principal = bool(not_principals) or "*" in principals
    found = {"action": any_action,
             "resource": any_action and (bool(not_resources) or "*" in resources),
             "principal": any_principal}
    wildcards = tuple(name for name, wild in found.items() if wild)
    if "*" in actions:
        allowed = "any action"
    elif not_actions:
        allowed = f"every action but {', '.join(not_actions)}"
    elif services:
        allowed = f"all {_and(services)} actions"
    elif any_principal:
        allowed = ", ".join(actions)  # nothing unlimited but who: what anyone may do
    else:
        return Statement(" ".join(parts), wildcards)
    where = ("on any resource" if "*" in resources else
             f"on everything but {', '.join(not_resources)}" if not_resources else
             f"on {', '.join(resources)}" if resources else "")
    who = (f"by anyone but {', '.join(not_principals)}" if not_principals else
           "by any principal" if any_principal else "")
    return Statement(" ".join(parts), wildcards,
                     " ".join(part for part in (allowed, where, who) if part))


#: Services whose every action is the SSM agent's channel to Systems Manager for its own
#: instance (Session Manager, Run Command): AWS's own AmazonSSMManagedInstanceCore gives
#: ``ssmmessages:*`` and ``ec2messages:*`` on ``*`` to every managed instance. They are
#: said (:attr:`Statement.reach`) but not flagged, or nearly every role would be red.
AGENT_CHANNELS = frozenset({"ssmmessages", "ec2messages"})


def _unlimited(action: str) -> bool:
    """``*`` or a whole service (``ec2:*``, ``iam:*``)."""
    return action == "*" or (action.endswith(":*") and action.count(":") == 1)


def _and(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join(filter(None, (", ".join(words[:-1]), words[-1]))) if words else ""


def statements(document: Any) -> list[Statement]:
    """Each statement of a policy document in a line (none if it is not a policy)."""
    if not isinstance(document, dict) or "Statement" not in document:
        return []
    found = document["Statement"]
    return [describe_statement(item) for item in (found if isinstance(found, list) else [found])]


def _ask(call: str, read: Callable[[], dict[str, Any]]) -> dict[str, Any] | CallFailure:
    """One IAM read's answer, or which call failed and why (a denial is an answer)."""
    try:
        return read()
    except Exception as exc:
        return CallFailure(call, classify(exc))


def inline_policy(ctx: AwsContext, role_name: str, policy_name: str) -> PolicyDocument:
    """A role's inline policy (iam:GetRolePolicy)."""
    about = [("Role", role_name), ("Inline policy", policy_name)]
    answer = _ask("iam:GetRolePolicy", lambda: ctx.client("iam").get_role_policy(
        RoleName=role_name, PolicyName=policy_name))
    if isinstance(answer, CallFailure):
        return PolicyDocument(about, failure=answer)
    return PolicyDocument(about, decode_document(answer.get("PolicyDocument")))


def managed_policy(ctx: AwsContext, policy: AttachedPolicy) -> PolicyDocument:
    """A managed policy's default version (iam:GetPolicy, then iam:GetPolicyVersion)."""
    about = [("Policy", policy.name), ("ARN", policy.arn)]
    # The client is made inside each call's failure net: making it can fail too.
    answer = _ask("iam:GetPolicy", lambda: ctx.client("iam").get_policy(PolicyArn=policy.arn))
    if isinstance(answer, CallFailure):
        return PolicyDocument(about, failure=answer)
    version = str(answer.get("Policy", {}).get("DefaultVersionId", ""))
    about.append(("Default version", version))
    answer = _ask("iam:GetPolicyVersion", lambda: ctx.client("iam").get_policy_version(
        PolicyArn=policy.arn, VersionId=version))
    if isinstance(answer, CallFailure):
        return PolicyDocument(about, failure=answer)
    document = answer.get("PolicyVersion", {}).get("Document")
    return PolicyDocument(about, decode_document(document))


def get_role(ctx: AwsContext, role_name: str) -> dict[str, Any] | CallFailure:
    """Every field iam:GetRole has on the role (ID, path, maximum session length, last
    use, tags...), its trust policy decoded; or which call failed and why."""
    answer = _ask("iam:GetRole", lambda: ctx.client("iam").get_role(RoleName=role_name))
    if isinstance(answer, CallFailure):
        return answer
    role = dict(answer.get("Role", {}))
    role["AssumeRolePolicyDocument"] = decode_document(role.get("AssumeRolePolicyDocument"))
    return role


def trust_policy(ctx: AwsContext, role_name: str) -> PolicyDocument:
    """Who may assume the role (its AssumeRolePolicyDocument, from iam:GetRole)."""
    return trust_of(role_name, get_role(ctx, role_name))


def trust_of(role_name: str, role: dict[str, Any] | CallFailure) -> PolicyDocument:
    """Who may assume the role, from what :func:`get_role` answered (the role's page
    holds it: no second iam:GetRole), or why that read failed."""
    about = [("Role", role_name)]
    if isinstance(role, CallFailure):
        return PolicyDocument(about, failure=role)
    return PolicyDocument([*about, ("ARN", str(role.get("Arn", "")))],
                          role.get("AssumeRolePolicyDocument"))


def profile_arn(instance: AwsObject) -> str:
    """The instance's ``IamInstanceProfile.Arn``, or ''."""
    return str((instance.get("IamInstanceProfile") or {}).get("Arn") or "")


class ProfileRoles:
    """The role names of instance profiles, each profile read from IAM once.

    Thread-safe. A profile that could not be read (IAM denied, say) is remembered with
    its failure and not asked again, so a list can say whose role is unknown and why.
    """

    def __init__(self, ctx: AwsContext) -> None:
        self.ctx = ctx
        self._roles: dict[str, tuple[str, ...]] = {}
        self._failures: dict[str, Failure] = {}
        self._lock = threading.Lock()

    def forget(self) -> None:
        """Read every profile again next time (a refresh: a role may have been swapped)."""
        with self._lock:
            self._roles.clear()
            self._failures.clear()

    def unread(self, instances: Iterable[AwsObject]) -> list[str]:
        """The profile ARNs of ``instances`` not read (nor failed) yet."""
        with self._lock:
            arns = {profile_arn(i) for i in instances} - self._roles.keys() - self._failures.keys()
        return sorted(arn for arn in arns if arn)

    def read(self, arns: Iterable[str]) -> None:
        """Read the role names of ``arns`` (blocking: run it in a worker)."""
        iam = self.ctx.client("iam")
        for arn in arns:
            try:
                answer = iam.get_instance_profile(InstanceProfileName=profile_name(arn))
            except Exception as exc:
                with self._lock:
                    self._failures[arn] = classify(exc)
                continue
            roles = answer.get("InstanceProfile", {}).get("Roles", [])
            with self._lock:
                self._roles[arn] = tuple(str(role.get("RoleName", "")) for role in roles)

    def annotate(self, instances: Iterable[AwsObject]) -> dict[str, Failure]:
        """Give each instance whose profile's roles are known its :data:`ROLE_NAMES`.

        Returns, per instance ID, why its role is unknown (its profile could not be
        read); instances without a profile have no role, which is known.
        """
        unknown: dict[str, Failure] = {}
        with self._lock:
            for instance in instances:
                arn = profile_arn(instance)
                if not arn:
                    instance[ROLE_NAMES] = []
                elif arn in self._roles:
                    instance[ROLE_NAMES] = list(self._roles[arn])
                elif arn in self._failures:
                    unknown[str(instance.get("InstanceId", ""))] = self._failures[arn]
        return unknown
