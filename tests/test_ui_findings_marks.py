"""The events list's ``!`` column after :findings over a narrower list, at 80x24 on the
demo account (responder review): :findings over ``since:3d`` marked the stolen
credentials' calls C; :findings over a :stack bucket of one event then found nothing,
and back in the ``since:3d`` list the C marks were gone, while :findings over that list
still showed the critical finding. Every run's findings mark their events now."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.detect import Finding
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.findings_view import FindingsView
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import demo_app, screen_text, wait_for


def findings_done(app: AwsirApp, over: int) -> bool:
    """A findings view on top, its run over ``over`` events ended."""
    screen = app.screen
    return (isinstance(screen, FindingsView) and not screen.running
            and screen.scope is not None and screen.events_read == over)


async def run_findings(pilot: Pilot[Any], app: AwsirApp, over: int) -> list[Finding]:
    """`:findings` typed, run to the end over the newest events list's ``over`` rows."""
    await pilot.press("colon", *"findings", "enter")
    await wait_for(pilot, lambda: findings_done(app, over), f"findings over {over}",
                   seconds=90)
    assert isinstance(app.screen, FindingsView)
    return app.screen.findings


def first_marked(view: EventsView, wanted: set[str]) -> int | None:
    """The index of the list's first row whose event is one of ``wanted`` (None while a
    block of rows is still being read)."""
    for index in range(view.table.row_count):
        event = view.table.row(index)
        if event is not None and event.event_id in wanted:
            return index
    return None


def marks_in_sight(app: AwsirApp, view: EventsView, wanted: set[str], near: int) -> list[str]:
    """The screen lines of the rows in sight whose event is one of ``wanted``, looked for
    among the rows around ``near`` (the cursor's: the table shows about 16 at 80x24)."""
    lines = screen_text(app).splitlines()
    shown = []
    for index in range(max(0, near - 20), min(view.table.row_count, near + 20)):
        event = view.table.row(index)
        if event is None or event.event_id not in wanted:
            continue
        stamp = f"{event.event_time:%m-%d %H:%M:%S} {event.event_name[:10]}"
        shown += [line for line in lines if stamp in line]
    return shown


async def three_days_listed(pilot: Pilot[Any], app: AwsirApp) -> tuple[EventsView, int]:
    """`:events since:3d` typed on the demo's first view, read to its end: the view and
    how many events it lists."""
    await wait_for(pilot, lambda: app.screen.__class__.__name__ == "InstancesView")
    await pilot.press("colon", *"events since:3d", "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                   and app.screen._progress is not None
                   and not app.screen._progress.running
                   and "events \u00b7" in screen_text(app), "the list read", seconds=90)
    listed = app.screen
    assert isinstance(listed, EventsView) and listed.selection is not None
    return listed, listed.selection.count()


async def test_a_run_over_one_event_keeps_the_wider_lists_marks(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        listed, count = await three_days_listed(pilot, app)

        findings = await run_findings(pilot, app, count)
        critical = {event_id for f in findings if f.severity == "critical"
                    for event_id in f.event_ids}
        assert critical, [f.title for f in findings]

        # :stack, its timeline by the minute, the last bucket (one event), :findings.
        await pilot.press("colon", *"stack", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StackView), ":stack")
        stack = app.screen
        assert isinstance(stack, StackView)
        await wait_for(pilot, lambda: bool(stack.rows), "the counts")
        await pilot.press("t")
        await wait_for(pilot, lambda: stack.shown.timeline and bool(stack.rows), "timeline")
        await pilot.press("w")
        await wait_for(pilot, lambda: "events per 1 minute " in screen_text(app), "1 minute")
        await pilot.press("G", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen is not listed and app.screen.selection is not None
                       and app.screen.selection.count() == 1, "the last bucket's event")
        assert await run_findings(pilot, app, 1) == []

        await pilot.press("colon", *"events", "enter")
        await wait_for(pilot, lambda: app.screen is listed, "back to the since:3d list")
        # Its rows, wherever the demo's later background calls have put them in the list.
        await wait_for(pilot, lambda: first_marked(listed, critical) is not None,
                       "the critical finding's rows read")
        first = first_marked(listed, critical)
        assert first is not None
        listed.table.cursor_row = first
        await wait_for(pilot, lambda: bool(marks_in_sight(app, listed, critical, first)),
                       "the critical finding's rows drawn")
        rows = marks_in_sight(app, listed, critical, first)
        assert all(row.startswith("C ") for row in rows), "\n".join(rows)
