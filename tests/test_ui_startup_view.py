"""A view opened while the account is still being read (typed ahead at start-up,
before the regions are listed) reads the regions once they are known: it used to keep
"the account is still being read" until the responder pressed r."""

from __future__ import annotations

import threading

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_groups import SecurityGroupsView
from tests.helpers_app import composed, screen_text, wait_for
from tests.helpers_ec2 import ids


async def test_a_view_typed_ahead_of_the_regions_reads_them_when_listed(
    demo: DemoServer,
) -> None:
    ctx = AwsContext(AwsTarget(endpoint_url=demo.endpoint_url,
                               static_credentials=("testing", "testing")))
    listed = ctx.regions_to_read
    go_on = threading.Event()

    def held() -> object:
        """The real DescribeRegions call, once the responder has typed the view."""
        go_on.wait(60)
        return listed()

    ctx.regions_to_read = held  # type: ignore[method-assign]
    app = AwsirApp(Options(), ctx, first_view="instances")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(":", *"sg", "enter")
        await wait_for(pilot, lambda: composed(app, SecurityGroupsView, "FilterBar")
                       is not None, ":sg")
        await wait_for(pilot, lambda: "still being read" in screen_text(app),
                       "the view waiting for the account")
        go_on.set()
        await wait_for(pilot, lambda: isinstance(app.screen, SecurityGroupsView)
                       and demo.facts.attacker_group_id in ids(app),
                       "the groups of every region")
        assert "still being read" not in screen_text(app)
        assert set(demo.regions) < set(app.regions)  # every region moto knows
        assert f"{len(app.regions)} regions" in screen_text(app).splitlines()[0]
        # The first view did not open over the one typed ahead.
        assert isinstance(app.screen, SecurityGroupsView)
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["SecurityGroupsView"]
