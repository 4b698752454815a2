"""IAM denying one call, as a responder's limited role would (the demo allows all IAM)."""

from __future__ import annotations

from typing import Any

from botocore.awsrequest import AWSResponse

from awsir_tui.aws.context import AwsContext


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
