"""The instances list at 80x24 (#5): ``/name:proxy⏎ l l l l l l`` showed
``vpc-4a3a47c9cbbbecf72/subnet-82d0606d23…``, the subnet ID cut at every scroll
position (VPC and subnet were one column of 42 characters). They are two columns, each
ID whole wherever it shows, and subnet: and vpc: still filter."""

from __future__ import annotations

import re

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_table import ObjectTable
from tests.helpers_app import wait_for
from tests.helpers_ec2 import ids, loaded_list, make_app, type_filter
from tests.test_ui_ec2_regions_80 import table_rows

NETWORK_ID = re.compile(r"\b(?:vpc|subnet)-\S*")
WHOLE = re.compile(r"(?:vpc|subnet)-[0-9a-f]{17}")


def network_ids_on_screen(app: AwsirApp) -> set[str]:
    """The VPC and subnet IDs the table shows, each asserted whole (no … in it)."""
    header, rows = table_rows(app)
    shown = {found for row in rows for found in NETWORK_ID.findall(row)}
    for found in shown:
        assert WHOLE.fullmatch(found), (header, rows)
    return shown


async def test_subnet_ids_whole_at_80(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, "name:proxy")
        await wait_for(pilot, lambda: len(ids(app)) == 2, "the two proxies")
        table = app.screen.query_one(ObjectTable)
        vpcs = {str(item["VpcId"]) for item in table.items}
        subnets = {str(item["SubnetId"]) for item in table.items}
        seen: set[str] = set()
        for _ in range(12):  # every scroll position, to the last column
            seen |= network_ids_on_screen(app)
            if not table.hidden_right():
                break
            await pilot.press("l")
            await pilot.pause()
        assert vpcs | subnets <= seen, (seen, vpcs, subnets)

        subnet = next(iter(subnets))
        await type_filter(pilot, f"subnet:{subnet}")
        await wait_for(pilot, lambda: set(ids(app, "Subnet")) == {subnet}, "subnet: filters")
        vpc = next(iter(vpcs))
        await type_filter(pilot, f"vpc:{vpc} name:proxy")
        await wait_for(pilot, lambda: set(ids(app, "VPC")) == {vpc} and len(ids(app)) == 2,
                       "vpc: filters")
