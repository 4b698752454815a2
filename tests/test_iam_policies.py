"""Reading an instance role's policy documents against the demo account over real HTTP.

What stolen instance credentials could do is in the documents, not in the policies'
names: the proxy's inline policy allows ``ec2:*`` on ``*``, and the reads must say so,
keep what they read when IAM denies the next call, and send only reads.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from awsir_tui.aws import iam
from awsir_tui.aws.context import AwsContext
from awsir_tui.aws.errors import FailureKind
from awsir_tui.demo.server import DemoServer
from tests.helpers_app import demo_context
from tests.helpers_iam import deny_iam


@pytest.fixture
def ctx(demo: DemoServer) -> AwsContext:
    return demo_context(demo)


def proxy_role(ctx: AwsContext, demo: DemoServer) -> iam.RoleInfo:
    arn = f"arn:aws:iam::{demo.facts.account_id}:instance-profile/" \
          f"{demo.facts.instance_profile_name}"
    return iam.instance_profile(ctx, arn).roles[0]


def test_the_proxy_roles_inline_policy_allows_ec2_star_on_star(
    ctx: AwsContext, demo: DemoServer
) -> None:
    role = proxy_role(ctx, demo)
    (name,) = role.inline_policies
    policy = iam.inline_policy(ctx, role.name, name)
    assert policy.failure is None
    assert ("Role", role.name) in policy.about
    assert [(s.text, s.wildcards) for s in policy.statements] == [
        ("Allow ec2:* on *", ("action", "resource"))]


def test_an_attached_policy_is_read_at_its_default_version(
    ctx: AwsContext, demo: DemoServer
) -> None:
    attached = proxy_role(ctx, demo).attached_policies[0]
    assert attached.arn.startswith(f"arn:aws:iam::{demo.facts.account_id}:policy/")
    policy = iam.managed_policy(ctx, attached)
    assert policy.failure is None
    assert ("Default version", "v1") in policy.about
    assert policy.statements and policy.statements[0].text.startswith("Allow ")
    calls = [c.operation for c in ctx.guard.calls if c.service == "iam"]
    assert calls[-2:] == ["GetPolicy", "GetPolicyVersion"]


def test_the_trust_policy_says_who_may_assume_the_role(
    ctx: AwsContext, demo: DemoServer
) -> None:
    policy = iam.trust_policy(ctx, demo.facts.role_name)
    assert policy.failure is None
    assert ("ARN", f"arn:aws:iam::{demo.facts.account_id}:role/{demo.facts.role_name}") \
        in policy.about
    assert [s.text for s in policy.statements] == [
        "Allow sts:AssumeRole by Service ec2.amazonaws.com"]
    assert not policy.statements[0].wildcards


def test_the_trust_policy_of_a_role_already_read_costs_no_call(
    ctx: AwsContext, demo: DemoServer
) -> None:
    role = iam.get_role(ctx, demo.facts.role_name)
    sent = len(ctx.guard.calls)
    assert iam.trust_of(demo.facts.role_name, role) == iam.trust_policy(ctx, demo.facts.role_name)
    assert len(ctx.guard.calls) == sent + 1  # trust_policy's own GetRole, not trust_of's
    deny_iam(ctx, "GetRole")
    denied = iam.get_role(ctx, demo.facts.role_name)
    assert iam.trust_of(demo.facts.role_name, denied).failure == denied


def test_the_role_is_read_whole_its_trust_policy_decoded(
    ctx: AwsContext, demo: DemoServer
) -> None:
    role = iam.get_role(ctx, demo.facts.role_name)
    assert not isinstance(role, iam.CallFailure)
    assert role["RoleId"].startswith("AROA") and role["MaxSessionDuration"] == 3600
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Action"] == "sts:AssumeRole"
    deny_iam(ctx, "GetRole")
    denied = iam.get_role(ctx, demo.facts.role_name)
    assert isinstance(denied, iam.CallFailure) and denied.call == "iam:GetRole"


def test_a_denied_version_read_says_which_call_and_keeps_the_policy(
    ctx: AwsContext, demo: DemoServer
) -> None:
    attached = proxy_role(ctx, demo).attached_policies[0]
    deny_iam(ctx, "GetPolicyVersion")
    policy = iam.managed_policy(ctx, attached)
    assert policy.failure is not None
    assert policy.failure.call == "iam:GetPolicyVersion"
    assert policy.failure.failure.kind is FailureKind.DENIED
    assert str(policy.failure).startswith("iam:GetPolicyVersion denied: ")
    assert ("ARN", attached.arn) in policy.about and ("Default version", "v1") in policy.about
    assert policy.document is None and policy.statements == []


def readme_read_actions() -> set[str]:
    """The actions of the README's minimal IAM policy (the JSON block under its heading)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    block = readme.split("### Minimal IAM policy", 1)[1].split("```json", 1)[1]
    return set(json.loads(block.split("```", 1)[0])["Statement"][0]["Action"])


