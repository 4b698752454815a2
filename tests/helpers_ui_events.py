"""Pilot helpers shared by the events viewer's UI tests."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.record import from_record
from awsir_tui.events.sources import LookupFeed
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.regions import RegionsView
from awsir_tui.ui.stack_view import StackView
from tests.helpers_app import demo_app, open_view, screen_text, wait_for
from tests.helpers_events import all_records, federation_token_record


def hold_history_reads(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Event history reads wait for the returned gate before their first call: a list or
    :findings stays ``starting…``. The test sets it before its app ends (a read held
    keeps the app from ending)."""
    gate = threading.Event()
    run = LookupFeed.run

    def held_run(feed: LookupFeed, *args: Any, **kwargs: Any) -> Any:
        gate.wait(60)
        return run(feed, *args, **kwargs)

    monkeypatch.setattr(LookupFeed, "run", held_run)
    return gate


def offline_app(options: Options | None = None) -> AwsirApp:
    """The app on an endpoint nobody answers: for events views over a store or files,
    which need no account."""
    ctx = AwsContext(AwsTarget(regions=("eu-west-1",), static_credentials=("x", "y"),
                               endpoint_url="http://127.0.0.1:9"))
    return AwsirApp(options or Options(), ctx, first_view="regions")


async def federation_token_page(pilot: Pilot[Any], app: AwsirApp) -> EventDetailView:
    """An :func:`offline_app`'s first view up, the page of a GetFederationToken event
    (tests/helpers_events.py) opened over it, its tree drawn."""
    await wait_for(pilot, lambda: account_ready(app), "regions")
    page = EventDetailView(from_record(federation_token_record()))
    await app.push_screen(page)
    await wait_for(pilot, lambda: "requestParameters" in screen_text(app), "the event's tree")
    return page


def account_ready(app: AwsirApp) -> bool:
    """The first view is up and the start-up worker (which may reopen a place) is done."""
    starting = [w for w in app.workers if w.group == "account" and not w.is_finished]
    return app.screen.__class__.__name__ == "RegionsView" and not starting


async def archive_loaded(pilot: Pilot[Any], app: AwsirApp) -> EventsView:
    """The events view an app started with ``--source`` opens on, once its load is done
    (its summary says "loaded"; the progress says "stored") and the case is open."""
    await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                   and "loaded" in screen_text(app) and app.case is not None, "archive loaded")
    view = app.screen
    assert isinstance(view, EventsView)
    return view


def status_line(view: EventsView) -> str:
    """The events view's whole status line, the part past 80 columns too."""
    return str(view.query_one("#events-progress", Static).render())


def history_read(view: EventsView) -> bool:
    """The view's Event history read has stopped with every region answered (or failed):
    its count and its status line are final."""
    progress = view._progress
    return (progress is not None and not progress.running
            and progress.regions_done == progress.regions)


async def filter_read(pilot: Pilot[Any], view: EventsView, typed: str,
                      seconds: float = 120) -> None:
    """``typed`` as the view's filter (``/``, what was in the bar cleared), and its
    Event history read to the end."""
    await pilot.press("slash", "ctrl+a", "ctrl+k", *typed, "enter")
    await wait_for(pilot, lambda: view.filter_text == typed and history_read(view),
                   f"the read of {typed!r}", seconds=seconds)


@asynccontextmanager
async def stack_over_an_archive(
    tmp_path: Path,
) -> AsyncIterator[tuple[Pilot[int], AwsirApp, StackView]]:
    """The app at 80x24 started with ``--source`` on the demo scenario's records (a
    file written in ``tmp_path``), and :stack opened over them once they are loaded."""
    (tmp_path / "logs.json").write_text(json.dumps({"Records": all_records()}))
    app = offline_app(Options(sources=[str(tmp_path)]))
    async with app.run_test(size=(80, 24)) as pilot:
        await archive_loaded(pilot, app)
        stack = await open_view(pilot, app, "stack")
        assert isinstance(stack, StackView)
        yield pilot, app, stack


@asynccontextmanager
async def events_on_the_demo(
    demo: DemoServer,
) -> AsyncIterator[tuple[Pilot[int], AwsirApp, EventsView]]:
    """The app at 80x24 on the demo account, :events opened from :regions (a first
    view that reads nothing the events would wait behind)."""
    app = demo_app(demo, first_view="regions")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, RegionsView), "regions")
        view = await open_view(pilot, app, "events")
        assert isinstance(view, EventsView)
        yield pilot, app, view
