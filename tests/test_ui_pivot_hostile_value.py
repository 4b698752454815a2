"""A pivot on a value that holds terminal controls (QA): Enter on the demo attacker's
user agent (an ESC colour sequence and a BEL) wrote them raw into the filter, so `/`
drew the prompt in red and rang the bell, and the filter the status line showed
(``\\x1b`` as text) found nothing when typed back. The filter now writes each control
as its escape inside quotes, which the filter language reads back as the control."""

from __future__ import annotations

from textual.widgets import Input

from awsir_tui.demo.attack import HOSTILE_USER_AGENT
from awsir_tui.demo.server import DemoServer
from awsir_tui.text import is_unsafe
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import wait_for
from tests.test_ui_events_viewer import loaded, make_app, open_detail, open_events, search_tree

#: The pivot's filter: each control as the screen shows it, inside quotes.
PIVOT_FILTER = 'agent:="aws-cli/2.9.0 [bold red]x[/] \\x1b[31mPython/3.8\\x1b[0m\\x07 [/"'


def agents(view: EventsView) -> set[str]:
    """The user agents of the rows on screen."""
    return {view.table.row(i).user_agent for i in range(view.table.row_count)}


async def test_a_pivot_on_controls_writes_their_escapes_and_typed_back_finds_the_same(
    demo: DemoServer,
) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        first = await open_events(pilot, app, "name:RunInstances")
        detail = await open_detail(pilot, app)
        await search_tree(pilot, detail, "userAgent",
                          lambda node: node.value == HOSTILE_USER_AGENT)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is not first and loaded(app),
                       "the pivot's events")
        view = app.screen
        assert isinstance(view, EventsView)
        shown = view.filter_text  # with the day either side of the event
        assert shown.startswith(f"{PIVOT_FILTER} after:")
        assert agents(view) == {HOSTILE_USER_AGENT}

        await pilot.press("slash")
        prompt = view.query_one(Input)
        await wait_for(pilot, lambda: prompt.has_focus, "the filter prompt")
        assert prompt.value == f"{shown} "  # a pivot's terms, the cursor after them
        assert not any(is_unsafe(char) for char in prompt.value)

        # The filter as shown, typed back key by key, finds the same events.
        await pilot.press("ctrl+a", "ctrl+k", *"name:RunInstances", "enter")
        await wait_for(pilot, lambda: loaded(app) and view.filter_text == "name:RunInstances",
                       "another filter")
        assert HOSTILE_USER_AGENT in agents(view) and len(agents(view)) > 1
        await pilot.press("slash", "ctrl+a", "ctrl+k", *shown, "enter")
        await wait_for(pilot, lambda: loaded(app) and view.filter_text == shown,
                       "the pivot's filter typed back")
        assert agents(view) == {HOSTILE_USER_AGENT}
