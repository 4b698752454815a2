"""IAM reads behind an instance: its profile, the role, and the role's policies.

An instance role is how a stolen credential reaches the account (GUIDE section 5), so
the details view names the role and every policy attached to it. IAM is global: these
calls go to the context's home region. Names only are listed, never policy documents,
which keeps the number of calls small on a slow link.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from awsir_tui.aws.context import AwsContext


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
