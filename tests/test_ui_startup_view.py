"""A view opened while the account is still being read (typed ahead at start-up,
before the regions are listed) reads the regions once they are known: it used to keep
"the account is still being read" until the responder pressed r."""

from __future__ import annotations

import threading

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.dialogs import SwitchView
from awsir_tui.ui.ec2_groups import SecurityGroupsView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import composed, screen_text, wait_for
from tests.helpers_ec2 import ids


def app_held_at(demo: DemoServer, call: str) -> tuple[AwsirApp, threading.Event]:
    """The app with no --regions on the demo account, its context's ``call`` (a real
    call to the demo) held until the event returned is set: keys typed meanwhile are
    typed ahead of the account."""
    ctx = AwsContext(AwsTarget(endpoint_url=demo.endpoint_url,
                               static_credentials=("testing", "testing")))
    real = getattr(ctx, call)
    go_on = threading.Event()

    def held() -> object:
        go_on.wait(60)
        return real()

    setattr(ctx, call, held)
    return AwsirApp(Options(), ctx, first_view="instances"), go_on


async def test_a_view_typed_ahead_of_the_regions_reads_them_when_listed(
    demo: DemoServer,
) -> None:
    app, go_on = app_held_at(demo, "regions_to_read")  # DescribeRegions
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(":", *"sg", "enter")
        await wait_for(pilot, lambda: composed(app, SecurityGroupsView, "FilterBar")
                       is not None, ":sg")
        await wait_for(pilot, lambda: "still being read" in screen_text(app),
                       "the view waiting for the account")
        go_on.set()
        await wait_for(pilot, lambda: isinstance(app.screen, SecurityGroupsView)
                       and demo.facts.attacker_group_id in ids(app),
                       "the groups of every region")
        assert "still being read" not in screen_text(app)
        assert set(demo.regions) < set(app.regions)  # every region moto knows
        assert f"{len(app.regions)} regions" in screen_text(app).splitlines()[0]
        # The first view did not open over the one typed ahead.
        assert isinstance(app.screen, SecurityGroupsView)
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["SecurityGroupsView"]


async def test_a_prompt_typed_ahead_keeps_its_enter_when_the_account_answers(
    demo: DemoServer,
) -> None:
    """`:ev` typed before the first view, the account answering, then `ents` and Enter:
    the first view opened over the prompt and took the Enter, and Esc on it left the
    prompt alone on an empty screen."""
    app, go_on = app_held_at(demo, "caller_identity")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(":", "e", "v")
        await wait_for(pilot, lambda: isinstance(app.screen, SwitchView), "the prompt")
        go_on.set()
        # The account worker ends after the first view's turn (it waits for each call
        # it hands the UI thread): the first view would have opened by then.
        await wait_for(pilot, lambda: not any(w.group == "account" and not w.is_finished
                                              for w in app.workers), "the account read")
        assert isinstance(app.screen, SwitchView)
        await pilot.press(*"ents", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), ":events")
        await pilot.pause(0.5)
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["EventsView"]
