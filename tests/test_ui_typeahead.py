"""Keys that arrive in one burst (one SSH packet) right after the key that opens a
prompt go to the prompt, not to the view beneath it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui import typeahead
from awsir_tui.ui.base import View
from awsir_tui.ui.dialogs import HelpScreen, SwitchView
from awsir_tui.ui.ec2_groups import SecurityGroupsView
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.regions import RegionsView
from awsir_tui.ui.typeahead import HOLD_AT_MOST
from tests.helpers_app import composed, demo_app, screen_text, wait_for
from tests.helpers_ec2 import ids, loaded_list


def burst(app: object, *keys: str) -> None:
    """Every key posted at once, as the terminal driver posts one packet's keys: none
    is handled before the next arrives."""
    names = {":": "colon", "/": "slash", "\r": "enter", "=": "equals_sign", "*": "asterisk",
             "?": "question_mark"}
    for key in keys:
        app.post_message(events.Key(names.get(key, key), key))  # type: ignore[attr-defined]


async def test_colon_and_a_view_name_in_one_burst_open_the_view(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View), "the first view")
        burst(app, ":", "s", "g", "\r")
        await wait_for(pilot, lambda: isinstance(app.screen, SecurityGroupsView), ":sg")


async def test_slash_and_a_filter_in_one_burst_filter_the_list(demo: DemoServer) -> None:
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        before = ids(app)
        burst(app, "/", *"key:=ops-recovery", "\r")
        await wait_for(pilot, lambda: ids(app) != before, "the filter applied")
        assert ids(app) == [facts.malicious_instance_id]
        assert app.screen.query_one("FilterBar").text == "key:=ops-recovery"


@pytest.mark.parametrize("turns", [1, 2, 10])
async def test_keys_a_few_loop_turns_apart_keep_their_order(demo: DemoServer, turns: int) -> None:
    """The driver's thread delivers keys a little apart over a slow link: a key that
    arrives while the held ones are handed on must not overtake them (``ventse``)."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View), "the first view")
        await pilot.pause(0.5)
        for key in ":events":
            burst(app, key)
            for _ in range(turns):
                await asyncio.sleep(0)
        await wait_for(pilot, lambda: composed(app, SwitchView, "Input") is not None, "the prompt")
        field = app.screen.query_one(Input)
        await wait_for(pilot, lambda: len(field.value) == 6, "every key typed")
        assert field.value == "events"


async def sg_filtered_in_one_burst(pilot: Pilot[Any], app: App[Any]) -> None:
    """Type ``:sg⏎/open:*⏎`` in one packet once the first view is up; wait for the
    groups' filter bar to hold ``open:*``."""
    await wait_for(pilot, lambda: isinstance(app.screen, View), "the first view")
    burst(app, ":", "s", "g", "\r", "/", *"open:*", "\r")
    await wait_for(pilot, lambda: composed(app, SecurityGroupsView, "FilterBar") is not None,
                   ":sg")
    bar = app.screen.query_one("FilterBar")
    await wait_for(pilot, lambda: bar.text == "open:*", "the filter typed in its bar")


async def test_a_second_prompt_in_the_same_burst_gets_its_keys(demo: DemoServer) -> None:
    """``:sg⏎/open:*⏎`` in one packet: the keys after ``/`` wait for the filter bar of
    the view that ``:sg⏎`` opens, rather than reaching its list first."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await sg_filtered_in_one_burst(pilot, app)
        # The bar closed and gave the focus back: the next key is the list's, not typed
        # into a hidden input.
        await wait_for(pilot, lambda: not isinstance(app.focused, Input), "focus off the bar")
        await pilot.pause(0.3)
        assert not isinstance(app.focused, Input)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")


async def test_a_switch_slower_than_a_hold_still_gives_the_filter_its_keys(
    demo: DemoServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CI's loaded machine lost `/open:*⏎` after `:sg⏎`: the keys after the Enter were
    handed on while the switcher was still closing, and went into it. The switch took
    longer than HOLD_AT_MOST (here the switcher takes 1 s more over its Enter): the
    keys now wait for the app to have done what it was doing."""
    submitted = SwitchView.on_input_submitted

    async def slow_submit(prompt: SwitchView, event: Input.Submitted) -> None:
        await asyncio.sleep(HOLD_AT_MOST + 1)
        submitted(prompt, event)

    monkeypatch.setattr(SwitchView, "on_input_submitted", slow_submit)
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await sg_filtered_in_one_burst(pilot, app)


@pytest.fixture
def longer_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Holds last 6 s, not 2: a test that looks before the hold ends must not find it
    ended because a loaded machine made its half-second pause last 2 s (seen on CI)."""
    monkeypatch.setattr(typeahead, "HOLD_AT_MOST", 6.0)


async def test_a_view_drawn_before_an_enter_does_not_hand_on_the_keys_after_it(
    demo: DemoServer, longer_hold: None
) -> None:
    """A view says its prompt has closed when it is drawn, also at start-up with no
    Enter held: on CI that came late, after `:sg⏎` had been typed, and handed on the
    keys after that Enter into the switcher it was closing."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View), "the first view")
        await pilot.pause(0.3)
        app.typeahead.prompt_closed()  # a view drawn, no Enter held yet
        app.typeahead.hold("closed")  # then an Enter reaches a prompt
        burst(app, "?")
        await pilot.pause(0.5)
        assert not isinstance(app.screen, HelpScreen)


async def test_keys_held_for_a_prompt_that_never_opens_go_on(
    demo: DemoServer, longer_hold: None
) -> None:
    """A key must never be swallowed: if no prompt takes the focus, the keys held for
    it are handed on once the app has had HOLD_AT_MOST to open one."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View), "the first view")
        app.typeahead.hold("focus")
        burst(app, "?")
        await pilot.pause(0.5)
        assert not isinstance(app.screen, HelpScreen)
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help, handed on")


async def test_a_paste_right_after_slash_goes_to_the_filter(demo: DemoServer) -> None:
    facts = demo.facts
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        before = ids(app)
        burst(app, "/")
        app.post_message(events.Paste("key:=ops-recovery"))
        burst(app, "\r")
        await wait_for(pilot, lambda: ids(app) != before, "the filter applied")
        assert ids(app) == [facts.malicious_instance_id]


async def test_editing_keys_in_a_burst_edit_where_they_were_typed(demo: DemoServer) -> None:
    """An input runs Backspace or Left by a binding once the key has come back up to
    the app, behind the keys typed after it: ``abc⌫d`` came out ``abc``. They now wait
    for it."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        field = app.screen.query_one("FilterBar").query_one(Input)
        app.post_message(events.Key("slash", "/"))
        for key in "abc":
            burst(app, key)
        app.post_message(events.Key("backspace", None))
        burst(app, "d")
        app.post_message(events.Key("left", None))
        burst(app, "X")
        await wait_for(pilot, lambda: len(field.value) == 4, "every key typed")
        assert field.value == "abXd"


async def test_slash_where_there_is_no_filter_filters_the_events_with_what_follows(
    demo: DemoServer,
) -> None:
    """On :regions, `/name:web⏎` used to run n (select none), a (select all)... as
    commands. The view has no filter: the keys after `/` go into a filter of the
    events, which Enter opens :events with."""
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: composed(app, RegionsView, "DataTable") is not None
                       and "selected of" in screen_text(app), "regions")
        view = app.screen
        assert isinstance(view, RegionsView)
        chosen = set(view._chosen)
        burst(app, "/", *"name:web", "\r")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen.filter_text == "name:web", "the events filtered")
        assert set(view._chosen) == chosen
