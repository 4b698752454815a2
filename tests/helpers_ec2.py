"""Helpers for the EC2 explorer's tests: a context on the demo account."""

from __future__ import annotations

from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.demo.server import DemoServer


def demo_context(demo: DemoServer, endpoint_url: str | None = None) -> AwsContext:
    """A fresh context (own clients, own guard journal) on every demo region."""
    return AwsContext(
        AwsTarget(
            regions=tuple(demo.regions),
            endpoint_url=endpoint_url or demo.endpoint_url,
            static_credentials=("testing", "testing"),
        )
    )
