"""`:findings` over many events says how far the detections are, and C stops them,
keeping the findings of the events judged so far, said partial (QA, #5: a million
events ran 45-60 s under "running detections…" alone, and C did nothing)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.detect import engine
from awsir_tui.events.record import Event
from awsir_tui.events.sources import ArchiveSource
from awsir_tui.events.store import EventStore
from awsir_tui.ui.base import View
from awsir_tui.ui.findings_view import FindingsView
from tests.helpers_app import demo_app, said_after, screen_text, wait_for
from tests.helpers_ui_events import account_ready, hold_history_reads, offline_app
from tests.test_ui_events_store import write_copies
from tests.test_ui_load_cancel import said

#: The detections judge (and report) 500 events, then wait for the next.
JUDGED = 500


class HeldEvents(EventStore):
    """The real store, whose events stop coming after :data:`JUDGED` and one more
    until the test lets them go: the detections are under way, and no faster than the
    test (a run's progress is told as it takes the event after each hundred)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def events(self, *args: Any, **kwargs: Any) -> Iterator[Event]:
        for n, event in enumerate(super().events(*args, **kwargs)):
            if n == JUDGED + 1:
                self.gate.wait(30)
            yield event


async def test_the_detections_show_progress_and_C_keeps_what_they_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 100)
    logs = tmp_path / "logs"
    logs.mkdir()
    total = 8 * len(write_copies(logs))
    store = HeldEvents()
    app = offline_app()
    app.archive = ArchiveSource([str(logs)], store)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: account_ready(app), "regions")
            await app.push_screen(FindingsView())
            await wait_for(pilot, lambda: f"{JUDGED} of {total:,} events judged"
                           in screen_text(app) and "C: cancel" in screen_text(app),
                           "the detections' progress")
            # The findings come when the run ends: Enter meanwhile is told so, not that
            # the list is empty.
            assert await said_after(pilot, app, "enter") == "no row to open yet: still reading"
            await pilot.press("C")
            await wait_for(pilot, lambda: any("cancelling the detections" in s
                                              for s in said(app)), "C said")
            store.gate.set()
            await wait_for(pilot, lambda: "detections cancelled after" in screen_text(app),
                           "the findings so far, said partial")
            text = " ".join(screen_text(app).split())
            assert f"detections cancelled after 600 of {total:,} events" in text
            assert "over 600 events" in text
            view = app.screen
            assert isinstance(view, FindingsView) and view.findings
    finally:
        store.close()


async def test_c_before_event_history_is_read_cancels_nothing(
    demo: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: C while :findings was "starting…" (its Event history read not begun)
    set the read's cancel: it then read nothing, and the findings said "0 events" as
    if the read had been stopped with what it had."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    gate = hold_history_reads(monkeypatch)
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, View), "the first view")
        await pilot.press("colon", *"findings", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FindingsView), ":findings")
        await pilot.press("C")
        assert "nothing C can cancel now" in said(app)
        gate.set()
        view = app.screen
        assert isinstance(view, FindingsView)
        await wait_for(pilot, lambda: not view.running and view.scope is not None, "the run")
        assert view.events_read > 0
