"""The event page (one CloudTrail record) at 80x24: its help, and long values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from awsir_tui.app import AwsirApp
from awsir_tui.events.record import from_record
from awsir_tui.ui.detail_pane import DetailPane
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.json_view import CUT_NOTE, JsonNode, whole_text
from tests.helpers_app import composed, said_after, screen_text, wait_for
from tests.helpers_ui_events import account_ready, offline_app

SIZE = (80, 24)
#: A role session's ARN, as wide as the screen: the instance ID is its last part.
ARN = "arn:aws:sts::123456789012:assumed-role/edge-proxy-role/i-b2547952490b7fe51"


def record() -> dict[str, Any]:
    """An EC2 role session's call: ``userIdentity.arn`` ends in the instance's ID; more
    lines than fit at 80x24 once userIdentity is open."""
    return {
        "eventVersion": "1.09",
        "userIdentity": {"type": "AssumedRole", "arn": ARN,
                         "principalId": "AROAEXAMPLE:i-b2547952490b7fe51"},
        "eventTime": "2026-11-29T16:24:22Z",
        "eventSource": "ec2.amazonaws.com",
        "eventName": "DescribeInstanceStatus",
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "203.0.113.66",
        "userAgent": "aws-cli/2.9.0",
        "requestID": "fa097aae-f7b0-444c-90de-f05c0bd87787",
        "eventID": "29d97467-4037-48a7-9300-f9d01406c38e",
        "readOnly": True,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": "123456789012",
        "eventCategory": "Management",
    }


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases (and the view they reopen) go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def open_page(
    pilot: Pilot[Any], app: AwsirApp, shown: dict[str, Any] | None = None
) -> EventDetailView:
    """The event page of ``shown`` (:func:`record` by default), its tree on screen."""
    await wait_for(pilot, lambda: account_ready(app), "regions")
    page = EventDetailView(from_record(shown or record()))
    await app.push_screen(page)
    await wait_for(pilot, lambda: "userIdentity" in screen_text(app), "the event's tree")
    return page


def pane_text(app: AwsirApp) -> str:
    """The screen's lines joined without their last column (a scrollbar's): the pane's
    lines, broken mid-word at its scrollbar, read as written."""
    return "".join(line[:-1] for line in screen_text(app).splitlines())


def under_tree(app: AwsirApp) -> str:
    """The two lines between the tree and the footer, joined: they break mid-word."""
    return "".join(screen_text(app).splitlines()[-3:-1])


async def test_the_help_says_4_widens_the_list_not_this_page() -> None:
    """`4` (90 days) is a key of the events list a pivot opens, not of the event page."""
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(app.screen.body.plain.split())
        assert "4 in that list widens it to 90 days" in shown
        assert "90d" not in shown  # and 4 is no key of this page


async def test_a_long_value_is_marked_cut_in_the_tree_and_shown_whole_below_it() -> None:
    """The instance ID at the end of a role session's ARN is past the right edge: the
    tree's line says it is cut, and the lines under the tree show the value whole."""
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_page(pilot, app)
        await pilot.press("j", "j", "space")  # userIdentity, opened
        await wait_for(pilot, lambda: "arn: " in screen_text(app), "userIdentity opened")
        await pilot.press("j", "j")  # its arn
        await wait_for(pilot, lambda: f"userIdentity.arn {ARN}" in under_tree(app),
                       "the whole ARN under the tree")
        row = next(line for line in screen_text(app).splitlines() if "arn: " in line)
        # Taller than the screen: the ellipsis is left of the tree's scrollbar.
        assert detail.json_tree.show_vertical_scrollbar
        assert ARN not in row and row[:78].endswith("\u2026")


def test_the_lines_under_the_tree_break_at_the_width_and_say_when_cut() -> None:
    agent = JsonNode(("userAgent",), "aws-cli/2.9.0 " + "x" * 300)
    lines = whole_text(agent, 80, 2).plain.split("\n")
    assert [len(line) for line in lines] == [80, 80]
    assert lines[0].startswith("userAgent aws-cli/2.9.0 x")
    assert lines[1].endswith(f"x{CUT_NOTE}")  # says where the rest is, not just "…"
    short = JsonNode(("resources", 0, "ARN"), "arn:aws:ec2:eu-west-1::image/ami-1")
    assert whole_text(short, 80, 2).plain == "resources[0].ARN arn:aws:ec2:eu-west-1::image/ami-1"


