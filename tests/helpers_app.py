"""Starting the whole app on the demo account for Pilot tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from textual.app import App
from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.regions import RegionsView
from awsir_tui.ui.registry import resolve

S = TypeVar("S", bound=Screen[Any])


def demo_context(
    demo: DemoServer, allow_actions: bool = False, endpoint_url: str | None = None
) -> AwsContext:
    """A fresh context (own clients, own call journal) on every demo region, built as
    ``awsir_tui.cli.connect`` builds it; ``endpoint_url`` to go through a proxy."""
    return AwsContext(
        AwsTarget(
            regions=tuple(demo.regions),
            endpoint_url=endpoint_url or demo.endpoint_url,
            allow_actions=allow_actions,
            static_credentials=("testing", "testing"),
        )
    )


def demo_app(
    demo: DemoServer, allow_actions: bool = False, first_view: str = "instances",
    **options: object,
) -> AwsirApp:
    """The app as `awsir-tui --demo` builds it, read-only unless ``allow_actions``."""
    return AwsirApp(
        Options(demo=True, allow_actions=allow_actions, **options),  # type: ignore[arg-type]
        demo_context(demo, allow_actions),
        first_view=first_view,
    )


def holds(condition: Callable[[], object]) -> bool:
    """Whether ``condition`` holds; not yet while it asks for a widget its screen has
    not composed (a view pushed a moment ago mounts its children on a later frame)."""
    try:
        return bool(condition())
    except NoMatches:
        return False


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], object], what: str = "the condition",
    seconds: float = 120,
) -> None:
    """Let the app work (workers, timers, the demo over HTTP) until ``condition`` holds.

    A wait, not a speed assertion: ``seconds`` is generous, and a failure shows the
    screen and the notifications, which usually say why.
    """
    deadline = time.monotonic() + seconds
    while not holds(condition):
        if time.monotonic() > deadline:
            notes = [str(n.message) for n in pilot.app._notifications]
            raise AssertionError(
                f"never happened within {seconds:g} s: {what}\n{screen_text(pilot.app)}\n{notes}"
            )
        await pilot.pause(0.05)


async def said_after(
    pilot: Pilot[Any], app: App[Any], key: str, ignore: str | None = None,
) -> str:
    """Press ``key``; the first notification it raises whose text lacks ``ignore`` (say,
    an account's failure to answer that may come meanwhile).

    New toasts are known by identity, not by a count: on a slow machine an earlier
    toast can expire while the key is handled and leave the count where it was.
    """
    earlier = {note.identity for note in app._notifications}

    def answer() -> str:
        fresh = [str(n.message) for n in app._notifications if n.identity not in earlier]
        return next((message for message in fresh
                     if ignore is None or ignore not in message), "")

    await pilot.press(key)
    await wait_for(pilot, answer, f"what {key} says")
    return answer()


def composed(app: App[Any], kind: type[S], selector: str) -> S | None:
    """The screen on top if it is a ``kind`` whose ``selector`` widget exists, else None:
    a pushed screen is on top a moment before its widgets are composed."""
    screen = app.screen
    return screen if isinstance(screen, kind) and screen.query(selector) else None


async def help_shown(pilot: Pilot[Any], app: App[Any]) -> str:
    """``?`` pressed: the help's text once it is drawn, its runs of blanks made one (the
    help reflows each paragraph to the screen's width)."""
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
    assert isinstance(app.screen, HelpScreen)
    return " ".join(app.screen.body.plain.split())


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


def saved_path(notice: str) -> Path:
    """The file a yank's notice says it saved, put back together: the notice breaks
    its path after a ``/`` to fit the toast (ui/path_lines)."""
    return Path(notice.split("saved to", 1)[1].replace("\n", "").strip())


async def regions_listed(pilot: Pilot[Any], app: App[Any]) -> RegionsView:
    """`:regions` on screen (the first view) with the account's regions listed."""
    await wait_for(pilot, lambda: isinstance(app.screen, RegionsView), "the regions view")
    view = app.screen
    assert isinstance(view, RegionsView)
    await wait_for(pilot, lambda: view.query_one(DataTable).row_count > 15,
                   "the account's regions")
    return view
