"""`:regions` at 80x24 on the demo account: `/` then Esc keeps the selection being
edited. Closing the events filter's prompt brought :regions back on screen, which
took that for a return from another view and set the selection back to the applied
regions: ``n``, space, ``/``, Esc said "17 selected of 34", the edits gone unsaid."""

from __future__ import annotations

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.filter_bar import EventsFilter
from tests.helpers_app import demo_app, regions_listed, screen_text, wait_for


async def test_closing_the_filter_prompt_keeps_unapplied_edits(demo: DemoServer) -> None:
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await regions_listed(pilot, app)
        total = len(view._regions)
        applied = set(app.regions)
        await pilot.press("n")
        await wait_for(pilot, lambda: f"0 selected of {total}" in screen_text(app), "none")
        await pilot.press("space")
        await wait_for(pilot, lambda: f"1 selected of {total}" in screen_text(app), "one")
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsFilter), "the prompt")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is view, "back on :regions")
        await pilot.pause()
        assert f"1 selected of {total}; Enter applies" in screen_text(app)
        assert set(app.regions) == applied  # not applied: only Enter applies
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.regions) == 1, "the one region applied")
