"""IAM of the demo account: users with keys, managed policies, instance roles and profiles."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from awsir_tui.demo.company import MANAGED_POLICIES, PEOPLE, ROLES

_EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
}


def _policy(actions: tuple[str, ...]) -> str:
    statement = {"Effect": "Allow", "Action": list(actions), "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@dataclass(frozen=True)
class Identities:
    """What the CloudTrail generator needs to name IAM principals like AWS does."""

    user_ids: dict[str, str]  # user name -> AIDA... principal ID
    user_keys: dict[str, str]  # user name -> AKIA... access key ID (API users only)
    role_ids: dict[str, str]  # role name -> AROA... role ID


def seed_iam(iam: Any) -> Identities:
    """Create users, policies, roles and instance profiles; return their IDs."""
    arns = {}
    for name, actions in MANAGED_POLICIES.items():
        arns[name] = iam.create_policy(PolicyName=name, PolicyDocument=_policy(actions))[
            "Policy"]["Arn"]
    role_ids = {}
    for role in ROLES:
        created = iam.create_role(RoleName=role.name,
                                  AssumeRolePolicyDocument=json.dumps(_EC2_TRUST),
                                  Description=f"Instance role ({role.profile})")
        role_ids[role.name] = created["Role"]["RoleId"]
        for policy in role.managed:
            iam.attach_role_policy(RoleName=role.name, PolicyArn=arns[policy])
        iam.put_role_policy(RoleName=role.name, PolicyName=f"{role.name}-inline",
                            PolicyDocument=_policy(role.inline_actions))
        iam.create_instance_profile(InstanceProfileName=role.profile)
        iam.add_role_to_instance_profile(InstanceProfileName=role.profile, RoleName=role.name)
    user_ids, user_keys = {}, {}
    for person in PEOPLE:
        user_ids[person.name] = iam.create_user(UserName=person.name)["User"]["UserId"]
        if person.api:
            key = iam.create_access_key(UserName=person.name)["AccessKey"]
            user_keys[person.name] = key["AccessKeyId"]
        if person.console:
            iam.create_login_profile(UserName=person.name, Password="not-a-real-password-1A!")
    return Identities(user_ids=user_ids, user_keys=user_keys, role_ids=role_ids)
