"""Starting the whole app on the demo account for Pilot tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.registry import resolve


def demo_app(demo: DemoServer, allow_actions: bool = False, **options: object) -> AwsirApp:
    """The app as `awsir-tui --demo` builds it, with its own context (own call journal)."""
    ctx = AwsContext(
        AwsTarget(
            regions=tuple(demo.regions),
            endpoint_url=demo.endpoint_url,
            allow_actions=allow_actions,
            static_credentials=("testing", "testing"),
        )
    )
    return AwsirApp(Options(demo=True, allow_actions=allow_actions, **options), ctx)  # type: ignore[arg-type]


async def wait_for(
    pilot: Pilot[object], condition: Callable[[], bool], seconds: float = 20
) -> None:
    """Let the app work (workers, timers) until ``condition`` holds; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {seconds}s")
        await pilot.pause(0.05)


def screen_text(app: App[Any]) -> str:
    """Everything the terminal shows now, as plain text lines (what a responder reads)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def open_view(pilot: Pilot[object], app: AwsirApp, name: str) -> View:
    """`:` and a view's name typed at once, as a responder types it; the view opened
    (or gone back to: `:` to a view already open returns to it)."""
    before = app.screen
    resolved = resolve(name)
    await pilot.press("colon", *name, "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, View) and (
        app.screen is not before or app.screen.top_level == resolved))
    assert isinstance(app.screen, View)
    return app.screen
