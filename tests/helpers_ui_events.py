"""Pilot helpers shared by the events viewer's UI tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp


def account_ready(app: AwsirApp) -> bool:
    """The first view is up and the start-up worker (which may reopen a place) is done."""
    starting = [w for w in app.workers if w.group == "account" and not w.is_finished]
    return app.screen.__class__.__name__ == "RegionsView" and not starting


def screen_text(app: Any) -> str:
    """Everything on screen, as plain text (what the terminal would show)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition`` holds (a wait, not a speed assertion)."""
    for _ in range(1200):
        if condition():
            return
        await pilot.pause(0.05)
    notes = [n.message for n in pilot.app._notifications]
    raise AssertionError(f"never happened: {what}\n{screen_text(pilot.app)}\n{notes}")
