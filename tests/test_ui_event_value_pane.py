"""The lines under the event's tree at 80x24, over the demo account: the value under the
cursor whole, the part that matters of a long error message included (QA, #4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsir_tui.demo.server import DemoServer
from awsir_tui.ui.json_view import JsonNode
from tests.helpers_app import screen_text, wait_for
from tests.test_ui_events_viewer import SIZE, make_app, open_detail, open_events, search_tree


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases (and the view they reopen) go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


async def test_the_pass_role_denial_is_shown_to_its_end(demo: DemoServer) -> None:
    """The attacker's RunInstances denied iam:PassRole: the message names the role they
    wanted (web-server-role) after some 150 characters of preamble; two lines cut it."""
    [denied] = [r for r in demo.records if r.get("eventName") == "RunInstances"
                and "iam:PassRole" in (r.get("errorMessage") or "")]
    message = denied["errorMessage"]
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_events(pilot, app, "name:RunInstances error:Client")
        view.table.cursor_row = next(i for i in range(view.table.row_count)
                                     if view.table.row(i).event_id == denied["eventID"])
        detail = await open_detail(pilot, app)
        await search_tree(pilot, detail, "errorMessage",
                          lambda data: isinstance(data, JsonNode) and data.key == "errorMessage")
        # The pane's lines are the screen's width: joined, they read as written.
        await wait_for(pilot, lambda: "errorMessage You are not" in screen_text(app),
                       "the message under the tree")
        joined = "".join(screen_text(app).splitlines())
        assert "role/web-server-role because" in joined
        assert f"errorMessage {message}" in joined
        assert "userIdentity" in screen_text(app)  # the tree keeps its place above
