"""Enter on :instances in its first seconds, before any region answered: it said "no
row to open: the list is empty" under "0 of 0 instances · 15 loading…", read as an
account without instances. While regions still answer, the keys on no row say it is
still reading; once all answered, that the list is empty. 80x24, the demo account
behind a link that answers every call late."""

from __future__ import annotations

from awsir_tui.app import AwsirApp
from awsir_tui.cli import Options
from awsir_tui.demo.faulty_link import FaultyLink
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_common import Ec2ListView
from tests.helpers_app import composed, demo_context, said_after, wait_for


async def test_keys_on_no_row_say_the_list_is_still_read_until_every_region_answers(
    demo: DemoServer,
) -> None:
    # Every region answers 3 s late: the list is composed long before any answer.
    with FaultyLink(demo.endpoint_url, latency=3.0) as link:
        app = AwsirApp(Options(demo=True), demo_context(demo, endpoint_url=link.url),
                       first_view="instances")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: composed(app, Ec2ListView, "#ec2-table"),
                           "the instances list")
            view = app.screen
            assert isinstance(view, Ec2ListView) and not view.loaded
            assert await said_after(pilot, app, "enter") == "no row to open yet: still reading"
            await wait_for(pilot, lambda: view.loaded, "every region's answer", seconds=180)
            await pilot.press("slash", *"id:=i-none", "enter")
            await wait_for(pilot, lambda: view.filter_text == "id:=i-none"
                           and view.table.current() is None, "a filter matching none")
            assert await said_after(pilot, app, "enter") == "no row to open: the list is empty"
