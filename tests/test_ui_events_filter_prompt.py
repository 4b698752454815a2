"""`/` in a view that has no filter filters the events (Textual Pilot, 80x24, an archive).

In :stack, `/` said "this view has no filter" and the filter typed after it went to
the stack's keys: `after:...` changed its field (f), showed its timeline (t),
recounted (r), and `:` opened the view switcher on the rest.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.filter_bar import EventsFilter, FilterBar
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import stack_over_an_archive

TYPED = "after:2026-11-30T14:15+02:00 error:*"


async def test_slash_in_stack_opens_the_events_with_the_filter_typed(tmp_path: Path) -> None:
    async with stack_over_an_archive(tmp_path) as (pilot, app, stack):
        await wait_for(pilot, lambda: bool(stack.rows) and "count by name" in screen_text(app),
                       "counted by name")
        await pilot.press("slash")
        await wait_for(pilot, lambda: "filter events" in screen_text(app), "the prompt")
        await pilot.press(*TYPED, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen.filter_text == TYPED, "the events, filtered")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is stack, "back to the stack")
        assert "count by name" in screen_text(app)  # its keys were never pressed


async def test_a_refused_filter_stays_in_the_prompt_and_esc_leaves_it(tmp_path: Path) -> None:
    async with stack_over_an_archive(tmp_path) as (pilot, app, stack):
        await pilot.press("slash", *"foo:bar", "enter")
        await wait_for(pilot, lambda: "unknown field 'foo'" in screen_text(app), "the refusal")
        assert app.screen is not stack
        assert app.screen.query_one(FilterBar).query_one(Input).has_focus
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is stack, "back to the stack")


async def test_a_field_the_events_lack_is_refused_in_the_prompt(tmp_path: Path) -> None:
    """`state:running` (an instance's field) was accepted by the prompt, and the events
    view it opened refused it there: the prompt, where it can be fixed, says so."""
    async with stack_over_an_archive(tmp_path) as (pilot, app, stack):
        await pilot.press("slash", *"state:running", "enter")
        await wait_for(pilot, lambda: "not for events" in screen_text(app), "the refusal")
        assert app.screen is not stack and not isinstance(app.screen, EventsView)
        assert app.screen.query_one(FilterBar).query_one(Input).has_focus


async def test_the_prompt_has_its_own_footer(tmp_path: Path) -> None:
    """The prompt showed the footer of the view beneath: `? Help`, where `?` types, and
    keys the prompt has not."""
    async with stack_over_an_archive(tmp_path) as (pilot, app, stack):
        await pilot.press("slash")
        await wait_for(pilot, lambda: "filter events" in screen_text(app), "the prompt")
        footer = screen_text(app).splitlines()[-1]
        assert "⏎ Events" in footer and "esc Close filter" in footer and "F1 Help" in footer
        assert "? Help" not in footer and "Back" not in footer
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is stack, "back to the stack")


async def test_f1_in_the_prompt_says_what_it_does_and_the_fields(tmp_path: Path) -> None:
    """F1 in the prompt listed two keys: not what the prompt does nor the fields the
    events filter takes; `?` types itself there."""
    async with stack_over_an_archive(tmp_path) as (pilot, app, stack):
        await pilot.press("slash")
        await wait_for(pilot, lambda: "filter events" in screen_text(app), "the prompt")
        await pilot.press("question_mark", "f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        await wait_for(pilot, lambda: "Fields: name:" in screen_text(app), "the fields")
        shown = " ".join(screen_text(app).split())
        assert "Enter opens :events with the filter typed" in shown
        assert "since:/after:/before:" in shown and "error:*" in shown
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert "q quit" not in help_screen.body.plain  # q and : type themselves here
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsFilter), "back to the prompt")
        assert app.screen.query_one(Input).value == "?"  # `?` typed itself, F1 helped
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is stack, "back to the stack")
