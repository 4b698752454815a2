"""DescribeRegions refused, as a read-only responder role without ec2:DescribeRegions
meets it, while every other call of the demo account answers."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer


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


#: Standard regions beyond the demo's three: with them, 17 regions are asked.
MORE_REGIONS = ("us-east-2", "us-west-1", "us-west-2", "eu-west-2", "eu-west-3",
                "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1",
                "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ca-central-1",
                "sa-east-1")


def app_over_denied_regions(demo: DemoServer) -> tuple[AwsirApp, list[str]]:
    """The app over the demo's regions and :data:`MORE_REGIONS`, and those of them the
    demo should deny (``with demo.denying(*denied)``): many regions failing at once."""
    denied = [region for region in MORE_REGIONS if region not in demo.regions]
    target = AwsTarget(regions=(*demo.regions, *denied), endpoint_url=demo.endpoint_url,
                       static_credentials=("testing", "testing"))
    return AwsirApp(Options(demo=True), AwsContext(target), first_view="instances"), denied
