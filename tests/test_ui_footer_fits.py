"""The footer shows the keys that fit whole (Textual Pilot, the demo account).

At 80 columns the footer's last key was cut at the `^p keys` edge (`E Event▏`,
`r Recoun▏`): a responder reads that as a broken key. The keys that do not fit are left
out (`?` and Ctrl+P still list them); a wider terminal shows them all.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.base import View
from awsir_tui.ui.ec2_instances import InstancesView
from tests.helpers_app import composed, demo_app, open_view, screen_text, wait_for
from tests.helpers_ec2 import open_instance_details


def footer_keys(app: AwsirApp) -> list[FooterKey]:
    """The view's keys in the footer's order, without the palette key docked at its
    right ([] before the footer lists them)."""
    keys = app.screen.query_one(Footer).query(FooterKey)
    return [key for key in keys if not key.has_class("-command-palette")]


def label(key: FooterKey) -> str:
    return f"{key.key_display} {key.description}"


def shown(app: AwsirApp) -> list[str]:
    """The labels of the keys in sight (a view is on top a moment before its footer is
    composed: :func:`footer_drawn` waits for it)."""
    return [label(key) for key in footer_keys(app) if key.visible]


async def footer_drawn(pilot: Pilot[int], app: AwsirApp) -> str:
    """Once the view's footer lists its keys (it is drawn a moment after the view), its
    line on screen."""
    await wait_for(pilot, lambda: composed(app, View, "Footer") and "? Help" in shown(app),
                   "the view's keys in its footer")
    await pilot.pause()
    return screen_text(app).splitlines()[-1]


async def assert_no_key_cut(pilot: Pilot[int], app: AwsirApp) -> list[str]:
    """Every key in sight is whole on screen and ends before the palette key; ? Help
    among them. The labels left out."""
    line = await footer_drawn(pilot, app)
    keys = footer_keys(app)
    palette = app.screen.query_one(Footer).query_one(".-command-palette")
    for key in keys:
        if key.visible:
            assert label(key) in line, (label(key), line)
            assert key.region.right <= palette.region.x, (label(key), line)
    assert "? Help" in shown(app) and "^p keys" in line
    return [label(key) for key in keys if not key.visible]


async def test_at_80_columns_no_key_is_cut_and_at_200_all_show(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "instances")
        await assert_no_key_cut(pilot, app)
        await open_view(pilot, app, "events")
        left_out = await assert_no_key_cut(pilot, app)
        assert left_out  # :events has more keys than 80 columns hold
        await pilot.resize_terminal(200, 24)
        await wait_for(pilot, lambda: not [key for key in footer_keys(app)
                                           if not key.visible], "every key in sight")
        line = await footer_drawn(pilot, app)
        assert all(key in line for key in left_out), line
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: len(footer_keys(app)) - len(shown(app))
                       == len(left_out), "the same keys left out again")
        assert await assert_no_key_cut(pilot, app) == left_out


async def test_an_instance_page_shows_whole_keys_at_80_and_every_key_at_200(
    demo: DemoServer,
) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_instance_details(pilot, app, demo.facts.malicious_instance_id)
        assert await assert_no_key_cut(pilot, app)
    app = demo_app(demo)
    async with app.run_test(size=(200, 24)) as pilot:
        await open_instance_details(pilot, app, demo.facts.malicious_instance_id)
        assert await assert_no_key_cut(pilot, app) == []
