"""Stacking: counts of the loaded events by field, a timeline, and Enter to the events."""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.store import EventStore
from awsir_tui.ui.base import View
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.stack_view import (
    STACK_FIELDS,
    EmptyRun,
    StackView,
    bucket_for,
    group_term,
    with_empty_buckets,
)
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_ui_events import filter_read
from tests.test_ui_events_store import viewing


def test_group_term_selects_exact_values_and_empty_ones() -> None:
    assert group_term("event_name", "RunInstances") == "name:=RunInstances"
    assert group_term("error_code", "") == "-error:*"
    assert group_term("user_agent", 'a "b" c') == 'agent:="a \\"b\\" c"'


async def test_stack_counts_the_attackers_calls_and_opens_a_group(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    facts = demo.facts
    expected = Counter(
        record["eventName"] for record in demo.records
        if record.get("userIdentity", {}).get("arn", "").endswith(f"/{facts.proxy_instance_id}")
    )
    top_name, top_count = expected.most_common(1)[0]
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        await open_view(pilot, app, "events")
        events_view = app.screen
        await pilot.press("slash", *f"user:{facts.proxy_instance_id}", "enter")
        await wait_for(pilot, lambda: events_view.selection is not None  # type: ignore[attr-defined]
                       and events_view.selection.count() == sum(expected.values()),  # type: ignore[attr-defined]
                       seconds=60)
        await open_view(pilot, app, "stack")
        stack = app.screen
        assert isinstance(stack, StackView)
        await wait_for(pilot, lambda: bool(stack.rows))
        counts = {row[0]: row[-1] for row in stack.rows}
        assert counts == dict(expected)
        assert stack.rows[0] == (top_name, top_count)  # biggest group first
        assert f"{sum(expected.values()):,} events" in screen_text(app)
        # two fields: event name x source IP shows the attacker's address
        await pilot.press("F")
        await wait_for(pilot, lambda: len(stack.rows[0]) == 3 if stack.rows else False)
        await pilot.pause(0.3)
        assert stack.fields == ["event_name", "user_name"]
        await pilot.press("F", "F")
        await wait_for(pilot, lambda: stack.fields == ["event_name", "source_ip"])
        await wait_for(pilot, lambda: bool(stack.rows) and len(stack.rows[0]) == 3)
        assert facts.attacker_ip in {row[1] for row in stack.rows}
        # the timeline adds up to the same events
        await pilot.press("t")
        await wait_for(pilot, lambda: stack.timeline_mode and bool(stack.rows)
                       and len(stack.rows[0]) == 2)
        assert sum(int(str(row[1])) for row in stack.rows) == sum(expected.values())
        # back to counts by name; Enter opens the biggest group's events from the store
        await pilot.press("t")
        await wait_for(pilot, lambda: not stack.timeline_mode and bool(stack.rows)
                       and len(stack.rows[0]) == 3)
        await pilot.press("F")  # cycle the second field to none
        await wait_for(pilot, lambda: len(stack.fields) == 1 or stack.fields[1] != "source_ip")
        while len(stack.fields) > 1:
            await pilot.press("F")
            await pilot.pause(0.1)
        await wait_for(pilot, lambda: bool(stack.rows) and len(stack.rows[0]) == 2)
        table = stack.query_one(DataTable)
        await pilot.press("G")  # the rarest group, then back to the biggest
        assert table.cursor_row == len(stack.rows) - 1 > 0
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is not stack and isinstance(app.screen, View))
        group_view = app.screen
        await wait_for(pilot, lambda: group_view.selection is not None  # type: ignore[attr-defined]
                       and group_view.selection.count() == top_count)  # type: ignore[attr-defined]
        assert f"name:={top_name}" in group_view.filter_text  # type: ignore[attr-defined]


async def stack_over_the_archive(pilot: Pilot[Any], app: AwsirApp) -> StackView:
    """Once the app's ``--source`` archive has loaded, ``:stack`` over its events."""
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                   and "loaded" in screen_text(app), "archive loaded")
    await open_view(pilot, app, "stack")
    stack = app.screen
    assert isinstance(stack, StackView)
    return stack


async def stack_by_resource(pilot: Pilot[Any], app: AwsirApp) -> StackView:
    """:stack over the app's ``--source`` archive, counted by resource (f to it)."""
    stack = await stack_over_the_archive(pilot, app)
    await wait_for(pilot, lambda: bool(stack.rows), "counted")
    for _ in range(list(STACK_FIELDS).index("resources")):
        await pilot.press("f")
    await wait_for(pilot, lambda: stack.shown.fields == ("resources",)
                   and "count by resource" in screen_text(app), "by resource")
    return stack


