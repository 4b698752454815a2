"""`:load` names the events whose copies differ, and which copy the store kept (#5)."""

from __future__ import annotations

from pathlib import Path

from awsir_tui.cli import Options
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.load_view import LoadView
from tests.helpers_app import screen_text, wait_for
from tests.helpers_ui_events import offline_app
from tests.test_events_differing_copies import tampered_copy


def words(text: str) -> str:
    """The screen's text with its wrapping undone."""
    return " ".join(text.split())


async def test_load_page_names_the_event_whose_copies_differ(tmp_path: Path) -> None:
    _, altered = tampered_copy(tmp_path)
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded 80 events" in screen_text(app), "archive loaded")
        # The events' status line says it first, where 80 columns cut it after the sizes.
        assert "1 event ID with copies that differ (:load)" in screen_text(app)
        await pilot.press("colon", *"load", "enter")
        note = ("1 event ID read more than once with copies that are not the same record, "
                f"so one copy was altered or made up: {altered} (kept the copy read first; "
                "the other copy differs")
        await wait_for(pilot, lambda: isinstance(app.screen, LoadView)
                       and note in words(screen_text(app)), "the load page")
