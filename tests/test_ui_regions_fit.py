"""`:regions` at 80 columns after `:posture`: a region's status (a posture summary) is
longer than the room left for it, and a cut must say so with ``…``, never stop mid-word
at the screen's edge. Keys pressed on the demo account."""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.posture import PostureView
from awsir_tui.ui.regions import RegionsView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for


def region_line(text: str, region: str, width: int = 80) -> str:
    """The table's line of ``region`` (the hint under the table names it too), without
    the vertical scrollbar's two cells at the right."""
    return next(line[:width - 2].rstrip() for line in text.splitlines()
                if f" {region} " in line and "opt-in" in line)


async def test_a_long_status_is_cut_with_an_ellipsis_at_80_and_60(demo: DemoServer) -> None:
    app = demo_app(demo)
    region = sorted(demo.regions)[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View), "the first view")
        await open_view(pilot, app, "posture")
        await wait_for(pilot, lambda: "CloudTrail" in app.region_status.get(region, ""),
                       "posture's status of the region")
        status = app.region_status[region]
        assert len(status) > 40  # longer than the room left at 80
        view = await open_view(pilot, app, "regions")
        assert isinstance(view, RegionsView)
        await wait_for(pilot, lambda: f" {region} " in screen_text(app)
                       and "CloudTrail" in region_line(screen_text(app), region), "the table")
        for width, height in ((80, 24), (60, 20)):
            await pilot.resize_terminal(width, height)
            def line(width: int = width) -> str:
                return region_line(screen_text(app), region, width)

            await wait_for(pilot, lambda: line().endswith("\u2026"),
                           f"the cut status ends with … at {width}")
            assert line().startswith(" *") and "opt-in-not-required" in line()
            shown = line().split("opt-in-not-required", 1)[1].strip()
            assert status.startswith(shown[:-1].rstrip())  # the status's start, cut
        assert not isinstance(app.screen, PostureView)