async def test_counts_read_with_thousands_separators_right_aligned(tmp_path: Path) -> None:
    """At a million events 361303 is hard to compare with the events view's 361,303."""
    from awsir_tui.cli import Options
    from tests.helpers_ui_events import offline_app
    from tests.test_ui_events_store import write_copies

    records = write_copies(tmp_path, copies=5)
    names = Counter(r["eventName"] for r in records)
    top_name, top_count = names.most_common(1)[0]
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        # The count lands from a thread; its table is laid out (column widths) when the
        # table next goes idle: wait for the top row drawn whole.
        await wait_for(pilot, lambda: bool(stack.rows) and any(
            top_name in line and f"{5 * top_count:,}" in line
            for line in screen_text(app).splitlines()), "counted, and drawn")
        text = screen_text(app)
        assert f"count by name \u00b7 {5 * len(records):,} events" in text
        top = next(line for line in text.splitlines() if top_name in line)
        assert f"{5 * top_count:,}" in top
        # right-aligned: the widest count's last digit is where every count's ends
        ends = {line.index(f"{5 * n:,}") + len(f"{5 * n:,}")
                for name, n in names.most_common(3)
                for line in text.splitlines()
                if f" {name} " in line and "\u2588" in line}  # rows, not the line under
        assert len(ends) == 1


async def test_back_on_stack_it_counts_the_events_views_new_filter(tmp_path: Path) -> None:
    """`:stack` is kept for the session: after the events view's filter changed, going
    back to it must count the new filter's rows, not the ones of its first opening."""
    from awsir_tui.cli import Options
    from awsir_tui.ui.events_view import EventsView
    from tests.helpers_ui_events import offline_app
    from tests.test_ui_events_store import write_copies

    records = write_copies(tmp_path, copies=2)
    failed = sum(1 for r in records if r.get("errorCode"))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "loaded" in screen_text(app), "archive loaded")
        events = app.screen
        stack = await open_view(pilot, app, "stack")
        await wait_for(pilot, lambda: f"count by name \u00b7 {2 * len(records):,} events"
                       in screen_text(app), "every event counted")
        await pilot.press("escape")
        await pilot.press("slash", *"error:*", "enter")
        await wait_for(pilot, lambda: events.filter_text == "error:*"
                       and events.table.row_count == 2 * failed, "the failed calls")
        assert await open_view(pilot, app, "stack") is stack
        await wait_for(pilot, lambda: f"count by name of error:* \u00b7 {2 * failed:,} events"
                       in screen_text(app), "the new filter counted")


class SlowTimeline(EventStore):
    """The real store, whose timeline counts wait for the test's gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()

    def timeline(self, *args: Any, **kwargs: Any) -> Any:
        self.gate.wait(30)
        return super().timeline(*args, **kwargs)


@contextlib.asynccontextmanager
async def stacking(store: SlowTimeline) -> AsyncIterator[tuple[Pilot[Any], StackView]]:
    """The stack view over ``store`` (the Stratus events), counted by event name."""
    try:
        async with viewing(store) as (pilot, _view, _store, _events):
            app = pilot.app
            await pilot.press("colon", *"stack", "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, StackView)
                        and bool(app.screen.rows), "counted by name")
            assert isinstance(app.screen, StackView)
            yield pilot, app.screen
    finally:
        store.gate.set()


async def test_enter_after_t_waits_for_the_timeline_and_opens_its_bucket() -> None:
    """t (or f, F) starts a new count, which takes a moment at a million events; Enter
    typed meanwhile was meant for the new table: it waits for it and opens the first
    bucket, where it opened a group of the counts by name being left (#5)."""
    store = SlowTimeline()
    async with stacking(store) as (pilot, stack):
        app = pilot.app
        store.gate.clear()
        await pilot.press("t")
        await pilot.pause(0.2)
        assert "counting" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen is stack  # it waits for the timeline
        store.gate.set()
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                    and app.screen_stack[-2] is stack, "the bucket's events")
        group = app.screen
        assert isinstance(group, EventsView)
        assert stack.shown.timeline
        assert group.filter_text.startswith("after:")


async def test_a_count_that_ends_after_a_newer_one_is_dropped() -> None:
    store = SlowTimeline()
    async with stacking(store) as (pilot, stack):
        store.gate.clear()
        await pilot.press("t")  # slow: waits for the gate
        await pilot.pause(0.2)
        await pilot.press("t")  # back to counts by name, which land first
        await wait_for(pilot, lambda: "count by name" in screen_text(pilot.app), "by name")
        store.gate.set()  # the timeline count ends now, too late
        await pilot.pause(0.5)
        assert not stack.shown.timeline and not stack.timeline_mode
        assert "count by name" in screen_text(pilot.app)


