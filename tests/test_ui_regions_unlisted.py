"""The app's regions when the account will not list them, as the commands decide them
(``AwsContext.regions_to_read``): DescribeRegions refused or throttled, the home region
is read and every Event history read of it says it is not every region; any other
failure reads no region and says why. Keys pressed on the demo account, 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.app import AwsirApp
from awsir_tui.aws.context import AwsContext, AwsTarget
from awsir_tui.cli import Options
from awsir_tui.demo.server import DemoServer
from awsir_tui.events.coverage import sidecar_path
from awsir_tui.ui.events_view import EventsView
from tests.helpers_app import composed, screen_text, wait_for
from tests.helpers_regions import refuse_describe_regions


def every_region_app(endpoint_url: str) -> AwsirApp:
    """The app with no --regions (every region asked) on ``endpoint_url``, opening on
    Event history."""
    ctx = AwsContext(AwsTarget(endpoint_url=endpoint_url,
                               static_credentials=("testing", "testing")))
    return AwsirApp(Options(), ctx, first_view="events")


def notes(app: AwsirApp, title: str) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == title]


@pytest.fixture
def home(demo: DemoServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """DescribeRegions refused; the proxy's region (which has events) the home one."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", demo.facts.proxy_region)
    refuse_describe_regions(monkeypatch)
    return demo.facts.proxy_region


async def test_regions_refused_read_the_home_region_and_say_so(
    demo: DemoServer, home: str
) -> None:
    """The responder is told what the CLI says: the list was denied, the home region
    alone is read; and the read keeps why, for its export. The app read the home region
    as if it were every region (its export said COMPLETE)."""
    app = every_region_app(demo.endpoint_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: notes(app, "regions not listed"), "the notice")
        assert notes(app, "regions not listed") == [
            "denied: You are not authorized to perform this operation.: "
            f"reading {home} only; --regions names others"]
        await wait_for(pilot, lambda: (view := composed(app, EventsView, "VirtualTable"))
                       is not None and view.selection is not None
                       and view.selection.feed is not None, "the read")
        view = app.screen
        assert isinstance(view, EventsView) and view.selection and view.selection.feed
        lookup = view.selection.feed.lookup
        assert lookup.regions == [home]
        assert lookup.unlisted == f"regions not listed (denied): {home} only"
        await wait_for(pilot, lambda: view.table.row_count > 0, "the home region's events")
        assert " 1 region " in screen_text(app)


async def test_an_export_of_the_home_region_alone_says_partial(
    demo: DemoServer, home: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `awsir-tui events --output` says it: PARTIAL, the regions not listed."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path))
    app = every_region_app(demo.endpoint_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: (view := composed(app, EventsView, "VirtualTable"))
                       is not None and view._progress is not None
                       and not view._progress.running and view.table.row_count > 0,
                       "the read done")
        await pilot.press("x")
        await wait_for(pilot, lambda: list(tmp_path.glob("events-*.jsonl")), "the export")
        (path,) = tmp_path.glob("events-*.jsonl")
        await wait_for(pilot, lambda: sidecar_path(path).exists(), "the coverage")
    text = sidecar_path(path).read_text()
    assert text.startswith(f"coverage: PARTIAL: regions not listed (denied): {home} only")


async def test_regions_that_cannot_be_listed_for_another_reason_are_not_read() -> None:
    """No network (no credentials alike): every region would fail as the list did. No
    region is read and the responder is told why; the home region read alone passed for
    every region once the network or the credentials came back."""
    app = every_region_app("http://127.0.0.1:9")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: notes(app, "regions not listed"), "the notice")
        [note] = notes(app, "regions not listed")
        assert note.startswith("unreachable: Could not connect to the endpoint URL")
        assert note.endswith(": no region is read; once that is fixed, :regions lists them")
        await wait_for(pilot, lambda: " 0 regions " in screen_text(app), "the header")
        assert app.regions == []
