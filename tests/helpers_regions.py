"""DescribeRegions refused, as a read-only responder role without ec2:DescribeRegions
meets it, while every other call of the demo account answers."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from awsir_tui.aws.context import AwsContext


def refuse_describe_regions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuse DescribeRegions on every EC2 client a context makes from now on (403
    UnauthorizedOperation, before the request leaves); the list returned grows by
    "DescribeRegions" at each refusal, so a test can count the asks."""
    real_client = AwsContext.client
    refused: list[str] = []

    def refuse(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        refused.append("DescribeRegions")
        return AWSResponse("https://ec2.invalid/", 403, {}, None), {
            "Error": {"Code": "UnauthorizedOperation",
                      "Message": "You are not authorized to perform this operation."},
            "ResponseMetadata": {"HTTPStatusCode": 403},
        }

    def client(self: AwsContext, service: str, *args: Any, **kwargs: Any) -> Any:
        made = real_client(self, service, *args, **kwargs)
        if service == "ec2":
            made.meta.events.register("before-call.ec2.DescribeRegions", refuse,
                                      unique_id="refuse-regions")
        return made

    monkeypatch.setattr(AwsContext, "client", client)
    return refused
