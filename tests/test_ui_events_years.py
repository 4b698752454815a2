"""The events list's time column says the year when the rows are not all of this one.

At 80 columns the time is ``11-30 08:43:18``: a 2024 archive read as this year's. The
year goes in the header when every row is of one other year, both years in the header
when the rows run over one new year in under half a year, in every row when they span
more, and nowhere (no width lost) when they are all of this year.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.events.record import Event, from_record
from awsir_tui.events.sources import StoreSource
from awsir_tui.events.store import EventStore
from awsir_tui.ui.events_view import EventsView, time_column
from awsir_tui.ui.findings_view import FindingsView
from awsir_tui.ui.time_columns import time_format
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_events import STEAL_CREDENTIALS, STRATUS, all_records
from tests.helpers_ui_events import account_ready, archive_loaded, offline_app

THIS_YEAR = datetime.now(UTC).year


def events_at(*times: datetime) -> list[Event]:
    """A Stratus record, once per time."""
    event = from_record(all_records()[0])
    return [replace(event, event_id=f"e{n}", event_time=when) for n, when in enumerate(times)]


async def table_text(events: list[Event], filter_text: str = "", rows: int = 2) -> str:
    """What the events list over ``events`` (``rows`` of them matching ``filter_text``)
    shows at 80x24, once the rows are drawn."""
    store = EventStore()
    store.add_events(events)
    app = offline_app()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: account_ready(app), "regions")
            view = EventsView(filter_text, source=StoreSource(store, "years test"))
            await app.push_screen(view)
            await wait_for(pilot, lambda: view.table.row_count == rows
                           and "event name" in screen_text(app), "the rows")
            await wait_for(pilot, lambda: not view.workers, "the sort")
            # The rows' block is read off the UI thread (its lines show "…" meanwhile).
            await wait_for(pilot, lambda: isinstance(view.table.peek_row(rows - 1), Event),
                           "the rows read")
            await pilot.pause()
            return screen_text(app)
    finally:
        store.close()


@pytest.mark.parametrize("year", [THIS_YEAR - 2])
async def test_an_archive_of_another_year_says_its_year_in_the_header(year: int) -> None:
    text = await table_text(events_at(datetime(year, 11, 30, 8, 43, 18, tzinfo=UTC),
                                      datetime(year, 11, 26, 15, 35, 23, tzinfo=UTC)))
    assert f"! {year} (UTC)     event name" in text
    assert " 11-30 08:43:18 " in text  # as wide as ever: the IP still shows
    assert "source IP" in text


async def test_rows_over_one_new_year_keep_the_short_time_and_name_both_years() -> None:
    """Event history read in January spans December: 90 days cannot make a month and
    day ambiguous, so the rows keep their width and the header names both years."""
    new_year = datetime(THIS_YEAR, 1, 1, tzinfo=UTC)
    text = await table_text(events_at(new_year - timedelta(days=80),
                                      new_year + timedelta(hours=3)))
    assert f"! {THIS_YEAR - 1}-{THIS_YEAR % 100:02d} (UTC)  event name" in text
    assert " 10-13 00:00:00 " in text
    assert " 01-01 03:00:00 " in text
    assert "source IP" in text


async def test_rows_across_years_show_the_year_in_each_row() -> None:
    """Over more than half a year (or more than two years) each row says its year: the
    reader should not have to count which spring is which. To the second, the source
    IP still whole at 80 columns (the event name gives way)."""
    new_year = datetime(THIS_YEAR, 1, 1, tzinfo=UTC)
    events = events_at(new_year - timedelta(days=200), new_year + timedelta(hours=3, seconds=9))
    text = await table_text(events)
    assert f" {THIS_YEAR - 1}-06-15 00:00:00 " in text
    assert f" {THIS_YEAR}-01-01 03:00:09 " in text
    assert f" {events[0].source_ip} " in text and "source IP" in text


async def test_an_archive_with_a_record_of_a_year_not_adjacent_keeps_every_second(
    tmp_path: Path,
) -> None:
    """A real burst (ec2-steal-instance-credentials, 2024) and one real record of
    another file re-dated to 2022, loaded as an archive: every row, top and bottom
    (G), says its second. With the year in each row they were cut to the minute, and
    the burst's calls read as one moment. The source IP keeps a 15-character
    address's room at 80 columns (79 beside the scrollbar)."""
    burst = json.loads((STRATUS / f"{STEAL_CREDENTIALS}.json").read_text())
    [stop] = json.loads((STRATUS / "aws.defense-evasion.cloudtrail-stop.json").read_text())
    stop["eventTime"] = "2022-03-04T05:06:07Z"
    (tmp_path / "logs.json").write_text(json.dumps({"Records": [*burst, stop]}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await archive_loaded(pilot, app)
        await wait_for(pilot, lambda: view.table.row_count == len(burst) + 1, "every row")
        await wait_for(pilot, lambda: " 2024-08-02 08:23:56 DescribeInstances " in
                       screen_text(app) and " 2024-08-02 08:23:55 " in screen_text(app),
                       "the newest calls, a second apart")
        header = next(line for line in screen_text(app).splitlines() if "source IP" in line)
        assert header.startswith("! time (UTC)  ")
        assert header.index("source IP") + len("255.255.255.255") <= 79
        await pilot.press("G")  # oldest last
        await wait_for(pilot, lambda: " 2022-03-04 05:06:07 StopLogging " in screen_text(app)
                       and " 2024-08-02 08:22:39 " in screen_text(app)
                       and f" {stop['sourceIPAddress']} " in screen_text(app), "the oldest rows")


async def test_rows_of_this_year_cost_no_width_and_a_filter_sets_the_column_again() -> None:
    """The column follows the rows a filter leaves, not the whole store."""
    now = datetime.now(UTC).replace(microsecond=0)
    old = now.replace(year=THIS_YEAR - 3)
    events = events_at(now - timedelta(minutes=1), old)
    text = await table_text([events[0], replace(events[1], event_name="OldCall")],
                            "-name:OldCall", rows=1)
    assert "! time (UTC)     event name" in text
    assert (now - timedelta(minutes=1)).strftime(" %m-%d %H:%M:%S ") in text


def test_local_time_names_the_offsets_the_rows_were_turned_to(berlin: None) -> None:
    """`o` turns each row to its own local offset: summer rows read in winter are at
    +0200, and a header saying only today's +0100 put an hour's error on each."""
    year = THIS_YEAR - 2
    summer = datetime(year, 8, 1, 10, tzinfo=UTC)
    winter = datetime(year, 11, 29, 10, tzinfo=UTC)
    column = time_column(True, (winter, summer))
    assert column.label == f"{year} (+02/+01)"  # the oldest row's first
    assert column.width == 14  # as wide as ever: the source IP stays on screen
    assert time_column(True, (summer, summer)).label == f"{year} (+02)"
    # Two winter rows with a summer between them: both offsets, the first row's first.
    january, december = datetime(year, 1, 10, tzinfo=UTC), datetime(year, 12, 20, tzinfo=UTC)
    assert time_column(True, (january, december)).label == f"{year} (+01/+02)"
    assert time_column(False, (winter, summer)).label == f"{year} (UTC)"


def test_every_table_turns_its_times_to_the_local_offsets(berlin: None) -> None:
    """:findings, :indicators and :timeline follow `o` as the events table does; a
    naive time (a hand-edited case) is UTC, not this machine's."""
    winter = datetime(2024, 1, 30, 13, 1, tzinfo=UTC)
    summer = datetime(2024, 7, 30, 13, 1, tzinfo=UTC)
    times = time_format([winter, summer], local=True, seconds=False)
    assert times.header("first seen") == "first seen 2024 (+01/+02)"
    assert [times.text(winter), times.text(summer)] == ["01-30 14:01", "07-30 15:01"]
    assert times.text(winter.replace(tzinfo=None)) == "01-30 14:01"


async def test_o_in_the_events_list_turns_every_table_s_times_to_local(
    berlin: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`o` once, in :events: the timeline, the indicators and the findings show their
    times in the local zone too, their headers as the events table's. They stayed in
    UTC, each with its own header (``first seen 2024 UTC``, ``first 2024 UTC``)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await archive_loaded(pilot, app)
        await pilot.press("o")
        # The archive's rows run from summer (+02) to winter (+01).
        await wait_for(pilot, lambda: "! 2024 (+02/+01) event name" in screen_text(app),
                       "the events in Berlin's time")
        event = view.event_at_cursor()
        assert event is not None
        local = event.event_time.astimezone().strftime("%m-%d %H:%M")
        await pilot.press("m")
        await wait_for(pilot, lambda: app.case is not None and bool(app.case.case.timeline),
                       "the event marked")
        await open_view(pilot, app, "timeline")
        await wait_for(pilot, lambda: " 2024 (+01) " in screen_text(app)
                       and f" {local}:" in screen_text(app), "the timeline in local time")
        await open_view(pilot, app, "indicators")
        await wait_for(pilot, lambda: "first seen 2024 (+01)" in screen_text(app)
                       and f" {local} " in screen_text(app), "the indicators in local time")
        findings = await open_view(pilot, app, "findings")
        assert isinstance(findings, FindingsView)
        # The year in the status line (the headers gave it the title's room).
        await wait_for(pilot, lambda: not findings.running and bool(findings.findings)
                       and "when (+02/+01)" in screen_text(app)
                       and " findings of 2024 (" in screen_text(app),
                       "the findings in local time")
