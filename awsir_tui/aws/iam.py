"""IAM reads behind an instance: its profile, the role, and the role's policies.

An instance role is how a stolen credential reaches the account (GUIDE section 5), so
the details view names the role and every policy attached to it. IAM is global: these
calls go to the context's home region. Names only are listed, never policy documents,
which keeps the number of calls small on a slow link.

EC2 lists an instance's profile, never its role: :class:`ProfileRoles` reads the role
names of the profiles a list holds (one call per profile, once), so that ``role:`` can
filter a list of instances by role.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.ec2 import AwsObject
from awsir_tui.aws.errors import Failure, classify

#: The key :meth:`ProfileRoles.annotate` adds to an instance: its profile's role names.
ROLE_NAMES = "RoleNames"


@dataclass(frozen=True, slots=True)
class RoleInfo:
    """A role and the names of its attached (managed) and inline policies."""

    name: str
    arn: str
    attached_policies: list[str] = field(default_factory=list)
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


def role_policies(ctx: AwsContext, role_name: str) -> tuple[list[str], list[str]]:
    """(attached managed policy names, inline policy names) of a role."""
    iam = ctx.client("iam")
    attached: list[str] = []
    for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=role_name):
        attached.extend(str(p.get("PolicyName", "")) for p in page.get("AttachedPolicies", []))
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
