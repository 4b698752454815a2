"""`:indicators` dates an indicator by the loaded events naming it (#5, known, not
done): an access key marked from a `:stack` group of the Stratus archive had no first
or last seen at all, the case holding none of its events; a responder writing the
timeline needs how many loaded events name it and when the key was first and last used.
The count and times are checked against the raw records, read with plain json."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from awsir_tui.app import AwsirApp
from awsir_tui.cli import Options
from awsir_tui.events.record import Event
from awsir_tui.events.store import EventStore
from awsir_tui.ui.case_views import IndicatorsView
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import open_view, said_after, screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import archive_loaded, offline_app, stack_over_an_archive


def key_of(record: dict[str, Any]) -> str:
    identity = record.get("userIdentity") or {}
    return str(identity.get("accessKeyId") or "")


async def test_an_access_key_marked_from_stack_has_its_loaded_events_count_and_span(
    tmp_path: Path,
) -> None:
    records = all_records()
    async with stack_over_an_archive(tmp_path) as (pilot, app, stack):
        await pilot.press("f", "f")  # name, user, key
        await wait_for(pilot, lambda: "count by key" in screen_text(app) and bool(stack.rows)
                       and stack.shown.fields == ("access_key_id",), "counted by key")
        key = str(stack.rows[0][0])
        assert (await said_after(pilot, app, "m")).endswith(f"marked access-key {key}")

        # Independently: the raw records whose caller used that key.
        times = sorted(r["eventTime"] for r in records if key_of(r) == key)
        first, last = times[0].replace("T", " ")[:-1], times[-1].replace("T", " ")[:-1]
        assert first[:10] == last[:10]  # the pane gives the last time's date once
        expected = f"loaded    {len(times)} events, {first} \u2013 {last[11:]} UTC"

        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        await wait_for(pilot, lambda: expected in screen_text(app), expected)
        # The table's first/last seen: the loaded events' span, the case holding none
        # (the header gives the year: all the rows are of 2024).
        table = view.query_one(DataTable)
        row = [str(cell) for cell in table.get_row_at(table.cursor_row)]
        assert row[1] == key and row[3:5] == [first[5:16], last[5:16]], row
        assert "first seen 2024 (UTC)" in screen_text(app)


@dataclass(frozen=True)
class KeyMarked:
    """The busiest access key of the archive, marked from :stack, and one of its events
    marked in :events, by which alone the case dates the key."""

    key: str
    #: The ``eventTime`` of every record made with the key, oldest first.
    times: list[str]
    marked: Event


@asynccontextmanager
async def key_marked_twice(
    tmp_path: Path,
) -> AsyncIterator[tuple[Pilot[int], AwsirApp, KeyMarked]]:
    """The app at 80x24 over the Stratus archive (a file written in ``tmp_path``): the
    busiest key's fourth event marked in :events (inside the key's span, not at its
    ends), then the key marked from :stack."""
    records = all_records()
    (tmp_path / "logs.json").write_text(json.dumps({"Records": records}))
    key = Counter(key_of(r) for r in records if key_of(r)).most_common(1)[0][0]
    times = sorted(r["eventTime"] for r in records if key_of(r) == key)
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        events = await archive_loaded(pilot, app)
        await pilot.press("slash", *f"key:={key}", "enter")
        await wait_for(pilot, lambda: events.filter_text == f"key:={key}"
                       and events.selection is not None
                       and events.selection.count() == len(times), "the key's events")
        await pilot.press("j", "j", "j")
        await wait_for(pilot, lambda: events.event_at_cursor() is not None, "a row")
        marked = events.event_at_cursor()
        assert marked is not None
        await pilot.press("m")
        assert app.case is not None
        await wait_for(pilot, lambda: marked.event_id in app.case.case.timeline, "marked")
        assert times[0] < marked.event_time.strftime("%Y-%m-%dT%H:%M:%SZ") < times[-1]

        stack = await open_view(pilot, app, "stack")
        assert isinstance(stack, StackView)
        await pilot.press("f", "f")
        await wait_for(pilot, lambda: stack.shown.fields == ("access_key_id",)
                       and bool(stack.rows) and "count by key" in screen_text(app), "by key")
        assert stack.rows[0][0] == key
        assert (await said_after(pilot, app, "m")).endswith(f"marked access-key {key}")
        yield pilot, app, KeyMarked(key, times, marked)


async def test_a_key_the_case_dates_by_one_event_is_dated_by_all_it_loaded(
    tmp_path: Path,
) -> None:
    """The key's one event marked (the case's span: that event's time alone), then the
    key from :stack: the table gives the wider span, the loaded events'; the pane both
    apart."""
    async with key_marked_twice(tmp_path) as (pilot, app, marks):
        key, times = marks.key, marks.times
        first, last = times[0].replace("T", " ")[:-1], times[-1].replace("T", " ")[:-1]
        at = marks.marked.event_time.strftime("%Y-%m-%d %H:%M:%S")
        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        await pilot.press("g")  # the access key sorts before the event's ID
        loaded = f"loaded    {len(times)} events, {first} \u2013 {last[11:]} UTC"
        await wait_for(pilot, lambda: loaded in screen_text(app), loaded)
        assert f"first     {at}Z  last {at}Z" in screen_text(app)
        table = view.query_one(DataTable)
        row = [str(cell) for cell in table.get_row_at(table.cursor_row)]
        assert row[1] == key and row[3:5] == [first[5:16], last[5:16]], row


async def test_a_count_the_store_fails_is_said_once_and_the_table_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store failing under the count (a disk gone) is said, once, and the rows and
    the counts already shown stay; an indicator not counted says so in the pane."""
    records = all_records()
    keys = [key for key, _ in Counter(key_of(r) for r in records if key_of(r)).most_common(3)]
    async with stack_over_an_archive(tmp_path) as (pilot, app, stack):
        await pilot.press("f", "f")
        await wait_for(pilot, lambda: stack.shown.fields == ("access_key_id",)
                       and [row[0] for row in stack.rows[:3]] == keys, "by key")
        assert (await said_after(pilot, app, "m")).endswith(keys[0])
        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)
        count = sum(key_of(r) == keys[0] for r in records)
        await wait_for(pilot, lambda: f"loaded    {count} events" in screen_text(app))
        table = view.query_one(DataTable)
        counted = [str(cell) for cell in table.get_row_at(0)]

        def failing(*_args: object, **_kwargs: object) -> None:
            raise duckdb.IOException("the disk went away")

        monkeypatch.setattr(EventStore, "dated_extent", failing)
        said: dict[object, str] = {}  # each notice once, taken before it times out
        for key in keys[1:]:  # each new mark, each return: a count, failing alike
            await open_view(pilot, app, "stack")
            await pilot.press("j")
            assert (await said_after(pilot, app, "m")).endswith(key)
            await open_view(pilot, app, "indicators")
            await wait_for(pilot, lambda k=key: table.row_count == keys.index(k) + 1
                           and "not counted" in str(view.query_one(
                               "#indicators-status", Static).render()), "the failure")
            said |= {n.identity: str(n.message) for n in app._notifications
                     if "not counted" in str(n.message)}
        assert list(said.values()) == [
            "the loaded events were not counted: the disk went away"], said
        rows = {str(table.get_row_at(n)[1]): [str(c) for c in table.get_row_at(n)]
                for n in range(table.row_count)}
        assert rows[keys[0]] == counted  # the count shown before stays
        await pilot.press("G")
        await wait_for(pilot, lambda: "not counted: the store failed" in screen_text(app))
