"""E and y on an EC2 list filtered to nothing say there is no row (80x24), as Enter and
`m` do: QA pressed them on `:instances`, `:sg` and `:keys` lists that matched nothing,
and the keys did nothing at all."""

from __future__ import annotations

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_common import EVENTS_OF
from awsir_tui.ui.ec2_groups import SecurityGroupsView
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_keys import KeyPairsView
from awsir_tui.ui.ec2_table import ObjectTable
from awsir_tui.ui.virtual_table import no_row
from tests.helpers_app import open_view, said_after, wait_for
from tests.helpers_ec2 import loaded_list, make_app, type_filter


@pytest.mark.parametrize(("name", "view"), [
    ("instances", InstancesView), ("sg", SecurityGroupsView), ("keys", KeyPairsView),
])
async def test_e_and_y_on_an_empty_list_say_there_is_no_row(
    demo: DemoServer, name: str, view: type
) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        if view is not InstancesView:
            await open_view(pilot, app, name)
            await loaded_list(pilot, app, view)
        await type_filter(pilot, "name:NoSuchThing")
        table = app.screen.query_one(ObjectTable)
        await wait_for(pilot, lambda: table.row_count == 0, "no row")
        assert await said_after(pilot, app, "E") == no_row(EVENTS_OF)
        assert await said_after(pilot, app, "y") == no_row("copy")
        assert isinstance(app.screen, view)  # E opened no events view