def test_empty_buckets_are_rows_of_zero_and_long_runs_one_row() -> None:
    hour = timedelta(hours=1)
    start = datetime(2026, 11, 26, 9, tzinfo=UTC)
    rows = [(start, 3), (start + 2 * hour, 1), (start + 10 * hour, 5), (start + 11 * hour, 2)]
    assert with_empty_buckets(rows, hour, longest=5) == [
        (start, 3), (start + hour, 0), (start + 2 * hour, 1),
        (EmptyRun(start + 3 * hour, 7), 0),
        (start + 10 * hour, 5), (start + 11 * hour, 2),
    ]
    assert with_empty_buckets([], hour) == []
    # A sparse year in weeks: a row per week with events, one per quiet stretch.
    weeks = [(start, 1), (start + timedelta(weeks=40), 1)]
    assert len(with_empty_buckets(weeks, timedelta(weeks=1))) == 3
    assert bucket_for(start, start + timedelta(days=365))[0] == "1 week"


async def test_timeline_shows_the_quiet_time_between_events(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stolen role's sessions over 5 hours in 5-minute buckets: the instance's
    agent calls in every two hours or so, then the attacker's burst. Every bucket from
    the first to the last is on screen, as 0 or within a row that says how many are
    empty; none is silently left out."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    proxy = demo.facts.proxy_instance_id
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View))
        events = await open_view(pilot, app, "events")
        assert isinstance(events, EventsView)
        await filter_read(pilot, events, f"user:={proxy} since:5h")
        assert events.selection is not None
        total = events.selection.count()
        await open_view(pilot, app, "stack")
        stack = app.screen
        assert isinstance(stack, StackView)
        await wait_for(pilot, lambda: bool(stack.rows) and not stack.timeline_mode)
        await pilot.press("t")
        await wait_for(pilot, lambda: stack.shown.timeline and bool(stack.rows), "timeline")
        assert stack.shown.bucket == timedelta(minutes=5)
        assert sum(int(str(row[1])) for row in stack.rows) == total
        # Contiguous: each row starts where the one before it (a bucket or a run) ends.
        ends = []
        for first, _count in stack.rows:
            if isinstance(first, EmptyRun):
                ends.append((first.start, first.start + first.buckets * stack.shown.bucket))
            else:
                assert isinstance(first, datetime)
                ends.append((first, first + stack.shown.bucket))
        assert all(ends[i][1] == ends[i + 1][0] for i in range(len(ends) - 1))
        runs = [row for row in stack.rows if isinstance(row[0], EmptyRun)]
        assert runs, "the quiet hours between the agent's calls"
        # The table shows the rows once it is laid out, after the count landed.
        await wait_for(pilot, lambda: "empty buckets (" in screen_text(app), "the runs drawn")
        assert "empty buckets (" in screen_text(app)
        # Enter on a quiet stretch opens nothing: there is nothing in it.
        await pilot.press("g")
        while not isinstance(stack.rows[stack.query_one(DataTable).cursor_row][0], EmptyRun):
            await pilot.press("j")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("no events" in str(n.message)
                                          for n in app._notifications), "said empty")
        assert app.screen is stack
        # Enter on the busiest bucket opens its events, from the same store.
        table = stack.query_one(DataTable)
        busiest = max(range(len(stack.rows)), key=lambda i: int(str(stack.rows[i][-1])))
        await pilot.press("g", *["j"] * busiest)
        assert table.cursor_row == busiest
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and app.screen is not events, "the bucket's events")
        bucket = app.screen
        assert isinstance(bucket, EventsView)
        start = stack.rows[busiest][0]
        assert isinstance(start, datetime)
        assert f"after:{start:%Y-%m-%dT%H:%M:%SZ}" in bucket.filter_text
        await wait_for(pilot, lambda: bucket.table.row_count == stack.rows[busiest][-1],
                       "the bucket's rows")


