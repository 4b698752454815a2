"""An Esc and the key typed right after it, arriving together (one SSH packet, or
typed within Textual's 100 ms escape delay), are read by Textual's parser as one
Alt+key: the app takes them for the two keys they were typed as."""

from __future__ import annotations

from textual import events
from textual._xterm_parser import XTermParser
from textual.widgets import Input

from awsir_tui.app import AwsirApp
from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.ec2_details import InstanceDetailsView
from awsir_tui.ui.ec2_instances import InstancesView
from awsir_tui.ui.ec2_table import ObjectTable
from awsir_tui.ui.escape_keys import esc_and_key
from tests.helpers_app import demo_app, help_shown, wait_for
from tests.helpers_ec2 import loaded_list, loaded_sheet


def keys_read(data: str) -> list[events.Key]:
    """The keys Textual's own terminal parser reads in ``data``, bytes that arrive
    together (as over SSH)."""
    parser = XTermParser()
    read = [*parser.feed(data), *parser.feed("")]  # "": nothing follows them
    return [event for event in read if isinstance(event, events.Key)]


def terminal_sends(app: AwsirApp, data: str) -> None:
    """``data``'s keys posted to the app as the terminal driver posts them."""
    for key in keys_read(data):
        app.post_message(key)


def cursor_row(app: AwsirApp) -> int:
    return app.screen.query_one(ObjectTable).cursor_row


async def test_esc_and_j_together_leave_the_page_and_go_down_the_list(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await pilot.press("g", "enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        terminal_sends(app, "\x1bj")
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "back on the list")
        await wait_for(pilot, lambda: cursor_row(app) == 1, "the cursor one row down")


async def test_esc_and_a_capital_together_are_esc_and_that_capital(demo: DemoServer) -> None:
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        rows = app.screen.query_one(ObjectTable).row_count
        await pilot.press("g", "enter")
        await loaded_sheet(pilot, app, InstanceDetailsView)
        terminal_sends(app, "\x1bG")
        await wait_for(pilot, lambda: isinstance(app.screen, InstancesView), "back on the list")
        await wait_for(pilot, lambda: cursor_row(app) == rows - 1, "the cursor on the last row")
        help_text = await help_shown(pilot, app)
        assert "Esc and a letter typed at once" in help_text
        assert "but for Esc b and Esc f (read as Ctrl+Left/Right)" in help_text
        assert "Esc and a digit, - or = are read as one macOS Option character" in help_text
        assert "an Esc right before space, / : ? or Enter is lost" in help_text


async def test_esc_and_j_together_close_the_filter_and_go_down(demo: DemoServer) -> None:
    """The j went into the filter as text, the Esc lost: the prompt stayed open."""
    app = demo_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded_list(pilot, app, InstancesView)
        await pilot.press("g", "slash", "w", "e", "b")
        field = app.screen.query_one("FilterBar").query_one(Input)
        await wait_for(pilot, lambda: app.focused is field, "the filter open")
        terminal_sends(app, "\x1bj")
        await wait_for(pilot, lambda: cursor_row(app) == 1, "the cursor one row down")
        assert "j" not in field.value
        assert isinstance(app.focused, ObjectTable)


def test_an_alt_arrow_is_not_taken_for_an_esc_first() -> None:
    """Alt+Up is a sequence of its own, with no character typed after an Esc."""
    (alt_up,) = keys_read("\x1b[1;3A")
    assert alt_up.key == "alt+up"
    assert esc_and_key(alt_up, ()) is None


def test_an_alt_key_something_binds_stays_that_key() -> None:
    (alt_j,) = keys_read("\x1bj")
    assert esc_and_key(alt_j, {"alt+j"}) is None
    assert [(key.key, key.character) for key in esc_and_key(alt_j, ()) or ()] == [
        ("escape", "\x1b"), ("j", "j")]
