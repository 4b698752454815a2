"""The pivot menu of :indicators moves with j/k as every other list of the app."""

from __future__ import annotations

from awsir_tui.case import Case, CaseStore
from awsir_tui.ui.ec2_instances import InstancesView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app


async def test_j_then_enter_opens_the_second_choice_and_k_comes_back() -> None:
    """j did nothing in the menu (only the Down arrow moved), so j then Enter opened the
    first choice, :keys, where the responder asked for the instances."""
    case = Case("default")
    case.mark("demo-deployer", "key-pair", source="keys")
    CaseStore().save(case)
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app))
        await open_view(pilot, app, "indicators")
        await wait_for(pilot, lambda: "demo-deployer" in screen_text(app), "the indicator")
        await pilot.press("enter")  # :keys, :instances, :events
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "PivotMenu", "the menu")
        await pilot.press("j", "j", "k", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "the instances")
        assert app.screen.filter_text == "key:=demo-deployer"
