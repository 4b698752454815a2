"""An EC2 list left empty says, in the table's place, what was looked for and that
nothing matched (#2): QA saw only headers and ``0 of 0 instances`` far below, after
Enter on a key no instance uses and after ``/ip:198.51.100.251``. 80x24, the demo account."""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_keys import KeyPairsView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ec2 import loaded_list, make_app, type_filter


def line_under_headers(text: str) -> str:
    """The screen's line just under the list's headers."""
    return text.splitlines()[3]


async def test_a_key_no_instance_uses_says_so(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(pilot, app, "keys")
        await loaded_list(pilot, app, KeyPairsView)
        await type_filter(pilot, "name:=old-jenkins")
        await pilot.press("enter")
        await loaded_list(pilot, app, InstancesView)
        said = "no instance was launched with key old-jenkins in"
        await wait_for(pilot, lambda: said in screen_text(app), "the empty list's line")
        assert said in line_under_headers(screen_text(app))
        assert "0 of 0 instances" in screen_text(app)  # the status line as it was


async def test_a_filter_matching_nothing_says_so_and_the_rows_come_back(
    demo: DemoServer,
) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await type_filter(pilot, "ip:198.51.100.251")
        said = "no instance matches ip:198.51.100.251 in"
        await wait_for(pilot, lambda: said in screen_text(app), "the empty list's line")
        assert said in line_under_headers(screen_text(app))
        await pilot.press("slash", "ctrl+u", "enter")
        await wait_for(pilot, lambda: "no instance" not in screen_text(app), "the rows back")
        assert line_under_headers(screen_text(app)).startswith("i-")


async def test_a_list_no_region_answered_says_nothing_was_read(demo: DemoServer) -> None:
    """Every region denied: the line said, in bold, "no instance in the 0 of 3 regions
    that answered", which reads as an answer; nothing was read at all."""
    app = make_app(demo)
    with demo.denying(*demo.regions):
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded_list(pilot, app, InstancesView)
            said = f"no region answered: nothing was read ({len(demo.regions)} regions failed"
            await wait_for(pilot, lambda: said in screen_text(app), "the line under the headers")
            assert "no instance" not in screen_text(app)
