"""K on an instance at 80x24 on the demo account says which regions its key's name was
searched in. With one region selected it said "key name matched in every region",
though the regions not selected, where the key is used too, were never read: a
responder took the five instances listed for all there were. P, the instances sharing
its instance profile (an ARN of the account, used in any region), said nothing of the
regions it had not read."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.text import count_of
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.regions import RegionsView
from tests.helpers_app import demo_app, open_view, regions_listed, screen_text, wait_for
from tests.helpers_ec2 import loaded_list, type_filter
from tests.helpers_regions import refuse_describe_regions


async def pivot_status(pilot: Pilot[Any], app: AwsirApp, key: str = "K") -> str:
    """:instances, an instance with a key pair (K) or an instance profile (P), the key:
    the pivot's status line."""
    field, searched = {"K": ("key", "key name"), "P": ("profile", "profile")}[key]
    await open_view(pilot, app, "instances")
    await loaded_list(pilot, app, InstancesView)
    await type_filter(pilot, f"{field}:*")
    listing = app.screen
    await pilot.press(key)
    await wait_for(pilot, lambda: app.screen is not listing
                   and isinstance(app.screen, InstancesView) and app.screen.loaded,
                   f"{key}'s list")
    await wait_for(pilot, lambda: any(f"{searched} {said} " in screen_text(app)
                                      for said in ("searched in", "matched in")),
                   "the pivot's scope")
    return screen_text(app)


async def test_k_and_p_say_the_regions_not_selected_were_not_searched(demo: DemoServer) -> None:
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await regions_listed(pilot, app)
        enabled = sum(info.enabled for info in view._regions)
        await pilot.press("n", "space", "enter")  # the region under the cursor alone
        await wait_for(pilot, lambda: len(app.regions) == 1, "one region applied")
        shown = await pivot_status(pilot, app)
        assert f"key name searched in 1 of {enabled} regions" in shown, shown
        assert "every region" not in shown
        shown = await pivot_status(pilot, app, "P")
        assert f"profile searched in 1 of {enabled} regions" in shown, shown

        await open_view(pilot, app, "regions")
        await pilot.press("a", "enter")
        await wait_for(pilot, lambda: len(app.regions) == enabled, "every region applied")
        shown = await pivot_status(pilot, app)
        assert "key name matched in every region" in shown, shown
        shown = await pivot_status(pilot, app, "P")
        assert "profile matched in every region" in shown, shown


async def test_k_over_regions_the_account_will_not_list_claims_no_other_region(
    demo: DemoServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Code review: with DescribeRegions refused, :regions listed the selected regions
    as the account's, and K said "key name matched in every region" over the one read."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", demo.facts.proxy_region)
    refuse_describe_regions(monkeypatch)
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, RegionsView)
                       and app.screen.query_one(DataTable).row_count > 0, "the regions")
        shown = await pivot_status(pilot, app)
        assert (f"key name searched in the {count_of(len(app.regions), 'selected region')}"
                in shown), shown
        assert "every region" not in shown
