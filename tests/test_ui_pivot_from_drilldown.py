"""A pivot from an event reached through :stack or :findings over Event history asks
Event history (a responder review at 80x24 on the demo account).

The drill-down's rows share the store of the list they came from, which holds only
what that list read (``:events name:ImportKeyPair``'s few events): `E` on the
attacker's ImportKeyPair, reached through :findings, listed 1 event of the stolen
instance, "run on the store", where the same `E` from the list listed 111; a pivot on
its ARN 17 against 29. A responder would have concluded the credentials did almost
nothing.
"""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.events.sources import HistorySource
from awsir_tui.ui.base import View
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import demo_app, open_view, wait_for
from tests.helpers_ui_events import filter_read


async def test_E_from_a_stack_groups_event_reads_event_history(demo: DemoServer) -> None:
    proxy = demo.facts.proxy_instance_id
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        listed = await open_view(pilot, app, "events")
        assert isinstance(listed, EventsView)
        await filter_read(pilot, listed, "name:=ImportKeyPair")
        assert listed.selection is not None
        read = listed.selection.count()
        assert read > 0

        await open_view(pilot, app, "stack")
        stack = app.screen
        assert isinstance(stack, StackView)
        await wait_for(pilot, lambda: bool(stack.rows), "the counts")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen is not listed and app.screen.table.row_count > 0,
                       "the group's events")
        group = app.screen
        assert isinstance(group, EventsView) and not isinstance(group.source, HistorySource)
        # The attacker's import: made with the proxy's stolen role credentials.
        stolen = next(i for i in range(group.table.row_count)
                      if (row := group.table.row(i)) is not None and row.user_name == proxy)
        group.table.cursor_row = stolen
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "its page")

        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen is not group, "the instance's events")
        instance_events = app.screen
        assert isinstance(instance_events, EventsView)
        assert isinstance(instance_events.source, HistorySource)
        assert instance_events.filter_text == f"user:={proxy} OR resource:={proxy}"
        assert instance_events.selection is not None
        await wait_for(pilot, lambda: instance_events._progress is not None
                       and not instance_events._progress.running, "read", seconds=90)
        # More than the imports the drilled store held: everything the session did.
        assert instance_events.selection.count() > read
        names = {e.event_name for e in instance_events.selection.fetch(0, 500)}
        assert "ImportKeyPair" in names and len(names) > 1, names
