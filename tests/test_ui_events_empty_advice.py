"""Event history's empty answer to a part of a value at 80x24 on the demo: the table
says in sentences why (AWS matched it whole) and what to type, where the status line's
``try user:I-B2547952`` alone read as a typo's correction; the filter it says finds the
events, and the words go."""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.query import EVENT_FIELDS, parse, plan_lookup
from awsir_tui.ui.dialogs import HelpScreen
from tests.helpers_app import composed, screen_text, wait_for
from tests.helpers_ui_events import events_on_the_demo, filter_read


def test_only_a_plan_aws_matches_whole_has_advice() -> None:
    assert plan_lookup(parse("user:=bob", EVENT_FIELDS)).advice() == ""
    assert plan_lookup(parse("since:1d", EVENT_FIELDS)).advice() == ""
    advice = plan_lookup(parse("name:AssumeRole since:1d", EVENT_FIELDS)).advice()
    assert advice.startswith("Event history has no event with EventName = AssumeRole: AWS "
                             "matches it whole, while name:AssumeRole here matches any part.")
    assert "type  name:ASSUMEROLE since:1d  (a term" in advice


async def test_an_empty_answer_says_why_in_the_table_and_the_filter_that_finds(
    demo: DemoServer,
) -> None:
    cut = demo.facts.proxy_instance_id[:len("i-") + 8]
    async with events_on_the_demo(demo) as (pilot, app, view):
        await filter_read(pilot, view, f"user:{cut}")
        assert view.table.row_count == 0
        await wait_for(pilot, lambda: "Event history has no event" in screen_text(app), "why")
        said = " ".join(screen_text(app).split())
        assert f"Event history has no event with Username = {cut}: AWS matches it whole" in said
        assert f"To match a part, type user:{cut.upper()} (a term in a case" in said

        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "*") is not None, "help")
        await wait_for(pilot, lambda: "Event history has no event with Username" in (
            screen_text(app)), "the advice")
        await pilot.press("escape")

        await filter_read(pilot, view, f"user:{cut.upper()}")
        # The rows reach the table on its next catch-up, the words go with them.
        await wait_for(pilot, lambda: view.table.row_count > 0
                       and "To match a part" not in screen_text(app), "the rows")
