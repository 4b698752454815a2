"""`:keys` where a pivot opened the key pairs (Enter on an instance's key): the one key
pairs view in the stack is the whole list, in the pivot's place. Keys pressed at 80x24
on the demo account.

Found in a responder's review: Enter on `Key name ▸`, Enter (the instances with that
key), then `:keys` stacked a second key pairs view (`… › key pairs › instances key:=… ›
key pairs`) and Esc walked back through both; and after a restart the app reopened the
pivot's filter as :keys itself, so `:keys` from anywhere showed `1 of 16 key pairs`.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.case.store import CaseStore
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_keys import KeyPairsView
from tests.helpers_app import demo_app, screen_text, wait_for
from tests.helpers_ec2 import loaded_list, open_instance_details

CASE = "keys-pivot"


async def key_pairs_of_the_page(pilot: Pilot[Any], app: AwsirApp) -> KeyPairsView:
    """Enter on the `Name ▸` row of the instance page's key pair (the attacker's
    instance, launched with ops-recovery): its key's row in the key pairs."""
    page = app.screen
    assert isinstance(page, InstanceDetailsView)
    row = next(n for n, (kind, _) in sorted(page.sheet.targets.items()) if kind == "key")
    await pilot.press("g", *["j"] * row, "enter")
    await loaded_list(pilot, app, KeyPairsView)
    view = app.screen
    assert isinstance(view, KeyPairsView) and view.filter_text.startswith("name:=")
    assert view.table.row_count == 1
    return view


async def colon_keys_shows_every_key(pilot: Pilot[Any], app: AwsirApp) -> KeyPairsView:
    """`:keys`: one key pairs view in the stack, on top, unfiltered, every key listed."""
    await pilot.press("colon", *"keys", "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, KeyPairsView)
                   and app.screen.top_level == "keys", ":keys")
    await loaded_list(pilot, app, KeyPairsView)
    view = app.screen
    assert isinstance(view, KeyPairsView)
    assert [s for s in app.screen_stack if isinstance(s, KeyPairsView)] == [view]
    assert view.filter_text == ""
    total = len(view.all_items())
    assert total > 1 and view.table.row_count == total
    lines = screen_text(app).splitlines()
    assert lines[1].rstrip().endswith("key pairs") and "key:=" not in lines[1], lines[1]
    assert any(line.startswith(f"{total} of {total} key pairs") for line in lines), lines
    return view


async def test_keys_goes_back_to_the_pivots_key_pairs_with_every_key(
    demo: DemoServer,
) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, demo.facts.malicious_instance_id)
        page = app.screen
        await key_pairs_of_the_page(pilot, app)
        await pilot.press("enter")  # the instances launched with that key
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView)
                       and app.screen.pivot is not None, "the key's instances")
        await colon_keys_shows_every_key(pilot, app)
        assert not any(isinstance(s, InstancesView) and s.pivot is not None
                       for s in app.screen_stack)  # closed with the pivot's list
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is page, "Esc back to the instance's page")


async def test_a_pivots_key_pairs_reopened_next_start_leave_keys_unfiltered(
    demo: DemoServer,
) -> None:
    app = demo_app(demo, case=CASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, demo.facts.malicious_instance_id)
        pivoted = await key_pairs_of_the_page(pilot, app)
        await wait_for(pilot, lambda: CaseStore().load(CASE).place.get("arguments") == {
            "filter_text": pivoted.filter_text}, "the place kept")

    app = demo_app(demo, case=CASE)
    async with app.run_test(size=(80, 24)) as pilot:
        # Reopened where it was left: the one key, over the first view.
        await wait_for(pilot, lambda: isinstance(app.screen, KeyPairsView)
                       and app.screen.filter_text == pivoted.filter_text, "reopened")
        await loaded_list(pilot, app, KeyPairsView)
        assert app.screen.table.row_count == 1  # type: ignore[attr-defined]
        await colon_keys_shows_every_key(pilot, app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "Esc: instances")
        assert not any(isinstance(s, KeyPairsView) for s in app.screen_stack)
        keys = await colon_keys_shows_every_key(pilot, app)  # `:keys` from anywhere
        assert isinstance(app.screen_stack[-2], InstancesView)
        assert keys.table.row_count > 1
        assert isinstance(app.screen_stack[1], InstancesView)
        assert not any(isinstance(s, InstanceDetailsView) for s in app.screen_stack)