async def test_G_shows_the_last_line_of_the_tree_and_g_the_first() -> None:
    """G put the cursor on the last line of a tree taller than the screen and left it
    off screen: the page showed the top still, and the line under it named a key not
    in sight."""
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_page(pilot, app)
        await pilot.press("j", "j", "space")  # userIdentity, opened: taller than 24
        await wait_for(pilot, lambda: "arn: " in screen_text(app), "userIdentity opened")
        tree = detail.json_tree
        assert tree.show_vertical_scrollbar
        await pilot.press("G")
        await wait_for(pilot, lambda: "eventCategory" in screen_text(app)
                       and tree.scroll_offset.y > 0, "the last line in sight")
        await pilot.press("g")
        await wait_for(pilot, lambda: tree.scroll_offset.y == 0, "back at the top")
        assert "userIdentity" in screen_text(app)


async def test_a_value_taller_than_its_pane_scrolls_with_J_and_the_tree_stays() -> None:
    """A value too long for two fifths of the screen: the pane shows a scrollbar, J
    brings its end into sight, and the tree keeps the rest of the screen."""
    end = "THE-END-OF-THE-MESSAGE"
    message = "denied " * 300 + end
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_page(pilot, app, {**record(), "errorMessage": message})
        await pilot.press("slash", *"errorMessage", "enter")
        await wait_for(pilot, lambda: "errorMessage denied" in screen_text(app),
                       "the message under the tree")
        pane = detail.query_one(DetailPane)
        assert pane.show_vertical_scrollbar and end not in screen_text(app)
        assert detail.json_tree.size.height >= 10
        await pilot.press(*"J" * (pane.max_scroll_y - 1))
        await wait_for(pilot, lambda: pane.scroll_y == pane.max_scroll_y - 1, "scrolled")
        assert end not in pane_text(app)
        await pilot.press("J")
        await wait_for(pilot, lambda: end in pane_text(app), "the end of the message")


async def test_a_bare_key_pair_in_a_tag_is_redacted_in_the_tree_and_in_Y(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: a tag holding ``AKIA…,wJalr…`` showed the secret key in the tree and in
    ``Y`` while the text view (t) redacted it."""
    monkeypatch.setenv("AWSIR_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    tagged = {**record(), "eventName": "CreateTags", "requestParameters": {
        "tagSet": {"items": [{"key": "note", "value": f"AKIAIOSFODNN7EXAMPLE,{secret}"}]}}}
    app = offline_app()
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_page(pilot, app, tagged)
        labels = [str(node.label) for node in page.json_tree.walk()]
        assert not any(secret in label for label in labels)
        await pilot.press("Y")
        assert app.clipboard and secret not in app.clipboard
        assert "AKIAIOSFODNN7EXAMPLE" in app.clipboard


async def test_n_and_N_step_through_a_search_forward_and_back() -> None:
    """N wrote a case note here, as it does everywhere else; on a page that searches,
    a less or vim user presses it for the match before, and a note prompt opened."""
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_page(pilot, app)
        tree = detail.json_tree

        def at() -> str:
            node = tree.cursor_node
            return node.data.key if node is not None and node.data is not None else ""

        await pilot.press("slash", *"event", "enter")  # eventVersion, eventTime, ...
        await wait_for(pilot, lambda: at() == "eventVersion", "the first match")
        await pilot.press("n", "n")
        await wait_for(pilot, lambda: at() == "eventSource", "two matches on")
        await pilot.press("N")
        await wait_for(pilot, lambda: at() == "eventTime", "the match before")
        await pilot.press("N", "N")  # past the first: round to the last
        await wait_for(pilot, lambda: at() == "eventCategory", "the last match")
        assert app.screen is detail  # no note prompt


async def test_the_case_note_is_in_the_palette_where_N_searches_back() -> None:
    """N steps back through a search on the event page: the case note, N elsewhere,
    was then nowhere on the page where a responder most wants to write one."""
    from awsir_tui.ui.case_views import TextPrompt

    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app)
        await wait_for(pilot, lambda: app.case is not None, "the case")
        await pilot.press("ctrl+p", *"Case note")
        await wait_for(pilot, lambda: "a note on the case" in screen_text(app), "offered")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt), "the note's prompt")


async def test_n_after_a_search_that_found_nothing_says_not_found_again() -> None:
    """n after a search with no match said "no more matches", as if there had been some."""
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, app)
        await pilot.press("slash", *"zzzznomatch", "enter")
        said = await said_after(pilot, app, "n")
        assert said == "not found: zzzznomatch", said
