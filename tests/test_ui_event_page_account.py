"""Enter on an event's account ID pivots to the account's events, over Stratus Red
Team's records at 80x24 (QA, #4): on ``recipientAccountId`` or ``userIdentity.accountId``
it said "nothing to pivot on here", though ``account:`` is an events filter field."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.cli import Options
from awsir_tui.events.record import from_record
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.events_view import EventsView
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


@pytest.mark.parametrize(("searches", "path"), [
    (1, ("recipientAccountId",)),
    (2, ("userIdentity", "accountId")),
])
async def test_enter_on_an_account_id_lists_the_account_s_events(
    searches: int, path: tuple[str, ...]
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
        # recipientAccountId is the first key holding "accountid"; n: the caller's.
        await pilot.press("slash", *"accountId", "enter", *["n"] * (searches - 1))
        await wait_for(pilot, lambda: page.json_tree.cursor_node is not None
                       and page.json_tree.cursor_node.data is not None
                       and page.json_tree.cursor_node.data.path == path, "/".join(path))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventsView), "the pivot")
        pivot = app.screen
        assert isinstance(pivot, EventsView)
        assert pivot.filter_text == f"account:={ACCOUNT}"
        wanted = account_event_ids()
        assert page.event.event_id in wanted

        def shown() -> set[str]:
            rows = (pivot.table.row(i) for i in range(pivot.table.row_count))
            return {row.event_id for row in rows if row is not None}

        await wait_for(pilot, lambda: shown() == wanted, "the account's events")
