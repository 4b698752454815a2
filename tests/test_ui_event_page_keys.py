"""The event page's keys on a real record at 80x24 (QA, #4): GetFederationToken as
Stratus Red Team's persistence technique leaves it, its session token redacted and its
policy a multi-line string in the request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsir_tui.events.record import from_record
from awsir_tui.ui.dialogs import HelpScreen
from awsir_tui.ui.events_detail import EventDetailView
from awsir_tui.ui.json_view import JsonNode
from tests.helpers_app import composed, said_after, saved_path, screen_text, wait_for
from tests.helpers_events import federation_token_record
from tests.helpers_ui_events import account_ready, federation_token_page, offline_app

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cases and yanked files go to a fresh folder per test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def cursor_key(page: EventDetailView) -> str:
    node = page.json_tree.cursor_node
    return node.data.key if node is not None and isinstance(node.data, JsonNode) else ""


async def test_y_on_a_redacted_secret_yanks_nothing(
    isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter on the redacted session token says there is nothing to yank; y copied
    ``**REDACTED**`` over the clipboard and saved it to a file."""
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        page = await federation_token_page(pilot, app)
        await pilot.press("slash", *"sessionToken", "enter")
        await wait_for(pilot, lambda: cursor_key(page) == "sessionToken", "the token")
        copied: list[str] = []
        monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
        said = await said_after(pilot, app, "y", "endpoint URL")
        assert "redacted" in said and "copied" not in said
        await pilot.pause(0.2)
        assert copied == []
        assert not list(isolated_dirs.rglob("yank-*"))
        # The issued key beside it is yanked as before.
        await pilot.press("k")  # sessionToken's sibling, in the tree's order
        await pilot.press("k")
        await wait_for(pilot, lambda: cursor_key(page) == "accessKeyId", "the issued key")
        said = await said_after(pilot, app, "y", "endpoint URL")
        assert "copied" in said and copied == ["ASIASTJKC5GCM7ZE6LUP"]


async def test_the_row_stays_in_sight_when_the_value_under_the_tree_grows() -> None:
    """The policy's four lines under the tree pushed its own row out of sight."""
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        page = await federation_token_page(pilot, app)
        await pilot.press("g", *["j"] * 13)
        await wait_for(pilot, lambda: cursor_key(page) == "requestParameters", "the request")
        await pilot.press("space", "j", "j")
        await wait_for(pilot, lambda: cursor_key(page) == "policy", "the policy")
        await wait_for(pilot, lambda: "requestParameters.policy" in screen_text(app),
                       "the policy under the tree")
        await pilot.pause(0.2)
        rows = screen_text(app).splitlines()
        assert any('policy: "{' in row for row in rows), screen_text(app)


async def test_the_help_lists_space_among_the_keys() -> None:
    """The keys' list (each binding with its id) left out Space, the tree's fold."""
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await federation_token_page(pilot, app)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: composed(app, HelpScreen, "Static"), "the help")
        assert isinstance(app.screen, HelpScreen)
        keys = app.screen.body.plain.split("Keys (binding id")[1]
        assert any(line.split()[:1] == ["space"] and "[tree.fold]" in line
                   for line in keys.splitlines()), keys


async def test_Y_on_a_record_too_large_for_osc52_saves_it_only(
    isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 3.4 MB record went to the clipboard over OSC 52 (4.4 MB of escape sequence),
    which many terminals drop or cut, and the toast said it was copied."""
    record = federation_token_record()
    record["requestParameters"]["policy"] = "x" * 3_400_000
    app = offline_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: account_ready(app), "regions")
        await app.push_screen(EventDetailView(from_record(record)))
        await wait_for(pilot, lambda: "requestParameters" in screen_text(app), "the tree")
        copied: list[str] = []
        monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
        said = await said_after(pilot, app, "Y", "endpoint URL")
        assert copied == []
        assert "not copied to the clipboard" in said and "100 KB" in said
        [saved] = isolated_dirs.rglob("yank-*.json")
        assert saved_path(said) == saved
        assert json.loads(saved.read_text())["requestParameters"]["policy"] == "x" * 3_400_000
        # A record of ordinary size is still copied.
        await app.push_screen(EventDetailView(from_record(federation_token_record())))
        await wait_for(pilot, lambda: "requestParameters" in screen_text(app), "the tree")
        said = await said_after(pilot, app, "Y", "endpoint URL")
        assert "copied to the clipboard (OSC 52) and saved" in said
        assert len(copied) == 1 and "GetFederationToken" in copied[0]
