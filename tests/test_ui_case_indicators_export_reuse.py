"""`x` in :indicators takes the pane's counts of the loaded events where they are still
current (#5): it counted every indicator again, one store query each (~0.5 s per
full-text indicator at a million events), with the pane's counts of the same load on
screen. An indicator marked since, or a load since, is counted afresh; the figures and
their verdict are those a fresh count gives. Over the Stratus records
(/work/shared/data/cloudtrail), the store's counting calls counted by a thin wrapper
that still makes them."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.case.loaded import LoadedCounts
from awsir_tui.events.naming import loaded_counts, naming_filters
from awsir_tui.events.store import EventStore
from awsir_tui.ui.case_views import IndicatorsView
from tests.helpers_app import open_view, said_after, screen_text, wait_for
from tests.helpers_events import all_records
from tests.helpers_ui_events import stack_over_an_archive
from tests.test_ui_case_export import exported_files


def store_counts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The parameters of each count the store is asked for from now on (the real
    :meth:`EventStore.dated_extent`, called all the same)."""
    calls: list[tuple[Any, ...]] = []
    real = EventStore.dated_extent

    def counted(store: EventStore, where_sql: str = "TRUE",
                params: Any = ()) -> tuple[int, tuple[datetime, datetime] | None]:
        calls.append(tuple(params))
        return real(store, where_sql, params)

    monkeypatch.setattr(EventStore, "dated_extent", counted)
    return calls


def busiest_ip() -> str:
    """The Stratus records' busiest source address, read with plain json."""
    return Counter(r["sourceIPAddress"] for r in all_records()).most_common(1)[0][0]


@asynccontextmanager
async def counted_indicators(
    tmp_path: Path,
) -> AsyncIterator[tuple[Pilot[int], AwsirApp, IndicatorsView]]:
    """The app at 80x24 over the Stratus records and a log of one cut short beside them
    (skipped, nothing kept: L has a part to go on with), its two busiest keys marked from :stack,
    :indicators open with their loaded events counted."""
    whole = gzip.compress(json.dumps({"Records": all_records()[:1]}).encode())
    (tmp_path / "cut.json.gz").write_bytes(whole[:40])  # before its first record's end
    async with stack_over_an_archive(tmp_path) as (pilot, app, stack):
        await pilot.press("f", "f")
        await wait_for(pilot, lambda: stack.shown.fields == ("access_key_id",)
                       and len(stack.rows) >= 2, "the keys")
        await said_after(pilot, app, "m")
        await pilot.press("j")
        await said_after(pilot, app, "m")
        view = await open_view(pilot, app, "indicators")
        assert isinstance(view, IndicatorsView)

        def counted() -> bool:
            filters = naming_filters(view._shown)
            return (len(filters) == 2 and view._counting is None
                    and set(view._loaded) == set(filters) and "loaded " in screen_text(app))

        await wait_for(pilot, counted, "the keys' loaded events counted")
        yield pilot, app, view


def fresh_count(app: AwsirApp) -> LoadedCounts:
    """Every indicator of the case counted now, as an export before this change did."""
    assert app.case is not None and app.archive is not None
    return loaded_counts(app.case.snapshot().indicators.values(), app.archive)


def assert_as_fresh(files: dict[str, str], fresh: LoadedCounts) -> None:
    """The exported JSON's counts, times, where and verdict are ``fresh``'s."""
    data = json.loads(files["json"])
    assert (data["loaded_from"], data["loaded_so_far"], data["loaded_coverage"]) == (
        fresh.where, fresh.so_far, fresh.coverage)
    assert fresh.coverage.startswith("PARTIAL"), fresh.coverage  # the cut log skipped
    for item in data["indicators"]:
        loaded = fresh.counts.get((item["kind"], item["value"]))
        assert loaded is not None, item
        exported = (item["loaded_events"], item["loaded_first"], item["loaded_last"])
        assert exported[0] == loaded.count > 0, item
        assert [datetime.fromisoformat(t) for t in exported[1:]] == [loaded.first,
                                                                     loaded.last], item


async def export(pilot: Pilot[Any], app: AwsirApp) -> dict[str, str]:
    """x, once the notices of any export before are gone, and the files it wrote."""
    assert app.case is not None
    app.clear_notifications()
    return await exported_files(pilot, app.case)


async def test_x_counts_only_the_indicators_the_pane_has_no_current_count_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The two keys' counts on screen, of the load as it is: x asks the store for none.
    An address marked since (the rows not read again): x counts that one alone. Each
    time the figures are a fresh count's."""
    async with counted_indicators(tmp_path) as (pilot, app, _view):
        calls = store_counts(monkeypatch)
        files = await export(pilot, app)
        assert calls == []
        assert_as_fresh(files, fresh_count(app))

        assert app.case is not None
        ip = busiest_ip()
        app.case.mark(ip, source="test", kind="ip")
        calls.clear()
        files = await export(pilot, app)
        assert len(calls) == 1 and ip in calls[0], calls
        fresh = fresh_count(app)
        assert len(fresh.counts) == 3
        assert_as_fresh(files, fresh)


async def test_x_counts_every_indicator_again_after_a_load_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The load gone on with (L: the skipped log tried again) after the pane counted:
    its counts are of a load that has moved, and x counts each indicator afresh."""
    async with counted_indicators(tmp_path) as (pilot, app, _view):
        archive = app.archive
        assert archive is not None and archive.to_continue()
        await asyncio.to_thread(archive.load, again=True)
        assert archive.report is not None
        calls = store_counts(monkeypatch)
        files = await export(pilot, app)
        assert len(calls) == 2, calls
        assert_as_fresh(files, fresh_count(app))