def test_policy_reads_send_only_reads_that_the_readme_policy_allows(
    ctx: AwsContext, demo: DemoServer
) -> None:
    role = proxy_role(ctx, demo)
    iam.inline_policy(ctx, role.name, role.inline_policies[0])
    iam.managed_policy(ctx, role.attached_policies[0])
    iam.trust_policy(ctx, role.name)
    iam.get_role(ctx, role.name)
    assert ctx.guard.calls and not [c for c in ctx.guard.calls if c.mutating]
    sent = {f"{call.service}:{call.operation}" for call in ctx.guard.calls}
    assert sent <= readme_read_actions()


def test_a_document_botocore_could_not_parse_is_url_decoded() -> None:
    document = '{"Version": "2012-10-17", "Statement": []}'
    assert iam.decode_document(quote(document)) == {"Version": "2012-10-17", "Statement": []}
    assert iam.decode_document(quote("not {json")) == "not {json"
    # Nested past the parser's depth (anyone can have such a document logged): text.
    assert iam.decode_document("[" * 5000) == "[" * 5000
    assert iam.statements("not {json") == []


@pytest.mark.parametrize(("statement", "text", "wildcards"), [
    ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b/*"},
     "Allow every action but iam:* on arn:aws:s3:::b/*", ("action",)),
    ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*"]},
     "Allow s3:GetObject on arn:aws:s3:::b/*", ()),
    ({"Effect": "Deny", "Action": "*", "Resource": "*"}, "Deny * on *", ()),
    # "*" as the resource alone is how AWS's own policies read (SSM's): no alarm; a
    # family of actions (s3:Get*) is not every action.
    ({"Effect": "Allow", "Action": ["ssm:UpdateInstanceInformation"], "Resource": "*"},
     "Allow ssm:UpdateInstanceInformation on *", ()),
    ({"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"},
     "Allow s3:Get* on arn:aws:s3:::b/*", ()),
    ({"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
     "Allow iam:* on *", ("action", "resource")),
    ({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
      "Condition": {"StringEquals": {"sts:ExternalId": "x"}}},
     "Allow sts:AssumeRole by * if StringEquals", ("principal",)),
    ({"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root"]},
      "Action": "sts:AssumeRole"}, "Allow sts:AssumeRole by AWS arn:aws:iam::1:root", ()),
    ("[bold]x", 'not a statement: "[bold]x"', ()),
])
def test_each_statement_is_said_in_a_line_with_its_wildcards(
    statement: object, text: str, wildcards: tuple[str, ...]
) -> None:
    (said,) = iam.statements({"Statement": statement})
    assert (said.text, said.wildcards) == (text, wildcards)


@pytest.mark.parametrize(("statement", "reach", "wildcards"), [
    ({"Effect": "Allow", "Action": "*", "Resource": "*"}, "any action on any resource",
     ("action", "resource")),
    ({"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
     "all ec2 actions on any resource", ("action", "resource")),
    # AWS's own AmazonSSMManagedInstanceCore: the agent's channels, said but not flagged.
    ({"Effect": "Allow", "Action": ["ssm:UpdateInstanceInformation", "ssmmessages:*",
                                    "ec2messages:*"], "Resource": "*"},
     "all ssmmessages and ec2messages actions on any resource", ()),
    ({"Effect": "Allow", "Action": ["ssmmessages:*", "iam:*"], "Resource": "*"},
     "all ssmmessages and iam actions on any resource", ("action", "resource")),
    ({"Effect": "Allow", "Action": ["s3:*", "iam:*", "kms:*"], "NotResource": "arn:x"},
     "all s3, iam and kms actions on everything but arn:x", ("action", "resource")),
    ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
     "every action but iam:* on any resource", ("action", "resource")),
    ({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
     "sts:AssumeRole by any principal", ("principal",)),
    ({"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}, "", ()),
    ({"Effect": "Deny", "Action": "*", "Resource": "*"}, "", ()),
])
def test_a_statement_says_what_it_allows_without_limit(
    statement: object, reach: str, wildcards: tuple[str, ...]
) -> None:
    """"Any action" is said for * alone: ec2:* is all of EC2's actions, not every one."""
    (said,) = iam.statements({"Statement": statement})
    assert (said.reach, said.wildcards) == (reach, wildcards)
