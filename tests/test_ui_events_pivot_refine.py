"""`/` over a pivot's rows adds to the pivot's terms (responder review, 80x24): the
prompt opened with them selected, so `name:Run` typed to narrow an access key's events
replaced the key, and the rows were the whole archive's with nothing saying so."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.ui.case_views import PivotMenu
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import open_view, said_after, screen_text, wait_for
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import offline_app, stack_over_an_archive
from tests.test_ui_place_pivot import address_events


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def test_slash_after_enter_on_a_value_narrows_its_events() -> None:
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        pivot = await address_events(pilot, app)
        terms = pivot.filter_text
        await pilot.press("slash", *"name:GetCallerIdentity", "enter")
        await wait_for(pilot, lambda: pivot.filter_text != terms, "the filter applied")
        assert pivot.filter_text == f"{terms} name:GetCallerIdentity"
        await wait_for(pilot, lambda: f"{terms} name:GetCallerIdentity"[:40]
                       in " ".join(screen_text(app).split()), "the filter in sight")
        # Ctrl+U clears it, and the new filter replaces the pivot's.
        await pilot.press("slash", "ctrl+u", *"name:GetCallerIdentity", "enter")
        await wait_for(pilot, lambda: pivot.filter_text == "name:GetCallerIdentity",
                       "the pivot typed over")


async def test_slash_after_enter_on_an_indicator_narrows_its_events(tmp_path: Path) -> None:
    """The route a responder takes most to a key's events: marked from :stack, then
    Enter on it in :indicators (the code review found it still typed over)."""
    async with stack_over_an_archive(tmp_path) as (pilot, app, stack):
        await pilot.press("f", "f")
        await wait_for(pilot, lambda: stack.shown.fields == ("access_key_id",)
                       and bool(stack.rows), "the keys")
        key = str(stack.rows[0][0])
        await said_after(pilot, app, "m")
        await open_view(pilot, app, "indicators")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, (EventsView, PivotMenu)),
                       "the key's events, or the menu of its pivots")
        if isinstance(app.screen, PivotMenu):
            await pilot.press("enter")  # its events first
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "its events")
        events = app.screen
        assert isinstance(events, EventsView)
        terms = events.filter_text
        assert key in terms
        await pilot.press("slash", *"name:GetCallerIdentity", "enter")
        await wait_for(pilot, lambda: events.filter_text != terms, "the filter applied")
        assert events.filter_text == f"{terms} name:GetCallerIdentity"
