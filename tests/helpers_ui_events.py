"""Pilot helpers shared by the events viewer's UI tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from tests.helpers_app import screen_text


def offline_app(options: Options | None = None) -> AwsirApp:
    """The app on an endpoint nobody answers: for events views over a store or files,
    which need no account."""
    ctx = AwsContext(AwsTarget(regions=("eu-west-1",), static_credentials=("x", "y"),
                               endpoint_url="http://127.0.0.1:9"))
    return AwsirApp(options or Options(), ctx, first_view="regions")


def account_ready(app: AwsirApp) -> bool:
    """The first view is up and the start-up worker (which may reopen a place) is done."""
    starting = [w for w in app.workers if w.group == "account" and not w.is_finished]
    return app.screen.__class__.__name__ == "RegionsView" and not starting


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition`` holds (a wait, not a speed assertion)."""
    for _ in range(1200):
        if condition():
            return
        await pilot.pause(0.05)
    notes = [n.message for n in pilot.app._notifications]
    raise AssertionError(f"never happened: {what}\n{screen_text(pilot.app)}\n{notes}")
