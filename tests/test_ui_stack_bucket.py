"""w sets the timeline's bucket: the span chose it alone (QA: "the bucket size cannot
be changed"). Keys at 80x24 over the Stratus logs (29 days: a day a bucket)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.stack_view import MOST_BUCKETS, chosen_bucket
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import STRATUS, all_records
from tests.helpers_ui_events import offline_app
from tests.test_ui_stack import stack_over_the_archive


async def test_w_steps_the_bucket_and_enter_opens_one_bucket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the Stratus logs (29 days: a day a bucket), a minute would make over 5,000
    buckets: w showed 5 minutes for it, then 5 minutes again (a press that did nothing),
    and the span's 1 day came round twice a cycle. Each press now shows a wider bucket,
    the narrow one widened and said, then round again."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, lambda: "events per 1 day " in screen_text(app), "the span's")
        times = [datetime.fromisoformat(r["eventTime"]) for r in all_records()]
        first, last = min(times), max(times)
        name, _, widened = chosen_bucket("1 minute", first, last)
        narrowest = f"{name} ({widened})"
        assert widened
        shown = []
        for _ in range(5):
            before = stack.shown.bucket
            await pilot.press("w")
            await wait_for(pilot, lambda b=before: stack.shown.timeline
                           and stack.shown.bucket != b, "another bucket")
            shown.append(screen_text(app).split("events per ", 1)[1].split(" \u00b7")[0])
        assert shown == [narrowest, "1 day", "1 week", narrowest, "1 day"]
        assert stack.shown.bucket == timedelta(days=1)
        await pilot.press("g", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the bucket's events")
        view = app.screen
        assert isinstance(view, EventsView)
        terms = dict(term.split(":", 1) for term in view.filter_text.split())
        after, before = (datetime.fromisoformat(terms[k]) for k in ("after", "before"))
        assert before - after == timedelta(days=1)
        assert after == first.replace(hour=0, minute=0, second=0)


def test_a_bucket_too_narrow_for_the_span_is_widened_and_said() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    assert chosen_bucket("1 minute", start, start + timedelta(days=3)) == (
        "1 minute", timedelta(minutes=1), "")
    name, width, note = chosen_bucket("1 minute", start, start + timedelta(days=365))
    assert (name, width) == ("1 day", timedelta(days=1))
    assert note == f"1 minute would make over {MOST_BUCKETS:,} buckets"
    name, _, note = chosen_bucket("1 hour", start, start + timedelta(days=20000))
    assert name == "1 week" and note



async def test_the_line_under_the_timeline_gives_the_bucket_s_span_and_w(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The line under the table stayed blank on the timeline, and w is in no footer at
    80 columns: it gives the cursor's bucket whole, in UTC, its count and the key."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    days: dict[str, int] = {}
    for record in all_records():
        day = record["eventTime"][:10]
        days[day] = days.get(day, 0) + 1
    first, second = sorted(days)[:2]
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await stack_over_the_archive(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, lambda: "events per 1 day " in screen_text(app), "the timeline")
        await pilot.press("g")
        detail = f"{first} 00:00 to {second} 00:00 UTC  {days[first]} events"
        await wait_for(pilot, lambda: detail in screen_text(app), "the first bucket said")
        assert "(w: another bucket width)" in screen_text(app)
