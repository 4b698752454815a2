"""Pilot helpers shared by the events viewer's UI tests."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from awsir_tui.ui.events_view import EventsView


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



async def archive_loaded(pilot: Pilot[Any], app: AwsirApp) -> EventsView:
    """The events view an app started with ``--source`` opens on, once its load is done
    (its summary says "loaded"; the progress says "stored") and the case is open."""
    from tests.helpers_app import screen_text, wait_for

    await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                   and "loaded" in screen_text(app) and app.case is not None, "archive loaded")
    view = app.screen
    assert isinstance(view, EventsView)
    return view
