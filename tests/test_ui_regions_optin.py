"""`:regions` keys on the demo account at 80x24: space refuses a region the account has
not opted in to (every read of it fails against AWS, while the demo answered for it),
and y copies the region under the cursor, as y copies the row in the other lists."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import RegionInfo
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.regions import RegionsView
from tests.helpers_app import demo_app, open_view, saved_path, wait_for
from tests.helpers_posture import notifications


async def regions_page(pilot: Pilot[Any], app: AwsirApp) -> RegionsView:
    """`:regions`, its table drawn from the account's list."""
    await wait_for(pilot, lambda: isinstance(app.screen, View), "the first view")
    view = await open_view(pilot, app, "regions")
    assert isinstance(view, RegionsView)
    await wait_for(pilot, lambda: view.query_one(DataTable).row_count > 3, "the regions")
    return view


async def go_to(pilot: Pilot[Any], view: RegionsView, region: str) -> None:
    names = [info.name for info in view._regions]
    await pilot.press("g", *["j"] * names.index(region))
    await wait_for(pilot, lambda: view.query_one(DataTable).cursor_row == names.index(region),
                   f"the cursor on {region}")


async def test_space_refuses_a_region_not_opted_in_and_says_why(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await regions_page(pilot, app)
        off: RegionInfo = next(info for info in view._regions if not info.enabled)
        await pilot.press("n")
        await go_to(pilot, view, off.name)
        await pilot.press("space", "enter")
        expected = (f"{off.name} is not enabled in this account ({off.opt_in_status}): "
                    "enable it in the account first")
        await wait_for(pilot, lambda: expected in notifications(app), "the refusal")
        # Nothing was selected: Enter says so and the page stays, the app's regions too.
        await wait_for(pilot, lambda: any("select at least one region" in n
                                          for n in notifications(app)), "Enter's answer")
        assert app.screen is view
        assert off.name not in app.regions
        # An enabled region is still selected by space.
        on = next(info for info in view._regions if info.enabled)
        await go_to(pilot, view, on.name)
        await pilot.press("space", "enter")
        await wait_for(pilot, lambda: "1 region selected" in notifications(app), "applied")
        assert list(app.regions) == [on.name]


async def test_y_copies_the_region_under_the_cursor_with_its_status(demo: DemoServer) -> None:
    app = demo_app(demo)
    region = sorted(demo.regions)[0]
    async with app.run_test(size=(80, 24)) as pilot:
        view = await regions_page(pilot, app)
        await wait_for(pilot, lambda: region in app.region_status, "the first view's status")
        await go_to(pilot, view, region)
        await pilot.press("y")
        await wait_for(pilot, lambda: any("saved to" in n for n in notifications(app)), "saved")
        saved = saved_path(next(n for n in notifications(app) if "saved to" in n))
        assert saved.read_text() == f"{region}: {app.region_status[region]}"


async def test_toggles_left_unapplied_are_dropped_and_said_to_be(demo: DemoServer) -> None:
    """`n`, Esc, `:regions` again showed "0 selected" while the views read 17 regions,
    and a later Enter applied the forgotten toggles."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await regions_page(pilot, app)
        reading = list(app.regions)
        await pilot.press("n", "escape")
        await wait_for(pilot, lambda: app.screen is not view, "left")
        assert any("selection not applied" in n for n in notifications(app))
        assert sorted(app.regions) == sorted(reading)
        again = await open_view(pilot, app, "regions")
        assert again is view
        # The selection set back as the view comes back on screen (its resume).
        await wait_for(pilot, lambda: str(view.query_one("#regions-hint").render())
                       .startswith(f"{len(reading)} selected of"), "the applied regions")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is not view, "applied and left")
        assert sorted(app.regions) == sorted(reading)
