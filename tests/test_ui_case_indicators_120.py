""":indicators at 120 columns, as QA saw it (#6): a role's ARN marked on its instance's
page was cut (``arn:aws:iam::123456789012:role/edge-proxy-ro…``) while the screen had
the room to show it whole."""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.case_views import IndicatorsView
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.ec2_instances import InstancesView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_ec2 import loaded_list, loaded_sheet, move_to, sheet, type_filter


async def test_a_role_arn_shows_whole_at_120_columns(demo: DemoServer) -> None:
    """The instance, its role's ARN and its group marked on the proxy's page: the value
    gave way to keep "marked at" on screen, with "where" past the edge all the same.
    It shows whole; the first and last seen too."""
    app = demo_app(demo)
    async with app.run_test(size=(120, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, "tag:Name=edge-proxy-01")
        await pilot.press("enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        await wait_for(pilot, lambda: app.case is not None, "case open")
        await wait_for(pilot, lambda: any(row.startswith("Role ") for row in sheet(app)),
                       "the role")
        for starts in ("ID ", "Role ", "sg-"):
            await move_to(pilot, app, starts)
            await pilot.press("m")
        await wait_for(pilot, lambda: len(app.case.case.indicators) == 3,  # type: ignore[union-attr]
                       "the marks")
        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        await wait_for(pilot, lambda: len(view._indicators()) == 3, "the rows")
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if line.lstrip().startswith("kind"))
        assert "last seen" in header, header
        arn = "arn:aws:iam::123456789012:role/edge-proxy-role"
        assert any(f" {arn} " in line for line in lines), "\n".join(lines)
