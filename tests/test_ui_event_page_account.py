"""Enter on an event's account ID pivots to the account's events, over Stratus Red
Team's records at 80x24 (QA, #4): on ``recipientAccountId`` or ``userIdentity.accountId``
it said "nothing to pivot on here", though ``account:`` is an events filter field. The
caller's own account is ``account:=`` too, not an ARN substring (responders, #5); the
caller's type is ``type:=``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.events.record import from_record
from awsir_tui.query import EVENT_FIELDS, compile_predicate, parse
from awsir_tui.ui.events_detail import EventDetailView, pivot_for
from awsir_tui.ui.events_view import EventsView
from awsir_tui.ui.json_view import JsonNode
from tests.helpers_app import screen_text, wait_for
from tests.helpers_events import STRATUS, all_records
from tests.helpers_ui_events import archive_loaded, offline_app

SIZE = (80, 24)
ACCOUNT = "017622104382"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def account_event_ids() -> set[str]:
    """The IDs of the Stratus records made in the stolen instance's account."""
    return {event.event_id for event in map(from_record, all_records())
            if event.account_id == ACCOUNT}


def assumed_role_event_ids() -> set[str]:
    """The IDs of the Stratus records a role's session made."""
    return {event.event_id for event in map(from_record, all_records())
            if event.user_type == "AssumedRole"}


@pytest.mark.parametrize(("search", "path", "filter_text", "wanted"), [
    # recipientAccountId is the first key holding "accountid"; n: the caller's.
    ("accountId", ("recipientAccountId",), f"account:={ACCOUNT}", account_event_ids),
    # The caller of the event's own account: account:=, as the receiver's. It was
    # user:":ACCOUNT:", a substring of the callers' ARNs a responder had to decode.
    ("accountId n", ("userIdentity", "accountId"), f"account:={ACCOUNT}", account_event_ids),
    # It said "nothing to pivot on here", though type: is the caller's type.
    ("AssumedRole", ("userIdentity", "type"), "type:=AssumedRole", assumed_role_event_ids),
])
async def test_enter_on_the_caller_s_account_or_type_lists_its_events(
    search: str, path: tuple[str, ...], filter_text: str, wanted: Callable[[], set[str]]
) -> None:
    app = offline_app(Options(sources=[str(STRATUS)]))
    async with app.run_test(size=SIZE) as pilot:
        view = await archive_loaded(pilot, app)
        await pilot.press("slash", *"key:ASIAP5CT9NN8EYVU1FXV", "enter")
        await wait_for(pilot, lambda: view.table.peek_row(0) is not None
                       and view.filter_text.startswith("key:"), "the stolen key's calls")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventDetailView)
                       and "userIdentity" in screen_text(app), "the event's page")
        page = app.screen
        assert isinstance(page, EventDetailView)
        text, *more = search.split()
        await pilot.press("slash", *text, "enter", *more)
        await wait_for(pilot, lambda: page.json_tree.cursor_node is not None
                       and page.json_tree.cursor_node.data is not None
                       and page.json_tree.cursor_node.data.path == path, "/".join(path))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the pivot")
        pivot = app.screen
        assert isinstance(pivot, EventsView)
        assert pivot.filter_text == filter_text
        assert page.event.event_id in wanted()

        def shown() -> set[str]:
            rows = (pivot.table.row(i) for i in range(pivot.table.row_count))
            return {row.event_id for row in rows if row is not None}

        await wait_for(pilot, lambda: shown() == wanted(), "the account's events")


def test_a_caller_from_another_account_is_followed_to_its_own_calls() -> None:
    """AssumeRole by a principal of account 999988887777 into this one: its account ID
    pivots to a filter that finds this call (account:= matched the receiver only)."""
    record = next(r for r in all_records() if r["eventName"] == "AssumeRole")
    crossed = json.loads(json.dumps(record))
    crossed["recipientAccountId"] = ACCOUNT
    crossed["userIdentity"] = {"type": "IAMUser", "accountId": "999988887777",
                               "arn": "arn:aws:iam::999988887777:user/mallory",
                               "principalId": "AIDAEXAMPLEMALLORY01", "userName": "mallory"}
    event = from_record(crossed)
    pivot = pivot_for(JsonNode(("userIdentity", "accountId"), "999988887777"), event)
    assert pivot is not None
    query = parse(pivot.arguments["filter_text"], EVENT_FIELDS)
    assert compile_predicate(query, EVENT_FIELDS)(event)
    # What the pivot was: the receiver's account, so not this call of the caller's.
    assert not compile_predicate(parse("account:=999988887777", EVENT_FIELDS),
                                 EVENT_FIELDS)(event)
