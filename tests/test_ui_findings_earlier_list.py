"""`:findings` back after the events list under it changed, at 80x24 on the demo
account (responder review): :findings over ``since:3d`` (9 findings over 1,339 events),
then the list narrowed, then :findings again showed that run as if it were over the rows
now listed; only r ran over them. README says it runs over the last events view's rows:
its status line now says first that its findings are an earlier list's, and which."""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.findings_view import FindingsView
from tests.helpers_app import demo_app, screen_text, wait_for
from tests.test_ui_findings_marks import findings_done, run_findings, three_days_listed

NARROWER = "since:3d name:RunInstances"


def listed_count(view: EventsView, text: str) -> int | None:
    """The rows ``view`` lists once its filter is ``text`` and its read is done."""
    if view.filter_text != text or view.selection is None:
        return None
    progress = view._progress
    if progress is not None and progress.running:
        return None
    return view.selection.count()


async def test_findings_back_over_a_changed_list_says_it_is_an_earlier_one(
    demo: DemoServer,
) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        listed, count = await three_days_listed(pilot, app)
        assert await run_findings(pilot, app, count)
        findings = app.screen
        assert isinstance(findings, FindingsView)

        await pilot.press("colon", *f"events {NARROWER}", "enter")
        await wait_for(pilot, lambda: app.screen is listed
                       and listed_count(listed, NARROWER), "the narrower list")
        narrower = listed_count(listed, NARROWER)
        assert narrower is not None and 0 < narrower < count

        await pilot.press("colon", *"findings", "enter")
        await wait_for(pilot, lambda: app.screen is findings, "back to :findings")
        await pilot.pause()
        status = screen_text(app)
        assert "over an earlier list (since:3d): r runs over the current one" in status, status

        await pilot.press("r")
        await wait_for(pilot, lambda: findings_done(app, narrower), "r over the narrower list",
                       seconds=90)
        assert "earlier list" not in screen_text(app), screen_text(app)
