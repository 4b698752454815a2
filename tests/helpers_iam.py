"""IAM denying one call, as a responder's limited role would (the demo allows all IAM),
and the keys that open a role's page and a policy's document from the details."""

from __future__ import annotations

from typing import Any

from botocore.awsrequest import AWSResponse
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext
from awsir_tui.ui.iam_views import PolicyView, RoleView
from tests.helpers_app import wait_for
from tests.helpers_ec2 import move_to


def deny_iam(ctx: AwsContext, operation: str) -> None:
    """Make ``ctx``'s IAM client answer ``operation`` (``GetRolePolicy``) with AWS's
    AccessDenied, through botocore's own error path, the guard's journal included."""

    def refuse(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        message = f"User: arn:aws:sts::123456789012:assumed-role/ir/me is not authorized " \
                  f"to perform: iam:{operation}"
        return AWSResponse("https://iam.invalid/", 403, {}, None), {
            "Error": {"Code": "AccessDenied", "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": 403},
        }

    ctx.client("iam").meta.events.register(f"before-call.iam.{operation}", refuse)


async def open_policy(pilot: Pilot[int], app: AwsirApp, row: str) -> PolicyView:
    """Enter on the details row starting with ``row``; the policy page once read."""
    await move_to(pilot, app, row)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, PolicyView)
                   and app.screen.policy is not None, f"{row} read")
    await pilot.pause()
    assert isinstance(app.screen, PolicyView)
    return app.screen


async def open_role(pilot: Pilot[int], app: AwsirApp) -> RoleView:
    """Enter on the details' Role row; the role's page once IAM answered."""
    await move_to(pilot, app, "Role")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, RoleView)
                   and app.screen.answer is not None, "role read")
    await pilot.pause()
    assert isinstance(app.screen, RoleView)
    return app.screen
