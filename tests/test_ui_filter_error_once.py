"""A refused filter shows once, where it was typed, with the caret under its bad term
(Textual Pilot, 80x24, the demo account).

The error line used to repeat the filter above its caret, so that `/launched:2h`
showed ``launched:2h`` twice: the second read as a second filter.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.filter_bar import FilterBar
from tests.helpers_app import open_view, screen_text, wait_for
from tests.helpers_ec2 import loaded_list, make_app

#: A filter longer than the input is wide at 80 columns (it scrolls).
LONG = "name:web state:running key:deploy-2025 sg:default region:eu-west-1 vpc:vpc-1 "


async def refused(
    pilot: Pilot[int], app: AwsirApp, text: str, message: str
) -> tuple[str, str]:
    """Type ``text`` in the filter bar of the view on top, Enter; the input's line and
    the line under it once ``message`` shows."""
    await pilot.press("slash", *text, "enter")
    await wait_for(pilot, lambda: message in screen_text(app).replace("\n ", " "), message)
    field = app.screen.query_one(FilterBar).query_one(Input)
    await wait_for(pilot, lambda: field.value == text and field.has_focus, "the input back")
    await pilot.pause()
    lines = screen_text(app).splitlines()
    return lines[field.region.y], lines[field.region.y + 1]


def assert_pointed(app: AwsirApp, typed: str, under: str, term: str, text: str) -> None:
    """``under`` (the line below the input ``typed``) is the caret under ``term``, and
    the filter begins one line only: the input's (when it fits in it)."""
    assert under.lstrip().startswith("^"), (typed, under)
    caret = under.index("^")
    assert typed[caret:caret + len(term)] == term, (typed, under)
    if len(text) < 78:
        lines = screen_text(app).splitlines()
        assert sum(line.startswith(f" {text}") for line in lines) == 1, screen_text(app)


@pytest.mark.parametrize(
    ("text", "term", "message"),
    [
        ("launched:2h", "launched:2h", "for the last 2h use since:2h"),
        ("state:", "state:", "'state:' needs a value"),
        ('id:"unclosed', '"unclosed', "unterminated quote"),
        ("foo:bar", "foo", "unknown field 'foo'"),
        ("-", "-", "'-' needs a term right after it"),
        ("key:x -used:true", "used", "'used:' is a field for"),
        (LONG + "launched:2h", "launched:2h", "for the last 2h use since:2h"),
        ("foo:bar " + LONG, "foo", "unknown field 'foo'"),
    ],
)
async def test_instances_show_a_bad_filter_once_with_the_caret_under_it(
    demo: DemoServer, text: str, term: str, message: str
) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        typed, under = await refused(pilot, app, text, message)
        assert_pointed(app, typed, under, term, text)


async def test_an_edited_filter_keeps_the_message_as_the_previous_ones(
    demo: DemoServer,
) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await refused(pilot, app, "foo:bar", "unknown field 'foo'")
        await pilot.press("x")  # at the end, as typed: foo:barx
        field = app.screen.query_one(FilterBar).query_one(Input)
        await wait_for(pilot, lambda: field.value == "foo:barx", "the edit")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert lines[field.region.y + 1].strip().startswith(
            "previous filter: unknown field 'foo'")


async def test_the_events_view_shows_a_bad_filter_once_too(demo: DemoServer) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await open_view(pilot, app, "events")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "events")
        typed, under = await refused(pilot, app, "name:x time:2h", "for the last 2h use since:2h")
        assert_pointed(app, typed, under, "time:2h", "name:x time:2h")


async def test_ctrl_u_after_a_refusal_clears_the_whole_filter(demo: DemoServer) -> None:
    """A review: with the cursor left at the bad term, Ctrl+U kept the rest of the
    filter, and `:events` typed next became `:events:1`, searched for as a word."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await refused(pilot, app, "key:x bogus:1", "unknown field 'bogus'")
        field = app.screen.query_one(FilterBar).query_one(Input)
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: field.value == "", "the filter cleared")


async def test_a_filter_the_view_refuses_is_kept_whole_by_the_next_key(demo: DemoServer) -> None:
    """QA: `port:22 ip:5` in :sg (ip: is not a group's field, refused by the view once
    the bar had closed) came back all selected, and one Backspace emptied it."""
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await open_view(pilot, app, "sg")
        await refused(pilot, app, "port:22 ip:5", "not for security groups")
        field = app.screen.query_one(FilterBar).query_one(Input)
        await pilot.press("backspace")
        await wait_for(pilot, lambda: field.value == "port:22 ip:", "one character gone")
