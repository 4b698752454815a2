"""A responder handed only logs (``--source``, no account): `:posture`, `:instances` and
`:sg` say that nothing was read and why, never "0 of 0" alone nor "no gaps", which read
as an account checked and clean. And an account whose every region failed is not said
to have no gaps either. Keys pressed at 80x24, on an endpoint nobody answers."""

from __future__ import annotations

from textual.widgets import Static

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.posture import PostureView
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_events import SHARED
from tests.helpers_ui_events import account_ready, offline_app

ARCHIVE = str(SHARED)
NO_ACCOUNT = "no AWS account (unreachable; archives only)"


def archives_only_app() -> AwsirApp:
    """As `awsir-tui --source DIR` starts with no working account and no --regions:
    the identity fails, no region is listed, the archive's events open."""
    ctx = AwsContext(AwsTarget(static_credentials=("x", "y"),
                               endpoint_url="http://127.0.0.1:9"))
    return AwsirApp(Options(sources=[ARCHIVE]), ctx)


def status_of(app: AwsirApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_archives_only_posture_and_lists_say_nothing_was_read_and_why() -> None:
    app = archives_only_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView)
                       and "no account (unreachable)" in screen_text(app), "the archive")
        view = await open_view(pilot, app, "posture")
        assert isinstance(view, PostureView)
        said = f"nothing checked: {NO_ACCOUNT}"
        await wait_for(pilot, lambda: said in screen_text(app), "posture's reason")
        await pilot.press("r")
        await pilot.pause()
        assert status_of(app, "#posture-summary") == said
        assert "no gaps" not in screen_text(app)
        for name, noun in (("instances", "instances"), ("sg", "groups")):
            await open_view(pilot, app, name)
            said = f"no {noun} read: {NO_ACCOUNT}"
            await wait_for(pilot, lambda said=said: said in screen_text(app), f":{name}")
            await pilot.press("r")
            await pilot.pause()
            assert status_of(app, "#ec2-status").startswith(said)
            assert "0 of 0" not in screen_text(app)


async def test_posture_with_every_region_failed_says_nothing_checked() -> None:
    """A region named but unreachable (as denied or throttled everywhere): what posture
    learned is nothing, not that there are no gaps."""
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "the first view")
        view = await open_view(pilot, app, "posture")
        assert isinstance(view, PostureView)
        await wait_for(pilot, lambda: view.results and all(
            p is not None or f is not None for p, f in view.results.values()),
            "the region's answer")
        await pilot.pause()
        summary = status_of(app, "#posture-summary")
        assert summary.startswith("0 of 1 regions checked, 1 failed; nothing checked")
        assert "no gaps" not in screen_text(app)