def test_a_timeline_recount_of_a_sorted_filter_reads_the_events_once() -> None:
    """:stack's timeline needs the count and the span before its buckets: over the
    filter the events view sorted they come from its order, so a recount is one scan
    (with a full-text term at 1M events, ~1.3 GB each). A sequence in the filter counts
    every row the store reads for it."""
    from awsir_tui.events.record import from_record
    from awsir_tui.events.sources import Selection
    from awsir_tui.ui.stack_view import Grouping, count_rows
    from tests.helpers_events import all_records

    events = [from_record(r) for r in all_records()]
    with EventStore() as store:
        store.add_events(events)
        stored = store.count()
        store.cursor().execute("CREATE SEQUENCE reads")
        where = "nextval('reads') > 0"

        def rows_read() -> int:
            row = store.cursor().execute("SELECT nextval('reads')").fetchone()
            assert row is not None
            return int(row[0]) - 1

        def reads_of(action: object) -> int:
            before = rows_read()
            assert callable(action)
            action()
            return rows_read() - before - 1

        timeline = Grouping(("event_name",), timeline=True)
        selection = Selection(store, where)
        unsorted: list[object] = []
        # Not sorted yet: the count and the span in one scan, then the timeline's.
        assert reads_of(lambda: unsorted.extend(count_rows(selection, timeline))) == 2 * stored
        assert selection.prepare() == stored  # the events view sorts what it shows
        recount: list[object] = []
        assert reads_of(lambda: recount.extend(count_rows(selection, timeline))) == stored
        assert recount == unsorted
        rows, grouping, _title, total = recount
        assert total == stored and sum(int(str(row[-1])) for row in rows) == stored
        first, last = min(e.event_time for e in events), max(e.event_time for e in events)
        assert grouping.bucket == bucket_for(first, last)[1]
        assert reads_of(lambda: store.extent(where)) == 0
        assert store.extent(where) == (stored, (first, last))


async def stack_of_the_stolen_credentials(
    pilot: Pilot[Any], app: AwsirApp, demo: DemoServer
) -> StackView:
    """`:events` filtered on the stolen instance credentials' user, read whole (a count
    while rows arrive is not one to compare), then `:stack`, its first count shown."""
    await wait_for(pilot, lambda: isinstance(app.screen, View))
    events_view = await open_view(pilot, app, "events")
    assert isinstance(events_view, EventsView)
    await pilot.press("slash", *f"user:{demo.facts.proxy_instance_id}", "enter")
    await wait_for(pilot, lambda: "user:" in events_view.filter_text
                   and events_view.selection is not None
                   and not events_view.selection.is_filling(), "the user's events read")
    stack = await open_view(pilot, app, "stack")
    assert isinstance(stack, StackView)
    await wait_for(pilot, lambda: bool(stack.rows), "the first count")
    return stack


async def test_stack_over_a_group_s_events_counts_them(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter on a group, then `:stack` again: the responder zooms in (counts the group's
    events), rather than being taken back to the first stack with the group closed."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        first = await stack_of_the_stolen_credentials(pilot, app, demo)
        await pilot.press("enter")  # the biggest group's events
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "name:=" in app.screen.filter_text, "the group's events")
        group = app.screen
        assert isinstance(group, EventsView)
        await wait_for(pilot, lambda: group.selection is not None and group.table.row_count > 0)
        second = await open_view(pilot, app, "stack")
        assert isinstance(second, StackView) and second is not first
        await wait_for(pilot, lambda: bool(second.rows), "the group's count")
        assert second.base_filter == group.filter_text
        assert sum(int(str(row[-1])) for row in second.rows) == group.table.row_count
        # `:` to it from a view over it goes back to it: no copies pile up behind Esc.
        await open_view(pilot, app, "findings")
        assert await open_view(pilot, app, "stack") is second
        assert [type(s) for s in app.screen_stack[app.screen_stack.index(group):]] == [
            EventsView, StackView]
        await pilot.press("escape")  # back to the group's events, still open
        await wait_for(pilot, lambda: app.screen is group, "the group's events again")
        await open_view(pilot, app, "findings")  # detections over the group's events too
        await wait_for(pilot, lambda: "name:=" in screen_text(app), "findings over the group")


