"""`o` in :stack gives the timeline's bucket starts in this machine's zone, as the
events lists give their times: the timeline stayed in UTC while the list it was
opened from showed local times, and the burst at 10:35 local sat in the 09:00 bucket."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from awsir_tui.cli import Options
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import help_shown, screen_text, wait_for
from tests.helpers_events import STRATUS, all_records
from tests.helpers_ui_events import offline_app
from tests.test_ui_stack import stack_over_the_archive


def first_day() -> datetime:
    """The first day of the Stratus logs (the timeline's first bucket: a day each)."""
    first = min(datetime.fromisoformat(r["eventTime"]) for r in all_records())
    return first.replace(hour=0, minute=0, second=0, microsecond=0)


async def test_o_turns_the_timeline_to_local_time_and_back(
    berlin: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    day = first_day()
    utc_start = f"{day:%m-%d %H:%M}"
    berlin_start = f"{day.astimezone(ZoneInfo('Europe/Berlin')):%m-%d %H:%M}"
    assert utc_start != berlin_start
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await stack_over_the_archive(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, lambda: "events per 1 day" in screen_text(app), "the timeline")
        assert f"from {day.year} (UTC)" in screen_text(app)
        assert utc_start in screen_text(app)
        await pilot.press("o")
        await wait_for(pilot, lambda: berlin_start in screen_text(app), "local starts")
        assert f"from {day.year} (+0" in screen_text(app)
        assert app.local_time
        await pilot.press("o")
        await wait_for(pilot, lambda: f"from {day.year} (UTC)" in screen_text(app), "UTC")
        assert utc_start in screen_text(app)
        assert "a bucket is cut in UTC all the same" in await help_shown(pilot, app)


async def test_o_pressed_in_the_events_list_is_followed_back_on_the_timeline(
    berlin: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    berlin_start = f"{first_day().astimezone(ZoneInfo('Europe/Berlin')):%m-%d %H:%M}"
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, lambda: stack.shown.timeline and bool(stack.rows), "timeline")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the events list")
        await pilot.press("o")
        await wait_for(pilot, lambda: app.local_time, "local time")
        await pilot.press("colon", *"stack", "enter")
        await wait_for(pilot, lambda: app.screen is stack, "back on :stack")
        await wait_for(pilot, lambda: berlin_start in screen_text(app), "local starts")
