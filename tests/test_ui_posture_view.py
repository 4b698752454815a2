"""`:posture` through the real app and keys, against the demo account."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Static

from awsir_tui.ui.posture import PostureDetailView, PostureView
from tests.helpers_posture import make_app, wait_for


def row_texts(table: DataTable[Any]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_posture_table_then_details_of_a_region_without_flow_logs(demo: Any) -> None:
    app = make_app(demo)
    flow_region = demo.facts.flow_log_region
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PostureView), "posture view")
        view = app.screen
        assert isinstance(view, PostureView)
        await wait_for(
            pilot,
            lambda: all(p is not None for p, _ in view.results.values()) and view.results,
            "every region checked",
        )
        rows = {row[0]: row for row in row_texts(view.query_one(DataTable))}
        assert set(rows) == set(demo.regions)
        for region, row in rows.items():
            assert row[1] == "yes" and row[2] == "yes", row
            assert row[4].split(" of ")[0] != "0" or region == flow_region
        summary = str(view.query_one("#posture-summary", Static).render())
        assert f"{len(demo.regions)} of {len(demo.regions)} regions checked" in summary
        # Go to a region without flow logs on any VPC and open it.
        target = sorted(demo.regions).index(
            next(r for r in sorted(demo.regions) if r != flow_region)
        )
        for _ in range(target):
            await pilot.press("j")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PostureDetailView), "details")
        details = app.screen
        assert isinstance(details, PostureDetailView)
        text = str(details.query_one("#posture-detail", Static).render())
        assert demo.facts.trail_name in text
        assert "NO FLOW LOG" in text
        assert "aws ec2 create-flow-logs" in text
        assert "not run by awsir-tui" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "back to the table")


async def test_posture_view_shows_a_denied_region_and_the_rest(demo: Any) -> None:
    denied = next(r for r in demo.regions if r != "us-east-1")
    app = make_app(demo)
    with demo.denying(denied):
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PostureView), "posture view")
            view = app.screen
            assert isinstance(view, PostureView)
            await wait_for(
                pilot,
                lambda: bool(view.results) and all(p for p, _ in view.results.values()),
                "every region checked",
            )
            rows = {row[0]: row for row in row_texts(view.query_one(DataTable))}
            assert rows[denied][1] == "denied" and rows[denied][4] == "denied"
            assert all(rows[r][1] == "yes" for r in demo.regions if r != denied)
            assert "denied" in app.region_status[denied]
    assert not any(call.mutating for call in app.ctx.guard.calls)