async def test_G_and_enter_typed_at_once_open_the_last_group(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over SSH `G⏎` can arrive in one read. Enter is a priority key (over the table's
    own), run as it arrives, while G still waits in the table's queue: it opened the
    first group, not the rarest one the responder went to."""
    from textual import events

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_of_the_stolen_credentials(pilot, app, demo)
        await wait_for(pilot, lambda: len(stack.rows) > 1, "several groups")
        rarest = str(stack.rows[-1][0])
        app.post_message(events.Key("G", "G"))
        app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "a group's events")
        assert app.screen.filter_text.endswith(f"name:={rarest}")


async def test_counts_stay_on_screen_with_two_wide_fields_at_80(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted by user agent and event name, the counts were pushed past 80 columns
    (`l` three times to see them): the counts are the point of the view."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_of_the_stolen_credentials(pilot, app, demo)
        await pilot.press(*"f" * 6, "F")  # agent, then name
        await wait_for(pilot, lambda: stack.shown.fields == ("user_agent", "event_name")
                       and bool(stack.rows), "counted by agent and name")
        agent, top_count = str(stack.rows[0][0]), int(str(stack.rows[0][-1]))
        await wait_for(pilot, lambda: any(
            line.lstrip().startswith(f"{top_count:,} ") and agent[:20] in line
            for line in screen_text(app).splitlines()), "the top group's count on screen")


async def test_stack_counts_by_account_and_opens_one(tmp_path: Path) -> None:
    """An organization trail holds several accounts' logs: `f` reaches `account`, and
    Enter on one filters the events to it."""
    import json

    from awsir_tui.cli import Options
    from tests.helpers_events import all_records
    from tests.helpers_ui_events import offline_app

    records = all_records()
    other = [dict(r, recipientAccountId="222233334444") for r in records[:7]]
    (tmp_path / "org.json").write_text(json.dumps({"Records": records[7:] + other}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        await wait_for(pilot, lambda: bool(stack.rows), "the first count")
        for _ in range(len(STACK_FIELDS)):
            if "count by account" in screen_text(app):
                break
            await pilot.press("f")
            await pilot.pause(0.1)
        await wait_for(pilot, lambda: "count by account" in screen_text(app)
                       and "222233334444" in screen_text(app), "counted by account")
        row = next(line for line in screen_text(app).splitlines() if "222233334444" in line)
        assert row.split()[0] == "7"
        index = next(i for i, group in enumerate(stack.rows) if "222233334444" in group)
        await pilot.press("g", *["j"] * index, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "account:=222233334444" in app.screen.filter_text, "its events")
        await wait_for(pilot, lambda: "7 events" in screen_text(app), "the 7 events")


async def test_a_case_left_on_stack_reopens_it_counting_the_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case left on `:stack` over archives reopens there, the stack pushed right after
    the events view, before that view had its rows: it said "no events loaded" and
    never looked again."""
    from awsir_tui.case import Case, CaseStore
    from awsir_tui.cli import Options
    from tests.helpers_ui_events import offline_app
    from tests.test_ui_events_store import write_copies

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "logs"
    folder.mkdir()
    records = write_copies(folder, copies=1)
    case = Case("placed")
    case.place = {"view": "stack", "arguments": {}, "archive": True}
    CaseStore().save(case)
    app = offline_app(Options(sources=[str(folder)], case="placed"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StackView), ":stack reopened")
        await wait_for(pilot, lambda: f"count by name \u00b7 {len(records):,} events"
                       in screen_text(app), "the archive counted")
        assert "no events loaded" not in screen_text(app)


async def test_the_timeline_leaves_undated_events_out_and_says_so(tmp_path: Path) -> None:
    """Records with no usable time are kept as 1970-01-01: the timeline began with
    them, then '2,843 empty buckets (19901 days)' before the real events."""
    import json

    from awsir_tui.cli import Options
    from tests.helpers_events import all_records
    from tests.helpers_ui_events import offline_app

    records = all_records()
    undated = {k: v for k, v in records[0].items() if k != "eventTime"}
    undated["eventID"] = "undated-1"
    (tmp_path / "logs.json").write_text(json.dumps({"Records": [*records, undated]}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        await pilot.press("t")
        await wait_for(pilot, lambda: stack.shown.timeline
                       and "1 undated event left out: before:1971-01-01" in screen_text(app),
                       "the timeline, undated said")
        assert f"{len(records):,} events" in screen_text(app)
        assert "1970" not in screen_text(app)
        first = stack.rows[0][0]
        assert getattr(first, "start", first).year >= 2020


async def test_f_never_counts_a_field_against_itself(tmp_path: Path) -> None:
    """With a second field, f cycled the first through every field, the second's too:
    'count by key and key' counted each key against itself."""
    from awsir_tui.cli import Options
    from awsir_tui.ui.stack_view import STACK_FIELDS
    from tests.helpers_ui_events import offline_app
    from tests.test_ui_events_store import write_copies

    write_copies(tmp_path, copies=1)
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        stack = await stack_over_the_archive(pilot, app)
        await pilot.press("F")
        await wait_for(pilot, lambda: len(stack.fields) == 2, "a second field")
        second = stack.fields[1]
        firsts = []
        for _ in range(len(STACK_FIELDS)):
            await pilot.press("f")
            firsts.append(stack.fields[0])
            assert stack.fields[1] == second
        assert second not in firsts
        assert set(firsts) == set(STACK_FIELDS) - {second}  # every other field comes
