"""`/` over a pivot's rows adds to the pivot's terms (responder review, 80x24): the
prompt opened with them selected, so `name:Run` typed to narrow an access key's events
replaced the key, and the rows were the whole archive's with nothing saying so."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import STRATUS
from tests.helpers_ui_events import archive_loaded, offline_app
from tests.test_ui_event_page_keys import cursor_key


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def test_slash_after_enter_on_a_value_narrows_its_events() -> None:
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        listing = await archive_loaded(pilot, app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView), "the event")
        page = app.screen
        assert isinstance(page, EventDetailView)
        await pilot.press("slash", *"sourceIPAddress", "enter")
        await wait_for(pilot, lambda: cursor_key(page) == "sourceIPAddress", "the address")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen is not listing, "the address's events")
        pivot = app.screen
        assert isinstance(pivot, EventsView)
        terms = pivot.filter_text
        assert terms.startswith("ip:=")
        await pilot.press("slash", *"name:GetCallerIdentity", "enter")
        await wait_for(pilot, lambda: pivot.filter_text != terms, "the filter applied")
        assert pivot.filter_text == f"{terms} name:GetCallerIdentity"
        await wait_for(pilot, lambda: f"{terms} name:GetCallerIdentity"[:40]
                       in " ".join(screen_text(app).split()), "the filter in sight")
        # Ctrl+U clears it, and the new filter replaces the pivot's.
        await pilot.press("slash", "ctrl+u", *"name:GetCallerIdentity", "enter")
        await wait_for(pilot, lambda: pivot.filter_text == "name:GetCallerIdentity",
                       "the pivot typed over")
