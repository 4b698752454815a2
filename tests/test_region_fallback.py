"""The home region read alone because DescribeRegions was refused: every read of it
says why, until the account lists its regions again (``:regions`` asks anew). Then a
read of the home region alone is the responder's choice, and an export of it is not
PARTIAL for regions "not listed"."""

from __future__ import annotations

import pytest

from awsir_tui.aws.context import BRIEF, AwsContext, AwsTarget
from awsir_tui.demo.server import DemoServer
from tests.helpers_regions import refuse_describe_regions


def test_a_listing_that_answers_again_ends_the_fallback(
    demo: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = AwsContext(AwsTarget(regions=(), endpoint_url=demo.endpoint_url,
                               static_credentials=("testing", "testing")))
    refuse_describe_regions(monkeypatch)
    regions, fallback = ctx.regions_to_read()
    assert fallback is not None and regions == [ctx.home_region]
    assert "regions not listed (denied)" in ctx.unlisted(regions)
    monkeypatch.undo()  # the role gets ec2:DescribeRegions; :regions asks again
    listed = ctx.discover_regions(config=BRIEF)  # (a client made after the refusal)
    assert {info.name for info in listed} >= set(demo.regions)
    assert ctx.fallback is None and ctx.unlisted([ctx.home_region]) == ""
